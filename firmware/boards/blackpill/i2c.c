/*
 * Polled master transfers following RM0383 18.3.3 ("Master receiver": the ACK
 * bit is cleared and STOP requested while the second-to-last byte is read, so
 * the last byte is NACKed). Every wait is bounded: a stuck bus gives
 * NP_ERR_TIMEOUT and a peripheral reset instead of a hung device (the watchdog
 * would catch that too, but losing one read is better than a reboot).
 */
#include "f411.h"
#include "i2c.h"
#include "np_err.h"

#define SPIN 20000u /* about 2 ms at 96 MHz: ten bytes at 400 kHz */

static uint32_t apb1_mhz;

static void configure(void)
{
	I2C_CR1(I2C1_BASE) = I2C_CR1_SWRST;
	I2C_CR1(I2C1_BASE) = 0;
	I2C_CR2(I2C1_BASE) = apb1_mhz;
	/* Fast mode, duty 2:1: Thigh + Tlow = 3 * CCR / f_apb1 = 2.5 us (RM0383 18.6.8). */
	I2C_CCR(I2C1_BASE) = I2C_CCR_FS | (apb1_mhz * 1000000u / (3u * 400000u));
	/* Maximum rise time 300 ns in fast mode: TRISE = f_apb1 * 300 ns + 1 (18.6.9). */
	I2C_TRISE(I2C1_BASE) = apb1_mhz * 300u / 1000u + 1u;
	I2C_CR1(I2C1_BASE) = I2C_CR1_PE;
}

void board_i2c_open(uint32_t apb1_hz)
{
	apb1_mhz = apb1_hz / 1000000u;
	RCC_AHB1ENR |= RCC_AHB1ENR_GPIOB;
	RCC_APB1ENR |= RCC_APB1ENR_I2C1;
	/* PB6/PB7: alternate function 4, open drain, pull-ups (external 4.7k recommended). */
	GPIO_MODER(GPIOB_BASE) = (GPIO_MODER(GPIOB_BASE) & ~(0xFu << 12)) | (0xAu << 12);
	GPIO_OTYPER(GPIOB_BASE) |= (1u << 6) | (1u << 7);
	GPIO_OSPEEDR(GPIOB_BASE) |= (0xFu << 12);
	GPIO_PUPDR(GPIOB_BASE) = (GPIO_PUPDR(GPIOB_BASE) & ~(0xFu << 12)) | (0x5u << 12);
	GPIO_AFR(GPIOB_BASE, 0) = (GPIO_AFR(GPIOB_BASE, 0) & ~(0xFFu << 24)) | (0x44u << 24);
	configure();
}

/* Wait for an SR1 flag; NP_ERR_NODEV on NACK, NP_ERR_IO on bus error, NP_ERR_TIMEOUT. */
static int wait_flag(uint32_t flag)
{
	for (uint32_t i = 0; i < SPIN; i++) {
		uint32_t sr = I2C_SR1(I2C1_BASE);
		if (sr & flag)
			return NP_OK;
		if (sr & I2C_SR1_AF)
			return NP_ERR_NODEV;
		if (sr & (I2C_SR1_BERR | I2C_SR1_ARLO))
			return NP_ERR_IO;
	}
	return NP_ERR_TIMEOUT;
}

static int start(uint8_t addr_rw)
{
	int rc;
	I2C_CR1(I2C1_BASE) |= I2C_CR1_START;
	if ((rc = wait_flag(I2C_SR1_SB)) != NP_OK)
		return rc;
	I2C_DR(I2C1_BASE) = addr_rw;
	return wait_flag(I2C_SR1_ADDR);
}

static int fail(int rc)
{
	I2C_CR1(I2C1_BASE) |= I2C_CR1_STOP;
	I2C_SR1(I2C1_BASE) = 0; /* clear AF, BERR, ARLO (rc_w0) */
	if (rc != NP_ERR_NODEV)
		configure();
	return rc;
}

int board_i2c_xfer(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen)
{
	int rc;
	(void)ctx;

	if (wlen > 0) {
		if ((rc = start((uint8_t)(addr << 1))) != NP_OK)
			return fail(rc);
		(void)I2C_SR2(I2C1_BASE); /* reading SR1 then SR2 clears ADDR */
		for (size_t i = 0; i < wlen; i++) {
			if ((rc = wait_flag(I2C_SR1_TXE)) != NP_OK)
				return fail(rc);
			I2C_DR(I2C1_BASE) = w[i];
		}
		if ((rc = wait_flag(I2C_SR1_BTF)) != NP_OK)
			return fail(rc);
	}
	if (rlen == 0) {
		I2C_CR1(I2C1_BASE) |= I2C_CR1_STOP;
		return NP_OK;
	}
	/* Repeated start, then read. */
	if ((rc = start((uint8_t)((addr << 1) | 1u))) != NP_OK)
		return fail(rc);
	if (rlen == 1) {
		I2C_CR1(I2C1_BASE) &= ~I2C_CR1_ACK;
		(void)I2C_SR2(I2C1_BASE);
		I2C_CR1(I2C1_BASE) |= I2C_CR1_STOP;
	} else {
		I2C_CR1(I2C1_BASE) |= I2C_CR1_ACK;
		(void)I2C_SR2(I2C1_BASE);
	}
	for (size_t i = 0; i < rlen; i++) {
		if (rlen > 1 && i == rlen - 2) {
			/* NACK the last byte and end the transfer after it. */
			if ((rc = wait_flag(I2C_SR1_RXNE)) != NP_OK)
				return fail(rc);
			I2C_CR1(I2C1_BASE) &= ~I2C_CR1_ACK;
			I2C_CR1(I2C1_BASE) |= I2C_CR1_STOP;
			r[i] = (uint8_t)I2C_DR(I2C1_BASE);
			continue;
		}
		if ((rc = wait_flag(I2C_SR1_RXNE)) != NP_OK)
			return fail(rc);
		r[i] = (uint8_t)I2C_DR(I2C1_BASE);
	}
	return NP_OK;
}
