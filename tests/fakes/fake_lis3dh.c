#include <string.h>

#include "fake_lis3dh.h"
#include "np_err.h"

/*
 * The chip's registers, written out again from the datasheet (DocID17530 sections 7-8)
 * instead of taken from the driver's lis3dh_regs.h: a wrong address or bit there must
 * make the driver disagree with this model, not agree with it.
 */
#define R_AUTO_INC 0x80u
#define R_CTRL1_LPEN 0x08u
#define R_CTRL1_ODR_SHIFT 4u
#define R_CTRL4_BLE 0x40u
#define R_CTRL4_FS_MASK 0x30u
#define R_CTRL4_FS_SHIFT 4u
#define R_CTRL4_HR 0x08u
#define R_CTRL4_ST_MASK 0x06u
#define R_CTRL5_BOOT 0x80u
#define R_CTRL5_FIFO_EN 0x40u
#define R_CTRL_REG0 0x1Eu
#define R_CTRL_REG1 0x20u
#define R_CTRL_REG4 0x23u
#define R_CTRL_REG5 0x24u
#define R_FIFO_CTRL_REG 0x2Eu
#define R_FIFO_FTH_MASK 0x1Fu
#define R_FIFO_SRC_EMPTY 0x20u
#define R_FIFO_SRC_FSS_MASK 0x1Fu
#define R_FIFO_SRC_OVRN 0x40u
#define R_FIFO_SRC_REG 0x2Fu
#define R_FIFO_SRC_WTM 0x80u
#define R_FM_BYPASS 0x0u
#define R_FM_SHIFT 6u
#define R_FM_STREAM 0x2u
#define R_ODR_OFF 0x0u
#define R_OUT_X_L 0x28u
#define R_OUT_Z_H 0x2Du
#define R_STATUS_REG 0x27u
#define R_STATUS_ZYXDA 0x08u
#define R_WHO_AM_I 0x0Fu
#define R_WHO_AM_I_VALUE 0x33u

static bool writable(uint8_t reg)
{
	return (reg >= R_CTRL_REG0 && reg <= 0x26u) || reg == R_FIFO_CTRL_REG ||
	       reg == 0x30u || (reg >= 0x32u && reg <= 0x34u) || (reg >= 0x36u && reg <= 0x38u) ||
	       (reg >= 0x3Au && reg <= 0x3Fu);
}

static void reset_regs(struct fake_lis3dh *f)
{
	memset(f->regs, 0, sizeof f->regs);
	f->regs[R_WHO_AM_I] = R_WHO_AM_I_VALUE;
	f->regs[R_CTRL_REG0] = 0x10u;
	f->regs[R_CTRL_REG1] = 0x07u;
}

void fake_lis3dh_init(struct fake_lis3dh *f, uint8_t addr)
{
	memset(f, 0, sizeof *f);
	f->addr = addr;
	reset_regs(f);
	f->still_mg[2] = 1000;
	f->selftest_mg[0] = 300;
	f->selftest_mg[1] = 300;
	f->selftest_mg[2] = 600;
}

unsigned fake_lis3dh_bits(const struct fake_lis3dh *f)
{
	if (f->regs[R_CTRL_REG1] & R_CTRL1_LPEN)
		return 8;
	return (f->regs[R_CTRL_REG4] & R_CTRL4_HR) ? 12 : 10;
}

unsigned fake_lis3dh_mg_per_count(const struct fake_lis3dh *f)
{
	/* Datasheet Table 4: at +-2 g 1/4/16 mg per digit in HR/normal/low-power; x2, x4, x12 above. */
	static const unsigned fs_mult[4] = { 1, 2, 4, 12 };
	unsigned bits = fake_lis3dh_bits(f);
	unsigned base = bits == 12 ? 1u : bits == 10 ? 4u : 16u;
	unsigned fs = (f->regs[R_CTRL_REG4] & R_CTRL4_FS_MASK) >> R_CTRL4_FS_SHIFT;
	return base * fs_mult[fs];
}

static uint16_t encode(const struct fake_lis3dh *f, int32_t mg)
{
	unsigned bits = fake_lis3dh_bits(f);
	int32_t counts = mg / (int32_t)fake_lis3dh_mg_per_count(f);
	int32_t hi = (1 << (bits - 1)) - 1, lo = -(1 << (bits - 1));
	if (counts > hi)
		counts = hi;
	if (counts < lo)
		counts = lo;
	return (uint16_t)((uint32_t)counts << (16u - bits));
}

static bool fifo_on(const struct fake_lis3dh *f)
{
	return (f->regs[R_CTRL_REG5] & R_CTRL5_FIFO_EN) &&
	       (f->regs[R_FIFO_CTRL_REG] >> R_FM_SHIFT) != R_FM_BYPASS;
}

static void measure(const struct fake_lis3dh *f, const int16_t mg[3], uint16_t out[3])
{
	bool st = (f->regs[R_CTRL_REG4] & R_CTRL4_ST_MASK) != 0;
	for (int a = 0; a < 3; a++) {
		bool enabled = f->regs[R_CTRL_REG1] & (1u << a);
		int32_t v = mg[a] + (st ? f->selftest_mg[a] : 0);
		out[a] = enabled ? encode(f, v) : 0;
	}
}

void fake_lis3dh_sample(struct fake_lis3dh *f, int16_t x_mg, int16_t y_mg, int16_t z_mg)
{
	int16_t mg[3] = { x_mg, y_mg, z_mg };

	/* Powered down: the chip takes no samples. */
	if ((f->regs[R_CTRL_REG1] >> R_CTRL1_ODR_SHIFT) == R_ODR_OFF)
		return;
	if (!fifo_on(f)) {
		measure(f, mg, f->out);
		return;
	}
	if (f->fifo_count == 32u) {
		if ((f->regs[R_FIFO_CTRL_REG] >> R_FM_SHIFT) != R_FM_STREAM) {
			f->fifo_lost++; /* FIFO mode stops when full */
			return;
		}
		f->fifo_head = (f->fifo_head + 1u) % 32u; /* stream mode: the oldest is overwritten */
		f->fifo_count--;
		f->fifo_lost++;
	}
	measure(f, mg, f->fifo[(f->fifo_head + f->fifo_count) % 32u]);
	f->fifo_count++;
}

static uint8_t fifo_src(const struct fake_lis3dh *f)
{
	uint8_t v = (uint8_t)(f->fifo_count & R_FIFO_SRC_FSS_MASK);
	if (f->fifo_count > (f->regs[R_FIFO_CTRL_REG] & R_FIFO_FTH_MASK))
		v |= R_FIFO_SRC_WTM;
	if (f->fifo_count == 32u)
		v |= R_FIFO_SRC_OVRN;
	if (f->fifo_count == 0)
		v |= R_FIFO_SRC_EMPTY;
	return v;
}

static uint8_t out_byte(const struct fake_lis3dh *f, const uint16_t v[3], uint8_t reg)
{
	unsigned idx = (unsigned)(reg - R_OUT_X_L);
	uint16_t w = v[idx / 2u];
	bool high = (idx & 1u) != 0;
	if (f->regs[R_CTRL_REG4] & R_CTRL4_BLE)
		high = !high; /* big-endian: the high byte at the lower address */
	return (uint8_t)(high ? w >> 8 : w);
}

static uint8_t read_one(struct fake_lis3dh *f, uint8_t reg)
{
	if (reg == R_STATUS_REG) {
		/* Outside FIFO modes a sample is always ready: the still vector is measured. */
		bool running = (f->regs[R_CTRL_REG1] >> R_CTRL1_ODR_SHIFT) != R_ODR_OFF;
		if (running && !fifo_on(f)) {
			measure(f, f->still_mg, f->out);
			return R_STATUS_ZYXDA;
		}
		return fifo_on(f) && f->fifo_count > 0 ? R_STATUS_ZYXDA : 0;
	}
	if (reg == R_FIFO_SRC_REG)
		return fifo_src(f);
	if (reg >= R_OUT_X_L && reg <= R_OUT_Z_H) {
		if (!fifo_on(f))
			return out_byte(f, f->out, reg);
		if (f->fifo_count == 0)
			return 0;
		return out_byte(f, f->fifo[f->fifo_head], reg);
	}
	return reg < sizeof f->regs ? f->regs[reg] : 0;
}

static void write_one(struct fake_lis3dh *f, uint8_t reg, uint8_t val)
{
	if (!writable(reg)) {
		f->bad_writes++;
		return;
	}
	if (reg == R_CTRL_REG5 && (val & R_CTRL5_BOOT)) {
		/* Reboot memory content: trim reloaded, BOOT clears itself. */
		val &= (uint8_t)~R_CTRL5_BOOT;
	}
	f->regs[reg] = val;
	if (!fifo_on(f)) {
		f->fifo_count = 0; /* bypass mode empties the FIFO */
		f->fifo_head = 0;
	}
}

int fake_lis3dh_xfer(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen)
{
	struct fake_lis3dh *f = ctx;

	f->xfers++;
	if (f->absent || addr != f->addr)
		return NP_ERR_NODEV;
	if (wlen == 0)
		return NP_ERR_ARG;
	bool inc = (w[0] & R_AUTO_INC) != 0;
	f->ptr = (uint8_t)(w[0] & 0x7Fu);
	for (size_t i = 1; i < wlen; i++) {
		write_one(f, f->ptr, w[i]);
		if (inc)
			f->ptr = (uint8_t)((f->ptr + 1u) & 0x7Fu);
	}
	for (size_t i = 0; i < rlen; i++) {
		r[i] = read_one(f, f->ptr);
		if (!inc)
			continue;
		if (f->ptr == R_OUT_Z_H && fifo_on(f)) {
			/* FIFO read: the sample is consumed and the address wraps (AN3308 9). */
			if (f->fifo_count > 0) {
				f->fifo_head = (f->fifo_head + 1u) % 32u;
				f->fifo_count--;
			}
			f->ptr = R_OUT_X_L;
		} else {
			f->ptr = (uint8_t)((f->ptr + 1u) & 0x7Fu);
		}
	}
	return NP_OK;
}

int fake_i2c_bus_xfer(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r,
		      size_t rlen)
{
	struct fake_i2c_bus *bus = ctx;

	for (size_t i = 0; i < bus->n; i++) {
		if (bus->chip[i]->addr == addr && !bus->chip[i]->absent)
			return fake_lis3dh_xfer(bus->chip[i], addr, w, wlen, r, rlen);
	}
	bus->nacks++;
	return NP_ERR_NODEV;
}
