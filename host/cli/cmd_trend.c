/* nightpose trend: several nights side by side, sorted by date. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_night.h"
#include "cli_plot.h"
#include "np_array.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_json.h"
#include "np_plot.h"
#include "np_report.h"

static const char usage[] =
	"usage: nightpose trend NIGHT.npr... [--avoid LIST] [--calibration CAL.json]\n"
	"                       [--format text|json] [--plot FILE] [--sleep-window hdcza|lying]\n"
	"\n"
	"Compares nights: one row per night, sorted by start time, with the time\n"
	"recorded, time per position (h:min), time in positions to avoid and its share\n"
	"of the time lying, the longest episode in one of them, position changes and\n"
	"alerts fired, then sleep: time asleep, sleep efficiency (asleep / time in bed)\n"
	"and the share of the time asleep on the back and in positions to avoid.\n"
	"A recording of several nights gives one row per noon-to-noon night.\n"
	"Times are local clock times.\n"
	"\n"
	"options:\n"
	"  --avoid LIST            positions to avoid, comma separated (default prone)\n"
	"  --calibration CAL.json  mounting used for every night (default: sensor x to\n"
	"                          the head, y to the left, z out of the chest)\n"
	"  --format text|json      text table (default), or one JSON object per night\n"
	"                          and line\n"
	"  --plot FILE             draw minutes in positions to avoid per night and each\n"
	"                          position's share: .png (1200x800), .svg or .pdf\n"
	"  --sleep-window hdcza|lying\n"
	"                          sleep period guider (default hdcza; see report)\n"
	"  -h, --help              this help\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage, bad recording or calibration\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_trend = {
	.name = "trend",
	.summary = "nights compared: positions, positions to avoid, alerts",
	.usage = usage,
	.run = run,
};

struct night_row {
	const char *path;
	size_t order;   /* position on the command line: ties and unknown dates keep it */
	double start_utc_s, span_s, lying_s, avoid_s, longest_avoid_s;
	double time_s[NP_POS_COUNT];
	size_t changes, alerts, alerts_device; /* alerts: host and device */
	unsigned night;   /* noon-to-noon night of a multi-night file; 0: the whole file */
	bool has_sleep;   /* a sleep period was found */
	double tst_min, efficiency, supine_sleep_frac, avoid_sleep_frac;
};

struct row_list {
	struct night_row *v;
	size_t n, cap;
};

static int cmp_rows(const void *a, const void *b)
{
	const struct night_row *x = a, *y = b;
	if (x->start_utc_s != y->start_utc_s)
		return x->start_utc_s < y->start_utc_s ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Position figures of the epochs ep (the whole file, or one night of it). */
static int fill_row(const char *path, const struct np_night *night, const struct np_epochs *ep,
		    const struct np_report_cfg *rcfg, struct night_row *row)
{
	struct np_report rep;
	int rc = np_report_build(night, ep, rcfg, &rep);
	if (rc != NP_OK) {
		np_report_free(&rep);
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	row->path = path;
	row->start_utc_s = rep.start_utc_s;
	row->span_s = rep.span_s;
	row->lying_s = rep.lying_s;
	row->avoid_s = rep.avoid_s;
	row->longest_avoid_s = rep.n_longest_avoid
				       ? rep.longest_avoid[0].end_s - rep.longest_avoid[0].start_s
				       : 0;
	memcpy(row->time_s, rep.time_s, sizeof row->time_s);
	row->changes = rep.changes;
	/* The alerts inside these epochs (one night of a multi-night file, or all). */
	double t0 = ep->n ? ep->v[0].start_s : 0, t1 = ep->n ? ep->v[ep->n - 1].end_s : 0;
	row->alerts = row->alerts_device = 0;
	for (size_t i = 0; i < rep.n_alerts; i++) {
		if (rep.alerts[i].t_s < t0 || rep.alerts[i].t_s >= t1)
			continue;
		row->alerts++;
		row->alerts_device += rep.alerts[i].source == NP_ALERT_FROM_DEVICE;
	}
	np_report_free(&rep);
	return NP_EXIT_OK;
}

static void sleep_cols(const struct np_sleep_night_result *s, unsigned avoid_mask,
		       struct night_row *row)
{
	double asleep = 0, avoid, awake;
	if (!s || !s->found)
		return;
	for (unsigned p = 0; p < NP_POS_COUNT; p++)
		asleep += s->asleep_s[p];
	np_sleep_night_avoid(s, avoid_mask, &avoid, &awake);
	row->has_sleep = true;
	row->tst_min = s->tst_min;
	row->efficiency = s->efficiency;
	row->supine_sleep_frac = asleep > 0 ? s->asleep_s[NP_POS_SUPINE] / asleep : 0;
	row->avoid_sleep_frac = asleep > 0 ? avoid / asleep : 0;
}

/* One night of a multi-night file: its 30-s epochs, alerts and sleep. */
static int night_row(const char *path, const struct np_night *night, const struct np_epochs *ep,
		     const struct np_sleep_night_result *s, const struct np_cli_night_opts *o,
		     struct night_row *row)
{
	struct np_epochs part = *ep;
	size_t k0 = (size_t)(s->window_start_s / ep->epoch_s);
	size_t k1 = (size_t)ceil(s->window_end_s / ep->epoch_s);
	part.v = ep->v + (k0 < ep->n ? k0 : ep->n);
	part.n = (k1 < ep->n ? k1 : ep->n) - (k0 < ep->n ? k0 : ep->n);
	int rc = fill_row(path, night, &part, &o->rcfg, row);
	if (night->start_utc_s > 0)
		row->start_utc_s += s->window_start_s;
	row->span_s = fmin(s->window_end_s, night->duration_s) - s->window_start_s;
	row->night = s->number;
	sleep_cols(s, o->rcfg.avoid_mask, row);
	return rc;
}

static struct night_row *push_row(struct row_list *l, const char *path, size_t order)
{
	if (np_array_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != NP_OK)
		return NULL;
	struct night_row *r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	r->path = path;
	r->order = order;
	return r;
}

/* A file's rows: one, or one per night with a sleep period when it has several. */
static int load_file(const char *path, const struct np_cli_night_opts *o, size_t order,
		     struct row_list *l)
{
	struct np_night night;
	struct np_calfile cal;
	struct np_epochs ep;
	struct np_night_sleep sl;
	int rc = np_cli_night_epochs(path, o->cal_path, NP_EPOCH_DEFAULT_S, &night, &cal, &ep);
	if (rc != NP_EXIT_OK)
		return rc;
	rc = np_cli_night_sleep(path, &night, o->cal_path ? &cal : NULL, o->guider, &sl);
	size_t found = 0;
	for (size_t i = 0; rc == NP_EXIT_OK && i < sl.n_nights; i++)
		found += sl.nights[i].found;
	for (size_t i = 0; rc == NP_EXIT_OK && found > 1 && i < sl.n_nights; i++) {
		struct night_row *row = sl.nights[i].found ? push_row(l, path, order) : NULL;
		if (sl.nights[i].found)
			rc = row ? night_row(path, &night, &ep, &sl.nights[i], o, row)
				 : np_cli_fail(path, NP_ERR_NOMEM, NP_EXIT_FAILURE);
	}
	if (rc == NP_EXIT_OK && found <= 1) {
		struct night_row *row = push_row(l, path, order);
		rc = row ? fill_row(path, &night, &ep, &o->rcfg, row)
			 : np_cli_fail(path, NP_ERR_NOMEM, NP_EXIT_FAILURE);
		if (row)
			sleep_cols(np_night_sleep_main(&sl), o->rcfg.avoid_mask, row);
	}
	np_night_sleep_free(&sl);
	np_epochs_free(&ep);
	np_night_free(&night);
	return rc;
}

static void fmt_start(char *buf, size_t cap, double start_utc_s)
{
	time_t t = (time_t)floor(start_utc_s);
	struct tm tm;
	if (start_utc_s > 0 && localtime_r(&t, &tm) && strftime(buf, cap, "%Y-%m-%d %H:%M", &tm) > 0)
		return;
	snprintf(buf, cap, "%-16s", "unknown");
}

/* Column order of the table: the lying positions first, as in the report. */
static const enum np_position cols[] = {NP_POS_SUPINE, NP_POS_PRONE, NP_POS_LEFT, NP_POS_RIGHT,
					NP_POS_UPRIGHT, NP_POS_UNKNOWN};
#define N_COLS (sizeof cols / sizeof cols[0])

static void write_sleep_cols(const struct night_row *r, FILE *f)
{
	char hm[16];
	if (r->has_sleep) {
		np_fmt_hm(r->tst_min * 60.0, hm, sizeof hm);
		fprintf(f, " %7s %3.0f%% %6.0f%% %8.0f%%", hm, 100.0 * r->efficiency,
			100.0 * r->supine_sleep_frac, 100.0 * r->avoid_sleep_frac);
	} else {
		fprintf(f, " %7s %4s %7s %8s", "-", "-", "-", "-");
	}
	if (r->night)
		fprintf(f, "  %s (night %u)\n", r->path, r->night);
	else
		fprintf(f, "  %s\n", r->path);
}

static cJSON *sleep_json(const struct night_row *r)
{
	if (!r->has_sleep)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	np_json_add_number(o, "tst_min", r->tst_min, NP_JSON_RATE);
	np_json_add_number(o, "efficiency", r->efficiency, NP_JSON_FRAC);
	np_json_add_number(o, "supine_fraction_of_sleep", r->supine_sleep_frac, NP_JSON_FRAC);
	np_json_add_number(o, "avoid_fraction_of_sleep", r->avoid_sleep_frac, NP_JSON_FRAC);
	return o;
}

static void write_text(const struct night_row *rows, size_t n, unsigned avoid_mask, FILE *f)
{
	char names[96], a[32], hm[16];
	np_avoid_text(avoid_mask, ", ", names, sizeof names);
	fprintf(f, "Positions to avoid: %s. Times in h:min, local time.\n\n", names[0] ? names : "none");
	fprintf(f, "%-16s %6s", "start", "length");
	for (size_t c = 0; c < N_COLS; c++)
		fprintf(f, " %7s", np_position_name(cols[c]));
	fprintf(f, " %7s %6s %7s %7s %6s", "avoid", "%lying", "longest", "changes", "alerts");
	fprintf(f, " %7s %4s %7s %8s  %s\n", "asleep", "eff", "%sl.sup", "%sl.avoid", "file");
	for (size_t i = 0; i < n; i++) {
		const struct night_row *r = &rows[i];
		fmt_start(a, sizeof a, r->start_utc_s);
		np_fmt_hm(r->span_s, hm, sizeof hm);
		fprintf(f, "%-16s %6s", a, hm);
		for (size_t c = 0; c < N_COLS; c++) {
			np_fmt_hm(r->time_s[cols[c]], hm, sizeof hm);
			fprintf(f, " %7s", hm);
		}
		np_fmt_hm(r->avoid_s, hm, sizeof hm);
		fprintf(f, " %7s %5.0f%%", hm, r->lying_s > 0 ? 100.0 * r->avoid_s / r->lying_s : 0.0);
		np_fmt_hm(r->longest_avoid_s, hm, sizeof hm);
		fprintf(f, " %7s %7zu %6zu", hm, r->changes, r->alerts);
		write_sleep_cols(r, f);
	}
}

static int write_json(const struct night_row *rows, size_t n, unsigned avoid_mask, FILE *f)
{
	char a[32];
	for (size_t i = 0; i < n; i++) {
		const struct night_row *r = &rows[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			return NP_ERR_NOMEM;
		cJSON_AddStringToObject(o, "file", r->path);
		if (r->start_utc_s > 0) {
			np_fmt_iso8601(r->start_utc_s, a, sizeof a);
			cJSON_AddStringToObject(o, "start_clock", a);
			np_json_add_number(o, "start_utc_s", r->start_utc_s, NP_JSON_S);
		} else {
			cJSON_AddNullToObject(o, "start_clock");
			cJSON_AddNullToObject(o, "start_utc_s");
		}
		np_json_add_number(o, "span_s", r->span_s, NP_JSON_S);
		np_json_add_number(o, "lying_s", r->lying_s, NP_JSON_S);
		cJSON *tp = cJSON_AddObjectToObject(o, "time_s");
		for (int p = 0; tp && p < NP_POS_COUNT; p++)
			np_json_add_number(tp, np_position_name((enum np_position)p), r->time_s[p],
					   NP_JSON_S);
		cJSON *av = cJSON_AddObjectToObject(o, "avoid");
		if (av) {
			cJSON_AddItemToObject(av, "positions", np_json_positions(avoid_mask));
			np_json_add_number(av, "time_s", r->avoid_s, NP_JSON_S);
			np_json_add_number(av, "fraction_of_lying",
					   r->lying_s > 0 ? r->avoid_s / r->lying_s : 0.0, NP_JSON_FRAC);
			np_json_add_number(av, "longest_s", r->longest_avoid_s, NP_JSON_S);
		}
		cJSON_AddNumberToObject(o, "position_changes", (double)r->changes);
		cJSON_AddNumberToObject(o, "alerts", (double)r->alerts);
		cJSON_AddNumberToObject(o, "alerts_host", (double)(r->alerts - r->alerts_device));
		cJSON_AddNumberToObject(o, "alerts_device", (double)r->alerts_device);
		if (r->night)
			cJSON_AddNumberToObject(o, "night", r->night);
		cJSON_AddItemToObject(o, "sleep", sleep_json(r));
		int rc = np_json_line(o, f);
		if (rc != NP_OK)
			return rc;
	}
	return NP_OK;
}

static int plot(const struct night_row *rows, size_t n, unsigned avoid_mask, const char *path)
{
	struct np_plot_trend_row *pr = calloc(n, sizeof *pr);
	if (!pr)
		return np_cli_fail(path, NP_ERR_NOMEM, NP_EXIT_FAILURE);
	for (size_t i = 0; i < n; i++) {
		pr[i].start_utc_s = rows[i].start_utc_s;
		pr[i].duration_s = rows[i].span_s;
		pr[i].avoid_s = rows[i].avoid_s;
		memcpy(pr[i].time_s, rows[i].time_s, sizeof pr[i].time_s);
	}
	np_cli_tmp_hold(path);
	int rc = np_plot_trend_render(pr, n, avoid_mask, path, &np_cli_tmp_watch);
	np_cli_tmp_done();
	free(pr);
	if (rc != NP_OK)
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		NP_CLI_NIGHT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct np_cli_night_opts o;
	int c;

	np_cli_night_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int rc = np_cli_night_option(&np_cmd_trend, c, argv, &o);
		if (rc != NP_EXIT_OK)
			return rc;
	}
	if ((c = np_cli_night_opts_config(&o)) != NP_EXIT_OK)
		return c;
	if (optind >= argc)
		return np_cli_usage_error(&np_cmd_trend, "missing NIGHT.npr");
	if (np_cli_night_check_outputs(&np_cmd_trend, &o, &argv[optind], (size_t)(argc - optind)) !=
	    NP_EXIT_OK)
		return NP_EXIT_USAGE;

	struct row_list l = { 0 };
	int rc = NP_EXIT_OK;
	for (int i = optind; i < argc && rc == NP_EXIT_OK; i++)
		rc = load_file(argv[i], &o, (size_t)(i - optind), &l);
	struct night_row *rows = l.v;
	size_t n = l.n;
	if (rc == NP_EXIT_OK) {
		qsort(rows, n, sizeof *rows, cmp_rows);
		if (o.plot_path)
			rc = plot(rows, n, o.rcfg.avoid_mask, o.plot_path);
	}
	if (rc == NP_EXIT_OK) {
		if (o.json) {
			int e = write_json(rows, n, o.rcfg.avoid_mask, stdout);
			if (e != NP_OK)
				rc = np_cli_fail("standard output", e, NP_EXIT_FAILURE);
		} else {
			write_text(rows, n, o.rcfg.avoid_mask, stdout);
		}
	}
	free(rows);
	return rc;
}
