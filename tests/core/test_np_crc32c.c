#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "np_crc32c.h"
#include "np_test_prng.h"

static void check_value(void **state)
{
	(void)state;
	assert_int_equal(np_crc32c((const uint8_t *)"123456789", 9), 0xE3069283u);
	assert_int_equal(np_crc32c(NULL, 0), 0);
}

/* Test vectors of RFC 3720 (iSCSI) appendix B.4. */
static void rfc3720_vectors(void **state)
{
	uint8_t buf[32];

	(void)state;
	memset(buf, 0, sizeof buf);
	assert_int_equal(np_crc32c(buf, sizeof buf), 0x8A9136AAu);
	memset(buf, 0xFF, sizeof buf);
	assert_int_equal(np_crc32c(buf, sizeof buf), 0x62A8AB43u);
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(np_crc32c(buf, sizeof buf), 0x46DD794Eu);
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(np_crc32c(buf, sizeof buf), 0x113FDB5Cu);
}

static void incremental_equals_one_shot(void **state)
{
	struct np_test_prng r = { 3 };
	uint8_t buf[300];
	uint32_t whole;

	(void)state;
	np_test_prng_fill(&r, buf, sizeof buf);
	whole = np_crc32c(buf, sizeof buf);
	for (size_t split = 0; split <= sizeof buf; split++) {
		uint32_t crc = np_crc32c_update(0, buf, split);

		assert_int_equal(np_crc32c_update(crc, buf + split, sizeof buf - split), whole);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_value),
		cmocka_unit_test(rfc3720_vectors),
		cmocka_unit_test(incremental_equals_one_shot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
