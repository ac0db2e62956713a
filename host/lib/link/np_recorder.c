/* The live pipeline shared by `record` and `replay` (see np_recorder.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_clock.h"
#include "np_err.h"
#include "np_recorder.h"
#include "np_settings.h"

/* Mean gravity over this long feeds the position tracker: long enough to
 * average out breathing and heartbeat, short enough for a live display. */
#define WINDOW_S 1u
/* A jump in device time longer than this starts a new window. */
#define MAX_SAMPLE_GAP_S 2u
#define IDENTIFY_LISTEN_MS 200u
#define IDENTIFY_RESEND_MS 500u
/* A HELLO this soon after we asked for one, continuing the sequence, is a late
 * answer (the device was slow, or answered twice), not a restart. */
#define HELLO_ANSWER_MS 2000u
#define RECONNECT_IDENTIFY_MS 2000u
#define RETRY_MS 1000u
#define FLUSH_MS 1000u
/* After a reconnect, a HELLO whose sequence number continues the old stream
 * by at most this many frames per second of gap (plus 5 s of slack) is the
 * same run of the device; anything else means it restarted. 50 frames/s is
 * far above any rate the firmware sends at (one SAMPLES frame holds up to
 * 128 samples, plus one STATUS per second). */
#define MAX_FRAMES_PER_S 50u
#define VIBRATE_MS_PER_LEVEL 400u
/* A device that has not acknowledged SET_ALERT within this long does not have it. */
#define ACK_TIMEOUT_MS 3000u
/* No answer to a command (np_note.ack_result). */
#define ACK_NONE 0xffu

struct np_recorder {
	struct np_recorder_cfg cfg;
	struct np_recorder_hooks hooks;
	struct np_transport t;
	struct np_rec_writer *w;
	int werr;             /* first writer error; sticky */
	int werrno;
	uint32_t last_flush_ms;

	uint8_t scratch[NP_FRAME_WIRE_MAX];
	uint8_t rx[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	uint16_t host_seq;    /* sequence of frames the host writes (commands, events) */
	bool have_dev_seq;
	uint16_t last_dev_seq;
	/* The HELLO that answered the last identification */
	uint16_t id_seq;
	uint16_t id_len;
	uint8_t id_payload[NP_PAYLOAD_MAX];

	bool hello_asked;
	uint32_t hello_asked_ms;
	bool samples_since_hello; /* a HELLO after samples is a restart, before them it opens the stream */

	uint32_t lost_at_ms;
	uint32_t next_retry_ms;

	/* Gravity window (sensor 0, body frame) */
	struct np_posture_tracker trk;
	bool have_tick;
	uint32_t last_tick;
	double sum_x, sum_y, sum_z;
	uint32_t win_n;
	uint64_t win_ticks;

	struct np_alert alert;  /* the host's decisions */
	bool set_alert_pending; /* SET_ALERT sent, no ACK yet */
	uint16_t set_alert_seq;
	uint32_t set_alert_ms;

	/* Device time of the chest samples: anchored on the host clock at the first
	 * sample (and again after a restart), then advanced by the ticks, so that
	 * data arriving faster or slower than real time keeps its own time. */
	bool have_anchor;
	uint32_t anchor_tick, anchor_ms;
	bool settings_written; /* the settings note is in the recording */

	struct np_live_state st;
};

void np_recorder_cfg_default(struct np_recorder_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	np_live_settings_default(&cfg->live);
	cfg->send_commands = true;
}

uint64_t np_live_frames_lost(const struct np_live_state *s)
{
	return (uint64_t)s->frames.frames_missed + s->frames_lost_link;
}

static void note(struct np_recorder *rec, const struct np_note *n)
{
	if (rec->hooks.note)
		rec->hooks.note(rec->hooks.ctx, n);
}

static uint32_t now_ms(struct np_recorder *rec)
{
	return rec->hooks.now_ms(rec->hooks.ctx);
}

static void sleep_ms(struct np_recorder *rec, unsigned ms)
{
	if (rec->hooks.sleep_ms) {
		rec->hooks.sleep_ms(rec->hooks.ctx, ms);
		return;
	}
	np_clock_sleep_s(ms / 1000.0);
}

/* ---- Recording ---- */

static void record(struct np_recorder *rec, uint32_t host_ms, uint8_t origin, const struct np_frame *f)
{
	if (!rec->w || rec->werr)
		return;
	int rc = np_rec_writer_append(rec->w, host_ms, origin, f);
	if (rc != NP_OK) {
		rec->werr = rc;
		rec->werrno = errno;
		return;
	}
	rec->st.frames_written++;
}

static void record_event(struct np_recorder *rec, uint32_t host_ms, uint8_t kind, uint8_t pos,
			 uint8_t level, uint32_t value)
{
	struct np_event ev = {
		.tick = rec->last_tick, .kind = kind, .position = pos, .level = level, .value = value,
	};
	uint8_t p[NP_EVENT_LEN];
	size_t n;
	if (np_event_encode(&ev, p, sizeof p, &n) != NP_OK)
		return;
	struct np_frame f = { .type = NP_MSG_EVENT, .seq = rec->host_seq++, .len = (uint16_t)n, .payload = p };
	record(rec, host_ms, NP_ORIGIN_HOST, &f);
}

/* The settings note, timed at the first chest sample so that readers place it at the night's start. */
static void record_settings(struct np_recorder *rec, uint32_t host_ms, uint32_t tick)
{
	struct np_annotation a = {
		.start_tick = tick, .end_tick = tick, .kind = NP_ANN_NOTE, .position = NP_POS_UNKNOWN,
	};
	uint8_t p[NP_ANNOTATION_HEADER_LEN + NP_ANNOTATION_TEXT_MAX];
	size_t n;
	rec->settings_written = true;
	if (np_live_settings_text(&rec->cfg.live, a.text, sizeof a.text) != NP_OK)
		return;
	a.text_len = (uint8_t)strlen(a.text);
	if (np_annotation_encode(&a, p, sizeof p, &n) != NP_OK)
		return;
	struct np_frame f = { .type = NP_MSG_ANNOTATION, .seq = rec->host_seq++, .len = (uint16_t)n, .payload = p };
	record(rec, host_ms, NP_ORIGIN_HOST, &f);
}

static void flush(struct np_recorder *rec, uint32_t now)
{
	rec->last_flush_ms = now;
	if (!rec->w || rec->werr)
		return;
	int rc = np_rec_writer_flush(rec->w);
	if (rc != NP_OK) {
		rec->werr = rc;
		rec->werrno = errno;
	}
}

/* ---- Commands ---- */

static int send_command(struct np_recorder *rec, uint8_t cmd, uint8_t arg8, uint16_t arg16,
			uint32_t arg32)
{
	if (!rec->cfg.send_commands || !rec->t.ops)
		return NP_OK;
	struct np_command c = { .cmd = cmd, .arg8 = arg8, .arg16 = arg16, .arg32 = arg32 };
	uint8_t p[NP_COMMAND_LEN], wire[NP_COBS_MAX(NP_FRAME_HEADER_LEN + NP_COMMAND_LEN + NP_FRAME_CRC_LEN) + 2];
	size_t n, wn;
	int rc = np_command_encode(&c, p, sizeof p, &n);
	if (rc == NP_OK)
		rc = np_frame_encode(NP_MSG_COMMAND, rec->host_seq++, p, n, wire, sizeof wire, &wn);
	if (rc == NP_OK)
		rc = np_transport_write(&rec->t, wire, wn);
	return rc;
}

static void send_alert_settings(struct np_recorder *rec);

/* Ask for the configured rate and start streaming; a failure shows up as a lost link on the next read. */
static void start_streaming(struct np_recorder *rec)
{
	if (rec->cfg.rate_hz)
		send_command(rec, NP_CMD_SET_RATE, 0, rec->cfg.rate_hz, 0);
	send_alert_settings(rec);
	send_command(rec, NP_CMD_START, 0, 0, 0);
}

/* ---- Position and alerts ---- */

/* SET_ALERT's arg32: the delay, and whether to alert only while asleep. */
static uint32_t alert_delay_arg(const struct np_live_settings *s, uint32_t delay_s)
{
	return delay_s | (s->alert_when == NP_ALERT_WHEN_ASLEEP ? NP_ALERT_ARG_ASLEEP : 0u);
}

/* The host's alert settings for the engine; alert_after_s 0 (or nothing to avoid) disables. */
static void alert_cfg(const struct np_live_settings *s, struct np_alert_cfg *c)
{
	np_alert_cfg_default(c);
	if (np_alert_cfg_from_s(c, s->alert_after_s ? s->avoid_mask : 0, s->alert_after_s,
				alert_delay_arg(s, s->alert_delay_s)) != NP_OK)
		np_alert_cfg_from_s(c, 0, 0, 0);
}

/* Whether the device should run the alert itself: vibrate mode, an alert asked for,
 * and a hold that SET_ALERT's 16 bits can carry. */
static bool device_should_alert(const struct np_recorder *rec)
{
	const struct np_live_settings *s = &rec->cfg.live;
	return s->alert_mode == NP_ALERT_MODE_VIBRATE && s->alert_after_s > 0 && s->avoid_mask != 0 &&
	       s->alert_after_s <= UINT16_MAX;
}

/* Tell the device what to alert on: the host's rules in vibrate mode, nothing
 * otherwise. After a reconnect only the start delay still to run is sent. */
static void send_alert_settings(struct np_recorder *rec)
{
	if (!rec->cfg.send_commands || !rec->t.ops)
		return;
	const struct np_live_settings *s = &rec->cfg.live;
	bool on = device_should_alert(rec);
	uint32_t delay_s = s->alert_delay_s;
	if (rec->alert.started) {
		uint32_t ran_s = (rec->st.device_ms - rec->alert.start_ms) / 1000u;
		delay_s = ran_s < delay_s ? delay_s - ran_s : 0;
	}
	rec->set_alert_seq = rec->host_seq;
	if (send_command(rec, NP_CMD_SET_ALERT, on ? (uint8_t)s->avoid_mask : 0,
			 on ? (uint16_t)s->alert_after_s : 0, on ? alert_delay_arg(s, delay_s) : 0) != NP_OK)
		return;
	rec->set_alert_pending = true;
	rec->set_alert_ms = now_ms(rec);
}

static void command_refused(struct np_recorder *rec, uint8_t cmd, uint8_t result)
{
	struct np_note n = {
		.kind = NP_NOTE_COMMAND_REFUSED, .host_ms = now_ms(rec), .cmd = cmd, .ack_result = result,
	};
	note(rec, &n);
}

static void on_ack(struct np_recorder *rec, const struct np_ack *a)
{
	if (a->cmd != NP_CMD_SET_ALERT || !rec->set_alert_pending || a->cmd_seq != rec->set_alert_seq)
		return;
	rec->set_alert_pending = false;
	rec->st.device_alerting = a->result == NP_ACK_OK && device_should_alert(rec);
	if (a->result != NP_ACK_OK)
		command_refused(rec, a->cmd, a->result);
}

/* A SET_ALERT never answered: the host vibrates the device itself. */
static void check_ack_timeout(struct np_recorder *rec, uint32_t now)
{
	if (!rec->set_alert_pending || now - rec->set_alert_ms < ACK_TIMEOUT_MS)
		return;
	rec->set_alert_pending = false;
	rec->st.device_alerting = false;
	command_refused(rec, NP_CMD_SET_ALERT, ACK_NONE);
}

static void host_alert(struct np_recorder *rec, uint32_t host_ms, const struct np_event *ev)
{
	struct np_live_state *st = &rec->st;
	if (ev->kind == NP_EVENT_ALERT_CLEARED) {
		st->alert_level = 0;
		struct np_note c = {
			.kind = NP_NOTE_ALERT_CLEARED, .host_ms = host_ms,
			.position = (enum np_position)ev->position, .seconds = ev->value,
		};
		note(rec, &c);
		return;
	}
	st->alert_level = ev->level;
	st->alerts++;
	record_event(rec, host_ms, NP_EVENT_HOST_ALERT, ev->position, ev->level, ev->value);
	/* Vibrated by the device's own engine when it took the settings. */
	if (rec->cfg.live.alert_mode == NP_ALERT_MODE_VIBRATE && !st->device_alerting &&
	    !rec->set_alert_pending)
		send_command(rec, NP_CMD_VIBRATE, ev->level,
			     (uint16_t)(VIBRATE_MS_PER_LEVEL * ev->level), 0);
	struct np_note n = {
		.kind = NP_NOTE_ALERT, .host_ms = host_ms, .position = (enum np_position)ev->position,
		.level = ev->level, .seconds = ev->value,
	};
	note(rec, &n);
}

/* An alert EVENT the device sent: counted and shown, never acted on. */
static void device_alert(struct np_recorder *rec, const struct np_event *ev, uint32_t host_ms)
{
	if (ev->kind != NP_EVENT_ALERT_FIRED && ev->kind != NP_EVENT_ALERT_CLEARED)
		return;
	bool fired = ev->kind == NP_EVENT_ALERT_FIRED;
	rec->st.device_alerts += fired;
	struct np_note n = {
		.kind = fired ? NP_NOTE_ALERT : NP_NOTE_ALERT_CLEARED, .host_ms = host_ms,
		.position = (enum np_position)ev->position, .level = ev->level, .seconds = ev->value,
		.from_device = true,
	};
	note(rec, &n);
}

static void set_position(struct np_recorder *rec, enum np_position pos, uint32_t host_ms)
{
	struct np_live_state *st = &rec->st;
	if (pos == st->position)
		return;
	st->position = pos;
	/* The tracker reports a new position only after its minimum dwell; the
	 * wearer has been in it since the tracker first saw it. */
	st->position_since_ms = rec->trk.current_since_ms;
	struct np_note n = { .kind = NP_NOTE_POSITION, .host_ms = host_ms, .position = pos };
	note(rec, &n);
}

/* Device time of a chest sample at tick. */
static uint32_t device_ms(struct np_recorder *rec, uint32_t tick, uint32_t tick_hz, uint32_t host_ms)
{
	/* A tick before the anchor is a clock that restarted: anchor again. */
	if (!rec->have_anchor || (int32_t)(tick - rec->anchor_tick) < 0) {
		rec->have_anchor = true;
		rec->anchor_tick = tick;
		rec->anchor_ms = host_ms;
	}
	return rec->anchor_ms + (uint32_t)((uint64_t)(tick - rec->anchor_tick) * 1000u / tick_hz);
}

static void reset_window(struct np_recorder *rec)
{
	rec->have_tick = false;
	rec->sum_x = rec->sum_y = rec->sum_z = 0;
	rec->win_n = 0;
	rec->win_ticks = 0;
}

static void finish_window(struct np_recorder *rec, uint32_t host_ms, uint32_t tick_hz)
{
	struct np_live_state *st = &rec->st;
	double dur_s = (double)rec->win_ticks / tick_hz;
	struct np_vec3 g = {
		(float)(rec->sum_x / rec->win_n), (float)(rec->sum_y / rec->win_n),
		(float)(rec->sum_z / rec->win_n),
	};
	st->rate_hz = dur_s > 0 ? rec->win_n / dur_s : 0;
	enum np_position pos = np_posture_tracker_feed(&rec->trk, g, st->device_ms);
	set_position(rec, pos, host_ms);
	np_alert_angle(&rec->alert, np_anglez_deg(g), st->device_ms);
	st->time_in_s[pos] += dur_s;
	rec->sum_x = rec->sum_y = rec->sum_z = 0;
	rec->win_n = 0;
	rec->win_ticks = 0;
	struct np_event ev;
	if (np_alert_update(&rec->alert, st->position, st->position_since_ms, st->device_ms, &ev))
		host_alert(rec, host_ms, &ev);
}

static void on_samples(struct np_recorder *rec, const struct np_samples *s, uint32_t host_ms)
{
	struct np_live_state *st = &rec->st;
	st->samples += s->count;
	if (s->sensor_id != 0)
		return;
	if (!rec->settings_written && rec->w)
		record_settings(rec, host_ms, s->first_tick);
	if (rec->hooks.samples)
		rec->hooks.samples(rec->hooks.ctx, s);
	uint32_t tick_hz = st->hello.tick_hz ? st->hello.tick_hz : 1000u;
	float lsb = st->hello.lsb_per_g ? (float)st->hello.lsb_per_g : 1000.0f;
	for (unsigned i = 0; i < s->count; i++) {
		uint32_t tick = s->first_tick + i * (uint32_t)s->period_ticks;
		uint32_t dt = rec->have_tick ? tick - rec->last_tick : 0;
		if (rec->have_tick && (dt > MAX_SAMPLE_GAP_S * tick_hz)) {
			/* Device time jumped (samples lost, or a clock restart): a window
			 * spanning it would average two different postures. */
			reset_window(rec);
			dt = 0;
		}
		/* Each sample stands for one sample period; irregular data (period 0)
		 * for the time since the previous one. */
		if (s->period_ticks)
			dt = s->period_ticks;
		rec->have_tick = true;
		rec->last_tick = tick;
		st->device_ms = device_ms(rec, tick, tick_hz, host_ms);
		if (!rec->alert.started) {
			/* The start delay counts from the night's first sample. */
			struct np_event ev;
			np_alert_update(&rec->alert, NP_POS_UNKNOWN, st->device_ms, st->device_ms, &ev);
		}
		struct np_vec3 v = { s->s[i].x / lsb, s->s[i].y / lsb, s->s[i].z / lsb };
		v = np_mat3_apply(&rec->cfg.live.mounting, v);
		rec->sum_x += v.x;
		rec->sum_y += v.y;
		rec->sum_z += v.z;
		rec->win_n++;
		rec->win_ticks += dt;
		if (rec->win_ticks >= (uint64_t)WINDOW_S * tick_hz)
			finish_window(rec, host_ms, tick_hz);
	}
}

static void device_reset(struct np_recorder *rec, const struct np_hello *h, uint32_t host_ms)
{
	rec->st.device_resets++;
	rec->st.hello = *h;
	reset_window(rec);
	rec->have_anchor = false; /* its clock starts again */
	struct np_note n = { .kind = NP_NOTE_DEVICE_RESET, .host_ms = host_ms, .hello = h };
	note(rec, &n);
}

/* Whether a frame with seq continues the device's stream after gap_ms without
 * frames (false: the device restarted and counts from 0 again). */
static bool continues_stream(const struct np_recorder *rec, uint16_t seq, uint32_t gap_ms)
{
	uint16_t d = (uint16_t)(seq - rec->last_dev_seq - 1u);
	return rec->have_dev_seq && d <= (gap_ms / 1000u + 5u) * MAX_FRAMES_PER_S;
}

/* One frame from the device, delivered by the decoder, at host_ms. */
static void process(struct np_recorder *rec, const struct np_frame *f, uint32_t host_ms)
{
	struct np_live_state *st = &rec->st;
	if (f->type == NP_MSG_HELLO && rec->hello_asked &&
	    host_ms - rec->hello_asked_ms <= HELLO_ANSWER_MS && continues_stream(rec, f->seq, 0)) {
		/* Not recorded: in the file a HELLO marks a restart. */
		rec->last_dev_seq = f->seq;
		return;
	}
	st->host_ms = host_ms;
	record(rec, host_ms, NP_ORIGIN_DEVICE, f);
	rec->have_dev_seq = true;
	rec->last_dev_seq = f->seq;
	switch (f->type) {
	case NP_MSG_HELLO: {
		/* Unasked-for: the device restarted (watchdog, fault, power). It
		 * needs START again; the HELLO frame in the file marks the seam. */
		struct np_hello h;
		if (np_hello_decode(f->payload, f->len, &h) != NP_OK)
			break;
		if (rec->samples_since_hello)
			device_reset(rec, &h, host_ms);
		else
			rec->st.hello = h; /* opens the stream (as the first frame of a built recording) */
		rec->samples_since_hello = false;
		start_streaming(rec);
		break;
	}
	case NP_MSG_SAMPLES: {
		struct np_samples s;
		if (np_samples_decode(f->payload, f->len, &s) == NP_OK) {
			rec->samples_since_hello = true;
			on_samples(rec, &s, host_ms);
		}
		break;
	}
	case NP_MSG_STATUS: {
		struct np_status s;
		if (np_status_decode(f->payload, f->len, &s) == NP_OK)
			st->device_dropped = s.samples_dropped;
		break;
	}
	case NP_MSG_ACK: {
		struct np_ack a;
		if (np_ack_decode(f->payload, f->len, &a) == NP_OK)
			on_ack(rec, &a);
		break;
	}
	case NP_MSG_EVENT: {
		struct np_event ev;
		if (np_event_decode(f->payload, f->len, &ev) == NP_OK)
			device_alert(rec, &ev, host_ms);
		break;
	}
	default:
		break;
	}
}

/* ---- Life cycle ---- */

int np_recorder_new(struct np_recorder **out, const struct np_recorder_cfg *cfg,
		    const struct np_recorder_hooks *hooks, struct np_transport *t)
{
	*out = NULL;
	if (!cfg || !hooks || !hooks->now_ms || !t || !t->ops) {
		if (t)
			np_transport_close(t);
		return NP_ERR_ARG;
	}
	struct np_recorder *rec = calloc(1, sizeof *rec);
	if (!rec) {
		np_transport_close(t);
		return NP_ERR_NOMEM;
	}
	rec->cfg = *cfg;
	rec->hooks = *hooks;
	rec->t = *t;
	t->ops = NULL;
	t->self = NULL;
	np_frame_decoder_init(&rec->dec, rec->scratch, sizeof rec->scratch);
	struct np_posture_cfg pc;
	np_posture_cfg_default(&pc);
	np_posture_tracker_init(&rec->trk, &pc);
	struct np_alert_cfg ac;
	alert_cfg(&rec->cfg.live, &ac);
	np_alert_init(&rec->alert, &ac);
	rec->st.position = NP_POS_UNKNOWN;
	rec->st.link_up = true;
	*out = rec;
	return NP_OK;
}

/* The next frame in rx[*off..got), or false when those bytes are used up. */
static bool next_frame(struct np_recorder *rec, size_t got, size_t *off, struct np_frame *f)
{
	while (*off < got) {
		size_t used;
		int rc = np_frame_decoder_feed(&rec->dec, rec->rx + *off, got - *off, &used, f);
		*off += used;
		if (rc == NP_OK)
			return true;
		if (used == 0)
			break;
	}
	return false;
}

int np_recorder_identify(struct np_recorder *rec, unsigned timeout_ms, struct np_hello *hello)
{
	uint32_t t0 = now_ms(rec), last_ask = 0;
	bool asked = false;
	memset(hello, 0, sizeof *hello);
	for (;;) {
		uint32_t now = now_ms(rec);
		if (now - t0 >= timeout_ms)
			return NP_ERR_TIMEOUT;
		/* Listen before asking: a device that just booted has sent its HELLO
		 * already (a PTY or a UART buffers it), and asking as well would bring
		 * a second one that could pass for a restart. */
		if ((!asked && now - t0 >= IDENTIFY_LISTEN_MS) ||
		    (asked && now - last_ask >= IDENTIFY_RESEND_MS)) {
			int rc = send_command(rec, NP_CMD_HELLO, 0, 0, 0);
			if (rc != NP_OK)
				return rc;
			asked = true;
			last_ask = now;
			rec->hello_asked_ms = now;
			rec->hello_asked = true;
		}
		size_t got;
		int rc = np_transport_read(&rec->t, rec->rx, sizeof rec->rx, &got, 100);
		if (rc != NP_OK)
			return rc;
		size_t off = 0;
		struct np_frame f;
		while (next_frame(rec, got, &off, &f)) {
			if (f.type == NP_MSG_HELLO && np_hello_decode(f.payload, f.len, hello) == NP_OK) {
				/* Bytes after the HELLO in this read are dropped with the
				 * rest of the identification phase. */
				rec->id_seq = f.seq;
				rec->id_len = f.len;
				memcpy(rec->id_payload, f.payload, f.len);
				np_frame_decoder_drop_partial(&rec->dec);
				return NP_OK;
			}
		}
	}
}

int np_recorder_start(struct np_recorder *rec, const char *path, const struct np_rec_header *h)
{
	rec->st.hello = h->hello;
	if (rec->id_len) {
		/* Identified live: the stream continues from that HELLO. */
		rec->have_dev_seq = true;
		rec->last_dev_seq = rec->id_seq;
	}
	if (path) {
		int rc = np_rec_writer_open(&rec->w, path, h, NP_REC_COMMIT_AT_OPEN);
		if (rc != NP_OK) {
			rec->w = NULL;
			return rc;
		}
	}
	rec->last_flush_ms = now_ms(rec);
	start_streaming(rec);
	return NP_OK;
}

const struct np_live_state *np_recorder_state(const struct np_recorder *rec)
{
	return &rec->st;
}

static void link_lost(struct np_recorder *rec, int err, uint32_t now)
{
	struct np_live_state *st = &rec->st;
	st->link_up = false;
	st->link_losses++;
	rec->lost_at_ms = now;
	rec->next_retry_ms = now + RETRY_MS;
	np_transport_close(&rec->t);
	np_frame_decoder_drop_partial(&rec->dec);
	record_event(rec, now, NP_EVENT_LINK_LOST, NP_POS_UNKNOWN, 0, 0);
	/* The gap is the most likely moment for a crash or a pulled power cord too. */
	flush(rec, now);
	struct np_note n = { .kind = NP_NOTE_LINK_LOST, .host_ms = now, .err = err };
	note(rec, &n);
}

/* One reconnection attempt; st->link_up says whether it worked. */
static void try_reconnect(struct np_recorder *rec)
{
	struct np_live_state *st = &rec->st;
	uint32_t now = now_ms(rec);
	rec->next_retry_ms = now + RETRY_MS;
	if (rec->hooks.reopen(rec->hooks.ctx, &rec->t) != NP_OK || !rec->t.ops) {
		rec->t.ops = NULL;
		return;
	}
	struct np_hello h;
	if (np_recorder_identify(rec, RECONNECT_IDENTIFY_MS, &h) != NP_OK) {
		np_transport_close(&rec->t);
		return;
	}
	now = now_ms(rec);
	if (strcmp(h.serial, st->hello.serial) != 0) {
		st->refused++;
		struct np_note n = { .kind = NP_NOTE_DEVICE_REFUSED, .host_ms = now, .hello = &h };
		note(rec, &n);
		np_transport_close(&rec->t);
		rec->next_retry_ms = now + RETRY_MS;
		return;
	}
	uint32_t gap_ms = now - rec->lost_at_ms;
	record_event(rec, now, NP_EVENT_LINK_RESTORED, NP_POS_UNKNOWN, 0, gap_ms);
	st->link_up = true;
	/* The identification HELLO's own sequence number tells whether the device
	 * kept running: then the frames it sent meanwhile are lost and counted;
	 * otherwise it restarted and its HELLO goes into the file as the seam. */
	if (continues_stream(rec, rec->id_seq, gap_ms)) {
		st->frames_lost_link += (uint16_t)(rec->id_seq - rec->last_dev_seq - 1u);
	} else {
		struct np_frame f = {
			.type = NP_MSG_HELLO, .seq = rec->id_seq, .len = rec->id_len, .payload = rec->id_payload,
		};
		record(rec, now, NP_ORIGIN_DEVICE, &f);
		device_reset(rec, &h, now);
		rec->samples_since_hello = false;
	}
	rec->have_dev_seq = true;
	rec->last_dev_seq = rec->id_seq;
	struct np_note n = { .kind = NP_NOTE_LINK_RESTORED, .host_ms = now, .seconds = gap_ms / 1000u };
	note(rec, &n);
	start_streaming(rec);
}

int np_recorder_step(struct np_recorder *rec, unsigned timeout_ms)
{
	if (rec->werr) {
		errno = rec->werrno;
		return rec->werr;
	}
	struct np_live_state *st = &rec->st;
	if (!st->link_up) {
		if (!rec->hooks.reopen)
			return NP_ERR_NODEV;
		uint32_t now = now_ms(rec);
		int32_t wait = (int32_t)(rec->next_retry_ms - now);
		if (wait > 0) {
			sleep_ms(rec, (unsigned)wait < timeout_ms ? (unsigned)wait : timeout_ms);
		} else {
			try_reconnect(rec);
		}
	} else {
		/* Wake up when the once-a-second flush is due, not up to a read
		 * timeout or a frame interval later: what was received reaches the
		 * file within FLUSH_MS, so kill -9 loses at most that. */
		if (rec->w) {
			uint32_t since = now_ms(rec) - rec->last_flush_ms;
			unsigned left = since >= FLUSH_MS ? 0u : FLUSH_MS - since;
			if (timeout_ms > left)
				timeout_ms = left;
		}
		size_t got = 0;
		int rc = np_transport_read(&rec->t, rec->rx, sizeof rec->rx, &got, timeout_ms);
		if (rc == NP_ERR_EOF)
			return NP_ERR_EOF;
		uint32_t now = now_ms(rec);
		if (rc != NP_OK) {
			link_lost(rec, rc, now);
			if (!rec->hooks.reopen) {
				st->frames = rec->dec.stats;
				return NP_ERR_NODEV;
			}
		}
		size_t off = 0;
		struct np_frame f;
		while (next_frame(rec, got, &off, &f))
			process(rec, &f, now);
	}
	st->frames = rec->dec.stats;
	uint32_t now = now_ms(rec);
	check_ack_timeout(rec, now);
	if (now - rec->last_flush_ms >= FLUSH_MS)
		flush(rec, now);
	if (rec->werr) {
		errno = rec->werrno;
		return rec->werr;
	}
	return NP_OK;
}

int np_recorder_stop(struct np_recorder *rec)
{
	if (rec->st.link_up && rec->t.ops)
		send_command(rec, NP_CMD_STOP, 0, 0, 0);
	int rc = rec->werr;
	int e = rec->werrno;
	if (rec->w) {
		int crc = np_rec_writer_close(rec->w);
		rec->w = NULL;
		if (rc == NP_OK) {
			rc = crc;
			e = errno;
		}
	}
	errno = e;
	return rc;
}

void np_recorder_free(struct np_recorder *rec)
{
	if (!rec)
		return;
	if (rec->w)
		np_rec_writer_close(rec->w);
	np_transport_close(&rec->t);
	free(rec);
}

static uint32_t probe_now(void *ctx)
{
	return np_clock_ms(ctx);
}

int np_device_probe(struct np_transport *t, unsigned timeout_ms, struct np_hello *hello)
{
	struct np_clock t0;
	np_clock_start(&t0);
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	struct np_recorder_hooks hooks = { .now_ms = probe_now, .ctx = &t0 };
	struct np_recorder *rec;
	int rc = np_recorder_new(&rec, &cfg, &hooks, t);
	if (rc != NP_OK)
		return rc;
	rc = np_recorder_identify(rec, timeout_ms, hello);
	np_recorder_free(rec);
	return rc;
}
