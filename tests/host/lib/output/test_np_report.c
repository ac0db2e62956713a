/* host/lib/np_report.c: time per position, positions to avoid, episodes, text and JSON. */
#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "night_fixture.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_report.h"

/* 10 min supine, 1 min left, 20 s prone (brief), 10 min supine, 15 min prone, 5 min right,
 * then 2 min sitting up; labels say supine for the first 10 min. */
static void night(struct np_night *n)
{
	nf_init(n, 1, 1, 1700000000.0);
	double t = 0;
	struct {
		float roll, incl;
		double s;
	} plan[] = { { 0, 0, 600 }, { 90, 0, 60 }, { 180, 0, 20 }, { 0, 0, 600 },
		     { 180, 0, 900 }, { -90, 0, 300 }, { 0, 80, 120 } };
	for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
		nf_add(n, 0, t, t + plan[i].s, 1, nf_posture(plan[i].roll, plan[i].incl), 0.003f);
		t += plan[i].s;
	}
	nf_finish(n, 1);
	nf_label(n, 0, 600, NP_ANN_LABEL, NP_POS_SUPINE);
	nf_label(n, 660, 680, NP_ANN_LABEL, NP_POS_PRONE);
}

static void build(struct np_report *r, unsigned avoid_mask, double epoch_s)
{
	struct np_night n;
	struct np_analysis_cfg cfg;
	struct np_report_cfg rc;
	struct np_epochs ep;
	night(&n);
	np_analysis_cfg_default(&cfg);
	cfg.epoch_s = epoch_s;
	assert_int_equal(np_epochs_compute(&n, &cfg, &ep), NP_OK);
	np_report_cfg_default(&rc);
	if (avoid_mask)
		rc.avoid_mask = avoid_mask;
	assert_int_equal(np_report_build(&n, &ep, &rc, r), NP_OK);
	np_epochs_free(&ep);
	np_night_free(&n);
}

static char *render(const struct np_report *r, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(json ? np_report_write_json(r, f) : np_report_write_text(r, f), NP_OK);
	fclose(f);
	return buf;
}

static void times_and_episodes(void **state)
{
	(void)state;
	struct np_report r;
	build(&r, 0, 10);
	assert_float_equal(r.span_s, 2600, 1e-6);
	assert_float_equal(r.time_s[NP_POS_SUPINE], 1200, 1e-6);
	assert_float_equal(r.time_s[NP_POS_PRONE], 920, 1e-6);
	assert_float_equal(r.time_s[NP_POS_LEFT], 60, 1e-6);
	assert_float_equal(r.time_s[NP_POS_RIGHT], 300, 1e-6);
	assert_float_equal(r.time_s[NP_POS_UPRIGHT], 120, 1e-6);
	assert_float_equal(r.lying_s, 2480, 1e-6);
	/* Prone time counts the brief 20 s, but only the 15-min stretch is an episode. */
	assert_float_equal(r.avoid_s, 920, 1e-6);
	assert_int_equal(r.avoid_episodes, 1);
	assert_int_equal(r.n_longest_avoid, 1);
	assert_float_equal(r.longest_avoid[0].start_s, 1280, 1e-6);
	assert_float_equal(r.longest_avoid[0].end_s, 2180, 1e-6);
	assert_float_equal(r.avoid_episode_s, 900, 1e-6);
	assert_true(r.has_longest);
	assert_int_equal(r.longest.position, NP_POS_PRONE);
	/* supine -> left -> supine -> prone -> right */
	assert_int_equal(r.changes, 4);
	assert_true(fabs(r.changes_per_hour - 4 / (2480 / 3600.0)) < 1e-6);
	/* The text names both measures, so 15.3 min next to a 15.0-min episode is explained. */
	char *text = render(&r, false);
	assert_non_null(strstr(text, "Positions to avoid (prone): 15.3 min counted in 10-s epochs "
				     "(37.1% of the time lying)\n"
				     "  1 episode, 15.0 min after smoothing (a turn shorter than 30 s "
				     "does not count):\n"
				     "  prone 15.0 min from 2023-11-14 22:34 UTC\n"
				     "Longest episode (smoothed): prone, 15.0 min from"));
	free(text);
	char *js = render(&r, true);
	cJSON *o = cJSON_Parse(js);
	assert_non_null(o);
	cJSON *av = cJSON_GetObjectItem(o, "avoid");
	assert_float_equal(cJSON_GetObjectItem(av, "time_s")->valuedouble, 920, 1e-6);
	assert_float_equal(cJSON_GetObjectItem(av, "episode_time_s")->valuedouble, 900, 1e-6);
	cJSON_Delete(o);
	free(js);
	assert_true(r.has_labels);
	assert_int_equal(r.confusion[NP_POS_SUPINE][NP_POS_SUPINE], 60);
	assert_int_equal(r.confusion[NP_POS_PRONE][NP_POS_PRONE], 2);
	assert_int_equal(r.labelled, 62);
	assert_int_equal(r.agreed, 62);
	assert_false(r.calibrated);
	np_report_free(&r);
}

static void avoid_list(void **state)
{
	(void)state;
	unsigned mask;
	assert_int_equal(np_avoid_parse("prone,supine", &mask), NP_OK);
	assert_int_equal(mask, NP_POS_BIT(NP_POS_PRONE) | NP_POS_BIT(NP_POS_SUPINE));
	assert_int_equal(np_avoid_parse("prone,stomach", &mask), NP_ERR_ARG);
	assert_int_equal(np_avoid_parse("unknown", &mask), NP_ERR_ARG);
	assert_int_equal(np_avoid_parse("", &mask), NP_ERR_ARG);
	/* An empty item is a name left out, not nothing; a repeated name is harmless. */
	assert_int_equal(np_avoid_parse("prone,,supine", &mask), NP_ERR_ARG);
	assert_int_equal(np_avoid_parse(",prone", &mask), NP_ERR_ARG);
	assert_int_equal(np_avoid_parse("prone,", &mask), NP_ERR_ARG);
	assert_int_equal(np_avoid_parse(",", &mask), NP_ERR_ARG);
	assert_int_equal(np_avoid_parse("prone,prone", &mask), NP_OK);
	assert_int_equal(mask, NP_POS_BIT(NP_POS_PRONE));

	struct np_report r;
	build(&r, NP_POS_BIT(NP_POS_PRONE) | NP_POS_BIT(NP_POS_SUPINE), 10);
	assert_float_equal(r.avoid_s, 2120, 1e-6);
	assert_int_equal(r.avoid_episodes, 3); /* supine, (left 60 s), supine, prone */
	np_report_free(&r);
}

static void text_and_json(void **state)
{
	(void)state;
	struct np_report r;
	build(&r, 0, 30);
	char *text = render(&r, false);
	assert_non_null(strstr(text, "not medical advice"));
	assert_non_null(strstr(text, "knees slightly bent"));
	assert_non_null(strstr(text, "pillows under your knees"));
	assert_non_null(strstr(text, "Sleeping on your stomach is best avoided"));
	assert_non_null(strstr(text, "Positions to avoid (prone)"));
	assert_non_null(strstr(text, "Mounting: default"));
	assert_non_null(strstr(text, "truth \\ found"));
	free(text);

	char *js = render(&r, true);
	cJSON *o = cJSON_Parse(js);
	assert_non_null(o);
	cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "time_s"), "right");
	assert_float_equal(t->valuedouble, 300, 1e-6);
	cJSON *av = cJSON_GetObjectItem(o, "avoid");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(av, "positions"), 0)->valuestring, "prone");
	assert_non_null(cJSON_GetObjectItem(o, "labels"));
	assert_string_equal(cJSON_GetObjectItem(o, "mounting")->valuestring, "default");
	cJSON_Delete(o);
	free(js);
	np_report_free(&r);
}

/* The autocalibration line gives the error in mg whether or not the fit was applied. */
static void autocalibration_error_in_mg(void **state)
{
	(void)state;
	struct np_report r;
	build(&r, 0, 30);
	np_autocal_identity(&r.autocal);
	r.autocal.status = NP_AUTOCAL_SPREAD;
	r.autocal.err_before_mg = r.autocal.err_after_mg = 12.5f;
	r.autocal.n_points = 30;
	char *text = render(&r, false);
	assert_non_null(strstr(text, "Sensor autocalibration (this night): not applied: still periods do not cover "
				     "enough orientations, error 12.5 mg (30 still periods)\n"));
	free(text);
	char *js = render(&r, true);
	cJSON *o = cJSON_Parse(js);
	assert_non_null(o);
	cJSON *ac = cJSON_GetObjectItem(o, "autocalibration");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(ac, "applied")));
	assert_float_equal(cJSON_GetObjectItem(ac, "error_before_mg")->valuedouble, 12.5, 1e-6);
	assert_float_equal(cJSON_GetObjectItem(ac, "points")->valuedouble, 30, 1e-6);
	cJSON_Delete(o);
	free(js);

	r.autocal.status = NP_AUTOCAL_APPLIED;
	r.autocal.applied = true;
	r.autocal.err_after_mg = 1.3f;
	text = render(&r, false);
	assert_non_null(strstr(text, "Sensor autocalibration (this night): applied, error 12.5 mg -> 1.3 mg "
				     "(30 still periods)\n"));
	free(text);

	/* Figures of the calibration recording are not presented as this night's. */
	r.autocal_from_cal = true;
	snprintf(r.cal_source, sizeof r.cal_source, "monday.npr");
	text = render(&r, false);
	assert_non_null(strstr(text, "Sensor autocalibration: that of the calibration recording "
				     "monday.npr (this night's still periods could not make one): applied"));
	free(text);
	js = render(&r, true);
	o = cJSON_Parse(js);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "autocalibration_from")),
			    "monday.npr");
	cJSON_Delete(o);
	free(js);
	np_report_free(&r);
}

/* Alerts of both sides are in the report: counted per source in the text, one by one
 * with time, position, level and source in the JSON; a cleared alert is no alert. */
static void alerts_from_host_and_device(void **state)
{
	(void)state;
	struct np_night n;
	struct np_analysis_cfg cfg;
	struct np_report_cfg rc;
	struct np_epochs ep;
	struct np_report r;
	setenv("TZ", "UTC0", 1);
	tzset();
	night(&n);
	static const struct np_night_event ev[] = {
		{ .t_s = 1300, .origin = NP_ORIGIN_HOST,
		  .ev = { .kind = NP_EVENT_HOST_ALERT, .position = NP_POS_PRONE, .level = 1 } },
		{ .t_s = 1301, .origin = NP_ORIGIN_DEVICE,
		  .ev = { .kind = NP_EVENT_ALERT_FIRED, .position = NP_POS_PRONE, .level = 1 } },
		{ .t_s = 1320, .origin = NP_ORIGIN_HOST,
		  .ev = { .kind = NP_EVENT_HOST_ALERT, .position = NP_POS_PRONE, .level = 2 } },
		{ .t_s = 1400, .origin = NP_ORIGIN_DEVICE,
		  .ev = { .kind = NP_EVENT_ALERT_CLEARED, .position = NP_POS_RIGHT } },
	};
	n.events = malloc(sizeof ev);
	assert_non_null(n.events);
	memcpy(n.events, ev, sizeof ev);
	n.n_events = sizeof ev / sizeof ev[0];
	np_analysis_cfg_default(&cfg);
	assert_int_equal(np_epochs_compute(&n, &cfg, &ep), NP_OK);
	np_report_cfg_default(&rc);
	assert_int_equal(np_report_build(&n, &ep, &rc, &r), NP_OK);
	np_epochs_free(&ep);
	np_night_free(&n);

	char *text = render(&r, false);
	assert_non_null(strstr(text, "Alerts: 3 (2 by this computer, 1 by the device itself):\n"));
	assert_non_null(strstr(text, "prone, level 2 (host)\n"));
	assert_non_null(strstr(text, "prone, level 1 (device)\n"));
	free(text);
	char *js = render(&r, true);
	cJSON *o = cJSON_Parse(js);
	cJSON *a = cJSON_GetObjectItem(o, "alerts");
	assert_int_equal(cJSON_GetArraySize(a), 3);
	cJSON *d = cJSON_GetArrayItem(a, 1);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d, "source")), "device");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d, "position")), "prone");
	assert_float_equal(cJSON_GetObjectItem(d, "t_s")->valuedouble, 1301, 1e-9);
	assert_float_equal(cJSON_GetObjectItem(d, "level")->valuedouble, 1, 1e-9);
	/* 1700000000 + 1301 s, in UTC (the test's TZ): ISO 8601 with its offset. */
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(d, "clock")),
			    "2023-11-14T22:35:01+00:00");
	cJSON_Delete(o);
	free(js);
	np_report_free(&r);
}

/* The text, the JSON and the picture use the same denominators, and the JSON names them. */
static void shares_name_their_denominator(void **state)
{
	(void)state;
	struct np_report r;
	build(&r, 0, 30);
	char *js = render(&r, true);
	cJSON *o = cJSON_Parse(js);
	cJSON *sh = cJSON_GetObjectItem(o, "shares");
	double avoid = cJSON_GetObjectItem(sh, "avoid_pct_of_lying")->valuedouble;
	double lying = cJSON_GetObjectItem(sh, "lying_pct_of_recording")->valuedouble;
	assert_true(fabs(avoid - round(1000.0 * r.avoid_s / r.lying_s) / 10.0) < 1e-9);
	assert_true(fabs(lying - round(1000.0 * r.lying_s / r.span_s) / 10.0) < 1e-9);
	cJSON_Delete(o);
	free(js);
	char *text = render(&r, false);
	char want[128];
	snprintf(want, sizeof want, "(%.1f%% of the time lying)", 100.0 * r.avoid_s / r.lying_s);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "Time per position (share of the recording):"));
	free(text);
	np_report_free(&r);
}

/* Durations as text never overflow their 16 bytes nor go negative (plot, trend, info). */
static void duration_text(void **state)
{
	(void)state;
	char b[16];
	np_fmt_hm(3629, b, sizeof b);
	assert_string_equal(b, "1:00");
	np_fmt_hm(-30, b, sizeof b);
	assert_string_equal(b, "0:00");
	np_fmt_hm(NAN, b, sizeof b);
	assert_string_equal(b, "0:00");
	np_fmt_hm(1e300, b, sizeof b);
	assert_string_equal(b, "99999:00");
	np_fmt_hms(3725.4, b, sizeof b);
	assert_string_equal(b, "1:02:05");
	np_fmt_hms(-1, b, sizeof b);
	assert_string_equal(b, "0:00:00");
	np_fmt_hms(1e300, b, sizeof b);
	assert_string_equal(b, "99999:00:00");
}

/* The times per position add up to the span, however the epochs fall. */
static void sums_match_the_span(void **state)
{
	(void)state;
	const double epochs[] = { 10, 30, 45, 7 };
	for (size_t i = 0; i < sizeof epochs / sizeof epochs[0]; i++) {
		struct np_report r;
		build(&r, 0, epochs[i]);
		double sum = 0;
		for (unsigned p = 0; p < NP_POS_COUNT; p++)
			sum += r.time_s[p];
		assert_float_equal(sum, r.span_s, 1e-6);
		assert_float_equal(r.episodes[r.n_episodes - 1].end_s, r.span_s, 1e-6);
		np_report_free(&r);
	}
}

/*
 * One sample: a span of 0 s. Its epoch keeps the full 30 s (the epochs CSV's
 * contract), but the report used to count those 30 s as time lying.
 */
static void one_sample_counts_no_time(void **state)
{
	(void)state;
	struct np_night n;
	struct np_analysis_cfg cfg;
	struct np_report_cfg rc;
	struct np_epochs ep;
	struct np_report r;

	nf_init(&n, 1, 0, 1700000000.0);
	nf_add(&n, 0, 0, 0.5, 1, nf_posture(0, 0), 0);
	nf_finish(&n, 0);
	assert_int_equal(n.sensor[0].n, 1);
	np_analysis_cfg_default(&cfg);
	assert_int_equal(np_epochs_compute(&n, &cfg, &ep), NP_OK);
	assert_int_equal(ep.n, 1);
	assert_float_equal(ep.v[0].end_s, ep.epoch_s, 1e-9);
	np_report_cfg_default(&rc);
	assert_int_equal(np_report_build(&n, &ep, &rc, &r), NP_OK);
	assert_float_equal(r.span_s, 0, 1e-9);
	assert_float_equal(r.lying_s, 0, 1e-9);
	for (unsigned p = 0; p < NP_POS_COUNT; p++)
		assert_float_equal(r.time_s[p], 0, 1e-9);
	for (size_t i = 0; i < r.n_episodes; i++)
		assert_true(r.episodes[i].end_s <= r.span_s);
	char *js = render(&r, true);
	assert_non_null(strstr(js, "\"lying_s\":0,"));
	free(js);
	np_report_free(&r);
	np_epochs_free(&ep);
	np_night_free(&n);
}

/* Text from a file reaches the terminal without its control characters. */
static void printable_escapes_controls(void **state)
{
	(void)state;
	char b[NP_FMT_PRINTABLE_CAP(32)];
	assert_string_equal(np_fmt_printable("\x1b]0;t\x07x\x7f", b, sizeof b), "\\x1b]0;t\\x07x\\x7f");
	assert_string_equal(np_fmt_printable("caf\xc3\xa9 \xe2\x86\x92", b, sizeof b), "caf\xc3\xa9 \xe2\x86\x92");
	/* Invalid UTF-8, an overlong form and a C1 control (U+009B, CSI). */
	assert_string_equal(np_fmt_printable("a\xff\xc0\xaf\xc2\x9b", b, sizeof b),
			    "a\\xff\\xc0\\xaf\\xc2\\x9b");
	/* Cut before an escape that would not fit, never inside one. */
	assert_string_equal(np_fmt_printable("ab\x1b", b, 5), "ab");
	assert_string_equal(np_fmt_printable(NULL, b, sizeof b), "");
}

int main(void)
{
	setenv("TZ", "UTC", 1); /* clock times in the text are local time */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times_and_episodes),
		cmocka_unit_test(printable_escapes_controls),
		cmocka_unit_test(avoid_list),
		cmocka_unit_test(text_and_json),
		cmocka_unit_test(autocalibration_error_in_mg),
		cmocka_unit_test(alerts_from_host_and_device),
		cmocka_unit_test(shares_name_their_denominator),
		cmocka_unit_test(duration_text),
		cmocka_unit_test(sums_match_the_span),
		cmocka_unit_test(one_sample_counts_no_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
