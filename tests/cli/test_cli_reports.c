/*
 * `nightpose export`, `nightpose trend` and `nightpose report --plot` on simulated
 * and imported nights: files read back (EDFlib), rows sorted, pictures valid,
 * usage errors leave nothing behind.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <edflib.h>

#include "cli_run.h"
#include "np_err.h"
#include "np_night.h"
#include "rec_fixture.h"

#define SPC_AXEL NP_SHARED_DATASETS "/sleep-position-classification/axel_20220610_193124.csv"

struct ctx {
	struct cli_ctx cli; /* first: cli_ctx_teardown() frees the whole state */
	char night[3][4096]; /* simulated, seeds 3, 1, 2 (out of date order) */
};

#define RUN(c, ...) CLI_RUN(&(c)->cli, __VA_ARGS__)

static int setup(void **state)
{
	struct ctx *c = cli_ctx_new(sizeof *c);
	static const char *const seeds[] = { "3", "1", "2" };
	for (int i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "sim%s.npr", seeds[i]);
		fx_path(c->night[i], sizeof c->night[i], c->cli.dir, name);
		if (i == 0)
			RUN(c, "simulate", "-o", c->night[i], "--hours", "1.5", "--seed", seeds[i],
			    "--ankle");
		else
			RUN(c, "simulate", "-o", c->night[i], "--hours", "1.5", "--seed", seeds[i]);
		assert_int_equal(c->cli.r.status, 0);
	}
	setenv("TZ", "UTC", 1);
	*state = c;
	return 0;
}

static void export_edf_reads_back(void **state)
{
	struct ctx *c = *state;
	char edf[4096];
	fx_path(edf, sizeof edf, c->cli.dir, "night.edf");
	RUN(c, "export", c->night[1], "--edf", edf);
	assert_int_equal(c->cli.r.status, 0);
	/* What was written is said, and not in the form of an error ("nightpose: FILE: "). */
	assert_non_null(strstr(c->cli.r.err, "wrote "));
	assert_null(strstr(c->cli.r.err, "nightpose: "));

	struct np_night n;
	assert_int_equal(np_night_load(c->night[1], &n), NP_OK);
	struct edf_hdr_struct hdr;
	assert_int_equal(edfopen_file_readonly(edf, &hdr, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	assert_int_equal(hdr.edfsignals, 4);
	assert_int_equal(hdr.signalparam[0].smp_in_datarecord, 25);
	/* The first minute of every axis is the recording's samples, exactly. */
	double buf[1500];
	for (int a = 0; a < 3; a++) {
		assert_int_equal(edfread_physical_samples(hdr.handle, a, 1500, buf), 1500);
		for (size_t i = 0; i < 1500; i++) {
			const struct np_sample_g *v = &n.sensor[0].v[i];
			double want = a == 0 ? v->x : a == 1 ? v->y : v->z;
			assert_true(fabs(buf[i] - want) < 1e-6);
		}
	}
	/* Every LABEL of the simulation is there, and the positions found cover the night. */
	size_t labels = 0, positions = 0;
	double covered = 0;
	for (long long i = 0; i < hdr.annotations_in_file; i++) {
		struct edf_annotation_struct a;
		assert_int_equal(edf_get_annotation(hdr.handle, (int)i, &a), 0);
		if (strncmp(a.annotation, "Label: ", 7) == 0)
			labels++;
		if (strncmp(a.annotation, "Position: ", 10) == 0) {
			positions++;
			covered += (double)a.duration_l / EDFLIB_TIME_DIMENSION;
		}
	}
	size_t want_labels = 0;
	for (size_t i = 0; i < n.n_ann; i++)
		want_labels += n.ann[i].kind == NP_ANN_LABEL;
	assert_int_equal(labels, want_labels);
	assert_true(positions >= 3);
	assert_true(fabs(covered - n.duration_s) < 31);
	edfclose_file(hdr.handle);
	np_night_free(&n);
}

/* The middle minute of the first LABEL episode in position p (at least 3 minutes long). */
static bool label_window(const struct np_night *n, enum np_position p, char *out, size_t cap)
{
	for (size_t i = 0; i < n->n_ann; i++) {
		const struct np_night_annotation *a = &n->ann[i];
		if (a->kind == NP_ANN_LABEL && a->position == p && a->end_s - a->start_s >= 180) {
			double mid = (a->start_s + a->end_s) / 2;
			snprintf(out, cap, "%.0f-%.0f", mid - 30, mid + 30);
			return true;
		}
	}
	return false;
}

/* With a calibration the channels are the body frame: supine reads +1 g out of the chest. */
static void export_edf_body_frame(void **state)
{
	struct ctx *c = *state;
	char cal[4096], edf[4096], sup[64], left[64];
	fx_path(cal, sizeof cal, c->cli.dir, "cal.json");
	fx_path(edf, sizeof edf, c->cli.dir, "body.edf");
	struct np_night n;
	const char *night = NULL;
	for (int i = 0; i < 3 && !night; i++) {
		assert_int_equal(np_night_load(c->night[i], &n), NP_OK);
		if (label_window(&n, NP_POS_SUPINE, sup, sizeof sup) &&
		    label_window(&n, NP_POS_LEFT, left, sizeof left))
			night = c->night[i];
		else
			np_night_free(&n);
	}
	assert_non_null(night);
	RUN(c, "calibrate", night, "-o", cal, "--supine", sup, "--left", left);
	assert_int_equal(c->cli.r.status, 0);
	RUN(c, "export", night, "--edf", edf, "--calibration", cal);
	assert_int_equal(c->cli.r.status, 0);

	struct edf_hdr_struct hdr;
	assert_int_equal(edfopen_file_readonly(edf, &hdr, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	assert_true(strncmp(hdr.signalparam[0].label, "Chest sup ", 10) == 0);
	assert_true(strncmp(hdr.signalparam[2].label, "Chest ant ", 10) == 0);
	double t0, t1, sum[3] = {0};
	assert_int_equal(sscanf(sup, "%lf-%lf", &t0, &t1), 2);
	long long first = (long long)(t0 * 25), count = (long long)((t1 - t0) * 25);
	double *buf = malloc((size_t)count * sizeof *buf);
	assert_non_null(buf);
	for (int a = 0; a < 3; a++) {
		assert_true(edfseek(hdr.handle, a, first, EDFSEEK_SET) == first);
		assert_int_equal(edfread_physical_samples(hdr.handle, a, (int)count, buf), count);
		for (long long i = 0; i < count; i++)
			sum[a] += buf[i];
	}
	free(buf);
	assert_true(fabs(sum[0] / (double)count) < 0.05);
	assert_true(fabs(sum[1] / (double)count) < 0.05);
	assert_true(fabs(sum[2] / (double)count - 1.0) < 0.05);
	edfclose_file(hdr.handle);
	np_night_free(&n);
}

static void export_csv_with_second_sensor(void **state)
{
	struct ctx *c = *state;
	char csv[4096];
	fx_path(csv, sizeof csv, c->cli.dir, "night.csv");
	RUN(c, "export", c->night[0], "--csv", csv);
	assert_int_equal(c->cli.r.status, 0);
	FILE *f = fopen(csv, "r");
	assert_non_null(f);
	char line[256];
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "time_s,x_g,y_g,z_g,x2_g,y2_g,z2_g\n");
	size_t rows = 0;
	while (fgets(line, sizeof line, f))
		rows++;
	fclose(f);
	assert_int_equal(rows, (size_t)(1.5 * 3600 * 25));
}

static void export_usage_errors(void **state)
{
	struct ctx *c = *state;
	char out[4096];
	fx_path(out, sizeof out, c->cli.dir, "x.edf");
	RUN(c, "export", c->night[1]);
	assert_int_equal(c->cli.r.status, 2);
	assert_non_null(strstr(c->cli.r.err, "--edf"));
	RUN(c, "export", "no-such-night.npr", "--edf", out);
	assert_int_equal(c->cli.r.status, 2);
	assert_int_equal(access(out, F_OK), -1);
	fx_path(out, sizeof out, c->cli.dir, "missing/x.edf");
	RUN(c, "export", c->night[1], "--edf", out);
	assert_int_equal(c->cli.r.status, 1);
	assert_non_null(strstr(c->cli.r.err, "nightpose: "));
}

static const char png_magic[] = "\x89PNG\r\n\x1a\n";

static void report_plot_png_svg_pdf(void **state)
{
	struct ctx *c = *state;
	static const char *const names[] = { "night.png", "night.svg", "night.pdf" };
	static const char *const magic[] = { png_magic, "<?xml", "%PDF-" };
	for (int i = 0; i < 3; i++) {
		char out[4096];
		fx_path(out, sizeof out, c->cli.dir, names[i]);
		RUN(c, "report", c->night[1], "--plot", out);
		assert_int_equal(c->cli.r.status, 0);
		assert_non_null(strstr(c->cli.r.out, "Breathing rate"));
		size_t len;
		uint8_t *b = fx_read(out, &len);
		assert_true(len > 10000);
		assert_memory_equal(b, magic[i], strlen(magic[i]));
		free(b);
	}
	char bad[4096];
	fx_path(bad, sizeof bad, c->cli.dir, "night.gif");
	RUN(c, "report", c->night[1], "--plot", bad);
	assert_int_equal(c->cli.r.status, 2);
	assert_int_equal(access(bad, F_OK), -1);
}

/* Breathing per lying position in the JSON report: a number or a reason. */
static void report_json_breathing(void **state)
{
	struct ctx *c = *state;
	RUN(c, "report", c->night[1], "--format", "json");
	assert_int_equal(c->cli.r.status, 0);
	cJSON *o = cJSON_Parse(c->cli.r.out);
	assert_non_null(o);
	cJSON *b = cJSON_GetObjectItem(o, "breathing");
	assert_non_null(b);
	int rated = 0;
	static const char *const lying[] = { "supine", "prone", "left", "right" };
	for (int i = 0; i < 4; i++) {
		cJSON *p = cJSON_GetObjectItem(b, lying[i]);
		assert_non_null(p);
		cJSON *rate = cJSON_GetObjectItem(p, "rate_per_min");
		const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(p, "status"));
		assert_non_null(status);
		if (cJSON_IsNumber(rate)) {
			assert_string_equal(status, "ok");
			/* The simulator breathes at 8 to 24 per minute. */
			assert_true(rate->valuedouble > 6 && rate->valuedouble < 30);
			rated++;
		} else {
			assert_true(cJSON_IsNull(rate));
		}
	}
	assert_true(rated >= 2);
	/* And per lying episode, in time order. */
	cJSON *eps = cJSON_GetObjectItem(o, "breathing_episodes");
	assert_true(cJSON_IsArray(eps) && cJSON_GetArraySize(eps) >= 2);
	double prev_end = 0;
	cJSON *e;
	cJSON_ArrayForEach(e, eps) {
		double start = cJSON_GetNumberValue(cJSON_GetObjectItem(e, "start_s"));
		assert_true(start >= prev_end);
		prev_end = cJSON_GetNumberValue(cJSON_GetObjectItem(e, "end_s"));
		assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(e, "position")));
	}
	cJSON_Delete(o);
}

/* A span of the simulated truth: a LABEL with its NOTE's breathing rate, or a movement. */
struct truth_span {
	double start_s, end_s, rate;
	enum np_position position;
};

/*
 * The simulator's truth in night: lying episodes (LABEL, rate from the NOTE
 * "breathing_per_min=R" starting with it) into eps, arousals and other movement
 * (NOTE "arousal: ..." / "movement: ...") into mv. Returns the counts in *n_eps, *n_mv.
 */
static void sim_truth(const struct np_night *night, struct truth_span *eps, size_t *n_eps,
		      struct truth_span *mv, size_t *n_mv, size_t cap)
{
	*n_eps = *n_mv = 0;
	for (size_t i = 0; i < night->n_ann; i++) {
		const struct np_night_annotation *a = &night->ann[i];
		if (a->kind == NP_ANN_NOTE && (strncmp(a->text, "arousal:", 8) == 0 ||
					       strncmp(a->text, "movement:", 9) == 0)) {
			assert_true(*n_mv < cap);
			mv[(*n_mv)++] = (struct truth_span){ a->start_s, a->end_s, 0, NP_POS_UNKNOWN };
		}
		if (a->kind != NP_ANN_LABEL)
			continue;
		double rate = -1;
		for (size_t j = 0; j < night->n_ann; j++) {
			const struct np_night_annotation *b = &night->ann[j];
			if (b->kind == NP_ANN_NOTE && b->start_s == a->start_s &&
			    sscanf(b->text, "breathing_per_min=%lf", &rate) == 1)
				break;
		}
		assert_true(rate > 0);
		assert_true(*n_eps < cap);
		eps[(*n_eps)++] = (struct truth_span){ a->start_s, a->end_s, rate, a->position };
	}
}

/*
 * report --format json "breathing_windows": 5-minute windows over each lying episode.
 * A window that lies within one simulated episode and has a rate is within 0.5
 * breaths/min of that episode's true rate; a window without a rate says why; windows
 * with movement in them are rated on their still part or say there is not enough.
 */
static void report_json_breathing_windows(void **state)
{
	struct ctx *c = *state;
	enum { CAP = 512 };
	static struct truth_span eps[CAP], mv[CAP];
	unsigned windows = 0, inside = 0, rated_inside = 0, with_movement = 0, unrated_movement = 0,
		 movement_rated = 0;
	double worst = 0;
	for (int k = 0; k < 3; k++) {
		struct np_night night;
		assert_int_equal(np_night_load(c->night[k], &night), NP_OK);
		size_t n_eps, n_mv;
		sim_truth(&night, eps, &n_eps, mv, &n_mv, CAP);
		np_night_free(&night);
		RUN(c, "report", c->night[k], "--format", "json");
		assert_int_equal(c->cli.r.status, 0);
		cJSON *o = cJSON_Parse(c->cli.r.out);
		assert_non_null(o);
		cJSON *ws = cJSON_GetObjectItem(o, "breathing_windows");
		assert_true(cJSON_IsArray(ws) && cJSON_GetArraySize(ws) >= 5);
		double prev_end = 0;
		cJSON *w;
		cJSON_ArrayForEach(w, ws) {
			double t0 = cJSON_GetNumberValue(cJSON_GetObjectItem(w, "start_s"));
			double t1 = cJSON_GetNumberValue(cJSON_GetObjectItem(w, "end_s"));
			double still = cJSON_GetNumberValue(cJSON_GetObjectItem(w, "still_s"));
			double moving = cJSON_GetNumberValue(cJSON_GetObjectItem(w, "moving_s"));
			const char *pos = cJSON_GetStringValue(cJSON_GetObjectItem(w, "position"));
			const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(w, "status"));
			cJSON *rate = cJSON_GetObjectItem(w, "rate_per_min");
			assert_true(t0 >= prev_end && t1 > t0 && t1 - t0 <= 450.0 + 1e-9);
			prev_end = t1;
			assert_non_null(pos);
			assert_true(strcmp(pos, "supine") == 0 || strcmp(pos, "prone") == 0 ||
				    strcmp(pos, "left") == 0 || strcmp(pos, "right") == 0);
			assert_non_null(status);
			assert_true(still + moving <= t1 - t0 + 1e-6);
			windows++;
			if (cJSON_IsNumber(rate)) {
				assert_string_equal(status, "ok");
			} else {
				/* No number: the reason instead. */
				assert_true(cJSON_IsNull(rate));
				assert_true(strcmp(status, "not enough still data") == 0 ||
					    strcmp(status, "no clear breathing peak") == 0);
				if (still < 90)
					assert_string_equal(status, "not enough still data");
			}
			bool moved = moving > 0;
			for (size_t i = 0; i < n_mv; i++)
				moved |= mv[i].start_s < t1 && mv[i].end_s > t0;
			with_movement += moved;
			unrated_movement += moved && !cJSON_IsNumber(rate);
			const struct truth_span *e = NULL;
			for (size_t i = 0; i < n_eps && !e; i++)
				if (eps[i].start_s <= t0 && t1 <= eps[i].end_s)
					e = &eps[i];
			if (!e)
				continue; /* spans a turn of the simulated night: no single truth */
			assert_string_equal(pos, np_position_name(e->position));
			inside++;
			if (!cJSON_IsNumber(rate))
				continue;
			rated_inside++;
			movement_rated += moved;
			double err = fabs(rate->valuedouble - e->rate);
			if (err > worst)
				worst = err;
			if (err >= 0.5)
				fail_msg("night %d window %.0f-%.0f s: %.2f breaths/min, truth %.1f", k,
					 t0, t1, rate->valuedouble, e->rate);
		}
		cJSON_Delete(o);
	}
	print_message("breathing windows: %u, %u within one simulated episode, %u of them rated "
		      "(worst error %.3f breaths/min); %u with movement: %u rated, %u with a "
		      "reason instead\n",
		      windows, inside, rated_inside, worst, with_movement, movement_rated,
		      unrated_movement);
	assert_true(rated_inside * 10 >= inside * 8);
	assert_true(with_movement > 0);
}

/* `import csv CSV -o NPR`, then `report NPR --format json`, parsed (cJSON_Delete it). */
static cJSON *import_and_report_json(struct ctx *c, const char *csv, const char *npr)
{
	RUN(c, "import", "csv", csv, "-o", npr);
	assert_int_equal(c->cli.r.status, 0);
	RUN(c, "report", npr, "--format", "json");
	assert_int_equal(c->cli.r.status, 0);
	cJSON *o = cJSON_Parse(c->cli.r.out);
	assert_non_null(o);
	return o;
}

/*
 * A restless stretch in the middle of a still night: 25 minutes supine breathing at
 * 15 per minute (10 mg, 10 Hz rows), with minutes 10 to 15 full of tossing (swings of
 * 150 mg, well above the 30 mg movement threshold). The window over the restless
 * stretch gives no number and says why; the still windows either side give the rate.
 */
static void report_json_breathing_windows_restless(void **state)
{
	struct ctx *c = *state;
	char csv[4096], npr[4096];
	fx_path(csv, sizeof csv, c->cli.dir, "restless.csv");
	fx_path(npr, sizeof npr, c->cli.dir, "restless.npr");
	const double pi = 3.14159265358979323846, rate = 15.0;
	size_t cap = 64 + 15000 * 48, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap, "time,x,y,z\n");
	for (int i = 0; i < 15000; i++) {
		double t = i / 10.0, x = 0.02, y = -0.03, z = 0.999;
		z += 0.010 * sin(2 * pi * rate / 60.0 * t);
		if (t >= 600 && t < 900) {
			x += 0.15 * sin(2 * pi * 0.37 * t) + 0.08 * sin(2 * pi * 1.3 * t);
			y += 0.15 * sin(2 * pi * 0.23 * t + 1.0);
		}
		len += (size_t)snprintf(text + len, cap - len, "%.1f,%.4f,%.4f,%.4f\n", t, x, y, z);
	}
	fx_write(csv, text, len);
	free(text);
	cJSON *o = import_and_report_json(c, csv, npr);
	cJSON *ws = cJSON_GetObjectItem(o, "breathing_windows"), *w;
	unsigned still_rated = 0, restless_unrated = 0;
	cJSON_ArrayForEach(w, ws) {
		double t0 = cJSON_GetNumberValue(cJSON_GetObjectItem(w, "start_s"));
		double t1 = cJSON_GetNumberValue(cJSON_GetObjectItem(w, "end_s"));
		const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(w, "status"));
		cJSON *r = cJSON_GetObjectItem(w, "rate_per_min");
		print_message("window %.0f-%.0f s %s: %s %.2f\n", t0, t1,
			      cJSON_GetStringValue(cJSON_GetObjectItem(w, "position")), status,
			      cJSON_IsNumber(r) ? r->valuedouble : 0.0);
		double restless = fmin(t1, 900) - fmax(t0, 600);
		if (restless >= 0.8 * (t1 - t0)) {
			assert_true(cJSON_IsNull(r));
			assert_string_equal(status, "not enough still data");
			restless_unrated++;
		} else if (restless <= 0) {
			assert_true(cJSON_IsNumber(r));
			assert_true(fabs(r->valuedouble - rate) < 0.5);
			still_rated++;
		}
	}
	cJSON_Delete(o);
	assert_true(restless_unrated >= 1);
	assert_true(still_rated >= 2);
}

static void trend_sorted_text_json_plot(void **state)
{
	struct ctx *c = *state;
	char spc[4096], png[4096];
	fx_path(spc, sizeof spc, c->cli.dir, "axel.npr");
	fx_path(png, sizeof png, c->cli.dir, "trend.png");
	RUN(c, "import", "spc", SPC_AXEL, "-o", spc);
	assert_int_equal(c->cli.r.status, 0);

	RUN(c, "trend", c->night[0], c->night[1], spc, c->night[2], "--plot", png);
	assert_int_equal(c->cli.r.status, 0);
	/* Rows by date: the 2022 import, then seeds 1, 2, 3 (one day apart). */
	const char *p_spc = strstr(c->cli.r.out, "axel.npr"), *p1 = strstr(c->cli.r.out, "sim1.npr"),
		   *p2 = strstr(c->cli.r.out, "sim2.npr"), *p3 = strstr(c->cli.r.out, "sim3.npr");
	assert_true(p_spc && p1 && p2 && p3);
	assert_true(p_spc < p1 && p1 < p2 && p2 < p3);
	size_t len;
	uint8_t *b = fx_read(png, &len);
	assert_memory_equal(b, png_magic, 8);
	free(b);

	RUN(c, "trend", c->night[0], c->night[1], c->night[2], "--format", "json", "--avoid",
	    "prone,supine");
	assert_int_equal(c->cli.r.status, 0);
	int lines = 0;
	double prev = 0;
	for (char *line = strtok(c->cli.r.out, "\n"); line; line = strtok(NULL, "\n")) {
		cJSON *o = cJSON_Parse(line);
		assert_non_null(o);
		double start = cJSON_GetNumberValue(cJSON_GetObjectItem(o, "start_utc_s"));
		assert_true(start > prev);
		prev = start;
		cJSON *tp = cJSON_GetObjectItem(o, "time_s"), *av = cJSON_GetObjectItem(o, "avoid");
		double want = cJSON_GetNumberValue(cJSON_GetObjectItem(tp, "prone")) +
			      cJSON_GetNumberValue(cJSON_GetObjectItem(tp, "supine"));
		assert_true(fabs(cJSON_GetNumberValue(cJSON_GetObjectItem(av, "time_s")) - want) < 1e-6);
		cJSON_Delete(o);
		lines++;
	}
	assert_int_equal(lines, 3);

	RUN(c, "trend");
	assert_int_equal(c->cli.r.status, 2);
	/* The options trend shares with report are checked the same way. */
	static const struct {
		const char *arg, *value, *msg;
	} bad[] = {
		{ "--avoid", "belly", "nightpose: trend: --avoid: expected positions among supine, " },
		{ "--format", "xml", "nightpose: trend: --format: expected text or json, not 'xml'\n" },
		{ "--bogus", NULL, "nightpose: trend: unknown option '--bogus'\n" },
		{ "--plot", NULL, "nightpose: trend: --plot needs a value\n" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (bad[i].value)
			RUN(c, "trend", c->night[0], bad[i].arg, bad[i].value);
		else
			RUN(c, "trend", c->night[0], bad[i].arg);
		assert_int_equal(c->cli.r.status, 2);
		if (strncmp(c->cli.r.err, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("trend %s: stderr '%s', expected '%s'", bad[i].arg, c->cli.r.err, bad[i].msg);
		assert_string_equal(c->cli.r.out, "");
	}
	RUN(c, "trend", c->night[0], "--plot", "trend.bmp");
	assert_int_equal(c->cli.r.status, 2);
}

/* An import without a date: report and trend give times from the start, never 1970. */
static void unknown_date_is_not_1970(void **state)
{
	struct ctx *c = *state;
	char csv[4096], npr[4096], text[16384] = "time,x,y,z\n";
	fx_path(csv, sizeof csv, c->cli.dir, "nodate.csv");
	fx_path(npr, sizeof npr, c->cli.dir, "nodate.npr");
	for (int i = 0; i < 300; i++) {
		size_t len = strlen(text);
		snprintf(text + len, sizeof text - len, "%d.0,0,0.1,-1\n", 100 + i);
	}
	fx_write(csv, text, strlen(text));
	RUN(c, "import", "csv", csv, "-o", npr);
	assert_int_equal(c->cli.r.status, 0);

	RUN(c, "report", npr);
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "Recording of unknown date, times from the start: +0:00:00 to +0:05:00"));
	assert_null(strstr(c->cli.r.out, "1970"));
	RUN(c, "report", npr, "--format", "json");
	assert_int_equal(c->cli.r.status, 0);
	cJSON *o = cJSON_Parse(c->cli.r.out);
	assert_non_null(o);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "start_utc_s")));
	/* ISO 8601 clock times, or null when the date is unknown. */
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "start_clock")));
	cJSON_Delete(o);
	RUN(c, "trend", npr, c->night[1]);
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "\nunknown "));
	assert_null(strstr(c->cli.r.out, "1970"));
}

/*
 * A one-sample recording spans 0 s: the report counts no time for it (it used to
 * say 30 s lying), and --plot prints the report, then says why there is no picture
 * (exit 2, nothing written) instead of failing without the report.
 */
static void one_sample_report_and_plot(void **state)
{
	struct ctx *c = *state;
	char csv[4096], npr[4096], png[4096], msg[8300];
	fx_path(csv, sizeof csv, c->cli.dir, "one.csv");
	fx_path(npr, sizeof npr, c->cli.dir, "one.npr");
	fx_path(png, sizeof png, c->cli.dir, "one.png");
	fx_write(csv, "time,x,y,z\n100.0,0,0.1,-1\n", 26);
	cJSON *o = import_and_report_json(c, csv, npr);
	assert_float_equal(cJSON_GetObjectItem(o, "span_s")->valuedouble, 0, 1e-9);
	assert_float_equal(cJSON_GetObjectItem(o, "lying_s")->valuedouble, 0, 1e-9);
	cJSON_Delete(o);

	RUN(c, "report", npr, "--plot", png);
	assert_int_equal(c->cli.r.status, 2);
	assert_non_null(strstr(c->cli.r.out, "Time per position"));
	snprintf(msg, sizeof msg, "nightpose: %s: not drawn: the recording spans no time (1 sample)\n",
		 png);
	assert_string_equal(c->cli.r.err, msg);
	assert_int_equal(access(png, F_OK), -1);
}

/* A 27-second recording gets a short, correct report: seconds, not "0 min", no empty
 * breathing section, and a picture with time labels. */
static void short_recording_report(void **state)
{
	struct ctx *c = *state;
	char npr[4096], png[4096];
	fx_path(npr, sizeof npr, c->cli.dir, "short.npr");
	fx_path(png, sizeof png, c->cli.dir, "short.png");
	RUN(c, "simulate", "-o", npr, "--hours", "0.0075", "--seed", "3");
	assert_int_equal(c->cli.r.status, 0);
	RUN(c, "report", npr, "--plot", png);
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "Recording of "));
	assert_non_null(strstr(c->cli.r.out, ": 27 s recorded"));
	assert_non_null(strstr(c->cli.r.out, "positions only, no breathing rate"));
	assert_null(strstr(c->cli.r.out, "Breathing rate while lying still"));
	assert_null(strstr(c->cli.r.out, " 0.0 min"));
	assert_int_equal(access(png, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(export_edf_reads_back),
		cmocka_unit_test(export_edf_body_frame),
		cmocka_unit_test(export_csv_with_second_sensor),
		cmocka_unit_test(export_usage_errors),
		cmocka_unit_test(report_plot_png_svg_pdf),
		cmocka_unit_test(report_json_breathing),
		cmocka_unit_test(report_json_breathing_windows),
		cmocka_unit_test(report_json_breathing_windows_restless),
		cmocka_unit_test(trend_sorted_text_json_plot),
		cmocka_unit_test(unknown_date_is_not_1970),
		cmocka_unit_test(one_sample_report_and_plot),
		cmocka_unit_test(short_recording_report),
	};
	return cmocka_run_group_tests(tests, setup, cli_ctx_teardown);
}
