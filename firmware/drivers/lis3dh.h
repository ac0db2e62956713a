/*
 * LIS3DH 3-axis accelerometer over I2C: identity check, output data rate,
 * range, high-resolution (12-bit) mode, FIFO in stream mode with a watermark,
 * burst reads of the FIFO, and the built-in self-test. Samples come out in
 * milli-g. No allocation; all state is in struct lis3dh.
 */
#ifndef NIGHTPOSE_FIRMWARE_DRIVERS_LIS3DH_H
#define NIGHTPOSE_FIRMWARE_DRIVERS_LIS3DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_board.h"
#include "fw_i2c.h"
#include "np_msg.h"

struct lis3dh {
	struct fw_i2c i2c;
	uint8_t addr;        /* LIS3DH_ADDR_SA0_LOW or _HIGH */
	uint16_t rate_hz;    /* 0 = powered down */
	uint8_t range_g;
	uint8_t watermark;   /* FIFO level that raises WTM (and INT1) */
	uint32_t overruns;   /* FIFO found full (OVRN_FIFO) when read */
};

/*
 * Check WHO_AM_I (NP_ERR_NODEV if it is not 0x33 or nobody answers), reboot the
 * trim registers and leave the chip powered down with block data update on.
 */
int lis3dh_init(struct lis3dh *dev, const struct fw_i2c *i2c, uint8_t addr);

/*
 * rate_hz 10/25/50/100 (0 powers down), range_g 2/4/8/16; high-resolution
 * mode, FIFO in stream mode with a watermark of about a quarter second
 * (at least 1, at most 24 samples) routed to INT1. NP_ERR_ARG otherwise.
 */
int lis3dh_configure(struct lis3dh *dev, unsigned rate_hz, unsigned range_g);

/*
 * Read up to cap samples from the FIFO in one burst, oldest first, in mg.
 * *overrun is set if the FIFO was full (older samples may have been overwritten).
 */
int lis3dh_read_fifo(struct lis3dh *dev, struct np_sample *out, size_t cap, size_t *got,
		     bool *overrun);

/*
 * Self-test as in the datasheet: 50 Hz, +-2 g, normal mode; average 5 samples
 * without and 5 with the positive self-test force; each axis passes when the
 * change lies within LIS3DH_ST_MIN_LSB..LIS3DH_ST_MAX_LSB. Restores the
 * previous rate and range. *axes_ok: bit 0 x, 1 y, 2 z.
 */
int lis3dh_self_test(struct lis3dh *dev, uint8_t *axes_ok);

/* mg per count of a left-justified output >> 4 in high-resolution mode (datasheet Table 4). */
unsigned lis3dh_hr_mg_per_lsb(unsigned range_g);

/* struct fw_sensor_ops on a struct lis3dh (sensor_ctx = the struct lis3dh). */
extern const struct fw_sensor_ops lis3dh_sensor_ops;

#endif
