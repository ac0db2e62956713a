/* Code both STM32F4 boards share: startup, fault handling, reset reason, USART, watchdog. */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_COMMON_BOARD_COMMON_H
#define NIGHTPOSE_FIRMWARE_BOARDS_COMMON_BOARD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Each board defines this; the reset handler calls it after RAM is set up. */
void board_main(void);

/* Milliseconds since boot, counted by SysTick_Handler. */
extern volatile uint32_t board_ticks_ms;
/* Start SysTick at 1 kHz from a core clock of core_hz. */
void board_systick_start(uint32_t core_hz);

/*
 * Why the device last started (enum np_reset_reason): a fault recorded by the
 * HardFault handler in no-init RAM, else the RCC_CSR flags (which are then
 * cleared). csr_zero_means_power_on: QEMU has no RCC model and reads 0.
 */
uint8_t board_reset_reason(bool csr_zero_means_power_on);
/* The decision itself, without touching hardware (unit-tested on the host). */
uint8_t board_reset_reason_decode(uint32_t rcc_csr, uint32_t noinit_word, bool csr_zero_means_power_on);
#define BOARD_NOINIT_MAGIC 0x4E500000u /* "NP" in the high half, the reason in the low byte */

/* Independent watchdog: about timeout_ms from the 32 kHz LSI (RM0090 21.3.3). */
void board_watchdog_start(uint32_t timeout_ms);
void board_watchdog_kick(void);

/* A USART with an interrupt-fed receive ring; transmit is polled. */
struct board_uart {
	uint32_t base;
	unsigned irq;
	uint8_t *rx;
	uint16_t rx_cap;             /* power of two */
	volatile uint16_t rx_head;   /* written by the ISR */
	volatile uint16_t rx_tail;   /* written by the main loop */
	volatile uint32_t rx_bytes;  /* total received */
};

/* brr 0 leaves the baud rate register alone (QEMU ignores it). */
void board_uart_open(struct board_uart *u, uint32_t base, uint32_t brr, unsigned irq,
		     uint8_t *rx_buf, uint16_t rx_cap);
void board_uart_write(struct board_uart *u, const uint8_t *buf, size_t len);
size_t board_uart_read(struct board_uart *u, uint8_t *buf, size_t cap);
/* Call from the USART's IRQ handler. */
void board_uart_isr(struct board_uart *u);

/*
 * The host link on USART1 (both boards) and the fw_board_ops entries every
 * STM32F4 board fills the same way; a board adds its own motor().
 */
void board_link_open(uint32_t brr, uint8_t *rx_buf, uint16_t rx_cap);
int board_op_link_write(void *ctx, const uint8_t *buf, size_t len);
size_t board_op_link_read(void *ctx, uint8_t *buf, size_t cap);
uint32_t board_op_now_ms(void *ctx);
void board_op_watchdog_kick(void *ctx);
void board_op_idle(void *ctx);

/* Initializer for a board's struct fw_board_ops: everything common, plus its motor. */
#define BOARD_STM32F4_OPS(motor_fn)                                                 \
	{                                                                           \
		.link_write = board_op_link_write, .link_read = board_op_link_read, \
		.now_ms = board_op_now_ms, .motor = (motor_fn),                     \
		.watchdog_kick = board_op_watchdog_kick, .idle = board_op_idle,     \
	}

#endif
