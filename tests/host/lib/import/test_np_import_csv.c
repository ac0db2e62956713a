/* The generic csv importer: layouts, header, separators, units, labels and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_importers.h"
#include "np_posture.h"
#include "np_rec_data.h"
#include "text_fixture.h"

static struct np_import_opts opts(double rate_hz, enum np_import_scale scale, unsigned lsb)
{
	struct np_import_opts o;
	np_import_opts_default(&o);
	o.name = "night.csv";
	o.rate_hz = rate_hz;
	o.scale = scale;
	o.lsb_per_g = lsb;
	return o;
}

static int parse(const char *text, const struct np_import_opts *o, struct np_rec_data *d,
		 struct np_import_error *err)
{
	struct np_text in;
	return np_import_csv(fx_text(&in, text), o, d, err);
}

static void time_column_in_seconds_and_g(void **state)
{
	(void)state;
	static const char text[] = "t,x,y,z\n"
				   "100.0,0.01,-0.02,0.98\n"
				   "100.04,0.011,-0.02,0.981\n"
				   "100.08,0.012,-0.02,0.982\n";
	struct np_import_opts o = opts(0, NP_SCALE_G, 0);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse(text, &o, &d, &err), NP_OK);
	assert_int_equal(d.header.hello.lsb_per_g, 1000);
	assert_int_equal(d.header.hello.tick_hz, 1000);
	assert_int_equal(d.header.hello.sensor_count, 1);
	/* Times count from the first row; equal steps make a nominal rate. */
	assert_int_equal(d.header.hello.rate_millihz, 25000);
	assert_int_equal(d.track[0].n, 3);
	assert_int_equal(d.track[0].v[0].tick, 0);
	assert_int_equal(d.track[0].v[2].tick, 80);
	assert_int_equal(d.track[0].v[0].x, 10);
	assert_int_equal(d.track[0].v[0].y, -20);
	assert_int_equal(d.track[0].v[2].z, 982);
	assert_int_equal(d.n_ann, 0);
	np_rec_data_free(&d);
}

/* A spreadsheet in a decimal-comma locale writes "0,98" and separates with ';'. It
 * used to take the first row for a header and then fail on "not a number". */
static void semicolons_allow_decimal_commas(void **state)
{
	(void)state;
	static const char text[] = "0,00;0,01;-0,02;0,98\n"
				   "0,04;0,011;-0,02;0,981\n";
	struct np_import_opts o = opts(0, NP_SCALE_G, 0);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse(text, &o, &d, &err), NP_OK);
	assert_int_equal(d.track[0].n, 2);
	assert_int_equal(d.track[0].v[1].tick, 40);
	assert_int_equal(d.track[0].v[0].x, 10);
	assert_int_equal(d.track[0].v[0].y, -20);
	assert_int_equal(d.track[0].v[1].z, 981);
	np_rec_data_free(&d);

	/* With ',' between columns a comma is never a decimal point. */
	static const char plain[] = "0.00,0,01,-0.02,0.98\n";
	assert_int_not_equal(parse(plain, &o, &d, &err), NP_OK);
}

static void fixed_rate_without_header_or_time(void **state)
{
	(void)state;
	/* Blank separated, a comment line, no header. */
	static const char text[] = "# exported by hand\n0.0 0.0 1.0\n\n0.0 -1.0 0.0\n";
	struct np_import_opts o = opts(10, NP_SCALE_G, 0);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse(text, &o, &d, &err), NP_OK);
	assert_int_equal(d.header.hello.rate_millihz, 10000);
	assert_int_equal(d.track[0].n, 2);
	assert_int_equal(d.track[0].v[1].tick, d.header.hello.tick_hz / 10);
	assert_int_equal(d.track[0].v[1].y, -1000);
	np_rec_data_free(&d);
}

static void six_columns_make_two_sensors_and_labels_make_runs(void **state)
{
	(void)state;
	static const char text[] = "x;y;z;x2;y2;z2;label\n"
				   "0;0;1000;0;0;1000;supine\n"
				   "0;0;1000;0;0;1000;Supine\n"
				   "0;-1000;0;0;-1000;0;left\n"
				   "1000;0;0;0;0;1000;\n"
				   "0;0;1000;0;0;1000;lying\n";
	struct np_import_opts o = opts(1, NP_SCALE_MG, 0);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse(text, &o, &d, &err), NP_OK);
	assert_int_equal(d.header.hello.sensor_count, 2);
	assert_int_equal(d.track[1].n, 5);
	assert_int_equal(d.track[1].v[2].y, -1000);
	uint32_t s = d.header.hello.tick_hz;
	/* supine rows 1-2, left row 3, nothing row 4, lying row 5. */
	assert_int_equal(d.n_ann, 3);
	assert_int_equal(d.ann[0].position, NP_POS_SUPINE);
	assert_int_equal(d.ann[0].end_tick, 2 * s);
	assert_string_equal(d.ann[0].text, "supine");
	assert_int_equal(d.ann[1].position, NP_POS_LEFT);
	assert_int_equal(d.ann[1].start_tick, 2 * s);
	assert_int_equal(d.ann[1].end_tick, 3 * s);
	assert_int_equal(d.ann[2].kind, NP_ANN_LABEL_LYING);
	assert_int_equal(d.ann[2].start_tick, 4 * s);
	assert_int_equal(d.ann[2].end_tick, 5 * s);
	np_rec_data_free(&d);
}

static void counts_keep_their_scale(void **state)
{
	(void)state;
	static const char text[] = "0,-4,80,-243\n1,-5,81,-242\n";
	struct np_import_opts o = opts(0, NP_SCALE_COUNTS, 256);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse(text, &o, &d, &err), NP_OK);
	assert_int_equal(d.header.hello.lsb_per_g, 256);
	assert_int_equal(d.track[0].v[1].tick, 1000);
	assert_int_equal(d.track[0].v[1].z, -242);
	np_rec_data_free(&d);

	o.lsb_per_g = 0;
	assert_int_equal(parse(text, &o, &d, &err), NP_ERR_RANGE);
	assert_non_null(strstr(err.why, "--lsb-per-g"));
}

struct bad {
	const char *text;
	double rate_hz;
	enum np_import_scale scale;
	int rc;
	unsigned long line;
	unsigned column;
	const char *why;
};

static void malformed_input_names_line_and_column(void **state)
{
	(void)state;
	static const struct bad bad[] = {
		{ "", 0, NP_SCALE_G, NP_ERR_FORMAT, 0, 0, "empty file" },
		{ "# only a comment\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 0, 0, "empty file" },
		{ "t,x,y,z\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 0, 0, "no data rows" },
		{ "0.1,0.2,0.9\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 1, 0, "give --rate" },
		{ "0,0.1,0.2,0.9\n0.1,0.1,0.2\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 2, 0,
		  "expected 4 columns, found 3" },
		{ "0,0.1,0.2,0.9\n0,0.1,0.2,0.9\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 0, 0,
		  "all 2 rows have the same time" },
		{ "0,0.1,0.2,0.9\n0.0004,0.1,0.2,0.9\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 0, 0,
		  "same time" }, /* same millisecond */
		{ "0,0.1,0.2,0.9\n-61,0.1,0.2,0.9\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 2, 1,
		  "more than 60 s back" },
		{ "0,0.1,0.2,0.9\n5e6,0.1,0.2,0.9\n", 0, NP_SCALE_G, NP_ERR_RANGE, 2, 1, "too far" },
		{ "0,0.1,abc,0.9\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 1, 3, "not a number: \"abc\"" },
		{ "0,0.1,0.2,0.9,sideways\n", 0, NP_SCALE_G, NP_ERR_FORMAT, 1, 5,
		  "unknown label \"sideways\"" },
		{ "0,0.1,0.2,17\n", 0, NP_SCALE_G, NP_ERR_RANGE, 1, 4, "at most 16 g" },
		{ "0,0.1,0.2,17000\n", 0, NP_SCALE_MG, NP_ERR_RANGE, 1, 4, "at most 16 g" },
		{ "1,2,3,4,5,6,7,8,9\n", 1, NP_SCALE_G, NP_ERR_FORMAT, 1, 0, "found 9" },
		{ "1,2\n", 1, NP_SCALE_G, NP_ERR_FORMAT, 1, 0, "found 2" },
		{ "x,y,z\n0,0,1\n0,0,1,2,3\n", 1, NP_SCALE_G, NP_ERR_FORMAT, 3, 0, "found 5" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct np_import_opts o = opts(bad[i].rate_hz, bad[i].scale, 0);
		struct np_rec_data d;
		struct np_import_error err;
		int rc = parse(bad[i].text, &o, &d, &err);
		if (rc != bad[i].rc || err.line != bad[i].line || err.column != bad[i].column ||
		    !strstr(err.why, bad[i].why))
			fail_msg("case %zu: rc %d line %lu column %u why '%s'", i, rc, err.line,
				 err.column, err.why);
		assert_null(d.track[0].v);
	}
}

static void counts_must_be_whole_and_fit_16_bits(void **state)
{
	(void)state;
	struct np_import_opts o = opts(1, NP_SCALE_COUNTS, 1000);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse("1,2,3.5\n", &o, &d, &err), NP_ERR_FORMAT);
	assert_int_equal(err.column, 3);
	assert_int_equal(parse("1,40000,3\n", &o, &d, &err), NP_ERR_FORMAT);
	assert_int_equal(err.column, 2);
	assert_non_null(strstr(err.why, "-32768 to 32767"));
	assert_int_equal(parse("1,2,-16001\n", &o, &d, &err), NP_ERR_RANGE);
	assert_int_equal(err.column, 3);
	assert_non_null(strstr(err.why, "at most 16 g"));
}

static void long_junk_is_quoted_short_and_printable(void **state)
{
	(void)state;
	char text[400] = "1,2,";
	memset(text + 4, 'q', 300);
	text[10] = '\x01';
	struct np_import_opts o = opts(1, NP_SCALE_G, 0);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(parse(text, &o, &d, &err), NP_ERR_FORMAT);
	assert_int_equal(err.column, 3);
	assert_true(strlen(err.why) < 80);
	assert_null(strchr(err.why, '\x01'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(time_column_in_seconds_and_g),
		cmocka_unit_test(fixed_rate_without_header_or_time),
		cmocka_unit_test(six_columns_make_two_sensors_and_labels_make_runs),
		cmocka_unit_test(counts_keep_their_scale),
		cmocka_unit_test(semicolons_allow_decimal_commas),
		cmocka_unit_test(malformed_input_names_line_and_column),
		cmocka_unit_test(counts_must_be_whole_and_fit_16_bits),
		cmocka_unit_test(long_junk_is_quoted_short_and_printable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
