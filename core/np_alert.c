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
}

int np_alert_cfg_from_s(struct np_alert_cfg *cfg, uint32_t avoid_mask, uint32_t hold_s,
			uint32_t delay_s)
{
	if ((avoid_mask & ~(uint32_t)NP_ALERT_MASK_VALID) != 0 || (avoid_mask != 0 && hold_s == 0) ||
	    hold_s > NP_ALERT_SECONDS_MAX || delay_s > NP_ALERT_SECONDS_MAX)
		return NP_ERR_ARG;
	cfg->avoid_mask = avoid_mask;
	cfg->hold_ms = hold_s * 1000u;
	cfg->delay_ms = delay_s * 1000u;
	cfg->first_repeat_ms = NP_ALERT_FIRST_REPEAT_MS;
	cfg->repeat_ms = NP_ALERT_REPEAT_MS;
	return NP_OK;
}

void np_alert_init(struct np_alert *a, const struct np_alert_cfg *cfg)
{
	memset(a, 0, sizeof *a);
	a->cfg = *cfg;
	a->state = NP_ALERT_IDLE;
	a->position = NP_POS_UNKNOWN;
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
		if (!avoided)
			return false;
		a->state = NP_ALERT_COUNTING;
		/* The hold counts from the entry, but not from inside the start delay:
		 * who fell asleep prone during it gets a whole hold after it. */
		a->since_ms = (int32_t)(since_ms - a->armed_ms) > 0 ? since_ms : a->armed_ms;
		/* fall through */
	case NP_ALERT_COUNTING:
		if (!avoided) {
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
