/*
 * Sleep on the command line: a simulated two-night recording through simulate,
 * report (JSON nights, --sleep-window), trend (one row per night), epochs --epoch 5
 * (sleep columns) and export --edf (sleep annotations).
 */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_run.h"
#include "rec_fixture.h"

struct ctx {
	struct cli_ctx cli;
	char npr[4096];
};

static int setup(void **state)
{
	setenv("TZ", "UTC", 1);
	struct ctx *c = cli_ctx_new(sizeof *c);
	fx_path(c->npr, sizeof c->npr, c->cli.dir, "two.npr");
	CLI_RUN(&c->cli, "simulate", "--nights", "2", "--rate", "10", "--seed", "3", "-o", c->npr);
	assert_int_equal(c->cli.r.status, 0);
	*state = c;
	return 0;
}

static void report_json_has_a_sleep_period_per_night(void **state)
{
	struct ctx *c = *state;
	const char *guider[] = { "hdcza", "lying" };
	for (int g = 0; g < 2; g++) {
		CLI_RUN(&c->cli, "report", c->npr, "--format", "json", "--sleep-window", guider[g]);
		assert_int_equal(c->cli.r.status, 0);
		cJSON *o = cJSON_Parse(c->cli.r.out);
		const cJSON *s = cJSON_GetObjectItem(o, "sleep");
		assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(s, "guider")), guider[g]);
		const cJSON *nights = cJSON_GetObjectItem(s, "nights");
		assert_int_equal(cJSON_GetArraySize(nights), 2);
		double prev_onset = -1;
		for (int i = 0; i < 2; i++) {
			const cJSON *n = cJSON_GetArrayItem(nights, i);
			assert_true(cJSON_IsTrue(cJSON_GetObjectItem(n, "found")));
			double onset = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "spt_start_s"));
			assert_true(onset > prev_onset + 20 * 3600.0 || prev_onset < 0);
			prev_onset = onset;
			double tst = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "tst_min"));
			assert_true(tst > 300 && tst < 600);
			/* The truth from the simulator is scored. */
			const cJSON *t = cJSON_GetObjectItem(n, "truth");
			assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(t, "agreement")) > 0.75);
		}
		cJSON_Delete(o);
	}
	CLI_RUN(&c->cli, "report", c->npr, "--sleep-window", "L5");
	assert_int_equal(c->cli.r.status, 2);
	assert_non_null(strstr(c->cli.r.err,
			       "nightpose: report: --sleep-window: expected hdcza or lying, not 'L5'\n"));
}

static void trend_gives_one_row_per_night(void **state)
{
	struct ctx *c = *state;
	CLI_RUN(&c->cli, "trend", c->npr);
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, " asleep  eff %sl.sup %sl.avoid  file\n"));
	char *n1 = strstr(c->cli.r.out, "two.npr (night 1)\n"), *n2 = strstr(c->cli.r.out, "two.npr (night 2)\n");
	assert_true(n1 && n2 && n1 < n2);
	CLI_RUN(&c->cli, "trend", c->npr, "--format", "json");
	assert_int_equal(c->cli.r.status, 0);
	int rows = 0;
	for (char *line = strtok(c->cli.r.out, "\n"); line; line = strtok(NULL, "\n"), rows++) {
		cJSON *o = cJSON_Parse(line);
		const cJSON *s = cJSON_GetObjectItem(o, "sleep");
		double eff = cJSON_GetNumberValue(cJSON_GetObjectItem(s, "efficiency"));
		assert_true(eff > 0.5 && eff <= 1.0);
		assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "night")), rows + 1);
		cJSON_Delete(o);
	}
	assert_int_equal(rows, 2);
}

static void epochs_of_5_s_have_sleep_columns(void **state)
{
	struct ctx *c = *state;
	CLI_RUN(&c->cli, "epochs", c->npr, "--epoch", "5");
	assert_int_equal(c->cli.r.status, 0);
	assert_memory_equal(c->cli.r.out,
			    "start_s,end_s,position,confidence,roll_deg,inclination_deg,movement_mg,"
			    "still,valid_fraction,anglez_deg,sib,spt,asleep,worn\n",
			    116);
	/* Some rows asleep inside the sleep period, worn. */
	assert_non_null(strstr(c->cli.r.out, ",1,1,1,1\n"));
	CLI_RUN(&c->cli, "epochs", c->npr, "--epoch", "30");
	assert_int_equal(c->cli.r.status, 0);
	assert_null(strstr(c->cli.r.out, "anglez_deg"));
}

static void edf_has_sleep_annotations(void **state)
{
	struct ctx *c = *state;
	char edf[4096];
	fx_path(edf, sizeof edf, c->cli.dir, "two.edf");
	CLI_RUN(&c->cli, "export", c->npr, "--edf", edf);
	assert_int_equal(c->cli.r.status, 0);
	size_t len;
	uint8_t *b = fx_read(edf, &len);
	/* EDF+ TAL texts are plain bytes in the annotation signal. */
	assert_non_null(memmem(b, len, "Sleep period", 12));
	assert_non_null(memmem(b, len, "Lights off", 10));
	assert_non_null(memmem(b, len, "Wake", 4));
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_json_has_a_sleep_period_per_night),
		cmocka_unit_test(trend_gives_one_row_per_night),
		cmocka_unit_test(epochs_of_5_s_have_sleep_columns),
		cmocka_unit_test(edf_has_sleep_annotations),
	};
	return cmocka_run_group_tests(tests, setup, cli_ctx_teardown);
}
