#include <math.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "np_breathing_out.h"
#include "np_episodes.h"
#include "np_err.h"
#include "np_json.h"

int np_breathing_write_text(const struct np_breathing_est est[NP_POS_COUNT],
			    const double time_s[NP_POS_COUNT], FILE *f)
{
	static const enum np_position order[] = {NP_POS_SUPINE, NP_POS_LEFT, NP_POS_RIGHT,
						 NP_POS_PRONE};
	fputs("\nBreathing rate while lying still (chest motion, 0.1-0.7 Hz):\n", f);
	size_t lines = 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const struct np_breathing_est *e = &est[order[i]];
		if (!(time_s[order[i]] > 0))
			continue;
		lines++;
		fprintf(f, "  %-8s ", np_position_name(order[i]));
		if (e->status == NP_BREATH_OK && e->episodes > 1)
			fprintf(f, "%4.1f breaths/min  (%.1f to %.1f over %u episodes, %.0f min still)\n",
				e->rate_bpm, e->rate_lo_bpm, e->rate_hi_bpm, e->episodes,
				e->still_s / 60.0);
		else if (e->status == NP_BREATH_OK)
			fprintf(f, "%4.1f breaths/min  (quality %.2f, %.0f min still)\n", e->rate_bpm,
				e->quality, e->still_s / 60.0);
		else
			fprintf(f, "%s (%.0f min still)\n", np_breathing_status_text(e->status),
				e->still_s / 60.0);
	}
	if (lines == 0)
		fputs("  not measured: no time lying\n", f);
	return ferror(f) ? NP_ERR_IO : NP_OK;
}

cJSON *np_breathing_to_json(const struct np_breathing_est est[NP_POS_COUNT])
{
	cJSON *o = cJSON_CreateObject();
	for (int p = 0; o && p < NP_POS_COUNT; p++) {
		if (!np_position_is_lying((enum np_position)p))
			continue;
		const struct np_breathing_est *e = &est[p];
		cJSON *b = cJSON_AddObjectToObject(o, np_position_name((enum np_position)p));
		if (!b) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddStringToObject(b, "status", np_breathing_status_text(e->status));
		if (e->status == NP_BREATH_OK) {
			np_json_add_number(b, "rate_per_min", e->rate_bpm, NP_JSON_RATE);
			np_json_add_number(b, "min_per_min", e->rate_lo_bpm, NP_JSON_RATE);
			np_json_add_number(b, "max_per_min", e->rate_hi_bpm, NP_JSON_RATE);
		} else {
			cJSON_AddNullToObject(b, "rate_per_min");
		}
		cJSON_AddNumberToObject(b, "episodes", e->episodes);
		np_json_add_number(b, "quality", e->quality, NP_JSON_FRAC);
		np_json_add_number(b, "snr_db", e->snr_db, NP_JSON_DB);
		np_json_add_number(b, "still_s", e->still_s, NP_JSON_S);
		cJSON_AddNumberToObject(b, "segments", e->segments);
	}
	return o;
}

/* {"start_s", "end_s", "position", "status", "rate_per_min", "quality", "still_s"}
 * appended to array a; NULL (and a deleted) when out of memory. */
static cJSON *add_span_json(cJSON *a, double start_s, double end_s, enum np_position p,
			    const struct np_breathing_est *e)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(a, o)) {
		cJSON_Delete(o);
		cJSON_Delete(a);
		return NULL;
	}
	np_json_add_number(o, "start_s", start_s, NP_JSON_S);
	np_json_add_number(o, "end_s", end_s, NP_JSON_S);
	cJSON_AddStringToObject(o, "position", np_position_name(p));
	cJSON_AddStringToObject(o, "status", np_breathing_status_text(e->status));
	if (e->status == NP_BREATH_OK)
		np_json_add_number(o, "rate_per_min", e->rate_bpm, NP_JSON_RATE);
	else
		cJSON_AddNullToObject(o, "rate_per_min");
	np_json_add_number(o, "quality", e->quality, NP_JSON_FRAC);
	np_json_add_number(o, "still_s", e->still_s, NP_JSON_S);
	return o;
}

cJSON *np_breathing_episodes_to_json(const struct np_episode *episodes,
				     const struct np_breathing_est *est, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && est && i < n; i++) {
		if (np_position_is_lying(episodes[i].position) &&
		    !add_span_json(a, episodes[i].start_s, episodes[i].end_s, episodes[i].position,
				   &est[i]))
			return NULL;
	}
	return a;
}

cJSON *np_breathing_windows_to_json(const struct np_breathing_window *w, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && w && i < n; i++) {
		const struct np_breathing_est *e = &w[i].est;
		cJSON *o = add_span_json(a, e->start_s, e->end_s, w[i].position, e);
		if (!o)
			return NULL;
		np_json_add_number(o, "moving_s", e->moving_s, NP_JSON_S);
	}
	return a;
}
