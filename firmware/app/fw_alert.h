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

#include "np_msg.h"
#include "np_posture.h"

#define FW_ALERT_DEFAULT_DELAY_S 900u /* 15 minutes to fall asleep */
#define FW_ALERT_DEFAULT_HOLD_S 30u
#define FW_ALERT_ESCALATE_MS 10000u
/* Position changes shorter than this are ignored (turning over passes through prone). */
#define FW_ALERT_DWELL_MS 2000u
#define FW_ALERT_LEVEL_MAX 3u
/* While firing: motor on FW_ALERT_PULSE_ON_MS out of every FW_ALERT_PULSE_MS. */
#define FW_ALERT_PULSE_MS 1000u
#define FW_ALERT_PULSE_ON_MS 600u

struct fw_alert {
	uint8_t avoid_mask; /* NP_POS_BIT() of positions to avoid; 0 disables */
	uint32_t hold_ms;
	uint32_t delay_ms;
	uint32_t escalate_ms;

	struct np_posture_tracker tracker;
	struct np_vec3 g;   /* low-passed gravity, in g */
	bool have_g;

	uint8_t state;      /* enum np_alert_state */
	uint8_t level;      /* 0 off, 1..FW_ALERT_LEVEL_MAX */
	uint8_t position;   /* last tracked position */
	bool started;
	uint32_t start_tick;
	uint32_t since_tick; /* entered the avoided position */
	uint32_t fire_tick;
	uint32_t step_tick;
};

/* Defaults: avoid prone, 30 s, 15 min start delay. */
void fw_alert_init(struct fw_alert *a);
/*
 * Longest hold time and start delay, one day: keeps their millisecond products
 * well inside 32 bits (which wrap after 49 days).
 */
#define FW_ALERT_SETTING_MAX_S 86400u

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
 * Advance the state machine with the position reported at tick (ms).
 * Returns true and fills *ev when an EVENT should be sent.
 */
bool fw_alert_update(struct fw_alert *a, enum np_position pos, uint32_t tick,
		     struct np_event *ev);

/* Feed one sample (counts, lsb_per_g counts per g): low-pass, classify, update. */
bool fw_alert_feed_sample(struct fw_alert *a, const struct np_sample *s, uint16_t lsb_per_g,
			  uint32_t tick, struct np_event *ev);

/* Motor level the alert asks for at now_ms (pulsed while firing). */
uint8_t fw_alert_motor_level(const struct fw_alert *a, uint32_t now_ms);

#endif
