/* The .npr writer and reader: round trip, crash safety, damage, write errors. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_bytes.h"
#include "np_err.h"
#include "np_recording.h"
#include "rec_fixture.h"

/* A frame the tests write and expect back; payload bytes depend on i. */
struct tframe {
	uint32_t host_ms;
	uint8_t origin;
	uint8_t type;
	uint16_t seq;
	uint16_t len;
	uint8_t payload[NP_PAYLOAD_MAX];
};

/* Frame i of a test stream: device frames numbered 0, 1, 2, ...; every 5th is a
 * host annotation; lengths vary, zeros and 0xFF runs exercise COBS. */
static void make_frame(unsigned i, struct tframe *f)
{
	memset(f, 0, sizeof *f);
	f->host_ms = 100u * i;
	f->origin = i % 5 == 4 ? NP_ORIGIN_HOST : NP_ORIGIN_DEVICE;
	f->type = f->origin == NP_ORIGIN_HOST ? NP_MSG_ANNOTATION : NP_MSG_SAMPLES;
	f->seq = (uint16_t)(f->origin == NP_ORIGIN_HOST ? i / 5 : i - i / 5);
	f->len = (uint16_t)((i * 37u) % 300u);
	for (unsigned k = 0; k < f->len; k++)
		f->payload[k] = (uint8_t)(k % 7 == 0 ? 0 : (k / 50) % 2 ? 0xFF : i + k);
}

static void append_frame(struct np_rec_writer *w, const struct tframe *t)
{
	struct np_frame f = { .type = t->type, .seq = t->seq, .len = t->len, .payload = t->payload };

	assert_int_equal(np_rec_writer_append(w, t->host_ms, t->origin, &f), NP_OK);
}

static void expect_frame(const struct np_rec_entry *e, const struct tframe *t)
{
	assert_int_equal(e->host_ms, t->host_ms);
	assert_int_equal(e->origin, t->origin);
	assert_int_equal(e->frame.type, t->type);
	assert_int_equal(e->frame.seq, t->seq);
	assert_int_equal(e->frame.len, t->len);
	assert_memory_equal(e->frame.payload, t->payload, t->len);
}

/* Write frames 0..n-1 to path and close. */
static void write_file(const char *path, unsigned n, enum np_rec_commit commit)
{
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct tframe t;

	fx_header(&h);
	assert_int_equal(np_rec_writer_open(&w, path, &h, commit), NP_OK);
	for (unsigned i = 0; i < n; i++) {
		make_frame(i, &t);
		append_frame(w, &t);
	}
	assert_int_equal(np_rec_writer_close(w), NP_OK);
}

/* Read all records of an in-memory file; returns how many, checks each against make_frame(skip). */
static unsigned read_mem(const uint8_t *data, size_t len, int skip, struct np_rec_stats *st)
{
	struct np_rec_reader *r;
	struct np_rec_entry e;
	struct tframe t;
	unsigned n = 0, i = 0;
	int rc;

	assert_int_equal(np_rec_reader_open_mem(&r, data, len, NULL), NP_OK);
	while ((rc = np_rec_reader_next(r, &e)) == NP_OK) {
		if ((int)i == skip)
			i++;
		make_frame(i++, &t);
		expect_frame(&e, &t);
		n++;
	}
	assert_int_equal(rc, NP_ERR_EOF);
	*st = *np_rec_reader_stats(r);
	np_rec_reader_close(r);
	return n;
}

/* Offsets where each record starts (rec_start[k]) and the file ends (rec_start[n]). */
static unsigned record_starts(const uint8_t *data, size_t len, size_t *starts, unsigned cap)
{
	unsigned n = 0;
	size_t pos = fx_header_len(data);

	starts[n++] = pos;
	for (; pos < len; pos++)
		if (data[pos] == 0 && n < cap)
			starts[n++] = pos + 1;
	return n - 1;
}

/* Read a file through; returns the records, their stats, and the last host_ms. */
static unsigned count_file(const char *path, struct np_rec_stats *st, uint32_t *last_ms)
{
	struct np_rec_reader *r;
	struct np_rec_entry e;
	unsigned n = 0;

	assert_int_equal(np_rec_reader_open(&r, path, NULL), NP_OK);
	while (np_rec_reader_next(r, &e) == NP_OK) {
		if (last_ms)
			*last_ms = e.host_ms;
		n++;
	}
	*st = *np_rec_reader_stats(r);
	np_rec_reader_close(r);
	return n;
}

/* Twelve records written, read back whole, and where each starts. */
static uint8_t *twelve_records(const char *path, size_t *len, size_t *starts, size_t cap)
{
	uint8_t *data;

	write_file(path, 12, NP_REC_COMMIT_AT_CLOSE);
	data = fx_read(path, len);
	assert_int_equal(record_starts(data, *len, starts, (unsigned)cap), 12);
	assert_int_equal(starts[12], *len);
	return data;
}

static void test_round_trip(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h, got;
	struct np_rec_writer *w;
	struct np_rec_reader *r;
	struct np_rec_entry e;
	struct tframe t;
	unsigned n = 0;
	int rc;

	fx_header(&h);
	h.flags = NP_REC_IMPORTED;
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	for (unsigned i = 0; i < 200; i++) {
		make_frame(i, &t);
		append_frame(w, &t);
	}
	/* The largest payload, all zeros: COBS must still fit it in one record. */
	memset(&t, 0, sizeof t);
	t.type = NP_MSG_SAMPLES;
	t.seq = 160;
	t.len = NP_PAYLOAD_MAX;
	t.host_ms = UINT32_MAX;
	append_frame(w, &t);
	assert_int_equal(np_rec_writer_close(w), NP_OK);

	assert_int_equal(np_rec_reader_open(&r, c->path, &got), NP_OK);
	assert_int_equal(got.version, NP_REC_VERSION);
	assert_int_equal(got.flags, NP_REC_IMPORTED);
	assert_true(got.created_utc_ms == FX_CREATED_MS);
	assert_string_equal(got.source, "test fixture");
	assert_string_equal(got.hello.serial, "NP-TEST-0001");
	assert_int_equal(got.hello.rate_millihz, 25000);
	assert_int_equal(got.hello.tick_hz, 1000);
	assert_int_equal(got.hello.lsb_per_g, 1000);
	assert_int_equal(got.hello.fw_patch, 3);
	while ((rc = np_rec_reader_next(r, &e)) == NP_OK && n < 200) {
		make_frame(n++, &t);
		expect_frame(&e, &t);
	}
	assert_int_equal(rc, NP_OK);
	assert_int_equal(e.frame.len, NP_PAYLOAD_MAX);
	assert_int_equal(e.host_ms, UINT32_MAX);
	assert_int_equal(np_rec_reader_next(r, &e), NP_ERR_EOF);
	assert_int_equal(np_rec_reader_next(r, &e), NP_ERR_EOF);
	assert_int_equal(np_rec_reader_stats(r)->records, 201);
	assert_int_equal(np_rec_reader_stats(r)->corrupt_records, 0);
	assert_int_equal(np_rec_reader_stats(r)->torn_tail_bytes, 0);
	assert_int_equal(np_rec_reader_stats(r)->device.frames_missed, 0);
	np_rec_reader_close(r);
	assert_int_equal(fx_count_entries(c->dir), 1);
}

static void test_header_only(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_reader *r;
	struct np_rec_entry e;

	write_file(c->path, 0, NP_REC_COMMIT_AT_OPEN);
	assert_int_equal(np_rec_reader_open(&r, c->path, NULL), NP_OK);
	assert_int_equal(np_rec_reader_next(r, &e), NP_ERR_EOF);
	np_rec_reader_close(r);
}

/* Cutting the file anywhere inside the last record loses that record only. */
static void test_torn_tail_every_offset(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_stats st;
	size_t len, starts[64];
	uint8_t *data = twelve_records(c->path, &len, starts, 64);

	for (size_t cut = starts[11]; cut < len; cut++) {
		assert_int_equal(read_mem(data, cut, -1, &st), 11);
		assert_int_equal(st.corrupt_records, 0);
		assert_int_equal(st.torn_tail_bytes, cut - starts[11]);
	}
	/* The same through a file. */
	fx_write(c->path, data, len - 3);
	assert_int_equal(count_file(c->path, &st, NULL), 11);
	assert_int_equal(st.torn_tail_bytes, len - 3 - starts[11]);
	free(data);
}

/* Any one changed byte of a record in the middle costs that record and nothing else. */
static void test_corrupt_byte_in_middle(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_stats st;
	size_t len, starts[64];
	uint8_t *data = twelve_records(c->path, &len, starts, 64);
	unsigned victim = 6;

	for (size_t pos = starts[victim]; pos + 1 < starts[victim + 1]; pos++) {
		uint8_t orig = data[pos];

		data[pos] = (uint8_t)(orig ^ 0x5A) != 0 ? (uint8_t)(orig ^ 0x5A) : (uint8_t)(orig ^ 0xA5);
		assert_int_equal(read_mem(data, len, (int)victim, &st), 11);
		assert_int_equal(st.corrupt_records, 1);
		assert_int_equal(st.torn_tail_bytes, 0);
		/* Frame 6 is a device frame: its absence shows as one lost frame. */
		assert_int_equal(st.device.frames_missed, 1);
		data[pos] = orig;
	}
	free(data);
}

static void test_duplicate_device_frame(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct np_rec_stats st;
	const uint8_t p[3] = { 1, 2, 3 };
	struct np_frame f = { .type = NP_MSG_STATUS, .len = 3, .payload = p };
	uint16_t seqs[] = { 7, 8, 8, 9 };

	fx_header(&h);
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	for (unsigned i = 0; i < 4; i++) {
		f.seq = seqs[i];
		assert_int_equal(np_rec_writer_append(w, i * 10u, NP_ORIGIN_DEVICE, &f), NP_OK);
	}
	assert_int_equal(np_rec_writer_close(w), NP_OK);
	assert_int_equal(count_file(c->path, &st, NULL), 3);
	assert_int_equal(st.device.duplicates, 1);
}

static void test_append_rejects_bad_frames(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_writer *w;
	static const uint8_t big[NP_PAYLOAD_MAX + 1];
	struct np_frame f = { .type = NP_MSG_SAMPLES, .len = NP_PAYLOAD_MAX + 1, .payload = big };

	fx_header(&h);
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	assert_int_equal(np_rec_writer_append(w, 0, NP_ORIGIN_DEVICE, &f), NP_ERR_RANGE);
	assert_int_equal(np_rec_writer_append(w, 0, NP_ORIGIN_DEVICE, NULL), NP_ERR_ARG);
	np_rec_writer_abort(w);
	assert_int_equal(fx_count_entries(c->dir), 0);
}

/* Write frames 0..29 (100 ms apart) and die without closing. */
static void crash_child(const char *path, enum np_rec_commit commit)
{
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct tframe t;

	fx_header(&h);
	if (np_rec_writer_open(&w, path, &h, commit) != NP_OK)
		_exit(10);
	for (unsigned i = 0; i < 30; i++) {
		struct np_frame f;

		make_frame(i, &t);
		f = (struct np_frame){ .type = t.type, .seq = t.seq, .len = t.len, .payload = t.payload };
		if (np_rec_writer_append(w, t.host_ms, t.origin, &f) != NP_OK)
			_exit(11);
	}
	_exit(0);
}

static void run_child(void (*fn)(const char *, enum np_rec_commit), const char *path,
		      enum np_rec_commit commit)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		fn(path, commit);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_commit_at_open_survives_crash(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_stats st;
	uint32_t last_ms = 0;

	run_child(crash_child, c->path, NP_REC_COMMIT_AT_OPEN);
	/* The file has its final name (no temporary left) and everything up to
	   one second before the crash. */
	assert_int_equal(fx_count_entries(c->dir), 1);
	assert_true(count_file(c->path, &st, &last_ms) >= 20);
	assert_true(last_ms + 1000u >= 2900u);
	assert_int_equal(st.corrupt_records, 0);
}

static void test_commit_at_close_abort_leaves_nothing(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct tframe t;
	struct stat st;

	fx_header(&h);
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	for (unsigned i = 0; i < 50; i++) {
		make_frame(i, &t);
		append_frame(w, &t);
	}
	assert_int_equal(np_rec_writer_flush(w), NP_OK);
	assert_int_equal(stat(c->path, &st), -1);
	np_rec_writer_abort(w);
	assert_int_equal(fx_count_entries(c->dir), 0);

	/* A crash before close never shows the final name either. */
	run_child(crash_child, c->path, NP_REC_COMMIT_AT_CLOSE);
	assert_int_equal(stat(c->path, &st), -1);
}

static void test_commit_at_open_abort_removes_file(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct stat st;

	fx_header(&h);
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_OPEN), NP_OK);
	assert_int_equal(stat(c->path, &st), 0);
	np_rec_writer_abort(w);
	assert_int_equal(fx_count_entries(c->dir), 0);
}

#define FSIZE_LIMIT 8192

/* Under RLIMIT_FSIZE: appends until the kernel refuses; exit code tells what happened. */
static void fsize_child(const char *path, enum np_rec_commit commit)
{
	struct rlimit rl = { FSIZE_LIMIT, FSIZE_LIMIT };
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct tframe t;
	int rc = NP_OK;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		_exit(20);
	fx_header(&h);
	if (np_rec_writer_open(&w, path, &h, commit) != NP_OK)
		_exit(21);
	for (unsigned i = 0; i < 1000 && rc == NP_OK; i++) {
		struct np_frame f;

		make_frame(i, &t);
		f = (struct np_frame){ .type = t.type, .seq = t.seq, .len = t.len, .payload = t.payload };
		/* 1 s apart: every append reaches the file at once. */
		rc = np_rec_writer_append(w, i * 1000u, t.origin, &f);
	}
	if (rc != NP_ERR_IO)
		_exit(22);
	if (errno != EFBIG)
		_exit(23);
	/* The error sticks: later calls and close report it too. */
	if (np_rec_writer_flush(w) != NP_ERR_IO)
		_exit(24);
	if (np_rec_writer_close(w) != NP_ERR_IO || errno != EFBIG)
		_exit(25);
	_exit(0);
}

static void test_write_error_is_reported(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_stats rs;
	struct stat st;

	run_child(fsize_child, c->path, NP_REC_COMMIT_AT_OPEN);
	assert_int_equal(stat(c->path, &st), 0);
	assert_true(st.st_size <= FSIZE_LIMIT);
	assert_true(count_file(c->path, &rs, NULL) >= 10);
	assert_int_equal(rs.corrupt_records, 0);
	unlink(c->path);

	/* An import that fails leaves no file at all. */
	run_child(fsize_child, c->path, NP_REC_COMMIT_AT_CLOSE);
	assert_int_equal(fx_count_entries(c->dir), 0);
}

static void expect_open_error(const char *path, int want, uint16_t version_seen)
{
	struct np_rec_reader *r = (struct np_rec_reader *)&r;
	struct np_rec_header h;

	assert_int_equal(np_rec_reader_open(&r, path, &h), want);
	assert_null(r);
	assert_int_equal(np_rec_reader_version_seen(path), version_seen);
}

static void test_version_and_magic_errors(void **state)
{
	struct fx_ctx *c = *state;
	size_t len;
	uint8_t *data;

	write_file(c->path, 3, NP_REC_COMMIT_AT_CLOSE);
	data = fx_read(c->path, &len);

	np_put_le16(data + 8, 3);
	fx_write(c->path, data, len);
	expect_open_error(c->path, NP_ERR_VERSION, 3);

	np_put_le16(data + 8, 0);
	fx_write(c->path, data, len);
	expect_open_error(c->path, NP_ERR_FORMAT, 0);

	/* A damaged header (here its source text) fails the header CRC. */
	np_put_le16(data + 8, NP_REC_VERSION);
	data[fx_header_len(data) - 6] ^= 1;
	fx_write(c->path, data, len);
	expect_open_error(c->path, NP_ERR_FORMAT, NP_REC_VERSION);
	data[fx_header_len(data) - 6] ^= 1;

	/* Truncated inside the header. */
	fx_write(c->path, data, fx_header_len(data) - 1);
	expect_open_error(c->path, NP_ERR_FORMAT, NP_REC_VERSION);
	fx_write(c->path, data, 5);
	expect_open_error(c->path, NP_ERR_FORMAT, 0);

	/* Magic damaged the way text-mode transfers damage it. */
	data[4] = '\n';
	fx_write(c->path, data, len);
	expect_open_error(c->path, NP_ERR_FORMAT, 0);

	fx_write(c->path, "x_chest,y_chest,z_chest\n1,2,3\n", 30);
	expect_open_error(c->path, NP_ERR_FORMAT, 0);

	fx_write(c->path, "", 0);
	expect_open_error(c->path, NP_ERR_FORMAT, 0);
	free(data);
}

static void test_missing_file_and_directory(void **state)
{
	struct fx_ctx *c = *state;

	errno = 0;
	expect_open_error(c->path, NP_ERR_IO, 0);
	assert_int_equal(np_rec_reader_open(&(struct np_rec_reader *){ NULL }, c->path, NULL), NP_ERR_IO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(np_rec_reader_open(&(struct np_rec_reader *){ NULL }, c->dir, NULL), NP_ERR_IO);
	assert_int_equal(errno, EISDIR);
}

/* A FIFO or device as the target (-o /dev/null) is written into, never renamed
 * over: that would replace /dev/null with a plain file for the whole system. */
static void test_write_into_fifo(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct tframe t;
	struct stat st;
	uint8_t buf[4096];
	int rd;

	fx_header(&h);
	make_frame(1, &t);
	assert_int_equal(mkfifo(c->path, 0600), 0);
	rd = open(c->path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	append_frame(w, &t);
	assert_int_equal(np_rec_writer_close(w), NP_OK);
	ssize_t n = read(rd, buf, sizeof buf);
	close(rd);
	assert_true(n > (ssize_t)NP_REC_MAGIC_LEN);
	assert_memory_equal(buf, NP_REC_MAGIC, NP_REC_MAGIC_LEN);
	assert_int_equal(stat(c->path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(fx_count_entries(c->dir), 1);

	/* Aborting leaves the FIFO in place, and so does a live (commit at open) writer. */
	rd = open(c->path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(np_rec_writer_open(&w, c->path, &h, NP_REC_COMMIT_AT_OPEN), NP_OK);
	np_rec_writer_abort(w);
	close(rd);
	assert_int_equal(stat(c->path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(fx_count_entries(c->dir), 1);
}

/*
 * A recording gets the usual mode (0666 less the umask), like the other outputs,
 * so it can be shared: not mkstemp()'s 0600. Live (at open) and import (at close).
 */
static void test_mode_follows_umask(void **state)
{
	struct fx_ctx *c = *state;
	static const mode_t masks[] = { 022, 027, 077 };
	static const enum np_rec_commit commits[] = { NP_REC_COMMIT_AT_OPEN, NP_REC_COMMIT_AT_CLOSE };
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct stat st;

	fx_header(&h);
	for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
		for (size_t k = 0; k < 2; k++) {
			mode_t old = umask(masks[m]);
			assert_int_equal(np_rec_writer_open(&w, c->path, &h, commits[k]), NP_OK);
			assert_int_equal(np_rec_writer_close(w), NP_OK);
			/* The writer leaves the process umask alone. */
			assert_int_equal(umask(old), masks[m]);
			assert_int_equal(stat(c->path, &st), 0);
			if ((st.st_mode & 0777) != (0666 & ~masks[m]))
				fail_msg("umask %03o, commit %zu: mode %03o, expected %03o", (unsigned)masks[m], k,
					 (unsigned)(st.st_mode & 0777), (unsigned)(0666 & ~masks[m]));
			assert_int_equal(unlink(c->path), 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_header_only, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_every_offset, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_byte_in_middle, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_device_frame, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_append_rejects_bad_frames, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_commit_at_open_survives_crash, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_commit_at_close_abort_leaves_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_commit_at_open_abort_removes_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_write_error_is_reported, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_version_and_magic_errors, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_and_directory, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_write_into_fifo, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mode_follows_umask, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
