/* SAMPLES batching and STATUS timing through the app on a fake board and fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_board.h"
#include "fw_app.h"
#include "fw_test_util.h"

static struct fake_board fb;
static struct fw_app app;

static int setup(void **state)
{
	(void)state;
	fake_board_init(&fb);
	fw_app_init(&app, &fb.board);
	return 0;
}

/* Let the fake sensor deliver n samples at 25 Hz, polling every 40 ms. */
static void run_samples(int from, int n)
{
	for (int i = 0; i < n; i++) {
		struct np_sample v = { (int16_t)(from + i), (int16_t)(2 * (from + i)), (int16_t)-(from + i) };
		fake_board_add_samples(&fb, &v, 1);
		fb.now_ms += 40;
		fw_app_poll(&app);
	}
}

/* Check every SAMPLES frame left in tx; returns how many samples they carried. */
static int check_samples(int expect_from, uint16_t *seq_io, uint32_t *frames)
{
	struct np_frame f;
	struct np_samples m;
	int got = 0;
	while (next_of_type(&fb, NP_MSG_SAMPLES, &f)) {
		assert_int_equal(np_samples_decode(f.payload, f.len, &m), NP_OK);
		assert_int_equal(m.period_ticks, 40);
		for (int i = 0; i < m.count; i++, got++) {
			assert_int_equal(m.s[i].x, expect_from + got);
			assert_int_equal(m.s[i].y, 2 * (expect_from + got));
		}
		if (seq_io)
			*seq_io = f.seq;
		(*frames)++;
	}
	return got;
}

static void test_batches_about_once_per_second(void **state)
{
	(void)state;
	uint32_t frames = 0;
	run_samples(0, 250); /* 10 s */
	int got = check_samples(0, NULL, &frames);
	assert_true(got >= 225 && got <= 250);
	assert_true(frames >= 9 && frames <= 11);
	/* The tail leaves within a second even if no new sample arrives. */
	fb.now_ms += 1000;
	fw_app_poll(&app);
	got += check_samples(got, NULL, &frames);
	assert_int_equal(got, 250);
	assert_int_equal(fb.tx_pos, fb.tx_len);
	assert_int_equal(fb.dec.stats.frames_missed, 0);
	assert_int_equal(fb.dec.stats.crc_errors, 0);
}

static void test_status_every_few_seconds(void **state)
{
	(void)state;
	struct np_frame f;
	unsigned n = 0;
	for (int i = 0; i < 300; i++) {
		fb.now_ms += 100;
		fw_app_poll(&app);
	}
	while (next_of_type(&fb, NP_MSG_STATUS, &f))
		n++;
	assert_int_equal(n, 6); /* 30 s at one per 5 s */
}

static void test_slow_link_keeps_oldest_and_counts(void **state)
{
	(void)state;
	uint32_t frames = 0;
	run_samples(0, 50);
	fb.link_busy = true;
	run_samples(50, 400); /* 16 s with no link: the ring holds 256 */
	fb.link_busy = false;
	fb.now_ms += 1000;
	fw_app_poll(&app);
	fb.now_ms += 1000;
	fw_app_poll(&app);

	int got = check_samples(0, NULL, &frames);
	/* What arrives is the oldest data, with no hole up to the ring's size. */
	assert_true(got >= 50 + (int)FW_SAMPLER_RING_LEN - 25);
	assert_true(got <= 50 + (int)FW_SAMPLER_RING_LEN);
	assert_int_equal(app.sampler[0].samples_dropped, (uint32_t)(450 - got));

	struct np_status st;
	fw_app_status(&app, fb.now_ms, &st);
	assert_int_equal(st.samples_dropped, (uint32_t)(450 - got));
}

static void test_stop_flushes_then_silence(void **state)
{
	(void)state;
	uint32_t frames = 0;
	run_samples(0, 30);
	fake_board_host_command(&fb, NP_CMD_STOP, 0, 0, 0);
	fw_app_poll(&app);
	int got = check_samples(0, NULL, &frames);
	assert_int_equal(got, 30);
	run_samples(100, 30); /* sensor is off: nothing is read */
	fb.now_ms += 2000;
	fw_app_poll(&app);
	assert_int_equal(check_samples(0, NULL, &frames), 0);
}

/* Worst case for COBS: full 100-sample frames without a single zero byte. */
static void test_full_frames_without_zero_bytes(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_samples m;
	int got = 0;

	fake_board_host_command(&fb, NP_CMD_SET_RATE, 0, 100, 0);
	fw_app_poll(&app);
	for (int i = 0; i < 300; i++) {
		struct np_sample v = { (int16_t)(0x0101 + i), (int16_t)-(0x0101 + i), 0x0303 };
		fake_board_add_samples(&fb, &v, 1);
		fb.now_ms += 10;
		fw_app_poll(&app);
	}
	while (next_of_type(&fb, NP_MSG_SAMPLES, &f)) {
		assert_int_equal(np_samples_decode(f.payload, f.len, &m), NP_OK);
		for (int i = 0; i < m.count; i++, got++)
			assert_int_equal(m.s[i].x, 0x0101 + got);
	}
	assert_int_equal(got, 300);
	assert_int_equal(app.sampler[0].samples_dropped, 0);
	assert_int_equal(app.stream.frames_lost, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_batches_about_once_per_second, setup),
		cmocka_unit_test_setup(test_status_every_few_seconds, setup),
		cmocka_unit_test_setup(test_slow_link_keeps_oldest_and_counts, setup),
		cmocka_unit_test_setup(test_stop_flushes_then_silence, setup),
		cmocka_unit_test_setup(test_full_frames_without_zero_bytes, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
