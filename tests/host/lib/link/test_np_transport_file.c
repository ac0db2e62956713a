/* A recording replayed as wire bytes: only the device's frames, unchanged, with
 * their receive times as the replay clock, paced when asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_frame.h"
#include "np_transport_file.h"

static void make_recording(const char *path)
{
	struct np_rec_header h = { .version = NP_REC_VERSION };
	snprintf(h.hello.serial, sizeof h.hello.serial, "NP-FILE");
	struct np_rec_writer *w;
	assert_int_equal(np_rec_writer_open(&w, path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	uint8_t p[4];
	for (uint16_t i = 0; i < 10; i++) {
		memset(p, i, sizeof p);
		struct np_frame f = { .type = NP_MSG_STATUS, .seq = i, .len = sizeof p, .payload = p };
		/* device frames at 0, 100, ..., 900 ms; a host frame between each */
		assert_int_equal(np_rec_writer_append(w, i * 100u, NP_ORIGIN_DEVICE, &f), NP_OK);
		f.type = NP_MSG_EVENT;
		assert_int_equal(np_rec_writer_append(w, i * 100u + 50u, NP_ORIGIN_HOST, &f), NP_OK);
	}
	assert_int_equal(np_rec_writer_close(w), NP_OK);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read everything; returns the frames decoded and checks each against the recording. */
static unsigned read_all(struct np_transport *t)
{
	uint8_t scratch[NP_FRAME_WIRE_MAX], buf[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	unsigned n = 0;
	for (;;) {
		size_t got;
		int rc = np_transport_read(t, buf, sizeof buf, &got, 1000);
		if (rc == NP_ERR_EOF)
			break;
		assert_int_equal(rc, NP_OK);
		size_t off = 0;
		while (off < got) {
			size_t used;
			struct np_frame f;
			rc = np_frame_decoder_feed(&dec, buf + off, got - off, &used, &f);
			off += used;
			if (rc != NP_OK)
				break;
			assert_int_equal(f.type, NP_MSG_STATUS);
			assert_int_equal(f.seq, n);
			assert_int_equal(f.payload[0], n);
			/* One frame per read: the clock is that frame's receive time. */
			assert_int_equal(np_transport_file_host_ms(t), n * 100u);
			n++;
		}
	}
	assert_int_equal(dec.stats.frames_missed + dec.stats.crc_errors + dec.stats.malformed, 0);
	return n;
}

static void test_device_frames_only(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/test_np_transport_file-%ld.npr", NP_BINARY_DIR, (long)getpid());
	make_recording(path);
	struct np_transport t;
	struct np_rec_header h;
	assert_int_equal(np_transport_file_open(&t, path, 0, &h), NP_OK);
	assert_string_equal(h.hello.serial, "NP-FILE");
	assert_int_equal(read_all(&t), 10);
	/* The end stays the end; writes (commands) go nowhere. */
	size_t got;
	uint8_t b[8];
	assert_int_equal(np_transport_read(&t, b, sizeof b, &got, 10), NP_ERR_EOF);
	assert_int_equal(np_transport_write(&t, b, sizeof b), NP_OK);
	assert_int_equal(np_transport_file_stats(&t)->records, 20);
	np_transport_close(&t);

	/* At 3x, the 900 ms of the recording take at least 300 ms. */
	assert_int_equal(np_transport_file_open(&t, path, 3.0, NULL), NP_OK);
	double t0 = now_s();
	assert_int_equal(read_all(&t), 10);
	assert_true(now_s() - t0 >= 0.29);
	np_transport_close(&t);
	unlink(path);
}

static void test_not_a_recording(void **state)
{
	(void)state;
	struct np_transport t;
	assert_int_equal(np_transport_file_open(&t, NP_SOURCE_DIR "/CMakeLists.txt", 0, NULL),
			 NP_ERR_FORMAT);
	assert_null(t.ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_frames_only),
		cmocka_unit_test(test_not_a_recording),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
