/*
 * Host -> device commands, decided without touching the device: a COMMAND
 * payload becomes one struct fw_cmd_action (what to do, with arguments already
 * validated, or the ACK result that refuses it). The module knows nothing of
 * struct fw_app; fw_app.c carries the action out and sends the one ACK every
 * COMMAND frame gets. Frames of other types, garbage, bad CRCs and oversize
 * frames never reach here: the app drops them and counts them in
 * STATUS.link_rx_errors.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_COMMAND_H
#define NIGHTPOSE_FIRMWARE_APP_FW_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"

enum fw_cmd_kind {
	FW_CMD_UNKNOWN = 0, /* unknown id or undecodable payload: nothing to do */
	FW_CMD_START,
	FW_CMD_STOP,
	FW_CMD_SET_RATE,   /* arg.rate_hz */
	FW_CMD_SET_RANGE,  /* arg.range_g */
	FW_CMD_VIBRATE,    /* arg.vibrate; IDENTIFY is a VIBRATE of the identify pattern */
	FW_CMD_SELF_TEST,
	FW_CMD_HELLO,      /* send HELLO now */
	FW_CMD_SET_ALERT,  /* arg.alert */
	FW_CMD_STATUS,     /* send STATUS now */
};

struct fw_cmd_action {
	uint8_t cmd;            /* command id as received, for the ACK */
	/*
	 * NP_ACK_OK: carry the action out (which may still end in NP_ACK_FAILED).
	 * NP_ACK_BAD_ARG or NP_ACK_UNSUPPORTED: answer with it and change nothing.
	 */
	uint8_t result;
	enum fw_cmd_kind kind;  /* set even when result refuses the command */
	union {
		uint16_t rate_hz;
		uint8_t range_g;
		struct {
			uint8_t level;        /* 0..FW_MOTOR_LEVEL_MAX; 0 with duration 0 stops */
			uint32_t duration_ms;
			uint32_t pattern;     /* struct fw_motor pattern bits */
		} vibrate;
		struct {
			uint8_t avoid_mask;
			uint32_t hold_s;
			uint32_t delay_s;
		} alert;
	} arg;                  /* as received even when refused; act on it only after NP_ACK_OK */
};

/* Decide what command c asks for; fills every field of *act. Pure: no device state. */
void fw_command_decide(const struct np_command *c, struct fw_cmd_action *act);

/*
 * Decode a COMMAND frame's payload (len bytes, borrowed for the call) and decide
 * it. A payload that does not decode gives kind FW_CMD_UNKNOWN, result
 * NP_ACK_BAD_ARG and cmd = its first byte (0 when empty).
 */
void fw_command_decode(const uint8_t *payload, size_t len, struct fw_cmd_action *act);

#endif
