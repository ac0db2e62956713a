/* The alert engine shared by the firmware and the host (core/np_alert.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "np_alert.h"
#include "np_err.h"

/* Feed pos (entered at since_ms) every second from t0_ms to t1_ms; record every event. */
struct run {
	struct np_event ev[64];
	unsigned n;
};

static void feed(struct np_alert *a, struct run *r, enum np_position pos, uint32_t since_ms,
		 uint32_t t0_ms, uint32_t t1_ms)
{
	for (uint32_t k = 0; k <= (t1_ms - t0_ms) / 1000u; k++) {
		uint32_t t = t0_ms + k * 1000u;
		struct np_event ev;
		if (np_alert_update(a, pos, since_ms, t, &ev) && r->n < 64)
			r->ev[r->n++] = ev;
	}
}

static void cfg_s(struct np_alert_cfg *c, uint32_t mask, uint32_t hold_s, uint32_t delay_s)
{
	assert_int_equal(np_alert_cfg_from_s(c, mask, hold_s, delay_s), NP_OK);
}

/* Hold, then level 2 after 20 s, level 3 after 10 more, then repeats every 10 s. */
static void test_escalation(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, NP_POS_BIT(NP_POS_SUPINE), 60, 0);
	np_alert_init(&a, &c);
	feed(&a, &r, NP_POS_SUPINE, 5000, 5000, 120000);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.ev[0].kind, NP_EVENT_ALERT_FIRED);
	assert_int_equal(r.ev[0].tick, 65000);
	assert_int_equal(r.ev[0].level, 1);
	assert_int_equal(r.ev[0].value, 60);
	assert_int_equal(r.ev[0].position, NP_POS_SUPINE);
	assert_int_equal(r.ev[1].tick, 85000);
	assert_int_equal(r.ev[1].level, 2);
	assert_int_equal(r.ev[2].tick, 95000);
	assert_int_equal(r.ev[2].level, 3);
	assert_int_equal(r.ev[3].tick, 105000);
	assert_int_equal(r.ev[3].level, 3);
	assert_int_equal(r.ev[4].tick, 115000);
	assert_int_equal(a.state, NP_ALERT_FIRING);
}

/* The hold counts from the time the wearer entered the position, not from the
 * time the tracker reported it. */
static void test_hold_counts_from_entry(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, NP_POS_BIT(NP_POS_PRONE), 30, 0);
	np_alert_init(&a, &c);
	feed(&a, &r, NP_POS_SUPINE, 0, 0, 40000);
	/* Reported prone at 70 s, entered at 40 s (a 30 s dwell): fires at once. */
	feed(&a, &r, NP_POS_PRONE, 40000, 70000, 70000);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].tick, 70000);
	assert_int_equal(r.ev[0].value, 30);
}

/* No alert inside the start delay; after it, a position already held needs a whole
 * hold from the end of the delay. */
static void test_delay(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, NP_POS_BIT(NP_POS_PRONE), 10, 100);
	np_alert_init(&a, &c);
	feed(&a, &r, NP_POS_PRONE, 1000, 1000, 100000);
	assert_int_equal(r.n, 0);
	feed(&a, &r, NP_POS_PRONE, 1000, 101000, 110000);
	assert_int_equal(r.n, 0);
	feed(&a, &r, NP_POS_PRONE, 1000, 111000, 111000);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].tick, 111000);
	assert_int_equal(r.ev[0].value, 10);
}

/* Leaving for a known position clears; unknown keeps the alert; a short visit
 * (shorter than the hold) never fires. */
static void test_clear_and_unknown(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, NP_POS_BIT(NP_POS_PRONE), 30, 0);
	np_alert_init(&a, &c);
	feed(&a, &r, NP_POS_PRONE, 0, 0, 20000);
	feed(&a, &r, NP_POS_LEFT, 21000, 21000, 40000);
	assert_int_equal(r.n, 0);
	feed(&a, &r, NP_POS_PRONE, 41000, 41000, 71000);
	assert_int_equal(r.n, 1);
	feed(&a, &r, NP_POS_UNKNOWN, 72000, 72000, 75000);
	assert_int_equal(a.state, NP_ALERT_FIRING);
	feed(&a, &r, NP_POS_RIGHT, 76000, 76000, 76000);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1].kind, NP_EVENT_ALERT_CLEARED);
	assert_int_equal(r.ev[1].position, NP_POS_RIGHT);
	assert_int_equal(r.ev[1].value, 5);
	assert_int_equal(a.level, 0);
}

/* Disabled (mask 0) never fires; bad settings are refused and change nothing. */
static void test_disabled_and_bad_settings(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, 0, 0, 0);
	np_alert_init(&a, &c);
	feed(&a, &r, NP_POS_PRONE, 0, 0, 600000);
	assert_int_equal(r.n, 0);
	struct np_alert_cfg before = c;
	assert_int_equal(np_alert_cfg_from_s(&c, NP_POS_BIT(NP_POS_PRONE), 0, 0), NP_ERR_ARG);
	assert_int_equal(np_alert_cfg_from_s(&c, NP_POS_BIT(NP_POS_UNKNOWN), 30, 0), NP_ERR_ARG);
	assert_int_equal(np_alert_cfg_from_s(&c, 1u << 7, 30, 0), NP_ERR_ARG);
	assert_int_equal(np_alert_cfg_from_s(&c, NP_POS_BIT(NP_POS_PRONE), 86401, 0), NP_ERR_ARG);
	assert_int_equal(np_alert_cfg_from_s(&c, NP_POS_BIT(NP_POS_PRONE), 30, 86401), NP_ERR_ARG);
	assert_memory_equal(&c, &before, sizeof c);
	np_alert_cfg_default(&c);
	assert_int_equal(c.avoid_mask, NP_POS_BIT(NP_POS_PRONE));
	assert_int_equal(c.hold_ms, 30000);
	assert_int_equal(c.delay_ms, 900000);
}

/* Millisecond clocks wrap after 49.7 days; the engine measures differences. */
static void test_clock_wrap(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, NP_POS_BIT(NP_POS_PRONE), 30, 0);
	np_alert_init(&a, &c);
	uint32_t t0 = UINT32_MAX - 10000u;
	feed(&a, &r, NP_POS_PRONE, t0, t0, t0 + 40000u);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].tick, t0 + 30000u);
}

/* Only once still for 5 minutes (the asleep rule): the hold counts from then. A
 * move of more than 5 degrees starts the stillness again; a small sway does not. */
static void test_asleep_gate(void **state)
{
	(void)state;
	struct np_alert_cfg c;
	struct np_alert a;
	struct run r = { 0 };
	cfg_s(&c, NP_POS_BIT(NP_POS_PRONE), 30, NP_ALERT_ARG_ASLEEP);
	assert_int_equal(c.still_ms, NP_ALERT_STILL_MS);
	assert_int_equal(c.delay_ms, 0);
	np_alert_init(&a, &c);
	struct np_event ev;
	for (uint32_t t = 0; t <= 400000; t += 1000) {
		/* 4-degree sway all along, a 10-degree move at 100 s. */
		float angle = -89.0f + (t / 1000 % 2 ? 4.0f : 0.0f) + (t >= 100000 ? 10.0f : 0.0f);
		np_alert_angle(&a, angle, t);
		if (np_alert_update(&a, NP_POS_PRONE, 0, t, &ev) && r.n < 64)
			r.ev[r.n++] = ev;
	}
	/* Still from 100 s: asleep at 400 s, so nothing yet... */
	assert_int_equal(r.n, 0);
	for (uint32_t t = 401000; t <= 440000; t += 1000) {
		np_alert_angle(&a, -79.0f, t);
		if (np_alert_update(&a, NP_POS_PRONE, 0, t, &ev) && r.n < 64)
			r.ev[r.n++] = ev;
	}
	/* ...then the 30 s hold: 430 s. */
	assert_true(r.n >= 1);
	assert_int_equal(r.ev[0].tick, 430000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_hold_counts_from_entry),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_clear_and_unknown),
		cmocka_unit_test(test_disabled_and_bad_settings),
		cmocka_unit_test(test_clock_wrap),
		cmocka_unit_test(test_asleep_gate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
