/*
 * `nightpose record` against the QEMU firmware: a real recording is pushed
 * through the firmware's sensor port (USART2) and recorded from its link
 * (USART1) over a PTY, as from a USB serial device. Then QEMU is killed
 * mid-recording and started again: the recording goes on, with one gap.
 *
 * PTYs come from /dev/pts/ptmx and QEMU gets the link's master side as a
 * passed file descriptor (-add-fd, /dev/fdset): in containers that mount a
 * second devpts, the PTYs QEMU makes itself (-serial pty) cannot be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_pty.h"
#include "np_bytes.h"
#include "np_err.h"
#include "np_msg.h"
#include "np_recording.h"

#define CSV NP_SHARED_DATASETS "/sleep-position-classification/chloe_20220601_165046.csv"
/* 60 s at the firmware's default 25 Hz, one sample per USART2 record. */
#define N_INPUT 1500u

static struct np_sample input[N_INPUT];
static size_t n_input;

static int load_input(void **state)
{
	(void)state;
	/* The dataset has ~730 rows: go through it twice for a minute of samples. */
	for (int pass = 0; pass < 3 && n_input < N_INPUT; pass++) {
		FILE *fp = fopen(CSV, "r");
		if (!fp)
			return -1;
		char line[256];
		if (!fgets(line, sizeof line, fp)) { /* header */
			fclose(fp);
			return -1;
		}
		while (n_input < N_INPUT && fgets(line, sizeof line, fp)) {
			int x, y, z;
			if (sscanf(line, "%d%*[,;]%d%*[,;]%d", &x, &y, &z) != 3)
				continue;
			/* Chest axes to the body frame (datasets/README.md), 256 counts/g -> mg. */
			input[n_input++] = (struct np_sample){ (int16_t)(-y * 1000 / 256),
							      (int16_t)(x * 1000 / 256),
							      (int16_t)(-z * 1000 / 256) };
		}
		fclose(fp);
	}
	return n_input == N_INPUT ? 0 : -1;
}

static int open_pty(char *slave, size_t cap)
{
	int m = fake_pty_open(slave, cap);
	assert_true(m >= 0);
	return m;
}

struct board {
	pid_t pid;
	int sensor;         /* master side of USART2's PTY: we write samples here */
	char link_slave[64];
};

/* Boot the firmware; the link's slave path is where the recorder connects. */
static void board_start(struct board *b)
{
	char sensor_slave[64];
	int link = open_pty(b->link_slave, sizeof b->link_slave);
	b->sensor = open_pty(sensor_slave, sizeof sensor_slave);
	fcntl(b->sensor, F_SETFL, O_NONBLOCK);
	b->pid = fork();
	assert_true(b->pid >= 0);
	if (b->pid == 0) {
		char addfd[64];
		if (dup2(link, 3) < 0) /* dup2 clears O_CLOEXEC on the copy */
			_exit(127);
		snprintf(addfd, sizeof addfd, "fd=3,set=1");
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execlp("qemu-system-arm", "qemu-system-arm", "-M", "netduinoplus2", "-nographic",
		       "-monitor", "none", "-kernel", NP_FW_QEMU_ELF, "-add-fd", addfd, "-serial",
		       "/dev/fdset/1", "-serial", sensor_slave, (char *)NULL);
		_exit(127);
	}
	close(link); /* QEMU holds the master now: its death is the pulled cable */
}

static void board_kill(struct board *b)
{
	if (b->pid > 0) {
		kill(b->pid, SIGKILL);
		waitpid(b->pid, NULL, 0);
	}
	b->pid = -1;
	if (b->sensor >= 0)
		close(b->sensor);
	b->sensor = -1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Write samples to USART2 in the board's 7-byte records, as QEMU takes them. */
static void board_feed(struct board *b, const struct np_sample *s, size_t n)
{
	uint8_t *buf = malloc(n * 7u);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		uint8_t *r = buf + 7u * i;
		r[0] = 0xA5;
		np_put_le16(r + 1, (uint16_t)s[i].x);
		np_put_le16(r + 3, (uint16_t)s[i].y);
		np_put_le16(r + 5, (uint16_t)s[i].z);
	}
	size_t off = 0, len = n * 7u;
	for (int idle = 0; off < len && idle < 3000;) {
		ssize_t k = write(b->sensor, buf + off, len - off);
		if (k > 0) {
			off += (size_t)k;
			idle = 0;
		} else {
			sleep_ms(10);
			idle++;
		}
	}
	free(buf);
	assert_int_equal(off, len);
}

/* Wait until the recorder's log says what (it logs each event as a line). */
static void wait_for_log(const char *log, const char *what, unsigned max_ms)
{
	char buf[8192];
	for (unsigned t = 0; t < max_ms; t += 100) {
		FILE *f = fopen(log, "r");
		size_t k = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		buf[k] = '\0';
		if (f)
			fclose(f);
		if (strstr(buf, what))
			return;
		sleep_ms(100);
	}
	fail_msg("no '%s' from the recorder within %u ms", what, max_ms);
}

static pid_t spawn_record(const char *port, const char *npr, const char *log)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen(log, "w", stderr) || !freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(NP_CLI, NP_CLI, "record", "--port", port, "-o", npr, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int stop_record(pid_t pid)
{
	int st;
	kill(pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		sleep_ms(100);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* The chest samples of a recording, in order. */
static size_t recorded_samples(const char *npr, struct np_sample *out, size_t cap)
{
	struct np_rec_reader *r;
	struct np_rec_header h;
	assert_int_equal(np_rec_reader_open(&r, npr, &h), NP_OK);
	struct np_rec_entry e;
	size_t n = 0;
	while (np_rec_reader_next(r, &e) == NP_OK) {
		struct np_samples s;
		if (e.origin != NP_ORIGIN_DEVICE || e.frame.type != NP_MSG_SAMPLES ||
		    np_samples_decode(e.frame.payload, e.frame.len, &s) != NP_OK || s.sensor_id != 0)
			continue;
		for (unsigned i = 0; i < s.count && n < cap; i++)
			out[n++] = s.s[i];
	}
	np_rec_reader_close(r);
	return n;
}

static bool same(const struct np_sample *a, const struct np_sample *b)
{
	return a->x == b->x && a->y == b->y && a->z == b->z;
}

/* Where input[0..n) appears in rec, or -1. (The firmware sends its built-in
 * synthetic night until the first byte arrives on USART2.) */
static long find_run(const struct np_sample *rec, size_t n_rec, const struct np_sample *in, size_t n)
{
	for (size_t k = 0; k + n <= n_rec; k++) {
		size_t i = 0;
		while (i < n && same(&rec[k + i], &in[i]))
			i++;
		if (i == n)
			return (long)k;
	}
	return -1;
}

static void paths(const char *name, char *npr, char *log, size_t cap)
{
	snprintf(npr, cap, "%s/test_e2e_record-%ld-%s.npr", NP_BINARY_DIR, (long)getpid(), name);
	snprintf(log, cap, "%s/test_e2e_record-%ld-%s.log", NP_BINARY_DIR, (long)getpid(), name);
}

#define REC_CAP (4 * N_INPUT)

static void test_recorded_samples_equal_input(void **state)
{
	(void)state;
	char npr[256], log[256];
	paths("minute", npr, log, sizeof npr);
	struct board b;
	board_start(&b);
	pid_t rec = spawn_record(b.link_slave, npr, log);
	wait_for_log(log, "] recording ", 20000);
	sleep_ms(1000); /* START on its way */
	board_feed(&b, input, n_input);
	/* 60 s of sample time at 25 Hz: the file is flushed every second, so watch it. */
	static struct np_sample got[REC_CAP];
	size_t n = 0;
	long at = -1;
	for (int i = 0; i < 60 && at < 0; i++) {
		sleep_ms(2000);
		n = recorded_samples(npr, got, REC_CAP);
		at = find_run(got, n, input, n_input);
	}
	assert_int_equal(stop_record(rec), 0);
	board_kill(&b);
	if (at < 0)
		fail_msg("the %zu input samples are not in the %zu recorded ones, in order", n_input, n);
	print_message("%zu samples recorded; the %zu input samples are all there, in order, from #%ld\n",
		      n, n_input, at);
	unlink(npr);
	unlink(log);
}

static void test_qemu_killed_and_restarted(void **state)
{
	(void)state;
	char npr[256], log[256], link[256], cmd[800], out[4096];
	paths("restart", npr, log, sizeof npr);
	snprintf(link, sizeof link, "%s/test_e2e_record-%ld-tty", NP_BINARY_DIR, (long)getpid());
	struct board b;
	board_start(&b);
	unlink(link);
	assert_int_equal(symlink(b.link_slave, link), 0);
	pid_t rec = spawn_record(link, npr, log);
	wait_for_log(log, "] recording ", 20000);
	sleep_ms(1000);
	board_feed(&b, input, 250); /* 10 s */
	sleep_ms(10000);
	board_kill(&b); /* the cable is pulled, and the device loses power */
	unlink(link);
	sleep_ms(3000);
	board_start(&b);
	assert_int_equal(symlink(b.link_slave, link), 0);
	wait_for_log(log, "link restored", 20000);
	sleep_ms(1000);
	board_feed(&b, input + 250, 250);
	static struct np_sample got[REC_CAP];
	size_t n = 0;
	for (int i = 0; i < 30; i++) {
		sleep_ms(1000);
		n = recorded_samples(npr, got, REC_CAP);
		if (find_run(got, n, input + 250, 250) >= 0)
			break;
	}
	assert_int_equal(stop_record(rec), 0);
	board_kill(&b);
	unlink(link);

	FILE *f = fopen(log, "r");
	size_t k = f ? fread(out, 1, sizeof out - 1, f) : 0;
	out[k] = '\0';
	if (f)
		fclose(f);
	assert_non_null(strstr(out, "link lost"));
	assert_non_null(strstr(out, "link restored"));

	n = recorded_samples(npr, got, REC_CAP);
	assert_true(find_run(got, n, input, 250) >= 0);
	assert_true(find_run(got, n, input + 250, 250) >= 0);

	snprintf(cmd, sizeof cmd, "'%s' info '%s' > '%s' 2>&1", NP_CLI, npr, log);
	assert_int_equal(system(cmd), 0);
	f = fopen(log, "r");
	k = f ? fread(out, 1, sizeof out - 1, f) : 0;
	out[k] = '\0';
	if (f)
		fclose(f);
	const char *g = strstr(out, "gaps:");
	assert_non_null(g);
	unsigned gaps = 0;
	double gap_s = 0;
	assert_int_equal(sscanf(g, "gaps: %u (%lf s)", &gaps, &gap_s), 2);
	assert_int_equal(gaps, 1);
	/* QEMU was gone for 3 s; the link is back within the next retry second
	 * after it boots. */
	print_message("info: %u gap of %.1f s (QEMU down 3 s, then booting)\n", gaps, gap_s);
	if (!(gap_s >= 2.5 && gap_s < 10.0))
		fail_msg("gap of %.1f s, expected about 3-5 s:\n%s", gap_s, out);
	unlink(npr);
	unlink(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_samples_equal_input),
		cmocka_unit_test(test_qemu_killed_and_restarted),
	};
	return cmocka_run_group_tests(tests, load_input, NULL);
}
