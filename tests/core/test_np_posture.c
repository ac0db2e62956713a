/* core/np_posture.c: angles, sectors, confidence, tracker hysteresis and dwell. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_posture.h"

#define DEG2RAD 0.017453292519943295f

/* Unit gravity vector lying at roll r (degrees) with the trunk inclined by i degrees. */
static struct np_vec3 lying(float roll_deg, float incl_deg)
{
	float r = roll_deg * DEG2RAD, i = incl_deg * DEG2RAD;
	struct np_vec3 g = { sinf(i), -sinf(r) * cosf(i), cosf(r) * cosf(i) };
	return g;
}

static enum np_position classify(struct np_vec3 g, float *conf)
{
	struct np_posture_cfg cfg;
	np_posture_cfg_default(&cfg);
	return np_posture_classify(&cfg, g, conf);
}

static void design_vectors(void **state)
{
	(void)state;
	float c;
	assert_int_equal(classify((struct np_vec3){ 0, 0, 1 }, &c), NP_POS_SUPINE);
	assert_true(c > 0.99f);
	assert_int_equal(classify((struct np_vec3){ 0, 0, -1 }, &c), NP_POS_PRONE);
	assert_int_equal(classify((struct np_vec3){ 0, -1, 0 }, &c), NP_POS_LEFT);
	assert_int_equal(classify((struct np_vec3){ 0, 1, 0 }, &c), NP_POS_RIGHT);
	assert_int_equal(classify((struct np_vec3){ 1, 0, 0 }, &c), NP_POS_UPRIGHT);
	assert_true(c > 0.99f);
}

static void angles(void **state)
{
	(void)state;
	assert_float_equal(np_posture_roll_deg((struct np_vec3){ 0, 0, 1 }), 0.0, 1e-4);
	assert_float_equal(np_posture_roll_deg((struct np_vec3){ 0, -1, 0 }), 90.0, 1e-4);
	assert_float_equal(np_posture_roll_deg((struct np_vec3){ 0, 1, 0 }), -90.0, 1e-4);
	assert_float_equal(fabsf(np_posture_roll_deg((struct np_vec3){ 0, 0, -1 })), 180.0, 1e-4);
	assert_float_equal(np_posture_inclination_deg((struct np_vec3){ 1, 0, 0 }), 90.0, 1e-4);
	assert_float_equal(np_posture_inclination_deg(lying(30, -20)), -20.0, 1e-3);
	assert_float_equal(np_vec3_angle_deg((struct np_vec3){ 1, 0, 0 }, (struct np_vec3){ 0, 2, 0 }),
			   90.0, 1e-4);
	assert_true(isnan(np_vec3_angle_deg((struct np_vec3){ 0, 0, 0 }, (struct np_vec3){ 1, 0, 0 })));
}

/* Sides rolled 20-35 degrees towards the back are still sides; supine tilted 20 is supine. */
static void rolled_sides_stay_sides(void **state)
{
	(void)state;
	for (float back = 0; back <= 35; back += 5) {
		assert_int_equal(classify(lying(90 - back, 0), NULL), NP_POS_LEFT);
		assert_int_equal(classify(lying(-90 + back, 0), NULL), NP_POS_RIGHT);
	}
	assert_int_equal(classify(lying(20, 0), NULL), NP_POS_SUPINE);
	assert_int_equal(classify(lying(-20, 0), NULL), NP_POS_SUPINE);
	assert_int_equal(classify(lying(155, -40), NULL), NP_POS_PRONE);
	assert_int_equal(classify(lying(-160, 0), NULL), NP_POS_PRONE);
	assert_int_equal(classify(lying(110, 0), NULL), NP_POS_LEFT);
}

static void upright_border(void **state)
{
	(void)state;
	assert_int_equal(classify(lying(0, 50), NULL), NP_POS_UPRIGHT);
	assert_int_equal(classify(lying(0, 40), NULL), NP_POS_SUPINE);
	assert_int_equal(classify(lying(90, 40), NULL), NP_POS_LEFT);
	/* Head down is lying, never upright. */
	assert_int_equal(classify(lying(180, -60), NULL), NP_POS_PRONE);
}

static void confidence_falls_to_border(void **state)
{
	(void)state;
	float c_mid, c_near;
	classify(lying(85, 0), &c_mid);
	classify(lying(33, 0), &c_near);
	assert_true(c_mid > 0.9f);
	assert_true(c_near < 0.1f);
	assert_true(c_near >= 0.0f);
	float c_tilted;
	classify(lying(0, 40), &c_tilted);
	assert_true(c_tilted < 0.2f);
}

static void bad_magnitude_is_unknown(void **state)
{
	(void)state;
	float c = 1;
	assert_int_equal(classify((struct np_vec3){ 0, 0, 0 }, &c), NP_POS_UNKNOWN);
	assert_float_equal(c, 0.0, 0);
	assert_int_equal(classify((struct np_vec3){ 0, 0, 2 }, NULL), NP_POS_UNKNOWN);
	assert_int_equal(classify((struct np_vec3){ 0, 0, 0.4f }, NULL), NP_POS_UNKNOWN);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (unsigned p = 0; p < NP_POS_COUNT; p++) {
		enum np_position q;
		assert_int_equal(np_position_parse(np_position_name((enum np_position)p), &q), NP_OK);
		assert_int_equal(q, p);
	}
	enum np_position q;
	assert_int_equal(np_position_parse("sideways", &q), NP_ERR_ARG);
	assert_string_equal(np_position_name((enum np_position)99), "unknown");
}

static void mat3(void **state)
{
	(void)state;
	struct np_mat3 m;
	np_mat3_identity(&m);
	struct np_vec3 v = np_mat3_apply(&m, (struct np_vec3){ 1, 2, 3 });
	assert_float_equal(v.x, 1, 0);
	assert_float_equal(v.z, 3, 0);
	m.m[0][0] = 0;
	m.m[0][1] = 1;
	m.m[1][0] = 1;
	m.m[1][1] = 0;
	v = np_mat3_apply(&m, (struct np_vec3){ 1, 2, 3 });
	assert_float_equal(v.x, 2, 0);
	assert_float_equal(v.y, 1, 0);
}

static struct np_posture_tracker tracker(void)
{
	struct np_posture_cfg cfg;
	struct np_posture_tracker t;
	np_posture_cfg_default(&cfg);
	cfg.min_dwell_ms = 30000;
	np_posture_tracker_init(&t, &cfg);
	return t;
}

static void tracker_brief_turn_does_not_switch(void **state)
{
	(void)state;
	struct np_posture_tracker t = tracker();
	uint32_t now = 0;
	for (; now < 60000; now += 1000)
		assert_int_equal(np_posture_tracker_feed(&t, lying(0, 0), now), NP_POS_SUPINE);
	for (; now < 80000; now += 1000) /* 20 s on the left: shorter than the dwell */
		assert_int_equal(np_posture_tracker_feed(&t, lying(90, 0), now), NP_POS_SUPINE);
	for (; now < 120000; now += 1000)
		assert_int_equal(np_posture_tracker_feed(&t, lying(0, 0), now), NP_POS_SUPINE);
}

static void tracker_switches_after_dwell(void **state)
{
	(void)state;
	struct np_posture_tracker t = tracker();
	np_posture_tracker_feed(&t, lying(0, 0), 0);
	enum np_position p = NP_POS_SUPINE;
	uint32_t now = 1000;
	for (; now <= 100000 && p == NP_POS_SUPINE; now += 1000)
		p = np_posture_tracker_feed(&t, lying(180, 0), now);
	assert_int_equal(p, NP_POS_PRONE);
	/* Reported after 30 s, dated back to when the turn happened. */
	assert_int_equal(now - 1000, 31000);
	assert_int_equal(t.current_since_ms, 1000);
}

static void tracker_hysteresis(void **state)
{
	(void)state;
	struct np_posture_tracker t = tracker();
	np_posture_tracker_feed(&t, lying(0, 0), 0);
	/* 35 degrees: past the 30-degree border but inside the 10-degree hysteresis band. */
	for (uint32_t now = 1000; now < 200000; now += 1000)
		assert_int_equal(np_posture_tracker_feed(&t, lying(35, 0), now), NP_POS_SUPINE);
	/* 45 degrees is clearly a side. */
	enum np_position p = NP_POS_SUPINE;
	for (uint32_t now = 200000; now < 240000; now += 1000)
		p = np_posture_tracker_feed(&t, lying(45, 0), now);
	assert_int_equal(p, NP_POS_LEFT);
}

static void tracker_survives_clock_wrap(void **state)
{
	(void)state;
	struct np_posture_tracker t = tracker();
	uint32_t now = UINT32_MAX - 10000;
	np_posture_tracker_feed(&t, lying(0, 0), now);
	enum np_position p = NP_POS_SUPINE;
	for (int i = 0; i < 40; i++) {
		now += 1000;
		p = np_posture_tracker_feed(&t, lying(-90, 0), now);
	}
	assert_int_equal(p, NP_POS_RIGHT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(design_vectors),
		cmocka_unit_test(angles),
		cmocka_unit_test(rolled_sides_stay_sides),
		cmocka_unit_test(upright_border),
		cmocka_unit_test(confidence_falls_to_border),
		cmocka_unit_test(bad_magnitude_is_unknown),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(mat3),
		cmocka_unit_test(tracker_brief_turn_does_not_switch),
		cmocka_unit_test(tracker_switches_after_dwell),
		cmocka_unit_test(tracker_hysteresis),
		cmocka_unit_test(tracker_survives_clock_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
