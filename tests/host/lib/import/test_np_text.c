/* Line and field scanning shared by the importers: line endings, separators, strict numbers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_text.h"

static void lines_keep_numbers_and_drop_line_endings(void **state)
{
	(void)state;
	/* LF, CRLF, a blank line, and a last line without its newline. */
	static const char buf[] = "a,b\r\n\nc\nlast";
	struct np_text t;
	const char *line;
	size_t len;

	np_text_init(&t, buf, sizeof buf - 1);
	assert_true(np_text_next(&t, &line, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(line, "a,b", 3);
	assert_int_equal(t.line, 1);
	assert_true(np_text_next(&t, &line, &len));
	assert_int_equal(len, 0);
	assert_true(np_text_blank(line, len));
	assert_true(np_text_next(&t, &line, &len));
	assert_int_equal(t.line, 3);
	assert_true(np_text_next(&t, &line, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(line, "last", 4);
	assert_int_equal(t.line, 4);
	assert_false(np_text_next(&t, &line, &len));
}

static void empty_buffer_has_no_lines(void **state)
{
	(void)state;
	struct np_text t;
	const char *line;
	size_t len;

	np_text_init(&t, "", 0);
	assert_false(np_text_next(&t, &line, &len));
	assert_int_equal(t.line, 0);
}

static void fields_are_trimmed_and_counted_beyond_capacity(void **state)
{
	(void)state;
	static const char line[] = " 1 ;-2.5;; x \t";
	struct np_field f[3];

	size_t n = np_text_split(line, strlen(line), ';', f, 3);
	assert_int_equal(n, 4);
	assert_int_equal(f[0].len, 1);
	assert_memory_equal(f[0].s, "1", 1);
	assert_int_equal(f[1].len, 4);
	assert_int_equal(f[2].len, 0);
	/* Only the count tells about the fourth field. */
	assert_int_equal(np_text_split(line, strlen(line), ';', f, 0), 4);
	/* A trailing separator makes an empty last field. */
	assert_int_equal(np_text_split("1,2,", 4, ',', f, 3), 3);
	assert_int_equal(f[2].len, 0);
}

static void blank_separated_fields_skip_runs(void **state)
{
	(void)state;
	static const char line[] = "  0.25   -1e-3\t7  ";
	struct np_field f[4];
	double v;

	assert_int_equal(np_text_split(line, strlen(line), NP_TEXT_SEP_BLANKS, f, 4), 3);
	assert_true(np_field_double(&f[1], &v));
	assert_true(v == -1e-3);
	assert_int_equal(np_text_split("   ", 3, NP_TEXT_SEP_BLANKS, f, 4), 0);
}

static bool num(const char *s, double *v)
{
	struct np_field f = { s, strlen(s) };
	return np_field_double(&f, v);
}

static void numbers_are_strict(void **state)
{
	(void)state;
	double v;

	assert_true(num("42", &v));
	assert_true(v == 42.0);
	assert_true(num("-0.5", &v));
	assert_true(v == -0.5);
	assert_true(num("+.5", &v));
	assert_true(v == 0.5);
	assert_true(num("5.", &v));
	assert_true(num("1.5E+2", &v));
	assert_true(v == 150.0);
	/* strtod() would take all of these. */
	const char *bad[] = { "", "-", ".", "1e", "1e+", "0x10", "inf", "nan", "1,5", "1 2",
			      "12abc", "--1", "1e400" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(num(bad[i], &v));
}

static void whole_numbers_respect_their_range(void **state)
{
	(void)state;
	struct np_field f = { "12", 2 };
	long v;

	assert_true(np_field_long(&f, 1, 12, &v));
	assert_int_equal(v, 12);
	assert_false(np_field_long(&f, 1, 11, &v));
	f = (struct np_field){ "1.0", 3 };
	assert_false(np_field_long(&f, 0, 10, &v));
	f = (struct np_field){ "-3", 2 };
	assert_true(np_field_long(&f, -5, 5, &v));
	assert_int_equal(v, -3);
	f = (struct np_field){ "99999999999999999999", 20 };
	assert_false(np_field_long(&f, 0, 10, &v));
}

static void names_compare_without_case(void **state)
{
	(void)state;
	struct np_field f = { "X_Chest", 7 };
	assert_true(np_field_is(&f, "x_chest"));
	assert_false(np_field_is(&f, "x_chest2"));
	assert_false(np_field_is(&f, "x_ches"));
}

static void reading_a_missing_file_reports_errno(void **state)
{
	(void)state;
	char *buf = (char *)1;
	size_t len = 1;

	errno = 0;
	assert_int_equal(np_text_read_file(NP_BINARY_DIR "/no/such/file.csv", &buf, &len), NP_ERR_IO);
	assert_int_equal(errno, ENOENT);
	assert_null(buf);
	assert_int_equal(len, 0);
	/* A directory cannot be read as text either. */
	assert_int_equal(np_text_read_file(NP_BINARY_DIR, &buf, &len), NP_ERR_IO);
	assert_int_equal(errno, EISDIR);
}

static void reading_a_file_gives_all_bytes_nul_terminated(void **state)
{
	(void)state;
	char *buf;
	size_t len;

	assert_int_equal(np_text_read_file(NP_SOURCE_DIR "/datasets/spc/axel_20220610_193124.csv",
					   &buf, &len),
			 NP_OK);
	assert_int_equal(len, 17455); /* the original's size (datasets/README.md) */
	assert_int_equal(buf[len], '\0');
	assert_memory_equal(buf, "x_chest;", 8);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_keep_numbers_and_drop_line_endings),
		cmocka_unit_test(empty_buffer_has_no_lines),
		cmocka_unit_test(fields_are_trimmed_and_counted_beyond_capacity),
		cmocka_unit_test(blank_separated_fields_skip_runs),
		cmocka_unit_test(numbers_are_strict),
		cmocka_unit_test(whole_numbers_respect_their_range),
		cmocka_unit_test(names_compare_without_case),
		cmocka_unit_test(reading_a_missing_file_reports_errno),
		cmocka_unit_test(reading_a_file_gives_all_bytes_nul_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
