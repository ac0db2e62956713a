/* Night and trend pictures: render PNG, SVG and PDF and check what the files hold. */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_plot.h"

#define OUT_DIR NP_BINARY_DIR "/test_np_plot.out"
/* 2026-11-23 22:30:00 UTC; tests run with TZ=UTC. */
#define START_UTC 1795473000.0

static const struct np_plot_span spans[] = {
	{0, 600, NP_POS_UPRIGHT},       {600, 5400, NP_POS_SUPINE},   {5400, 9000, NP_POS_LEFT},
	{9000, 12600, NP_POS_PRONE},    {12600, 13200, NP_POS_RIGHT}, {14400, 21600, NP_POS_SUPINE},
	{21600, 27000, NP_POS_RIGHT},   {27000, 27900, NP_POS_PRONE}, {27900, 28500, NP_POS_UNKNOWN},
	{28500, 28800, NP_POS_UPRIGHT},
};
static const struct np_plot_span gaps[] = {{13200, 14400, NP_POS_UNKNOWN}};
static const double alerts[] = {10800, 27600};

struct night_fixture {
	struct np_plot_night p;
	double t[960];
	float mg[960];
};

static void make_night(struct night_fixture *f, unsigned avoid_mask)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < 960; i++) {
		f->t[i] = (double)i * 30 + 15;
		bool gap = f->t[i] >= 13200 && f->t[i] < 14400;
		/* Quiet with a turn at each change of position. */
		double mg = 8 + 4 * sin((double)i * 0.3);
		for (size_t s = 1; s < sizeof spans / sizeof spans[0]; s++)
			if (fabs(f->t[i] - spans[s].start_s) < 40)
				mg = 180 + 40 * (double)(s % 3);
		f->mg[i] = gap ? NAN : (float)mg;
	}
	struct np_plot_night *p = &f->p;
	p->start_utc_s = START_UTC;
	p->duration_s = 28800;
	p->spans = spans;
	p->n_spans = sizeof spans / sizeof spans[0];
	p->gaps = gaps;
	p->n_gaps = 1;
	p->alerts_s = alerts;
	p->n_alerts = 2;
	p->movement_t_s = f->t;
	p->movement_mg = f->mg;
	p->n_movement = 960;
	for (size_t s = 0; s < p->n_spans; s++)
		p->time_s[spans[s].position] += spans[s].end_s - spans[s].start_s;
	p->avoid_mask = avoid_mask;
	p->longest_avoid_s = 3600;
	p->breathing_bpm[NP_POS_SUPINE] = 13.2;
	p->breathing_bpm[NP_POS_LEFT] = 12.4;
	p->breathing_bpm[NP_POS_RIGHT] = 14.9;
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	(void)!system("rm -rf '" OUT_DIR "' && mkdir -p '" OUT_DIR "'");
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = (char *)malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* strstr that looks past NUL bytes (cairo embeds binary font data). */
static bool contains(const char *b, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return true;
	return false;
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static void test_night_png(void **state)
{
	(void)state;
	struct night_fixture f;
	make_night(&f, NP_POS_BIT(NP_POS_PRONE));
	const char *path = OUT_DIR "/night.png";
	assert_int_equal(np_plot_night_render(&f.p, path), NP_OK);
	size_t len;
	char *b = slurp(path, &len);
	assert_true(len > 20000);
	assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(b + 12, "IHDR", 4);
	assert_int_equal(be32(b + 16), NP_PLOT_WIDTH);
	assert_int_equal(be32(b + 20), NP_PLOT_HEIGHT);
	print_message("night.png: %zu bytes\n", len);
	free(b);
}

/* The warning colour appears for the avoided position, and only then. */
static void test_night_svg_warning_colour(void **state)
{
	(void)state;
	/* Cairo writes rgb(213, 94, 0) as percentages. */
	static const char warn[] = "rgb(83.529412%,36.862745%,0%)";
	struct night_fixture f;
	size_t len;
	make_night(&f, NP_POS_BIT(NP_POS_PRONE));
	assert_int_equal(np_plot_night_render(&f.p, OUT_DIR "/night.svg"), NP_OK);
	char *b = slurp(OUT_DIR "/night.svg", &len);
	assert_true(contains(b, len, "<svg"));
	assert_true(contains(b, len, warn));
	print_message("night.svg: %zu bytes\n", len);
	free(b);

	make_night(&f, 0);
	assert_int_equal(np_plot_night_render(&f.p, OUT_DIR "/night-noavoid.svg"), NP_OK);
	b = slurp(OUT_DIR "/night-noavoid.svg", &len);
	assert_false(contains(b, len, warn));
	free(b);
}

static void test_night_pdf(void **state)
{
	(void)state;
	struct night_fixture f;
	make_night(&f, NP_POS_BIT(NP_POS_PRONE) | NP_POS_BIT(NP_POS_SUPINE));
	assert_int_equal(np_plot_night_render(&f.p, OUT_DIR "/night.pdf"), NP_OK);
	size_t len;
	char *b = slurp(OUT_DIR "/night.pdf", &len);
	assert_memory_equal(b, "%PDF-", 5);
	assert_true(len > 10000);
	print_message("night.pdf: %zu bytes\n", len);
	free(b);
}

/* Unknown start, no movement data, no spans: still a page, not a crash. */
static void test_night_sparse(void **state)
{
	(void)state;
	struct np_plot_night p;
	memset(&p, 0, sizeof p);
	p.duration_s = 1800;
	p.breathing_note = "not enough still data";
	assert_int_equal(np_plot_night_render(&p, OUT_DIR "/sparse.png"), NP_OK);
	struct stat st;
	assert_int_equal(stat(OUT_DIR "/sparse.png", &st), 0);
	assert_true(st.st_size > 1000);
}

static void test_bad_input_leaves_nothing(void **state)
{
	(void)state;
	struct night_fixture f;
	make_night(&f, 0);
	assert_null(np_plot_device("night.jpg"));
	assert_string_equal(np_plot_device("a/b.c/night.svg"), "svgcairo");
	assert_int_equal(np_plot_night_render(&f.p, OUT_DIR "/night.jpg"), NP_ERR_ARG);
	assert_int_equal(access(OUT_DIR "/night.jpg", F_OK), -1);
	assert_int_equal(np_plot_night_render(&f.p, OUT_DIR "/no/such/dir.png"), NP_ERR_IO);
	f.p.duration_s = 0;
	assert_int_equal(np_plot_night_render(&f.p, OUT_DIR "/zero.png"), NP_ERR_ARG);
	struct np_plot_trend_row row = {0};
	assert_int_equal(np_plot_trend_render(&row, 0, 0, OUT_DIR "/t.png", NULL), NP_ERR_ARG);
}

/* Cairo ignores failed writes: a full disk (here the file size limit) used to give
 * NP_OK and a cut-short image under the final name. One format per child process. */
static void test_short_write_is_an_error(void **state)
{
	(void)state;
	static const char *const paths[] = { OUT_DIR "/full.png", OUT_DIR "/full.svg",
					     OUT_DIR "/full.pdf" };
	struct night_fixture f;
	make_night(&f, 0);
	for (size_t i = 0; i < 3; i++) {
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct rlimit rl = { 2048, 2048 };
			signal(SIGXFSZ, SIG_IGN);
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(20);
			_exit(np_plot_night_render(&f.p, paths[i]) == NP_ERR_IO ? 0 : 21);
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
		assert_int_equal(access(paths[i], F_OK), -1);
	}
}

static void test_trend(void **state)
{
	(void)state;
	struct np_plot_trend_row rows[14];
	memset(rows, 0, sizeof rows);
	for (size_t i = 0; i < 14; i++) {
		struct np_plot_trend_row *r = &rows[i];
		r->start_utc_s = START_UTC + (double)i * 86400;
		r->duration_s = 8 * 3600;
		/* Prone falls over the fortnight, as a training effect would look. */
		r->time_s[NP_POS_PRONE] = 3600.0 * (2.0 - 0.13 * (double)i);
		r->time_s[NP_POS_SUPINE] = 3600.0 * 3;
		r->time_s[NP_POS_LEFT] = 3600.0 * (1.4 + 0.07 * (double)i);
		r->time_s[NP_POS_RIGHT] = 3600.0 * (1.3 + 0.06 * (double)i);
		r->time_s[NP_POS_UPRIGHT] = 600;
		r->time_s[NP_POS_UNKNOWN] = 120;
		r->avoid_s = r->time_s[NP_POS_PRONE];
	}
	assert_int_equal(np_plot_trend_render(rows, 14, NP_POS_BIT(NP_POS_PRONE), OUT_DIR "/trend.png",
					      NULL),
			 NP_OK);
	size_t len;
	char *b = slurp(OUT_DIR "/trend.png", &len);
	assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(be32(b + 16), NP_PLOT_WIDTH);
	print_message("trend.png: %zu bytes\n", len);
	free(b);
	assert_int_equal(np_plot_trend_render(rows, 3, NP_POS_BIT(NP_POS_PRONE), OUT_DIR "/trend.pdf",
					      NULL),
			 NP_OK);
	b = slurp(OUT_DIR "/trend.pdf", &len);
	assert_memory_equal(b, "%PDF-", 5);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_night_png),
		cmocka_unit_test(test_night_svg_warning_colour),
		cmocka_unit_test(test_night_pdf),
		cmocka_unit_test(test_night_sparse),
		cmocka_unit_test(test_bad_input_leaves_nothing),
		cmocka_unit_test(test_short_write_is_an_error),
		cmocka_unit_test(test_trend),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
