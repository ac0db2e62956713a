#include <string.h>

#include "np_alert.h"
#include "np_err.h"

void np_alert_cfg_default(struct np_alert_cfg *cfg)
{
	cfg->avoid_mask = NP_POS_BIT(NP_POS_PRONE);
	cfg->hold_ms = 30u * 1000u;
	cfg->delay_ms = 900u * 1000u; /* 15 minutes to fall asleep */
	cfg->first_repeat_ms = NP_ALERT_FIRST_REPEAT_MS;
	cfg->repeat_ms = NP_ALERT_REPEAT_MS;
	cfg->still_ms = 0;
}

int np_alert_cfg_from_s(struct np_alert_cfg *cfg, uint32_t avoid_mask, uint32_t hold_s,
			uint32_t delay_arg)
{
	uint32_t delay_s = delay_arg & ~NP_ALERT_ARG_ASLEEP;
	if ((avoid_mask & ~(uint32_t)NP_ALERT_MASK_VALID) != 0 || (avoid_mask != 0 && hold_s == 0) ||
	    hold_s > NP_ALERT_SECONDS_MAX || delay_s > NP_ALERT_SECONDS_MAX)
		return NP_ERR_ARG;
	cfg->avoid_mask = avoid_mask;
	cfg->hold_ms = hold_s * 1000u;
	cfg->delay_ms = delay_s * 1000u;
	cfg->first_repeat_ms = NP_ALERT_FIRST_REPEAT_MS;
	cfg->repeat_ms = NP_ALERT_REPEAT_MS;
	cfg->still_ms = (delay_arg & NP_ALERT_ARG_ASLEEP) ? NP_ALERT_STILL_MS : 0;
	return NP_OK;
}

void np_alert_init(struct np_alert *a, const struct np_alert_cfg *cfg)
{
	memset(a, 0, sizeof *a);
	a->cfg = *cfg;
	a->state = NP_ALERT_IDLE;
	a->position = NP_POS_UNKNOWN;
}

void np_alert_angle(struct np_alert *a, float anglez_deg, uint32_t now_ms)
{
	float d = anglez_deg - a->still_angle_deg;
	if (!a->have_angle || d > NP_ALERT_STILL_DEG || d < -NP_ALERT_STILL_DEG) {
		a->have_angle = true;
		a->still_angle_deg = anglez_deg;
		a->still_since_ms = now_ms;
	}
}

/* Whether an alert may start: no stillness asked for, or still for long enough. */
static bool asleep(const struct np_alert *a, uint32_t now_ms)
{
	return a->cfg.still_ms == 0 ||
	       (a->have_angle && now_ms - a->still_since_ms >= a->cfg.still_ms);
}

/* When the hold may start counting: the entry, but not before the delay ended nor,
 * with stillness asked for, before the sleeper was still for long enough. */
static uint32_t hold_from(const struct np_alert *a, uint32_t since_ms)
{
	uint32_t t = (int32_t)(since_ms - a->armed_ms) > 0 ? since_ms : a->armed_ms;
	if (a->cfg.still_ms) {
		uint32_t s = a->still_since_ms + a->cfg.still_ms;
		if ((int32_t)(s - t) > 0)
			t = s;
	}
	return t;
}

static bool event(struct np_event *ev, uint32_t now_ms, uint8_t kind, uint8_t position,
		  uint8_t level, uint32_t value)
{
	memset(ev, 0, sizeof *ev);
	ev->tick = now_ms;
	ev->kind = kind;
	ev->position = position;
	ev->level = level;
	ev->value = value;
	return true;
}

/* While firing: the next step, or a repeat at the top level, when it is due. */
static bool step(struct np_alert *a, uint32_t now_ms, struct np_event *ev)
{
	if ((int32_t)(now_ms - a->next_ms) < 0)
		return false;
	if (a->level < NP_ALERT_LEVEL_MAX)
		a->level++;
	a->next_ms = now_ms + a->cfg.repeat_ms;
	return event(ev, now_ms, NP_EVENT_ALERT_FIRED, a->position, a->level,
		     (now_ms - a->since_ms) / 1000u);
}

bool np_alert_update(struct np_alert *a, enum np_position pos, uint32_t since_ms, uint32_t now_ms,
		     struct np_event *ev)
{
	bool known = pos != NP_POS_UNKNOWN;
	bool avoided = known && (a->cfg.avoid_mask & NP_POS_BIT(pos)) != 0;

	if (known)
		a->position = (uint8_t)pos;
	if (a->cfg.avoid_mask == 0 || a->cfg.hold_ms == 0) {
		a->state = NP_ALERT_IDLE;
		a->level = 0;
		return false;
	}
	if (!a->started) {
		a->started = true;
		a->start_ms = now_ms;
	}
	if (a->state == NP_ALERT_IDLE) {
		if (now_ms - a->start_ms < a->cfg.delay_ms)
			return false;
		a->state = NP_ALERT_ARMED;
		a->armed_ms = now_ms;
	}
	switch (a->state) {
	case NP_ALERT_ARMED:
		if (!avoided || !asleep(a, now_ms))
			return false;
		a->state = NP_ALERT_COUNTING;
		/* Who fell asleep prone during the delay gets a whole hold after it. */
		a->since_ms = hold_from(a, since_ms);
		/* fall through */
	case NP_ALERT_COUNTING:
		if (!avoided || !asleep(a, now_ms)) {
			a->state = NP_ALERT_ARMED;
			return false;
		}
		if (now_ms - a->since_ms < a->cfg.hold_ms)
			return false;
		a->state = NP_ALERT_FIRING;
		a->level = 1;
		a->fire_ms = now_ms;
		a->next_ms = now_ms + a->cfg.first_repeat_ms;
		return event(ev, now_ms, NP_EVENT_ALERT_FIRED, a->position, 1,
			     (now_ms - a->since_ms) / 1000u);
	case NP_ALERT_FIRING:
		if (known && !avoided) {
			a->state = NP_ALERT_ARMED;
			a->level = 0;
			return event(ev, now_ms, NP_EVENT_ALERT_CLEARED, (uint8_t)pos, 0,
				     (now_ms - a->fire_ms) / 1000u);
		}
		return step(a, now_ms, ev);
	default:
		return false;
	}
}
