#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "np_err.h"

static const int all_codes[] = {
	NP_OK, NP_ERR_ARG, NP_ERR_IO, NP_ERR_TIMEOUT, NP_ERR_FRAME, NP_ERR_NOSPACE,
	NP_ERR_NODEV, NP_ERR_NOMEM, NP_ERR_UNSUPP, NP_ERR_FORMAT, NP_ERR_VERSION,
	NP_ERR_AGAIN, NP_ERR_EOF, NP_ERR_RANGE,
};
#define N_CODES (sizeof all_codes / sizeof all_codes[0])

/* Every code has its own text: a user reading "nightpose: x: <why>" can tell them apart. */
static void every_code_has_distinct_text(void **state)
{
	const char *unknown = np_strerror(12345);

	(void)state;
	for (size_t i = 0; i < N_CODES; i++) {
		const char *s = np_strerror(all_codes[i]);

		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, np_strerror(all_codes[j]));
	}
}

/* The table above must list every value: the enum is dense from 0 down to the last. */
static void table_covers_enum(void **state)
{
	(void)state;
	assert_int_equal(N_CODES, 1 - NP_ERR_RANGE);
	assert_string_equal(np_strerror(NP_ERR_RANGE - 1), np_strerror(1));
}

static void unknown_codes_get_generic_text(void **state)
{
	(void)state;
	assert_non_null(np_strerror(1));
	assert_non_null(np_strerror(-1000));
	assert_string_equal(np_strerror(1), np_strerror(-1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_distinct_text),
		cmocka_unit_test(table_covers_enum),
		cmocka_unit_test(unknown_codes_get_generic_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
