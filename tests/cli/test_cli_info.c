/* `nightpose info`: exit codes and messages for bad input, text and JSON output. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "np_bytes.h"
#include "np_err.h"
#include "np_night.h"
#include "cli_run.h"
#include "np_rec_builder.h"
#include "rec_fixture.h"

/* Run `nightpose info ARGS...` (NULL-terminated) in c's directory; r holds the
 * previous run's output (or zeros), which is freed. */
static void run_info(struct fx_ctx *c, struct cli_result *r, ...)
{
	const char *argv[16] = { "info" };
	int argc = 1;
	va_list ap;

	va_start(ap, r);
	while (argc < 15 && (argv[argc] = va_arg(ap, const char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	cli_result_free(r);
	cli_run(c->dir, argv, r);
}

static void expect_failure(struct fx_ctx *c, const char *file, const char *why)
{
	struct cli_result r = { 0 };
	char want[8192];

	run_info(c, &r, file, (const char *)NULL);
	snprintf(want, sizeof want, "nightpose: %s: %s\n", file, why);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, want);
	assert_string_equal(r.out, "");
	cli_result_free(&r);
}

/*
 * 60 s at 25 Hz with a 10 s hole after 30 s, a prone label over the first 20 s
 * and a supine one over the last 20 s, a note and a button press.
 */
static void make_night(const char *path)
{
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_annotation a = { .kind = NP_ANN_LABEL, .position = NP_POS_PRONE, .end_tick = 20000 };
	struct np_event ev = { .kind = NP_EVENT_BUTTON, .tick = 5000 };

	fx_header(&h);
	h.flags = NP_REC_IMPORTED;
	assert_int_equal(np_rec_builder_open(&b, path, &h), NP_OK);
	for (uint32_t t = 0; t < 60000; t += 40)
		if (t < 30000 || t >= 40000)
			assert_int_equal(np_rec_builder_add_sample(b, 0, t, 0, 0, -1000), NP_OK);
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	a.position = NP_POS_SUPINE;
	a.start_tick = 40000;
	a.end_tick = 60000;
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	assert_int_equal(np_rec_builder_add_event(b, NP_ORIGIN_DEVICE, &ev), NP_OK);
	a.kind = NP_ANN_NOTE;
	a.text_len = 4;
	memcpy(a.text, "lamp", 4);
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	assert_int_equal(np_rec_builder_commit(b), NP_OK);
}

static void test_missing_file(void **state)
{
	struct fx_ctx *c = *state;

	expect_failure(c, c->path, "No such file or directory");
}

static void test_directory(void **state)
{
	struct fx_ctx *c = *state;

	expect_failure(c, c->dir, "Is a directory");
}

static void test_empty_file(void **state)
{
	struct fx_ctx *c = *state;

	fx_write(c->path, "", 0);
	expect_failure(c, c->path, "empty file");
}

static void test_not_a_recording(void **state)
{
	struct fx_ctx *c = *state;

	fx_write(c->path, "x_chest,y_chest,z_chest\n", 24);
	expect_failure(c, c->path, "not a nightpose recording");
}

static void test_later_version(void **state)
{
	struct fx_ctx *c = *state;
	size_t len;
	uint8_t *data;

	make_night(c->path);
	data = fx_read(c->path, &len);
	np_put_le16(data + 8, 3);
	fx_write(c->path, data, len);
	expect_failure(c, c->path, "unsupported format version 3");

	np_put_le16(data + 8, NP_REC_VERSION);
	data[20] ^= 0x40; /* inside created_utc_ms: the header CRC fails */
	fx_write(c->path, data, len);
	expect_failure(c, c->path, "damaged recording header");
	free(data);
}

static void test_usage_errors(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };

	run_info(c, &r, (const char *)NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "missing recording file"));
	make_night(c->path);
	run_info(c, &r, c->path, "--format", "xml", (const char *)NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--format"));
	assert_string_equal(r.out, "");
	run_info(c, &r, c->path, "--bogus", (const char *)NULL);
	assert_int_equal(r.status, 2);
	run_info(c, &r, c->path, c->path, (const char *)NULL);
	assert_int_equal(r.status, 2);
	run_info(c, &r, "--help", (const char *)NULL);
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "usage: nightpose info", 21);
	cli_result_free(&r);
}

static void test_text(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };

	make_night(c->path);
	run_info(c, &r, c->path, (const char *)NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "serial NP-TEST-0001, firmware 1.2.3"));
	assert_non_null(strstr(r.out, "LIS3DH, +-2 g, 25 Hz"));
	assert_non_null(strstr(r.out, "created:      2026-01-15T22:30:00.000Z\n"));
	assert_non_null(strstr(r.out, "duration:     0:01:00 (60.0 s)\n"));
	assert_non_null(strstr(r.out, "chest      1250 samples\n"));
	assert_non_null(strstr(r.out, "gaps:         1 (10.0 s)\n"));
	assert_non_null(strstr(r.out, "prone      1, 20.0 s\n"));
	assert_non_null(strstr(r.out, "events:       1\n"));
	cli_result_free(&r);
}

static double num(const cJSON *o, const char *path)
{
	char buf[256], *tok, *save = NULL;
	const cJSON *x = o;

	snprintf(buf, sizeof buf, "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		x = cJSON_GetObjectItemCaseSensitive(x, tok);
	if (!cJSON_IsNumber(x))
		fail_msg("%s is not a number", path);
	return x->valuedouble;
}

/* JSON of a damaged copy: one corrupted record, frames lost, a torn tail. */
static void test_json_counts(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };
	size_t len, pos;
	uint8_t *data;
	cJSON *o, *labels, *sensors;

	make_night(c->path);
	data = fx_read(c->path, &len);
	/* Damage the 4th record (a SAMPLES frame) and cut the last one short. */
	pos = fx_header_len(data);
	for (int k = 0; k < 3; k++)
		pos += strlen((const char *)data + pos) + 1;
	data[pos + 3] ^= 0x11;
	fx_write(c->path, data, len - 2);
	free(data);

	run_info(c, &r, c->path, "--format", "json", (const char *)NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	/* One object on one line. */
	assert_non_null(strchr(r.out, '\n'));
	assert_int_equal(strchr(r.out, '\n') - r.out, strlen(r.out) - 1);
	o = cJSON_Parse(r.out);
	assert_non_null(o);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "imported")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "device"),
								     "serial")), "NP-TEST-0001");
	assert_true(num(o, "device.rate_hz") == 25.0);
	assert_true(num(o, "frames.corrupted") == 1.0);
	assert_true(num(o, "frames.lost") == 1.0);
	assert_true(num(o, "frames.duplicated") == 0.0);
	assert_true(num(o, "torn_tail_bytes") > 0.0);
	assert_true(num(o, "device_resets") == 0.0);
	assert_true(num(o, "clock_jumps") == 0.0);
	assert_true(num(o, "annotations.count") == 2.0); /* the note was in the torn record */
	assert_true(num(o, "events") == 1.0);
	assert_true(num(o, "gaps.count") == 2.0);
	assert_true(num(o, "gaps.total_s") > 10.0);
	sensors = cJSON_GetObjectItem(o, "sensors");
	assert_int_equal(cJSON_GetArraySize(sensors), 1);
	assert_true(num(cJSON_GetArrayItem(sensors, 0), "samples") == 1250.0 - 25.0);
	labels = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "annotations"), "labels");
	assert_int_equal(cJSON_GetArraySize(labels), 2);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(labels, 1),
								     "label")), "supine");
	assert_true(num(cJSON_GetArrayItem(labels, 1), "total_s") == 20.0);
	cJSON_Delete(o);
	cli_result_free(&r);
}

/*
 * 120 s at 25 Hz, 20 s still on each face of the cube (+x, -x, +y, -y, +z, -z) read
 * through an offset of (50, -30, 40) mg: twelve still periods that cover every
 * orientation, so the autocalibration applies and removes the offset. Labels: a
 * "lying" one (side not given) over the first 40 s and a supine one, and a note.
 */
static void make_cube_night(const char *path, int64_t created_utc_ms)
{
	static const int16_t face[6][3] = { { 1000, 0, 0 }, { -1000, 0, 0 }, { 0, 1000, 0 },
					    { 0, -1000, 0 }, { 0, 0, 1000 }, { 0, 0, -1000 } };
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_annotation a = { .kind = NP_ANN_LABEL_LYING, .position = NP_POS_UNKNOWN,
				   .end_tick = 40000 };

	fx_header(&h);
	h.created_utc_ms = created_utc_ms;
	assert_int_equal(np_rec_builder_open(&b, path, &h), NP_OK);
	for (uint32_t t = 0; t < 120000; t += 40) {
		const int16_t *f = face[t / 20000];
		assert_int_equal(np_rec_builder_add_sample(b, 0, t, (int16_t)(f[0] + 50),
							   (int16_t)(f[1] - 30), (int16_t)(f[2] + 40)),
				 NP_OK);
	}
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	a.kind = NP_ANN_LABEL;
	a.position = NP_POS_SUPINE;
	a.start_tick = 80000;
	a.end_tick = 100000;
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	a.kind = NP_ANN_NOTE;
	a.start_tick = a.end_tick = 1000;
	a.text_len = 4;
	memcpy(a.text, "lamp", 4);
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	assert_int_equal(np_rec_builder_commit(b), NP_OK);
}

static void expect_in(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("output lacks '%s':\n%s", want, text);
}

/* A label that only says "lying" is a label, not a note, and has its time. */
static void test_lying_label_is_a_label(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };

	make_cube_night(c->path, FX_CREATED_MS);
	run_info(c, &r, c->path, (const char *)NULL);
	assert_int_equal(r.status, 0);
	expect_in(r.out, "annotations:  3 (labels 2, notes 1)\n");
	expect_in(r.out, "  lying      1, 40.0 s\n");
	expect_in(r.out, "  supine     1, 20.0 s\n");
	run_info(c, &r, c->path, "--format", "json", (const char *)NULL);
	cJSON *o = cJSON_Parse(r.out);
	assert_non_null(o);
	cJSON *ann = cJSON_GetObjectItem(o, "annotations");
	assert_true(num(ann, "notes") == 1.0);
	assert_true(num(ann, "label_count") == 2.0);
	cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(ann, "labels"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(first, "label")), "lying");
	assert_true(num(first, "total_s") == 40.0);
	cJSON_Delete(o);
	cli_result_free(&r);
}

/* The offset is found and removed, and info says so with the error before and after. */
static void test_autocalibration_applied(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };

	make_cube_night(c->path, FX_CREATED_MS);
	run_info(c, &r, c->path, (const char *)NULL);
	assert_int_equal(r.status, 0);
	expect_in(r.out, "autocalibration applied, error ");
	expect_in(r.out, " mg (12 still periods)\n");
	run_info(c, &r, c->path, "--format", "json", (const char *)NULL);
	cJSON *o = cJSON_Parse(r.out);
	assert_non_null(o);
	cJSON *ac = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "sensors"), 0),
					"autocalibration");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ac, "applied")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(ac, "status")), "applied");
	/* |(1.05, -0.03, 0.04)| - 1 and the like: about 40 mg before, next to nothing after. */
	assert_true(num(ac, "error_before_mg") > 30.0);
	assert_true(num(ac, "error_after_mg") < 2.0);
	assert_true(num(ac, "points") == 12.0);
	static const double offset_g[3] = { -0.050, 0.030, -0.040 };
	for (int k = 0; k < 3; k++) {
		double got = cJSON_GetArrayItem(cJSON_GetObjectItem(ac, "offset_g"), k)->valuedouble;
		if (fabs(got - offset_g[k]) > 0.003)
			fail_msg("offset %d: %g g, expected %g g", k, got, offset_g[k]);
	}
	cJSON_Delete(o);
	cli_result_free(&r);
}

/* Five still periods flat on the back: not applied, and info says why. */
static void test_autocalibration_not_applied(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };

	make_night(c->path);
	run_info(c, &r, c->path, (const char *)NULL);
	assert_int_equal(r.status, 0);
	expect_in(r.out, "autocalibration not applied: too few still periods (5 of 6 needed)\n");
	run_info(c, &r, c->path, "--format", "json", (const char *)NULL);
	cJSON *o = cJSON_Parse(r.out);
	assert_non_null(o);
	cJSON *ac = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "sensors"), 0),
					"autocalibration");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(ac, "applied")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(ac, "status")),
			    "too few still periods");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(ac, "error_before_mg")));
	cJSON_Delete(o);
	cli_result_free(&r);
}

/* created_utc_ms 0: the date is unknown, not 1 January 1970. */
static void test_unknown_date(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };

	make_cube_night(c->path, 0);
	run_info(c, &r, c->path, (const char *)NULL);
	assert_int_equal(r.status, 0);
	expect_in(r.out, "created:      unknown\n");
	expect_in(r.out, "start:        unknown (");
	assert_null(strstr(r.out, "1970"));
	run_info(c, &r, c->path, "--format", "json", (const char *)NULL);
	cJSON *o = cJSON_Parse(r.out);
	assert_non_null(o);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "created_utc")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "start_utc")));
	cJSON_Delete(o);
	cli_result_free(&r);
}

/*
 * 20 s at 25 Hz whose device ticks jump by 2^31 - 4096 after 10 s while the host
 * receive times go on: without the cross-check it loaded as 596 hours.
 */
static void make_jumped_night(const char *path)
{
	struct np_rec_header h;
	struct np_rec_writer *w;
	struct np_samples m;
	uint8_t buf[NP_PAYLOAD_MAX];
	struct np_frame f = { .type = NP_MSG_SAMPLES, .payload = buf };
	size_t len;

	fx_header(&h);
	assert_int_equal(np_rec_writer_open(&w, path, &h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
	memset(&m, 0, sizeof m);
	m.count = 25;
	m.period_ticks = 40;
	for (unsigned k = 0; k < 20; k++) {
		m.first_tick = 1000 * k + (k >= 10 ? 0x7FFFF000u : 0);
		for (unsigned i = 0; i < m.count; i++)
			m.s[i].z = 1000;
		assert_int_equal(np_samples_encode(&m, buf, sizeof buf, &len), NP_OK);
		f.seq = (uint16_t)(k + 1);
		f.len = (uint16_t)len;
		assert_int_equal(np_rec_writer_append(w, 1000 * (k + 1), NP_ORIGIN_DEVICE, &f), NP_OK);
	}
	assert_int_equal(np_rec_writer_close(w), NP_OK);
}

static void test_clock_jump(void **state)
{
	struct fx_ctx *c = *state;
	struct cli_result r = { 0 };
	cJSON *o;

	make_jumped_night(c->path);
	run_info(c, &r, c->path, (const char *)NULL);
	assert_int_equal(r.status, 0);
	expect_in(r.out, "duration:     0:00:20 (20.0 s)\n");
	expect_in(r.out, "clock jumps:  1\n");
	run_info(c, &r, c->path, "--format", "json", (const char *)NULL);
	assert_int_equal(r.status, 0);
	o = cJSON_Parse(r.out);
	assert_non_null(o);
	assert_true(num(o, "clock_jumps") == 1.0);
	assert_true(num(o, "duration_s") == 20.0);
	assert_true(num(o, "gaps.count") == 0.0);
	cJSON_Delete(o);
	/* report says so in its data quality part */
	cli_result_free(&r);
	cli_run(c->dir, (const char *[]){ "report", c->path, NULL }, &r);
	assert_int_equal(r.status, 0);
	expect_in(r.out, "The device clock jumped 1 time:");
	cli_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_directory, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_recording, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_later_version, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_usage_errors, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_text, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_json_counts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lying_label_is_a_label, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_autocalibration_applied, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_autocalibration_not_applied, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_date, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_clock_jump, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
