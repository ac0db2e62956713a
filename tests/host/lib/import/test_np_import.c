/*
 * Dataset importers (spc, uci-ar, hapt) on small inputs in memory: timing, axes,
 * units, labels, and where malformed input is reported. Then the written
 * recording, loaded back, and the real files of the bundled and shared datasets.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_import.h"
#include "np_importers.h"
#include "np_night.h"
#include "np_rec_data.h"
#include "text_fixture.h"
#include "rec_fixture.h"

static struct np_import_opts opts_named(const char *name)
{
	struct np_import_opts o;
	np_import_opts_default(&o);
	o.name = name;
	return o;
}

static int spc(const char *text, struct np_rec_data *d, struct np_import_error *err)
{
	struct np_import_opts o = opts_named("dir/axel_20220610_193124.csv");
	struct np_text in;
	return np_import_spc(fx_text(&in, text), &o, d, err);
}

static const char spc_good[] =
	"x_chest,y_chest,z_chest,x_ankle,y_ankle,z_ankle,position\n"
	"-4,80,-243,-246,37,21,1\n"
	"-5,81,-242,-247,38,22,1\n"
	"1,-206,149,250,-48,-43,4\n"
	"250,-48,-43,1,2,3,10\n";

static void spc_rows_are_one_second_apart_with_raw_counts(void **state)
{
	(void)state;
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(spc(spc_good, &d, &err), NP_OK);
	const struct np_hello *h = &d.header.hello;
	assert_int_equal(h->lsb_per_g, 256);
	assert_int_equal(h->rate_millihz, 1000);
	assert_int_equal(h->sensor_count, 2);
	assert_int_equal(h->sensor_model, NP_SENSOR_IMPORTED);
	assert_int_equal(d.header.flags, NP_REC_IMPORTED);
	assert_int_equal(d.track[0].n, 4);
	assert_int_equal(d.track[1].n, 4);
	for (size_t r = 0; r < 4; r++) {
		/* Row r + 1 at r seconds from the first. */
		assert_int_equal(d.track[0].v[r].tick, r * h->tick_hz);
		assert_int_equal(d.track[1].v[r].tick, r * h->tick_hz);
	}
	/* Sensor axes as recorded; the ankle is the second sensor. */
	assert_int_equal(d.track[0].v[0].x, -4);
	assert_int_equal(d.track[0].v[0].y, 80);
	assert_int_equal(d.track[0].v[0].z, -243);
	assert_int_equal(d.track[1].v[3].z, 3);
	/* Created at the date in the file name. */
	assert_true(d.header.created_utc_ms == 1654889484000LL);
	assert_string_equal(d.header.source, "import spc axel_20220610_193124.csv");
	np_rec_data_free(&d);
}

static void spc_labels_become_one_annotation_per_run(void **state)
{
	(void)state;
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(spc(spc_good, &d, &err), NP_OK);
	assert_int_equal(d.n_ann, 3);
	uint32_t s = d.header.hello.tick_hz;
	assert_int_equal(d.ann[0].start_tick, 0);
	assert_int_equal(d.ann[0].end_tick, 2 * s);
	assert_int_equal(d.ann[0].kind, NP_ANN_LABEL);
	assert_int_equal(d.ann[0].position, NP_POS_SUPINE);
	assert_string_equal(d.ann[0].text, "1 supine straight");
	assert_int_equal(d.ann[1].position, NP_POS_PRONE);
	assert_string_equal(d.ann[1].text, "4 prone straight");
	/* The last run lasts to the end of the last row's second. */
	assert_int_equal(d.ann[2].start_tick, 3 * s);
	assert_int_equal(d.ann[2].end_tick, 4 * s);
	assert_int_equal(d.ann[2].position, NP_POS_RIGHT);
	assert_string_equal(d.ann[2].text, "10 right side straight");
	np_rec_data_free(&d);
}

static void spc_reads_semicolons_crlf_and_other_rates(void **state)
{
	(void)state;
	static const char text[] = "x_chest;y_chest;z_chest;x_ankle;y_ankle;z_ankle;position\r\n"
				   "1;2;3;4;5;6;7\r\n"
				   "1.4;2;3;4;5;6;8\r\n"
				   "\r\n";
	struct np_import_opts o = opts_named("plain.csv");
	struct np_rec_data d;
	struct np_import_error err;

	o.rate_hz = 2.0;
	assert_int_equal(np_import_spc(fx_text(&(struct np_text){ 0 }, text), &o, &d, &err), NP_OK);
	assert_int_equal(d.track[0].n, 2);
	assert_int_equal(d.track[0].v[1].tick, d.header.hello.tick_hz / 2);
	assert_int_equal(d.track[0].v[1].x, 1); /* decimal counts are rounded */
	assert_int_equal(d.n_ann, 2);
	assert_int_equal(d.ann[0].position, NP_POS_LEFT);
	assert_string_equal(d.ann[1].text, "8 left bent leg");
	assert_true(d.header.created_utc_ms == 0); /* no date in the name: unknown */
	np_rec_data_free(&d);
}

struct bad {
	const char *text;
	int rc;
	unsigned long line;
	unsigned column;
	const char *why; /* substring */
};

static void expect_bad(int (*parse)(const char *, struct np_rec_data *, struct np_import_error *),
		       const struct bad *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct np_rec_data d;
		struct np_import_error err;
		int rc = parse(b[i].text, &d, &err);
		if (rc != b[i].rc || err.line != b[i].line || err.column != b[i].column ||
		    !strstr(err.why, b[i].why))
			fail_msg("case %zu: rc %d line %lu column %u why '%s'", i, rc, err.line,
				 err.column, err.why);
		/* Nothing is left to free after a failure. */
		assert_int_equal(d.track[0].n, 0);
		assert_null(d.track[0].v);
		assert_null(d.ann);
	}
}

#define SPC_HEAD "x_chest,y_chest,z_chest,x_ankle,y_ankle,z_ankle,position\n"

static void spc_malformed_input_names_line_and_column(void **state)
{
	(void)state;
	static const struct bad bad[] = {
		{ "", NP_ERR_FORMAT, 0, 0, "empty file" },
		{ "\n\n", NP_ERR_FORMAT, 0, 0, "empty file" },
		{ SPC_HEAD, NP_ERR_FORMAT, 0, 0, "no data rows" },
		{ "1,2,3,4,5,6,1\n", NP_ERR_FORMAT, 1, 1, "expected the header \"x_chest\"" },
		{ SPC_HEAD "1,2,3,4,5,6\n", NP_ERR_FORMAT, 2, 0, "expected 7 columns, found 6" },
		{ SPC_HEAD "1,2,3,4,5,6,1\n1,2,3,4,5,6,1,9\n", NP_ERR_FORMAT, 3, 0,
		  "expected 7 columns, found 8" },
		{ SPC_HEAD "1,two,3,4,5,6,1\n", NP_ERR_FORMAT, 2, 2, "not a number: \"two\"" },
		{ SPC_HEAD "1,,3,4,5,6,1\n", NP_ERR_FORMAT, 2, 2, "not a number: empty" },
		{ SPC_HEAD "1,2,3,4,5,6,13\n", NP_ERR_FORMAT, 2, 7, "from 1 to 12, found \"13\"" },
		{ SPC_HEAD "1,2,3,4,5,6,1.5\n", NP_ERR_FORMAT, 2, 7, "whole number" },
		{ SPC_HEAD "1,2,3,4,5,4200,1\n", NP_ERR_RANGE, 2, 6, "out of range" },
		{ SPC_HEAD "1,2,nan,4,5,6,1\n", NP_ERR_FORMAT, 2, 3, "not a number" },
	};
	expect_bad(spc, bad, sizeof bad / sizeof bad[0]);
}

static int uci(const char *text, struct np_rec_data *d, struct np_import_error *err)
{
	struct np_import_opts o = opts_named("d1p01M");
	struct np_text in;
	return np_import_uci_ar(fx_text(&in, text), &o, d, err);
}

static void uci_keeps_irregular_times_and_maps_axes(void **state)
{
	(void)state;
	static const char text[] = "0,0.1,0.9,-0.2,1,-63.5,2.4252,924.25,1\n"
				   "0.5,0.27203,1.0082,-0.082102,1,-63,4.7369,921.75,1\n"
				   "155.28,1.1,0.05,0.3,3,-60,1,920,3\n";
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(uci(text, &d, &err), NP_OK);
	const struct np_hello *h = &d.header.hello;
	assert_int_equal(h->tick_hz, 1000);
	assert_int_equal(h->rate_millihz, 0); /* irregular */
	assert_int_equal(h->lsb_per_g, 1000);
	assert_int_equal(h->sensor_count, 1);
	assert_int_equal(d.track[0].n, 3);
	assert_int_equal(d.track[0].v[1].tick, 500);
	assert_int_equal(d.track[0].v[2].tick, 155280);
	/* x = vertical, y = lateral, z = frontal, in mg. */
	assert_int_equal(d.track[0].v[0].x, 900);
	assert_int_equal(d.track[0].v[0].y, -200);
	assert_int_equal(d.track[0].v[0].z, 100);
	assert_int_equal(d.track[0].v[1].x, 1008);
	assert_int_equal(d.track[0].v[1].y, -82);
	assert_int_equal(d.track[0].v[1].z, 272);
	/* Sitting is upright; lying carries no side. */
	assert_int_equal(d.n_ann, 2);
	assert_int_equal(d.ann[0].kind, NP_ANN_LABEL);
	assert_int_equal(d.ann[0].position, NP_POS_UPRIGHT);
	assert_int_equal(d.ann[0].start_tick, 0);
	assert_int_equal(d.ann[0].end_tick, 155280);
	assert_string_equal(d.ann[0].text, "1 sit on bed");
	assert_int_equal(d.ann[1].kind, NP_ANN_LABEL_LYING);
	assert_int_equal(d.ann[1].position, NP_POS_UNKNOWN);
	assert_string_equal(d.ann[1].text, "3 lying");
	assert_int_equal(d.header.hello.range_g, 2);
	np_rec_data_free(&d);
}

static void uci_malformed_input_names_line_and_column(void **state)
{
	(void)state;
	static const struct bad bad[] = {
		{ "", NP_ERR_FORMAT, 0, 0, "empty file" },
		{ "0,0.1,0.9,-0.2,1,-63.5,2.4,924.25\n", NP_ERR_FORMAT, 1, 0,
		  "expected 9 columns, found 8" },
		/* Not a recording: every row at one time, or time jumping far back. */
		{ "0,0.1,0.9,-0.2,1,-63.5,2.4,924.25,1\n0,0.1,0.9,-0.2,1,-63.5,2.4,924.25,1\n",
		  NP_ERR_FORMAT, 0, 0, "all 2 rows have the same time" },
		{ "100,0.1,0.9,-0.2,1,-63.5,2.4,924.25,1\n39.5,0.1,0.9,-0.2,1,-63.5,2.4,924.25,1\n",
		  NP_ERR_FORMAT, 2, 1, "60.500 s before an earlier row's: more than 60 s back" },
		{ "0,0.1,0.9,-0.2,1,-63.5,2.4,924.25,1\n\"0.5,0.1,0.9,-0.2,1,-63.5,2.4,924.25,1\n",
		  NP_ERR_FORMAT, 2, 1, "quoted field not closed" },
		{ "0,0.1,0.9,-0.2,1,-63.5,2.4,924.25,5\n", NP_ERR_FORMAT, 1, 9, "from 1 to 4" },
		{ "0,0.1,0.9,-0.2,1,x,2.4,924.25,1\n", NP_ERR_FORMAT, 1, 6, "not a number" },
		{ "0,0.1,17,-0.2,1,-63.5,2.4,924.25,1\n", NP_ERR_RANGE, 1, 3, "at most 16 g" },
	};
	expect_bad(uci, bad, sizeof bad / sizeof bad[0]);
}

/* Two files of the dataset's room-2 set (S2) repeat a time on consecutive rows, and
 * loggers jitter: such rows are kept, 1 ms after the row before, and counted in a
 * NOTE. They used to refuse the whole file. */
static void uci_keeps_repeated_and_decreasing_times(void **state)
{
	(void)state;
	static const char text[] = "0,0.27,1.0,-0.08,1,-63.5,2.4,924.25,1\n"
				   "0.5,0.27,1.0,-0.08,1,-63,4.7,921.75,1\n"
				   "0.5,0.28,1.0,-0.08,1,-63,4.7,921.75,1\n"
				   "0.475,0.29,1.0,-0.08,1,-63,4.7,921.75,3\n"
				   "1.5,0.30,1.0,-0.08,1,-63.5,3.0,923.75,3\n";
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(uci(text, &d, &err), NP_OK);
	assert_int_equal(d.track[0].n, 5);
	assert_int_equal(d.track[0].v[1].tick, 500);
	assert_int_equal(d.track[0].v[2].tick, 501);
	assert_int_equal(d.track[0].v[3].tick, 502);
	assert_int_equal(d.track[0].v[4].tick, 1500);
	assert_int_equal(d.track[0].v[2].x, 1000); /* the repeated row's own sample */
	assert_int_equal(d.track[0].v[2].z, 280);
	const struct np_annotation *note = &d.ann[d.n_ann - 1];
	assert_int_equal(note->kind, NP_ANN_NOTE);
	assert_string_equal(note->text, "import: 2 rows with repeated or decreasing times kept "
					"(each 1 ms after the row before)");
	np_rec_data_free(&d);
}

static const char hapt_labels[] = "41 20 5 1 2\n"
				  "41 20 6 3 9\n"
				  "42 21 4 1 3\n"
				  "41 20 7 20 30\n";

static int hapt_named(const char *name, const char *text, const char *labels,
		      struct np_rec_data *d, struct np_import_error *err)
{
	struct np_import_opts o = opts_named(name);
	struct np_text in, lab;
	return np_import_hapt(fx_text(&in, text), fx_text(&lab, labels), &o, d, err);
}

static void hapt_uses_the_experiment_of_the_file_name(void **state)
{
	(void)state;
	static const char text[] = "1.0 0.1 0.0\n0.98 0.05 0.02\n  0.2   0.9 0.3\n0.1 0.9 0.3\n"
				   "0.1 0.91 0.3\n";
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(hapt_named("data_pl5/acc_exp41_user20.txt", text, hapt_labels, &d, &err),
			 NP_OK);
	const struct np_hello *h = &d.header.hello;
	assert_int_equal(h->rate_millihz, 50000);
	assert_int_equal(d.track[0].n, 5);
	assert_int_equal(d.track[0].v[4].tick, 4 * h->tick_hz / 50);
	assert_int_equal(d.track[0].v[2].y, 900);
	/* Rows 1-2 standing, rows 3-9 lying cut to the 5 rows there are; the other
	   experiment's labels and the labels past the end are left out. */
	assert_int_equal(d.n_ann, 2);
	assert_int_equal(d.ann[0].kind, NP_ANN_LABEL);
	assert_int_equal(d.ann[0].position, NP_POS_UPRIGHT);
	assert_string_equal(d.ann[0].text, "5 STANDING");
	assert_int_equal(d.ann[0].end_tick, 2 * h->tick_hz / 50);
	assert_int_equal(d.ann[1].kind, NP_ANN_LABEL_LYING);
	assert_string_equal(d.ann[1].text, "6 LAYING");
	assert_int_equal(d.ann[1].start_tick, 2 * h->tick_hz / 50);
	assert_int_equal(d.ann[1].end_tick, 5 * h->tick_hz / 50);
	np_rec_data_free(&d);

	/* An explicit experiment number wins over the name. */
	struct np_import_opts o = opts_named("renamed.txt");
	o.hapt_experiment = 42;
	assert_int_equal(np_import_hapt(fx_text(&(struct np_text){ 0 }, text),
					fx_text(&(struct np_text){ 0 }, hapt_labels), &o,
					&d, &err),
			 NP_OK);
	assert_int_equal(d.n_ann, 1);
	assert_string_equal(d.ann[0].text, "4 SITTING");
	np_rec_data_free(&d);
}

static void hapt_errors_say_which_file(void **state)
{
	(void)state;
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(hapt_named("renamed.txt", "1 0 0\n", hapt_labels, &d, &err), NP_ERR_FORMAT);
	assert_non_null(strstr(err.why, "acc_expNN_userMM.txt"));

	assert_int_equal(hapt_named("acc_exp41_user20.txt", "1 0 0\n1 0\n", hapt_labels, &d, &err),
			 NP_ERR_FORMAT);
	assert_false(err.in_labels);
	assert_int_equal(err.line, 2);

	assert_int_equal(hapt_named("acc_exp41_user20.txt", "1 0 0\n", "41 20 5 1 2\n41 20 x 1 2\n",
				    &d, &err),
			 NP_ERR_FORMAT);
	assert_true(err.in_labels);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 3);

	assert_int_equal(hapt_named("acc_exp41_user20.txt", "1 0 0\n", "41 20 5 9 2\n", &d, &err),
			 NP_ERR_FORMAT);
	assert_true(err.in_labels);
	assert_non_null(strstr(err.why, "before the first row"));
	assert_null(d.track[0].v);
}

static void tick_base_keeps_periods_whole(void **state)
{
	(void)state;
	uint32_t hz, period;

	assert_int_equal(np_rec_tick_base(25000, &hz, &period), NP_OK);
	assert_int_equal(hz, 1000);
	assert_int_equal(period, 40);
	assert_int_equal(np_rec_tick_base(3000, &hz, &period), NP_OK);
	assert_int_equal(hz, 3);
	assert_int_equal(period, 1);
	assert_int_equal(np_rec_tick_base(7500, &hz, &period), NP_OK);
	assert_int_equal(hz * 1000u, 7500u * period);
	assert_int_equal(np_rec_tick_base(0, &hz, &period), NP_ERR_RANGE);
	assert_int_equal(np_rec_tick_base(10, &hz, &period), NP_ERR_RANGE); /* 100 s period */
}

static void utc_times_parse_strictly(void **state)
{
	(void)state;
	int64_t ms;

	assert_int_equal(np_import_parse_utc("2022-06-10T19:31:24", &ms), NP_OK);
	assert_true(ms == 1654889484000LL);
	assert_int_equal(np_import_parse_utc("2024-02-29 00:00:00Z", &ms), NP_OK);
	assert_true(ms == 1709164800000LL);
	assert_int_equal(np_import_parse_utc("2023-02-29T00:00:00", &ms), NP_ERR_FORMAT);
	assert_int_equal(np_import_parse_utc("2022-06-10", &ms), NP_ERR_FORMAT);
	assert_int_equal(np_import_parse_utc("2022-06-10T19:31:24+02", &ms), NP_ERR_FORMAT);
}

/* Written and loaded back, row r of a 1 Hz spc file sits at exactly r - 1 seconds. */
static void written_recording_loads_with_exact_times(void **state)
{
	(void)state;
	char *dir = fx_tmpdir(), path[4096];
	struct np_rec_data d;
	struct np_import_error err;
	struct np_night n;

	fx_path(path, sizeof path, dir, "spc.npr");
	assert_int_equal(spc(spc_good, &d, &err), NP_OK);
	assert_int_equal(np_rec_data_write(&d, path, NULL), NP_OK);
	np_rec_data_free(&d);
	assert_int_equal(np_night_load(path, &n), NP_OK);
	assert_int_equal(n.sensor_count, 2);
	assert_int_equal(n.sensor[0].n, 4);
	for (size_t r = 0; r < 4; r++)
		assert_true(n.sensor[0].v[r].t_s == (double)r);
	assert_float_equal(n.sensor[0].v[0].z, -243.0 / 256.0, 1e-6);
	assert_float_equal(n.sensor[1].v[0].x, -246.0 / 256.0, 1e-6);
	assert_int_equal(n.n_ann, 3);
	assert_true(n.ann[1].start_s == 2.0 && n.ann[1].end_s == 3.0);
	assert_int_equal(n.ann[1].position, NP_POS_PRONE);
	np_night_free(&n);

	/* Irregular times survive to the millisecond. */
	static const char text[] = "0,0.1,0.9,-0.2,1,-63.5,2.4252,924.25,1\n"
				   "0.53,0.27,1.0,-0.08,1,-63,4.7369,921.75,3\n"
				   "2.58,0.27,1.0,-0.08,1,-63,4.7369,921.75,3\n";
	assert_int_equal(uci(text, &d, &err), NP_OK);
	assert_int_equal(np_rec_data_write(&d, path, NULL), NP_OK);
	np_rec_data_free(&d);
	assert_int_equal(np_night_load(path, &n), NP_OK);
	assert_int_equal(n.sensor[0].n, 3);
	assert_true(fabs(n.sensor[0].v[1].t_s - 0.53) < 1e-9);
	assert_true(fabs(n.sensor[0].v[2].t_s - 2.58) < 1e-9);
	assert_int_equal(n.ann[1].kind, NP_ANN_LABEL_LYING);
	np_night_free(&n);

	assert_int_equal(fx_count_entries(dir), 1);
	fx_rmdir(dir);
	free(dir);
}

static void file_errors_name_the_file(void **state)
{
	(void)state;
	struct np_import_opts o = opts_named(NULL);
	struct np_rec_data d;
	struct np_import_error err;
	const char *missing = NP_BINARY_DIR "/no-such-file.csv";

	assert_int_equal(np_import_file(NP_IMPORT_SPC, missing, NULL, &o, &d, &err), NP_ERR_IO);
	assert_string_equal(err.file, missing);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.why, strerror(ENOENT));

	const char *input = NP_SHARED_DATASETS "/uci-hapt/data_pl5/acc_exp41_user20.txt";
	if (access(input, R_OK) != 0)
		return;
	assert_int_equal(np_import_file(NP_IMPORT_HAPT, input, missing, &o, &d, &err), NP_ERR_IO);
	assert_string_equal(err.file, missing);
}

/* The bundled copy of one real file (datasets/spc/) imports whole. */
static void bundled_spc_file_imports(void **state)
{
	(void)state;
	struct np_import_opts o = opts_named(NULL);
	struct np_rec_data d;
	struct np_import_error err;

	assert_int_equal(np_import_file(NP_IMPORT_SPC,
					NP_SOURCE_DIR "/datasets/spc/axel_20220610_193124.csv", NULL,
					&o, &d, &err),
			 NP_OK);
	/* 701 rows, segments 1-12 (datasets/README.md). */
	assert_int_equal(d.track[0].n, 701);
	assert_int_equal(d.track[1].n, 701);
	assert_int_equal(d.n_ann, 12);
	assert_int_equal(d.ann[5].start_tick, 291 * d.header.hello.tick_hz); /* 6:292-347 */
	assert_int_equal(d.ann[5].end_tick, 347 * d.header.hello.tick_hz);
	assert_int_equal(d.ann[5].position, NP_POS_PRONE);
	assert_int_equal(d.ann[11].position, NP_POS_RIGHT);
	np_rec_data_free(&d);
}

/* Every file of the shared datasets imports (when the shared folder is there). */
static void shared_dataset_files_import(void **state)
{
	(void)state;
	static const struct {
		enum np_import_format fmt;
		const char *path;
		size_t rows;
	} files[] = {
		{ NP_IMPORT_SPC, "sleep-position-classification/alessandra_20220601_182359.csv", 696 },
		{ NP_IMPORT_SPC, "sleep-position-classification/benedetta_20220601_184141.csv", 730 },
		{ NP_IMPORT_UCI_AR, "uci-older-people-rfid/S1_Dataset/d1p01M", 0 },
		{ NP_IMPORT_UCI_AR, "uci-older-people-rfid/S1_Dataset/d1p53F", 0 },
		{ NP_IMPORT_HAPT, "uci-hapt/data_pl5/acc_exp42_user21.txt", 20806 },
	};
	const char *labels = NP_SHARED_DATASETS "/uci-hapt/data_labels/labels.txt";
	char path[4096];

	if (access(NP_SHARED_DATASETS "/README.md", R_OK) != 0)
		skip();
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct np_import_opts o = opts_named(NULL);
		struct np_rec_data d;
		struct np_import_error err;
		snprintf(path, sizeof path, "%s/%s", NP_SHARED_DATASETS, files[i].path);
		int rc = np_import_file(files[i].fmt, path, labels, &o, &d, &err);
		if (rc != NP_OK)
			fail_msg("%s:%lu: column %u: %s", path, err.line, err.column, err.why);
		if (files[i].rows)
			assert_int_equal(d.track[0].n, files[i].rows);
		assert_true(d.n_ann > 0);
		np_rec_data_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spc_rows_are_one_second_apart_with_raw_counts),
		cmocka_unit_test(spc_labels_become_one_annotation_per_run),
		cmocka_unit_test(spc_reads_semicolons_crlf_and_other_rates),
		cmocka_unit_test(spc_malformed_input_names_line_and_column),
		cmocka_unit_test(uci_keeps_irregular_times_and_maps_axes),
		cmocka_unit_test(uci_malformed_input_names_line_and_column),
		cmocka_unit_test(uci_keeps_repeated_and_decreasing_times),
		cmocka_unit_test(hapt_uses_the_experiment_of_the_file_name),
		cmocka_unit_test(hapt_errors_say_which_file),
		cmocka_unit_test(tick_base_keeps_periods_whole),
		cmocka_unit_test(utc_times_parse_strictly),
		cmocka_unit_test(written_recording_loads_with_exact_times),
		cmocka_unit_test(file_errors_name_the_file),
		cmocka_unit_test(bundled_spc_file_imports),
		cmocka_unit_test(shared_dataset_files_import),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
