/* calibration/np_calfile.c: CAL.json round trip and validation of bad files. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "np_calfile.h"
#include "np_err.h"

static void sample(struct np_calfile *c)
{
	memset(c, 0, sizeof *c);
	c->version = NP_CALFILE_VERSION;
	snprintf(c->created_utc, sizeof c->created_utc, "2026-11-24T14:00:00Z");
	snprintf(c->device_serial, sizeof c->device_serial, "NP-0042");
	snprintf(c->source, sizeof c->source, "night.npr");
	/* Sensor worn rotated a quarter turn about z. */
	struct np_mat3 r = { { { 0, 1, 0 }, { -1, 0, 0 }, { 0, 0, 1 } } };
	c->chest.r = r;
	c->chest.angle_deg = 88.5f;
	c->supine = (struct np_cal_window_rec){ 10, 40, 30, { 0, 0, 1 }, 12.5f };
	c->left = (struct np_cal_window_rec){ 100, 130, 30, { 1, 0, 0 }, 20.0f };
	np_autocal_identity(&c->autocal);
	c->autocal.status = NP_AUTOCAL_APPLIED;
	c->autocal.applied = true;
	c->autocal.offset_g[0] = 0.02f;
	c->autocal.scale[2] = 1.03f;
	c->autocal.err_before_mg = 25;
	c->autocal.err_after_mg = 3;
	c->has_second = true;
	np_mat3_identity(&c->second.r);
}

static void round_trip(void **state)
{
	(void)state;
	struct np_calfile c, d;
	char *text;
	sample(&c);
	assert_int_equal(np_calfile_to_json(&c, &text), NP_OK);
	assert_non_null(strstr(text, "\"stillness_sd_mg\""));
	assert_non_null(strstr(text, "\"orthogonality_residual\""));
	assert_int_equal(np_calfile_from_json(text, &d, NULL, 0), NP_OK);
	free(text);
	assert_string_equal(d.device_serial, "NP-0042");
	assert_string_equal(d.created_utc, "2026-11-24T14:00:00Z");
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			assert_float_equal(d.chest.r.m[i][j], c.chest.r.m[i][j], 1e-6);
	assert_true(d.autocal.applied);
	assert_float_equal(d.autocal.offset_g[0], 0.02, 1e-6);
	assert_float_equal(d.autocal.scale[2], 1.03, 1e-6);
	assert_true(d.has_second);
	assert_float_equal(d.supine.end_s, 40, 0);
	assert_int_equal(d.left.samples, 30);
}

/* A rotation as a float computes it is written to 6 decimals, as the README says of
 * every JSON number, and reads back within 1e-6 (still orthonormal). */
static void rotation_is_rounded(void **state)
{
	(void)state;
	struct np_calfile c, d;
	char *text;
	sample(&c);
	float a = 0.3f, ca = cosf(a), sa = sinf(a);
	struct np_mat3 r = { { { ca, -sa, 0 }, { sa, ca, 0 }, { 0, 0, 1 } } };
	c.chest.r = r;
	c.supine.mean_g = (struct np_vec3){ 0.0123456789f, -0.0234567891f, 0.99876543f };
	c.chest.ortho_residual = 1.1920929e-07f;
	assert_int_equal(np_calfile_to_json(&c, &text), NP_OK);
	const char *rot = strstr(text, "\"rotation\"");
	assert_non_null(rot);
	/* No number of the file has more than 6 digits after its decimal point. */
	for (const char *p = text; *p; p++) {
		if (*p != '.' || p == text || p[-1] < '0' || p[-1] > '9')
			continue;
		size_t digits = 0;
		while (p[1 + digits] >= '0' && p[1 + digits] <= '9')
			digits++;
		if (digits > 6)
			fail_msg("number with %zu decimals near: %.30s", digits, p - 3);
	}
	assert_int_equal(np_calfile_from_json(text, &d, NULL, 0), NP_OK);
	free(text);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			assert_float_equal(d.chest.r.m[i][j], c.chest.r.m[i][j], 1e-6);
}

static void expect_bad(const char *text, int want, const char *why_part)
{
	struct np_calfile c;
	char why[200] = "";
	assert_int_equal(np_calfile_from_json(text, &c, why, sizeof why), want);
	assert_non_null(strstr(why, why_part));
}

static void rejects_bad_files(void **state)
{
	(void)state;
	expect_bad("not json", NP_ERR_FORMAT, "JSON");
	expect_bad("{\"version\": 1}", NP_ERR_FORMAT, "not a nightpose calibration");
	expect_bad("{\"format\": \"nightpose-calibration\", \"version\": 7}", NP_ERR_VERSION, "version 7");
	expect_bad("{\"format\": \"nightpose-calibration\", \"version\": 1}", NP_ERR_FORMAT, "rotation");
	expect_bad("{\"format\": \"nightpose-calibration\", \"version\": 1,"
		   " \"rotation\": [[1,0,0],[0,1,0]]}",
		   NP_ERR_FORMAT, "3x3");
	expect_bad("{\"format\": \"nightpose-calibration\", \"version\": 1,"
		   " \"rotation\": [[1,0,0],[0,2,0],[0,0,1]]}",
		   NP_ERR_FORMAT, "orthonormal");
	/* A mirror image is orthonormal but not a rotation. */
	expect_bad("{\"format\": \"nightpose-calibration\", \"version\": 1,"
		   " \"rotation\": [[1,0,0],[0,1,0],[0,0,-1]]}",
		   NP_ERR_FORMAT, "reflection");
	expect_bad("{\"format\": \"nightpose-calibration\", \"version\": 1,"
		   " \"rotation\": [[1,0,0],[0,1,0],[0,0,1]],"
		   " \"autocal\": {\"status\": \"applied\", \"offset_g\": [0,0,0], \"scale\": [1,1,9]}}",
		   NP_ERR_FORMAT, "autocal");
}

#define CAL_HEAD "{\"format\": \"nightpose-calibration\", \"version\": 1, "
#define CAL_ROT "\"rotation\": [[1,0,0],[0,1,0],[0,0,1]]"

/* Numbers that a double holds but a float does not, and values no device gives:
 * each is refused with the field named, never read as infinity or NaN. */
static void rejects_non_finite_and_out_of_range(void **state)
{
	(void)state;
	/* 1e39 is a finite double and an infinite float. */
	expect_bad(CAL_HEAD "\"rotation\": [[1e39,0,0],[0,1,0],[0,0,1]]}", NP_ERR_FORMAT, "rotation");
	expect_bad(CAL_HEAD "\"rotation\": [[1e999,0,0],[0,1,0],[0,0,1]]}", NP_ERR_FORMAT, "rotation");
	expect_bad(CAL_HEAD CAL_ROT ", \"windows\": {\"supine\": {\"start_s\": 1e999}}}",
		   NP_ERR_FORMAT, "\"start_s\"");
	expect_bad(CAL_HEAD CAL_ROT ", \"windows\": {\"left\": {\"sd_mg\": 1e39}}}",
		   NP_ERR_FORMAT, "\"sd_mg\"");
	expect_bad(CAL_HEAD CAL_ROT ", \"windows\": {\"left\": {\"samples\": -3}}}",
		   NP_ERR_FORMAT, "\"samples\"");
	expect_bad(CAL_HEAD CAL_ROT ", \"windows\": {\"supine\": {\"start_s\": 40, \"end_s\": 10}}}",
		   NP_ERR_FORMAT, "ends (10 s) before it starts (40 s)");
	expect_bad(CAL_HEAD CAL_ROT ", \"windows\": {\"supine\": {\"mean_g\": [0, 0, 1e39]}}}",
		   NP_ERR_FORMAT, "mean_g");
	expect_bad(CAL_HEAD CAL_ROT ", \"quality\": {\"angle_deg\": 1e999}}", NP_ERR_FORMAT,
		   "\"angle_deg\"");
	expect_bad(CAL_HEAD CAL_ROT ", \"autocal\": {\"status\": \"applied\", "
				    "\"offset_g\": [1e39,0,0], \"scale\": [1,1,1]}}",
		   NP_ERR_FORMAT, "autocal");
	expect_bad(CAL_HEAD CAL_ROT ", \"autocal\": {\"error_after_mg\": 1e999}}", NP_ERR_FORMAT,
		   "\"error_after_mg\"");
}

static void minimal_file_loads(void **state)
{
	(void)state;
	struct np_calfile c;
	assert_int_equal(np_calfile_from_json("{\"format\": \"nightpose-calibration\", \"version\": 1,"
					      " \"rotation\": [[1,0,0],[0,1,0],[0,0,1]]}",
					      &c, NULL, 0),
			 NP_OK);
	assert_false(c.autocal.applied);
	assert_false(c.has_second);
	assert_float_equal(c.autocal.scale[1], 1.0, 0);
}

static void load_from_disk(void **state)
{
	(void)state;
	char path[] = NP_BINARY_DIR "/test_np_calfile.json";
	struct np_calfile c, d;
	char *text, why[100];
	sample(&c);
	assert_int_equal(np_calfile_to_json(&c, &text), NP_OK);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	assert_int_equal(np_calfile_load(path, &d, why, sizeof why), NP_OK);
	assert_string_equal(d.source, "night.npr");
	remove(path);
	assert_int_equal(np_calfile_load(path, &d, why, sizeof why), NP_ERR_IO);
	/* "--calibration some/dir" used to say "Input/output error". */
	errno = 0;
	assert_int_equal(np_calfile_load(NP_BINARY_DIR, &d, why, sizeof why), NP_ERR_IO);
	assert_int_equal(errno, EISDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(rotation_is_rounded),
		cmocka_unit_test(rejects_bad_files),
		cmocka_unit_test(rejects_non_finite_and_out_of_range),
		cmocka_unit_test(minimal_file_loads),
		cmocka_unit_test(load_from_disk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
