/* Breathing rate: synthetic chest signals with known rates, movement and gaps. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "np_breathing.h"
#include "np_episodes.h"
#include "np_err.h"
#include "np_synth_chest.h"

static const struct synth_part supine = {
	.dur_s = 600, .gz = 1.0f, .bpm = 15, .amp_g = 0.006, .bx = 0.3f, .bz = 1.0f,
};

static struct np_breathing_est estimate_all(const struct np_series *s, double t0, double t1)
{
	struct np_breathing_cfg cfg;
	np_breathing_cfg_default(&cfg);
	struct np_time_range r = {t0, t1};
	struct np_breathing_est est;
	assert_int_equal(np_breathing_estimate(s, &r, 1, &cfg, &est), NP_OK);
	return est;
}

/* Rates across the whole respiratory band, several noise seeds, 1 mg quantisation. */
static void test_known_rates(void **state)
{
	(void)state;
	static const double rates[] = {8, 10.5, 12, 15, 18.3, 22, 26, 32, 40};
	double worst = 0;
	for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct synth_part p = supine;
			p.bpm = rates[i];
			struct np_series s;
			assert_int_equal(synth_chest(&s, &p, 1, 25.0, 0.003, 0.001, seed), 0);
			struct np_breathing_est est = estimate_all(&s, 0, p.dur_s);
			assert_int_equal(est.status, NP_BREATH_OK);
			double err = fabs(est.rate_bpm - rates[i]);
			if (err > worst)
				worst = err;
			assert_true(err < 0.5);
			assert_true(est.quality > 0.5);
			assert_true(est.snr_db > 10);
			free(s.v);
		}
	}
	print_message("worst breathing rate error: %.3f breaths/min\n", worst);
}

/* Side lying, breathing mostly along y, coarse LIS3DH-like 4 mg steps at 10 Hz. */
static void test_side_lying_coarse_sensor(void **state)
{
	(void)state;
	struct synth_part p = {.dur_s = 900, .gy = -1.0f, .bpm = 13.5, .amp_g = 0.008, .by = 1.0f,
			       .bx = 0.2f};
	struct np_series s;
	assert_int_equal(synth_chest(&s, &p, 1, 10.0, 0.004, 0.004, 7), 0);
	struct np_breathing_est est = estimate_all(&s, 0, p.dur_s);
	assert_int_equal(est.status, NP_BREATH_OK);
	assert_true(fabs(est.rate_bpm - 13.5) < 0.5);
	/* The direction found is the one the breathing was put on. */
	assert_true(fabsf(est.axis[1]) > 0.9f);
	free(s.v);
}

/* Movement bursts every 2 minutes are rejected; the rate comes from the still parts. */
static void test_movement_rejected(void **state)
{
	(void)state;
	struct synth_part p = supine;
	p.dur_s = 1800;
	p.bpm = 11;
	p.move_every_s = 240;
	struct np_series s;
	assert_int_equal(synth_chest(&s, &p, 1, 25.0, 0.003, 0.001, 3), 0);

	struct np_breathing_est est = estimate_all(&s, 0, p.dur_s);
	assert_int_equal(est.status, NP_BREATH_OK);
	assert_true(fabs(est.rate_bpm - 11) < 0.5);
	/* Each 6 s burst costs its block and both neighbours. */
	assert_true(est.moving_s >= 7 * 20.0);
	assert_true(est.still_s < 1800 - 7 * 20.0);

	/* Without rejection the bursts (0.3-0.7 Hz swings) dominate the spectrum. */
	struct np_breathing_cfg loose;
	np_breathing_cfg_default(&loose);
	loose.movement_g = 10;
	struct np_time_range r = {0, p.dur_s};
	struct np_breathing_est bad;
	assert_int_equal(np_breathing_estimate(&s, &r, 1, &loose, &bad), NP_OK);
	assert_false(bad.status == NP_BREATH_OK && fabs(bad.rate_bpm - 11) < 0.5);
	free(s.v);
}

/* Restless: a burst every 30 s leaves no still minute: no number, a reason instead. */
static void test_restless_gives_no_number(void **state)
{
	(void)state;
	struct synth_part p = supine;
	p.move_every_s = 30;
	struct np_series s;
	assert_int_equal(synth_chest(&s, &p, 1, 25.0, 0.003, 0.001, 4), 0);
	struct np_breathing_est est = estimate_all(&s, 0, p.dur_s);
	assert_int_equal(est.status, NP_BREATH_NOT_ENOUGH_STILL);
	assert_true(est.rate_bpm == 0);
	free(s.v);
}

/* Still, but only sensor noise: no peak, so no rate. */
static void test_noise_only_is_low_quality(void **state)
{
	(void)state;
	struct synth_part p = supine;
	p.bpm = 0;
	p.amp_g = 0;
	struct np_series s;
	assert_int_equal(synth_chest(&s, &p, 1, 25.0, 0.003, 0.001, 5), 0);
	struct np_breathing_est est = estimate_all(&s, 0, p.dur_s);
	assert_int_equal(est.status, NP_BREATH_LOW_QUALITY);
	assert_true(est.quality < 0.35);
	free(s.v);
}

/* A gap (link lost) is not still data. */
static void test_gap_is_not_data(void **state)
{
	(void)state;
	struct synth_part parts[2] = {supine, supine};
	parts[0].dur_s = 60;
	parts[1].gap = 1;
	struct np_series s;
	assert_int_equal(synth_chest(&s, parts, 2, 25.0, 0.003, 0.001, 6), 0);
	struct np_breathing_est est = estimate_all(&s, 0, 660);
	assert_int_equal(est.status, NP_BREATH_NOT_ENOUGH_STILL);
	assert_true(est.moving_s > 590);
	free(s.v);
}

/* Two episodes with different rates: per-episode estimates and 5-minute windows see it. */
static void test_rate_change_between_episodes(void **state)
{
	(void)state;
	struct synth_part parts[3] = {supine, supine, supine};
	parts[0].dur_s = 1200;
	parts[0].bpm = 12;
	parts[1].dur_s = 20; /* turning over */
	parts[1].move_every_s = 1;
	parts[2].dur_s = 1500;
	parts[2].gz = 0;
	parts[2].gy = 1.0f;
	parts[2].by = 1.0f;
	parts[2].bpm = 17;
	struct np_series s;
	assert_int_equal(synth_chest(&s, parts, 3, 25.0, 0.003, 0.001, 8), 0);

	struct np_breathing_est a = estimate_all(&s, 0, 1200), b = estimate_all(&s, 1220, 2720);
	assert_int_equal(a.status, NP_BREATH_OK);
	assert_int_equal(b.status, NP_BREATH_OK);
	assert_true(fabs(a.rate_bpm - 12) < 0.5);
	assert_true(fabs(b.rate_bpm - 17) < 0.5);

	struct np_breathing_cfg cfg;
	np_breathing_cfg_default(&cfg);
	size_t want = np_breathing_window_count(0, 2720, &cfg);
	assert_int_equal(want, 9); /* 2720 s = 9 windows, the last 320 s long */
	struct np_breathing_est w[9];
	size_t n;
	assert_int_equal(np_breathing_windows(&s, 0, 2720, &cfg, w, 3, &n), NP_ERR_NOSPACE);
	assert_int_equal(np_breathing_windows(&s, 0, 2720, &cfg, w, 9, &n), NP_OK);
	assert_int_equal(n, 9);
	assert_true(w[8].end_s == 2720);
	for (size_t i = 0; i < n; i++) {
		if (w[i].end_s <= 1200) {
			assert_int_equal(w[i].status, NP_BREATH_OK);
			assert_true(fabs(w[i].rate_bpm - 12) < 0.5);
		} else if (w[i].start_s >= 1220) {
			assert_int_equal(w[i].status, NP_BREATH_OK);
			assert_true(fabs(w[i].rate_bpm - 17) < 0.5);
		}
	}

	/* Both episodes together: one position, two rates, one of them wins, no mix-up. */
	struct np_time_range both[2] = {{0, 1200}, {1220, 2720}};
	struct np_breathing_est ab;
	assert_int_equal(np_breathing_estimate(&s, both, 2, &cfg, &ab), NP_OK);
	assert_true(ab.segments == a.segments + b.segments);
	free(s.v);
}

/* The true rate in the NOTE that starts with the LABEL lab, or -1. */
static double note_rate(const struct np_night *night, const struct np_night_annotation *lab)
{
	double truth = -1;
	for (size_t j = 0; j < night->n_ann; j++) {
		const struct np_night_annotation *a = &night->ann[j];
		if (a->kind == NP_ANN_NOTE && a->start_s == lab->start_s &&
		    sscanf(a->text, "breathing_per_min=%lf", &truth) == 1)
			return truth;
	}
	return -1;
}

/* Per position: the duration-weighted mean of the true episode rates, within 0.5. */
static void check_by_position(const struct np_night *night, const struct np_breathing_cfg *cfg)
{
	struct np_episode *eps = calloc(night->n_ann + 1, sizeof *eps);
	assert_non_null(eps);
	size_t n = 0;
	double wsum[NP_POS_COUNT] = {0}, rsum[NP_POS_COUNT] = {0};
	for (size_t i = 0; i < night->n_ann; i++) {
		const struct np_night_annotation *lab = &night->ann[i];
		if (lab->kind != NP_ANN_LABEL)
			continue;
		eps[n++] = (struct np_episode){lab->start_s, lab->end_s, lab->position};
		double d = lab->end_s - lab->start_s, truth = note_rate(night, lab);
		if (truth > 0) {
			wsum[lab->position] += d;
			rsum[lab->position] += d * truth;
		}
	}
	struct np_breathing_est pos[NP_POS_COUNT];
	struct np_breathing_est *per = calloc(n + 1, sizeof *per);
	assert_non_null(per);
	assert_int_equal(np_breathing_by_position(&night->sensor[0], eps, n, cfg, pos, per), NP_OK);
	/* Each lying episode's own estimate is the one the position's figure was made of. */
	for (size_t i = 0; i < n; i++) {
		if (eps[i].position == NP_POS_UPRIGHT || eps[i].position == NP_POS_UNKNOWN) {
			assert_int_equal(per[i].segments, 0);
			continue;
		}
		if (per[i].status == NP_BREATH_OK)
			assert_true(per[i].rate_bpm >= pos[eps[i].position].rate_lo_bpm &&
				    per[i].rate_bpm <= pos[eps[i].position].rate_hi_bpm);
	}
	free(per);
	for (int p = NP_POS_SUPINE; p <= NP_POS_RIGHT; p++) {
		if (wsum[p] < 1200)
			continue;
		assert_int_equal(pos[p].status, NP_BREATH_OK);
		double want = rsum[p] / wsum[p];
		if (fabs(pos[p].rate_bpm - want) >= 0.5)
			fail_msg("%s: %.2f breaths/min, weighted truth %.2f", np_position_name(p),
				 pos[p].rate_bpm, want);
		assert_true(pos[p].rate_lo_bpm <= pos[p].rate_bpm && pos[p].rate_bpm <= pos[p].rate_hi_bpm);
	}
	assert_int_equal(pos[NP_POS_UPRIGHT].status, NP_BREATH_NOT_ENOUGH_STILL);
	free(eps);
}

/*
 * Simulated nights (nightpose simulate) carry the true breathing rate of each episode
 * in a NOTE "breathing_per_min=R ..." spanning the episode's LABEL. Each lying
 * episode of 10 minutes or more must come out within 0.5 breaths/min, or say it
 * lacks still data; most must give a number.
 */
static void test_simulated_nights(void **state)
{
	(void)state;
	struct np_breathing_cfg cfg;
	np_breathing_cfg_default(&cfg);
	unsigned rated = 0, total = 0, rate_changes = 0;
	double worst = 0;
	for (int seed = 1; seed <= 3; seed++) {
		char path[512], cmd[1024];
		snprintf(path, sizeof path, NP_BINARY_DIR "/test_np_breathing_sim%d.npr", seed);
		snprintf(cmd, sizeof cmd, "'%s' simulate -o '%s' --hours 6 --seed %d", NP_CLI, path,
			 seed);
		assert_int_equal(system(cmd), 0);
		struct np_night night;
		assert_int_equal(np_night_load(path, &night), NP_OK);
		double prev_rate = 0;
		for (size_t i = 0; i < night.n_ann; i++) {
			const struct np_night_annotation *lab = &night.ann[i];
			if (lab->kind != NP_ANN_LABEL || lab->position == NP_POS_UPRIGHT ||
			    lab->end_s - lab->start_s < 600)
				continue;
			double truth = -1;
			for (size_t j = 0; j < night.n_ann; j++) {
				const struct np_night_annotation *a = &night.ann[j];
				if (a->kind == NP_ANN_NOTE && a->start_s == lab->start_s &&
				    sscanf(a->text, "breathing_per_min=%lf", &truth) == 1)
					break;
			}
			assert_true(truth > 0);
			/* Leave out the turn at either end of the episode. */
			struct np_time_range r = {lab->start_s + 30, lab->end_s - 30};
			struct np_breathing_est est;
			assert_int_equal(np_breathing_estimate(&night.sensor[0], &r, 1, &cfg, &est),
					 NP_OK);
			total++;
			if (est.status != NP_BREATH_OK)
				continue;
			rated++;
			double err = fabs(est.rate_bpm - truth);
			if (err > worst)
				worst = err;
			if (err >= 0.5)
				fail_msg("seed %d episode at %.0f s: %.2f breaths/min, truth %.1f", seed,
					 lab->start_s, est.rate_bpm, truth);
			if (prev_rate > 0 && fabs(truth - prev_rate) >= 1.0)
				rate_changes++;
			prev_rate = truth;
		}
		check_by_position(&night, &cfg);
		np_night_free(&night);
		remove(path);
	}
	print_message("simulated nights: %u of %u lying episodes rated, worst error %.3f "
		      "breaths/min, %u rate changes followed\n",
		      rated, total, worst, rate_changes);
	assert_true(rated * 10 >= total * 8);
	assert_true(rate_changes >= 3);
}

static void test_bad_args(void **state)
{
	(void)state;
	struct np_breathing_cfg cfg;
	np_breathing_cfg_default(&cfg);
	struct np_breathing_est est;
	struct np_series empty = {0};
	assert_int_equal(np_breathing_estimate(NULL, NULL, 0, &cfg, &est), NP_ERR_ARG);
	assert_int_equal(np_breathing_estimate(&empty, NULL, 1, &cfg, &est), NP_ERR_ARG);
	struct np_time_range r = {0, 600};
	assert_int_equal(np_breathing_estimate(&empty, &r, 1, &cfg, &est), NP_OK);
	assert_int_equal(est.status, NP_BREATH_NOT_ENOUGH_STILL);
	assert_int_equal(np_breathing_window_count(10, 10, &cfg), 0);
	assert_int_equal(np_breathing_window_count(0, 100, &cfg), 1);
	assert_string_equal(np_breathing_status_text(NP_BREATH_NOT_ENOUGH_STILL),
			    "not enough still data");
	/* Windows per episode: upright gets none, a 12-minute episode two, empty data no rate. */
	struct np_breathing_window *w = (void *)&r;
	size_t n = 9;
	assert_int_equal(np_breathing_episode_windows(NULL, NULL, 0, &cfg, &w, &n), NP_ERR_ARG);
	assert_null(w);
	assert_int_equal(n, 0);
	struct np_episode eps[2] = {{0, 100, NP_POS_UPRIGHT}, {100, 820, NP_POS_LEFT}};
	assert_int_equal(np_breathing_episode_windows(&empty, eps, 1, &cfg, &w, &n), NP_OK);
	assert_null(w);
	assert_int_equal(n, 0);
	assert_int_equal(np_breathing_episode_windows(&empty, eps, 2, &cfg, &w, &n), NP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(w[1].position, NP_POS_LEFT);
	assert_int_equal(w[1].episode, 1);
	assert_true(w[0].est.start_s == 100 && w[0].est.end_s == 400 && w[1].est.end_s == 820);
	assert_int_equal(w[1].est.status, NP_BREATH_NOT_ENOUGH_STILL);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_rates),
		cmocka_unit_test(test_side_lying_coarse_sensor),
		cmocka_unit_test(test_movement_rejected),
		cmocka_unit_test(test_restless_gives_no_number),
		cmocka_unit_test(test_noise_only_is_low_quality),
		cmocka_unit_test(test_gap_is_not_data),
		cmocka_unit_test(test_rate_change_between_episodes),
		cmocka_unit_test(test_simulated_nights),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
