#include <string.h>

#include "fake_board.h"
#include "np_err.h"

static int link_write(void *ctx, const uint8_t *buf, size_t len)
{
	struct fake_board *fb = ctx;
	if (fb->link_busy || len > sizeof fb->tx - fb->tx_len) {
		fb->writes_refused++;
		return NP_ERR_AGAIN;
	}
	memcpy(fb->tx + fb->tx_len, buf, len);
	fb->tx_len += len;
	return NP_OK;
}

static size_t link_read(void *ctx, uint8_t *buf, size_t cap)
{
	struct fake_board *fb = ctx;
	size_t n = fb->rx_len - fb->rx_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, fb->rx + fb->rx_pos, n);
	fb->rx_pos += n;
	return n;
}

static uint32_t now_ms(void *ctx)
{
	return ((struct fake_board *)ctx)->now_ms;
}

static void motor(void *ctx, uint8_t level)
{
	struct fake_board *fb = ctx;
	fb->motor_level = level;
	fb->motor_changes++;
	if (level > fb->motor_max)
		fb->motor_max = level;
}

static void watchdog_kick(void *ctx)
{
	((struct fake_board *)ctx)->kicks++;
}

static void idle(void *ctx)
{
	((struct fake_board *)ctx)->idles++;
}

static int sensor_configure(void *ctx, unsigned rate_hz, unsigned range_g)
{
	struct fake_board *fb = ctx;
	fb->rate_hz = rate_hz;
	fb->range_g = range_g;
	fb->configures++;
	return NP_OK;
}

static int sensor_read(void *ctx, struct np_sample *out, size_t cap, size_t *got, bool *overrun)
{
	struct fake_board *fb = ctx;
	size_t n = fb->samples_len - fb->samples_pos;
	if (fb->rate_hz == 0)
		n = 0;
	if (n > cap)
		n = cap;
	memcpy(out, fb->samples + fb->samples_pos, n * sizeof *out);
	fb->samples_pos += n;
	*got = n;
	*overrun = n > 0 && fb->overrun_next;
	if (n > 0)
		fb->overrun_next = false;
	return NP_OK;
}

static int sensor_self_test(void *ctx, uint8_t *axes_ok)
{
	struct fake_board *fb = ctx;
	*axes_ok = fb->selftest_axes;
	return fb->selftest_rc;
}

static const struct fw_board_ops board_ops = {
	.link_write = link_write,
	.link_read = link_read,
	.now_ms = now_ms,
	.motor = motor,
	.watchdog_kick = watchdog_kick,
	.idle = idle,
};

static const struct fw_sensor_ops sensor_ops = {
	.configure = sensor_configure,
	.read = sensor_read,
	.self_test = sensor_self_test,
};

void fake_board_init(struct fake_board *fb)
{
	memset(fb, 0, sizeof *fb);
	fb->board.ops = &board_ops;
	fb->board.ctx = fb;
	fb->board.sensor = &sensor_ops;
	fb->board.sensor_ctx = fb;
	fb->board.serial = "FAKE-0001";
	fb->board.sensor_model = NP_SENSOR_SIMULATED;
	fb->board.reset_reason = NP_RESET_POWER_ON;
	fb->selftest_rc = NP_OK;
	fb->selftest_axes = 7;
	np_frame_decoder_init(&fb->dec, fb->dec_scratch, sizeof fb->dec_scratch);
}

void fake_board_add_samples(struct fake_board *fb, const struct np_sample *s, size_t n)
{
	if (n > FAKE_BOARD_SAMPLES_MAX - fb->samples_len)
		n = FAKE_BOARD_SAMPLES_MAX - fb->samples_len;
	memcpy(fb->samples + fb->samples_len, s, n * sizeof *s);
	fb->samples_len += n;
}

void fake_board_host_bytes(struct fake_board *fb, const void *data, size_t n)
{
	if (n > FAKE_BOARD_RX_MAX - fb->rx_len)
		n = FAKE_BOARD_RX_MAX - fb->rx_len;
	memcpy(fb->rx + fb->rx_len, data, n);
	fb->rx_len += n;
}

uint16_t fake_board_host_command(struct fake_board *fb, uint8_t cmd, uint8_t arg8,
				 uint16_t arg16, uint32_t arg32)
{
	struct np_command c = { .cmd = cmd, .arg8 = arg8, .arg16 = arg16, .arg32 = arg32 };
	uint8_t payload[NP_COMMAND_LEN], wire[64];
	size_t plen = 0, wlen = 0;
	uint16_t seq = fb->host_seq++;

	(void)np_command_encode(&c, payload, sizeof payload, &plen);
	(void)np_frame_encode(NP_MSG_COMMAND, seq, payload, plen, wire, sizeof wire, &wlen);
	fake_board_host_bytes(fb, wire, wlen);
	return seq;
}

int fake_board_next_frame(struct fake_board *fb, struct np_frame *f)
{
	size_t used = 0;
	int rc = np_frame_decoder_feed(&fb->dec, fb->tx + fb->tx_pos, fb->tx_len - fb->tx_pos,
				       &used, f);
	fb->tx_pos += used;
	return rc;
}
