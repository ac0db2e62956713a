/*
 * QEMU netduinoplus2 (STM32F405RG, 168 MHz). USART1 is the link to the host,
 * USART2 feeds the accelerometer (see sensor_source.h). QEMU 7.2 models neither
 * RCC nor I2C nor the IWDG (the IWDG is an "unimplemented device": writes are
 * ignored), so no clock-ready bits are polled; the watchdog is still started and
 * kicked so the path is the same as on hardware.
 */
#include <stdint.h>
#include <string.h>

#include "board_common.h"
#include "fw_app.h"
#include "np_err.h"
#include "sensor_source.h"
#include "stm32f4.h"

#define CORE_HZ 168000000u

static uint8_t link_rx_buf[256];
static uint8_t sensor_rx_buf[512];
static struct board_uart sensor_uart;
static struct qsrc src;
static struct fw_board board;

void USART2_IRQHandler(void);
void USART2_IRQHandler(void)
{
	board_uart_isr(&sensor_uart);
	/* From the first byte on, HELLO says the samples are imported, even while
	 * sampling is stopped and nothing has been parsed yet. */
	if (sensor_uart.rx_bytes > 0)
		board.sensor_model = NP_SENSOR_IMPORTED;
}

static void motor(void *ctx, uint8_t level)
{
	/* No motor on this board: the level is visible in STATUS (alert_level) and in EVENTs. */
	(void)ctx;
	(void)level;
}

/* Both sensors share the one source; ctx points at the sensor's id. */
static unsigned sensor_ids[QSRC_SENSORS] = { 0, 1 };

static int sensor_configure(void *ctx, unsigned rate_hz, unsigned range_g)
{
	if (rate_hz != 0 && rate_hz != 10 && rate_hz != 25 && rate_hz != 50 && rate_hz != 100)
		return NP_ERR_ARG;
	if (range_g != 2 && range_g != 4 && range_g != 8 && range_g != 16)
		return NP_ERR_ARG;
	if (*(unsigned *)ctx == 0)
		qsrc_configure(&src, rate_hz, board_ticks_ms); /* paces the synthetic night */
	return NP_OK;
}

static const struct fw_sensor_ops sensor_ops;

static int sensor_read(void *ctx, struct np_sample *out, size_t cap, size_t *got, bool *overrun)
{
	uint8_t buf[QSRC_QUEUE_LEN * QSRC_RECORD_LEN];
	unsigned id = *(unsigned *)ctx;

	*overrun = false;
	/* Never take more bytes than the queues can hold: whatever is read from
	 * the ring must be parsed now. */
	size_t n = board_uart_read(&sensor_uart, buf, qsrc_room(&src));
	if (n > 0)
		(void)qsrc_parse(&src, buf, n);
	else if (sensor_uart.rx_bytes > 0)
		src.external = true;
	/* From the first thigh record on, the board has two sensors (HELLO says so). */
	if (src.seen_1 && board.sensor1 == NULL) {
		board.sensor1_ctx = &sensor_ids[1];
		board.sensor1 = &sensor_ops;
	}
	*got = qsrc_take(&src, id, out, cap);
	if (*got == 0 && id == 0)
		*got = qsrc_synth(&src, board_ticks_ms, out, cap);
	return NP_OK;
}

static int sensor_self_test(void *ctx, uint8_t *axes_ok)
{
	(void)ctx;
	*axes_ok = 0;
	return NP_ERR_UNSUPP; /* there is no sensor to deflect */
}

static const struct fw_board_ops board_ops = BOARD_STM32F4_OPS(motor);

static const struct fw_sensor_ops sensor_ops = {
	.configure = sensor_configure,
	.read = sensor_read,
	.self_test = sensor_self_test,
};

void board_main(void)
{
	board.reset_reason = board_reset_reason(true);
	board_systick_start(CORE_HZ);
	board_link_open(0, link_rx_buf, sizeof link_rx_buf);
	board_uart_open(&sensor_uart, USART2_BASE, 0, IRQ_USART2, sensor_rx_buf, sizeof sensor_rx_buf);
	board_watchdog_start(2000);
	qsrc_init(&src);

	board.ops = &board_ops;
	board.sensor = &sensor_ops;
	board.sensor_ctx = &sensor_ids[0];
	board.serial = "QEMU-NETDUINO2";
	board.sensor_model = NP_SENSOR_SIMULATED;
	fw_main_run(&board);
}
