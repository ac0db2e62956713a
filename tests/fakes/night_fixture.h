/* In-memory nights for analysis tests: still postures, noise, gaps, labels. */
#ifndef NIGHTPOSE_TESTS_FAKES_NIGHT_FIXTURE_H
#define NIGHTPOSE_TESTS_FAKES_NIGHT_FIXTURE_H

#include "np_night.h"
#include "np_posture.h"

/* Empty night with `sensors` sensors at rate_hz (0: irregular), starting at start_utc_s. */
void nf_init(struct np_night *n, unsigned sensors, double rate_hz, double start_utc_s);

/* Samples of gravity g (g units) on sensor, t in [t0, t1) every 1/rate_hz s, white noise sd. */
void nf_add(struct np_night *n, unsigned sensor, double t0, double t1, double rate_hz,
	    struct np_vec3 g, float noise_sd);

/* As nf_add, plus breathing on the anterior (z) axis: amp_g at per_min breaths a minute. */
void nf_add_breathing(struct np_night *n, double t0, double t1, double rate_hz, struct np_vec3 g,
		      float noise_sd, float amp_g, float per_min);

/* Unit gravity of a body posture: roll in degrees (0 supine, 90 left), inclination. */
struct np_vec3 nf_posture(float roll_deg, float incl_deg);

/* Ground-truth annotation [t0, t1). kind: NP_ANN_LABEL or NP_ANN_LABEL_LYING. */
void nf_label(struct np_night *n, double t0, double t1, uint8_t kind, enum np_position p);

/* Up and about on [t0, t1): a new upright posture (inclination 55-90 deg, roll +-40)
 * every 5 s, so the trunk's angle changes in nearly every 5-s epoch. */
void nf_walk(struct np_night *n, double t0, double t1, double rate_hz);

/* Lying awake on [t0, t1) around roll_deg: every minute the roll shifts by 8-15 deg
 * and the trunk props up to 20 deg or back (reading, a phone), so the trunk's angle
 * never stays 5 min within 5 deg. */
void nf_lying_awake(struct np_night *n, double t0, double t1, double rate_hz, float roll_deg);

/* NOTE annotation [t0, t1) with text (sleep truth: "truth: asleep", ...). */
void nf_note(struct np_night *n, double t0, double t1, const char *text);

/*
 * A 10-h night at rate_hz from t0_utc (hours from the start): up and about 0-1,
 * sitting still in a chair 1-2 (inclination 60), lying awake on the back 2-2:20,
 * asleep 2:20-9 (supine to 4:20, left to 6:20, prone to 7, right to 9), lying awake
 * 9-9:30, up 9:30-10. Sleep truth as NOTE annotations: asleep 2:20-9, in bed 2-9:30.
 * With sensor_off_h > 0 the first sensor_off_h hours are replaced by the sensor lying
 * still on a table (and "truth: sensor off").
 */
void nf_evening_night(struct np_night *n, double rate_hz, double t0_utc, double sensor_off_h);

/* Sets duration_s to the end of the last chest sample period. */
void nf_finish(struct np_night *n, double rate_hz);

#endif
