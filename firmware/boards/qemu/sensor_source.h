/*
 * The QEMU board's accelerometer: QEMU models no accelerometer and no I2C, so
 * samples come from USART2 in 7-byte records
 *
 *     0xA5  x_lo x_hi  y_lo y_hi  z_lo z_hi      (int16 little-endian, milli-g)
 *
 * and, as long as no byte has ever arrived on USART2, from a built-in
 * synthetic night. Pure logic over a byte source and a clock, no registers.
 */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_QEMU_SENSOR_SOURCE_H
#define NIGHTPOSE_FIRMWARE_BOARDS_QEMU_SENSOR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"

#define QSRC_SYNC 0xA5u
#define QSRC_RECORD_LEN 7u

struct qsrc {
	/* Record parser. */
	uint8_t rec[QSRC_RECORD_LEN];
	uint8_t fill;
	uint32_t sync_errors;  /* bytes skipped looking for 0xA5 */
	bool external;         /* a byte came on USART2: the synthetic night is off for good */
	/* Synthetic night. */
	unsigned rate_hz;
	uint32_t next_ms;
	uint32_t rng;
};

void qsrc_init(struct qsrc *q);
void qsrc_configure(struct qsrc *q, unsigned rate_hz, uint32_t now_ms);

/*
 * Parse bytes from USART2 into out (up to cap samples); returns the bytes
 * used (stops early when out is full) and the samples in *got.
 */
size_t qsrc_parse(struct qsrc *q, const uint8_t *in, size_t len, struct np_sample *out,
		  size_t cap, size_t *got);

/* Synthetic samples due by now_ms (at most cap), in milli-g in the body frame. */
size_t qsrc_synth(struct qsrc *q, uint32_t now_ms, struct np_sample *out, size_t cap);

/* The synthetic night's position at t_ms (for the README and tests): enum np_position. */
unsigned qsrc_synth_position(uint32_t t_ms);

#endif
