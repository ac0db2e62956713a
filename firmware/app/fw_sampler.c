#include <string.h>

#include "fw_sampler.h"

#define RING_MASK (FW_SAMPLER_RING_LEN - 1u)

void fw_sampler_init(struct fw_sampler *s)
{
	memset(s, 0, sizeof *s);
	s->period_ms = 40u;
}

void fw_sampler_start(struct fw_sampler *s, unsigned rate_hz)
{
	s->period_ms = rate_hz > 0 ? 1000u / rate_hz : 40u;
	s->have_tick = false;
	s->running = true;
}

void fw_sampler_stop(struct fw_sampler *s)
{
	s->running = false;
	s->have_tick = false;
}

void fw_sampler_clear(struct fw_sampler *s)
{
	s->tail = s->head;
	s->have_tick = false;
}

size_t fw_sampler_count(const struct fw_sampler *s)
{
	return (size_t)(s->head - s->tail);
}

uint32_t fw_sampler_push(struct fw_sampler *s, const struct np_sample *v, size_t n,
			 uint32_t now_ms, bool overrun)
{
	if (!s->running || n == 0)
		return now_ms;
	if (overrun)
		s->fifo_overruns++;

	/*
	 * The newest of these samples was taken about now. Keep counting periods
	 * while the sensor keeps up (a source may even run ahead of the clock), but
	 * restart from the clock after a loss or when the count has fallen behind
	 * by more than a few periods: a frame's ticks must be evenly spaced.
	 */
	uint32_t span = (uint32_t)(n - 1u) * s->period_ms;
	uint32_t slack = s->period_ms * 4u > 200u ? s->period_ms * 4u : 200u;
	if (!s->have_tick || overrun || (int32_t)(now_ms - (s->next_tick + span)) > (int32_t)slack) {
		s->next_tick = now_ms - span;
		s->have_tick = true;
	}
	uint32_t first = s->next_tick;

	for (size_t i = 0; i < n; i++) {
		if (fw_sampler_count(s) >= FW_SAMPLER_RING_LEN) {
			/* Keep the oldest: the remaining samples of this batch are lost, and
			 * the next accepted one starts a new run of ticks. */
			s->samples_dropped += (uint32_t)(n - i);
			s->have_tick = false;
			return first;
		}
		struct fw_sample_rec *r = &s->ring[s->head & RING_MASK];
		r->tick = s->next_tick;
		r->s = v[i];
		s->head++;
		s->next_tick += s->period_ms;
	}
	return first;
}

const struct fw_sample_rec *fw_sampler_peek(const struct fw_sampler *s, size_t i)
{
	if (i >= fw_sampler_count(s))
		return NULL;
	return &s->ring[(s->tail + (uint32_t)i) & RING_MASK];
}

void fw_sampler_consume(struct fw_sampler *s, size_t n)
{
	size_t c = fw_sampler_count(s);
	s->tail += (uint32_t)(n < c ? n : c);
}
