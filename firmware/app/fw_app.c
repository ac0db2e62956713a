#include <string.h>

#include "fw_app.h"
#include "fw_command.h"
#include "np_err.h"

static uint32_t now_ms(const struct fw_app *app)
{
	return app->board->ops->now_ms(app->board->ctx);
}

void fw_app_hello(const struct fw_app *app, struct np_hello *h)
{
	memset(h, 0, sizeof *h);
	h->protocol_version = NP_PROTOCOL_VERSION;
	h->fw_major = FW_VERSION_MAJOR;
	h->fw_minor = FW_VERSION_MINOR;
	h->fw_patch = FW_VERSION_PATCH;
	if (app->board->serial != NULL) {
		size_t n = strlen(app->board->serial);
		memcpy(h->serial, app->board->serial, n < NP_SERIAL_LEN ? n : NP_SERIAL_LEN);
	}
	h->sensor_model = app->board->sensor_model;
	h->sensor_count = app->sensors;
	h->range_g = app->range_g;
	h->reset_reason = app->board->reset_reason;
	h->rate_millihz = (uint32_t)app->rate_hz * 1000u;
	h->lsb_per_g = FW_LSB_PER_G;
	h->tick_hz = 1000u;
}

uint32_t fw_app_link_rx_errors(const struct fw_app *app)
{
	const struct np_frame_stats *s = &app->cmd_dec.stats;
	return s->crc_errors + s->malformed + s->oversize + app->cmd_rejected;
}

void fw_app_status(const struct fw_app *app, uint32_t now, struct np_status *st)
{
	memset(st, 0, sizeof *st);
	st->uptime_ticks = now;
	for (size_t i = 0; i < app->sensors; i++) {
		st->fifo_overruns += app->sampler[i].fifo_overruns;
		st->samples_dropped += app->sampler[i].samples_dropped;
	}
	st->link_rx_errors = fw_app_link_rx_errors(app);
	st->alert_state = app->alert.state;
	st->alert_level = app->alert.level;
	st->battery_mv = NP_BATTERY_UNKNOWN;
	st->flags = (uint8_t)((app->streaming ? NP_STATUS_STREAMING : 0u) |
			      (app->selftest_ok ? NP_STATUS_SELFTEST_OK : 0u));
	st->tick = now;
}

/* The thigh sensor follows the chest's settings; if it fails, the chest goes on alone. */
static void start_sensor1(struct fw_app *app)
{
	const struct fw_board *b = app->board;
	if (b->sensor1->configure(b->sensor1_ctx, app->rate_hz, app->range_g) == NP_OK)
		fw_sampler_start(&app->sampler[1], app->rate_hz);
	else
		fw_sampler_stop(&app->sampler[1]);
}

/* Take up the board's second sensor once it is there; the ring is split in two. */
static void attach_sensor1(struct fw_app *app)
{
	if (app->sensors > 1 || app->board->sensor1 == NULL)
		return;
	fw_sampler_shrink(&app->sampler[0], FW_SAMPLER_RING_LEN / 2u);
	app->sensors = 2;
	if (app->streaming)
		start_sensor1(app);
}

int fw_app_start(struct fw_app *app)
{
	const struct fw_board *b = app->board;
	int rc = b->sensor->configure(b->sensor_ctx, app->rate_hz, app->range_g);
	if (rc != NP_OK)
		return rc;
	fw_sampler_start(&app->sampler[0], app->rate_hz);
	if (app->sensors > 1)
		start_sensor1(app);
	return NP_OK;
}

void fw_app_flush(struct fw_app *app)
{
	uint32_t now = now_ms(app);
	for (size_t i = 0; i < app->sensors; i++)
		fw_stream_samples(&app->stream, app->board, &app->sampler[i], app->rate_hz, now, true);
}

void fw_app_stop(struct fw_app *app)
{
	const struct fw_board *b = app->board;

	fw_app_flush(app);
	for (size_t i = 0; i < app->sensors; i++) {
		fw_sampler_clear(&app->sampler[i]);
		fw_sampler_stop(&app->sampler[i]);
	}
	(void)b->sensor->configure(b->sensor_ctx, 0, app->range_g);
	if (app->sensors > 1)
		(void)b->sensor1->configure(b->sensor1_ctx, 0, app->range_g);
	app->streaming = false;
}

void fw_app_init(struct fw_app *app, const struct fw_board *board)
{
	struct np_hello h;

	memset(app, 0, sizeof *app);
	app->board = board;
	app->rate_hz = FW_DEFAULT_RATE_HZ;
	app->range_g = FW_DEFAULT_RANGE_G;
	app->sensors = 1;
	fw_sampler_init(&app->sampler[0], app->ring, FW_SAMPLER_RING_LEN, 0);
	fw_sampler_init(&app->sampler[1], app->ring + FW_SAMPLER_RING_LEN / 2u,
			FW_SAMPLER_RING_LEN / 2u, 1);
	attach_sensor1(app);
	fw_stream_init(&app->stream, now_ms(app));
	fw_alert_init(&app->alert);
	fw_motor_init(&app->motor);
	np_frame_decoder_init(&app->cmd_dec, app->cmd_scratch, sizeof app->cmd_scratch);

	fw_app_hello(app, &h);
	(void)fw_stream_hello(&app->stream, board, &h);
	app->streaming = true;
	if (fw_app_start(app) != NP_OK)
		app->streaming = false;
}

/* Move what sensor id has into its ring; only the chest (0) feeds the alert. */
static bool poll_sensor(struct fw_app *app, unsigned id, uint32_t now)
{
	const struct fw_board *b = app->board;
	const struct fw_sensor_ops *ops = id == 0 ? b->sensor : b->sensor1;
	void *ctx = id == 0 ? b->sensor_ctx : b->sensor1_ctx;
	struct fw_sampler *s = &app->sampler[id];
	struct np_sample buf[32];
	bool any = false;

	if (!app->streaming || !s->running)
		return false;
	for (int k = 0; k < 4; k++) {
		size_t got = 0;
		bool overrun = false;
		if (ops->read(ctx, buf, 32, &got, &overrun) != NP_OK || got == 0)
			break;
		any = true;
		uint32_t tick = fw_sampler_push(s, buf, got, now, overrun);

		/* The alert sees every sample, even those a slow link made the ring drop:
		 * it must work with no host at all. */
		for (size_t i = 0; id == 0 && i < got; i++, tick += s->period_ms) {
			struct np_event ev;
			if (fw_alert_feed_sample(&app->alert, &buf[i], FW_LSB_PER_G, tick, &ev))
				(void)fw_stream_event(&app->stream, b, &ev);
		}
		if (got < 32)
			break;
	}
	return any;
}

bool fw_app_poll(struct fw_app *app)
{
	const struct fw_board *b = app->board;
	uint8_t rx[64];
	size_t n;
	bool busy = false;

	/* Bounded, like the sensor loop: a flooding host must not starve the
	 * watchdog kick below (the rest waits for the next pass). */
	for (int k = 0; k < 4 && (n = b->ops->link_read(b->ctx, rx, sizeof rx)) > 0; k++) {
		fw_command_feed(app, rx, n);
		busy = true;
	}

	uint32_t now = now_ms(app);
	if (poll_sensor(app, 0, now))
		busy = true;
	/* A board may find its second sensor while reading the first (QEMU). */
	attach_sensor1(app);
	if (app->sensors > 1 && poll_sensor(app, 1, now))
		busy = true;
	for (size_t i = 0; i < app->sensors; i++)
		fw_stream_samples(&app->stream, b, &app->sampler[i], app->rate_hz, now, false);

	if (now - app->stream.last_status_ms >= FW_STATUS_PERIOD_MS) {
		struct np_status st;
		fw_app_status(app, now, &st);
		(void)fw_stream_status(&app->stream, b, &st);
		app->stream.last_status_ms = now;
	}

	uint8_t a = fw_alert_motor_level(&app->alert, now);
	uint8_t m = fw_motor_level(&app->motor, now);
	uint8_t level = a > m ? a : m;
	if (level != app->motor_level) {
		b->ops->motor(b->ctx, level);
		app->motor_level = level;
	}
	b->ops->watchdog_kick(b->ctx);
	return busy;
}
