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

/* Unit gravity of a body posture: roll in degrees (0 supine, 90 left), inclination. */
struct np_vec3 nf_posture(float roll_deg, float incl_deg);

/* Ground-truth annotation [t0, t1). kind: NP_ANN_LABEL or NP_ANN_LABEL_LYING. */
void nf_label(struct np_night *n, double t0, double t1, uint8_t kind, enum np_position p);

/* Sets duration_s to the end of the last chest sample period. */
void nf_finish(struct np_night *n, double rate_hz);

#endif
