/*
 * WeAct "Black Pill" STM32F411CEU6 (25 MHz crystal) with an LIS3DH on I2C1 and
 * a vibration motor; pinout and wiring in firmware/README.md. Core at 96 MHz
 * (PLL: 25 / 25 * 192 / 2), which also gives the 48 MHz USB clock (/4).
 * The host link is USART1 at 115200 baud for now; USB is not implemented yet.
 */
#include <stdint.h>
#include <string.h>

#include "board_common.h"
#include "f411.h"
#include "fw_app.h"
#include "i2c.h"
#include "lis3dh.h"
#include "lis3dh_regs.h"
#include "np_err.h"

#define CORE_HZ 96000000u
#define APB1_HZ 48000000u
/* USART1 on APB2 (96 MHz): 96e6 / 115200 = 833.3 -> BRR 833 (RM0383 19.3.4, OVER8 = 0). */
#define USART1_BRR 833u
/* Without INT1 wired, read the FIFO at least this often (32 samples last 320 ms at 100 Hz). */
#define FIFO_POLL_MS 200u

/* Pins (GPIO numbers within their port). */
#define PIN_INT1 1u  /* PB1: LIS3DH INT1, FIFO watermark or overrun */
#define PIN_MOTOR 4u /* PB4: TIM3_CH1 (AF2), PWM to the motor transistor */
#define PIN_LED 13u  /* PC13: on-board LED, low = on */

static uint8_t link_rx_buf[256];
static struct lis3dh accel;
static struct fw_i2c i2c = { .xfer = board_i2c_xfer, .ctx = NULL };
static bool accel_ok;
static uint32_t last_fifo_ms;
static char serial[NP_SERIAL_LEN + 1];
static struct fw_board board;

static void clock_init(void)
{
	RCC_CR |= RCC_CR_HSEON;
	while (!(RCC_CR & RCC_CR_HSERDY))
		;
	/* M = 25 (1 MHz in), N = 192, P = 2 (96 MHz), Q = 4 (48 MHz for USB). */
	RCC_PLLCFGR = 25u | (192u << 6) | (0u << 16) | RCC_PLLCFGR_SRC_HSE | (4u << 24);
	RCC_CR |= RCC_CR_PLLON;
	while (!(RCC_CR & RCC_CR_PLLRDY))
		;
	FLASH_ACR = FLASH_ACR_LATENCY_3WS | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
	RCC_CFGR = RCC_CFGR_PPRE1_DIV2 | RCC_CFGR_SW_PLL;
	while ((RCC_CFGR & RCC_CFGR_SWS_MASK) != RCC_CFGR_SWS_PLL)
		;
}

static void gpio_mode(uint32_t port, unsigned pin, uint32_t mode)
{
	GPIO_MODER(port) = (GPIO_MODER(port) & ~(3u << (2u * pin))) | (mode << (2u * pin));
}

static void pins_init(void)
{
	RCC_AHB1ENR |= RCC_AHB1ENR_GPIOA | RCC_AHB1ENR_GPIOB | RCC_AHB1ENR_GPIOC;
	/* PA9 TX, PA10 RX: USART1, AF7. */
	gpio_mode(GPIOA_BASE, 9, GPIO_MODE_AF);
	gpio_mode(GPIOA_BASE, 10, GPIO_MODE_AF);
	GPIO_AFR(GPIOA_BASE, 1) = (GPIO_AFR(GPIOA_BASE, 1) & ~0xFF0u) | 0x770u;
	/* INT1 input with pull-down: a missing wire reads "no data", the timer still polls. */
	gpio_mode(GPIOB_BASE, PIN_INT1, GPIO_MODE_INPUT);
	GPIO_PUPDR(GPIOB_BASE) = (GPIO_PUPDR(GPIOB_BASE) & ~(3u << 2u * PIN_INT1)) | (2u << 2u * PIN_INT1);
	/* LED off. */
	GPIO_BSRR(GPIOC_BASE) = 1u << PIN_LED;
	gpio_mode(GPIOC_BASE, PIN_LED, GPIO_MODE_OUTPUT);
}

static void motor_init(void)
{
	/* TIM3 at 96 MHz / 96 = 1 MHz, 5 ms period: 200 Hz PWM, quiet for a coin motor. */
	RCC_APB1ENR |= RCC_APB1ENR_TIM3;
	gpio_mode(GPIOB_BASE, PIN_MOTOR, GPIO_MODE_AF);
	GPIO_AFR(GPIOB_BASE, 0) = (GPIO_AFR(GPIOB_BASE, 0) & ~(0xFu << 16)) | (0x2u << 16);
	TIM_PSC(TIM3_BASE) = 95u; /* TIM3 runs at 2 x APB1 = 96 MHz (RM0383 6.2) */
	TIM_ARR(TIM3_BASE) = 4999u;
	TIM_CCR1(TIM3_BASE) = 0;
	TIM_CCMR1(TIM3_BASE) = TIM_CCMR1_OC1M_PWM1 | TIM_CCMR1_OC1PE;
	TIM_CCER(TIM3_BASE) = TIM_CCER_CC1E;
	TIM_EGR(TIM3_BASE) = TIM_EGR_UG;
	TIM_CR1(TIM3_BASE) = TIM_CR1_ARPE | TIM_CR1_CEN;
}

static void motor(void *ctx, uint8_t level)
{
	/* Duty per level: off, 40 %, 70 %, 100 % (a coin motor starts reliably at about 40 %). */
	static const uint16_t duty[FW_MOTOR_LEVEL_MAX + 1] = { 0, 2000, 3500, 5000 };
	(void)ctx;
	TIM_CCR1(TIM3_BASE) = duty[level > FW_MOTOR_LEVEL_MAX ? FW_MOTOR_LEVEL_MAX : level];
	GPIO_BSRR(GPIOC_BASE) = level ? (1u << (PIN_LED + 16u)) : (1u << PIN_LED);
}

static int sensor_configure(void *ctx, unsigned rate_hz, unsigned range_g)
{
	(void)ctx;
	if (!accel_ok)
		return NP_ERR_NODEV;
	return lis3dh_configure(&accel, rate_hz, range_g);
}

static int sensor_read(void *ctx, struct np_sample *out, size_t cap, size_t *got, bool *overrun)
{
	(void)ctx;
	*got = 0;
	*overrun = false;
	/* Read on the watermark line, or on a timer if INT1 is not wired. */
	bool int1 = (GPIO_IDR(GPIOB_BASE) >> PIN_INT1) & 1u;
	if (!accel_ok || (!int1 && board_ticks_ms - last_fifo_ms < FIFO_POLL_MS))
		return NP_OK;
	last_fifo_ms = board_ticks_ms;
	return lis3dh_read_fifo(&accel, out, cap, got, overrun);
}

static int sensor_self_test(void *ctx, uint8_t *axes_ok)
{
	(void)ctx;
	*axes_ok = 0;
	if (!accel_ok)
		return NP_ERR_NODEV;
	return lis3dh_self_test(&accel, axes_ok);
}

static const struct fw_board_ops board_ops = BOARD_STM32F4_OPS(motor);

static const struct fw_sensor_ops sensor_ops = {
	.configure = sensor_configure,
	.read = sensor_read,
	.self_test = sensor_self_test,
};

/* 16 hex digits folded from the 96-bit unique ID. */
static void make_serial(void)
{
	static const char hex[] = "0123456789ABCDEF";
	uint32_t a = REG32(UID_BASE) ^ REG32(UID_BASE + 8u), b = REG32(UID_BASE + 4u);
	for (int i = 0; i < 8; i++) {
		serial[i] = hex[(a >> (28 - 4 * i)) & 0xFu];
		serial[8 + i] = hex[(b >> (28 - 4 * i)) & 0xFu];
	}
	serial[16] = '\0';
}

void board_main(void)
{
	board.reset_reason = board_reset_reason(false);
	clock_init();
	board_systick_start(CORE_HZ);
	board_watchdog_start(2000);
	pins_init();
	RCC_APB2ENR |= RCC_APB2ENR_USART1;
	board_link_open(USART1_BRR, link_rx_buf, sizeof link_rx_buf);
	motor_init();
	board_i2c_open(APB1_HZ);
	accel_ok = lis3dh_init(&accel, &i2c, LIS3DH_ADDR_SA0_HIGH) == NP_OK;
	make_serial();

	board.ops = &board_ops;
	board.sensor = &sensor_ops;
	board.serial = serial;
	board.sensor_model = accel_ok ? NP_SENSOR_LIS3DH : NP_SENSOR_UNKNOWN;
	fw_main_run(&board);
}
