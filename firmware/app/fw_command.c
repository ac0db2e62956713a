#include <string.h>

#include "fw_app.h"
#include "fw_command.h"
#include "np_err.h"

static bool rate_ok(unsigned hz)
{
	return hz == 10u || hz == 25u || hz == 50u || hz == 100u;
}

static bool range_ok(unsigned g)
{
	return g == 2u || g == 4u || g == 8u || g == 16u;
}

/* Apply a new rate or range; while streaming the sensor restarts with it. */
static uint8_t reconfigure(struct fw_app *app, uint16_t rate_hz, uint8_t range_g)
{
	uint16_t old_rate = app->rate_hz;
	uint8_t old_range = app->range_g;

	if (app->streaming) {
		/* Samples of the old rate must leave in frames with the old period. */
		fw_app_flush(app);
	}
	app->rate_hz = rate_hz;
	app->range_g = range_g;
	if (app->streaming && fw_app_start(app) != NP_OK) {
		app->rate_hz = old_rate;
		app->range_g = old_range;
		(void)fw_app_start(app);
		return NP_ACK_FAILED;
	}
	return NP_ACK_OK;
}

void fw_command_execute(struct fw_app *app, const struct np_command *c, struct np_ack *ack)
{
	const struct fw_board *b = app->board;
	uint32_t now = b->ops->now_ms(b->ctx);
	uint8_t axes = 0;
	int rc;

	ack->cmd = c->cmd;
	ack->result = NP_ACK_OK;
	ack->value = 0;

	switch (c->cmd) {
	case NP_CMD_START:
		app->streaming = true;
		if (fw_app_start(app) != NP_OK) {
			app->streaming = false;
			ack->result = NP_ACK_FAILED;
		}
		break;
	case NP_CMD_STOP:
		fw_app_stop(app);
		break;
	case NP_CMD_SET_RATE:
		if (!rate_ok(c->arg16)) {
			ack->result = NP_ACK_BAD_ARG;
			break;
		}
		ack->result = reconfigure(app, c->arg16, app->range_g);
		ack->value = app->rate_hz;
		break;
	case NP_CMD_SET_RANGE:
		if (!range_ok(c->arg8)) {
			ack->result = NP_ACK_BAD_ARG;
			break;
		}
		ack->result = reconfigure(app, app->rate_hz, c->arg8);
		ack->value = app->range_g;
		break;
	case NP_CMD_VIBRATE:
		if (c->arg8 > FW_MOTOR_LEVEL_MAX || (c->arg8 == 0 && c->arg16 != 0)) {
			ack->result = NP_ACK_BAD_ARG;
			break;
		}
		fw_motor_play(&app->motor, c->arg8, c->arg16, c->arg32, now);
		break;
	case NP_CMD_IDENTIFY:
		fw_motor_play(&app->motor, 1, FW_MOTOR_IDENTIFY_MS, FW_MOTOR_IDENTIFY_PATTERN, now);
		break;
	case NP_CMD_SELF_TEST:
		rc = b->sensor->self_test(b->sensor_ctx, &axes);
		if (rc == NP_ERR_UNSUPP) {
			ack->result = NP_ACK_UNSUPPORTED;
			break;
		}
		app->selftest_ok = rc == NP_OK && axes == 7u;
		ack->result = app->selftest_ok ? NP_ACK_OK : NP_ACK_FAILED;
		ack->value = axes;
		/* The sensor was reprogrammed: the next samples start a new run of ticks. */
		fw_sampler_start(&app->sampler[0], app->rate_hz);
		if (!app->streaming)
			fw_sampler_stop(&app->sampler[0]);
		break;
	case NP_CMD_HELLO: {
		struct np_hello h;
		fw_app_hello(app, &h);
		if (fw_stream_hello(&app->stream, b, &h) != NP_OK)
			ack->result = NP_ACK_FAILED;
		break;
	}
	case NP_CMD_SET_ALERT:
		if (fw_alert_configure(&app->alert, c->arg8, c->arg16, c->arg32) != NP_OK)
			ack->result = NP_ACK_BAD_ARG;
		ack->value = app->alert.avoid_mask;
		break;
	case NP_CMD_STATUS: {
		struct np_status st;
		fw_app_status(app, now, &st);
		if (fw_stream_status(&app->stream, b, &st) != NP_OK)
			ack->result = NP_ACK_FAILED;
		break;
	}
	default:
		ack->result = NP_ACK_UNSUPPORTED;
		break;
	}
}

static void handle_frame(struct fw_app *app, const struct np_frame *f)
{
	struct np_command c;
	struct np_ack ack;

	if (f->type != NP_MSG_COMMAND) {
		app->cmd_rejected++;
		return;
	}
	memset(&ack, 0, sizeof ack);
	if (np_command_decode(f->payload, f->len, &c) != NP_OK) {
		ack.cmd = f->len > 0 ? f->payload[0] : 0;
		ack.result = NP_ACK_BAD_ARG;
	} else {
		fw_command_execute(app, &c, &ack);
	}
	ack.cmd_seq = f->seq;
	(void)fw_stream_ack(&app->stream, app->board, &ack);
}

void fw_command_feed(struct fw_app *app, const uint8_t *data, size_t len)
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
