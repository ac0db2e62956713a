/*
 * The positional alert, one state machine for the firmware and the host, as
 * positional-therapy devices do it: after a start delay, a position to avoid
 * held for hold_ms fires an alert (level 1); while the wearer stays, level 2
 * follows first_repeat_ms later, then level 3, repeated every repeat_ms.
 * The hold counts from the time the wearer entered the position, or from the
 * end of the start delay when that is later.
 * Leaving for a known position that is not avoided clears it; an unknown
 * position (moving, lying oddly) neither starts nor clears an alert.
 *
 * Tick-driven: the caller feeds the tracked position, the time the wearer
 * entered it and the current time, all in the same millisecond clock (device
 * time: sample ticks on the firmware, sample times on the host), so that the
 * same samples give the same alerts on both sides. No allocation, no I/O.
 */
#ifndef NIGHTPOSE_CORE_NP_ALERT_H
#define NIGHTPOSE_CORE_NP_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_posture.h"

#define NP_ALERT_LEVEL_MAX 3u
/* Level 1 -> 2 after 20 s, then a step (or a repeat at level 3) every 10 s. */
#define NP_ALERT_FIRST_REPEAT_MS 20000u
#define NP_ALERT_REPEAT_MS 10000u
/*
 * Asleep, for the alert: the trunk's angle (anglez, GGIR's angle of the chest axis to
 * the horizontal) has not moved more than NP_ALERT_STILL_DEG for NP_ALERT_STILL_MS,
 * the sustained-inactivity rule of van Hees et al. 2015 (5 degrees, 5 minutes) that the
 * sleep analysis uses. Positional therapy devices do not buzz someone awake.
 */
#define NP_ALERT_STILL_DEG 5.0f
#define NP_ALERT_STILL_MS (5u * 60u * 1000u)
/* Longest hold and delay (a day): keeps every millisecond product inside 32 bits. */
#define NP_ALERT_SECONDS_MAX 86400u
/* Avoid-mask bits an alert may hold: supine .. upright. */
#define NP_ALERT_MASK_VALID                                                                   \
	(NP_POS_BIT(NP_POS_SUPINE) | NP_POS_BIT(NP_POS_PRONE) | NP_POS_BIT(NP_POS_LEFT) |     \
	 NP_POS_BIT(NP_POS_RIGHT) | NP_POS_BIT(NP_POS_UPRIGHT))

struct np_alert_cfg {
	uint32_t avoid_mask;      /* NP_POS_BIT() of positions to avoid; 0 disables */
	uint32_t hold_ms;         /* in an avoided position this long: level 1 */
	uint32_t delay_ms;        /* no alert within this long of the first update */
	uint32_t first_repeat_ms; /* level 1 -> 2 */
	uint32_t repeat_ms;       /* each later step, and the repeats at the top level */
	uint32_t still_ms;        /* 0: alert whenever lying; else only after this long still */
};

/* The device's built-in settings: prone, 30 s hold, 15 min delay; the repeats above. */
void np_alert_cfg_default(struct np_alert_cfg *cfg);

/*
 * cfg from seconds, as SET_ALERT and the host's options give them; delay_arg is the
 * delay in seconds, with NP_ALERT_ARG_ASLEEP (np_msg.h) to alert only while asleep.
 * Returns NP_OK, or NP_ERR_ARG (cfg untouched) for mask bits outside supine..upright,
 * a zero hold with a non-zero mask, or a hold or delay above NP_ALERT_SECONDS_MAX.
 */
int np_alert_cfg_from_s(struct np_alert_cfg *cfg, uint32_t avoid_mask, uint32_t hold_s,
			uint32_t delay_arg);

struct np_alert {
	struct np_alert_cfg cfg;
	uint8_t state;      /* enum np_alert_state (np_msg.h) */
	uint8_t level;      /* 0 off, 1..NP_ALERT_LEVEL_MAX */
	uint8_t position;   /* position last fed */
	bool started;
	uint32_t start_ms;  /* first update: the delay counts from here */
	uint32_t armed_ms;  /* the delay ended */
	uint32_t since_ms;  /* the wearer entered the avoided position */
	uint32_t fire_ms;   /* level 1 fired */
	uint32_t next_ms;   /* next step or repeat */
	bool have_angle;
	float still_angle_deg;  /* anglez when the trunk last moved */
	uint32_t still_since_ms;
};

/* Idle with cfg (copied); the delay counts from the next update. */
void np_alert_init(struct np_alert *a, const struct np_alert_cfg *cfg);

/*
 * The trunk's angle anglez_deg (atan(z / sqrt(x^2 + y^2)), body frame) at now_ms, as
 * often as positions are fed; a move of more than NP_ALERT_STILL_DEG from the angle
 * at the last move starts the stillness again. Only with cfg.still_ms.
 */
void np_alert_angle(struct np_alert *a, float anglez_deg, uint32_t now_ms);

/*
 * Advance to now_ms with the tracked position pos, which the wearer entered at
 * since_ms (<= now_ms). Returns true and fills *ev (tick = now_ms) when an alert
 * fires (NP_EVENT_ALERT_FIRED: position, level, value = seconds in the position)
 * or clears (NP_EVENT_ALERT_CLEARED: the new position, value = seconds alerting).
 * With cfg.still_ms an alert starts only once the trunk has been still that long (the
 * hold counting from then at the earliest); a firing alert goes on if the wearer moves.
 * At most one event per call.
 */
bool np_alert_update(struct np_alert *a, enum np_position pos, uint32_t since_ms, uint32_t now_ms,
		     struct np_event *ev);

#endif
