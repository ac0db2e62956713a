/* Deterministic PRNG for tests: each test owns its state, so results never depend
 * on test order or on rand() being touched elsewhere. splitmix64 (Steele et al.). */
#ifndef NIGHTPOSE_TESTS_FAKES_NP_TEST_PRNG_H
#define NIGHTPOSE_TESTS_FAKES_NP_TEST_PRNG_H

#include <stddef.h>
#include <stdint.h>

struct np_test_prng {
	uint64_t s;
};

static inline uint64_t np_test_prng_next(struct np_test_prng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* Uniform-enough value in [0, n) for the small n tests use. */
static inline uint32_t np_test_prng_below(struct np_test_prng *r, uint32_t n)
{
	return (uint32_t)(np_test_prng_next(r) % n);
}

static inline void np_test_prng_fill(struct np_test_prng *r, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)np_test_prng_next(r);
}

/* Roughly normal value with standard deviation sd (sum of 12 uniforms, Irwin-Hall):
 * sensor noise for synthetic accelerometer data. */
static inline float np_test_prng_gauss(struct np_test_prng *r, float sd)
{
	float s = 0;

	for (int i = 0; i < 12; i++)
		s += (float)(np_test_prng_next(r) >> 40) / 16777216.0f;
	return (s - 6.0f) * sd;
}

#endif
