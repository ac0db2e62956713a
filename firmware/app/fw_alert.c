#include <string.h>

#include "fw_alert.h"
#include "np_err.h"

/* Valid avoid-mask bits: supine..upright. */
#define MASK_VALID (NP_POS_BIT(NP_POS_SUPINE) | NP_POS_BIT(NP_POS_PRONE) | \
		    NP_POS_BIT(NP_POS_LEFT) | NP_POS_BIT(NP_POS_RIGHT) | NP_POS_BIT(NP_POS_UPRIGHT))

static void reset_state(struct fw_alert *a)
{
	struct np_posture_cfg cfg;

	np_posture_cfg_default(&cfg);
	cfg.min_dwell_ms = FW_ALERT_DWELL_MS;
	np_posture_tracker_init(&a->tracker, &cfg);
	a->have_g = false;
	a->state = NP_ALERT_IDLE;
	a->level = 0;
	a->position = NP_POS_UNKNOWN;
	a->started = false;
}

void fw_alert_init(struct fw_alert *a)
{
	memset(a, 0, sizeof *a);
	a->avoid_mask = (uint8_t)NP_POS_BIT(NP_POS_PRONE);
	a->hold_ms = FW_ALERT_DEFAULT_HOLD_S * 1000u;
	a->delay_ms = FW_ALERT_DEFAULT_DELAY_S * 1000u;
	a->escalate_ms = FW_ALERT_ESCALATE_MS;
	reset_state(a);
}

bool fw_alert_settings_valid(uint8_t avoid_mask, uint32_t hold_s, uint32_t delay_s)
{
	if ((avoid_mask & ~MASK_VALID) != 0 || (avoid_mask != 0 && hold_s == 0))
		return false;
	return hold_s <= FW_ALERT_SETTING_MAX_S && delay_s <= FW_ALERT_SETTING_MAX_S;
}

int fw_alert_configure(struct fw_alert *a, uint8_t avoid_mask, uint32_t hold_s, uint32_t delay_s)
{
	if (!fw_alert_settings_valid(avoid_mask, hold_s, delay_s))
		return NP_ERR_ARG;
	a->avoid_mask = avoid_mask;
	a->hold_ms = hold_s * 1000u;
	a->delay_ms = delay_s * 1000u;
	reset_state(a);
	return NP_OK;
}

static void make_event(struct np_event *ev, uint32_t tick, uint8_t kind, uint8_t position,
		       uint8_t level, uint32_t value)
{
	memset(ev, 0, sizeof *ev);
	ev->tick = tick;
	ev->kind = kind;
	ev->position = position;
	ev->level = level;
	ev->value = value;
}

bool fw_alert_update(struct fw_alert *a, enum np_position pos, uint32_t tick,
		     struct np_event *ev)
{
	a->position = (uint8_t)pos;
	if (a->avoid_mask == 0) {
		a->state = NP_ALERT_IDLE;
		a->level = 0;
		return false;
	}
	if (!a->started) {
		a->started = true;
		a->start_tick = tick;
	}
	if (a->state == NP_ALERT_IDLE) {
		if (tick - a->start_tick < a->delay_ms)
			return false;
		a->state = NP_ALERT_ARMED;
	}

	bool known = pos != NP_POS_UNKNOWN;
	bool avoided = known && (a->avoid_mask & NP_POS_BIT(pos)) != 0;

	switch (a->state) {
	case NP_ALERT_ARMED:
		if (avoided) {
			a->state = NP_ALERT_COUNTING;
			a->since_tick = tick;
		}
		return false;
	case NP_ALERT_COUNTING:
		if (!avoided) {
			a->state = NP_ALERT_ARMED;
			return false;
		}
		if (tick - a->since_tick < a->hold_ms)
			return false;
		a->state = NP_ALERT_FIRING;
		a->level = 1;
		a->fire_tick = a->step_tick = tick;
		make_event(ev, tick, NP_EVENT_ALERT_FIRED, (uint8_t)pos, a->level,
			   (tick - a->since_tick) / 1000u);
		return true;
	case NP_ALERT_FIRING:
		/* Unknown (moving, or lying oddly) is not yet a new position: keep going. */
		if (known && !avoided) {
			a->state = NP_ALERT_ARMED;
			a->level = 0;
			make_event(ev, tick, NP_EVENT_ALERT_CLEARED, (uint8_t)pos, 0,
				   (tick - a->fire_tick) / 1000u);
			return true;
		}
		if (a->level < FW_ALERT_LEVEL_MAX && tick - a->step_tick >= a->escalate_ms) {
			a->level++;
			a->step_tick = tick;
			make_event(ev, tick, NP_EVENT_ALERT_FIRED, (uint8_t)a->position, a->level,
				   (tick - a->since_tick) / 1000u);
			return true;
		}
		return false;
	default:
		return false;
	}
}

bool fw_alert_feed_sample(struct fw_alert *a, const struct np_sample *s, uint16_t lsb_per_g,
			  uint32_t tick, struct np_event *ev)
{
	float k = 1.0f / (float)(lsb_per_g ? lsb_per_g : 1000u);
	struct np_vec3 v = { (float)s->x * k, (float)s->y * k, (float)s->z * k };

	if (a->avoid_mask == 0)
		return fw_alert_update(a, NP_POS_UNKNOWN, tick, ev);
	/* A short low-pass (about 8 samples) keeps breathing and jolts out of the angle. */
	if (!a->have_g) {
		a->g = v;
		a->have_g = true;
	} else {
		a->g.x += (v.x - a->g.x) * 0.125f;
		a->g.y += (v.y - a->g.y) * 0.125f;
		a->g.z += (v.z - a->g.z) * 0.125f;
	}
	enum np_position pos = np_posture_tracker_feed(&a->tracker, a->g, tick);
	return fw_alert_update(a, pos, tick, ev);
}

uint8_t fw_alert_motor_level(const struct fw_alert *a, uint32_t now_ms)
{
	if (a->state != NP_ALERT_FIRING || a->level == 0)
		return 0;
	return (now_ms - a->fire_tick) % FW_ALERT_PULSE_MS < FW_ALERT_PULSE_ON_MS ? a->level : 0;
}
