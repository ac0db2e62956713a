/* host/lib/analysis/np_night_sleep.c: GGIR's sleep steps on hand-made nights. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "night_fixture.h"
#include "np_err.h"
#include "np_night_sleep.h"

#define H 3600.0
/* 2026-01-05 21:00 UTC */
#define T21 1767646800.0

static void run(const struct np_night *n, enum np_sleep_guider g, struct np_night_sleep *s)
{
	struct np_night_sleep_cfg cfg;
	np_night_sleep_cfg_default(&cfg);
	cfg.guider = g;
	assert_int_equal(np_night_sleep_compute(n, &cfg, s), NP_OK);
}

static void assert_near_h(double s, double want_h, double tol_min)
{
	if (fabs(s - want_h * H) > tol_min * 60.0)
		fail_msg("%.1f min from the start, expected %.1f +- %.1f", s / 60.0, want_h * 60.0,
			 tol_min);
}

/* An evening in a chair: HDCZA (GGIR) counts it as the start of the sleep period,
 * the lying guider starts when the trunk lies down and sleeps when it is still. */
static void test_chair_evening_hdcza_starts_early_lying_does_not(void **state)
{
	(void)state;
	struct np_night n;
	struct np_night_sleep hd, ly;
	nf_evening_night(&n, 10, T21, 0);
	run(&n, NP_SLEEP_GUIDER_HDCZA, &hd);
	run(&n, NP_SLEEP_GUIDER_LYING, &ly);
	assert_int_equal(hd.n_nights, 1);
	assert_int_equal(ly.n_nights, 1);
	const struct np_sleep_night_result *a = &hd.nights[0], *b = &ly.nights[0];
	assert_true(a->found && b->found);
	assert_true(a->onset_s < 1.5 * H);        /* asleep in the chair, for GGIR */
	assert_near_h(b->onset_s, 2 + 1 / 3.0, 5);  /* 23:20: lying and still */
	assert_near_h(b->lights_off_s, 2, 1);      /* lay down at 23:00 */
	assert_near_h(b->lights_on_s, 9.5, 1);     /* got up at 06:30 */
	assert_near_h(b->wake_s, 9, 5);
	assert_true(fabs(b->sol_min - 20) < 5);
	assert_true(fabs(b->time_in_bed_min - 450) < 2);
	assert_true(b->efficiency > 0.8 && b->efficiency < 0.92);
	assert_true(b->tst_min > 390 && b->tst_min <= 405);
	/* Prone 40 min, all asleep; lying awake on the back 20 min before sleep. */
	assert_true(fabs(b->asleep_s[NP_POS_PRONE] - 2400) < 120);
	assert_true(b->awake_in_bed_s[NP_POS_PRONE] < 1);
	assert_true(fabs(b->awake_in_bed_s[NP_POS_SUPINE] - 1200) < 120);
	assert_int_equal(b->awakenings, 0);
	assert_true(b->truth.present);
	assert_true(b->truth.agreed > 0.97 * b->truth.epochs);
	assert_true(fabs(b->truth.onset_err_min) < 5 && fabs(b->truth.wake_err_min) < 5);
	/* The chair is not asleep with the lying guider: nothing asleep before 23:00. */
	for (size_t i = 0; i < (size_t)(2 * H / 5); i++)
		assert_int_equal(ly.asleep[i], 0);
	assert_true(a->truth.agreed < b->truth.agreed);
	np_night_sleep_free(&hd);
	np_night_sleep_free(&ly);
	np_night_free(&n);
}

/* A sensor on the nightstand is not a sleeper lying very still. */
static void test_nonwear_is_excluded(void **state)
{
	(void)state;
	struct np_night n;
	nf_evening_night(&n, 10, T21, 1.75);
	for (int g = 0; g < 2; g++) {
		struct np_night_sleep s;
		run(&n, (enum np_sleep_guider)g, &s);
		assert_true(s.nonwear_min >= 75 && s.nonwear_min <= 120);
		assert_true(s.n_nonwear_spans >= 1 && s.nonwear_spans[0].start_s < 0.5 * H);
		assert_int_equal(s.worn[(size_t)(1 * H / 5)], 0);
		assert_int_equal(s.worn[(size_t)(5 * H / 5)], 1);
		/* (GGIR's bout takes in the epoch of the change that starts it.) */
		for (size_t i = 0; i + 1 < (size_t)(1.75 * H / 5); i++)
			assert_int_equal(s.asleep[i], 0);
		assert_int_equal(s.n_nights, 1);
		assert_true(s.nights[0].found);
		assert_true(s.nights[0].onset_s >= 1.75 * H - 5);
		assert_true(s.nights[0].nonwear_min >= 75);
		np_night_sleep_free(&s);
	}
	np_night_free(&n);
}

static void add_day(struct np_night *n, double t0_h, double rate)
{
	nf_walk(n, t0_h * H, (t0_h + 2) * H, rate);
	nf_add_breathing(n, (t0_h + 2) * H, (t0_h + 5) * H, rate, nf_posture(0, 5), 0.004f, 0.008f, 12);
	nf_add_breathing(n, (t0_h + 5) * H, (t0_h + 9) * H, rate, nf_posture(90, 5), 0.004f, 0.008f,
			 12);
}

/* Two nights in one file: one sleep period per noon-to-noon window. */
static void test_two_nights_give_two_sleep_periods(void **state)
{
	(void)state;
	struct np_night n;
	struct np_night_sleep s;
	nf_init(&n, 1, 10, T21);
	add_day(&n, 0, 10);
	nf_walk(&n, 9 * H, 24 * H, 10);
	add_day(&n, 24, 10);
	nf_walk(&n, 33 * H, 34 * H, 10);
	nf_finish(&n, 10);
	run(&n, NP_SLEEP_GUIDER_HDCZA, &s);
	assert_int_equal(s.n_nights, 2);
	assert_true(s.nights[0].found && s.nights[1].found);
	assert_int_equal(s.nights[0].number + 1, s.nights[1].number);
	assert_near_h(s.nights[0].onset_s, 2, 5);
	assert_near_h(s.nights[0].wake_s, 9, 5);
	assert_near_h(s.nights[1].onset_s, 26, 5);
	assert_near_h(s.nights[1].wake_s, 33, 5);
	/* Noon to noon: the first window ends at 12:00 the next day, 15 h in. */
	assert_near_h(s.nights[0].window_end_s, 15, 1);
	assert_true(np_night_sleep_main(&s) != NULL);
	np_night_sleep_free(&s);
	np_night_free(&n);
}

/* A link lost for 20 min in the middle of the night: no data is never asleep, and
 * the sleep period runs on across it. */
static void test_gap_is_not_sleep_and_is_bridged(void **state)
{
	(void)state;
	struct np_night n;
	struct np_night_sleep s;
	nf_init(&n, 1, 10, T21);
	nf_walk(&n, 0, 1 * H, 10);
	nf_add_breathing(&n, 1 * H, 4 * H, 10, nf_posture(0, 5), 0.004f, 0.006f, 15);
	nf_add_breathing(&n, 4 * H + 1200, 7 * H, 10, nf_posture(90, 5), 0.004f, 0.006f, 15);
	nf_walk(&n, 7 * H, 7.5 * H, 10);
	nf_finish(&n, 10);
	run(&n, NP_SLEEP_GUIDER_LYING, &s);
	assert_int_equal(s.n_nights, 1);
	assert_near_h(s.nights[0].onset_s, 1, 5);
	assert_near_h(s.nights[0].wake_s, 7, 5);
	size_t mid = (size_t)((4 * H + 600) / 5);
	assert_int_equal(s.worn[mid], 0);
	assert_int_equal(s.asleep[mid], 0);
	assert_int_equal(s.spt[mid], 1);
	assert_int_equal(s.nights[0].awakenings, 1); /* the 20 min without data */
	np_night_sleep_free(&s);
	np_night_free(&n);
}

/* A night too short for GGIR's median is no error: no sleep, no nights. */
static void test_short_recording_has_no_sleep(void **state)
{
	(void)state;
	struct np_night n;
	struct np_night_sleep s;
	nf_init(&n, 1, 10, T21);
	nf_add(&n, 0, 0, 60, 10, nf_posture(0, 5), 0.004f);
	nf_finish(&n, 10);
	run(&n, NP_SLEEP_GUIDER_HDCZA, &s);
	assert_true(s.rate_hz == 0);
	assert_int_equal(s.n_nights, 0);
	assert_null(np_night_sleep_main(&s));
	np_night_sleep_free(&s);
	np_night_free(&n);
}

static void test_guider_names(void **state)
{
	(void)state;
	enum np_sleep_guider g;
	assert_int_equal(np_sleep_guider_parse("lying", &g), NP_OK);
	assert_int_equal(g, NP_SLEEP_GUIDER_LYING);
	assert_int_equal(np_sleep_guider_parse("hdcza", &g), NP_OK);
	assert_int_equal(g, NP_SLEEP_GUIDER_HDCZA);
	assert_int_equal(np_sleep_guider_parse("L5", &g), NP_ERR_ARG);
	assert_string_equal(np_sleep_guider_name(NP_SLEEP_GUIDER_LYING), "lying");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chair_evening_hdcza_starts_early_lying_does_not),
		cmocka_unit_test(test_nonwear_is_excluded),
		cmocka_unit_test(test_two_nights_give_two_sleep_periods),
		cmocka_unit_test(test_gap_is_not_sleep_and_is_bridged),
		cmocka_unit_test(test_short_recording_has_no_sleep),
		cmocka_unit_test(test_guider_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
