#include <string.h>

#include "fw_alert.h"
#include "np_err.h"

/* Low-pass of the gravity vector: about 8 samples, enough to keep breathing and
 * jolts out of the angle. */
#define LOWPASS_K 0.125f

static void reset_tracking(struct fw_alert *a)
{
	struct np_posture_cfg cfg;

	np_posture_cfg_default(&cfg);
	cfg.min_dwell_ms = FW_ALERT_DWELL_MS;
	np_posture_tracker_init(&a->tracker, &cfg);
	a->have_g = false;
	a->fed = NP_POS_UNKNOWN;
	a->fed_since = 0;
}

void fw_alert_init(struct fw_alert *a)
{
	struct np_alert_cfg cfg;

	memset(a, 0, sizeof *a);
	np_alert_cfg_default(&cfg);
	np_alert_init(&a->engine, &cfg);
	reset_tracking(a);
}

bool fw_alert_settings_valid(uint8_t avoid_mask, uint32_t hold_s, uint32_t delay_s)
{
	struct np_alert_cfg cfg;
	return np_alert_cfg_from_s(&cfg, avoid_mask, hold_s, delay_s) == NP_OK;
}

int fw_alert_configure(struct fw_alert *a, uint8_t avoid_mask, uint32_t hold_s, uint32_t delay_s)
{
	struct np_alert_cfg cfg;
	if (np_alert_cfg_from_s(&cfg, avoid_mask, hold_s, delay_s) != NP_OK)
		return NP_ERR_ARG;
	np_alert_init(&a->engine, &cfg);
	reset_tracking(a);
	return NP_OK;
}

bool fw_alert_update(struct fw_alert *a, enum np_position pos, uint32_t tick,
		     struct np_event *ev)
{
	if (pos != a->fed) {
		a->fed = (uint8_t)pos;
		a->fed_since = tick;
	}
	return np_alert_update(&a->engine, pos, a->fed_since, tick, ev);
}

bool fw_alert_feed_sample(struct fw_alert *a, const struct np_sample *s, uint16_t lsb_per_g,
			  uint32_t tick, struct np_event *ev)
{
	float k = 1.0f / (float)(lsb_per_g ? lsb_per_g : 1000u);
	struct np_vec3 v = { (float)s->x * k, (float)s->y * k, (float)s->z * k };

	if (a->engine.cfg.avoid_mask == 0)
		return np_alert_update(&a->engine, NP_POS_UNKNOWN, tick, tick, ev);
	if (!a->have_g) {
		a->g = v;
		a->have_g = true;
	} else {
		a->g.x += (v.x - a->g.x) * LOWPASS_K;
		a->g.y += (v.y - a->g.y) * LOWPASS_K;
		a->g.z += (v.z - a->g.z) * LOWPASS_K;
	}
	enum np_position pos = np_posture_tracker_feed(&a->tracker, a->g, tick);
	if (a->engine.cfg.still_ms)
		np_alert_angle(&a->engine, np_anglez_deg(a->g), tick);
	/* The tracker knows when the wearer entered the position: before its dwell. */
	return np_alert_update(&a->engine, pos, a->tracker.current_since_ms, tick, ev);
}

uint8_t fw_alert_motor_level(const struct fw_alert *a, uint32_t now_ms)
{
	const struct np_alert *e = &a->engine;
	if (e->state != NP_ALERT_FIRING || e->level == 0)
		return 0;
	return (now_ms - e->fire_ms) % FW_ALERT_PULSE_MS < FW_ALERT_PULSE_ON_MS ? e->level : 0;
}
