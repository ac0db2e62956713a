/* The config file (~/.config/nightpose/config): its values are used, options win,
 * a bad line stops with FILE:LINE, and `nightpose config` says where each comes from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"

#define SAMPLE NP_SOURCE_DIR "/datasets/samples/sample-night.npr"

struct cfg_ctx {
	struct cli_ctx cli;
	char path[4200]; /* DIR/nightpose/config: cli_run points XDG_CONFIG_HOME at DIR */
};

static int setup(void **state)
{
	struct cfg_ctx *c = cli_ctx_new(sizeof *c);
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/nightpose", c->cli.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(c->path, sizeof c->path, "%s/config", sub);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct cfg_ctx *c = *state;
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/nightpose", c->cli.dir);
	unlink(c->path);
	rmdir(sub);
	return cli_ctx_teardown(state);
}

static void write_config(const struct cfg_ctx *c, const char *text)
{
	FILE *f = fopen(c->path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_value_used(void **state)
{
	struct cfg_ctx *c = *state;
	write_config(c, "# my defaults\n\navoid = left,right\n");
	CLI_RUN(&c->cli, "report", SAMPLE);
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "Positions to avoid (left, right):"));
}

static void test_option_wins(void **state)
{
	struct cfg_ctx *c = *state;
	write_config(c, "avoid = left,right\n");
	CLI_RUN(&c->cli, "report", SAMPLE, "--avoid", "supine");
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "Positions to avoid (supine):"));
}

/* A calibration file from the config reaches epochs; --calibration replaces it. */
static void test_calibration(void **state)
{
	struct cfg_ctx *c = *state;
	write_config(c, "calibration = /nonexistent/cal.json\n");
	CLI_RUN(&c->cli, "epochs", SAMPLE);
	assert_int_equal(c->cli.r.status, 2);
	assert_string_equal(c->cli.r.err, "nightpose: /nonexistent/cal.json: No such file or directory\n");
	CLI_RUN(&c->cli, "export", SAMPLE, "--csv", "-", "--calibration", "/nonexistent/other.json");
	assert_int_equal(c->cli.r.status, 2);
	assert_string_equal(c->cli.r.err, "nightpose: /nonexistent/other.json: No such file or directory\n");
}

/* record takes the port and the output pattern from the file: with them it gets as
 * far as opening the port, instead of stopping at a missing -o. */
static void test_record_port_and_output(void **state)
{
	struct cfg_ctx *c = *state;
	write_config(c, "port = /nonexistent/ttyACM9\noutput = night-%Y.npr\n");
	CLI_RUN(&c->cli, "record");
	assert_int_equal(c->cli.r.status, 1);
	assert_non_null(strstr(c->cli.r.err, "nightpose: /nonexistent/ttyACM9: "));
}

/* A night without recorded settings replays with the file's alert settings. */
static void test_replay_alerts(void **state)
{
	struct cfg_ctx *c = *state;
	CLI_RUN(&c->cli, "replay", SAMPLE);
	assert_non_null(strstr(c->cli.r.out, "alerts: none asked for"));
	write_config(c, "alert-after = 120\n");
	CLI_RUN(&c->cli, "replay", SAMPLE);
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "alerts: 288 replayed"));
	CLI_RUN(&c->cli, "replay", SAMPLE, "--alert-after", "600");
	assert_non_null(strstr(c->cli.r.out, "alerts: 240 replayed"));
}

static void expect_bad(struct cfg_ctx *c, const char *text, unsigned line, const char *why)
{
	char want[8192];
	write_config(c, text);
	snprintf(want, sizeof want, "nightpose: %s:%u: %s\n", c->path, line, why);
	CLI_RUN(&c->cli, "report", SAMPLE);
	assert_int_equal(c->cli.r.status, 2);
	assert_string_equal(c->cli.r.out, "");
	assert_string_equal(c->cli.r.err, want);
}

static void test_bad_lines(void **state)
{
	struct cfg_ctx *c = *state;
	expect_bad(c, "avoid = prone\nalert-after = soon\n", 2,
		   "alert-after: expected seconds 1..86400, not 'soon'");
	expect_bad(c, "# ok\ncolour = blue\n", 2,
		   "unknown setting 'colour' (known: port, avoid, alert, alert-after, alert-delay, "
		   "calibration, output)");
	expect_bad(c, "\n\navoid = sideways\n", 3,
		   "avoid: expected positions among supine, prone, left, right, upright, not 'sideways'");
	expect_bad(c, "avoid prone\n", 1, "expected KEY = VALUE, a # comment or an empty line");
	expect_bad(c, "[record]\nport = auto\n", 2,
		   "[record]: the file has no sections; write 'port = ...' before any [section]");
	/* Commands that take none of its settings do not read it. */
	CLI_RUN(&c->cli, "info", SAMPLE);
	assert_int_equal(c->cli.r.status, 0);
}

static void test_config_command(void **state)
{
	struct cfg_ctx *c = *state;
	char want[16384];
	CLI_RUN(&c->cli, "config");
	assert_int_equal(c->cli.r.status, 0);
	snprintf(want, sizeof want, "config file: %s (not found)\n", c->path);
	assert_non_null(strstr(c->cli.r.out, want));
	assert_non_null(strstr(c->cli.r.out, "\navoid        prone  [default]\n"));

	write_config(c, "# defaults\nport = /dev/nightpose-NP0001\navoid = prone,supine\n");
	CLI_RUN(&c->cli, "config", "--alert-after", "90");
	assert_int_equal(c->cli.r.status, 0);
	snprintf(want, sizeof want,
		 "config file: %s\n"
		 "port         /dev/nightpose-NP0001  [%s:2]\n"
		 "avoid        prone,supine  [%s:3]\n"
		 "alert        vibrate  [default]\n"
		 "alert-after  90  [command line]\n"
		 "alert-delay  0  [default]\n"
		 "calibration  none (sensor axes = body axes)  [default]\n"
		 "output       none (record needs -o)  [default]\n",
		 c->path, c->path, c->path);
	assert_string_equal(c->cli.r.out, want);

	CLI_RUN(&c->cli, "config", "--alert-delay", "x");
	assert_int_equal(c->cli.r.status, 2);
	assert_non_null(strstr(c->cli.r.err, "--alert-delay: expected seconds 0..86400, not 'x'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_value_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_option_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calibration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_port_and_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_alerts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_command, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
