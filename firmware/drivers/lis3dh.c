#include <string.h>

#include "lis3dh.h"
#include "lis3dh_regs.h"
#include "np_bytes.h"
#include "np_err.h"

/* Status polls before giving up on a data-ready bit: > 100 ms of I2C traffic at 400 kHz. */
#define POLL_TRIES 2000u
#define ST_SAMPLES 5

static int write_reg(struct lis3dh *dev, uint8_t reg, uint8_t val)
{
	uint8_t w[2] = { reg, val };
	return dev->i2c.xfer(dev->i2c.ctx, dev->addr, w, 2, NULL, 0);
}

static int read_regs(struct lis3dh *dev, uint8_t reg, uint8_t *buf, size_t n)
{
	uint8_t sub = n > 1 ? (uint8_t)(reg | LIS3DH_AUTO_INC) : reg;
	return dev->i2c.xfer(dev->i2c.ctx, dev->addr, &sub, 1, buf, n);
}

unsigned lis3dh_hr_mg_per_lsb(unsigned range_g)
{
	switch (range_g) {
	case 2: return 1;
	case 4: return 2;
	case 8: return 4;
	case 16: return 12;
	default: return 0;
	}
}

static int odr_code(unsigned rate_hz, uint8_t *code)
{
	switch (rate_hz) {
	case 0: *code = LIS3DH_ODR_OFF; return NP_OK;
	case 10: *code = LIS3DH_ODR_10HZ; return NP_OK;
	case 25: *code = LIS3DH_ODR_25HZ; return NP_OK;
	case 50: *code = LIS3DH_ODR_50HZ; return NP_OK;
	case 100: *code = LIS3DH_ODR_100HZ; return NP_OK;
	default: return NP_ERR_ARG;
	}
}

static int fs_code(unsigned range_g, uint8_t *code)
{
	switch (range_g) {
	case 2: *code = 0; return NP_OK;
	case 4: *code = 1; return NP_OK;
	case 8: *code = 2; return NP_OK;
	case 16: *code = 3; return NP_OK;
	default: return NP_ERR_ARG;
	}
}

int lis3dh_init(struct lis3dh *dev, const struct fw_i2c *i2c, uint8_t addr)
{
	uint8_t id = 0;
	int rc;

	memset(dev, 0, sizeof *dev);
	dev->i2c = *i2c;
	dev->addr = addr;
	dev->range_g = 2;
	rc = read_regs(dev, LIS3DH_WHO_AM_I, &id, 1);
	if (rc != NP_OK)
		return rc == NP_ERR_NODEV ? NP_ERR_NODEV : rc;
	if (id != LIS3DH_WHO_AM_I_VALUE)
		return NP_ERR_NODEV;
	/* BOOT reloads the factory trim, as after power-up, whatever a previous run left behind. */
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG5, LIS3DH_CTRL5_BOOT)) != NP_OK)
		return rc;
	return lis3dh_configure(dev, 0, 2);
}

int lis3dh_configure(struct lis3dh *dev, unsigned rate_hz, unsigned range_g)
{
	uint8_t odr, fs;
	int rc;

	if (odr_code(rate_hz, &odr) != NP_OK || fs_code(range_g, &fs) != NP_OK)
		return NP_ERR_ARG;

	/* Power down first so the FIFO restarts empty with the new settings. */
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG1, LIS3DH_CTRL1_XYZ_EN)) != NP_OK)
		return rc;
	if ((rc = write_reg(dev, LIS3DH_FIFO_CTRL_REG, 0)) != NP_OK)
		return rc;
	/* BDU: the low and high byte of one sample always belong together. */
	uint8_t ctrl4 = (uint8_t)(LIS3DH_CTRL4_BDU | ((unsigned)fs << LIS3DH_CTRL4_FS_SHIFT) | LIS3DH_CTRL4_HR);
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG4, ctrl4)) != NP_OK)
		return rc;
	dev->rate_hz = (uint16_t)rate_hz;
	dev->range_g = (uint8_t)range_g;
	if (rate_hz == 0) {
		dev->watermark = 0;
		return write_reg(dev, LIS3DH_CTRL_REG5, 0);
	}

	unsigned wtm = rate_hz / 4u;
	dev->watermark = (uint8_t)(wtm < 1u ? 1u : wtm > 24u ? 24u : wtm);
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG5, LIS3DH_CTRL5_FIFO_EN)) != NP_OK)
		return rc;
	uint8_t fifo = (uint8_t)((LIS3DH_FM_STREAM << LIS3DH_FM_SHIFT) | dev->watermark);
	if ((rc = write_reg(dev, LIS3DH_FIFO_CTRL_REG, fifo)) != NP_OK)
		return rc;
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG3, LIS3DH_CTRL3_I1_WTM | LIS3DH_CTRL3_I1_OVERRUN)) != NP_OK)
		return rc;
	return write_reg(dev, LIS3DH_CTRL_REG1,
			 (uint8_t)(((unsigned)odr << LIS3DH_CTRL1_ODR_SHIFT) | LIS3DH_CTRL1_XYZ_EN));
}

/* Left-justified output to mg at the current range in high-resolution mode. */
static int16_t to_mg(const struct lis3dh *dev, const uint8_t *p)
{
	int32_t counts = np_get_le16s(p) / 16; /* 12 significant bits */
	return (int16_t)(counts * (int32_t)lis3dh_hr_mg_per_lsb(dev->range_g));
}

int lis3dh_read_fifo(struct lis3dh *dev, struct np_sample *out, size_t cap, size_t *got,
		     bool *overrun)
{
	/* One FIFO's worth in one burst: 192 bytes on the stack, not in static RAM. */
	uint8_t raw[LIS3DH_FIFO_DEPTH * 6u];
	uint8_t src;
	int rc;

	*got = 0;
	*overrun = false;
	if (dev->rate_hz == 0)
		return NP_OK;
	if ((rc = read_regs(dev, LIS3DH_FIFO_SRC_REG, &src, 1)) != NP_OK)
		return rc;
	size_t n;
	if (src & LIS3DH_FIFO_SRC_OVRN) {
		*overrun = true;
		dev->overruns++;
		n = LIS3DH_FIFO_DEPTH;
	} else if (src & LIS3DH_FIFO_SRC_EMPTY) {
		n = 0;
	} else {
		n = src & LIS3DH_FIFO_SRC_FSS_MASK;
	}
	if (n > cap)
		n = cap;
	if (n == 0)
		return NP_OK;
	/* With the FIFO enabled the sub-address wraps from OUT_Z_H back to OUT_X_L, so
	 * one auto-increment read drains n samples (AN3308 section 9). */
	if ((rc = read_regs(dev, LIS3DH_OUT_X_L, raw, n * 6u)) != NP_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		out[i].x = to_mg(dev, raw + 6u * i);
		out[i].y = to_mg(dev, raw + 6u * i + 2u);
		out[i].z = to_mg(dev, raw + 6u * i + 4u);
	}
	*got = n;
	return NP_OK;
}

/* Average of ST_SAMPLES fresh samples, in 10-bit counts (normal mode). */
static int average_10bit(struct lis3dh *dev, int32_t avg[3])
{
	int32_t sum[3] = { 0, 0, 0 };
	uint8_t raw[6];
	int rc;

	/* The first sample after a change is discarded (datasheet self-test procedure). */
	for (int k = -1; k < ST_SAMPLES; k++) {
		uint8_t st = 0;
		unsigned tries = 0;
		do {
			if ((rc = read_regs(dev, LIS3DH_STATUS_REG, &st, 1)) != NP_OK)
				return rc;
		} while (!(st & LIS3DH_STATUS_ZYXDA) && ++tries < POLL_TRIES);
		if (!(st & LIS3DH_STATUS_ZYXDA))
			return NP_ERR_TIMEOUT;
		if ((rc = read_regs(dev, LIS3DH_OUT_X_L, raw, 6)) != NP_OK)
			return rc;
		if (k < 0)
			continue;
		for (int a = 0; a < 3; a++)
			sum[a] += np_get_le16s(raw + 2 * a) / 64;
	}
	for (int a = 0; a < 3; a++)
		avg[a] = sum[a] / ST_SAMPLES;
	return NP_OK;
}

int lis3dh_self_test(struct lis3dh *dev, uint8_t *axes_ok)
{
	unsigned rate = dev->rate_hz, range = dev->range_g;
	int32_t off[3], on[3];
	int rc;

	*axes_ok = 0;
	/* Datasheet conditions: FIFO off, 50 Hz, normal mode (neither LPen nor HR), +-2 g. */
	if ((rc = lis3dh_configure(dev, 0, 2)) != NP_OK)
		return rc;
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG4, LIS3DH_CTRL4_BDU)) != NP_OK)
		goto out;
	rc = write_reg(dev, LIS3DH_CTRL_REG1,
		       (uint8_t)((LIS3DH_ODR_50HZ << LIS3DH_CTRL1_ODR_SHIFT) | LIS3DH_CTRL1_XYZ_EN));
	if (rc != NP_OK)
		goto out;
	if ((rc = average_10bit(dev, off)) != NP_OK)
		goto out;
	if ((rc = write_reg(dev, LIS3DH_CTRL_REG4, LIS3DH_CTRL4_BDU | LIS3DH_CTRL4_ST0)) != NP_OK)
		goto out;
	if ((rc = average_10bit(dev, on)) != NP_OK)
		goto out;
	for (int a = 0; a < 3; a++) {
		int32_t d = on[a] - off[a];
		if (d < 0)
			d = -d;
		if (d >= LIS3DH_ST_MIN_LSB && d <= LIS3DH_ST_MAX_LSB)
			*axes_ok |= (uint8_t)(1u << a);
	}
out:
	(void)write_reg(dev, LIS3DH_CTRL_REG4, LIS3DH_CTRL4_BDU);
	{
		int rc2 = lis3dh_configure(dev, rate, range);
		if (rc == NP_OK)
			rc = rc2;
	}
	return rc;
}

static int sensor_configure(void *ctx, unsigned rate_hz, unsigned range_g)
{
	return lis3dh_configure(ctx, rate_hz, range_g);
}

static int sensor_read(void *ctx, struct np_sample *out, size_t cap, size_t *got, bool *overrun)
{
	return lis3dh_read_fifo(ctx, out, cap, got, overrun);
}

static int sensor_self_test(void *ctx, uint8_t *axes_ok)
{
	return lis3dh_self_test(ctx, axes_ok);
}

const struct fw_sensor_ops lis3dh_sensor_ops = {
	.configure = sensor_configure,
	.read = sensor_read,
	.self_test = sensor_self_test,
};
