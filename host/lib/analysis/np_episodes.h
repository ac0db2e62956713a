/* Episodes: runs of one position over the epochs, with hysteresis and minimum dwell. */
#ifndef NIGHTPOSE_HOST_ANALYSIS_NP_EPISODES_H
#define NIGHTPOSE_HOST_ANALYSIS_NP_EPISODES_H

#include <stddef.h>

#include "np_epochs.h"
#include "np_posture.h"

struct np_episode {
	double start_s, end_s;
	enum np_position position;
};

/*
 * Episodes from the epochs' mean vectors through np_posture_tracker (hysteresis,
 * minimum dwell): a turn shorter than cfg->min_dwell_ms does not split an episode.
 * Epochs without data feed a zero vector, so a long gap becomes an `unknown` episode.
 * Returns NP_OK or NP_ERR_NOMEM; free *out.
 */
int np_episodes_build(const struct np_epochs *e, const struct np_posture_cfg *cfg,
		      struct np_episode **out, size_t *n);

#endif
