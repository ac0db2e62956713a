/* fw_command.c alone: every command and every invalid argument, decided with no device. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw_alert.h"
#include "fw_board.h"
#include "fw_command.h"
#include "fw_motor.h"
#include "np_err.h"
#include "np_posture.h"

static struct fw_cmd_action decide(uint8_t cmd, uint8_t arg8, uint16_t arg16, uint32_t arg32)
{
	struct np_command c = { .cmd = cmd, .arg8 = arg8, .arg16 = arg16, .arg32 = arg32 };
	struct fw_cmd_action act;
	memset(&act, 0xEE, sizeof act);
	fw_command_decide(&c, &act);
	assert_int_equal(act.cmd, cmd);
	return act;
}

static void assert_accepted(struct fw_cmd_action act, enum fw_cmd_kind kind)
{
	assert_int_equal(act.result, NP_ACK_OK);
	assert_int_equal(act.kind, kind);
}

static void assert_bad_arg(struct fw_cmd_action act, enum fw_cmd_kind kind)
{
	assert_int_equal(act.result, NP_ACK_BAD_ARG);
	assert_int_equal(act.kind, kind);
}

static void test_argless_commands(void **state)
{
	(void)state;
	assert_accepted(decide(NP_CMD_START, 0, 0, 0), FW_CMD_START);
	assert_accepted(decide(NP_CMD_STOP, 0, 0, 0), FW_CMD_STOP);
	assert_accepted(decide(NP_CMD_SELF_TEST, 0, 0, 0), FW_CMD_SELF_TEST);
	assert_accepted(decide(NP_CMD_HELLO, 0, 0, 0), FW_CMD_HELLO);
	assert_accepted(decide(NP_CMD_STATUS, 0, 0, 0), FW_CMD_STATUS);
	/* Unused arguments are ignored (docs/PROTOCOL.md 4.6). */
	assert_accepted(decide(NP_CMD_START, 0xFF, 0xFFFF, 0xFFFFFFFFu), FW_CMD_START);
}

static void test_set_rate(void **state)
{
	(void)state;
	static const uint16_t ok[] = { 10, 25, 50, 100 };
	static const uint16_t bad[] = { 0, 1, 9, 11, 30, 99, 101, 200, 0xFFFF };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct fw_cmd_action act = decide(NP_CMD_SET_RATE, 0, ok[i], 0);
		assert_accepted(act, FW_CMD_SET_RATE);
		assert_int_equal(act.arg.rate_hz, ok[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_bad_arg(decide(NP_CMD_SET_RATE, 0, bad[i], 0), FW_CMD_SET_RATE);
	/* The rate travels in arg16 only. */
	assert_bad_arg(decide(NP_CMD_SET_RATE, 25, 0, 25), FW_CMD_SET_RATE);
}

static void test_set_range(void **state)
{
	(void)state;
	static const uint8_t ok[] = { 2, 4, 8, 16 };
	static const uint8_t bad[] = { 0, 1, 3, 6, 12, 32, 0xFF };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct fw_cmd_action act = decide(NP_CMD_SET_RANGE, ok[i], 0, 0);
		assert_accepted(act, FW_CMD_SET_RANGE);
		assert_int_equal(act.arg.range_g, ok[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_bad_arg(decide(NP_CMD_SET_RANGE, bad[i], 0, 0), FW_CMD_SET_RANGE);
	assert_bad_arg(decide(NP_CMD_SET_RANGE, 0, 8, 0), FW_CMD_SET_RANGE);
}

static void test_vibrate(void **state)
{
	(void)state;
	struct fw_cmd_action act = decide(NP_CMD_VIBRATE, 2, 500, 0x0Fu);
	assert_accepted(act, FW_CMD_VIBRATE);
	assert_int_equal(act.arg.vibrate.level, 2);
	assert_int_equal(act.arg.vibrate.duration_ms, 500);
	assert_int_equal(act.arg.vibrate.pattern, 0x0F);
	assert_accepted(decide(NP_CMD_VIBRATE, FW_MOTOR_LEVEL_MAX, 0xFFFF, 0), FW_CMD_VIBRATE);
	/* Level 0 for no time stops the motor. */
	assert_accepted(decide(NP_CMD_VIBRATE, 0, 0, 0), FW_CMD_VIBRATE);

	assert_bad_arg(decide(NP_CMD_VIBRATE, FW_MOTOR_LEVEL_MAX + 1, 100, 0), FW_CMD_VIBRATE);
	assert_bad_arg(decide(NP_CMD_VIBRATE, 0xFF, 0, 0), FW_CMD_VIBRATE);
	assert_bad_arg(decide(NP_CMD_VIBRATE, 0, 100, 0), FW_CMD_VIBRATE);
}

static void test_identify_is_a_vibration(void **state)
{
	(void)state;
	struct fw_cmd_action act = decide(NP_CMD_IDENTIFY, 3, 9, 9);
	assert_accepted(act, FW_CMD_VIBRATE);
	assert_int_equal(act.arg.vibrate.level, FW_MOTOR_IDENTIFY_LEVEL);
	assert_int_equal(act.arg.vibrate.duration_ms, FW_MOTOR_IDENTIFY_MS);
	assert_int_equal(act.arg.vibrate.pattern, FW_MOTOR_IDENTIFY_PATTERN);
}

static void test_set_alert(void **state)
{
	(void)state;
	uint8_t prone = (uint8_t)NP_POS_BIT(NP_POS_PRONE);
	uint8_t all = (uint8_t)(NP_POS_BIT(NP_POS_SUPINE) | NP_POS_BIT(NP_POS_PRONE) |
				NP_POS_BIT(NP_POS_LEFT) | NP_POS_BIT(NP_POS_RIGHT) |
				NP_POS_BIT(NP_POS_UPRIGHT));

	struct fw_cmd_action act = decide(NP_CMD_SET_ALERT, prone, 10, 60);
	assert_accepted(act, FW_CMD_SET_ALERT);
	assert_int_equal(act.arg.alert.avoid_mask, prone);
	assert_int_equal(act.arg.alert.hold_s, 10);
	assert_int_equal(act.arg.alert.delay_s, 60);
	assert_accepted(decide(NP_CMD_SET_ALERT, all, 1, 0), FW_CMD_SET_ALERT);
	/* Mask 0 disables the alert; its times do not matter then. */
	assert_accepted(decide(NP_CMD_SET_ALERT, 0, 0, 0), FW_CMD_SET_ALERT);
	assert_accepted(decide(NP_CMD_SET_ALERT, prone, 1, FW_ALERT_SETTING_MAX_S),
			FW_CMD_SET_ALERT);

	/* Unknown position bit 0, bits beyond upright, no hold time, over a day. */
	assert_bad_arg(decide(NP_CMD_SET_ALERT, (uint8_t)NP_POS_BIT(NP_POS_UNKNOWN), 30, 0),
		       FW_CMD_SET_ALERT);
	assert_bad_arg(decide(NP_CMD_SET_ALERT, (uint8_t)NP_POS_BIT(NP_POS_COUNT), 30, 0),
		       FW_CMD_SET_ALERT);
	assert_bad_arg(decide(NP_CMD_SET_ALERT, 0x80, 30, 0), FW_CMD_SET_ALERT);
	assert_bad_arg(decide(NP_CMD_SET_ALERT, prone, 0, 0), FW_CMD_SET_ALERT);
	assert_bad_arg(decide(NP_CMD_SET_ALERT, prone, 30, FW_ALERT_SETTING_MAX_S + 1),
		       FW_CMD_SET_ALERT);
	assert_bad_arg(decide(NP_CMD_SET_ALERT, 0, 0, 0xFFFFFFFFu), FW_CMD_SET_ALERT);
}

static void test_unknown_ids_unsupported(void **state)
{
	(void)state;
	static const uint8_t ids[] = { 0, NP_CMD_STATUS + 1, 0x77, 0xFF };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct fw_cmd_action act = decide(ids[i], 0, 0, 0);
		assert_int_equal(act.result, NP_ACK_UNSUPPORTED);
		assert_int_equal(act.kind, FW_CMD_UNKNOWN);
	}
}

static void test_decode_payload(void **state)
{
	(void)state;
	struct np_command c = { .cmd = NP_CMD_SET_RATE, .arg16 = 50 };
	uint8_t p[NP_COMMAND_LEN];
	size_t n;
	struct fw_cmd_action act;
	assert_int_equal(np_command_encode(&c, p, sizeof p, &n), NP_OK);

	fw_command_decode(p, n, &act);
	assert_int_equal(act.cmd, NP_CMD_SET_RATE);
	assert_accepted(act, FW_CMD_SET_RATE);
	assert_int_equal(act.arg.rate_hz, 50);

	/* Too short: BAD_ARG, naming the command as far as it arrived. */
	fw_command_decode(p, n - 1, &act);
	assert_int_equal(act.cmd, NP_CMD_SET_RATE);
	assert_bad_arg(act, FW_CMD_UNKNOWN);
	fw_command_decode(p, 0, &act);
	assert_int_equal(act.cmd, 0);
	assert_bad_arg(act, FW_CMD_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argless_commands),
		cmocka_unit_test(test_set_rate),
		cmocka_unit_test(test_set_range),
		cmocka_unit_test(test_vibrate),
		cmocka_unit_test(test_identify_is_a_vibration),
		cmocka_unit_test(test_set_alert),
		cmocka_unit_test(test_unknown_ids_unsupported),
		cmocka_unit_test(test_decode_payload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
