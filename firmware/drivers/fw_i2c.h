/* The one I2C operation the drivers need; boards implement it over their controller. */
#ifndef NIGHTPOSE_FIRMWARE_DRIVERS_FW_I2C_H
#define NIGHTPOSE_FIRMWARE_DRIVERS_FW_I2C_H

#include <stddef.h>
#include <stdint.h>

struct fw_i2c {
	/*
	 * Write wlen bytes to the 7-bit address addr, then (if rlen > 0) read rlen
	 * bytes after a repeated start. NP_OK, NP_ERR_NODEV on NACK, NP_ERR_IO or
	 * NP_ERR_TIMEOUT on a bus fault.
	 */
	int (*xfer)(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen);
	void *ctx;
};

#endif
