/*
 * WeAct "Black Pill" STM32F411CEU6 (25 MHz crystal) with an LIS3DH on I2C1 and
 * a vibration motor; pinout and wiring in firmware/README.md. Core at 96 MHz
 * (PLL: 25 / 25 * 192 / 2), which also gives the 48 MHz USB clock (/4).
 * The host link is USB (CDC-ACM and a vendor bulk interface, usb/usb_dev.h over
 * otg_fs.c); built with -DNP_BLACKPILL_USART_LINK=ON it is USART1 at 115200 baud
 * instead, for a USB-serial adapter on PA9/PA10.
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
#ifndef BOARD_LINK_USART
#include "fw_stream.h"
#include "otg_fs.h"
#include "usb_dev.h"
#endif

#define HSE_HZ 25000000u
#define PLL_M 25u
#define PLL_N 192u
#define PLL_P 2u
#define PLL_Q 4u
#define CORE_HZ (HSE_HZ / PLL_M * PLL_N / PLL_P)
#define APB1_HZ (CORE_HZ / 2u)
/* USB full speed needs exactly 48 MHz from the PLL's Q output (RM0383 6.2, clock tree). */
_Static_assert(HSE_HZ / PLL_M * PLL_N / PLL_Q == 48000000u, "PLLQ must give 48 MHz for USB");
_Static_assert(CORE_HZ == 96000000u, "the USART, TIM3 and SysTick settings assume 96 MHz");
/* USART1 on APB2 (96 MHz): 96e6 / 115200 = 833.3 -> BRR 833 (RM0383 19.3.4, OVER8 = 0). */
#define USART1_BRR 833u
/* Without INT1 wired, read the FIFO at least this often (32 samples last 320 ms at 100 Hz). */
#define FIFO_POLL_MS 200u

/* Pins (GPIO numbers within their port). */
#define PIN_INT1 1u  /* PB1: LIS3DH INT1, FIFO watermark or overrun */
#define PIN_MOTOR 4u /* PB4: TIM3_CH1 (AF2), PWM to the motor transistor */
#define PIN_LED 13u  /* PC13: on-board LED, low = on */

#ifdef BOARD_LINK_USART
static uint8_t link_rx_buf[256];
#else
/* The transmit ring must take the longest frame in one write (all or nothing). */
static uint8_t usb_tx_buf[FW_WIRE_MAX + 16u];
static uint8_t usb_rx_buf[128];
static struct usb_dev usb;
_Static_assert(sizeof usb_tx_buf <= 32767u, "usb_ring capacity");
#endif
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
	/* 96 MHz needs the regulator's scale 1; it applies once the PLL runs. */
	RCC_APB1ENR |= RCC_APB1ENR_PWR;
	PWR_CR |= PWR_CR_VOS_SCALE1;
	/* M = 25 (1 MHz in), N = 192, P = 2 (96 MHz), Q = 4 (48 MHz for USB). */
	RCC_PLLCFGR = RCC_PLLCFGR_M(PLL_M) | RCC_PLLCFGR_N(PLL_N) | RCC_PLLCFGR_P(PLL_P) |
		      RCC_PLLCFGR_SRC_HSE | RCC_PLLCFGR_Q(PLL_Q);
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
#ifdef BOARD_LINK_USART
	/* PA9 TX, PA10 RX: USART1, AF7. */
	gpio_mode(GPIOA_BASE, 9, GPIO_MODE_AF);
	gpio_mode(GPIOA_BASE, 10, GPIO_MODE_AF);
	GPIO_AFR(GPIOA_BASE, 1) = (GPIO_AFR(GPIOA_BASE, 1) & ~0xFF0u) | 0x770u;
#else
	/* PA11 D-, PA12 D+: OTG_FS, AF10, very high speed (RM0383 8.4). */
	gpio_mode(GPIOA_BASE, 11, GPIO_MODE_AF);
	gpio_mode(GPIOA_BASE, 12, GPIO_MODE_AF);
	GPIO_OSPEEDR(GPIOA_BASE) |= 0xFu << 22;
	GPIO_AFR(GPIOA_BASE, 1) = (GPIO_AFR(GPIOA_BASE, 1) & ~0xFF000u) | 0xAA000u;
#endif
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

#ifdef BOARD_LINK_USART
static const struct fw_board_ops board_ops = BOARD_STM32F4_OPS(motor);
#else
static int usb_link_write(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	return usb_dev_link_write(&usb, buf, len);
}

static size_t usb_link_read(void *ctx, uint8_t *buf, size_t cap)
{
	(void)ctx;
	return usb_dev_link_read(&usb, buf, cap);
}

static const struct fw_board_ops board_ops = {
	.link_write = usb_link_write,
	.link_read = usb_link_read,
	.now_ms = board_op_now_ms,
	.motor = motor,
	.watchdog_kick = board_op_watchdog_kick,
	.idle = board_op_idle, /* the USB interrupt wakes the core too */
};
#endif

static const struct fw_sensor_ops sensor_ops = {
	.configure = sensor_configure,
	.read = sensor_read,
	.self_test = sensor_self_test,
};

/*
 * Optional second LIS3DH (thigh) on the same bus with SA0 to GND (0x18). Its
 * INT1 is not wired: its FIFO is read on the timer only.
 */
static struct lis3dh thigh;
static uint32_t last_thigh_ms;

static int thigh_configure(void *ctx, unsigned rate_hz, unsigned range_g)
{
	(void)ctx;
	return lis3dh_configure(&thigh, rate_hz, range_g);
}

static int thigh_read(void *ctx, struct np_sample *out, size_t cap, size_t *got, bool *overrun)
{
	(void)ctx;
	*got = 0;
	*overrun = false;
	if (board_ticks_ms - last_thigh_ms < FIFO_POLL_MS)
		return NP_OK;
	last_thigh_ms = board_ticks_ms;
	return lis3dh_read_fifo(&thigh, out, cap, got, overrun);
}

static int thigh_self_test(void *ctx, uint8_t *axes_ok)
{
	(void)ctx;
	return lis3dh_self_test(&thigh, axes_ok);
}

static const struct fw_sensor_ops thigh_ops = {
	.configure = thigh_configure,
	.read = thigh_read,
	.self_test = thigh_self_test,
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
	make_serial();
#ifdef BOARD_LINK_USART
	RCC_APB2ENR |= RCC_APB2ENR_USART1;
	board_link_open(USART1_BRR, link_rx_buf, sizeof link_rx_buf);
#else
	RCC_AHB2ENR |= RCC_AHB2ENR_OTGFS;
	usb_dev_init(&usb, &otg_fs_ops, NULL, serial, usb_tx_buf, sizeof usb_tx_buf, usb_rx_buf,
		     sizeof usb_rx_buf);
	otg_fs_start(&usb, (volatile uint32_t *)(uintptr_t)OTG_FS_BASE);
#endif
	motor_init();
	board_i2c_open(APB1_HZ);
	accel_ok = lis3dh_init(&accel, &i2c, LIS3DH_ADDR_SA0_HIGH) == NP_OK;

	board.ops = &board_ops;
	board.sensor = &sensor_ops;
	if (lis3dh_init(&thigh, &i2c, LIS3DH_ADDR_SA0_LOW) == NP_OK)
		board.sensor1 = &thigh_ops; /* WHO_AM_I answered 0x33 at 0x18 */
	board.serial = serial;
	board.sensor_model = accel_ok ? NP_SENSOR_LIS3DH : NP_SENSOR_UNKNOWN;
	fw_main_run(&board);
}
