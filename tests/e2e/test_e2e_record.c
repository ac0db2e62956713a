/*
 * `nightpose record` against the QEMU firmware: a real recording is pushed
 * through the firmware's sensor port (USART2) and recorded from its link
 * (USART1) over a PTY, as from a USB serial device. Then QEMU is killed
 * mid-recording and started again: the recording goes on, with one gap.
 * (Helpers: e2e_record.h.)
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

#include "e2e_record.h"
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
	e2e_board_start(&b);
	pid_t rec = e2e_spawn_record(b.link_slave, npr, log, NULL);
	e2e_wait_for_log(log, "] recording ", 20000);
	e2e_sleep_ms(1000); /* START on its way */
	e2e_board_feed(&b, input, n_input);
	/* 60 s of sample time at 25 Hz: the file is flushed every second, so watch it. */
	static struct np_sample got[REC_CAP];
	size_t n = 0;
	long at = -1;
	for (int i = 0; i < 60 && at < 0; i++) {
		e2e_sleep_ms(2000);
		n = e2e_recorded_samples(npr, got, REC_CAP);
		at = e2e_find_run(got, n, input, n_input);
	}
	assert_int_equal(e2e_stop_record(rec), 0);
	e2e_board_kill(&b);
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
	e2e_board_start(&b);
	unlink(link);
	assert_int_equal(symlink(b.link_slave, link), 0);
	pid_t rec = e2e_spawn_record(link, npr, log, NULL);
	e2e_wait_for_log(log, "] recording ", 20000);
	e2e_sleep_ms(1000);
	e2e_board_feed(&b, input, 250); /* 10 s */
	e2e_sleep_ms(10000);
	e2e_board_kill(&b); /* the cable is pulled, and the device loses power */
	unlink(link);
	e2e_sleep_ms(3000);
	e2e_board_start(&b);
	assert_int_equal(symlink(b.link_slave, link), 0);
	e2e_wait_for_log(log, "link restored", 20000);
	e2e_sleep_ms(1000);
	e2e_board_feed(&b, input + 250, 250);
	static struct np_sample got[REC_CAP];
	size_t n = 0;
	for (int i = 0; i < 30; i++) {
		e2e_sleep_ms(1000);
		n = e2e_recorded_samples(npr, got, REC_CAP);
		if (e2e_find_run(got, n, input + 250, 250) >= 0)
			break;
	}
	assert_int_equal(e2e_stop_record(rec), 0);
	e2e_board_kill(&b);
	unlink(link);

	FILE *f = fopen(log, "r");
	size_t k = f ? fread(out, 1, sizeof out - 1, f) : 0;
	out[k] = '\0';
	if (f)
		fclose(f);
	assert_non_null(strstr(out, "link lost"));
	assert_non_null(strstr(out, "link restored"));

	n = e2e_recorded_samples(npr, got, REC_CAP);
	assert_true(e2e_find_run(got, n, input, 250) >= 0);
	assert_true(e2e_find_run(got, n, input + 250, 250) >= 0);

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
