/*
 * `nightpose import`: what a user sees. Good input gives a recording and silence;
 * bad input gives exit 2, "nightpose: FILE:LINE: column N: why", and no output
 * file (not even a temporary one); an existing output file is left alone.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"
#include "np_err.h"
#include "np_night.h"
#include "np_posture.h"
#include "rec_fixture.h"

#define SPC_BUNDLED NP_SOURCE_DIR "/datasets/spc/axel_20220610_193124.csv"
#define SPC_HEAD "x_chest,y_chest,z_chest,x_ankle,y_ankle,z_ankle,position\n"

struct ctx {
	struct cli_ctx cli; /* first: cli_ctx_teardown() frees the whole state */
	char in[4096], out[4096];
};

static int setup(void **state)
{
	struct ctx *c = cli_ctx_new(sizeof *c);
	fx_path(c->in, sizeof c->in, c->cli.dir, "input.csv");
	fx_path(c->out, sizeof c->out, c->cli.dir, "night.npr");
	*state = c;
	return 0;
}

static void write_input(struct ctx *c, const char *text)
{
	fx_write(c->in, text, strlen(text));
}

/* Runs `nightpose import ARGS...` (NULL-terminated). */
#define IMPORT(c, ...) CLI_RUN(&(c)->cli, "import", __VA_ARGS__)

/* Exit 2, exactly this message after "nightpose: ", nothing but the input left. */
static void expect_refused(struct ctx *c, const char *message)
{
	char want[8192];
	snprintf(want, sizeof want, "nightpose: %s\n", message);
	assert_int_equal(c->cli.r.status, 2);
	assert_string_equal(c->cli.r.err, want);
	assert_string_equal(c->cli.r.out, "");
	assert_int_equal(access(c->out, F_OK), -1);
	assert_int_equal(fx_count_entries(c->cli.dir), access(c->in, F_OK) == 0 ? 1 : 0);
}

static void spc_import_writes_a_recording_silently(void **state)
{
	struct ctx *c = *state;
	struct np_night n;

	IMPORT(c, "spc", SPC_BUNDLED, "-o", c->out, "--rate", "1");
	assert_int_equal(c->cli.r.status, 0);
	assert_string_equal(c->cli.r.err, "");
	assert_string_equal(c->cli.r.out, "");
	assert_int_equal(fx_count_entries(c->cli.dir), 1);
	assert_int_equal(np_night_load(c->out, &n), NP_OK);
	assert_int_equal(n.sensor[0].n, 701);
	assert_true(n.sensor[0].v[700].t_s == 700.0); /* row 701 at 700 s */
	assert_int_equal(n.n_ann, 12);
	np_night_free(&n);
}

static void malformed_row_names_file_line_and_column(void **state)
{
	struct ctx *c = *state;
	char msg[8192];

	write_input(c, SPC_HEAD "1,2,3,4,5,6,1\n1,x,3,4,5,6,1\n");
	IMPORT(c, "spc", c->in, "-o", c->out);
	snprintf(msg, sizeof msg, "%s:3: column 2: not a number: \"x\"", c->in);
	expect_refused(c, msg);

	write_input(c, SPC_HEAD "1,2,3,4,5,6\n");
	IMPORT(c, "spc", c->in, "-o", c->out);
	snprintf(msg, sizeof msg, "%s:2: expected 7 columns, found 6", c->in);
	expect_refused(c, msg);

	write_input(c, "t,x,y,z\n0,0,0,1\n100,0,0,1\n20,0,0,1\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	snprintf(msg, sizeof msg,
		 "%s:4: column 1: time 20.000 s is 80.000 s before an earlier row's: more than "
		 "60 s back, this is not one recording",
		 c->in);
	expect_refused(c, msg);

	write_input(c, "t,x,y,z\n0,\"0\"x,0,1\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	snprintf(msg, sizeof msg,
		 "%s:2: column 2: stray quote (a quoted field is \"...\", with \"\" for a quote "
		 "inside)",
		 c->in);
	expect_refused(c, msg);

	write_input(c, "0,0,0,1\n0.5,0,0,20\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	snprintf(msg, sizeof msg, "%s:2: column 4: acceleration 20 g is out of range (at most 16 g)",
		 c->in);
	expect_refused(c, msg);
}

static void empty_and_missing_files_are_refused(void **state)
{
	struct ctx *c = *state;
	char msg[8192];

	write_input(c, "");
	IMPORT(c, "csv", c->in, "-o", c->out, "--rate", "25");
	snprintf(msg, sizeof msg, "%s: empty file", c->in);
	expect_refused(c, msg);

	unlink(c->in);
	IMPORT(c, "uci-ar", c->in, "-o", c->out);
	snprintf(msg, sizeof msg, "%s: No such file or directory", c->in);
	expect_refused(c, msg);
}

static void hapt_label_errors_name_the_labels_file(void **state)
{
	struct ctx *c = *state;
	char labels[4096], input[4096], msg[8192];

	fx_path(labels, sizeof labels, c->cli.dir, "labels.txt");
	fx_path(input, sizeof input, c->cli.dir, "acc_exp41_user20.txt");
	fx_write(input, "1 0 0\n1 0 0\n", 12);
	fx_write(labels, "41 20 5 1 2\n41 20 5 one 2\n", 26);
	IMPORT(c, "hapt", input, "--labels", labels, "-o", c->out);
	assert_int_equal(c->cli.r.status, 2);
	snprintf(msg, sizeof msg,
		 "nightpose: %s:2: column 4: expected a whole number from 1 to 100000000, "
		 "found \"one\"\n",
		 labels);
	assert_string_equal(c->cli.r.err, msg);
	assert_int_equal(access(c->out, F_OK), -1);

	fx_write(labels, "41 20 6 1 2\n", 12);
	IMPORT(c, "hapt", input, "--labels", labels, "-o", c->out);
	assert_int_equal(c->cli.r.status, 0);
	assert_string_equal(c->cli.r.err, "");
}

static void existing_output_survives_a_failed_import(void **state)
{
	struct ctx *c = *state;
	size_t len;

	fx_write(c->out, "precious", 8);
	write_input(c, SPC_HEAD "1,2,3,4,5,6,99\n");
	IMPORT(c, "spc", c->in, "-o", c->out);
	assert_int_equal(c->cli.r.status, 2);
	uint8_t *kept = fx_read(c->out, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(kept, "precious", 8);
	free(kept);
	assert_int_equal(fx_count_entries(c->cli.dir), 2);
}

static void output_over_the_input_is_refused(void **state)
{
	struct ctx *c = *state;
	char msg[8192];

	write_input(c, SPC_HEAD "1,2,3,4,5,6,1\n");
	IMPORT(c, "spc", c->in, "-o", c->in);
	assert_int_equal(c->cli.r.status, 2);
	snprintf(msg, sizeof msg, "nightpose: %s: is an input file; choose another output name\n",
		 c->in);
	assert_string_equal(c->cli.r.err, msg);
	size_t len;
	uint8_t *kept = fx_read(c->in, &len);
	assert_int_equal(len, strlen(SPC_HEAD) + 14);
	free(kept);
}

static void usage_errors_exit_2_with_a_hint(void **state)
{
	struct ctx *c = *state;
	static const struct {
		const char *args[8];
		const char *why;
	} cases[] = {
		{ { "xls", "in.csv", "-o", "x.npr" }, "unknown format 'xls'" },
		{ { "spc", "in.csv" }, "missing -o NIGHT.npr" },
		{ { "spc", "-o", "x.npr" }, "missing INPUT file" },
		{ { "hapt", "acc_exp41_user20.txt", "-o", "x.npr" }, "hapt needs --labels" },
		{ { "spc", "in.csv", "-o", "x.npr", "--scale", "mg" }, "are for csv, not spc" },
		{ { "csv", "in.csv", "-o", "x.npr", "--scale", "counts" }, "needs --lsb-per-g" },
		{ { "csv", "in.csv", "-o", "x.npr", "--rate", "fast" }, "--rate: expected a rate" },
		{ { "uci-ar", "in", "-o", "x.npr", "--rate", "2" }, "no --rate" },
		{ { "spc", "in.csv", "-o", "x.npr", "--start", "yesterday" }, "--start: expected" },
		{ { "spc", "in.csv", "-o", "x.npr", "--bogus" }, "unknown option '--bogus'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[10] = { "import" };
		for (size_t k = 0; k < 8 && cases[i].args[k]; k++)
			args[k + 1] = cases[i].args[k];
		cli_result_free(&c->cli.r);
		cli_run(c->cli.dir, args, &c->cli.r);
		if (c->cli.r.status != 2 || !strstr(c->cli.r.err, cases[i].why) ||
		    !strstr(c->cli.r.err, "(see 'nightpose import --help')"))
			fail_msg("case %zu: exit %d, stderr '%s'", i, c->cli.r.status, c->cli.r.err);
	}
	assert_int_equal(fx_count_entries(c->cli.dir), 0);
}

static void help_goes_to_stdout(void **state)
{
	struct ctx *c = *state;
	IMPORT(c, "--help");
	assert_int_equal(c->cli.r.status, 0);
	assert_non_null(strstr(c->cli.r.out, "usage: nightpose import FORMAT INPUT -o NIGHT.npr"));
	assert_string_equal(c->cli.r.err, "");
}

static void unwritable_output_is_a_runtime_failure(void **state)
{
	struct ctx *c = *state;
	char out[4096], msg[8192];

	fx_path(out, sizeof out, c->cli.dir, "no-such-dir/night.npr");
	IMPORT(c, "spc", SPC_BUNDLED, "-o", out);
	assert_int_equal(c->cli.r.status, 1);
	snprintf(msg, sizeof msg, "nightpose: %s: No such file or directory\n", out);
	assert_string_equal(c->cli.r.err, msg);
}

static void csv_with_rate_and_counts(void **state)
{
	struct ctx *c = *state;
	struct np_night n;

	write_input(c, "x,y,z,label\n0,0,256,supine\n0,0,256,supine\n0,-256,0,left\n");
	IMPORT(c, "csv", c->in, "-o", c->out, "--rate", "4", "--scale", "counts", "--lsb-per-g",
	       "256", "--start", "2026-03-01T23:00:00");
	assert_int_equal(c->cli.r.status, 0);
	assert_int_equal(np_night_load(c->out, &n), NP_OK);
	assert_int_equal(n.sensor[0].n, 3);
	assert_true(n.sensor[0].v[2].t_s == 0.5);
	assert_true(n.sensor[0].v[2].y == -1.0f);
	assert_true(n.header.created_utc_ms == 1772406000000LL);
	assert_int_equal(n.n_ann, 2);
	assert_int_equal(n.ann[1].position, NP_POS_LEFT);
	np_night_free(&n);
}

/* Runs an import that must succeed, and loads the recording. */
static void expect_imported(struct ctx *c, const char *err, struct np_night *n)
{
	assert_int_equal(c->cli.r.status, 0);
	assert_string_equal(c->cli.r.err, err);
	assert_string_equal(c->cli.r.out, "");
	assert_int_equal(np_night_load(c->out, n), NP_OK);
}

/* Real loggers repeat and jitter times (two files of the UCI S2 set do): the rows
 * are kept, and a note (not an error) says how many. */
static void repeated_times_are_kept_with_a_note(void **state)
{
	struct ctx *c = *state;
	struct np_night n;

	write_input(c, "0,0.27,1.0,-0.08,1,-63.5,2.4,924.25,1\n"
		       "0.5,0.27,1.0,-0.08,1,-63,4.7,921.75,1\n"
		       "0.5,0.28,1.0,-0.08,1,-63,4.7,921.75,1\n"
		       "1.5,0.30,1.0,-0.08,1,-63.5,3.0,923.75,3\n");
	IMPORT(c, "uci-ar", c->in, "-o", c->out);
	expect_imported(c,
			"import: 1 row with a repeated or decreasing time kept (1 ms after the "
			"row before)\n",
			&n);
	assert_int_equal(n.sensor[0].n, 4);
	assert_true(fabs(n.sensor[0].v[2].t_s - 0.501) < 1e-9);
	size_t notes = 0;
	for (size_t i = 0; i < n.n_ann; i++)
		notes += n.ann[i].kind == NP_ANN_NOTE &&
			 strstr(n.ann[i].text, "import: 1 row with a repeated") != NULL;
	assert_int_equal(notes, 1);
	np_night_free(&n);

	unlink(c->out);
	write_input(c, "t,x,y,z\n5,0,0,1\n5,0,0,1\n5,0,0,1\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	char msg[8192];
	snprintf(msg, sizeof msg, "%s: all 3 rows have the same time: not a recording", c->in);
	expect_refused(c, msg);
}

/* Phone apps write m/s^2: --scale ms2 reads it, and g by mistake gets a warning. */
static void metres_per_second_squared(void **state)
{
	struct ctx *c = *state;
	struct np_night n;

	write_input(c, "t,x,y,z\n0,0.1,0.2,9.81\n0.02,0.1,0.2,9.79\n0.04,0.0,0.1,9.80\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	expect_imported(c, "import: median magnitude 9.8 g: is the file in m/s\xc2\xb2? "
			   "(--scale ms2)\n",
			&n);
	np_night_free(&n);

	IMPORT(c, "csv", c->in, "-o", c->out, "--scale", "ms2");
	expect_imported(c, "", &n);
	assert_int_equal(n.sensor[0].n, 3);
	assert_true(fabs(n.sensor[0].v[0].z - 9.81 / 9.80665) < 0.001);
	assert_int_equal(n.n_ann, 0);
	np_night_free(&n);
}

/* Quoted fields ("0.1", as spreadsheets and pandas may write) are plain values. */
static void quoted_fields_are_values(void **state)
{
	struct ctx *c = *state;
	struct np_night n;

	write_input(c, "\"t\",\"x\",\"y\",\"z\",\"label\"\n"
		       "\"0.0\",\"0.1\",\"-0.02\",\"0.98\",\"supine\"\n"
		       "\"0.04\",\"0.1\",\"-0.02\",\"0.98\",supine\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	expect_imported(c, "", &n);
	assert_int_equal(n.sensor[0].n, 2);
	assert_true(fabs(n.sensor[0].v[1].x - 0.1) < 1e-6);
	assert_int_equal(n.ann[0].position, NP_POS_SUPINE);
	np_night_free(&n);

	/* ';' with decimal commas, quoted or not. */
	write_input(c, "t;x;y;z\n0;\"0,1\";0,2;0,98\n0,04;0,1;\"0,2\";0,97\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	expect_imported(c, "", &n);
	assert_true(fabs(n.sensor[0].v[0].x - 0.1) < 1e-6);
	assert_true(fabs(n.sensor[0].v[1].t_s - 0.04) < 1e-9);
	np_night_free(&n);
}

/* With a header, columns go by name: "t,x,y,z" with --rate used to read z as a label. */
static void header_names_pick_the_columns(void **state)
{
	struct ctx *c = *state;
	struct np_night n;

	write_input(c, "t,x,y,z\n0,0.01,-0.02,0.98\n0.04,0.02,-0.01,0.99\n");
	IMPORT(c, "csv", c->in, "-o", c->out, "--rate", "25");
	expect_imported(c, "", &n);
	assert_int_equal(n.sensor[0].n, 2);
	assert_true(fabs(n.sensor[0].v[1].z - 0.99) < 1e-6);
	assert_int_equal(n.n_ann, 0);
	np_night_free(&n);

	/* Any order, other names, unknown columns read past. */
	write_input(c, "Label,gyro_x,Acc_Z (g),acc_y,ACC_X,Timestamp\n"
		       "left,1.5,0.05,-0.99,0.01,10.0\n"
		       "left,1.4,0.04,-0.98,0.02,10.5\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	expect_imported(c, "", &n);
	assert_int_equal(n.sensor[0].n, 2);
	assert_true(fabs(n.sensor[0].v[1].t_s - 0.5) < 1e-9);
	assert_true(fabs(n.sensor[0].v[0].x - 0.01) < 1e-6);
	assert_true(fabs(n.sensor[0].v[0].y + 0.99) < 1e-6);
	assert_true(fabs(n.sensor[0].v[0].z - 0.05) < 1e-6);
	assert_int_equal(n.ann[0].position, NP_POS_LEFT);
	np_night_free(&n);

	char msg[8192];
	unlink(c->out);
	write_input(c, "x,y,label\n0,0,supine\n");
	IMPORT(c, "csv", c->in, "-o", c->out, "--rate", "25");
	snprintf(msg, sizeof msg, "%s:1: the header has no z column (names: datasets/IMPORT.md)",
		 c->in);
	expect_refused(c, msg);

	write_input(c, "x,y,z\n0,0,1\n");
	IMPORT(c, "csv", c->in, "-o", c->out);
	snprintf(msg, sizeof msg,
		 "%s:1: the header has no time column (t, time or timestamp): give --rate", c->in);
	expect_refused(c, msg);
}

/* Devices are not data: /dev/zero used to be read into memory without end. */
static void devices_are_refused_and_huge_lines_stop(void **state)
{
	struct ctx *c = *state;
	char msg[8192];

	IMPORT(c, "csv", "/dev/zero", "-o", c->out, "--rate", "25");
	expect_refused(c, "/dev/zero: not a regular file or pipe");
	IMPORT(c, "uci-ar", "/dev/urandom", "-o", c->out);
	expect_refused(c, "/dev/urandom: not a regular file or pipe");

	/* A regular file without line ends stops at the line cap, not at the memory's end. */
	size_t big = 200000;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, '1', big);
	text[big] = '\0';
	write_input(c, text);
	free(text);
	IMPORT(c, "csv", c->in, "-o", c->out, "--rate", "25");
	snprintf(msg, sizeof msg, "%s:1: line longer than 65536 characters (not a text file?)",
		 c->in);
	expect_refused(c, msg);
}

static void hapt_help_says_labels_are_needed(void **state)
{
	struct ctx *c = *state;
	IMPORT(c, "--help");
	assert_non_null(strstr(c->cli.r.out, "hapt    UCI HAPT acc_expNN_userMM.txt; needs --labels"));
	assert_non_null(strstr(c->cli.r.out, "--labels FILE         hapt (required)"));
	assert_non_null(strstr(c->cli.r.out, "--scale g|mg|ms2|counts"));

	IMPORT(c, "hapt", "acc_exp41_user20.txt", "-o", c->out);
	assert_int_equal(c->cli.r.status, 2);
	assert_non_null(strstr(c->cli.r.err, "hapt needs --labels labels.txt"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(spc_import_writes_a_recording_silently, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(malformed_row_names_file_line_and_column, setup,
						cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(empty_and_missing_files_are_refused, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(hapt_label_errors_name_the_labels_file, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(existing_output_survives_a_failed_import, setup,
						cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(output_over_the_input_is_refused, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(usage_errors_exit_2_with_a_hint, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(help_goes_to_stdout, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(unwritable_output_is_a_runtime_failure, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(csv_with_rate_and_counts, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(repeated_times_are_kept_with_a_note, setup,
						cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(metres_per_second_squared, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(quoted_fields_are_values, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(header_names_pick_the_columns, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(devices_are_refused_and_huge_lines_stop, setup,
						cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(hapt_help_says_labels_are_needed, setup,
						cli_ctx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
