/* calibration/np_calibration.c: mounting from two postures, window checks, autocalibration. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "np_calibration.h"
#include "np_err.h"
#include "np_test_prng.h"

static struct np_test_prng rng = { 12345 };

static float noise(float sd)
{
	return np_test_prng_gauss(&rng, sd);
}

/* Rotation body -> sensor about an axis (Rodrigues), as the sensor is worn. */
static struct np_mat3 rot(struct np_vec3 k, float deg)
{
	float n = np_vec3_norm(k), a = deg * 0.017453292519943295f, c = cosf(a), s = sinf(a);
	k.x /= n, k.y /= n, k.z /= n;
	struct np_mat3 m = { { { c + k.x * k.x * (1 - c), k.x * k.y * (1 - c) - k.z * s, k.x * k.z * (1 - c) + k.y * s },
			       { k.y * k.x * (1 - c) + k.z * s, c + k.y * k.y * (1 - c), k.y * k.z * (1 - c) - k.x * s },
			       { k.z * k.x * (1 - c) - k.y * s, k.z * k.y * (1 - c) + k.x * s, c + k.z * k.z * (1 - c) } } };
	return m;
}

/* A still window: gravity g_body seen through sensor rotation m, with noise. */
static void window(const struct np_mat3 *m, struct np_vec3 g_body, size_t n, float sd_g, double dur,
		   struct np_cal_stats *s)
{
	struct np_vec3 *v = malloc(n * sizeof *v);
	assert_non_null(v);
	struct np_vec3 g = np_mat3_apply(m, g_body);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct np_vec3){ g.x + noise(sd_g), g.y + noise(sd_g), g.z + noise(sd_g) };
	np_cal_stats_compute(v, n, dur, s);
	free(v);
}

static float check_mount_recovers(struct np_mat3 body_to_sensor)
{
	struct np_mount_limits l;
	struct np_cal_stats sup, left;
	struct np_mount m;
	np_mount_limits_default(&l);
	window(&body_to_sensor, (struct np_vec3){ 0, 0, 1 }, 60, 0.005f, 60, &sup);
	window(&body_to_sensor, (struct np_vec3){ 0, -1, 0 }, 60, 0.005f, 60, &left);
	assert_int_equal(np_mount_compute(&l, &sup, &left, &m, NULL, NULL), NP_OK);
	assert_true(m.ortho_residual < 1e-5f);
	assert_float_equal(np_mat3_det(&m.r), 1.0, 1e-4);
	assert_float_equal(m.angle_deg, 90.0, 2.0);
	/* Every body direction comes back through the sensor and the fitted rotation. */
	struct np_vec3 probes[] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0.6f, 0, -0.8f } };
	for (size_t i = 0; i < 4; i++) {
		struct np_vec3 back = np_mat3_apply(&m.r, np_mat3_apply(&body_to_sensor, probes[i]));
		assert_true(np_vec3_angle_deg(back, probes[i]) < 1.5f);
	}
	return m.turn_deg;
}

static void mount_identity_and_tilted(void **state)
{
	(void)state;
	/* How far each is from the documented mounting: the angle of the rotation. */
	assert_float_equal(check_mount_recovers(rot((struct np_vec3){ 0, 0, 1 }, 0)), 0.0, 1.0);
	assert_float_equal(check_mount_recovers(rot((struct np_vec3){ 1, 2, 3 }, 37)), 37.0, 1.0);
}

static void mount_upside_down(void **state)
{
	(void)state;
	/* Worn upside down (half a turn about the trunk axis) and head-to-foot. */
	assert_float_equal(check_mount_recovers(rot((struct np_vec3){ 1, 0, 0 }, 180)), 180.0, 1.0);
	assert_float_equal(check_mount_recovers(rot((struct np_vec3){ 0, 1, 0 }, 180)), 180.0, 1.0);
}

static void mount_rolled_left_window(void **state)
{
	(void)state;
	/* The left window was rolled 25 degrees towards the back: supine stays exact. */
	struct np_mount_limits l;
	struct np_cal_stats sup, left;
	struct np_mount m;
	struct np_mat3 id = rot((struct np_vec3){ 0, 0, 1 }, 0);
	np_mount_limits_default(&l);
	window(&id, (struct np_vec3){ 0, 0, 1 }, 20, 0.002f, 20, &sup);
	window(&id, (struct np_vec3){ 0, -0.906f, 0.423f }, 20, 0.002f, 20, &left);
	assert_int_equal(np_mount_compute(&l, &sup, &left, &m, NULL, NULL), NP_OK);
	struct np_vec3 s = np_mat3_apply(&m.r, sup.mean);
	assert_float_equal(s.z, 1.0, 0.01);
	assert_float_equal(m.angle_deg, 65.0, 1.0);
}

static void expect_problem(const struct np_cal_stats *sup, const struct np_cal_stats *left,
			   enum np_cal_problem want, int want_which)
{
	struct np_mount_limits l;
	struct np_mount m;
	enum np_cal_problem p = NP_CAL_OK;
	int which = -1;
	char text[NP_CAL_PROBLEM_TEXT_MAX];
	np_mount_limits_default(&l);
	assert_int_equal(np_mount_compute(&l, sup, left, &m, &p, &which), NP_ERR_RANGE);
	assert_int_equal(p, want);
	assert_int_equal(which, want_which);
	assert_string_not_equal(np_cal_problem_text(p, &l, text, sizeof text), "ok");
}

static void degenerate_windows(void **state)
{
	(void)state;
	struct np_mat3 id = rot((struct np_vec3){ 0, 0, 1 }, 0);
	struct np_cal_stats good_sup, good_left, s;
	window(&id, (struct np_vec3){ 0, 0, 1 }, 30, 0.003f, 30, &good_sup);
	window(&id, (struct np_vec3){ 0, -1, 0 }, 30, 0.003f, 30, &good_left);

	window(&id, (struct np_vec3){ 0, 0, 1 }, 0, 0.003f, 30, &s);
	expect_problem(&s, &good_left, NP_CAL_EMPTY, 0);
	window(&id, (struct np_vec3){ 0, 0, 1 }, 4, 0.003f, 30, &s);
	expect_problem(&s, &good_left, NP_CAL_TOO_SHORT, 0);
	window(&id, (struct np_vec3){ 0, -1, 0 }, 30, 0.003f, 3, &s);
	expect_problem(&good_sup, &s, NP_CAL_TOO_SHORT, 1);
	/* Moving: 0.3 g of noise per axis. */
	window(&id, (struct np_vec3){ 0, -1, 0 }, 30, 0.3f, 30, &s);
	expect_problem(&good_sup, &s, NP_CAL_NOT_STILL, 1);
	/* Free fall or a dead sensor: no gravity. */
	window(&id, (struct np_vec3){ 0, 0, 0.1f }, 30, 0.003f, 30, &s);
	expect_problem(&s, &good_left, NP_CAL_MAGNITUDE, 0);
	/* Two postures 30 degrees apart: not enough to tell the axes. */
	window(&id, (struct np_vec3){ 0, -0.5f, 0.866f }, 30, 0.003f, 30, &s);
	expect_problem(&good_sup, &s, NP_CAL_NOT_SQUARE, 2);
	/* The same posture twice. */
	expect_problem(&good_sup, &good_sup, NP_CAL_NOT_SQUARE, 2);
	/* 140 degrees apart: no back and left side (say, back and half prone on the right). */
	window(&id, (struct np_vec3){ 0, 0.643f, -0.766f }, 30, 0.003f, 30, &s);
	expect_problem(&good_sup, &s, NP_CAL_NOT_SQUARE, 2);
	/* 65 and 115 degrees apart are still lying on the back and on a side. */
	struct np_mount_limits lim;
	struct np_mount m;
	enum np_cal_problem p;
	int which;
	np_mount_limits_default(&lim);
	window(&id, (struct np_vec3){ 0, -0.906f, 0.423f }, 30, 0.003f, 30, &s);
	assert_int_equal(np_mount_compute(&lim, &good_sup, &s, &m, &p, &which), NP_OK);
	window(&id, (struct np_vec3){ 0, -0.906f, -0.423f }, 30, 0.003f, 30, &s);
	assert_int_equal(np_mount_compute(&lim, &good_sup, &s, &m, &p, &which), NP_OK);
}

static void stats(void **state)
{
	(void)state;
	struct np_vec3 v[4] = { { 0, 0, 1 }, { 0, 0, 1.002f }, { 0, 0, 0.998f }, { 0, 0, 1 } };
	struct np_cal_stats s;
	np_cal_stats_compute(v, 4, 4.0, &s);
	assert_int_equal(s.n, 4);
	assert_float_equal(s.mean.z, 1.0, 1e-6);
	assert_float_equal(s.sd_mg[2], 1.414, 0.01);
	assert_float_equal(s.sd_vec_mg, 1.414, 0.01);
}

/* Still points all over the sphere, through a sensor with offset and gain errors. */
static size_t sphere_points(struct np_vec3 *pts, size_t n, const float off[3], const float gain[3],
			    bool six_faces_only)
{
	for (size_t i = 0; i < n; i++) {
		struct np_vec3 g;
		if (six_faces_only) {
			float s = (i / 6) % 2 ? 1.0f : -1.0f;
			g = (struct np_vec3){ i % 3 == 0 ? s : 0, i % 3 == 1 ? s : 0, i % 3 == 2 ? s : 0 };
			if (i % 6 >= 3)
				g = (struct np_vec3){ -g.x, -g.y, -g.z };
		} else {
			/* Fibonacci sphere: even coverage. */
			float z = 1.0f - 2.0f * ((float)i + 0.5f) / (float)n, r = sqrtf(1 - z * z);
			float a = 2.39996323f * (float)i;
			g = (struct np_vec3){ r * cosf(a), r * sinf(a), z };
		}
		/* raw = true / gain - offset, so scale = gain and offset = off undo it. */
		pts[i] = (struct np_vec3){ g.x / gain[0] - off[0] + noise(0.002f),
					   g.y / gain[1] - off[1] + noise(0.002f),
					   g.z / gain[2] - off[2] + noise(0.002f) };
	}
	return n;
}

/* Largest error over the six faces after correction, mg. */
static float residual_mg(const struct np_autocal *a, const float off[3], const float gain[3])
{
	float worst = 0;
	for (int f = 0; f < 6; f++) {
		float s = f < 3 ? 1.0f : -1.0f;
		struct np_vec3 g = { f % 3 == 0 ? s : 0, f % 3 == 1 ? s : 0, f % 3 == 2 ? s : 0 };
		struct np_vec3 raw = { g.x / gain[0] - off[0], g.y / gain[1] - off[1], g.z / gain[2] - off[2] };
		struct np_vec3 c = np_autocal_apply(a, raw);
		struct np_vec3 d = { c.x - g.x, c.y - g.y, c.z - g.z };
		float e = np_vec3_norm(d) * 1000.0f;
		if (e > worst)
			worst = e;
	}
	return worst;
}

static void autocal_recovers_offset_and_gain(void **state)
{
	(void)state;
	const float off[3] = { 0.04f, -0.03f, 0.06f }, gain[3] = { 1.05f, 0.96f, 1.02f };
	struct np_vec3 pts[200];
	struct np_autocal a;
	sphere_points(pts, 200, off, gain, false);
	assert_int_equal(np_autocal_fit(pts, 200, &a), NP_OK);
	assert_true(a.applied);
	assert_int_equal(a.status, NP_AUTOCAL_APPLIED);
	assert_true(a.err_before_mg > 20.0f);
	assert_true(a.err_after_mg < 5.0f);
	assert_true(residual_mg(&a, off, gain) < 10.0f);
}

static void autocal_six_faces(void **state)
{
	(void)state;
	const float off[3] = { -0.05f, 0.02f, 0.03f }, gain[3] = { 0.97f, 1.04f, 1.01f };
	struct np_vec3 pts[36];
	struct np_autocal a;
	sphere_points(pts, 36, off, gain, true);
	assert_int_equal(np_autocal_fit(pts, 36, &a), NP_OK);
	assert_true(a.applied);
	assert_true(residual_mg(&a, off, gain) < 10.0f);
}

static void autocal_refuses_narrow_orientations(void **state)
{
	(void)state;
	/* A night spent on the back and the left side only: no +y or -z points. */
	struct np_vec3 pts[40];
	for (int i = 0; i < 40; i++)
		pts[i] = i % 2 ? (struct np_vec3){ 0.02f, 0.01f, 1.05f } : (struct np_vec3){ 0.03f, -1.04f, 0.0f };
	struct np_autocal a;
	assert_int_equal(np_autocal_fit(pts, 40, &a), NP_OK);
	assert_false(a.applied);
	assert_int_equal(a.status, NP_AUTOCAL_SPREAD);
	struct np_vec3 raw = { 0.1f, 0.2f, 0.3f }, c = np_autocal_apply(&a, raw);
	assert_float_equal(c.x, raw.x, 0);
	assert_float_equal(c.z, raw.z, 0);

	assert_int_equal(np_autocal_fit(pts, 3, &a), NP_OK);
	assert_int_equal(a.status, NP_AUTOCAL_TOO_FEW);
}

static void align_second_sensor(void **state)
{
	(void)state;
	struct np_mat3 m = rot((struct np_vec3){ 2, -1, 1 }, 75);
	struct np_vec3 b1 = { 0, 0, 1 }, b2 = { 0, -1, 0 };
	struct np_mount mt;
	assert_int_equal(np_mount_align(np_mat3_apply(&m, b1), np_mat3_apply(&m, b2), b1, b2, &mt), NP_OK);
	struct np_vec3 back = np_mat3_apply(&mt.r, np_mat3_apply(&m, (struct np_vec3){ 1, 0, 0 }));
	assert_true(np_vec3_angle_deg(back, (struct np_vec3){ 1, 0, 0 }) < 0.1f);
	/* Same direction twice: only the first pair is aligned. */
	assert_int_equal(np_mount_align(np_mat3_apply(&m, b1), np_mat3_apply(&m, b1), b1, b2, &mt), NP_OK);
	assert_true(np_vec3_angle_deg(np_mat3_apply(&mt.r, np_mat3_apply(&m, b1)), b1) < 0.1f);
	assert_true(mt.ortho_residual < 1e-5f);
}

/* An infinity makes some products NaN: a finite error computed later must not hide them. */
static void ortho_residual_keeps_nan(void **state)
{
	(void)state;
	struct np_mat3 r = { { { INFINITY, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } } };
	assert_true(isnan(np_mat3_ortho_residual(&r)));
	struct np_mat3 q = { { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, NAN } } };
	assert_true(isnan(np_mat3_ortho_residual(&q)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ortho_residual_keeps_nan),
		cmocka_unit_test(stats),
		cmocka_unit_test(mount_identity_and_tilted),
		cmocka_unit_test(mount_upside_down),
		cmocka_unit_test(mount_rolled_left_window),
		cmocka_unit_test(degenerate_windows),
		cmocka_unit_test(autocal_recovers_offset_and_gain),
		cmocka_unit_test(autocal_six_faces),
		cmocka_unit_test(autocal_refuses_narrow_orientations),
		cmocka_unit_test(align_second_sensor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
