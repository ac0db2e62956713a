/* host/lib/output/np_report_sleep.c: the report's sleep section, text and JSON. */
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
#include "np_report.h"

/* The evening night (night_fixture.h) from 2026-01-05 21:00 UTC, lying guider. */
static char *report(bool json, enum np_sleep_guider g)
{
	struct np_night n;
	struct np_analysis_cfg cfg;
	struct np_report_cfg rc;
	struct np_epochs ep;
	struct np_report r;
	struct np_night_sleep_cfg scfg;
	struct np_night_sleep s;
	nf_evening_night(&n, 10, 1767646800.0, 0);
	np_analysis_cfg_default(&cfg);
	assert_int_equal(np_epochs_compute(&n, &cfg, &ep), NP_OK);
	np_report_cfg_default(&rc);
	assert_int_equal(np_report_build(&n, &ep, &rc, &r), NP_OK);
	np_night_sleep_cfg_default(&scfg);
	scfg.guider = g;
	assert_int_equal(np_night_sleep_compute(&n, &scfg, &s), NP_OK);
	r.sleep = &s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(json ? np_report_write_json(&r, f) : np_report_write_text(&r, f), NP_OK);
	fclose(f);
	np_night_sleep_free(&s);
	np_report_free(&r);
	np_epochs_free(&ep);
	np_night_free(&n);
	return buf;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", key);
	return v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsString(v))
		fail_msg("%s is not a string", key);
	return v->valuestring;
}

/* Every field the issue asks for, with the values of the night, in local time with
 * the UTC offset: lying down at 23:00 UTC is midnight in Paris. */
static void test_json_fields(void **state)
{
	(void)state;
	char *buf = report(true, NP_SLEEP_GUIDER_LYING);
	cJSON *o = cJSON_Parse(buf);
	assert_non_null(o);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "sleep");
	assert_non_null(s);
	assert_string_equal(str(s, "guider"), "lying");
	assert_string_equal(str(s, "lights_off"), "2026-01-06T00:00:00+01:00");
	assert_string_equal(str(s, "lights_on"), "2026-01-06T07:30:00+01:00");
	assert_memory_equal(str(s, "onset"), "2026-01-06T00:", 14);
	assert_memory_equal(str(s, "wake"), "2026-01-06T07:0", 15);
	assert_true(fabs(num(s, "spt_start_s") - 8400) < 300);
	assert_true(fabs(num(s, "spt_end_s") - 32400) < 300);
	assert_true(fabs(num(s, "time_in_bed_min") - 450) < 2);
	assert_true(num(s, "spt_min") >= num(s, "tst_min"));
	assert_true(fabs(num(s, "waso_min") - (num(s, "spt_min") - num(s, "tst_min"))) < 0.02);
	assert_true(fabs(num(s, "sol_min") - 20) < 5);
	assert_true(fabs(num(s, "efficiency") - num(s, "tst_min") / num(s, "time_in_bed_min")) < 0.002);
	assert_int_equal((int)num(s, "awakenings"), 0);
	assert_true(num(s, "nonwear_min") == 0);
	const cJSON *pa = cJSON_GetObjectItemCaseSensitive(s, "positions_asleep");
	const cJSON *pw = cJSON_GetObjectItemCaseSensitive(s, "positions_awake_in_bed");
	assert_true(fabs(num(pa, "prone") - 40) < 2);
	assert_true(num(pw, "prone") == 0);
	assert_true(fabs(num(pw, "supine") - 20) < 2);
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(s, "avoid");
	assert_true(fabs(num(av, "asleep_min") - num(pa, "prone")) < 0.01);
	const cJSON *nights = cJSON_GetObjectItemCaseSensitive(s, "nights");
	assert_int_equal(cJSON_GetArraySize(nights), 1);
	const cJSON *n0 = cJSON_GetArrayItem(nights, 0);
	assert_string_equal(str(n0, "lights_off"), str(s, "lights_off"));
	const cJSON *truth = cJSON_GetObjectItemCaseSensitive(n0, "truth");
	assert_true(num(truth, "agreement") > 0.97);
	assert_true(fabs(num(truth, "onset_error_min")) < 5);
	cJSON_Delete(o);
	free(buf);
}

/* The text report has a Sleep section, and the advice speaks of sleep. */
static void test_text_section_and_advice(void **state)
{
	(void)state;
	char *buf = report(false, NP_SLEEP_GUIDER_HDCZA);
	assert_non_null(strstr(buf, "\nSleep (GGIR's algorithms on the trunk"));
	assert_non_null(strstr(buf, "guider: hdcza"));
	assert_non_null(strstr(buf, "  Night 1 (from noon 2026-01-05): in bed "));
	assert_non_null(strstr(buf, "Positions to avoid (prone): 40 min asleep, 0 min awake in bed"));
	assert_non_null(strstr(buf, "  - While asleep: on your stomach 40 min"));
	/* The sleep section comes before the advice, which still ends the report. */
	assert_true(strstr(buf, "\nSleep (") < strstr(buf, "For lower back pain"));
	assert_non_null(strstr(buf, "not medical advice"));
	free(buf);
}

int main(void)
{
	setenv("TZ", "CET-1", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_text_section_and_advice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
