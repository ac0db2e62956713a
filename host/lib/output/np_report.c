#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_episodes.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_json.h"
#include "np_array.h"
#include "np_breathing_out.h"
#include "np_report.h"
#include "np_report_sleep.h"

void np_report_cfg_default(struct np_report_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->avoid_mask = NP_POS_BIT(NP_POS_PRONE);
	np_posture_cfg_default(&cfg->posture);
}

static void keep_longest(struct np_report *r, const struct np_episode *e)
{
	size_t n = r->n_longest_avoid;
	size_t i = n < NP_REPORT_LONGEST ? n : NP_REPORT_LONGEST - 1;
	double len = e->end_s - e->start_s;
	if (n == NP_REPORT_LONGEST && len <= r->longest_avoid[i].end_s - r->longest_avoid[i].start_s)
		return;
	while (i > 0 && r->longest_avoid[i - 1].end_s - r->longest_avoid[i - 1].start_s < len) {
		r->longest_avoid[i] = r->longest_avoid[i - 1];
		i--;
	}
	r->longest_avoid[i] = *e;
	if (n < NP_REPORT_LONGEST)
		r->n_longest_avoid++;
}

/*
 * The time an interval [start_s, end_s) counts for in the report: up to the
 * recording's end. np_epochs_compute() keeps its full length for an epoch whose
 * only sample lies at the very end (a one-sample recording has a span of 0 and one
 * 30-s epoch), and the epochs CSV says so; the sums per position stay within the span.
 */
static double clipped_end(double start_s, double end_s, double span_s)
{
	return fmax(start_s, fmin(end_s, span_s));
}

/* Time per position, lying and avoided; movement while lying; agreement with labels. */
static void add_epochs(struct np_report *r, const struct np_epochs *ep, unsigned avoid_mask)
{
	size_t lying_epochs = 0, restless = 0;
	double move_sum = 0;
	for (size_t k = 0; k < ep->n; k++) {
		const struct np_epoch *e = &ep->v[k];
		double len = clipped_end(e->start_s, e->end_s, r->span_s) - e->start_s;
		r->time_s[e->position] += len;
		if (np_position_is_lying(e->position)) {
			r->lying_s += len;
			lying_epochs++;
			move_sum += e->movement_mg;
			restless += !e->still;
		}
		if (avoid_mask & NP_POS_BIT(e->position))
			r->avoid_s += len;
		if (e->has_label) {
			unsigned row = e->label_lying ? NP_POS_COUNT : (unsigned)e->label;
			r->confusion[row][e->position]++;
			r->labelled++;
			r->agreed += e->label_lying ? np_position_is_lying(e->position) : e->label == e->position;
		}
	}
	r->unknown_s = r->time_s[NP_POS_UNKNOWN];
	if (lying_epochs) {
		r->movement_mg = move_sum / (double)lying_epochs;
		r->restless_fraction = (double)restless / (double)lying_epochs;
	}
}

/* Position changes while lying, the longest episode and the episodes to avoid. */
static void add_episodes(struct np_report *r, unsigned avoid_mask)
{
	for (size_t i = 0; i < r->n_episodes; i++)
		r->episodes[i].end_s = clipped_end(r->episodes[i].start_s, r->episodes[i].end_s,
						   r->span_s);
	enum np_position prev = NP_POS_UNKNOWN;
	for (size_t i = 0; i < r->n_episodes; i++) {
		const struct np_episode *e = &r->episodes[i];
		if (!np_position_is_lying(e->position))
			continue;
		if (np_position_is_lying(prev) && prev != e->position)
			r->changes++;
		prev = e->position;
		if (!r->has_longest || e->end_s - e->start_s > r->longest.end_s - r->longest.start_s) {
			r->longest = *e;
			r->has_longest = true;
		}
		if (avoid_mask & NP_POS_BIT(e->position)) {
			r->avoid_episodes++;
			r->avoid_episode_s += e->end_s - e->start_s;
			keep_longest(r, e);
		}
	}
	r->changes_per_hour = r->lying_s > 0 ? (double)r->changes / (r->lying_s / 3600.0) : 0.0;
}

/* Breathing rate per position, per episode and per window of each episode. */
static int add_breathing(struct np_report *r, const struct np_night *night)
{
	struct np_breathing_cfg bcfg;
	np_breathing_cfg_default(&bcfg);
	r->episode_breathing = calloc(r->n_episodes ? r->n_episodes : 1, sizeof *r->episode_breathing);
	if (!r->episode_breathing)
		return NP_ERR_NOMEM;
	int rc = np_breathing_by_position(&night->sensor[0], r->episodes, r->n_episodes, &bcfg,
					  r->breathing, r->episode_breathing);
	if (rc != NP_OK)
		return rc;
	return np_breathing_episode_windows(&night->sensor[0], r->episodes, r->n_episodes, &bcfg,
					    &r->breathing_windows, &r->n_breathing_windows);
}

/* The night's alerts, host and device, in time order (the events are). */
static int add_alerts(struct np_report *r, const struct np_night *night)
{
	size_t cap = 0;
	for (size_t i = 0; i < night->n_events; i++) {
		const struct np_night_event *e = &night->events[i];
		enum np_alert_source src;
		if (!np_alert_source_of(e->origin, e->ev.kind, &src))
			continue;
		if (np_array_reserve((void **)&r->alerts, &cap, r->n_alerts + 1, sizeof *r->alerts) != NP_OK)
			return NP_ERR_NOMEM;
		r->alerts[r->n_alerts++] = (struct np_report_alert){
			.t_s = e->t_s, .position = (enum np_position)e->ev.position, .level = e->ev.level,
			.source = src,
		};
		r->alerts_by[src]++;
	}
	return NP_OK;
}

int np_report_build(const struct np_night *night, const struct np_epochs *ep,
		    const struct np_report_cfg *cfg, struct np_report *r)
{
	memset(r, 0, sizeof *r);
	r->start_utc_s = night->start_utc_s;
	r->span_s = night->duration_s;
	r->epoch_s = ep->epoch_s;
	r->avoid_mask = cfg->avoid_mask;
	r->calibrated = ep->calibrated;
	r->autocal = ep->autocal;
	r->has_labels = ep->has_labels;
	r->min_dwell_s = cfg->posture.min_dwell_ms / 1000.0;

	add_epochs(r, ep, cfg->avoid_mask);
	r->n_gaps = night->n_gaps;
	for (size_t i = 0; i < night->n_gaps; i++)
		r->gap_s += night->gaps[i].end_s - night->gaps[i].start_s;
	r->lost_frames = night->stats.device.frames_missed;
	r->corrupt_records = (unsigned long long)night->stats.corrupt_records;
	r->clock_jumps = night->clock_jumps;

	snprintf(r->cal_source, sizeof r->cal_source, "%s", ep->cal_source);
	r->autocal_from_cal = ep->autocal_from_cal;
	int rc = add_alerts(r, night);
	if (rc != NP_OK)
		return rc;
	rc = np_episodes_build(ep, &cfg->posture, &r->episodes, &r->n_episodes);
	if (rc != NP_OK)
		return rc;
	add_episodes(r, cfg->avoid_mask);
	return add_breathing(r, night);
}

void np_report_free(struct np_report *r)
{
	if (!r)
		return;
	free(r->alerts);
	r->alerts = NULL;
	r->n_alerts = 0;
	free(r->episodes);
	r->episodes = NULL;
	free(r->episode_breathing);
	r->episode_breathing = NULL;
	free(r->breathing_windows);
	r->breathing_windows = NULL;
	r->n_breathing_windows = 0;
	r->n_episodes = 0;
}

static bool is_short(const struct np_report *r)
{
	return r->span_s < NP_REPORT_SHORT_S;
}

/* "2026-01-06 23:41 CET" (with seconds for a short recording) local clock time of a
 * recording offset, or "+1:02:03" without a start time. */
static void clock_text(const struct np_report *r, double t_s, char *out, size_t cap)
{
	if (r->start_utc_s > 0) {
		time_t t = (time_t)floor(r->start_utc_s + t_s);
		struct tm tm;
		const char *fmt = is_short(r) ? "%Y-%m-%d %H:%M:%S %Z" : "%Y-%m-%d %H:%M %Z";
		if (localtime_r(&t, &tm) && strftime(out, cap, fmt, &tm) > 0)
			return;
	}
	out[0] = '+';
	np_fmt_hms(t_s, out + 1, cap - 1);
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

static void write_advice(const struct np_report *r, FILE *f)
{
	double side = r->time_s[NP_POS_LEFT] + r->time_s[NP_POS_RIGHT];
	double back = r->time_s[NP_POS_SUPINE], stomach = r->time_s[NP_POS_PRONE];

	fputs("\nFor lower back pain (advice of the reference article, applied to this night):\n", f);
	if (r->lying_s <= 0) {
		fputs("  No time lying was recorded, so there is nothing to compare with the advice.\n", f);
	} else {
		fprintf(f, "  - On your side: %.0f min (%.0f%% of the time lying). Lying on your side with the\n"
			   "    knees slightly bent and a pillow between them is the advised position.\n"
			   "    (The sensor cannot tell whether your knees were bent.)\n",
			side / 60.0, pct(side, r->lying_s));
		fprintf(f, "  - On your back: %.0f min (%.0f%%). On your back, put pillows under your knees\n"
			   "    (and a small one under your lower back).\n",
			back / 60.0, pct(back, r->lying_s));
		if (stomach > 0)
			fprintf(f, "  - On your stomach: %.0f min (%.0f%%). Sleeping on your stomach is best avoided.\n",
				stomach / 60.0, pct(stomach, r->lying_s));
		else
			fputs("  - You did not lie on your stomach: good, that position is best avoided.\n", f);
		if (r->sleep)
			np_report_sleep_write_advice(r->sleep, f);
	}
	fputs("  This is general information, not medical advice. If back pain persists or comes\n"
	      "  with other symptoms, see a doctor.\n",
	      f);
}

static const enum np_position report_order[] = { NP_POS_SUPINE, NP_POS_PRONE, NP_POS_LEFT,
						 NP_POS_RIGHT, NP_POS_UPRIGHT, NP_POS_UNKNOWN };

static void write_header(const struct np_report *r, FILE *f)
{
	char a[48], b[48], d[32], ac[160];
	clock_text(r, 0, a, sizeof a);
	clock_text(r, r->span_s, b, sizeof b);
	np_fmt_duration(r->span_s, d, sizeof d);
	fprintf(f, "%s %s%s to %s: %s recorded (epochs of %g s)\n",
		is_short(r) ? "Recording of" : "Night of",
		r->start_utc_s > 0 ? "" : "unknown date, times from the start: ", a, b, d, r->epoch_s);
	if (is_short(r))
		fprintf(f, "  Shorter than %.0f min: positions only, no breathing rate.\n",
			NP_REPORT_SHORT_S / 60.0);
	fprintf(f, "Mounting: %s\n", r->calibrated ? "from the calibration file"
						: "default (no calibration file: sensor x to the head, "
						  "y to the left, z out of the chest)");
	np_autocal_describe(&r->autocal, ac, sizeof ac);
	if (r->autocal_from_cal)
		fprintf(f, "Sensor autocalibration: that of the calibration recording %s (this night's "
			   "still periods could not make one): %s\n", r->cal_source, ac);
	else
		fprintf(f, "Sensor autocalibration (this night): %s\n", ac);
}

static void write_positions(const struct np_report *r, FILE *f)
{
	char d[32], names[96];
	np_fmt_duration(r->lying_s, d, sizeof d);
	fprintf(f, "\nTime lying: %s (%.0f%% of the recording)\n", d, pct(r->lying_s, r->span_s));
	fputs("Time per position (share of the recording):\n", f);
	for (size_t i = 0; i < sizeof report_order / sizeof report_order[0]; i++) {
		double t = r->time_s[report_order[i]];
		if (is_short(r))
			fprintf(f, "  %-8s %7.0f s    %5.1f%%\n", np_position_name(report_order[i]), t,
				pct(t, r->span_s));
		else
			fprintf(f, "  %-8s %7.1f min  %5.1f%%\n", np_position_name(report_order[i]),
				t / 60.0, pct(t, r->span_s));
	}
	np_avoid_text(r->avoid_mask, ", ", names, sizeof names);
	np_fmt_duration(r->avoid_s, d, sizeof d);
	/* Two measures that can differ by a minute: say which is which rather than hide one. */
	fprintf(f, "\nPositions to avoid (%s): %s counted in %g-s epochs (%.1f%% of the time lying)\n",
		names, d, r->epoch_s, pct(r->avoid_s, r->lying_s));
	np_fmt_duration(r->avoid_episode_s, d, sizeof d);
	fprintf(f, "  %zu episode%s, %s after smoothing (a turn shorter than %g s does not count)%s\n",
		r->avoid_episodes, r->avoid_episodes == 1 ? "" : "s", d, r->min_dwell_s,
		r->n_longest_avoid > 1 ? "; the longest:" : r->n_longest_avoid ? ":" : "");
	for (size_t i = 0; i < r->n_longest_avoid; i++) {
		const struct np_episode *e = &r->longest_avoid[i];
		char a[48];
		clock_text(r, e->start_s, a, sizeof a);
		np_fmt_duration(e->end_s - e->start_s, d, sizeof d);
		fprintf(f, "  %s %s from %s\n", np_position_name(e->position), d, a);
	}
}

static const char *source_name(enum np_alert_source s)
{
	return s == NP_ALERT_FROM_DEVICE ? "device" : "host";
}

static void write_alerts(const struct np_report *r, FILE *f)
{
	if (r->n_alerts == 0) {
		fputs("Alerts: none logged\n", f);
		return;
	}
	fprintf(f, "Alerts: %zu (%zu by this computer, %zu by the device itself)%s\n", r->n_alerts,
		r->alerts_by[NP_ALERT_FROM_HOST], r->alerts_by[NP_ALERT_FROM_DEVICE],
		r->n_alerts > NP_REPORT_ALERTS_LISTED ? "; the first:" : ":");
	for (size_t i = 0; i < r->n_alerts && i < NP_REPORT_ALERTS_LISTED; i++) {
		const struct np_report_alert *a = &r->alerts[i];
		char t[48];
		clock_text(r, a->t_s, t, sizeof t);
		fprintf(f, "  %s  %s, level %u (%s)\n", t, np_position_name(a->position), a->level,
			source_name(a->source));
	}
}

static void write_episodes_and_quality(const struct np_report *r, FILE *f)
{
	char a[48], d[32];
	if (r->has_longest) {
		clock_text(r, r->longest.start_s, a, sizeof a);
		np_fmt_duration(r->longest.end_s - r->longest.start_s, d, sizeof d);
		fprintf(f, "Longest episode (smoothed): %s, %s from %s\n",
			np_position_name(r->longest.position), d, a);
	}
	fprintf(f, "Position changes: %zu (%.1f per hour lying)\n", r->changes, r->changes_per_hour);
	fprintf(f, "Movement while lying: %.1f mg on average, restless in %.0f%% of the epochs\n",
		r->movement_mg, 100.0 * r->restless_fraction);
	write_alerts(r, f);
	np_fmt_duration(r->unknown_s, d, sizeof d);
	fprintf(f, "Data quality: %zu gap%s (%.0f s), %u lost frames, %llu corrupted records, "
		   "%s unknown\n",
		r->n_gaps, r->n_gaps == 1 ? "" : "s", r->gap_s, r->lost_frames, r->corrupt_records, d);
	if (r->clock_jumps)
		fprintf(f, "  The device clock jumped %u time%s: the data after %s placed by the "
			   "host's receive times, to about a second.\n",
			r->clock_jumps, r->clock_jumps == 1 ? "" : "s",
			r->clock_jumps == 1 ? "it is" : "each jump is");
}

static void write_labels(const struct np_report *r, FILE *f)
{
	fprintf(f, "\nAgreement with the recording's labels: %.1f%% of %u labelled epochs\n",
		pct(r->agreed, r->labelled), r->labelled);
	fputs("  truth \\ found  supine  prone   left  right upright unknown  agree\n", f);
	for (unsigned t = 0; t <= NP_POS_COUNT; t++) {
		unsigned row = 0, ok = 0;
		if (t == NP_POS_UNKNOWN)
			continue;
		for (unsigned p = 0; p < NP_POS_COUNT; p++) {
			row += r->confusion[t][p];
			ok += t == NP_POS_COUNT ? (np_position_is_lying((enum np_position)p) ? r->confusion[t][p] : 0)
						: (p == t ? r->confusion[t][p] : 0);
		}
		if (!row)
			continue;
		fprintf(f, "  %-13s", t == NP_POS_COUNT ? "lying" : np_position_name((enum np_position)t));
		for (size_t i = 0; i < sizeof report_order / sizeof report_order[0]; i++)
			fprintf(f, " %6u", r->confusion[t][report_order[i]]);
		fprintf(f, " %5.1f%%\n", pct(ok, row));
	}
}

int np_report_write_text(const struct np_report *r, FILE *f)
{
	write_header(r, f);
	write_positions(r, f);
	write_episodes_and_quality(r, f);
	if (!is_short(r))
		np_breathing_write_text(r->breathing, r->time_s, f);
	if (r->has_labels)
		write_labels(r, f);
	if (r->sleep)
		np_report_sleep_write_text(r->sleep, r->start_utc_s, r->avoid_mask, f);
	write_advice(r, f);
	return ferror(f) ? NP_ERR_IO : NP_OK;
}

static cJSON *alerts_json(const struct np_report *r)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < r->n_alerts; i++) {
		const struct np_report_alert *x = &r->alerts[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		np_json_add_number(o, "t_s", x->t_s, NP_JSON_S);
		np_json_add_clock(o, "clock", r->start_utc_s, x->t_s);
		cJSON_AddStringToObject(o, "position", np_position_name(x->position));
		cJSON_AddNumberToObject(o, "level", x->level);
		cJSON_AddStringToObject(o, "source", source_name(x->source));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* Every percentage of the report with its denominator in its name. */
static cJSON *shares_json(const struct np_report *r)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *tp = cJSON_AddObjectToObject(s, "position_pct_of_recording");
	for (unsigned p = 0; p < NP_POS_COUNT; p++)
		np_json_add_number(tp, np_position_name((enum np_position)p), pct(r->time_s[p], r->span_s),
				   NP_JSON_PCT);
	np_json_add_number(s, "lying_pct_of_recording", pct(r->lying_s, r->span_s), NP_JSON_PCT);
	np_json_add_number(s, "avoid_pct_of_lying", pct(r->avoid_s, r->lying_s), NP_JSON_PCT);
	return s;
}

static cJSON *episode_json(const struct np_report *r, const struct np_episode *e)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "position", np_position_name(e->position));
	np_json_add_number(o, "start_s", e->start_s, NP_JSON_S);
	np_json_add_number(o, "end_s", e->end_s, NP_JSON_S);
	np_json_add_clock(o, "start_clock", r->start_utc_s, e->start_s);
	return o;
}

int np_report_write_json(const struct np_report *r, FILE *f)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NP_ERR_NOMEM;
	np_json_add_clock(o, "start_clock", r->start_utc_s, 0);
	np_json_add_clock(o, "end_clock", r->start_utc_s, r->span_s);
	if (r->start_utc_s > 0)
		np_json_add_number(o, "start_utc_s", r->start_utc_s, NP_JSON_S);
	else
		cJSON_AddNullToObject(o, "start_utc_s");
	np_json_add_number(o, "span_s", r->span_s, NP_JSON_S);
	np_json_add_number(o, "epoch_s", r->epoch_s, NP_JSON_S);
	cJSON_AddStringToObject(o, "mounting", r->calibrated ? "calibration" : "default");
	cJSON_AddItemToObject(o, "autocalibration", np_calfile_autocal_json(&r->autocal));
	if (r->autocal_from_cal)
		cJSON_AddStringToObject(o, "autocalibration_from", r->cal_source);
	else
		cJSON_AddStringToObject(o, "autocalibration_from", "this night");
	np_json_add_number(o, "lying_s", r->lying_s, NP_JSON_S);
	cJSON *tp = cJSON_AddObjectToObject(o, "time_s");
	for (unsigned p = 0; p < NP_POS_COUNT; p++)
		np_json_add_number(tp, np_position_name((enum np_position)p), r->time_s[p],
				   NP_JSON_S);
	cJSON *av = cJSON_AddObjectToObject(o, "avoid");
	cJSON_AddItemToObject(av, "positions", np_json_positions(r->avoid_mask));
	np_json_add_number(av, "time_s", r->avoid_s, NP_JSON_S);
	cJSON_AddNumberToObject(av, "episodes", (double)r->avoid_episodes);
	np_json_add_number(av, "episode_time_s", r->avoid_episode_s, NP_JSON_S);
	cJSON *lg = cJSON_AddArrayToObject(av, "longest");
	for (size_t i = 0; i < r->n_longest_avoid; i++)
		cJSON_AddItemToArray(lg, episode_json(r, &r->longest_avoid[i]));
	if (r->has_longest)
		cJSON_AddItemToObject(o, "longest_episode", episode_json(r, &r->longest));
	cJSON_AddItemToObject(o, "shares", shares_json(r));
	cJSON_AddItemToObject(o, "alerts", alerts_json(r));
	cJSON_AddNumberToObject(o, "position_changes", (double)r->changes);
	np_json_add_number(o, "changes_per_hour", r->changes_per_hour, NP_JSON_RATE);
	cJSON *mv = cJSON_AddObjectToObject(o, "movement");
	np_json_add_number(mv, "mean_mg", r->movement_mg, NP_JSON_MG);
	np_json_add_number(mv, "restless_fraction", r->restless_fraction, NP_JSON_FRAC);
	cJSON *q = cJSON_AddObjectToObject(o, "quality");
	cJSON_AddNumberToObject(q, "gaps", (double)r->n_gaps);
	np_json_add_number(q, "gap_s", r->gap_s, NP_JSON_S);
	cJSON_AddNumberToObject(q, "lost_frames", r->lost_frames);
	cJSON_AddNumberToObject(q, "corrupt_records", (double)r->corrupt_records);
	cJSON_AddNumberToObject(q, "clock_jumps", r->clock_jumps);
	np_json_add_number(q, "unknown_s", r->unknown_s, NP_JSON_S);
	cJSON *eps = cJSON_AddArrayToObject(o, "episodes");
	for (size_t i = 0; i < r->n_episodes; i++)
		cJSON_AddItemToArray(eps, episode_json(r, &r->episodes[i]));
	if (r->has_labels) {
		cJSON *lab = cJSON_AddObjectToObject(o, "labels");
		cJSON_AddNumberToObject(lab, "epochs", r->labelled);
		np_json_add_number(lab, "agreement", r->labelled ? (double)r->agreed / r->labelled : 0.0, NP_JSON_FRAC);
		cJSON *cm = cJSON_AddObjectToObject(lab, "confusion");
		for (unsigned t = 0; t <= NP_POS_COUNT; t++) {
			if (t == NP_POS_UNKNOWN)
				continue;
			cJSON *row = cJSON_AddObjectToObject(cm, t == NP_POS_COUNT ? "lying"
									     : np_position_name((enum np_position)t));
			for (unsigned p = 0; p < NP_POS_COUNT; p++)
				cJSON_AddNumberToObject(row, np_position_name((enum np_position)p),
							r->confusion[t][p]);
		}
	}
	cJSON_AddItemToObject(o, "breathing", np_breathing_to_json(r->breathing));
	cJSON_AddItemToObject(o, "breathing_episodes",
			      np_breathing_episodes_to_json(r->episodes, r->episode_breathing,
							    r->n_episodes));
	cJSON_AddItemToObject(o, "breathing_windows",
			      np_breathing_windows_to_json(r->breathing_windows,
							   r->n_breathing_windows));
	if (r->sleep)
		cJSON_AddItemToObject(o, "sleep", np_report_sleep_to_json(r->sleep, r->start_utc_s,
									  r->avoid_mask));
	cJSON_AddStringToObject(o, "note", "general information, not medical advice");
	return np_json_line(o, f);
}

