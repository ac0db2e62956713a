/*
 * `nightpose calibrate --port` against the QEMU firmware: the wearer's two postures
 * are pushed through the sensor port as the guide asks for them (on the back, then
 * a turn, then on the left side), and the calibration comes out of the live link.
 * The sensor is worn upside down (x to the feet, z into the chest): the result must
 * undo that, with the warning that it is far from the documented mounting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_record.h"
#include "np_calfile.h"
#include "np_err.h"
#include "np_msg.h"

#define RATE_HZ 25u
#define HOLD_N (25u * RATE_HZ)
#define TURN_N (3u * RATE_HZ)
#define N_INPUT (2u * HOLD_N + TURN_N)

static struct np_sample input[N_INPUT];

/* Upside down about the trunk's side axis: body (x, y, z) reads (-x, y, -z). */
static void make_input(void)
{
	for (unsigned i = 0; i < N_INPUT; i++) {
		int16_t wob = (int16_t)(i % 5) - 2; /* a few mg of breathing-like noise */
		if (i < HOLD_N)
			input[i] = (struct np_sample){ wob, 3, -1000 };             /* back */
		else if (i < HOLD_N + TURN_N)
			input[i] = (struct np_sample){ (int16_t)(i * 37 % 400), -700, -700 }; /* turning */
		else
			input[i] = (struct np_sample){ 2, -1000, wob };             /* left side */
	}
}

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t k = f ? fread(buf, 1, cap - 1, f) : 0;
	buf[k] = '\0';
	if (f)
		fclose(f);
}

static void test_guided_calibration(void **state)
{
	(void)state;
	char cal[256], log[256], out[8192];
	snprintf(cal, sizeof cal, "%s/test_e2e_calibrate-%ld.json", NP_BINARY_DIR, (long)getpid());
	snprintf(log, sizeof log, "%s/test_e2e_calibrate-%ld.log", NP_BINARY_DIR, (long)getpid());
	unlink(cal);
	make_input();
	struct board b;
	e2e_board_start(&b);
	const char *args[] = { "calibrate", "--port", b.link_slave, "-o", cal, "--timeout", "60", NULL };
	pid_t pid = e2e_spawn_cli(args, log);
	e2e_wait_for_log(log, "Lie on your back", 20000);
	e2e_sleep_ms(1000);
	e2e_board_feed(&b, input, HOLD_N);
	e2e_wait_for_log(log, "Now turn onto your left side", 30000);
	e2e_board_feed(&b, input + HOLD_N, N_INPUT - HOLD_N);
	int code = e2e_wait_exit(pid, 60000);
	e2e_board_kill(&b);
	slurp(log, out, sizeof out);
	print_message("%s", out);
	assert_int_equal(code, 0);
	assert_non_null(strstr(out, "Left side: done"));
	const char *once = strstr(out, "Back: done");
	assert_non_null(once);
	assert_null(strstr(once + 1, "Back: done"));
	assert_non_null(strstr(out, "this calibration turns the sensor 180 degrees"));

	struct np_calfile c;
	char why[256];
	assert_int_equal(np_calfile_load(cal, &c, why, sizeof why), NP_OK);
	assert_float_equal(c.chest.angle_deg, 90.0, 2.0);
	/* The rotation undoes the mounting: the back reads +z, the left side -y. */
	struct np_vec3 back = np_mat3_apply(&c.chest.r, (struct np_vec3){ 0, 0, -1 });
	struct np_vec3 left = np_mat3_apply(&c.chest.r, (struct np_vec3){ 0, -1, 0 });
	assert_float_equal(back.z, 1.0, 0.02);
	assert_float_equal(left.y, -1.0, 0.02);
	assert_true(c.supine.end_s - c.supine.start_s >= 19.9);
	assert_true(c.left.start_s > c.supine.end_s);
	assert_non_null(strstr(c.source, "guided on"));
	unlink(cal);
	unlink(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guided_calibration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
