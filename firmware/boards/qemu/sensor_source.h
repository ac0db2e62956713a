/*
 * The QEMU board's accelerometers: QEMU models no accelerometer and no I2C, so
 * samples come from USART2 in 7-byte records
 *
 *     0xA5  x_lo x_hi  y_lo y_hi  z_lo z_hi      (int16 little-endian, milli-g)
 *
 * (0xA6 instead of 0xA5: a sample of the second sensor, on the thigh) and, as
 * long as no byte has ever arrived on USART2, from a built-in synthetic night
 * (chest only). Pure logic over a byte source and a clock, no registers.
 */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_QEMU_SENSOR_SOURCE_H
#define NIGHTPOSE_FIRMWARE_BOARDS_QEMU_SENSOR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"

#define QSRC_SYNC 0xA5u        /* sensor 0 (chest); sensor id = start byte - QSRC_SYNC */
#define QSRC_SYNC_1 0xA6u      /* sensor 1 (thigh) */
#define QSRC_RECORD_LEN 7u
#define QSRC_SENSORS 2u
/* Parsed samples wait here per sensor until the app reads that sensor. */
#define QSRC_QUEUE_LEN 32u

struct qsrc {
	/* Record parser. */
	uint8_t rec[QSRC_RECORD_LEN];
	uint8_t fill;
	uint32_t sync_errors;  /* bytes skipped looking for 0xA5 or 0xA6 */
	bool external;         /* a byte came on USART2: the synthetic night is off for good */
	bool seen_1;           /* a record of sensor 1 arrived: the board has a thigh sensor */
	struct np_sample queue[QSRC_SENSORS][QSRC_QUEUE_LEN];
	uint8_t queued[QSRC_SENSORS];
	/* Synthetic night. */
	unsigned rate_hz;
	uint32_t next_ms;
	uint32_t rng;
};

void qsrc_init(struct qsrc *q);
void qsrc_configure(struct qsrc *q, unsigned rate_hz, uint32_t now_ms);

/*
 * Parse bytes from USART2 into the per-sensor queues; returns the bytes used
 * (it stops before a record whose queue is full).
 */
size_t qsrc_parse(struct qsrc *q, const uint8_t *in, size_t len);
/* Bytes that qsrc_parse() will surely take whatever the records are. */
size_t qsrc_room(const struct qsrc *q);
/* Move up to cap queued samples of sensor id (0 or 1), oldest first, into out. */
size_t qsrc_take(struct qsrc *q, unsigned id, struct np_sample *out, size_t cap);

/* Synthetic samples due by now_ms (at most cap), in milli-g in the body frame. */
size_t qsrc_synth(struct qsrc *q, uint32_t now_ms, struct np_sample *out, size_t cap);

/* The synthetic night's position at t_ms (for the README and tests): enum np_position. */
unsigned qsrc_synth_position(uint32_t t_ms);

#endif
