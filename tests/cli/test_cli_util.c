/*
 * Behaviour shared by every command (cli_util.c, cli_night.c, main.c): output file
 * names, outputs that are not regular files, the file size limit, the calibration
 * file's device. What a user sees, and that inputs survive.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"
#include "np_night.h"
#include "np_rec_builder.h"
#include "rec_fixture.h"

struct ctx {
	char *dir;
	char night[4096], fifo[4096], cal[4096];
	struct cli_result r;
	uint8_t *orig; /* the recording as simulate wrote it */
	size_t orig_len;
};

static void run(struct ctx *c, const char *const *argv)
{
	cli_result_free(&c->r);
	cli_run(c->dir, argv, &c->r);
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof *c);
	assert_non_null(c);
	c->dir = fx_tmpdir();
	fx_path(c->night, sizeof c->night, c->dir, "night.npr");
	fx_path(c->fifo, sizeof c->fifo, c->dir, "fifo");
	fx_path(c->cal, sizeof c->cal, c->dir, "cal.json");
	/* 36 s at 1 Hz: small enough for a pipe's buffer. */
	run(c, (const char *[]){ "simulate", "-o", c->night, "--hours", "0.01", "--rate", "1", NULL });
	assert_int_equal(c->r.status, 0);
	c->orig = fx_read(c->night, &c->orig_len);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	cli_result_free(&c->r);
	fx_rmdir(c->dir);
	free(c->dir);
	free(c->orig);
	free(c);
	return 0;
}

static void expect_night_intact(const struct ctx *c)
{
	size_t len;
	uint8_t *now = fx_read(c->night, &len);
	assert_int_equal(len, c->orig_len);
	assert_memory_equal(now, c->orig, len);
	free(now);
}

/* `epochs night.npr -o night.npr` used to replace the night with its CSV. */
static void output_over_an_input_is_refused(void **state)
{
	struct ctx *c = *state;
	char same[4096 + 8], msg[8300];
	snprintf(same, sizeof same, "%s/./night.npr", c->dir); /* another spelling of the same file */
	const char *const cases[][10] = {
		{ "epochs", c->night, "-o", same, NULL },
		{ "calibrate", c->night, "-o", same, "--supine", "0-10", "--left", "20-30", NULL },
		{ "export", c->night, "--csv", same, NULL },
		{ "export", c->night, "--edf", same, NULL },
		{ "import", "csv", c->night, "-o", same, NULL },
	};
	snprintf(msg, sizeof msg, "nightpose: %s: is an input file; choose another output name\n", same);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run(c, cases[i]);
		assert_int_equal(c->r.status, 2);
		assert_string_equal(c->r.err, msg);
		assert_string_equal(c->r.out, "");
		expect_night_intact(c);
		assert_int_equal(fx_count_entries(c->dir), 1);
	}

	/* The calibration file is an input of epochs and export too. */
	fx_write(c->cal, "{}", 2);
	run(c, (const char *[]){ "epochs", c->night, "--calibration", c->cal, "-o", c->cal, NULL });
	assert_int_equal(c->r.status, 2);
	assert_non_null(strstr(c->r.err, "is an input file"));
	size_t len;
	uint8_t *cal = fx_read(c->cal, &len);
	assert_int_equal(len, 2);
	free(cal);
}

/* `record -o lastnight.npr` used to replace last night's recording without a word. */
static void record_never_replaces_a_night(void **state)
{
	struct ctx *c = *state;
	char msg[8300], pattern[4096 + 32], made[4096 + 32];
	run(c, (const char *[]){ "record", "--port", "/nonexistent/tty", "-o", c->night, NULL });
	assert_int_equal(c->r.status, 2);
	snprintf(msg, sizeof msg, "nightpose: %s: exists: a recording is never replaced", c->night);
	assert_non_null(strstr(c->r.err, msg));
	assert_non_null(strstr(c->r.err, "--force"));
	expect_night_intact(c);
	/* With --force it goes on to the port (which does not exist here: exit 1). */
	run(c, (const char *[]){ "record", "--port", "/nonexistent/tty", "-o", c->night, "--force",
				 NULL });
	assert_int_equal(c->r.status, 1);
	expect_night_intact(c);

	/* A dated pattern names the night and makes its directories. */
	snprintf(pattern, sizeof pattern, "%s/nights/%%Y/n-%%Y.npr", c->dir);
	run(c, (const char *[]){ "record", "--port", "/nonexistent/tty", "-o", pattern, NULL });
	assert_int_equal(c->r.status, 1);
	time_t now = time(NULL);
	struct tm tm;
	assert_non_null(localtime_r(&now, &tm));
	snprintf(made, sizeof made, "%s/nights/%d", c->dir, tm.tm_year + 1900);
	struct stat st;
	assert_int_equal(stat(made, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	rmdir(made);
	snprintf(made, sizeof made, "%s/nights", c->dir);
	rmdir(made);
}

static void empty_output_name_is_a_usage_error(void **state)
{
	struct ctx *c = *state;
	const char *const cases[][9] = {
		{ "epochs", c->night, "-o", "", NULL },
		{ "simulate", "-o", "", NULL },
		{ "export", c->night, "--csv", "", NULL },
		{ "calibrate", c->night, "-o", "", "--supine", "0-10", "--left", "20-30" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run(c, cases[i]);
		assert_int_equal(c->r.status, 2);
		if (!strstr(c->r.err, "needs a file name, not ''"))
			fail_msg("%s: stderr '%s'", cases[i][0], c->r.err);
	}
	assert_int_equal(fx_count_entries(c->dir), 1);

	/* "-" is standard output for CSV and JSON; a recording used to land in a file
	 * named "-" in the working directory. */
	const char *const dash[][8] = {
		{ "simulate", "-o", "-", "--hours", "0.01", NULL },
		{ "import", "csv", c->night, "-o", "-", NULL },
	};
	for (size_t i = 0; i < sizeof dash / sizeof dash[0]; i++) {
		run(c, dash[i]);
		assert_int_equal(c->r.status, 2);
		if (!strstr(c->r.err, "a recording does not go to standard output"))
			fail_msg("%s: stderr '%s'", dash[i][0], c->r.err);
		assert_string_equal(c->r.out, "");
	}
	assert_int_equal(fx_count_entries(c->dir), 1);
}

/* `-o /dev/null` (here a FIFO, which needs no privileges) must write into the file,
 * not rename a temporary file over it: that replaced /dev/null with a plain file. */
static void output_into_a_fifo_keeps_the_fifo(void **state)
{
	struct ctx *c = *state;
	const char *const cases[][8] = {
		{ "simulate", "-o", c->fifo, "--hours", "0.01", "--rate", "1", NULL },
		{ "epochs", c->night, "-o", c->fifo, NULL },
		{ "export", c->night, "--csv", c->fifo, NULL },
	};
	static const char *const starts[] = { "\x89NPR", "start_s,end_s,", "time_s," };
	assert_int_equal(mkfifo(c->fifo, 0600), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[256] = { 0 };
		struct stat st;
		int rd = open(c->fifo, O_RDONLY | O_NONBLOCK);
		assert_true(rd >= 0);
		run(c, cases[i]);
		assert_int_equal(c->r.status, 0);
		assert_true(read(rd, buf, sizeof buf - 1) > 0);
		close(rd);
		assert_memory_equal(buf, starts[i], strlen(starts[i]));
		assert_int_equal(stat(c->fifo, &st), 0);
		assert_true(S_ISFIFO(st.st_mode));
		assert_int_equal(fx_count_entries(c->dir), 2);
	}
}

/* A name of 255 bytes (NAME_MAX) ending in ext: its temporary name must fit too. */
static void long_name(char *out, size_t cap, const char *dir, const char *ext)
{
	char base[256];
	size_t n = 255 - strlen(ext);
	memset(base, 'n', n);
	memcpy(base + n, ext, strlen(ext) + 1);
	fx_path(out, cap, dir, base);
}

/* Names of 245 to 255 bytes failed: ".tmp-XXXXXX" made the temporary name too long. */
static void longest_output_names_work(void **state)
{
	struct ctx *c = *state;
	char npr[4096], csv[4096], png[4096];
	long_name(npr, sizeof npr, c->dir, ".npr");
	long_name(csv, sizeof csv, c->dir, ".csv");
	long_name(png, sizeof png, c->dir, ".png");
	run(c, (const char *[]){ "simulate", "-o", npr, "--hours", "0.01", "--rate", "1", NULL });
	assert_int_equal(c->r.status, 0);
	run(c, (const char *[]){ "epochs", npr, "-o", csv, NULL });
	assert_int_equal(c->r.status, 0);
	assert_string_equal(c->r.err, "");
	run(c, (const char *[]){ "report", c->night, "--plot", png, NULL });
	assert_int_equal(c->r.status, 0);
	struct stat st;
	assert_int_equal(stat(npr, &st), 0);
	assert_int_equal(stat(csv, &st), 0);
	assert_int_equal(stat(png, &st), 0);
	assert_true(st.st_size > 0);
	/* The night, the three outputs, no temporary file. */
	assert_int_equal(fx_count_entries(c->dir), 4);
}

/* Run argv with a 64 KiB file size limit (how tests make a full disk). The child
 * inherits the limit; SIGXFSZ keeps its default action here. */
static void run_over_64k_limit(struct ctx *c, const char *const *argv)
{
	struct rlimit old, lim;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 65536;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	run(c, argv);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
}

/* main.c: over `ulimit -f` (how tests make a full disk) the commands used to die of
 * SIGXFSZ with status 153, no message and their temporary file left behind. */
static void file_size_limit_is_a_write_failure(void **state)
{
	struct ctx *c = *state;
	char out[4096 + 16];
	const char *const cases[][8] = {
		{ "simulate", "-o", out, "--hours", "1", NULL },
		{ "epochs", c->night, "--epoch", "0.01", "-o", out, NULL },
	};

	fx_path(out, sizeof out, c->dir, "out");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_over_64k_limit(c, cases[i]);
		assert_int_equal(c->r.status, 1);
		if (!strstr(c->r.err, "File too large"))
			fail_msg("%s: stderr '%s'", cases[i][0], c->r.err);
		assert_int_equal(fx_count_entries(c->dir), 1); /* no temporary file */
	}
}

/* main.c, cli_util.c: a failed write to standard output ("-") is reported once, as
 * "standard output", with the system's reason; it used to name "-" and then add a
 * second, reasonless "standard output: write failed". */
static void standard_output_failure_is_reported_once(void **state)
{
	struct ctx *c = *state;

	/* 3600 rows of CSV on stdout (a file in c->dir), over a 64 KiB limit. */
	run_over_64k_limit(c, (const char *[]){ "epochs", c->night, "--epoch", "0.01", NULL });
	assert_int_equal(c->r.status, 1);
	assert_string_equal(c->r.err, "nightpose: standard output: write failed: File too large\n");
}

/* cli_night.c: a calibration file from another device is probably the wrong one. */
static void calibration_of_another_device_warns(void **state)
{
	struct ctx *c = *state;
	static const char cal[] = "{\"format\": \"nightpose-calibration\", \"version\": 1, "
				  "\"device_serial\": \"%s\", "
				  "\"rotation\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}";
	char text[256], msg[8400];

	snprintf(text, sizeof text, cal, "OTHER-7");
	fx_write(c->cal, text, strlen(text));
	run(c, (const char *[]){ "report", c->night, "--calibration", c->cal, NULL });
	assert_int_equal(c->r.status, 0);
	snprintf(msg, sizeof msg, "warning: %s: made for device OTHER-7, but %s was recorded "
		 "with device SIM1\n", c->cal, c->night);
	assert_string_equal(c->r.err, msg);
	assert_non_null(strstr(c->r.out, "Time per position"));

	snprintf(text, sizeof text, cal, "SIM1");
	fx_write(c->cal, text, strlen(text));
	run(c, (const char *[]){ "report", c->night, "--calibration", c->cal, NULL });
	assert_int_equal(c->r.status, 0);
	assert_string_equal(c->r.err, "");
}

/*
 * A creation time far outside any real date (damage that still has a valid header
 * CRC) reads as an unknown date in every command that prints clock times, and
 * never overflows (the sanitizer build checks that).
 */
static void damaged_date_is_unknown_everywhere(void **state)
{
	struct ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_builder *b;
	fx_header(&h);
	h.created_utc_ms = INT64_MAX;
	assert_int_equal(np_rec_builder_open(&b, c->night, &h), 0);
	for (uint32_t i = 0; i < 2000; i++) /* 80 s supine at 25 Hz */
		assert_int_equal(np_rec_builder_add_sample(b, 0, i * 40u, 0, 0, 1000), 0);
	assert_int_equal(np_rec_builder_commit(b), 0);

	run(c, (const char *[]){ "replay", c->night, NULL });
	assert_int_equal(c->r.status, 0);
	assert_non_null(strstr(c->r.out, "position supine"));
	run(c, (const char *[]){ "report", c->night, NULL });
	assert_int_equal(c->r.status, 0);
	assert_non_null(strstr(c->r.out, "unknown date"));
	run(c, (const char *[]){ "info", c->night, NULL });
	assert_int_equal(c->r.status, 0);
	assert_non_null(strstr(c->r.out, "unknown"));
}

/*
 * Every command that reads a recording names a bad one the same way
 * (np_cli_recording_error): replay used to say "unrecognised format" for an empty
 * file, and a file with the magic but format version 0 (FORMAT.md section 2: damage)
 * was called "not a nightpose recording".
 */
static void bad_recordings_are_named_alike(void **state)
{
	struct ctx *c = *state;
	static const char *const commands[] = { "info", "replay", "report", "epochs" };
	char bad[4096], msg[8300];
	uint8_t *v0 = malloc(c->orig_len);
	assert_non_null(v0);
	memcpy(v0, c->orig, c->orig_len);
	v0[8] = 0; /* version field (little-endian u16 at offset 8) */
	v0[9] = 0;
	const struct {
		const void *data;
		size_t len;
		const char *why;
	} cases[] = {
		{ "", 0, "empty file" },
		{ "time,x,y,z\n0,0,0,1\n", 19, "not a nightpose recording" },
		{ v0, c->orig_len, "damaged recording header" },
	};

	fx_path(bad, sizeof bad, c->dir, "bad.npr");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fx_write(bad, cases[i].data, cases[i].len);
		snprintf(msg, sizeof msg, "nightpose: %s: %s\n", bad, cases[i].why);
		for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
			run(c, (const char *[]){ commands[k], bad, NULL });
			assert_int_equal(c->r.status, 2);
			assert_string_equal(c->r.err, msg);
		}
	}
	free(v0);
}

/* The most digits after a decimal point in any number of text (0 when none). */
static size_t max_decimals(const char *text)
{
	size_t most = 0;
	for (const char *p = text; *p; p++) {
		if (*p != '.' || p == text || p[-1] < '0' || p[-1] > '9')
			continue;
		size_t n = strspn(p + 1, "0123456789");
		if (n > most)
			most = n;
	}
	return most;
}

/*
 * JSON numbers are rounded (np_json_round): an hour's simulated night used to show
 * label totals such as 143.38000000000011 s and errors such as 18.665397644042969 mg.
 */
static void json_numbers_are_rounded(void **state)
{
	struct ctx *c = *state;
	char night[4096];
	fx_path(night, sizeof night, c->dir, "hour.npr");
	run(c, (const char *[]){ "simulate", "--hours", "1", "-o", night, NULL });
	assert_int_equal(c->r.status, 0);
	const char *const cmds[][6] = {
		{ "info", night, "--format", "json", NULL },
		{ "report", night, "--format", "json", NULL },
		{ "trend", night, c->night, "--format", "json", NULL },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		run(c, cmds[i]);
		assert_int_equal(c->r.status, 0);
		assert_true(strlen(c->r.out) > 100);
		/* Milliseconds for times; six places at most (offsets in g). */
		assert_in_range(max_decimals(c->r.out), 1, 6);
	}
}

/* Start the CLI with argv (without the program name) in dir, output thrown away. */
static pid_t spawn(const char *dir, const char *const *argv)
{
	const char *args[16] = { NP_CLI };
	size_t n = 1;
	while (n < 15 && (args[n] = argv[n - 1]) != NULL)
		n++;
	args[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || chdir(dir) != 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execv(NP_CLI, (char *const *)args);
		_exit(127);
	}
	return pid;
}

/* Entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/*
 * Run argv, which writes dir/name, and send sig once its temporary file
 * name.tmp-XXXXXX appears. The command dies of sig, and neither the temporary file
 * nor the output remains. Without the handler the temporary file stayed behind.
 * Retried when the command finished before the file was seen (a busy machine).
 */
static void interrupt_while_writing(const char *dir, const char *const *argv, const char *name,
				    int sig)
{
	char out[4096], tmp_prefix[256];
	snprintf(tmp_prefix, sizeof tmp_prefix, "%s.tmp-", name);
	fx_path(out, sizeof out, dir, name);
	for (int attempt = 0; attempt < 5; attempt++) {
		pid_t pid = spawn(dir, argv);
		bool sent = false;
		int st;
		while (waitpid(pid, &st, WNOHANG) == 0) {
			if (count_prefixed(dir, tmp_prefix) > 0) {
				assert_int_equal(kill(pid, sig), 0);
				sent = true;
				assert_int_equal(waitpid(pid, &st, 0), pid);
				break;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 200000 }, NULL);
		}
		if (!sent) {
			/* Finished first: the output is whole, and there is no temporary file. */
			assert_true(WIFEXITED(st));
			assert_int_equal(WEXITSTATUS(st), 0);
			assert_int_equal(count_prefixed(dir, tmp_prefix), 0);
			unlink(out);
			continue;
		}
		/* Dead of the signal (or, had it come in the last instant, done). */
		if (WIFSIGNALED(st)) {
			assert_int_equal(WTERMSIG(st), sig);
			assert_int_equal(access(out, F_OK), -1);
		} else {
			assert_true(WIFEXITED(st));
			assert_true(WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 128 + sig);
		}
		assert_int_equal(count_prefixed(dir, tmp_prefix), 0);
		unlink(out);
		return;
	}
	fail_msg("'%s %s' finished five times before its temporary file was seen", argv[0], name);
}

/* Ctrl-C or SIGTERM during a long write leaves no "*.tmp-XXXXXX" and no output. */
static void interrupted_writes_leave_nothing(void **state)
{
	struct ctx *c = *state;
	char night[4096];
	fx_path(night, sizeof night, c->dir, "long.npr");

	interrupt_while_writing(c->dir, (const char *[]){ "simulate", "--hours", "48", "-o",
							 "sim.npr", NULL },
				"sim.npr", SIGINT);
	run(c, (const char *[]){ "simulate", "--hours", "12", "-o", night, NULL });
	assert_int_equal(c->r.status, 0);
	interrupt_while_writing(c->dir, (const char *[]){ "export", night, "--csv", "x.csv", NULL },
				"x.csv", SIGINT);
	interrupt_while_writing(c->dir, (const char *[]){ "export", night, "--edf", "x.edf", NULL },
				"x.edf", SIGTERM);
	char csv[4096];
	fx_path(csv, sizeof csv, c->dir, "three-hours.csv");
	run(c, (const char *[]){ "simulate", "--hours", "3", "-o", "three.npr", NULL });
	assert_int_equal(c->r.status, 0);
	run(c, (const char *[]){ "export", "three.npr", "--csv", csv, NULL });
	assert_int_equal(c->r.status, 0);
	interrupt_while_writing(c->dir, (const char *[]){ "import", "csv", csv, "-o", "x.npr", NULL },
				"x.npr", SIGINT);
	interrupt_while_writing(c->dir, (const char *[]){ "report", night, "--plot", "x.png", NULL },
				"x.png", SIGTERM);
	interrupt_while_writing(c->dir, (const char *[]){ "trend", night, c->night, "--plot",
							 "t.pdf", NULL },
				"t.pdf", SIGINT);
	assert_int_equal(count_prefixed(c->dir, "x."), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(output_over_an_input_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(record_never_replaces_a_night, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_output_name_is_a_usage_error, setup, teardown),
		cmocka_unit_test_setup_teardown(output_into_a_fifo_keeps_the_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(longest_output_names_work, setup, teardown),
		cmocka_unit_test_setup_teardown(file_size_limit_is_a_write_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(standard_output_failure_is_reported_once, setup, teardown),
		cmocka_unit_test_setup_teardown(calibration_of_another_device_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_date_is_unknown_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_recordings_are_named_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(json_numbers_are_rounded, setup, teardown),
		cmocka_unit_test_setup_teardown(interrupted_writes_leave_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
