/*
 * Guided mounting calibration, live: the wearer lies on the back and keeps still,
 * then turns onto the left side and keeps still, and each step is checked as the
 * samples arrive. A state machine fed with raw samples (g, sensor axes) and their
 * device time; no I/O, so the same steps run on a live link or in a test.
 */
#ifndef NIGHTPOSE_HOST_ANALYSIS_NP_GUIDE_H
#define NIGHTPOSE_HOST_ANALYSIS_NP_GUIDE_H

#include <stddef.h>

#include "np_calibration.h"
#include "np_posture.h"

#define NP_GUIDE_STILL_S 20.0 /* each posture held still this long */

enum np_guide_step {
	NP_GUIDE_BACK = 0, /* waiting for a still window on the back */
	NP_GUIDE_LEFT,     /* waiting for a still window on the left side */
	NP_GUIDE_DONE,     /* both taken: mount holds the result */
};

struct np_guide_window {
	double start_s, end_s;    /* device time of its first and last sample */
	struct np_cal_stats stats;
};

struct np_guide {
	double still_s;
	struct np_mount_limits lim;
	enum np_guide_step step;
	struct np_guide_window back, left;
	struct np_mount mount;
	enum np_cal_problem waiting; /* why the current step is not done yet */
	/* The last still_s of samples (a ring), owned. */
	struct np_vec3 *v;
	double *t;
	size_t cap, head, n;
	double last_check_s;
};

/* For samples at up to rate_hz (more are thinned). Returns NP_OK or NP_ERR_NOMEM / NP_ERR_ARG. */
int np_guide_init(struct np_guide *g, double rate_hz);
void np_guide_free(struct np_guide *g);

/*
 * Feed one sample v (g, sensor axes) at device time t_s (non-decreasing). Returns
 * the step after it. The back is taken when the last still_s are still (the limits
 * of np_mount_check_window()); the left side when they are still again and their
 * gravity is between lim.min_angle_deg and lim.max_angle_deg from the back's (a
 * still window closer to the back is the wearer not yet turned: g->waiting says
 * NP_CAL_NOT_SQUARE). At NP_GUIDE_DONE g->mount is np_mount_compute()'s result.
 */
enum np_guide_step np_guide_feed(struct np_guide *g, struct np_vec3 v, double t_s);

#endif
