/* Line and field scanning shared by the importers: line endings, separators, strict numbers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static void opening_a_missing_file_reports_errno(void **state)
{
	(void)state;
	FILE *fp = (FILE *)1;

	errno = 0;
	assert_int_equal(np_text_open(NP_BINARY_DIR "/no/such/file.csv", &fp), NP_ERR_IO);
	assert_int_equal(errno, ENOENT);
	assert_null(fp);
	/* A directory cannot be read as text either. */
	assert_int_equal(np_text_open(NP_BINARY_DIR, &fp), NP_ERR_IO);
	assert_int_equal(errno, EISDIR);
}

/* /dev/zero would be read for ever, a tty would wait for typing: refused up front. */
static void devices_are_refused_pipes_are_not(void **state)
{
	(void)state;
	FILE *fp = (FILE *)1;
	int fd[2];
	char path[64];

	assert_int_equal(np_text_open("/dev/zero", &fp), NP_ERR_UNSUPP);
	assert_null(fp);
	assert_int_equal(np_text_open("/dev/urandom", &fp), NP_ERR_UNSUPP);
	assert_int_equal(pipe(fd), 0);
	snprintf(path, sizeof path, "/dev/fd/%d", fd[0]);
	assert_int_equal(np_text_open(path, &fp), NP_OK);
	fclose(fp);
	close(fd[0]);
	close(fd[1]);
}

static void streaming_a_file_gives_every_line(void **state)
{
	(void)state;
	static char buf[NP_TEXT_LINE_MAX + 1];
	struct np_text t;
	const char *line;
	size_t len, bytes = 0;
	FILE *fp;

	assert_int_equal(np_text_open(NP_SOURCE_DIR "/datasets/spc/axel_20220610_193124.csv", &fp),
			 NP_OK);
	np_text_init_stream(&t, fp, buf, sizeof buf);
	assert_true(np_text_next(&t, &line, &len));
	assert_memory_equal(line, "x_chest;", 8);
	bytes += len + 1;
	while (np_text_next(&t, &line, &len))
		bytes += len + 1;
	assert_int_equal(t.err, NP_OK);
	assert_int_equal(t.line, 702); /* header and 701 rows (datasets/README.md) */
	assert_int_equal(bytes, 17455); /* the original's size: LF endings, nothing lost */
	fclose(fp);
}

/* A line without end (a binary file, /dev/zero through a pipe) stops at the cap
 * instead of growing: in memory and streamed alike. */
static void overlong_lines_stop_with_their_line_number(void **state)
{
	(void)state;
	static char buf[NP_TEXT_LINE_MAX + 1];
	size_t big = NP_TEXT_LINE_MAX + 10;
	char *text = malloc(big + 3);
	struct np_text t;
	const char *line;
	size_t len;

	assert_non_null(text);
	memcpy(text, "ok\n", 3);
	memset(text + 3, 'a', big);
	np_text_init(&t, text, big + 3);
	assert_true(np_text_next(&t, &line, &len));
	assert_false(np_text_next(&t, &line, &len));
	assert_int_equal(t.err, NP_ERR_FORMAT);
	assert_int_equal(t.line, 2);

	FILE *fp = fmemopen(text, big + 3, "r");
	assert_non_null(fp);
	np_text_init_stream(&t, fp, buf, sizeof buf);
	assert_true(np_text_next(&t, &line, &len));
	assert_false(np_text_next(&t, &line, &len));
	assert_int_equal(t.err, NP_ERR_FORMAT);
	assert_int_equal(t.line, 2);
	fclose(fp);
	free(text);
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
		cmocka_unit_test(opening_a_missing_file_reports_errno),
		cmocka_unit_test(devices_are_refused_pipes_are_not),
		cmocka_unit_test(overlong_lines_stop_with_their_line_number),
		cmocka_unit_test(streaming_a_file_gives_every_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
