#include <string.h>

#include "fw_app.h"
#include "fw_command.h"
#include "np_err.h"

/*
 * Samples moved per sensor read: the LIS3DH FIFO holds 32, so one burst empties
 * it (its watermark is at most 24). 32 x 6 bytes of stack.
 */
#define SENSOR_BURST 32u
/*
 * Bursts per sensor per pass: 4 x 32 = 128 samples, a sensor's half of the ring
 * with two sensors and 1.28 s at 100 Hz, so a pass can fill the ring but never
 * read beyond it. Bounded because a source that never runs dry (the QEMU
 * board's sensor UART) must not hold off the watchdog kick.
 */
#define SENSOR_BURSTS_MAX 4u
/* Link bytes read at once: one full-speed USB bulk packet, or about 4 COMMAND frames. */
#define LINK_CHUNK 64u
/* Link reads per pass, bounded for the watchdog like SENSOR_BURSTS_MAX. */
#define LINK_READS_MAX 4u
/* Device ticks are now_ms() milliseconds. */
#define TICK_HZ 1000u
#define MILLIHZ_PER_HZ 1000u
/* The sensor id of the chest, the one the alert watches, and of the thigh. */
#define SENSOR_CHEST 0u
#define SENSOR_THIGH 1u
/* fw_sensor_ops.configure rate that powers the sensor down. */
#define RATE_OFF 0u

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
	h->rate_millihz = (uint32_t)app->rate_hz * MILLIHZ_PER_HZ;
	h->lsb_per_g = FW_LSB_PER_G;
	h->tick_hz = TICK_HZ;
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
	st->alert_state = app->alert.engine.state;
	st->alert_level = app->alert.engine.level;
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
		fw_sampler_start(&app->sampler[SENSOR_THIGH], app->rate_hz);
	else
		fw_sampler_stop(&app->sampler[SENSOR_THIGH]);
}

/* Take up the board's second sensor once it is there; the ring is split in two. */
static void attach_sensor1(struct fw_app *app)
{
	if (app->sensors == FW_SENSORS_MAX || app->board->sensor1 == NULL)
		return;
	fw_sampler_shrink(&app->sampler[SENSOR_CHEST], FW_SAMPLER_RING_LEN / FW_SENSORS_MAX);
	app->sensors = FW_SENSORS_MAX;
	if (app->streaming)
		start_sensor1(app);
}

/* (Re)configure the sensors and samplers at app->rate_hz and app->range_g. */
static int start_sensors(struct fw_app *app)
{
	const struct fw_board *b = app->board;
	int rc = b->sensor->configure(b->sensor_ctx, app->rate_hz, app->range_g);
	if (rc != NP_OK)
		return rc;
	fw_sampler_start(&app->sampler[SENSOR_CHEST], app->rate_hz);
	if (app->sensors > 1)
		start_sensor1(app);
	return NP_OK;
}

/* Send every sensor's queued samples now (before a change of rate or a stop). */
static void flush_samples(struct fw_app *app)
{
	uint32_t now = now_ms(app);
	for (size_t i = 0; i < app->sensors; i++)
		fw_stream_samples(&app->stream, app->board, &app->sampler[i], app->rate_hz, now, true);
}

/* Send what is queued, then stop the sensors. */
static void stop_sensors(struct fw_app *app)
{
	const struct fw_board *b = app->board;

	flush_samples(app);
	for (size_t i = 0; i < app->sensors; i++) {
		fw_sampler_clear(&app->sampler[i]);
		fw_sampler_stop(&app->sampler[i]);
	}
	(void)b->sensor->configure(b->sensor_ctx, RATE_OFF, app->range_g);
	if (app->sensors > 1)
		(void)b->sensor1->configure(b->sensor1_ctx, RATE_OFF, app->range_g);
	app->streaming = false;
}

/* Apply a new rate or range; while streaming the sensor restarts with it. */
static uint8_t reconfigure(struct fw_app *app, uint16_t rate_hz, uint8_t range_g)
{
	uint16_t old_rate = app->rate_hz;
	uint8_t old_range = app->range_g;

	if (app->streaming) {
		/* Samples of the old rate must leave in frames with the old period. */
		flush_samples(app);
	}
	app->rate_hz = rate_hz;
	app->range_g = range_g;
	if (app->streaming && start_sensors(app) != NP_OK) {
		app->rate_hz = old_rate;
		app->range_g = old_range;
		(void)start_sensors(app);
		return NP_ACK_FAILED;
	}
	return NP_ACK_OK;
}

static uint8_t self_test(struct fw_app *app, uint32_t *value)
{
	const struct fw_board *b = app->board;
	uint8_t axes = 0;
	int rc = b->sensor->self_test(b->sensor_ctx, &axes);

	if (rc == NP_ERR_UNSUPP)
		return NP_ACK_UNSUPPORTED;
	app->selftest_ok = rc == NP_OK && axes == FW_AXES_ALL;
	*value = axes;
	/* The sensor was reprogrammed: the next samples start a new run of ticks. */
	fw_sampler_start(&app->sampler[SENSOR_CHEST], app->rate_hz);
	if (!app->streaming)
		fw_sampler_stop(&app->sampler[SENSOR_CHEST]);
	return app->selftest_ok ? NP_ACK_OK : NP_ACK_FAILED;
}

/* Carry out an action fw_command_decide() accepted; returns the ACK result, *value its value. */
static uint8_t execute(struct fw_app *app, const struct fw_cmd_action *act, uint32_t *value)
{
	const struct fw_board *b = app->board;
	uint32_t now = now_ms(app);
	uint8_t result = NP_ACK_OK;

	switch (act->kind) {
	case FW_CMD_START:
		app->streaming = true;
		if (start_sensors(app) != NP_OK) {
			app->streaming = false;
			result = NP_ACK_FAILED;
		}
		break;
	case FW_CMD_STOP:
		stop_sensors(app);
		break;
	case FW_CMD_SET_RATE:
		result = reconfigure(app, act->arg.rate_hz, app->range_g);
		*value = app->rate_hz;
		break;
	case FW_CMD_SET_RANGE:
		result = reconfigure(app, app->rate_hz, act->arg.range_g);
		*value = app->range_g;
		break;
	case FW_CMD_VIBRATE:
		fw_motor_play(&app->motor, act->arg.vibrate.level, act->arg.vibrate.duration_ms,
			      act->arg.vibrate.pattern, now);
		break;
	case FW_CMD_SELF_TEST:
		result = self_test(app, value);
		break;
	case FW_CMD_HELLO: {
		struct np_hello h;
		fw_app_hello(app, &h);
		if (fw_stream_hello(&app->stream, b, &h) != NP_OK)
			result = NP_ACK_FAILED;
		break;
	}
	case FW_CMD_SET_ALERT:
		(void)fw_alert_configure(&app->alert, act->arg.alert.avoid_mask,
					 act->arg.alert.hold_s, act->arg.alert.delay_s);
		break;
	case FW_CMD_STATUS: {
		struct np_status st;
		fw_app_status(app, now, &st);
		if (fw_stream_status(&app->stream, b, &st) != NP_OK)
			result = NP_ACK_FAILED;
		break;
	}
	case FW_CMD_UNKNOWN:
		result = NP_ACK_UNSUPPORTED;
		break;
	}
	return result;
}

/* Answer one frame from the host: COMMANDs get exactly one ACK, other types are counted. */
static void handle_frame(struct fw_app *app, const struct np_frame *f)
{
	struct fw_cmd_action act;
	struct np_ack ack;

	if (f->type != NP_MSG_COMMAND) {
		app->cmd_rejected++;
		return;
	}
	fw_command_decode(f->payload, f->len, &act);
	memset(&ack, 0, sizeof ack);
	ack.cmd_seq = f->seq;
	ack.cmd = act.cmd;
	ack.result = act.result;
	if (act.result == NP_ACK_OK)
		ack.result = execute(app, &act, &ack.value);
	/* SET_ALERT reports the mask in force, whether or not it took the new one. */
	if (act.kind == FW_CMD_SET_ALERT)
		ack.value = app->alert.engine.cfg.avoid_mask;
	(void)fw_stream_ack(&app->stream, app->board, &ack);
}

/* Reassemble frames from bytes the host sent and handle every complete one. */
static void feed_commands(struct fw_app *app, const uint8_t *data, size_t len)
{
	while (len > 0) {
		struct np_frame f;
		size_t used = 0;
		/* A restarted host begins its sequence anew: answer every command
		 * rather than drop it as a duplicate of the previous session's. */
		np_seq_tracker_init(&app->cmd_dec.seq);
		int rc = np_frame_decoder_feed(&app->cmd_dec, data, len, &used, &f);
		data += used;
		len -= used;
		if (rc != NP_OK)
			break;
		handle_frame(app, &f);
	}
}

void fw_app_init(struct fw_app *app, const struct fw_board *board)
{
	struct np_hello h;

	memset(app, 0, sizeof *app);
	app->board = board;
	app->rate_hz = FW_DEFAULT_RATE_HZ;
	app->range_g = FW_DEFAULT_RANGE_G;
	app->sensors = 1; /* the chest; attach_sensor1() adds the thigh */
	fw_sampler_init(&app->sampler[SENSOR_CHEST], app->ring, FW_SAMPLER_RING_LEN, SENSOR_CHEST);
	fw_sampler_init(&app->sampler[SENSOR_THIGH], app->ring + FW_SAMPLER_RING_LEN / FW_SENSORS_MAX,
			FW_SAMPLER_RING_LEN / FW_SENSORS_MAX, SENSOR_THIGH);
	attach_sensor1(app);
	fw_stream_init(&app->stream, now_ms(app));
	fw_alert_init(&app->alert);
	fw_motor_init(&app->motor);
	np_frame_decoder_init(&app->cmd_dec, app->cmd_scratch, sizeof app->cmd_scratch);

	fw_app_hello(app, &h);
	(void)fw_stream_hello(&app->stream, board, &h);
	app->streaming = true;
	if (start_sensors(app) != NP_OK)
		app->streaming = false;
}

/* Move what sensor id has into its ring; only the chest feeds the alert. */
static bool poll_sensor(struct fw_app *app, unsigned id, uint32_t now)
{
	const struct fw_board *b = app->board;
	const struct fw_sensor_ops *ops = id == SENSOR_CHEST ? b->sensor : b->sensor1;
	void *ctx = id == SENSOR_CHEST ? b->sensor_ctx : b->sensor1_ctx;
	struct fw_sampler *s = &app->sampler[id];
	struct np_sample buf[SENSOR_BURST];
	bool any = false;

	if (!app->streaming || !s->running)
		return false;
	for (unsigned k = 0; k < SENSOR_BURSTS_MAX; k++) {
		size_t got = 0;
		bool overrun = false;
		if (ops->read(ctx, buf, SENSOR_BURST, &got, &overrun) != NP_OK || got == 0)
			break;
		any = true;
		uint32_t tick = fw_sampler_push(s, buf, got, now, overrun);

		/* The alert sees every sample, even those a slow link made the ring drop:
		 * it must work with no host at all. */
		for (size_t i = 0; id == SENSOR_CHEST && i < got; i++, tick += s->period_ms) {
			struct np_event ev;
			if (fw_alert_feed_sample(&app->alert, &buf[i], FW_LSB_PER_G, tick, &ev))
				(void)fw_stream_event(&app->stream, b, &ev);
		}
		if (got < SENSOR_BURST) /* drained */
			break;
	}
	return any;
}

bool fw_app_poll(struct fw_app *app)
{
	const struct fw_board *b = app->board;
	uint8_t rx[LINK_CHUNK];
	size_t n;
	bool busy = false;

	/* Bounded, like the sensor loop: a flooding host must not starve the
	 * watchdog kick below (the rest waits for the next pass). */
	for (unsigned k = 0; k < LINK_READS_MAX && (n = b->ops->link_read(b->ctx, rx, sizeof rx)) > 0;
	     k++) {
		feed_commands(app, rx, n);
		busy = true;
	}

	uint32_t now = now_ms(app);
	if (poll_sensor(app, SENSOR_CHEST, now))
		busy = true;
	/* A board may find its second sensor while reading the first (QEMU). */
	attach_sensor1(app);
	if (app->sensors > 1 && poll_sensor(app, SENSOR_THIGH, now))
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
