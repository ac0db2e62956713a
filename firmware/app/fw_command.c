#include <string.h>

#include "fw_alert.h"
#include "fw_board.h"
#include "fw_command.h"
#include "fw_motor.h"
#include "np_err.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What fw_sensor_ops.configure takes (fw_board.h); anything else is BAD_ARG, not FAILED. */
static const uint16_t rates_hz[] = { 10u, 25u, 50u, 100u };
static const uint16_t ranges_g[] = { 2u, 4u, 8u, 16u };

/* The action of each command id the device knows; the gaps are FW_CMD_UNKNOWN (0). */
static const uint8_t kind_of[] = {
	[NP_CMD_START] = FW_CMD_START,
	[NP_CMD_STOP] = FW_CMD_STOP,
	[NP_CMD_SET_RATE] = FW_CMD_SET_RATE,
	[NP_CMD_SET_RANGE] = FW_CMD_SET_RANGE,
	[NP_CMD_VIBRATE] = FW_CMD_VIBRATE,
	[NP_CMD_IDENTIFY] = FW_CMD_VIBRATE,
	[NP_CMD_SELF_TEST] = FW_CMD_SELF_TEST,
	[NP_CMD_HELLO] = FW_CMD_HELLO,
	[NP_CMD_SET_ALERT] = FW_CMD_SET_ALERT,
	[NP_CMD_STATUS] = FW_CMD_STATUS,
};

static bool one_of(const uint16_t *values, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++) {
		if (values[i] == v)
			return true;
	}
	return false;
}

/* Level 0 with duration 0 stops the motor; level 0 for a time would be a silent buzz: a host bug. */
static bool vibrate_ok(uint8_t level, uint16_t duration_ms)
{
	return level <= FW_MOTOR_LEVEL_MAX && (level != 0 || duration_ms == 0);
}

static uint8_t ok_or_bad_arg(bool ok)
{
	return ok ? NP_ACK_OK : NP_ACK_BAD_ARG;
}

void fw_command_decide(const struct np_command *c, struct fw_cmd_action *act)
{
	memset(act, 0, sizeof *act);
	act->cmd = c->cmd;
	act->kind = c->cmd < COUNT(kind_of) ? (enum fw_cmd_kind)kind_of[c->cmd] : FW_CMD_UNKNOWN;
	act->result = act->kind == FW_CMD_UNKNOWN ? NP_ACK_UNSUPPORTED : NP_ACK_OK;

	/* Only these carry arguments; the others ignore theirs (docs/PROTOCOL.md 4.6). */
	switch (c->cmd) {
	case NP_CMD_SET_RATE:
		act->arg.rate_hz = c->arg16;
		act->result = ok_or_bad_arg(one_of(rates_hz, COUNT(rates_hz), c->arg16));
		break;
	case NP_CMD_SET_RANGE:
		act->arg.range_g = c->arg8;
		act->result = ok_or_bad_arg(one_of(ranges_g, COUNT(ranges_g), c->arg8));
		break;
	case NP_CMD_VIBRATE:
		act->arg.vibrate.level = c->arg8;
		act->arg.vibrate.duration_ms = c->arg16;
		act->arg.vibrate.pattern = c->arg32;
		act->result = ok_or_bad_arg(vibrate_ok(c->arg8, c->arg16));
		break;
	case NP_CMD_IDENTIFY:
		act->arg.vibrate.level = FW_MOTOR_IDENTIFY_LEVEL;
		act->arg.vibrate.duration_ms = FW_MOTOR_IDENTIFY_MS;
		act->arg.vibrate.pattern = FW_MOTOR_IDENTIFY_PATTERN;
		break;
	case NP_CMD_SET_ALERT:
		act->arg.alert.avoid_mask = c->arg8;
		act->arg.alert.hold_s = c->arg16;
		act->arg.alert.delay_s = c->arg32;
		act->result = ok_or_bad_arg(fw_alert_settings_valid(c->arg8, c->arg16, c->arg32));
		break;
	default:
		break;
	}
}

void fw_command_decode(const uint8_t *payload, size_t len, struct fw_cmd_action *act)
{
	struct np_command c;

	if (np_command_decode(payload, len, &c) == NP_OK) {
		fw_command_decide(&c, act);
		return;
	}
	memset(act, 0, sizeof *act);
	/* The ACK names what the host tried, as far as it got. */
	act->cmd = len > 0 ? payload[0] : 0;
	act->result = NP_ACK_BAD_ARG;
	act->kind = FW_CMD_UNKNOWN;
}
