/* Polled I2C master on the STM32F411's I2C1 (PB6 SCL, PB7 SDA), 400 kHz. */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_BLACKPILL_I2C_H
#define NIGHTPOSE_FIRMWARE_BOARDS_BLACKPILL_I2C_H

#include <stddef.h>
#include <stdint.h>

/* Clocks, pins and timing; apb1_hz is the I2C kernel clock. */
void board_i2c_open(uint32_t apb1_hz);
/* struct fw_i2c xfer (ctx unused). */
int board_i2c_xfer(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen);

#endif
