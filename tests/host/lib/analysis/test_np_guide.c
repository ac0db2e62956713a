/* Guided calibration steps on synthetic samples (np_guide.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_guide.h"
#include "np_test_prng.h"

#define RATE 25.0

static struct np_test_prng prng = { 7u };

/* Feed gravity g (+ noise of sd g per axis) from t0 to t1; return the step at the end. */
static enum np_guide_step feed(struct np_guide *gd, struct np_vec3 g, float sd, double t0, double t1)
{
	enum np_guide_step s = gd->step;
	for (double t = t0; t < t1; t += 1.0 / RATE) {
		struct np_vec3 v = { g.x + np_test_prng_gauss(&prng, sd), g.y + np_test_prng_gauss(&prng, sd),
				     g.z + np_test_prng_gauss(&prng, sd) };
		s = np_guide_feed(gd, v, t);
	}
	return s;
}

/* A sensor worn upside down: back reads (0, 0, -1), left side (0, -1, 0)... through the
 * mounting; the result undoes it. */
static void back_then_left(void **state)
{
	(void)state;
	struct np_guide g;
	assert_int_equal(np_guide_init(&g, RATE), NP_OK);
	struct np_vec3 back = { 0, 0, -1 }, left = { 0, 1, 0 };
	/* 15 s still is not yet 20 s. */
	assert_int_equal(feed(&g, back, 0.004f, 0, 15), NP_GUIDE_BACK);
	assert_int_equal(feed(&g, back, 0.004f, 15, 21.5), NP_GUIDE_LEFT);
	assert_true(g.back.end_s - g.back.start_s >= 19.9);
	/* Turning over (moving), then still on the left side. */
	assert_int_equal(feed(&g, (struct np_vec3){ 0, 0.7f, -0.7f }, 0.3f, 21.5, 26), NP_GUIDE_LEFT);
	assert_int_equal(g.waiting == NP_CAL_NOT_STILL || g.waiting == NP_CAL_MAGNITUDE ||
				 g.waiting == NP_CAL_EMPTY,
			 1);
	assert_int_equal(feed(&g, left, 0.004f, 26, 48), NP_GUIDE_DONE);
	assert_float_equal(g.mount.angle_deg, 90.0, 2.0);
	struct np_vec3 b = np_mat3_apply(&g.mount.r, back), l = np_mat3_apply(&g.mount.r, left);
	assert_float_equal(b.z, 1.0, 0.02);
	assert_float_equal(l.y, -1.0, 0.02);
	assert_float_equal(g.mount.turn_deg, 180.0, 2.0);
	np_guide_free(&g);
}

/* Still again on the back is the wearer not yet turned; moving is not still. */
static void not_turned_and_not_still(void **state)
{
	(void)state;
	struct np_guide g;
	assert_int_equal(np_guide_init(&g, RATE), NP_OK);
	assert_int_equal(feed(&g, (struct np_vec3){ 0, 0, 1 }, 0.3f, 0, 60), NP_GUIDE_BACK);
	assert_int_equal(g.waiting, NP_CAL_NOT_STILL);
	assert_int_equal(feed(&g, (struct np_vec3){ 0, 0, 1 }, 0.004f, 60, 82), NP_GUIDE_LEFT);
	/* Rolled only 30 degrees: still, but not a side. */
	assert_int_equal(feed(&g, (struct np_vec3){ 0, -0.5f, 0.866f }, 0.004f, 82, 140), NP_GUIDE_LEFT);
	assert_int_equal(g.waiting, NP_CAL_NOT_SQUARE);
	np_guide_free(&g);
	assert_int_equal(np_guide_init(&g, 0), NP_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(back_then_left),
		cmocka_unit_test(not_turned_and_not_still),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
