#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "np_cobs.h"
#include "np_err.h"
#include "np_test_prng.h"

#define BIG 1200u

static void check_vector(const uint8_t *raw, size_t raw_len, const uint8_t *enc, size_t enc_len)
{
	uint8_t out[BIG + 16], back[BIG + 16];
	size_t n, m;

	assert_int_equal(np_cobs_encode(raw, raw_len, out, sizeof out, &n), NP_OK);
	assert_int_equal(n, enc_len);
	assert_memory_equal(out, enc, enc_len);
	assert_int_equal(np_cobs_decode(enc, enc_len, back, sizeof back, &m), NP_OK);
	assert_int_equal(m, raw_len);
	if (raw_len > 0)
		assert_memory_equal(back, raw, raw_len);
}

/* The examples of Cheshire and Baker's COBS as usually published (e.g. Wikipedia). */
static void known_vectors(void **state)
{
	uint8_t raw[300], enc[300];

	(void)state;
	check_vector(NULL, 0, (const uint8_t[]){ 0x01 }, 1);
	check_vector((const uint8_t[]){ 0x00 }, 1, (const uint8_t[]){ 0x01, 0x01 }, 2);
	check_vector((const uint8_t[]){ 0x00, 0x00 }, 2, (const uint8_t[]){ 0x01, 0x01, 0x01 }, 3);
	check_vector((const uint8_t[]){ 0x00, 0x11, 0x00 }, 3,
		     (const uint8_t[]){ 0x01, 0x02, 0x11, 0x01 }, 4);
	check_vector((const uint8_t[]){ 0x11, 0x22, 0x00, 0x33 }, 4,
		     (const uint8_t[]){ 0x03, 0x11, 0x22, 0x02, 0x33 }, 5);
	check_vector((const uint8_t[]){ 0x11, 0x22, 0x33, 0x44 }, 4,
		     (const uint8_t[]){ 0x05, 0x11, 0x22, 0x33, 0x44 }, 5);
	check_vector((const uint8_t[]){ 0x11, 0x00, 0x00, 0x00 }, 4,
		     (const uint8_t[]){ 0x02, 0x11, 0x01, 0x01, 0x01 }, 5);

	/* 01..FE: one full block, no trailing 0x01. */
	for (size_t i = 0; i < 254; i++)
		raw[i] = (uint8_t)(i + 1);
	enc[0] = 0xFF;
	memcpy(enc + 1, raw, 254);
	check_vector(raw, 254, enc, 255);

	/* 00 01..FE */
	raw[0] = 0;
	for (size_t i = 1; i < 255; i++)
		raw[i] = (uint8_t)i;
	enc[0] = 0x01;
	enc[1] = 0xFF;
	memcpy(enc + 2, raw + 1, 254);
	check_vector(raw, 255, enc, 256);

	/* 01..FF: a full block then a block of one. */
	for (size_t i = 0; i < 255; i++)
		raw[i] = (uint8_t)(i + 1);
	enc[0] = 0xFF;
	memcpy(enc + 1, raw, 254);
	enc[255] = 0x02;
	enc[256] = 0xFF;
	check_vector(raw, 255, enc, 257);

	/* 02..FF 00 */
	for (size_t i = 0; i < 254; i++)
		raw[i] = (uint8_t)(i + 2);
	raw[254] = 0;
	enc[0] = 0xFF;
	memcpy(enc + 1, raw, 254);
	enc[255] = 0x01;
	enc[256] = 0x01;
	check_vector(raw, 255, enc, 257);
}

/* Other encoders add a 0x01 after a final full block; it must decode the same. */
static void decodes_redundant_final_block(void **state)
{
	uint8_t enc[256], out[256];
	size_t n;

	(void)state;
	enc[0] = 0xFF;
	for (size_t i = 0; i < 254; i++)
		enc[1 + i] = (uint8_t)(i + 1);
	enc[255] = 0x01;
	assert_int_equal(np_cobs_decode(enc, 256, out, sizeof out, &n), NP_OK);
	assert_int_equal(n, 254);
	assert_memory_equal(out, enc + 1, 254);
}

static void random_round_trips(void **state)
{
	struct np_test_prng r = { 42 };
	static uint8_t raw[BIG], enc[NP_COBS_MAX(BIG)], dec[BIG];

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = np_test_prng_below(&r, BIG + 1);
		/* From all-zero to zero-free data, the extremes of COBS overhead. */
		uint32_t zero_pct = np_test_prng_below(&r, 101);
		size_t n, m;

		for (size_t i = 0; i < len; i++) {
			raw[i] = (uint8_t)(1 + np_test_prng_below(&r, 255));
			if (np_test_prng_below(&r, 100) < zero_pct)
				raw[i] = 0;
		}
		assert_int_equal(np_cobs_encode(raw, len, enc, sizeof enc, &n), NP_OK);
		assert_true(n <= NP_COBS_MAX(len));
		assert_null(memchr(enc, 0, n));
		assert_int_equal(np_cobs_decode(enc, n, dec, sizeof dec, &m), NP_OK);
		assert_int_equal(m, len);
		assert_memory_equal(dec, raw, len);

		/* In place, as the frame decoder does it. */
		assert_int_equal(np_cobs_decode(enc, n, enc, n, &m), NP_OK);
		assert_int_equal(m, len);
		assert_memory_equal(enc, raw, len);
	}
}

static void incremental_writer_matches(void **state)
{
	struct np_test_prng r = { 7 };
	uint8_t raw[700], a[NP_COBS_MAX(700)], b[NP_COBS_MAX(700)];

	(void)state;
	for (int iter = 0; iter < 500; iter++) {
		size_t len = np_test_prng_below(&r, sizeof raw + 1), pos = 0, na, nb;
		struct np_cobs_writer w;

		np_test_prng_fill(&r, raw, len);
		for (size_t i = 0; i < len; i++)
			if (np_test_prng_below(&r, 4) == 0)
				raw[i] = 0;
		np_cobs_writer_init(&w, b, sizeof b);
		while (pos < len) {
			size_t piece = np_test_prng_below(&r, 300);

			if (piece > len - pos)
				piece = len - pos;
			np_cobs_writer_put(&w, raw + pos, piece);
			pos += piece;
		}
		assert_int_equal(np_cobs_writer_finish(&w, &nb), NP_OK);
		assert_int_equal(np_cobs_encode(raw, len, a, sizeof a, &na), NP_OK);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
	}
}

static void encode_capacity(void **state)
{
	uint8_t raw[600], enc[NP_COBS_MAX(600)];
	size_t need, n = 99;

	(void)state;
	memset(raw, 0x55, sizeof raw);
	assert_int_equal(np_cobs_encode(raw, sizeof raw, enc, sizeof enc, &need), NP_OK);
	assert_int_equal(need, NP_COBS_MAX(600));
	for (size_t cap = 0; cap < need; cap++) {
		assert_int_equal(np_cobs_encode(raw, sizeof raw, enc, cap, &n), NP_ERR_NOSPACE);
		assert_int_equal(n, 0);
	}
	assert_int_equal(np_cobs_encode(raw, sizeof raw, enc, need, &n), NP_OK);
	assert_int_equal(np_cobs_encode(NULL, 1, enc, sizeof enc, &n), NP_ERR_ARG);
	assert_int_equal(np_cobs_encode(raw, 1, NULL, sizeof enc, &n), NP_ERR_ARG);
}

static void decode_rejects_bad_input(void **state)
{
	uint8_t out[16];
	size_t n = 99;

	(void)state;
	/* A zero inside, a zero code, a block running past the end. */
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x03, 0x11, 0x00 }, 3, out, sizeof out, &n),
			 NP_ERR_FRAME);
	assert_int_equal(n, 0);
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x00 }, 1, out, sizeof out, &n), NP_ERR_FRAME);
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x05, 0x11, 0x22 }, 3, out, sizeof out, &n),
			 NP_ERR_FRAME);
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x02, 0x11, 0x03, 0x22 }, 4, out,
					sizeof out, &n), NP_ERR_FRAME);
	/* Output too small, including for the implied zero. */
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x03, 0x11, 0x22 }, 3, out, 1, &n),
			 NP_ERR_NOSPACE);
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x02, 0x11, 0x01 }, 3, out, 1, &n),
			 NP_ERR_NOSPACE);
	assert_int_equal(np_cobs_decode((const uint8_t[]){ 0x02, 0x11, 0x01 }, 3, out, 2, &n), NP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(np_cobs_decode(NULL, 0, out, sizeof out, &n), NP_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(decodes_redundant_final_block),
		cmocka_unit_test(random_round_trips),
		cmocka_unit_test(incremental_writer_matches),
		cmocka_unit_test(encode_capacity),
		cmocka_unit_test(decode_rejects_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
