/* GGIR sleep algorithms: hand-made series with known answers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_sleep.h"

#define DAY_EP 17280u

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static double rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

struct xyz {
	float *x, *y, *z;
	size_t n;
};

static struct xyz xyz_new(size_t n, float x, float y, float z)
{
	struct xyz s = { malloc(n * sizeof(float)), malloc(n * sizeof(float)),
			 malloc(n * sizeof(float)), n };
	assert_non_null(s.x);
	assert_non_null(s.y);
	assert_non_null(s.z);
	for (size_t i = 0; i < n; i++) {
		s.x[i] = x;
		s.y[i] = y;
		s.z[i] = z;
	}
	return s;
}

static void xyz_free(struct xyz *s)
{
	free(s->x);
	free(s->y);
	free(s->z);
}

static double *anglez_of(const struct xyz *s, double rate_hz, size_t *ne)
{
	size_t cap = np_sleep_epoch_count(s->n, rate_hz, NP_SLEEP_EPOCH_S);
	double *a = malloc((cap ? cap : 1) * sizeof *a);
	assert_non_null(a);
	assert_int_equal(np_sleep_anglez(s->x, s->y, s->z, s->n, rate_hz, NP_SLEEP_EPOCH_S, true, a,
					 cap, ne),
			 NP_OK);
	assert_int_equal(*ne, cap);
	return a;
}

/* Constant vectors: (0,0,1) -> 90, (1,0,0) -> 0, (1,0,1) -> 45 on every epoch. */
static void test_anglez_known_vectors(void **state)
{
	(void)state;
	static const float v[][3] = { { 0, 0, 1 }, { 1, 0, 0 }, { 1, 0, 1 }, { 0, 1, -1 } };
	static const double want[] = { 90.0, 0.0, 45.0, -45.0 };
	for (size_t k = 0; k < 4; k++) {
		struct xyz s = xyz_new(18000, v[k][0], v[k][1], v[k][2]); /* 30 min at 10 Hz */
		size_t ne;
		double *a = anglez_of(&s, 10.0, &ne);
		assert_int_equal(ne, 360);
		for (size_t i = 0; i < ne; i++)
			assert_true(a[i] == want[k]);
		free(a);
		xyz_free(&s);
	}
}

/* GGIR's rollmedian fill (0) at both ends is replaced by the nearest median, so the
 * first and last epochs read the signal, not 0; the step moves at its true place. */
static void test_anglez_rolling_median_ends(void **state)
{
	(void)state;
	struct xyz s = xyz_new(18000, 1, 0, 1);
	for (size_t i = 0; i < 100; i++)
		s.z[i] = -1; /* first 10 s point down */
	size_t ne;
	double *a = anglez_of(&s, 10.0, &ne);
	assert_true(a[0] == -45.0); /* 0-filled medians would give 0 on samples 0..24 */
	assert_true(a[1] == -45.0);
	assert_true(a[2] == 45.0);  /* median flips exactly at sample 100 (window 51) */
	assert_true(a[ne - 1] == 45.0);
	free(a);
	xyz_free(&s);
}

/* 50 and 100 Hz: GGIR keeps every 5th / 10th sample (no averaging) before the median. */
static void test_anglez_decimation(void **state)
{
	(void)state;
	static const double rates[] = { 50.0, 100.0 };
	for (size_t r = 0; r < 2; r++) {
		size_t step = (size_t)(rates[r] / 10), n = (size_t)(rates[r] * 1800);
		struct xyz s = xyz_new(n, 1, 0, -1);
		for (size_t i = 0; i < n; i += step)
			s.z[i] = 1; /* only the kept samples point up */
		size_t ne;
		double *a = anglez_of(&s, rates[r], &ne);
		assert_int_equal(ne, 360);
		for (size_t i = 0; i < ne; i++)
			assert_true(a[i] == 45.0);
		free(a);
		xyz_free(&s);
	}
	/* A chunk whose length is no multiple of the step makes GGIR's rollmed() return
	 * x[1:LX], the raw signal: 1 of 5 samples at +45, 4 at -45 -> -27. */
	struct xyz s = xyz_new(90003, 1, 0, -1);
	for (size_t i = 0; i < s.n; i += 5)
		s.z[i] = 1;
	size_t ne;
	double *a = anglez_of(&s, 50.0, &ne);
	assert_int_equal(ne, 360);
	assert_true(a[0] == -27.0);
	assert_true(a[ne - 1] == -27.0);
	free(a);
	xyz_free(&s);
}

static void test_anglez_errors(void **state)
{
	(void)state;
	struct xyz s = xyz_new(600, 0, 0, 1);
	double a[200];
	size_t ne = 7;
	/* 60 s at 10 Hz: fewer than the 1000 samples GGIR's tail repair reads. */
	assert_int_equal(np_sleep_anglez(s.x, s.y, s.z, s.n, 10.0, 5.0, true, a, 200, &ne),
			 NP_ERR_RANGE);
	assert_int_equal(ne, 0);
	assert_int_equal(np_sleep_anglez(s.x, s.y, s.z, s.n, 10.0, 5.0, true, a, 3, &ne),
			 NP_ERR_NOSPACE);
	assert_int_equal(np_sleep_anglez(NULL, s.y, s.z, s.n, 10.0, 5.0, true, a, 200, &ne),
			 NP_ERR_ARG);
	s.y[3] = NAN;
	assert_int_equal(np_sleep_anglez(s.x, s.y, s.z, s.n, 10.0, 5.0, true, a, 200, &ne),
			 NP_ERR_ARG);
	xyz_free(&s);
}

static void test_r_helpers(void **state)
{
	(void)state;
	/* Values checked with R 4.2: round(x, 4), round(2.5), quantile(1:12, 0.1). */
	assert_true(np_sleep_r_round(0.12345, 4) == 0.1235);
	assert_true(np_sleep_r_round(-1.00005, 4) == -1.0001);
	assert_true(np_sleep_r_round(12.34565, 4) == 12.3456);
	assert_true(np_sleep_r_round(2.5, 0) == 2.0);
	assert_true(np_sleep_r_round(0.5, 0) == 0.0);
	double q[12];
	for (int i = 0; i < 12; i++)
		q[i] = 12 - i;
	assert_true(np_sleep_quantile7(q, 12, 0.1) == 2.1000000000000001);
}

/* ---- non-wear ---- */

static void nonwear(const struct xyz *s, double rate_hz, uint8_t *score, size_t *nb)
{
	struct np_nonwear_cfg cfg;
	np_nonwear_cfg_default(&cfg);
	double clip[64];
	assert_int_equal(np_sleep_nonwear_2013(s->x, s->y, s->z, s->n, rate_hz, &cfg, score, clip,
					       64, nb),
			 NP_OK);
	for (size_t i = 0; i < *nb; i++)
		assert_true(clip[i] == 0.0);
}

static void test_nonwear_constant_noisy_two_of_three(void **state)
{
	(void)state;
	size_t n = 3 * 3600, nb; /* 3 h at 1 Hz: 12 blocks */
	uint8_t score[64], inv[64];
	struct xyz s = xyz_new(n, 0.1f, 0.2f, 0.97f);
	nonwear(&s, 1.0, score, &nb);
	assert_int_equal(nb, 12);
	for (size_t i = 0; i < nb; i++)
		assert_int_equal(score[i], 3);
	/* +-0.1 g uniform noise: range >= 150 mg and SD about 58 mg on every axis */
	for (size_t i = 0; i < n; i++) {
		s.x[i] = (float)(0.1 + 0.2 * (rnd() - 0.5));
		s.y[i] = (float)(0.2 + 0.2 * (rnd() - 0.5));
		s.z[i] = (float)(0.97 + 0.2 * (rnd() - 0.5));
	}
	nonwear(&s, 1.0, score, &nb);
	for (size_t i = 0; i < nb; i++)
		assert_int_equal(score[i], 0);
	/* x and y still, z noisy: 2 of 3 axes -> non-wear; only x still -> worn. */
	for (size_t i = 0; i < n; i++) {
		s.x[i] = 0.1f;
		s.y[i] = 0.2f;
	}
	nonwear(&s, 1.0, score, &nb);
	assert_int_equal(np_sleep_invalid_blocks(score, NULL, nb, 2, inv), NP_OK);
	for (size_t i = 0; i < nb; i++) {
		assert_int_equal(score[i], 2);
		assert_int_equal(inv[i], 1);
	}
	for (size_t i = 0; i < n; i++)
		s.y[i] = (float)(0.2 + 0.2 * (rnd() - 0.5));
	nonwear(&s, 1.0, score, &nb);
	assert_int_equal(np_sleep_invalid_blocks(score, NULL, nb, 2, inv), NP_OK);
	for (size_t i = 0; i < nb; i++) {
		assert_int_equal(score[i], 1);
		assert_int_equal(inv[i], 0);
	}
	xyz_free(&s);
}

/* GGIR "2013" windows: blocks 1-3 read samples 2..3600 (1-based), the last four the
 * last 45 min, the others 60 min centred on the block. A jolt at sample 8000 (in block
 * 9) is seen only by block 8's window. A jolt at sample 1 is never seen. */
static void test_nonwear_window_mapping(void **state)
{
	(void)state;
	size_t nb;
	uint8_t score[64], blocks_ep[64];
	struct xyz s = xyz_new(3 * 3600, 0.0f, 0.0f, 1.0f);
	s.x[0] = s.y[0] = s.z[0] = 2.0f;
	s.x[8000] = s.y[8000] = s.z[8000] = 2.0f;
	nonwear(&s, 1.0, score, &nb);
	static const uint8_t want[12] = { 3, 3, 3, 3, 3, 3, 3, 0, 3, 3, 3, 3 };
	assert_memory_equal(score, want, 12);
	/* Blocks to 5-s epochs: 180 per block, padded with 0. */
	uint8_t flag[2] = { 1, 0 };
	assert_int_equal(np_sleep_blocks_to_epochs(flag, 2, 900, 5, blocks_ep, 64), NP_OK);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(blocks_ep[i], 1);
	uint8_t *ep = malloc(400);
	assert_non_null(ep);
	assert_int_equal(np_sleep_blocks_to_epochs(flag, 2, 900, 5, ep, 400), NP_OK);
	assert_int_equal(ep[179], 1);
	assert_int_equal(ep[180], 0);
	assert_int_equal(ep[399], 0);
	free(ep);
	xyz_free(&s);
}

/* ---- SIB ---- */

/* Alternating 0/10 deg (a change every epoch) with a constant 20 deg stretch of len epochs at 100. */
static void sib_series(double *a, size_t n, size_t len)
{
	for (size_t i = 0; i < n; i++)
		a[i] = (double)(i % 2) * 10.0;
	for (size_t i = 100; i < 100 + len; i++)
		a[i] = 20.0;
}

static size_t count(const uint8_t *v, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += v[i] != 0;
	return c;
}

static void test_sib_bout_length(void **state)
{
	(void)state;
	double a[400];
	uint8_t sib[400];
	/* Changes at 99 and 99 + len: a SIB needs more than 60 epochs (5 min) between them. */
	sib_series(a, 400, 59); /* 4:55 still */
	assert_int_equal(np_sleep_sib(a, 400, 5, 5, 5, sib), NP_OK);
	assert_int_equal(count(sib, 400), 0);
	sib_series(a, 400, 60); /* exactly 5:00 still: not > 5 min */
	assert_int_equal(np_sleep_sib(a, 400, 5, 5, 5, sib), NP_OK);
	assert_int_equal(count(sib, 400), 0);
	sib_series(a, 400, 61); /* 5:05 */
	assert_int_equal(np_sleep_sib(a, 400, 5, 5, 5, sib), NP_OK);
	assert_int_equal(count(sib, 400), 62); /* sdl1[postch[q]:postch[q + 1]]: 99..160 */
	assert_int_equal(sib[98], 0);
	assert_int_equal(sib[99], 1);
	assert_int_equal(sib[160], 1);
	assert_int_equal(sib[161], 0);
}

static void test_sib_no_bout(void **state)
{
	(void)state;
	double a[400];
	uint8_t sib[400];
	/* Fewer than 10 changes and no bout: "possibly a day without wearing", all 1.
	 * Changes at 9, 10, 19, 20 (spikes) and 24, 25 (NaN reads as 0: fix_NA_invector). */
	for (size_t i = 0; i < 400; i++)
		a[i] = i == 10 || i == 20 ? 20.0 : 8.0;
	a[25] = NAN;
	assert_int_equal(np_sleep_sib(a, 400, 5, 5, 5, sib), NP_OK);
	assert_int_equal(count(sib, 400), 400);
	/* Changes all the time: all 0. */
	sib_series(a, 400, 0);
	assert_int_equal(np_sleep_sib(a, 400, 5, 5, 5, sib), NP_OK);
	assert_int_equal(count(sib, 400), 0);
}

/* ---- SPT ---- */

static struct np_spt spt_of(const uint8_t *nomov, size_t n)
{
	struct np_spt_cfg cfg;
	np_spt_cfg_default(&cfg);
	struct np_spt spt;
	assert_int_equal(np_sleep_spt_from_nomov(nomov, n, NULL, &cfg, &spt), NP_OK);
	return spt;
}

static void set_run(uint8_t *v, size_t from, size_t len)
{
	memset(v + from, 1, len);
}

static void test_spt_block_length(void **state)
{
	(void)state;
	uint8_t *v = calloc(DAY_EP, 1);
	assert_non_null(v);
	set_run(v, 5000, 360); /* exactly 30 min: dropped (must be longer) */
	struct np_spt s = spt_of(v, DAY_EP);
	assert_false(s.found);
	set_run(v, 5000, 361); /* 30 min 5 s */
	s = spt_of(v, DAY_EP);
	assert_true(s.found);
	assert_int_equal(s.start, 5000);
	assert_int_equal(s.end, 5362); /* inspttime[s2:e2] marks one epoch past the block */
	free(v);
}

/* A 40-min block at 2000, then gap_ep epochs of movement, then a block of len2. */
static struct np_spt two_blocks(uint8_t *v, size_t gap_ep, size_t len2)
{
	memset(v, 0, DAY_EP);
	set_run(v, 2000, 480);
	set_run(v, 2480 + gap_ep, len2);
	struct np_spt s = spt_of(v, DAY_EP);
	assert_true(s.found);
	return s;
}

static void test_spt_gaps(void **state)
{
	(void)state;
	uint8_t *v = calloc(DAY_EP, 1);
	assert_non_null(v);
	/* Gap of 59 min between two 40-min blocks: filled. */
	struct np_spt s = two_blocks(v, 708, 480);
	assert_int_equal(s.start, 2000);
	assert_int_equal(s.end, 2480 + 708 + 480 + 1);
	/* Exactly 60 min of movement: still filled, the first block's extra epoch makes
	 * the gap GGIR measures 59:55 (< 60 min). */
	s = two_blocks(v, 720, 480);
	assert_int_equal(s.start, 2000);
	assert_int_equal(s.end, 2480 + 720 + 480 + 1);
	/* 61 min: not filled; the longer second block wins. */
	s = two_blocks(v, 732, 500);
	assert_int_equal(s.start, 2480 + 732);
	assert_int_equal(s.end, 2480 + 732 + 501);
	/* Three equal blocks 2 h apart: the middle one (longestinspt[ceiling(3 / 2)]). */
	memset(v, 0, DAY_EP);
	for (size_t k = 0; k < 3; k++)
		set_run(v, 1000 + k * 2000, 400);
	s = spt_of(v, DAY_EP);
	assert_int_equal(s.start, 3000);
	assert_int_equal(s.end, 3401);
	/* A block from epoch 0: SPTE_start 0 becomes 1; a block to the end has no extra epoch. */
	memset(v, 0, DAY_EP);
	set_run(v, 0, 1000);
	set_run(v, DAY_EP - 3000, 3000);
	s = spt_of(v, DAY_EP);
	assert_int_equal(s.start, DAY_EP - 3000);
	assert_int_equal(s.end, DAY_EP);
	memset(v, 0, DAY_EP);
	set_run(v, 0, 1000);
	s = spt_of(v, DAY_EP);
	assert_int_equal(s.start, 1);
	assert_int_equal(s.end, 1001);
	free(v);
}

static void test_hdcza_threshold_clamps(void **state)
{
	(void)state;
	double *a = malloc(DAY_EP * sizeof *a), *x = malloc(DAY_EP * sizeof *x);
	assert_non_null(a);
	assert_non_null(x);
	struct np_spt_cfg cfg;
	np_spt_cfg_default(&cfg);
	struct np_spt s;
	/* Perfectly still: 10th percentile 0 -> threshold clamped up to 0.13, one block. */
	for (size_t i = 0; i < DAY_EP; i++)
		a[i] = 12.5;
	assert_int_equal(np_sleep_hdcza(a, DAY_EP, NULL, &cfg, &s, x), NP_OK);
	assert_true(s.threshold == 0.13);
	assert_true(s.found);
	assert_int_equal(s.start, 1);
	assert_int_equal(s.end, DAY_EP);
	/* Moving all day (+-90 deg each epoch): clamped down to 0.50, no block -> none. */
	for (size_t i = 0; i < DAY_EP; i++)
		a[i] = 180.0 * rnd() - 90.0;
	assert_int_equal(np_sleep_hdcza(a, DAY_EP, NULL, &cfg, &s, x), NP_OK);
	assert_true(s.threshold == 0.50);
	assert_false(s.found);
	/* |diff| always 0.02: x = 0.02 inside, 0 on the 29 + 30 fill epochs; 10% * 15 = 0.3. */
	for (size_t i = 0; i < DAY_EP; i++)
		a[i] = (double)(i % 2) * 0.02;
	assert_int_equal(np_sleep_hdcza(a, DAY_EP, NULL, &cfg, &s, x), NP_OK);
	assert_true(x[28] == 0.0);
	assert_true(fabs(x[29] - 0.02) < 1e-15);
	assert_true(fabs(x[DAY_EP - 31] - 0.02) < 1e-15);
	assert_true(x[DAY_EP - 30] == 0.0);
	assert_true(fabs(s.threshold - 0.3) < 1e-12);
	/* Every epoch invalid: no SPT whatever the angle (fraction_night_invalid < 1). */
	uint8_t *inv = malloc(DAY_EP);
	assert_non_null(inv);
	memset(inv, 1, DAY_EP);
	for (size_t i = 0; i < DAY_EP; i++)
		a[i] = 12.5;
	assert_int_equal(np_sleep_hdcza(a, DAY_EP, inv, &cfg, &s, NULL), NP_OK);
	assert_false(s.found);
	free(inv);
	free(a);
	free(x);
}

static void test_lying_guider(void **state)
{
	(void)state;
	uint8_t *lying = calloc(DAY_EP, 1);
	assert_non_null(lying);
	struct np_spt_cfg cfg;
	np_spt_cfg_default(&cfg);
	struct np_spt s;
	/* A day with no lying at all: no window. */
	assert_int_equal(np_sleep_lying_guider(lying, DAY_EP, NULL, &cfg, &s), NP_OK);
	assert_false(s.found);
	/* 7 h lying, a 20-min bathroom trip, 1 h lying: one window. */
	set_run(lying, 6000, 5040);
	set_run(lying, 6000 + 5040 + 240, 720);
	assert_int_equal(np_sleep_lying_guider(lying, DAY_EP, NULL, &cfg, &s), NP_OK);
	assert_true(s.found);
	assert_int_equal(s.start, 6000);
	assert_int_equal(s.end, 6000 + 5040 + 240 + 720 + 1);
	assert_true(s.threshold == 0.0);
	free(lying);
}

/* ---- nights ---- */

static void test_nights_noon_to_noon(void **state)
{
	(void)state;
	struct np_sleep_night nt[8];
	size_t nn;
	/* Starts 10:00, 3 days: midnights at epochs 10080, 27360, 44640; the first 04:00
	 * comes after the first midnight, so the morning before the first noon is dropped. */
	assert_int_equal(np_sleep_nights(10 * 3600, 3 * DAY_EP, 5, nt, 8, &nn), NP_OK);
	assert_int_equal(nn, 3);
	static const size_t want[3][2] = { { 1441, 18721 }, { 18721, 36001 }, { 36001, 51840 } };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(nt[i].start, want[i][0]);
		assert_int_equal(nt[i].end, want[i][1]);
		assert_int_equal(nt[i].number, i + 1);
		assert_false(nt[i].skipped);
		assert_false(nt[i].partial_first_day);
		assert_int_equal(nt[i].midnight, 10080 + i * DAY_EP);
	}
	/* Starts 02:00: a 04:00 before the first midnight adds the window up to the first noon. */
	assert_int_equal(np_sleep_nights(2 * 3600, 2 * DAY_EP, 5, nt, 8, &nn), NP_OK);
	assert_int_equal(nn, 3);
	assert_int_equal(nt[0].start, 0);
	assert_int_equal(nt[0].end, 7201);
	assert_true(nt[0].partial_first_day);
	assert_int_equal(nt[0].midnight, -1);
	assert_int_equal(nt[1].start, 7201);
	assert_int_equal(nt[1].end, 24481);
	assert_int_equal(nt[2].start, 24481);
	assert_int_equal(nt[2].end, 2 * DAY_EP);
	assert_int_equal(np_sleep_nights(2 * 3600, 2 * DAY_EP, 5, nt, 2, &nn), NP_ERR_NOSPACE);
	assert_int_equal(nn, 3);
}

static void test_night_spt_guider(void **state)
{
	(void)state;
	/* Starts 12:00:05 exactly one day before the next noon; still from 23:00 to 07:00. */
	size_t n = 2 * DAY_EP;
	long clock0 = 12 * 3600 + 5;
	double *a = malloc(n * sizeof *a);
	assert_non_null(a);
	for (size_t i = 0; i < n; i++) {
		long t = clock0 + 5 * (long)i;
		long c = t % 86400;
		bool still = t < 86400 + 7 * 3600 && (c >= 23 * 3600 || c < 7 * 3600);
		a[i] = still ? 30.0 : 180.0 * rnd() - 90.0;
	}
	struct np_sleep_night nt[4];
	size_t nn;
	assert_int_equal(np_sleep_nights(clock0, n, 5, nt, 4, &nn), NP_OK);
	assert_int_equal(nt[0].start, 0);
	assert_int_equal(nt[0].end, DAY_EP);
	assert_false(nt[0].partial_first_day);
	struct np_spt_cfg cfg;
	np_spt_cfg_default(&cfg);
	assert_int_equal(np_sleep_night_spt(a, NULL, n, clock0, &cfg, &nt[0]), NP_OK);
	assert_true(nt[0].spt.found);
	assert_false(nt[0].daysleeper);
	/* Full day: GGIR hours count from 12:00:00, the window starts at 12:00:05. */
	assert_true(nt[0].guider_onset == (double)nt[0].spt.start - 1.0);
	assert_true(nt[0].guider_wake == (double)nt[0].spt.end - 1.0);
	assert_true(fabs(nt[0].onset_h - 23.0) < 0.05);
	assert_true(fabs(nt[0].wake_h - 31.0) < 0.05);
	free(a);
}

/* ---- part 4 ---- */

static void test_classify_waso_awakenings(void **state)
{
	(void)state;
	uint8_t sib[600] = { 0 }, inv[600] = { 0 }, lying[600], asleep[600];
	memset(sib + 100, 1, 101); /* SIB 100..200 */
	memset(sib + 300, 1, 101); /* SIB 300..400 */
	memset(inv + 250, 1, 10);
	struct np_sleep_summary sm;
	assert_int_equal(np_sleep_classify(sib, inv, NULL, 600, 0, 150, 350, false, 5, asleep, &sm),
			 NP_OK);
	assert_true(sm.has_sleep);
	assert_false(sm.relied_on_guider);
	assert_true(sm.onset == 100 && sm.wake == 400);
	assert_true(sm.spt_min == 25.0);        /* 300 epochs */
	assert_true(fabs(sm.tst_min - 200.0 / 12) < 1e-12); /* (200 - 100) + (400 - 300) */
	assert_true(fabs(sm.waso_min - 100.0 / 12) < 1e-12);
	assert_int_equal(sm.n_sib_spt, 2);
	assert_int_equal(sm.n_awakenings, 1);
	assert_int_equal(sm.n_wake_bouts_5min, 1); /* 300 - 200 = 100 epochs */
	assert_true(fabs(sm.nonwear_min - 10.0 / 12) < 1e-12);
	assert_true(fabs(sm.sol_min - (-50.0 / 12)) < 1e-12);
	assert_int_equal(count(asleep, 600), 202);
	/* Trunk upright from 350: the second SIB ends at 349. */
	memset(lying, 1, 600);
	memset(lying + 350, 0, 250);
	assert_int_equal(np_sleep_classify(sib, inv, lying, 600, 0, 150, 350, false, 5, NULL, &sm),
			 NP_OK);
	assert_true(sm.wake == 349);
	/* A SIB touching the guider only at its end epoch does not overlap (strict). */
	assert_int_equal(np_sleep_classify(sib, NULL, NULL, 600, 0, 200, 300, false, 5, NULL, &sm),
			 NP_OK);
	assert_false(sm.has_sleep);
}

static void test_classify_no_sib_relies_on_guider(void **state)
{
	(void)state;
	uint8_t sib[600] = { 0 };
	memset(sib + 10, 1, 40); /* outside the guider */
	struct np_sleep_summary sm;
	assert_int_equal(np_sleep_classify(sib, NULL, NULL, 600, 1000, 1100, 1500, false, 5, NULL,
					   &sm),
			 NP_OK);
	assert_false(sm.has_sleep);
	assert_true(sm.relied_on_guider);
	assert_true(sm.onset == 1100 && sm.wake == 1500);
	assert_true(fabs(sm.tst_min - 2.0) < 1e-12); /* two artificial 1-min SIBs */
	assert_int_equal(sm.n_awakenings, 1);
	/* All SIB: no 0 -> 1 transition, so g.sib.sum finds no period at all. */
	memset(sib, 1, 600);
	assert_int_equal(np_sleep_classify(sib, NULL, NULL, 600, 1000, 1100, 1500, false, 5, NULL,
					   &sm),
			 NP_OK);
	assert_false(sm.has_sleep);
	assert_true(sm.relied_on_guider);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anglez_known_vectors),
		cmocka_unit_test(test_anglez_rolling_median_ends),
		cmocka_unit_test(test_anglez_decimation),
		cmocka_unit_test(test_anglez_errors),
		cmocka_unit_test(test_r_helpers),
		cmocka_unit_test(test_nonwear_constant_noisy_two_of_three),
		cmocka_unit_test(test_nonwear_window_mapping),
		cmocka_unit_test(test_sib_bout_length),
		cmocka_unit_test(test_sib_no_bout),
		cmocka_unit_test(test_spt_block_length),
		cmocka_unit_test(test_spt_gaps),
		cmocka_unit_test(test_hdcza_threshold_clamps),
		cmocka_unit_test(test_lying_guider),
		cmocka_unit_test(test_nights_noon_to_noon),
		cmocka_unit_test(test_night_spt_guider),
		cmocka_unit_test(test_classify_waso_awakenings),
		cmocka_unit_test(test_classify_no_sib_relies_on_guider),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
