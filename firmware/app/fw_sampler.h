/*
 * Sample ring buffer between the sensor and the link. The producer never
 * blocks: when the ring is full the NEWEST samples are dropped and counted, so
 * what the host receives is the oldest data, contiguous, with the loss visible
 * in STATUS.samples_dropped. Every sample gets a device tick (ms): consecutive
 * samples are one period apart until a gap (sensor overrun, dropped samples,
 * restart), where the tick is resynchronised to the clock.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_SAMPLER_H
#define NIGHTPOSE_FIRMWARE_APP_FW_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"

/*
 * Storage the app owns for all sensors' rings (power of two): 256 samples hold
 * 2.5 s at 100 Hz and 10 s at 25 Hz. With a second sensor each gets half, which
 * costs no RAM (the 8 KiB budget of the Black Pill has no room for another ring).
 */
#define FW_SAMPLER_RING_LEN 256u

struct fw_sample_rec {
	uint32_t tick;
	struct np_sample s;
};

struct fw_sampler {
	struct fw_sample_rec *ring; /* caller-owned */
	uint32_t len;             /* ring slots, a power of two */
	uint32_t head;            /* samples ever written (free-running) */
	uint32_t tail;            /* samples ever consumed (free-running) */
	uint32_t samples_dropped; /* ring full: newest sample discarded */
	uint32_t fifo_overruns;   /* sensor reported its FIFO full before it was read */
	uint32_t period_ms;
	uint32_t next_tick;
	bool have_tick;
	bool running;
	uint8_t sensor_id;        /* SAMPLES.sensor_id of this ring's frames */
};

/* ring: len slots (a power of two), owned by the caller and kept for the sampler's life. */
void fw_sampler_init(struct fw_sampler *s, struct fw_sample_rec *ring, uint32_t len,
		     uint8_t sensor_id);
/*
 * Use only the first len slots of the ring from now on (len a smaller power of
 * two): the queued samples move to the front, oldest first; those that do not
 * fit (the newest) are dropped and counted. Ticks restart from the clock.
 */
void fw_sampler_shrink(struct fw_sampler *s, uint32_t len);
/* Start (or restart) at rate_hz; the next sample's tick is taken from the clock. */
void fw_sampler_start(struct fw_sampler *s, unsigned rate_hz);
/* Stop accepting samples; what is queued stays until consumed or reset. */
void fw_sampler_stop(struct fw_sampler *s);
/* Discard everything queued (counters are kept). */
void fw_sampler_clear(struct fw_sampler *s);

/*
 * Add n samples read from the sensor at now_ms, oldest first. overrun: the
 * sensor lost data before these (forces a tick resync). Ignored when stopped.
 * Returns the tick given to v[0]; v[i] is at that tick + i * period_ms, whether
 * or not it fitted in the ring (the alert follows every sample).
 */
uint32_t fw_sampler_push(struct fw_sampler *s, const struct np_sample *v, size_t n,
		     uint32_t now_ms, bool overrun);

/* Samples queued in the ring, waiting to be sent. */
size_t fw_sampler_count(const struct fw_sampler *s);
/* i-th queued sample (0 = oldest); valid until the next consume/clear. NULL if i >= count. */
const struct fw_sample_rec *fw_sampler_peek(const struct fw_sampler *s, size_t i);
/* Drop the n oldest queued samples (all of them if n >= count). */
void fw_sampler_consume(struct fw_sampler *s, size_t n);

#endif
