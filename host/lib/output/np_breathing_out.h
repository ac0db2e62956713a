/* The breathing rate in reports: the text section and the JSON objects. */
#ifndef NIGHTPOSE_HOST_OUTPUT_NP_BREATHING_OUT_H
#define NIGHTPOSE_HOST_OUTPUT_NP_BREATHING_OUT_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "np_breathing.h"
#include "np_episodes.h"

/*
 * Report section: a heading and one line per lying position with time in it
 * (time_s[p] > 0). Returns NP_OK or NP_ERR_IO.
 */
int np_breathing_write_text(const struct np_breathing_est est[NP_POS_COUNT],
			    const double time_s[NP_POS_COUNT], FILE *f);

/*
 * JSON object keyed by lying position: {"status", "rate_per_min" (null unless ok),
 * "min_per_min", "max_per_min" (when ok), "episodes", "quality", "snr_db", "still_s",
 * "segments"}. NULL when out of memory.
 */
cJSON *np_breathing_to_json(const struct np_breathing_est est[NP_POS_COUNT]);

/*
 * JSON array, one object per lying episode: {"start_s", "end_s", "position", "status",
 * "rate_per_min" (null unless ok), "quality", "still_s"}. NULL when out of memory.
 */
cJSON *np_breathing_episodes_to_json(const struct np_episode *episodes,
				     const struct np_breathing_est *est, size_t n);

/*
 * JSON array, one object per window of np_breathing_episode_windows(), with the same
 * members as np_breathing_episodes_to_json() plus "moving_s" (seconds rejected as
 * movement or missing). NULL when out of memory.
 */
cJSON *np_breathing_windows_to_json(const struct np_breathing_window *w, size_t n);

#endif
