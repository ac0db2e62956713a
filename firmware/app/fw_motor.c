#include <string.h>

#include "fw_motor.h"

void fw_motor_init(struct fw_motor *m)
{
	memset(m, 0, sizeof *m);
}

void fw_motor_play(struct fw_motor *m, uint8_t level, uint32_t duration_ms, uint32_t pattern,
		   uint32_t now_ms)
{
	m->start_ms = now_ms;
	m->duration_ms = duration_ms;
	m->pattern = pattern;
	m->level = level;
	m->active = duration_ms > 0 && level > 0;
}

uint8_t fw_motor_level(struct fw_motor *m, uint32_t now_ms)
{
	if (!m->active)
		return 0;
	uint32_t t = now_ms - m->start_ms;
	if (t >= m->duration_ms) {
		m->active = false;
		return 0;
	}
	if (m->pattern == 0)
		return m->level;
	uint32_t slot = (t / FW_MOTOR_SLOT_MS) % 32u;
	return (m->pattern >> slot) & 1u ? m->level : 0;
}
