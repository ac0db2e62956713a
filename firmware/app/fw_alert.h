/*
 * On-device positional alert, as positional-therapy devices do it: after a
 * start delay, a position to avoid held for hold_ms makes the motor vibrate,
 * one step stronger every escalate_ms, until the wearer leaves the position.
 * Runs on sample ticks, so it needs no host and no wall clock; each state change
 * that matters to the wearer produces an EVENT.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_ALERT_H
#define NIGHTPOSE_FIRMWARE_APP_FW_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "np_alert.h"
#include "np_msg.h"
#include "np_posture.h"

/* Position changes shorter than this are ignored (turning over passes through prone). */
#define FW_ALERT_DWELL_MS 2000u
#define FW_ALERT_LEVEL_MAX NP_ALERT_LEVEL_MAX
/* While firing: motor on FW_ALERT_PULSE_ON_MS out of every FW_ALERT_PULSE_MS. */
#define FW_ALERT_PULSE_MS 1000u
#define FW_ALERT_PULSE_ON_MS 600u

/*
 * The decisions are core/np_alert.h's, the engine the host runs too; this adds
 * what only the device has: its own posture tracking of raw samples and the motor.
 */
struct fw_alert {
	struct np_alert engine;
	struct np_posture_tracker tracker;
	struct np_vec3 g;   /* low-passed gravity, in g */
	bool have_g;
	uint8_t fed;        /* position last given to fw_alert_update() */
	uint32_t fed_since; /* ... and when it was first given */
};

/* Defaults: avoid prone, 30 s, 15 min start delay. */
void fw_alert_init(struct fw_alert *a);
/* Longest hold time and start delay (np_alert.h). */
#define FW_ALERT_SETTING_MAX_S NP_ALERT_SECONDS_MAX

/*
 * Whether fw_alert_configure() takes these settings: false for a mask with bits
 * outside supine..upright, a zero hold time with a non-zero mask, or a time over
 * FW_ALERT_SETTING_MAX_S. Pure, for the command decoder.
 */
bool fw_alert_settings_valid(uint8_t avoid_mask, uint32_t hold_s, uint32_t delay_s);
/*
 * Reconfigure; the start delay counts again from the next sample.
 * NP_ERR_ARG when fw_alert_settings_valid() is false (nothing changes then).
 */
int fw_alert_configure(struct fw_alert *a, uint8_t avoid_mask, uint32_t hold_s, uint32_t delay_s);

/*
 * Advance the state machine with the position reported at tick (ms); the wearer
 * entered pos when it was first given. Returns true and fills *ev when an EVENT
 * should be sent.
 */
bool fw_alert_update(struct fw_alert *a, enum np_position pos, uint32_t tick,
		     struct np_event *ev);

/* Feed one sample (counts, lsb_per_g counts per g): low-pass, classify, update. */
bool fw_alert_feed_sample(struct fw_alert *a, const struct np_sample *s, uint16_t lsb_per_g,
			  uint32_t tick, struct np_event *ev);

/* Motor level the alert asks for at now_ms (pulsed while firing). */
uint8_t fw_alert_motor_level(const struct fw_alert *a, uint32_t now_ms);

#endif
