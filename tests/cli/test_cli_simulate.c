/*
 * `nightpose simulate`: same options, same bytes (also the bundled sample night,
 * datasets/samples/sample-night.npr), usage errors, nothing left on failure.
 */
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
#include "rec_fixture.h"

#define SAMPLE_NIGHT NP_SOURCE_DIR "/datasets/samples/sample-night.npr"

static int setup(void **state)
{
	*state = cli_ctx_new(sizeof(struct cli_ctx));
	return 0;
}

#define SIMULATE(c, ...) CLI_RUN((c), "simulate", __VA_ARGS__)

static void same_seed_gives_the_same_file(void **state)
{
	struct cli_ctx *c = *state;
	char a[4096], b[4096];
	size_t la, lb;

	fx_path(a, sizeof a, c->dir, "a.npr");
	fx_path(b, sizeof b, c->dir, "b.npr");
	SIMULATE(c, "-o", a, "--hours", "0.5", "--seed", "42", "--ankle");
	assert_int_equal(c->r.status, 0);
	assert_string_equal(c->r.err, "");
	SIMULATE(c, "--seed", "42", "--hours", "0.5", "--ankle", "-o", b);
	assert_int_equal(c->r.status, 0);
	uint8_t *fa = fx_read(a, &la), *fb = fx_read(b, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(fa, fb, la);
	free(fa);
	free(fb);

	struct np_night n;
	assert_int_equal(np_night_load(a, &n), NP_OK);
	assert_int_equal(n.sensor_count, 2);
	assert_int_equal(n.sensor[0].n, 45000); /* 30 min at 25 Hz */
	assert_true(n.duration_s > 1799.0 && n.duration_s <= 1800.0);
	assert_int_equal(n.header.flags, NP_REC_SIMULATED);
	np_night_free(&n);
}

/* The README's demo night is exactly what the documented command makes. */
static void bundled_sample_night_is_current(void **state)
{
	struct cli_ctx *c = *state;
	char path[4096];
	size_t la, lb;

	fx_path(path, sizeof path, c->dir, "sample.npr");
	SIMULATE(c, "--hours", "8", "--rate", "10", "--seed", "1", "-o", path);
	assert_int_equal(c->r.status, 0);
	uint8_t *fresh = fx_read(path, &la), *bundled = fx_read(SAMPLE_NIGHT, &lb);
	if (la != lb || memcmp(fresh, bundled, la) != 0)
		fail_msg("datasets/samples/sample-night.npr is stale: regenerate it with "
			 "'nightpose simulate --hours 8 --rate 10 --seed 1 -o "
			 "datasets/samples/sample-night.npr'");
	assert_true(lb < 3u * 1024 * 1024); /* small enough to live in the repository */
	free(fresh);
	free(bundled);
}

static void bad_options_exit_2_and_write_nothing(void **state)
{
	struct cli_ctx *c = *state;
	char out[4096];
	static const struct {
		const char *args[6];
		const char *why;
	} cases[] = {
		{ { "--hours", "0" }, "--hours: expected 0.001 to 48, not '0'" },
		{ { "--hours", "72" }, "--hours: expected" },
		{ { "--rate", "500" }, "--rate: expected 1 to 200 Hz, not '500'" },
		{ { "--seed", "-1" }, "--seed: expected" },
		{ { "--seed", "1x" }, "--seed: expected" },
		{ { "--rate", "25.00001" }, "multiple of 0.001 Hz" },
		{ { "extra" }, "unexpected argument 'extra'" },
	};

	fx_path(out, sizeof out, c->dir, "night.npr");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[10] = { "simulate", "-o", out };
		for (size_t k = 0; k < 6 && cases[i].args[k]; k++)
			args[k + 3] = cases[i].args[k];
		cli_result_free(&c->r);
		cli_run(c->dir, args, &c->r);
		if (c->r.status != 2 || !strstr(c->r.err, cases[i].why))
			fail_msg("case %zu: exit %d, stderr '%s'", i, c->r.status, c->r.err);
		assert_int_equal(fx_count_entries(c->dir), 0);
	}
	SIMULATE(c, "--hours", "1");
	assert_int_equal(c->r.status, 2);
	assert_non_null(strstr(c->r.err, "missing -o NIGHT.npr"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(same_seed_gives_the_same_file, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(bundled_sample_night_is_current, setup, cli_ctx_teardown),
		cmocka_unit_test_setup_teardown(bad_options_exit_2_and_write_nothing, setup, cli_ctx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
