#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_err.h"
#include "np_fmt.h"
#include "np_json.h"
#include "np_report_sleep.h"

static bool local_tm(double start_utc_s, double t_s, struct tm *tm)
{
	if (!(start_utc_s > 0))
		return false;
	time_t t = (time_t)floor(start_utc_s + t_s);
	return localtime_r(&t, tm) != NULL;
}

/* "23:41" local, or "+7:41:05" from the start without a date. */
static void hm_text(double start_utc_s, double t_s, char *out, size_t cap)
{
	struct tm tm;
	if (local_tm(start_utc_s, t_s, &tm) && strftime(out, cap, "%H:%M", &tm) > 0)
		return;
	out[0] = '+';
	np_fmt_hms(t_s, out + 1, cap - 1);
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

static const enum np_position order[] = { NP_POS_SUPINE, NP_POS_PRONE, NP_POS_LEFT,
					  NP_POS_RIGHT, NP_POS_UPRIGHT, NP_POS_UNKNOWN };
#define N_ORDER (sizeof order / sizeof order[0])

static void positions_line(const char *what, const double *s, FILE *f)
{
	fprintf(f, "    %s:", what);
	const char *sep = " ";
	for (size_t i = 0; i < N_ORDER; i++) {
		if (s[order[i]] <= 0)
			continue;
		fprintf(f, "%s%s %.0f min", sep, np_position_name(order[i]), s[order[i]] / 60.0);
		sep = ", ";
	}
	fputs(*sep == ' ' ? " none\n" : "\n", f);
}

static void truth_text(const struct np_sleep_truth_score *t, FILE *f)
{
	if (!t->present)
		return;
	fprintf(f, "    Against the recording's sleep truth: %.1f%% of %u epochs agree "
		   "(%.1f%% of %u in bed)",
		pct(t->agreed, t->epochs), t->epochs, pct(t->in_bed_agreed, t->in_bed_epochs),
		t->in_bed_epochs);
	if (!isnan(t->onset_err_min))
		fprintf(f, "; onset %+.1f min, wake %+.1f min", t->onset_err_min, t->wake_err_min);
	fputs("\n", f);
}

static void night_text(const struct np_sleep_night_result *r, double t0, unsigned avoid_mask,
		       FILE *f)
{
	char a[32], b[32], c[32], d[32], names[96];
	struct tm tm;
	if (local_tm(t0, r->window_start_s, &tm) && strftime(a, sizeof a, "%Y-%m-%d", &tm) > 0)
		fprintf(f, "  Night %u (from noon %s):", r->number, a);
	else
		fprintf(f, "  Night %u:", r->number);
	if (!r->found) {
		fprintf(f, " no sleep period found (non-wear %.0f min)\n", r->nonwear_min);
		return;
	}
	hm_text(t0, r->lights_off_s, a, sizeof a);
	hm_text(t0, r->lights_on_s, b, sizeof b);
	hm_text(t0, r->onset_s, c, sizeof c);
	hm_text(t0, r->wake_s, d, sizeof d);
	fprintf(f, " in bed %s to %s, asleep %s to %s\n", a, b, c, d);
	fprintf(f, "    Time in bed %.0f min, sleep period %.0f min, asleep %.0f min "
		   "(efficiency %.0f%%)\n",
		r->time_in_bed_min, r->spt_min, r->tst_min, 100.0 * r->efficiency);
	fprintf(f, "    Fell asleep after %.0f min; awake %.0f min within the sleep period, "
		   "%u awakening%s of 5 min or more\n",
		r->sol_min, r->waso_min, r->awakenings, r->awakenings == 1 ? "" : "s");
	positions_line("Asleep", r->asleep_s, f);
	positions_line("Awake in bed", r->awake_in_bed_s, f);
	double as, aw;
	np_sleep_night_avoid(r, avoid_mask, &as, &aw);
	np_avoid_text(avoid_mask, ", ", names, sizeof names);
	fprintf(f, "    Positions to avoid (%s): %.0f min asleep, %.0f min awake in bed\n",
		names[0] ? names : "none", as / 60.0, aw / 60.0);
	if (r->nonwear_min > 0)
		fprintf(f, "    Sensor not worn: %.0f min (%.0f min inside the sleep period)\n",
			r->nonwear_min, r->nonwear_spt_min);
	if (r->relied_on_guider)
		fputs("    No still period inside the guider: its edges were used (GGIR's rule)\n", f);
	truth_text(&r->truth, f);
}

int np_report_sleep_write_text(const struct np_night_sleep *s, double start_utc_s,
			       unsigned avoid_mask, FILE *f)
{
	fprintf(f, "\nSleep (GGIR's algorithms on the trunk, 5-s epochs; sleep period guider: %s):\n",
		np_sleep_guider_name(s->guider));
	if (!(s->rate_hz > 0)) {
		fputs("  Not enough data for the sleep algorithms (a few minutes are needed).\n", f);
		return ferror(f) ? NP_ERR_IO : NP_OK;
	}
	fprintf(f, "  Sensor not worn (put down, excluded): %.0f min of the recording\n",
		s->nonwear_min);
	if (s->n_nights == 0)
		fputs("  No night with data.\n", f);
	for (size_t i = 0; i < s->n_nights; i++)
		night_text(&s->nights[i], start_utc_s, avoid_mask, f);
	return ferror(f) ? NP_ERR_IO : NP_OK;
}

void np_report_sleep_write_advice(const struct np_night_sleep *s, FILE *f)
{
	double prone = 0, supine = 0, tst = 0;
	bool any = false;
	for (size_t i = 0; i < s->n_nights; i++) {
		const struct np_sleep_night_result *r = &s->nights[i];
		if (!r->found)
			continue;
		any = true;
		prone += r->asleep_s[NP_POS_PRONE];
		supine += r->asleep_s[NP_POS_SUPINE];
		tst += r->tst_min * 60.0;
	}
	if (!any)
		return;
	fprintf(f, "  - While asleep: on your stomach %.0f min, on your back %.0f min (%.0f%% and "
		   "%.0f%% of the time asleep).\n",
		prone / 60.0, supine / 60.0, pct(prone, tst), pct(supine, tst));
}

/* ---- JSON ---- */

static cJSON *minutes_json(const double *s)
{
	cJSON *o = cJSON_CreateObject();
	for (unsigned p = 0; o && p < NP_POS_COUNT; p++)
		np_json_add_number(o, np_position_name((enum np_position)p), s[p] / 60.0, NP_JSON_RATE);
	return o;
}

static cJSON *spans_json(const struct np_sleep_span *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		np_json_add_number(o, "start_s", v[i].start_s, NP_JSON_S);
		np_json_add_number(o, "end_s", v[i].end_s, NP_JSON_S);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void add_or_null(cJSON *o, const char *key, double v, int dec)
{
	if (isfinite(v))
		np_json_add_number(o, key, v, dec);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *truth_json(const struct np_sleep_truth_score *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "epochs", t->epochs);
	add_or_null(o, "agreement", t->epochs ? (double)t->agreed / t->epochs : NAN, NP_JSON_FRAC);
	cJSON_AddNumberToObject(o, "in_bed_epochs", t->in_bed_epochs);
	add_or_null(o, "in_bed_agreement",
		    t->in_bed_epochs ? (double)t->in_bed_agreed / t->in_bed_epochs : NAN,
		    NP_JSON_FRAC);
	add_or_null(o, "onset_s", t->onset_s, NP_JSON_S);
	add_or_null(o, "wake_s", t->wake_s, NP_JSON_S);
	add_or_null(o, "onset_error_min", t->onset_err_min, NP_JSON_RATE);
	add_or_null(o, "wake_error_min", t->wake_err_min, NP_JSON_RATE);
	return o;
}

/* The figures of one night into o (the night object, or the top of "sleep"). */
static void night_fields(cJSON *o, const struct np_night_sleep *s,
			 const struct np_sleep_night_result *r, double t0, unsigned avoid_mask)
{
	static const char *const clocks[] = { "lights_off", "lights_on", "onset", "wake" };
	const double at[] = { r->lights_off_s, r->lights_on_s, r->onset_s, r->wake_s };
	cJSON_AddNumberToObject(o, "night", r->number);
	np_json_add_number(o, "window_start_s", r->window_start_s, NP_JSON_S);
	np_json_add_number(o, "window_end_s", r->window_end_s, NP_JSON_S);
	cJSON_AddBoolToObject(o, "found", r->found);
	np_json_add_number(o, "nonwear_min", r->nonwear_min, NP_JSON_RATE);
	if (r->truth.present)
		cJSON_AddItemToObject(o, "truth", truth_json(&r->truth));
	if (!r->found)
		return;
	for (size_t k = 0; k < 4; k++)
		np_json_add_clock(o, clocks[k], t0, at[k]);
	np_json_add_number(o, "spt_start_s", r->onset_s, NP_JSON_S);
	np_json_add_number(o, "spt_end_s", r->wake_s, NP_JSON_S);
	np_json_add_number(o, "lights_off_s", r->lights_off_s, NP_JSON_S);
	np_json_add_number(o, "lights_on_s", r->lights_on_s, NP_JSON_S);
	np_json_add_number(o, "guider_start_s", r->guider_start_s, NP_JSON_S);
	np_json_add_number(o, "guider_end_s", r->guider_end_s, NP_JSON_S);
	np_json_add_number(o, "time_in_bed_min", r->time_in_bed_min, NP_JSON_RATE);
	np_json_add_number(o, "spt_min", r->spt_min, NP_JSON_RATE);
	np_json_add_number(o, "tst_min", r->tst_min, NP_JSON_RATE);
	np_json_add_number(o, "waso_min", r->waso_min, NP_JSON_RATE);
	np_json_add_number(o, "sol_min", r->sol_min, NP_JSON_RATE);
	np_json_add_number(o, "efficiency", r->efficiency, NP_JSON_FRAC);
	cJSON_AddNumberToObject(o, "awakenings", r->awakenings);
	np_json_add_number(o, "nonwear_spt_min", r->nonwear_spt_min, NP_JSON_RATE);
	cJSON_AddBoolToObject(o, "relied_on_guider", r->relied_on_guider);
	cJSON_AddItemToObject(o, "positions_asleep", minutes_json(r->asleep_s));
	cJSON_AddItemToObject(o, "positions_awake_in_bed", minutes_json(r->awake_in_bed_s));
	double as, aw;
	np_sleep_night_avoid(r, avoid_mask, &as, &aw);
	cJSON *av = cJSON_AddObjectToObject(o, "avoid");
	cJSON_AddItemToObject(av, "positions", np_json_positions(avoid_mask));
	np_json_add_number(av, "asleep_min", as / 60.0, NP_JSON_RATE);
	np_json_add_number(av, "awake_in_bed_min", aw / 60.0, NP_JSON_RATE);
	cJSON_AddItemToObject(o, "wake_bouts", spans_json(s->wake + r->first_bout, r->n_bouts));
}

cJSON *np_report_sleep_to_json(const struct np_night_sleep *s, double start_utc_s,
			       unsigned avoid_mask)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "guider", np_sleep_guider_name(s->guider));
	np_json_add_number(o, "epoch_s", s->epoch_s, NP_JSON_S);
	cJSON_AddBoolToObject(o, "available", s->rate_hz > 0);
	np_json_add_number(o, "nonwear_min", s->nonwear_min, NP_JSON_RATE);
	cJSON_AddItemToObject(o, "nonwear", spans_json(s->nonwear_spans, s->n_nonwear_spans));
	const struct np_sleep_night_result *m = np_night_sleep_main(s);
	if (m) {
		/* The main night's figures also at the top, for one-night readers; the
		   recording's own keys (nonwear_min) stay. */
		cJSON *top = cJSON_CreateObject();
		if (top)
			night_fields(top, s, m, start_utc_s, avoid_mask);
		for (cJSON *it = top ? top->child : NULL; it; it = it->next)
			if (!cJSON_HasObjectItem(o, it->string))
				cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, 1));
		cJSON_Delete(top);
	} else {
		cJSON_AddNullToObject(o, "night");
	}
	cJSON *nights = cJSON_AddArrayToObject(o, "nights");
	for (size_t i = 0; nights && i < s->n_nights; i++) {
		cJSON *n = cJSON_CreateObject();
		night_fields(n, s, &s->nights[i], start_utc_s, avoid_mask);
		cJSON_AddItemToArray(nights, n);
	}
	return o;
}
