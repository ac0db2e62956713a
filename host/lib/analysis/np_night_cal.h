/*
 * What a loaded night says about its sensor: its sample rate, its offset/gain
 * autocalibration, its mounting from two windows, and the chain that takes a raw
 * sample to the body frame (autocalibration, then the mounting rotation).
 */
#ifndef NIGHTPOSE_HOST_ANALYSIS_NP_NIGHT_CAL_H
#define NIGHTPOSE_HOST_ANALYSIS_NP_NIGHT_CAL_H

#include "np_calfile.h"
#include "np_calibration.h"
#include "np_night.h"
#include "np_posture.h"

/* Raw sample (g, sensor axes) -> body frame for one sensor. */
struct np_body_pipeline {
	struct np_autocal ac; /* offset/gain first */
	struct np_mat3 r;     /* then the mounting rotation */
};

static inline struct np_vec3 np_body_pipeline_apply(const struct np_body_pipeline *p,
						    const struct np_sample_g *s)
{
	struct np_vec3 v = { s->x, s->y, s->z };
	return np_mat3_apply(&p->r, np_autocal_apply(&p->ac, v));
}

/* Nominal chest sample rate: the HELLO's rate, else the median sample interval. */
double np_night_rate_hz(const struct np_night *night, unsigned sensor);

/* Offset/gain autocalibration of one sensor from its 10-s still windows. */
int np_night_autocal(const struct np_night *night, unsigned sensor, struct np_autocal *a);

/*
 * Mounting calibration from two windows [t0, t1) in seconds. Fills the calibration
 * (rotation, windows, quality, autocal, second sensor when its windows allow it).
 * Returns NP_OK; NP_ERR_RANGE with *problem and *which (0 supine, 1 left, 2 both)
 * when a window is unusable; NP_ERR_NOMEM.
 */
int np_night_calibrate(const struct np_night *night, double sup_t0, double sup_t1, double left_t0,
		       double left_t1, struct np_calfile *cal, enum np_cal_problem *problem, int *which);

#endif
