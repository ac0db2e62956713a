/*
 * A model of the LIS3DH as seen over I2C, for driver tests: the register map
 * with its reset values and read-only registers, sub-address auto-increment
 * (bit 7), output encoding per mode (8/10/12-bit, left-justified, BLE byte
 * order, full scale), the 32-sample FIFO in bypass/FIFO/stream mode with
 * watermark and overrun, and the self-test force. Values a driver reads back
 * are only right if it programmed the right registers with the right bits.
 */
#ifndef NIGHTPOSE_TESTS_FAKES_FAKE_LIS3DH_H
#define NIGHTPOSE_TESTS_FAKES_FAKE_LIS3DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fake_lis3dh {
	uint8_t addr;
	uint8_t regs[0x40];
	uint16_t fifo[32][3];   /* left-justified outputs, as the chip stores them */
	unsigned fifo_head;     /* oldest */
	unsigned fifo_count;
	uint32_t fifo_lost;     /* samples overwritten in stream mode or refused in FIFO mode */
	uint16_t out[3];        /* output registers outside FIFO modes */
	int16_t still_mg[3];    /* what the chip measures when nobody pushes samples */
	int16_t selftest_mg[3]; /* extra force while CTRL_REG4.ST != 0 */
	uint8_t ptr;            /* current sub-address */
	unsigned bad_writes;    /* writes to read-only or reserved registers */
	unsigned xfers;
	bool absent;            /* NACK every transfer */
};

void fake_lis3dh_init(struct fake_lis3dh *f, uint8_t addr);
/* struct fw_i2c xfer on a struct fake_lis3dh. */
int fake_lis3dh_xfer(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen);
/* Several chips on one bus, each answering at its own address (0x18 and 0x19 for two LIS3DH). */
#define FAKE_I2C_BUS_MAX 4u
struct fake_i2c_bus {
	struct fake_lis3dh *chip[FAKE_I2C_BUS_MAX];
	size_t n;
	unsigned nacks;         /* transfers no chip answered */
};

/* struct fw_i2c xfer on a struct fake_i2c_bus: the chip at addr (and not absent) takes it. */
int fake_i2c_bus_xfer(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r,
		      size_t rlen);
/* The chip samples (x, y, z) mg at its current settings: into the FIFO, or the output registers. */
void fake_lis3dh_sample(struct fake_lis3dh *f, int16_t x_mg, int16_t y_mg, int16_t z_mg);
/* Resolution in bits and mg per count for the current CTRL_REG1/CTRL_REG4. */
unsigned fake_lis3dh_bits(const struct fake_lis3dh *f);
unsigned fake_lis3dh_mg_per_count(const struct fake_lis3dh *f);

#endif
