/* The live pipeline against the scripted fake transport: every fault of a serial
 * link that a night can bring, counted and recorded as the user will be told. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_transport.h"
#include "np_err.h"
#include "np_recorder.h"
#include "np_recording.h"
#include "np_transport_file.h"

#define SERIAL "NP-TEST-0001"
#define MAX_NOTES 256
#define MAX_FAKES 4

struct harness {
	uint32_t clock;
	struct fake_transport *fake[MAX_FAKES]; /* [0] first connection, then one per reopen */
	size_t n_fake, next_reopen;
	unsigned reopen_failures; /* reopen attempts that found no device */
	struct np_note notes[MAX_NOTES];
	size_t n_notes;
	char path[256];
};

static uint32_t h_now(void *ctx)
{
	return ((struct harness *)ctx)->clock;
}

static void h_sleep(void *ctx, unsigned ms)
{
	((struct harness *)ctx)->clock += ms;
}

static void h_note(void *ctx, const struct np_note *n)
{
	struct harness *h = ctx;
	if (h->n_notes < MAX_NOTES)
		h->notes[h->n_notes++] = *n;
}

/* The device is back only from the second attempt on: a real unplug lasts a while. */
static int h_reopen(void *ctx, struct np_transport *t)
{
	struct harness *h = ctx;
	if (h->reopen_failures < 1 || h->next_reopen >= h->n_fake) {
		h->reopen_failures++;
		return NP_ERR_NODEV;
	}
	h->reopen_failures = 0;
	fake_transport(h->fake[h->next_reopen++], t);
	return NP_OK;
}

static struct fake_transport *add_fake(struct harness *h)
{
	struct fake_transport *f = fake_new(&h->clock);
	h->fake[h->n_fake++] = f;
	return f;
}

static void queue_hello(struct fake_transport *f, uint16_t seq, const char *serial)
{
	uint8_t w[NP_FRAME_WIRE_MAX];
	size_t n = fake_wire_hello(w, sizeof w, seq, serial);
	fake_bytes(f, w, n, 5);
}

/* One second of 100 samples at (x, y, z) mg, delivered one second apart. */
static void queue_second(struct fake_transport *f, uint16_t seq, uint32_t second, int16_t x,
			 int16_t y, int16_t z)
{
	uint8_t w[NP_FRAME_WIRE_MAX];
	size_t n = fake_wire_samples(w, sizeof w, seq, second * 1000u, 100, x, y, z);
	fake_bytes(f, w, n, 1000);
}

struct run {
	struct np_recorder *rec;
	struct np_live_state st;
	int last_rc;
};

/* Identify, start (recording to h->path when set) and run until the script ends. */
static void run_all(struct harness *h, const struct np_recorder_cfg *cfg, struct run *r,
		    bool reopen)
{
	struct np_recorder_hooks hooks = {
		.now_ms = h_now, .note = h_note, .sleep_ms = h_sleep, .ctx = h,
		.reopen = reopen ? h_reopen : NULL,
	};
	struct np_transport t;
	fake_transport(h->fake[0], &t);
	h->next_reopen = 1;
	assert_int_equal(np_recorder_new(&r->rec, cfg, &hooks, &t), NP_OK);
	struct np_hello hello;
	assert_int_equal(np_recorder_identify(r->rec, 2000, &hello), NP_OK);
	assert_string_equal(hello.serial, SERIAL);
	struct np_rec_header hdr = { .version = NP_REC_VERSION, .hello = hello };
	snprintf(hdr.source, sizeof hdr.source, "test");
	assert_int_equal(np_recorder_start(r->rec, h->path[0] ? h->path : NULL, &hdr), NP_OK);
	int rc;
	for (int i = 0; i < 100000; i++) {
		rc = np_recorder_step(r->rec, 100);
		if (rc != NP_OK)
			break;
	}
	r->last_rc = rc;
	r->st = *np_recorder_state(r->rec);
	assert_int_equal(np_recorder_stop(r->rec), NP_OK);
	np_recorder_free(r->rec);
}

static void harness_free(struct harness *h)
{
	for (size_t i = 0; i < h->n_fake; i++)
		fake_free(h->fake[i]);
	if (h->path[0])
		unlink(h->path);
}

/* run_all() with the default configuration: prone to avoid, no alerts. */
static void run_plain(struct harness *h, struct run *r, bool reopen)
{
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.live.alert_when = NP_ALERT_WHEN_LYING; /* the hold's own timing */
	run_all(h, &cfg, r, reopen);
}

static size_t count_notes(const struct harness *h, enum np_note_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < h->n_notes; i++)
		n += h->notes[i].kind == k;
	return n;
}

/* Supine (z up) for `seconds`, starting at seq 1. */
static void queue_supine(struct fake_transport *f, uint16_t seq0, uint32_t s0, uint32_t seconds)
{
	for (uint32_t s = 0; s < seconds; s++)
		queue_second(f, (uint16_t)(seq0 + s), s0 + s, 0, 0, 1000);
}

static void test_clean_stream(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	queue_supine(f, 1, 0, 20);
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.last_rc, NP_ERR_EOF);
	assert_int_equal(r.st.samples, 2000);
	assert_int_equal(r.st.position, NP_POS_SUPINE);
	assert_int_equal(np_live_frames_lost(&r.st), 0);
	assert_int_equal(r.st.frames.frames_ok, 21);
	assert_true(r.st.time_in_s[NP_POS_SUPINE] > 19.0);
	assert_true(r.st.rate_hz > 99.0 && r.st.rate_hz < 101.0);
	/* The device said who it was unasked; the host turned its own alert off (no
	 * alerts asked for), told it to start, then stop. */
	struct np_command c[8];
	size_t nc = fake_commands(f, c, 8);
	assert_int_equal(nc, 3);
	assert_int_equal(c[0].cmd, NP_CMD_SET_ALERT);
	assert_int_equal(c[0].arg8, 0);
	assert_int_equal(c[1].cmd, NP_CMD_START);
	assert_int_equal(c[2].cmd, NP_CMD_STOP);
	harness_free(&h);
}

static void test_garbage_bursts(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	srand(7);
	for (uint32_t s = 0; s < 20; s++) {
		uint8_t junk[300];
		for (size_t i = 0; i < sizeof junk; i++)
			junk[i] = (uint8_t)rand();
		junk[100] = 0; /* a delimiter inside the burst: two bad frames, not one */
		fake_bytes(f, junk, sizeof junk, 0);
		queue_second(f, (uint16_t)(1 + s), s, 0, 0, 1000);
	}
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.st.samples, 2000);
	assert_int_equal(np_live_frames_lost(&r.st), 0);
	assert_true(r.st.frames.malformed + r.st.frames.crc_errors >= 20);
	assert_true(r.st.frames.bytes_discarded >= 20 * 290);
	harness_free(&h);
}

static void test_split_frames(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	fake_set_chunk(f, 3);
	queue_hello(f, 0, SERIAL);
	queue_supine(f, 1, 0, 10);
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.st.samples, 1000);
	assert_int_equal(r.st.frames.malformed + r.st.frames.crc_errors, 0);
	assert_int_equal(np_live_frames_lost(&r.st), 0);
	harness_free(&h);
}

static void test_duplicated_frames(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	for (uint32_t s = 0; s < 10; s++) {
		queue_second(f, (uint16_t)(1 + s), s, 0, 0, 1000);
		queue_second(f, (uint16_t)(1 + s), s, 0, 0, 1000); /* a retransmission */
	}
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.st.samples, 1000);
	assert_int_equal(r.st.frames.duplicates, 10);
	assert_int_equal(np_live_frames_lost(&r.st), 0);
	harness_free(&h);
}

static void test_sequence_wrap_and_gap(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 65530, SERIAL);
	uint16_t seq = 65531;
	for (uint32_t s = 0; s < 12; s++, seq++)
		if (s != 9) /* frame 9 (seq 4, after the wrap) is lost on the line */
			queue_second(f, seq, s, 0, 0, 1000);
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.st.samples, 1100);
	assert_int_equal(r.st.frames.wraps, 1);
	assert_int_equal(r.st.frames.duplicates, 0);
	assert_int_equal(np_live_frames_lost(&r.st), 1);
	harness_free(&h);
}

static void test_silence_is_not_a_lost_link(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	queue_supine(f, 1, 0, 5);
	fake_silence(f, 30000);
	queue_supine(f, 6, 35, 5);
	struct run r;
	run_plain(&h, &r, true);
	assert_int_equal(r.st.samples, 1000);
	assert_int_equal(r.st.link_losses, 0);
	assert_int_equal(np_live_frames_lost(&r.st), 0);
	harness_free(&h);
}

static void test_reconnect_same_device(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *a = add_fake(&h), *b = add_fake(&h);
	queue_hello(a, 0, SERIAL);
	queue_supine(a, 1, 0, 10);
	fake_fault(a, NP_ERR_NODEV);
	/* The device kept running for ~3 s while unplugged: it answers with the
	 * next sequence numbers, 3 SAMPLES frames (11..13) never reached us. */
	queue_hello(b, 14, SERIAL);
	queue_supine(b, 15, 14, 10);
	struct run r;
	run_plain(&h, &r, true);
	assert_int_equal(r.last_rc, NP_ERR_EOF);
	assert_int_equal(r.st.link_losses, 1);
	assert_int_equal(r.st.device_resets, 0);
	assert_int_equal(r.st.frames_lost_link, 3);
	assert_int_equal(r.st.samples, 2000);
	assert_int_equal(count_notes(&h, NP_NOTE_LINK_LOST), 1);
	assert_int_equal(count_notes(&h, NP_NOTE_LINK_RESTORED), 1);
	assert_true(fake_closed(a));
	/* The alert settings and START again on the new connection. */
	struct np_command c[8];
	size_t nc = fake_commands(b, c, 8);
	assert_true(nc >= 2);
	assert_int_equal(c[0].cmd, NP_CMD_SET_ALERT);
	assert_int_equal(c[1].cmd, NP_CMD_START);
	harness_free(&h);
}

static void test_other_device_refused(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *a = add_fake(&h), *other = add_fake(&h), *b = add_fake(&h);
	queue_hello(a, 0, SERIAL);
	queue_supine(a, 1, 0, 5);
	fake_fault(a, NP_ERR_IO);
	queue_hello(other, 0, "NP-SOMEONE-ELSE");
	queue_supine(other, 1, 0, 5);
	queue_hello(b, 100, SERIAL);
	queue_supine(b, 101, 100, 5);
	struct run r;
	run_plain(&h, &r, true);
	assert_int_equal(r.st.refused, 1);
	assert_int_equal(count_notes(&h, NP_NOTE_DEVICE_REFUSED), 1);
	assert_true(fake_closed(other));
	/* Not one sample of the other device was taken. */
	assert_int_equal(r.st.samples, 1000);
	assert_string_equal(r.st.hello.serial, SERIAL);
	harness_free(&h);
}

static void test_device_reset_mid_stream(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	queue_supine(f, 1, 0, 5);
	queue_hello(f, 0, SERIAL); /* watchdog reset: sequence and ticks start again */
	queue_supine(f, 1, 0, 5);
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.st.device_resets, 1);
	assert_int_equal(r.st.samples, 1000);
	assert_int_equal(r.st.frames.duplicates, 0);
	assert_int_equal(count_notes(&h, NP_NOTE_DEVICE_RESET), 1);
	struct np_command c[8];
	size_t nc = fake_commands(f, c, 8);
	size_t starts = 0;
	for (size_t i = 0; i < nc; i++)
		starts += c[i].cmd == NP_CMD_START;
	assert_int_equal(starts, 2);
	harness_free(&h);
}

/* A device that answers only when asked, and answers twice: one device, no restart. */
static void test_asked_hello_answered_twice(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	fake_silence(f, 300);
	queue_hello(f, 0, SERIAL);
	queue_hello(f, 1, SERIAL);
	queue_supine(f, 2, 0, 5);
	struct run r;
	run_plain(&h, &r, false);
	assert_int_equal(r.st.device_resets, 0);
	assert_int_equal(r.st.samples, 500);
	struct np_command c[8];
	assert_true(fake_commands(f, c, 8) >= 3);
	assert_int_equal(c[0].cmd, NP_CMD_HELLO);
	assert_int_equal(c[1].cmd, NP_CMD_SET_ALERT);
	assert_int_equal(c[2].cmd, NP_CMD_START);
	harness_free(&h);
}

/* devices --probe: a port answers HELLO, or says nothing. */
static void test_probe(void **state)
{
	(void)state;
	uint32_t clock = 0;
	struct fake_transport *f = fake_new(&clock);
	fake_silence(f, 300);
	queue_hello(f, 7, SERIAL);
	struct np_transport t;
	fake_transport(f, &t);
	struct np_hello h;
	/* The probe keeps its own (real) clock: the fake answers at once anyway. */
	assert_int_equal(np_device_probe(&t, 2000, &h), NP_OK);
	assert_string_equal(h.serial, SERIAL);
	assert_true(fake_closed(f));
	fake_free(f);

	f = fake_new(&clock);
	fake_set_endless(f, true);
	fake_transport(f, &t);
	assert_int_equal(np_device_probe(&t, 300, &h), NP_ERR_TIMEOUT);
	assert_true(fake_closed(f));
	struct np_command c[16];
	size_t nc = fake_commands(f, c, 16);
	assert_true(nc >= 1);
	assert_int_equal(c[0].cmd, NP_CMD_HELLO);
	fake_free(f);
}

/* A night pushed far faster than real time (a replay at full speed, a device
 * emptying its buffer): every frame arrives at the same host time. Dwell,
 * positions and alerts follow the samples' own time, as `report` does. */
static void test_positions_by_device_time(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	uint8_t w[NP_FRAME_WIRE_MAX];
	uint16_t seq = 1;
	static const struct { uint32_t s; int16_t x, y, z; } parts[] = {
		{ 120, 0, 0, 1000 },   /* supine 2 min */
		{ 300, 0, -1000, 0 },  /* left 5 min */
		{ 180, 0, 0, -1000 },  /* prone 3 min */
		{ 60, 1000, 0, 0 },    /* upright 1 min */
	};
	uint32_t second = 0;
	for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
		for (uint32_t k = 0; k < parts[p].s; k++, second++) {
			size_t n = fake_wire_samples(w, sizeof w, seq++, second * 1000u, 100, parts[p].x,
						     parts[p].y, parts[p].z);
			fake_bytes(f, w, n, 0); /* no host time passes */
		}
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.live.alert_when = NP_ALERT_WHEN_LYING; /* the hold's own timing */
	cfg.live.alert_after_s = 60;
	struct run r;
	run_all(&h, &cfg, &r, false);
	/* Each part counts from the tracker's entry time: within its 30 s dwell. */
	assert_true(r.st.time_in_s[NP_POS_LEFT] > 270.0 && r.st.time_in_s[NP_POS_LEFT] < 330.0);
	assert_true(r.st.time_in_s[NP_POS_PRONE] > 150.0 && r.st.time_in_s[NP_POS_PRONE] < 210.0);
	assert_true(r.st.time_in_s[NP_POS_SUPINE] > 90.0);
	/* Prone held 3 min with a 60 s hold: the first alert, then 20 s and 10 s steps. */
	assert_true(r.st.alerts >= 5);
	assert_int_equal(count_notes(&h, NP_NOTE_POSITION), 4);
	harness_free(&h);
}

/* With --alert-when asleep (the default) an alert waits until the trunk has been still
 * 5 minutes, then the hold: prone and still from the start, after 60 s, fires at about
 * 5 min + 60 s; prone but turning a little every 4 minutes (reading, awake) never does. */
static void test_alert_only_when_asleep(void **state)
{
	(void)state;
	for (int awake = 0; awake < 2; awake++) {
		struct harness h = { 0 };
		struct fake_transport *f = add_fake(&h);
		queue_hello(f, 0, SERIAL);
		for (uint32_t s = 0; s < 600; s++) {
			/* Every 240 s a 10-degree change of the trunk angle, for 20 s. */
			bool moved = awake && s % 240 >= 200 && s % 240 < 220;
			queue_second(f, (uint16_t)(1 + s), s, 0, moved ? 170 : 0, moved ? -985 : -1000);
		}
		struct np_recorder_cfg cfg;
		np_recorder_cfg_default(&cfg);
		assert_int_equal(cfg.live.alert_when, NP_ALERT_WHEN_ASLEEP);
		cfg.live.alert_after_s = 60;
		struct run r;
		run_all(&h, &cfg, &r, false);
		uint32_t first = 0;
		for (size_t i = 0; i < h.n_notes && !first; i++)
			if (h.notes[i].kind == NP_NOTE_ALERT)
				first = h.notes[i].host_ms;
		print_message("%s: %u alerts, the first at %u ms\n", awake ? "awake" : "asleep",
			      r.st.alerts, first);
		if (awake) {
			assert_int_equal(r.st.alerts, 0);
		} else {
			assert_true(r.st.alerts > 0);
			assert_true(first >= 360000 && first < 363000);
		}
		harness_free(&h);
	}
}

/* Prone from the start for 100 s, then supine: alerts at 30, 50, 60, ... s. */
static void test_alert_escalation(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	for (uint32_t s = 0; s < 100; s++)
		queue_second(f, (uint16_t)(1 + s), s, 0, 0, -1000);
	for (uint32_t s = 100; s < 160; s++)
		queue_second(f, (uint16_t)(1 + s), s, 0, 0, 1000);
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.live.alert_when = NP_ALERT_WHEN_LYING; /* the hold's own timing */
	cfg.live.alert_after_s = 30;
	cfg.live.alert_mode = NP_ALERT_MODE_VIBRATE;
	struct run r;
	run_all(&h, &cfg, &r, false);
	uint32_t t[16];
	uint8_t lv[16];
	size_t n = 0;
	for (size_t i = 0; i < h.n_notes && n < 16; i++)
		if (h.notes[i].kind == NP_NOTE_ALERT) {
			assert_int_equal(h.notes[i].position, NP_POS_PRONE);
			t[n] = h.notes[i].host_ms;
			lv[n++] = h.notes[i].level;
		}
	/* The clock starts at 5 ms (the HELLO), the first window ends at ~1 s. */
	print_message("first alert at %u ms, %zu alerts\n", (unsigned)t[0], n);
	assert_true(n >= 5);
	assert_true(t[0] >= 30000 && t[0] < 32000);
	assert_int_equal(lv[0], 1);
	assert_int_equal(t[1] - t[0], NP_ALERT_FIRST_REPEAT_MS);
	assert_int_equal(lv[1], 2);
	assert_int_equal(t[2] - t[1], NP_ALERT_REPEAT_MS);
	assert_int_equal(lv[2], 3);
	assert_int_equal(lv[3], 3);
	assert_true(t[n - 1] < 131000); /* stops once the supine position is reported */
	assert_int_equal(count_notes(&h, NP_NOTE_ALERT_CLEARED), 1);
	assert_int_equal(r.st.alerts, n);
	size_t vib = 0;
	struct np_command c[64];
	size_t nc = fake_commands(f, c, 64);
	for (size_t i = 0; i < nc; i++)
		if (c[i].cmd == NP_CMD_VIBRATE)
			vib++;
	assert_int_equal(vib, n);
	harness_free(&h);
}

static void test_alert_delay(void **state)
{
	(void)state;
	struct harness h = { 0 };
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	for (uint32_t s = 0; s < 100; s++)
		queue_second(f, (uint16_t)(1 + s), s, 0, 0, -1000);
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.live.alert_when = NP_ALERT_WHEN_LYING; /* the hold's own timing */
	cfg.live.alert_after_s = 10;
	cfg.live.alert_delay_s = 60;
	cfg.live.avoid_mask = NP_POS_BIT(NP_POS_PRONE) | NP_POS_BIT(NP_POS_SUPINE);
	struct run r;
	run_all(&h, &cfg, &r, false);
	for (size_t i = 0; i < h.n_notes; i++)
		if (h.notes[i].kind == NP_NOTE_ALERT) {
			/* The delay ends at 60 s; the 10 s hold counts from there. */
			assert_true(h.notes[i].host_ms >= 70000);
			assert_true(h.notes[i].host_ms < 71100);
			break;
		}
	assert_true(r.st.alerts > 0);
	harness_free(&h);
}

static void set_path(struct harness *h, const char *name)
{
	snprintf(h->path, sizeof h->path, "%s/test_np_recorder-%ld-%s.npr", NP_BINARY_DIR,
		 (long)getpid(), name);
}

struct readback {
	size_t samples_frames, hellos, lost, restored;
	size_t alerts;
	uint32_t alert_ms[64];
	uint8_t alert_level[64];
	struct np_rec_header hdr;
	struct np_rec_stats stats;
};

static void read_back(const char *path, struct readback *rb)
{
	memset(rb, 0, sizeof *rb);
	struct np_rec_reader *r;
	assert_int_equal(np_rec_reader_open(&r, path, &rb->hdr), NP_OK);
	struct np_rec_entry e;
	int rc;
	while ((rc = np_rec_reader_next(r, &e)) == NP_OK) {
		if (e.origin == NP_ORIGIN_DEVICE && e.frame.type == NP_MSG_SAMPLES)
			rb->samples_frames++;
		if (e.origin == NP_ORIGIN_DEVICE && e.frame.type == NP_MSG_HELLO)
			rb->hellos++;
		if (e.origin == NP_ORIGIN_HOST && e.frame.type == NP_MSG_EVENT) {
			struct np_event ev;
			assert_int_equal(np_event_decode(e.frame.payload, e.frame.len, &ev), NP_OK);
			rb->lost += ev.kind == NP_EVENT_LINK_LOST;
			rb->restored += ev.kind == NP_EVENT_LINK_RESTORED;
			if (ev.kind == NP_EVENT_HOST_ALERT && rb->alerts < 64) {
				rb->alert_ms[rb->alerts] = e.host_ms;
				rb->alert_level[rb->alerts++] = ev.level;
			}
		}
	}
	assert_int_equal(rc, NP_ERR_EOF);
	rb->stats = *np_rec_reader_stats(r);
	np_rec_reader_close(r);
}

/* The gap and its two ends are in the file, and every sample received is. */
static void test_reconnect_recorded(void **state)
{
	(void)state;
	struct harness h = { 0 };
	set_path(&h, "reconnect");
	struct fake_transport *a = add_fake(&h), *b = add_fake(&h);
	queue_hello(a, 0, SERIAL);
	queue_supine(a, 1, 0, 10);
	fake_fault(a, NP_ERR_NODEV);
	queue_hello(b, 14, SERIAL);
	queue_supine(b, 15, 14, 10);
	struct run r;
	run_plain(&h, &r, true);
	struct readback rb;
	read_back(h.path, &rb);
	assert_string_equal(rb.hdr.hello.serial, SERIAL);
	assert_int_equal(rb.samples_frames, 20);
	assert_int_equal(rb.lost, 1);
	assert_int_equal(rb.restored, 1);
	assert_int_equal(rb.hellos, 0); /* the device did not restart: no seam */
	assert_int_equal(rb.stats.corrupt_records, 0);
	harness_free(&h);
}

/* A device that restarted while unplugged: its HELLO marks the seam in the file. */
static void test_reconnect_after_device_restart(void **state)
{
	(void)state;
	struct harness h = { 0 };
	set_path(&h, "restart");
	struct fake_transport *a = add_fake(&h), *b = add_fake(&h);
	queue_hello(a, 0, SERIAL);
	queue_supine(a, 1, 0, 400); /* seq 400: far from the restarted device's 0 */
	fake_fault(a, NP_ERR_NODEV);
	queue_hello(b, 0, SERIAL);
	queue_supine(b, 1, 0, 10);
	struct run r;
	run_plain(&h, &r, true);
	assert_int_equal(r.st.device_resets, 1);
	assert_int_equal(r.st.frames_lost_link, 0);
	struct readback rb;
	read_back(h.path, &rb);
	assert_int_equal(rb.samples_frames, 410);
	assert_int_equal(rb.hellos, 1);
	assert_int_equal(rb.lost, 1);
	assert_int_equal(rb.restored, 1);
	harness_free(&h);
}

struct replay_ctx {
	struct np_transport t; /* a copy: the recorder owns the transport */
	uint32_t alert_ms[64];
	uint8_t alert_level[64];
	size_t alerts;
};

static uint32_t replay_now(void *ctx)
{
	return np_transport_file_host_ms(&((struct replay_ctx *)ctx)->t);
}

static void replay_note(void *ctx, const struct np_note *n)
{
	struct replay_ctx *c = ctx;
	if (n->kind == NP_NOTE_ALERT && c->alerts < 64) {
		c->alert_ms[c->alerts] = n->host_ms;
		c->alert_level[c->alerts++] = n->level;
	}
}

/* Replay path with cfg (commands off) as `nightpose replay` does; the alerts into *c. */
static void replay_file(const char *path, const struct np_recorder_cfg *cfg, struct replay_ctx *c,
			uint64_t samples)
{
	memset(c, 0, sizeof *c);
	struct np_rec_header hdr;
	assert_int_equal(np_transport_file_open(&c->t, path, 0, &hdr), NP_OK);
	struct np_recorder_cfg rcfg = *cfg;
	rcfg.send_commands = false;
	struct np_recorder_hooks hooks = { .now_ms = replay_now, .note = replay_note, .ctx = c };
	struct np_transport t = c->t;
	struct np_recorder *rec;
	assert_int_equal(np_recorder_new(&rec, &rcfg, &hooks, &t), NP_OK);
	assert_int_equal(np_recorder_start(rec, NULL, &hdr), NP_OK);
	int rc;
	while ((rc = np_recorder_step(rec, 100)) == NP_OK)
		;
	assert_int_equal(rc, NP_ERR_EOF);
	assert_int_equal(np_recorder_state(rec)->samples, samples);
	assert_int_equal(np_recorder_stop(rec), NP_OK);
	np_recorder_free(rec);
}

static void assert_same_alerts(const struct replay_ctx *c, const struct readback *rb)
{
	assert_int_equal(c->alerts, rb->alerts);
	for (size_t i = 0; i < rb->alerts; i++) {
		assert_int_equal(c->alert_ms[i], rb->alert_ms[i]);
		assert_int_equal(c->alert_level[i], rb->alert_level[i]);
	}
}

/* Replay runs the live pipeline on the file: the same alerts at the same times. */
static void test_replay_alerts_match_live(void **state)
{
	(void)state;
	struct harness h = { 0 };
	set_path(&h, "replay");
	struct fake_transport *f = add_fake(&h), *b = add_fake(&h);
	fake_set_chunk(f, 7);
	queue_hello(f, 0, SERIAL);
	uint16_t seq = 1;
	uint32_t s = 0;
	for (; s < 90; s++)
		queue_second(f, seq++, s, 0, 0, -1000);
	fake_fault(f, NP_ERR_NODEV); /* unplugged while prone: the alert goes on after it */
	queue_hello(b, seq++, SERIAL);
	for (; s < 150; s++)
		queue_second(b, seq++, s, 0, 0, -1000);
	for (; s < 200; s++)
		queue_second(b, seq++, s, 0, 1000, 0);
	for (; s < 300; s++)
		queue_second(b, seq++, s, 0, 0, -1000);
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.live.alert_when = NP_ALERT_WHEN_LYING; /* the hold's own timing */
	cfg.live.alert_after_s = 45;
	cfg.live.alert_delay_s = 10;
	cfg.live.alert_mode = NP_ALERT_MODE_VIBRATE;
	struct run r;
	run_all(&h, &cfg, &r, true);
	struct readback rb;
	read_back(h.path, &rb);
	assert_true(rb.alerts >= 8);
	assert_int_equal(rb.alerts, r.st.alerts);

	struct replay_ctx c;
	replay_file(h.path, &cfg, &c, r.st.samples);
	assert_same_alerts(&c, &rb);
	harness_free(&h);
}

/* A night recorded with alerts and a calibration replays with the settings read
 * from the file alone (no options) to the same alerts; other settings do not. */
static void test_replay_uses_recorded_settings(void **state)
{
	(void)state;
	struct harness h = { 0 };
	set_path(&h, "settings");
	struct fake_transport *f = add_fake(&h);
	queue_hello(f, 0, SERIAL);
	/* Mounted upside down: the sensor's +z is the body's -z, so (0, 0, +1 g)
	 * on the sensor is prone only through the calibration. */
	uint16_t seq = 1;
	uint32_t s = 0;
	for (; s < 120; s++)
		queue_second(f, seq++, s, 0, 0, 1000);
	for (; s < 160; s++)
		queue_second(f, seq++, s, 0, -1000, 0);
	for (; s < 260; s++)
		queue_second(f, seq++, s, 0, 0, 1000);
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.live.alert_when = NP_ALERT_WHEN_LYING; /* the hold's own timing */
	cfg.live.alert_after_s = 40;
	cfg.live.alert_delay_s = 5;
	cfg.live.alert_mode = NP_ALERT_MODE_BELL;
	cfg.live.mounting.m[1][1] = -1.0f;
	cfg.live.mounting.m[2][2] = -1.0f;
	struct run r;
	run_all(&h, &cfg, &r, false);
	struct readback rb;
	read_back(h.path, &rb);
	assert_true(rb.alerts >= 8);

	struct np_recorder_cfg night;
	np_recorder_cfg_default(&night);
	bool found = false;
	assert_int_equal(np_live_settings_read(h.path, &night.live, &found), NP_OK);
	assert_true(found);
	/* Field by field in test_np_settings.c; here: all of it came back. */
	assert_memory_equal(&night.live, &cfg.live, sizeof cfg.live);
	struct replay_ctx c;
	replay_file(h.path, &night, &c, r.st.samples);
	assert_same_alerts(&c, &rb);

	/* What a replay without the recorded settings did: no calibration, no alerts. */
	struct np_recorder_cfg plain;
	np_recorder_cfg_default(&plain);
	plain.live.alert_after_s = cfg.live.alert_after_s;
	replay_file(h.path, &plain, &c, r.st.samples);
	assert_int_equal(c.alerts, 0);
	/* One setting overridden: other alerts. */
	night.live.alert_after_s = 80;
	replay_file(h.path, &night, &c, r.st.samples);
	assert_true(c.alerts > 0 && c.alerts < rb.alerts);
	harness_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_stream),
		cmocka_unit_test(test_garbage_bursts),
		cmocka_unit_test(test_split_frames),
		cmocka_unit_test(test_duplicated_frames),
		cmocka_unit_test(test_sequence_wrap_and_gap),
		cmocka_unit_test(test_silence_is_not_a_lost_link),
		cmocka_unit_test(test_reconnect_same_device),
		cmocka_unit_test(test_other_device_refused),
		cmocka_unit_test(test_device_reset_mid_stream),
		cmocka_unit_test(test_asked_hello_answered_twice),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_positions_by_device_time),
		cmocka_unit_test(test_alert_only_when_asleep),
		cmocka_unit_test(test_alert_escalation),
		cmocka_unit_test(test_alert_delay),
		cmocka_unit_test(test_reconnect_recorded),
		cmocka_unit_test(test_reconnect_after_device_restart),
		cmocka_unit_test(test_replay_alerts_match_live),
		cmocka_unit_test(test_replay_uses_recorded_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
