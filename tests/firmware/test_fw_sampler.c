/* Sampler ring: never blocks, keeps the oldest samples, counts every loss, ticks evenly spaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fw_sampler.h"

static struct fw_sampler s;
static struct fw_sample_rec ring[FW_SAMPLER_RING_LEN];

static struct np_sample mk(int i)
{
	struct np_sample v = { (int16_t)i, (int16_t)(-i), (int16_t)(1000 + i) };
	return v;
}

static void push_range(int from, int n, uint32_t now, bool overrun)
{
	struct np_sample v[64];
	for (int i = 0; i < n; i++)
		v[i] = mk(from + i);
	fw_sampler_push(&s, v, (size_t)n, now, overrun);
}

static void test_ticks_follow_the_period(void **state)
{
	(void)state;
	fw_sampler_init(&s, ring, FW_SAMPLER_RING_LEN, 0);
	fw_sampler_start(&s, 25);
	push_range(0, 6, 1000, false);   /* newest at 1000: first at 800 */
	push_range(6, 5, 1200, false);   /* the sensor kept up: continues */
	assert_int_equal(fw_sampler_count(&s), 11);
	for (size_t i = 0; i < 11; i++) {
		const struct fw_sample_rec *r = fw_sampler_peek(&s, i);
		assert_int_equal(r->tick, 800 + 40 * i);
		assert_int_equal(r->s.x, (int)i);
	}
	assert_null(fw_sampler_peek(&s, 11));
}

static void test_overrun_resyncs_ticks(void **state)
{
	(void)state;
	fw_sampler_init(&s, ring, FW_SAMPLER_RING_LEN, 0);
	fw_sampler_start(&s, 100);
	push_range(0, 10, 1000, false);
	push_range(10, 10, 5000, true);
	assert_int_equal(s.fifo_overruns, 1);
	assert_int_equal(fw_sampler_peek(&s, 9)->tick, 1000);
	assert_int_equal(fw_sampler_peek(&s, 10)->tick, 4910);
	/* A long silence without an overrun flag also resyncs. */
	push_range(20, 1, 9000, false);
	assert_int_equal(fw_sampler_peek(&s, 20)->tick, 9000);
}

static void test_full_ring_keeps_oldest_and_counts(void **state)
{
	(void)state;
	fw_sampler_init(&s, ring, FW_SAMPLER_RING_LEN, 0);
	fw_sampler_start(&s, 50);
	int pushed = 0;
	uint32_t now = 0;
	while (pushed < (int)FW_SAMPLER_RING_LEN + 100) {
		push_range(pushed, 50, now, false);
		pushed += 50;
		now += 1000;
	}
	assert_int_equal(fw_sampler_count(&s), FW_SAMPLER_RING_LEN);
	assert_int_equal(s.samples_dropped, (uint32_t)pushed - FW_SAMPLER_RING_LEN);
	for (size_t i = 0; i < FW_SAMPLER_RING_LEN; i++)
		assert_int_equal(fw_sampler_peek(&s, i)->s.x, (int)i);

	/* Once the link drains some, new samples get in again, after a tick gap. */
	fw_sampler_consume(&s, 100);
	assert_int_equal(fw_sampler_peek(&s, 0)->s.x, 100);
	push_range(1000, 3, now, false);
	assert_int_equal(fw_sampler_count(&s), FW_SAMPLER_RING_LEN - 100 + 3);
	const struct fw_sample_rec *last_old = fw_sampler_peek(&s, FW_SAMPLER_RING_LEN - 101);
	const struct fw_sample_rec *first_new = fw_sampler_peek(&s, FW_SAMPLER_RING_LEN - 100);
	assert_int_equal(last_old->s.x, (int)FW_SAMPLER_RING_LEN - 1);
	assert_int_equal(first_new->s.x, 1000);
	assert_int_equal(first_new->tick, now - 40);
}

static void test_stopped_ignores_and_clear_keeps_counters(void **state)
{
	(void)state;
	fw_sampler_init(&s, ring, FW_SAMPLER_RING_LEN, 0);
	push_range(0, 5, 0, false);
	assert_int_equal(fw_sampler_count(&s), 0);
	fw_sampler_start(&s, 10);
	push_range(0, 5, 0, true);
	fw_sampler_clear(&s);
	assert_int_equal(fw_sampler_count(&s), 0);
	assert_int_equal(s.fifo_overruns, 1);
	fw_sampler_stop(&s);
	push_range(0, 5, 100, false);
	assert_int_equal(fw_sampler_count(&s), 0);
	fw_sampler_consume(&s, 10); /* more than queued: harmless */
	assert_int_equal(fw_sampler_count(&s), 0);
}

static void test_wraps_indices(void **state)
{
	(void)state;
	fw_sampler_init(&s, ring, FW_SAMPLER_RING_LEN, 0);
	s.head = s.tail = UINT32_MAX - 5;
	fw_sampler_start(&s, 25);
	push_range(0, 20, 10000, false);
	assert_int_equal(fw_sampler_count(&s), 20);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(fw_sampler_peek(&s, i)->s.x, (int)i);
}

/* A second sensor takes half the storage: the chest's queue moves, oldest first, into the other half. */
static void test_shrink_keeps_oldest_in_order(void **state)
{
	(void)state;
	fw_sampler_init(&s, ring, FW_SAMPLER_RING_LEN, 0);
	fw_sampler_start(&s, 25);
	/* Start mid-ring so that the queue wraps around the end of the storage. */
	s.head = s.tail = 200;
	for (int i = 0; i < 150; i += 50)
		push_range(i, 50, 10000 + 40u * (uint32_t)i, false);
	assert_int_equal(fw_sampler_count(&s), 150);

	fw_sampler_shrink(&s, FW_SAMPLER_RING_LEN / 2u);
	assert_int_equal(fw_sampler_count(&s), FW_SAMPLER_RING_LEN / 2u);
	assert_int_equal(s.samples_dropped, 150 - FW_SAMPLER_RING_LEN / 2u);
	for (size_t i = 0; i < FW_SAMPLER_RING_LEN / 2u; i++)
		assert_int_equal(fw_sampler_peek(&s, i)->s.x, (int)i);
	/* Full at the new size: more is dropped, and the upper half is never written. */
	ring[FW_SAMPLER_RING_LEN / 2u].s.x = 12345;
	fw_sampler_consume(&s, 10);
	push_range(1000, 20, 20000, false);
	assert_int_equal(fw_sampler_count(&s), FW_SAMPLER_RING_LEN / 2u);
	assert_int_equal(fw_sampler_peek(&s, FW_SAMPLER_RING_LEN / 2u - 1u)->s.x, 1009);
	assert_int_equal(ring[FW_SAMPLER_RING_LEN / 2u].s.x, 12345);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_follow_the_period),
		cmocka_unit_test(test_overrun_resyncs_ticks),
		cmocka_unit_test(test_full_ring_keeps_oldest_and_counts),
		cmocka_unit_test(test_stopped_ignores_and_clear_keeps_counters),
		cmocka_unit_test(test_wraps_indices),
		cmocka_unit_test(test_shrink_keeps_oldest_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
