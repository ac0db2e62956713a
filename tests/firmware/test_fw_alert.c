/* On-device positional alert with a fake clock: delay, hold time, escalation, clear, EVENTs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_board.h"
#include "fw_alert.h"
#include "fw_app.h"
#include "fw_test_util.h"
#include "np_err.h"

static struct fw_alert a;

/* Feed pos every second from t0 to t1 (ms); return the events in order. */
static int feed(enum np_position pos, uint32_t t0, uint32_t t1, struct np_event *evs, int max)
{
	int n = 0;
	for (uint32_t t = t0; t < t1; t += 1000) {
		struct np_event ev;
		if (fw_alert_update(&a, pos, t, &ev) && n < max)
			evs[n++] = ev;
	}
	return n;
}

static void test_defaults(void **state)
{
	(void)state;
	fw_alert_init(&a);
	assert_int_equal(a.engine.cfg.avoid_mask, NP_POS_BIT(NP_POS_PRONE));
	assert_int_equal(a.engine.cfg.hold_ms, 30000);
	assert_int_equal(a.engine.cfg.delay_ms, 15u * 60u * 1000u);
}

static void test_start_delay_then_hold_then_fire(void **state)
{
	(void)state;
	struct np_event ev[8];
	fw_alert_init(&a);
	/* Prone for the whole 15-minute start delay: no alert. */
	assert_int_equal(feed(NP_POS_PRONE, 0, 900000, ev, 8), 0);
	assert_int_equal(a.engine.state, NP_ALERT_IDLE);
	/* After it, 30 s prone are needed. */
	assert_int_equal(feed(NP_POS_PRONE, 900000, 929000, ev, 8), 0);
	assert_int_equal(a.engine.state, NP_ALERT_COUNTING);
	assert_int_equal(feed(NP_POS_PRONE, 929000, 931000, ev, 8), 1);
	assert_int_equal(ev[0].kind, NP_EVENT_ALERT_FIRED);
	assert_int_equal(ev[0].position, NP_POS_PRONE);
	assert_int_equal(ev[0].level, 1);
	assert_int_equal(ev[0].value, 30);
	assert_int_equal(ev[0].tick, 930000);
	assert_int_equal(a.engine.state, NP_ALERT_FIRING);
}

static void test_short_prone_spell_does_not_fire(void **state)
{
	(void)state;
	struct np_event ev[8];
	fw_alert_init(&a);
	assert_int_equal(fw_alert_configure(&a, (uint8_t)NP_POS_BIT(NP_POS_PRONE), 30, 0), NP_OK);
	assert_int_equal(feed(NP_POS_PRONE, 0, 20000, ev, 8), 0);
	assert_int_equal(feed(NP_POS_LEFT, 20000, 25000, ev, 8), 0);
	assert_int_equal(a.engine.state, NP_ALERT_ARMED);
	/* The hold time starts again. */
	assert_int_equal(feed(NP_POS_PRONE, 25000, 50000, ev, 8), 0);
	assert_int_equal(feed(NP_POS_PRONE, 50000, 56000, ev, 8), 1);
	assert_int_equal(ev[0].tick, 55000);
}

static void test_escalates_until_position_changes(void **state)
{
	(void)state;
	struct np_event ev[8];
	fw_alert_init(&a);
	assert_int_equal(fw_alert_configure(&a, (uint8_t)NP_POS_BIT(NP_POS_SUPINE), 5, 0), NP_OK);
	assert_int_equal(feed(NP_POS_SUPINE, 0, 6000, ev, 8), 1);
	assert_int_equal(ev[0].level, 1);
	assert_int_equal(fw_alert_motor_level(&a, 5000), 1);
	assert_int_equal(fw_alert_motor_level(&a, 5700), 0); /* pulsed */

	/* The host's rules (core/np_alert.h): level 2 after 20 s, level 3 10 s later,
	 * then a reminder at level 3 every 10 s. */
	int n = feed(NP_POS_SUPINE, 6000, 60000, ev, 8);
	assert_int_equal(n, 4);
	assert_int_equal(ev[0].level, 2);
	assert_int_equal(ev[0].tick, 25000);
	assert_int_equal(ev[1].level, 3);
	assert_int_equal(ev[1].tick, 35000);
	assert_int_equal(ev[2].level, 3);
	assert_int_equal(ev[2].tick, 45000);
	assert_int_equal(ev[3].tick, 55000);
	assert_int_equal(a.engine.level, FW_ALERT_LEVEL_MAX);
	assert_int_equal(fw_alert_motor_level(&a, 60000), 3);

	/* Unknown (moving) does not stop it; a real new position does. */
	assert_int_equal(feed(NP_POS_UNKNOWN, 60000, 62000, ev, 8), 0);
	assert_int_equal(a.engine.state, NP_ALERT_FIRING);
	assert_int_equal(feed(NP_POS_RIGHT, 62000, 63000, ev, 8), 1);
	assert_int_equal(ev[0].kind, NP_EVENT_ALERT_CLEARED);
	assert_int_equal(ev[0].position, NP_POS_RIGHT);
	assert_int_equal(ev[0].value, 57);
	assert_int_equal(a.engine.state, NP_ALERT_ARMED);
	assert_int_equal(fw_alert_motor_level(&a, 63000), 0);
}

static void test_disabled_and_bad_config(void **state)
{
	(void)state;
	struct np_event ev[4];
	fw_alert_init(&a);
	assert_int_equal(fw_alert_configure(&a, 0, 0, 0), NP_OK);
	assert_int_equal(feed(NP_POS_PRONE, 0, 100000, ev, 4), 0);
	assert_int_equal(a.engine.state, NP_ALERT_IDLE);
	assert_int_equal(fw_alert_configure(&a, 1, 10, 0), NP_ERR_ARG);
	assert_int_equal(fw_alert_configure(&a, 0x40, 10, 0), NP_ERR_ARG);
	assert_int_equal(fw_alert_configure(&a, 4, 0, 0), NP_ERR_ARG);
	assert_int_equal(fw_alert_configure(&a, 4, 10, 100000), NP_ERR_ARG);
}

/* The whole path on a fake board: samples in mg -> posture -> EVENT frame + motor. */
static void test_app_alert_from_samples(void **state)
{
	(void)state;
	static struct fake_board fb;
	static struct fw_app app;
	struct np_frame f;
	struct np_event ev;

	fake_board_init(&fb);
	fw_app_init(&app, &fb.board);
	fake_board_host_command(&fb, NP_CMD_SET_ALERT, (uint8_t)NP_POS_BIT(NP_POS_PRONE), 5, 0);
	fw_app_poll(&app);
	assert_int_equal(next_ack(&fb).result, NP_ACK_OK);

	/* 10 s supine, then face down (z = -1 g in the body frame) until the alert. */
	for (int i = 0; i < 250 + 500; i++) {
		struct np_sample s = { 30, -20, (int16_t)(i < 250 ? 990 : -990) };
		fake_board_add_samples(&fb, &s, 1);
		fb.now_ms += 40;
		fw_app_poll(&app);
	}
	assert_true(next_of_type(&fb, NP_MSG_EVENT, &f));
	assert_int_equal(np_event_decode(f.payload, f.len, &ev), NP_OK);
	assert_int_equal(ev.kind, NP_EVENT_ALERT_FIRED);
	assert_int_equal(ev.position, NP_POS_PRONE);
	assert_true(ev.value >= 5);
	assert_true(fb.motor_max >= 1);
	assert_int_equal(app.alert.engine.state, NP_ALERT_FIRING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_start_delay_then_hold_then_fire),
		cmocka_unit_test(test_short_prone_spell_does_not_fire),
		cmocka_unit_test(test_escalates_until_position_changes),
		cmocka_unit_test(test_disabled_and_bad_config),
		cmocka_unit_test(test_app_alert_from_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
