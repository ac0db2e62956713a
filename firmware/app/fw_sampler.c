#include <string.h>

#include "fw_sampler.h"

void fw_sampler_init(struct fw_sampler *s, struct fw_sample_rec *ring, uint32_t len,
		     uint8_t sensor_id)
{
	memset(s, 0, sizeof *s);
	s->ring = ring;
	s->len = len;
	s->sensor_id = sensor_id;
	s->period_ms = 40u;
}

static void reverse(struct fw_sample_rec *r, uint32_t n)
{
	for (uint32_t i = 0; i < n / 2u; i++) {
		struct fw_sample_rec t = r[i];
		r[i] = r[n - 1u - i];
		r[n - 1u - i] = t;
	}
}

void fw_sampler_shrink(struct fw_sampler *s, uint32_t len)
{
	if (len >= s->len)
		return;
	/* Rotate the whole ring left by the tail's slot, in place (three reversals:
	 * no scratch buffer), so that the oldest sample sits in slot 0. */
	uint32_t k = s->tail & (s->len - 1u);
	reverse(s->ring, k);
	reverse(s->ring + k, s->len - k);
	reverse(s->ring, s->len);
	uint32_t n = s->head - s->tail;
	if (n > len) {
		s->samples_dropped += n - len;
		n = len;
	}
	s->tail = 0;
	s->head = n;
	s->len = len;
	s->have_tick = false;
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
		if (fw_sampler_count(s) >= s->len) {
			/* Keep the oldest: the remaining samples of this batch are lost, and
			 * the next accepted one starts a new run of ticks. */
			s->samples_dropped += (uint32_t)(n - i);
			s->have_tick = false;
			return first;
		}
		struct fw_sample_rec *r = &s->ring[s->head & (s->len - 1u)];
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
	return &s->ring[(s->tail + (uint32_t)i) & (s->len - 1u)];
}

void fw_sampler_consume(struct fw_sampler *s, size_t n)
{
	size_t c = fw_sampler_count(s);
	s->tail += (uint32_t)(n < c ? n : c);
}
