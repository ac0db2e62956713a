/* host/lib/np_epochs.c: epochs, labels, calibration of a night, episodes, CSV. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "night_fixture.h"
#include "np_episodes.h"
#include "np_epochs.h"
#include "np_err.h"
#include "np_night_cal.h"
#include "np_rec_data.h"
#include "np_simulate.h"

static int compute(const struct np_night *n, double epoch_s, const struct np_calfile *cal,
		   struct np_epochs *ep)
{
	struct np_analysis_cfg cfg;
	np_analysis_cfg_default(&cfg);
	cfg.epoch_s = epoch_s;
	cfg.cal = cal;
	return np_epochs_compute(n, &cfg, ep);
}

static void boundaries_and_positions(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 10, 0);
	nf_add(&n, 0, 0, 60, 10, nf_posture(0, 0), 0.003f);
	nf_add(&n, 0, 60, 95, 10, nf_posture(90, 0), 0.003f);
	nf_finish(&n, 10);
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_int_equal(ep.n, 4);
	assert_float_equal(ep.v[3].start_s, 90, 1e-9);
	assert_float_equal(ep.v[3].end_s, 95, 1e-6);
	assert_int_equal(ep.v[0].position, NP_POS_SUPINE);
	assert_int_equal(ep.v[1].position, NP_POS_SUPINE);
	assert_int_equal(ep.v[2].position, NP_POS_LEFT);
	assert_int_equal(ep.v[3].position, NP_POS_LEFT);
	assert_int_equal(ep.v[0].n, 300);
	assert_float_equal(ep.v[0].valid_fraction, 1.0, 1e-6);
	assert_float_equal(ep.v[3].valid_fraction, 1.0, 1e-6); /* short last epoch, complete */
	assert_float_equal(ep.v[2].roll_deg, 90, 1);
	assert_float_equal(ep.v[2].inclination_deg, 0, 1);
	assert_true(ep.v[0].still);
	assert_true(ep.v[0].confidence > 0.9f);
	assert_false(ep.second_sensor);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static void gap_is_unknown_and_half_epoch_lowers_confidence(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 10, 0);
	nf_add(&n, 0, 0, 30, 10, nf_posture(180, 0), 0.003f);
	nf_add(&n, 0, 30, 37.5, 10, nf_posture(180, 0), 0.003f); /* a quarter of an epoch */
	nf_add(&n, 0, 89, 90, 10, nf_posture(180, 0), 0.003f);
	nf_finish(&n, 10);
	n.duration_s = 90;
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_int_equal(ep.n, 3);
	assert_int_equal(ep.v[0].position, NP_POS_PRONE);
	assert_int_equal(ep.v[1].position, NP_POS_PRONE);
	assert_float_equal(ep.v[1].valid_fraction, 0.25, 0.01);
	assert_true(ep.v[1].confidence < 0.6f);
	np_epochs_free(&ep);
	assert_int_equal(compute(&n, 10, NULL, &ep), NP_OK);
	assert_int_equal(ep.v[4].position, NP_POS_UNKNOWN); /* [40, 50): no data */
	assert_float_equal(ep.v[4].confidence, 0, 0);
	assert_float_equal(ep.v[4].valid_fraction, 0, 0);
	assert_int_equal(ep.v[8].position, NP_POS_PRONE); /* 1 s of 10: still classified */
	np_epochs_free(&ep);
	np_night_free(&n);
}

/* 1-row-per-second datasets: one sample per 1-s epoch is enough. */
static void one_sample_per_epoch(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 1, 0);
	nf_add(&n, 0, 0, 20, 1, nf_posture(-60, 0), 0.01f);
	nf_add(&n, 0, 20, 40, 1, nf_posture(5, 0), 0.01f);
	nf_finish(&n, 1);
	assert_int_equal(compute(&n, 1, NULL, &ep), NP_OK);
	assert_int_equal(ep.n, 40);
	/* Per-epoch classification: the change shows at once, no dwell smearing. */
	assert_int_equal(ep.v[19].position, NP_POS_RIGHT);
	assert_int_equal(ep.v[20].position, NP_POS_SUPINE);
	for (size_t k = 0; k < ep.n; k++)
		assert_int_not_equal(ep.v[k].position, NP_POS_UNKNOWN);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static void movement_and_still(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 25, 0);
	nf_add(&n, 0, 0, 30, 25, nf_posture(0, 0), 0.002f);
	nf_add(&n, 0, 30, 60, 25, nf_posture(0, 0), 0.1f); /* restless: 100 mg per axis */
	nf_finish(&n, 25);
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_true(ep.v[0].still);
	assert_true(ep.v[0].movement_mg < 10);
	assert_false(ep.v[1].still);
	assert_float_equal(ep.v[1].movement_mg, 173, 20); /* sqrt(3) * 100 mg */
	assert_true(ep.v[1].enmo_mg > 10);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static void labels(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 10, 0);
	nf_add(&n, 0, 0, 120, 10, nf_posture(0, 0), 0.003f);
	nf_finish(&n, 10);
	nf_label(&n, 0, 50, NP_ANN_LABEL, NP_POS_SUPINE);
	nf_label(&n, 50, 120, NP_ANN_LABEL_LYING, NP_POS_UNKNOWN);
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_true(ep.has_labels);
	assert_true(ep.v[0].has_label);
	assert_int_equal(ep.v[0].label, NP_POS_SUPINE);
	assert_true(ep.v[1].has_label); /* 20 s supine of 30 */
	assert_int_equal(ep.v[1].label, NP_POS_SUPINE);
	assert_true(ep.v[2].label_lying);
	assert_int_equal(ep.v[2].label, NP_POS_UNKNOWN);
	np_epochs_free(&ep);
	np_night_free(&n);
}

/* Sensor worn upside down and twisted: calibrate from two windows, then classify. */
static void calibrated_night(void **state)
{
	(void)state;
	/* sensor = M * body; M = half a turn about x, then a quarter about z. */
	struct np_mat3 m = { { { 0, 1, 0 }, { -1, 0, 0 }, { 0, 0, 1 } } };
	struct np_mat3 flip = { { { 1, 0, 0 }, { 0, -1, 0 }, { 0, 0, -1 } } };
	struct np_vec3 pose[4] = { nf_posture(0, 0), nf_posture(90, 0), nf_posture(180, 0),
				   nf_posture(-70, 0) };
	struct np_night n;
	nf_init(&n, 1, 10, 0);
	for (int i = 0; i < 4; i++) {
		struct np_vec3 s = np_mat3_apply(&m, np_mat3_apply(&flip, pose[i]));
		nf_add(&n, 0, 60.0 * i, 60.0 * (i + 1), 10, s, 0.004f);
	}
	nf_finish(&n, 10);

	struct np_epochs ep;
	assert_int_equal(compute(&n, 60, NULL, &ep), NP_OK);
	assert_int_not_equal(ep.v[0].position, NP_POS_SUPINE); /* default mounting is wrong here */
	np_epochs_free(&ep);


	struct np_calfile cal;
	enum np_cal_problem p;
	int which;
	assert_int_equal(np_night_calibrate(&n, 10, 50, 70, 110, &cal, &p, &which), NP_OK);
	assert_true(cal.chest.ortho_residual < 1e-5f);
	assert_float_equal(cal.chest.angle_deg, 90, 2);
	assert_int_equal(compute(&n, 60, &cal, &ep), NP_OK);
	assert_true(ep.calibrated);
	assert_int_equal(ep.v[0].position, NP_POS_SUPINE);
	assert_int_equal(ep.v[1].position, NP_POS_LEFT);
	assert_int_equal(ep.v[2].position, NP_POS_PRONE);
	assert_int_equal(ep.v[3].position, NP_POS_RIGHT);
	np_epochs_free(&ep);

	/* A window across the turn from supine to left is not still... */
	assert_int_equal(np_night_calibrate(&n, 40, 80, 70, 110, &cal, &p, &which), NP_ERR_RANGE);
	assert_int_equal(p, NP_CAL_NOT_STILL);
	assert_int_equal(which, 0);
	/* ...two windows in one posture are too close, and a window past the end is empty. */
	assert_int_equal(np_night_calibrate(&n, 10, 20, 30, 50, &cal, &p, &which), NP_ERR_RANGE);
	assert_int_equal(p, NP_CAL_NOT_SQUARE);
	assert_int_equal(np_night_calibrate(&n, 10, 50, 900, 950, &cal, &p, &which), NP_ERR_RANGE);
	assert_int_equal(p, NP_CAL_EMPTY);
	assert_int_equal(which, 1);
	np_night_free(&n);
}

static void leg_tilt(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 2, 10, 0);
	nf_add(&n, 0, 0, 60, 10, nf_posture(0, 0), 0.003f);
	nf_add(&n, 1, 0, 30, 10, nf_posture(0, 0), 0.003f);
	nf_add(&n, 1, 30, 60, 10, nf_posture(0, 30), 0.003f); /* leg raised 30 degrees */
	nf_finish(&n, 10);
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_true(ep.second_sensor);
	assert_true(ep.v[0].has_leg);
	assert_float_equal(ep.v[0].leg_tilt_deg, 0, 1);
	assert_float_equal(ep.v[1].leg_tilt_deg, 30, 1);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(np_epochs_write_csv(&ep, f), NP_OK);
	fclose(f);
	assert_non_null(strstr(buf, "start_s,end_s,position,confidence,roll_deg,inclination_deg,"
				    "movement_mg,still,valid_fraction,leg_tilt_deg\n"));
	assert_non_null(strstr(buf, "\n30.000,60.000,supine,"));
	free(buf);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static void csv_unknown_rows(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 1, 0);
	nf_add(&n, 0, 0, 2, 1, nf_posture(0, 0), 0);
	nf_add(&n, 0, 3, 4, 1, nf_posture(0, 0), 0);
	nf_finish(&n, 1);
	assert_int_equal(compute(&n, 1, NULL, &ep), NP_OK);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(np_epochs_write_csv(&ep, f), NP_OK);
	fclose(f);
	assert_non_null(strstr(buf, "\n2.000,3.000,unknown,0.00,,,,,0.00\n"));
	assert_null(strstr(buf, "leg_tilt"));
	free(buf);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static void single_sample_night(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 0, 0);
	nf_add(&n, 0, 0, 1, 1, nf_posture(0, 0), 0);
	n.duration_s = 0; /* irregular recording of one sample: no sample period */
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_int_equal(ep.n, 1);
	assert_int_equal(ep.v[0].position, NP_POS_SUPINE);
	assert_true(ep.v[0].end_s > ep.v[0].start_s);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static void bad_arguments(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	nf_init(&n, 1, 1, 0);
	nf_add(&n, 0, 0, 10, 1, nf_posture(0, 0), 0);
	nf_finish(&n, 1);
	assert_int_equal(compute(&n, 0, NULL, &ep), NP_ERR_ARG);
	assert_int_equal(compute(&n, -1, NULL, &ep), NP_ERR_ARG);
	n.duration_s = 1e9;
	assert_int_equal(compute(&n, 1, NULL, &ep), NP_ERR_RANGE);
	np_night_free(&n);
}

static void episodes_ignore_brief_turns(void **state)
{
	(void)state;
	struct np_night n;
	struct np_epochs ep;
	struct np_posture_cfg pc;
	struct np_episode *e;
	size_t ne;
	nf_init(&n, 1, 1, 0);
	nf_add(&n, 0, 0, 300, 1, nf_posture(0, 0), 0.003f);
	nf_add(&n, 0, 300, 320, 1, nf_posture(90, 0), 0.003f);   /* 20-s turn */
	nf_add(&n, 0, 320, 600, 1, nf_posture(0, 0), 0.003f);
	nf_add(&n, 0, 600, 900, 1, nf_posture(180, 0), 0.003f);  /* 5 min prone */
	nf_add(&n, 0, 1000, 1200, 1, nf_posture(180, 0), 0.003f); /* after a 100-s gap */
	nf_finish(&n, 1);
	np_posture_cfg_default(&pc);
	assert_int_equal(compute(&n, 1, NULL, &ep), NP_OK);
	assert_int_equal(np_episodes_build(&ep, &pc, &e, &ne), NP_OK);
	assert_int_equal(ne, 4);
	assert_int_equal(e[0].position, NP_POS_SUPINE);
	assert_float_equal(e[0].end_s, 600, 1e-6); /* dated back to the turn */
	assert_int_equal(e[1].position, NP_POS_PRONE);
	assert_float_equal(e[1].start_s, 600, 1e-6);
	assert_float_equal(e[1].end_s, 900, 1e-6);
	assert_int_equal(e[2].position, NP_POS_UNKNOWN);
	assert_int_equal(e[3].position, NP_POS_PRONE);
	assert_float_equal(e[3].end_s, 1200, 1e-6);
	free(e);
	np_epochs_free(&ep);
	np_night_free(&n);
}

/* Through a recording file, as the CLI sees it: a simulated night. */
static int simulated(const struct np_sim_opts *o, struct np_night *n, struct np_sim_truth *tr)
{
	struct np_rec_data d;
	char path[] = NP_BINARY_DIR "/test_np_epochs_sim.npr";
	int rc = np_simulate(o, &d, tr);
	if (rc != NP_OK)
		return rc;
	rc = np_rec_data_write(&d, path, NULL);
	np_rec_data_free(&d);
	if (rc == NP_OK)
		rc = np_night_load(path, n);
	remove(path);
	return rc;
}

/* Largest error over the six faces of the cube after autocalibration, mg. */
static float face_residual_mg(const struct np_autocal *a, const struct np_sim_truth *tr)
{
	float worst = 0;
	for (int f = 0; f < 6; f++) {
		float s = f < 3 ? 1.0f : -1.0f;
		float g[3] = { f % 3 == 0 ? s : 0, f % 3 == 1 ? s : 0, f % 3 == 2 ? s : 0 };
		struct np_vec3 raw = { tr->gain[0] * g[0] + tr->offset_g[0], tr->gain[1] * g[1] + tr->offset_g[1],
				       tr->gain[2] * g[2] + tr->offset_g[2] };
		struct np_vec3 c = np_autocal_apply(a, raw);
		struct np_vec3 d = { c.x - g[0], c.y - g[1], c.z - g[2] };
		if (np_vec3_norm(d) * 1000 > worst)
			worst = np_vec3_norm(d) * 1000;
	}
	return worst;
}

static void autocal_on_simulated_nights(void **state)
{
	(void)state;
	/* Sensor twisted 45 degrees in the chest plane (upside down for odd seeds): the
	 * four lying positions then show every axis both ways, so the fit is possible. */
	const float c = 0.70710678f;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct np_sim_opts o;
		struct np_sim_truth tr;
		struct np_night n;
		struct np_autocal a;
		np_sim_opts_default(&o);
		o.seed = seed;
		o.hours = 6;
		o.rate_hz = 5;
		o.set_mount = true;
		struct np_mat3 m = { { { c, -c, 0 }, { c, c, 0 }, { 0, 0, 1 } } };
		if (seed % 2) {
			m.m[1][0] = -c;
			m.m[1][1] = -c;
			m.m[2][2] = -1;
		}
		o.mount = m;
		assert_int_equal(simulated(&o, &n, &tr), NP_OK);
		assert_int_equal(np_night_autocal(&n, 0, &a), NP_OK);
		assert_true(a.applied);
		assert_true(a.err_after_mg < a.err_before_mg);
		assert_true(face_residual_mg(&a, &tr) < 10.0f);
		np_night_free(&n);
	}
}

static void autocal_refused_on_ordinary_night(void **state)
{
	(void)state;
	/* Default simulated mounting (tilted 10-20 degrees): the sensor's x axis never points
	 * down, so an x offset cannot be told from an x gain and the fit must not be applied. */
	struct np_sim_opts o;
	struct np_sim_truth tr;
	struct np_night n;
	struct np_epochs ep;
	np_sim_opts_default(&o);
	o.seed = 9;
	o.hours = 4;
	o.rate_hz = 5;
	assert_int_equal(simulated(&o, &n, &tr), NP_OK);
	assert_int_equal(compute(&n, 30, NULL, &ep), NP_OK);
	assert_false(ep.autocal.applied);
	assert_int_equal(ep.autocal.status, NP_AUTOCAL_SPREAD);
	/* The default mounting still gets the lying positions right. */
	unsigned lab = 0, ok = 0;
	for (size_t k = 0; k < ep.n; k++) {
		if (!ep.v[k].has_label || ep.v[k].label_lying)
			continue;
		lab++;
		ok += ep.v[k].label == ep.v[k].position;
	}
	assert_true(lab > 300);
	assert_true(ok >= 0.95 * lab);
	np_epochs_free(&ep);
	np_night_free(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boundaries_and_positions),
		cmocka_unit_test(gap_is_unknown_and_half_epoch_lowers_confidence),
		cmocka_unit_test(one_sample_per_epoch),
		cmocka_unit_test(movement_and_still),
		cmocka_unit_test(labels),
		cmocka_unit_test(calibrated_night),
		cmocka_unit_test(leg_tilt),
		cmocka_unit_test(csv_unknown_rows),
		cmocka_unit_test(single_sample_night),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(episodes_ignore_brief_turns),
		cmocka_unit_test(autocal_on_simulated_nights),
		cmocka_unit_test(autocal_refused_on_ordinary_night),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
