/* The night loader (counts to g, ticks to seconds, gaps, resets) and the recording builder. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_import.h"
#include "np_importers.h"
#include "np_night.h"
#include "np_rec_builder.h"
#include "np_rec_data.h"
#include "text_fixture.h"
#include "rec_fixture.h"

#define EPS 1e-6

static void assert_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.9f, want %.9f (+-%g)", got, want, tol);
}

/* ---- writing frames by hand (what a live device and the recorder produce) ---- */

struct raw {
	struct np_rec_writer *w;
	uint16_t seq;
	uint8_t buf[NP_PAYLOAD_MAX];
};

static void raw_open(struct raw *r, const char *path, const struct np_rec_header *h)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(np_rec_writer_open(&r->w, path, h, NP_REC_COMMIT_AT_CLOSE), NP_OK);
}

static void raw_put(struct raw *r, uint32_t host_ms, uint8_t origin, uint8_t type, size_t len)
{
	struct np_frame f = { .type = type, .seq = r->seq++, .len = (uint16_t)len, .payload = r->buf };

	assert_int_equal(np_rec_writer_append(r->w, host_ms, origin, &f), NP_OK);
}

static void raw_hello(struct raw *r, uint32_t host_ms, const struct np_hello *h)
{
	size_t len;

	assert_int_equal(np_hello_encode(h, r->buf, sizeof r->buf, &len), NP_OK);
	raw_put(r, host_ms, NP_ORIGIN_DEVICE, NP_MSG_HELLO, len);
}

/* count samples reading (0, 0, z) every period ticks from first_tick, received at host_ms. */
static void raw_samples_p(struct raw *r, uint32_t host_ms, uint8_t sensor, uint32_t first_tick,
			  unsigned count, uint16_t period, int16_t z)
{
	struct np_samples m;
	size_t len;

	memset(&m, 0, sizeof m);
	m.sensor_id = sensor;
	m.count = (uint8_t)count;
	m.period_ticks = period;
	m.first_tick = first_tick;
	for (unsigned i = 0; i < count; i++)
		m.s[i].z = z;
	assert_int_equal(np_samples_encode(&m, r->buf, sizeof r->buf, &len), NP_OK);
	raw_put(r, host_ms, NP_ORIGIN_DEVICE, NP_MSG_SAMPLES, len);
}

static void raw_samples(struct raw *r, uint32_t host_ms, uint8_t sensor, uint32_t first_tick,
			unsigned count, int16_t z)
{
	raw_samples_p(r, host_ms, sensor, first_tick, count, 40, z);
}

static void raw_event(struct raw *r, uint32_t host_ms, uint8_t origin, uint8_t kind, uint32_t tick)
{
	struct np_event ev = { .tick = tick, .kind = kind };
	size_t len;

	assert_int_equal(np_event_encode(&ev, r->buf, sizeof r->buf, &len), NP_OK);
	raw_put(r, host_ms, origin, NP_MSG_EVENT, len);
}

static void raw_close(struct raw *r)
{
	assert_int_equal(np_rec_writer_close(r->w), NP_OK);
}

/* fx_header() with another rate, and raw_open(). */
static void raw_begin(struct raw *r, const char *path, struct np_rec_header *h, uint32_t rate_millihz)
{
	fx_header(h);
	h->hello.rate_millihz = rate_millihz;
	raw_open(r, path, h);
}

static void expect_one_gap(const struct np_night *n, double start_s, double end_s)
{
	assert_int_equal(n->n_gaps, 1);
	assert_near(n->gaps[0].start_s, start_s, EPS);
	assert_near(n->gaps[0].end_s, end_s, EPS);
}

/* ---- tests ---- */

static void test_builder_counts_and_ticks(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_night n;

	fx_header(&h);
	h.hello.lsb_per_g = 256;
	h.hello.sensor_count = 2;
	h.hello.tick_hz = 32768;
	h.hello.rate_millihz = 32000; /* 1024 ticks per sample */
	assert_int_equal(np_rec_builder_open(&b, c->path, &h), NP_OK);
	for (uint32_t i = 0; i < 300; i++) {
		assert_int_equal(np_rec_builder_add_sample(b, 0, 5000 + 1024 * i, 128, -64, 256), NP_OK);
		assert_int_equal(np_rec_builder_add_sample(b, 1, 5512 + 1024 * i, 0, 256, 0), NP_OK);
	}
	assert_int_equal(np_rec_builder_commit(b), NP_OK);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.sensor_count, 2);
	assert_int_equal(n.sensor[0].n, 300);
	assert_int_equal(n.sensor[1].n, 300);
	assert_near(n.sensor[0].v[0].t_s, 0.0, EPS);
	assert_near(n.sensor[0].v[299].t_s, 299 / 32.0, EPS);
	/* The second sensor is timed on the same clock, half a period later. */
	assert_near(n.sensor[1].v[0].t_s, 512 / 32768.0, EPS);
	assert_near(n.sensor[0].v[17].x, 0.5, EPS);
	assert_near(n.sensor[0].v[17].y, -0.25, EPS);
	assert_near(n.sensor[0].v[17].z, 1.0, EPS);
	assert_near(n.sensor[1].v[3].y, 1.0, EPS);
	assert_near(n.duration_s, 300 / 32.0 + 512 / 32768.0, EPS);
	assert_near(n.start_utc_s, FX_CREATED_MS / 1000.0, 0.002);
	assert_int_equal(n.n_gaps, 0);
	assert_int_equal(n.device_resets, 0);
	/* Frames carry about a second each and are numbered without holes. */
	assert_true(n.stats.records >= 2 * 300 / 32);
	assert_true(n.stats.records <= 2 * 300 / 32 + 4);
	assert_int_equal(n.stats.device.frames_missed, 0);
	assert_int_equal(n.stats.device.duplicates, 0);
	np_night_free(&n);
	assert_null(n.sensor[0].v);
}

static void test_builder_gap_and_annotations(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_night n;
	struct np_annotation a = { .kind = NP_ANN_LABEL, .position = NP_POS_PRONE };
	struct np_event ev = { .kind = NP_EVENT_BUTTON };

	fx_header(&h);
	assert_int_equal(np_rec_builder_open(&b, c->path, &h), NP_OK);
	/* Labels may come before the samples they describe. */
	a.start_tick = 1000;
	a.end_tick = 3000;
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(np_rec_builder_add_sample(b, 0, 1000 + 40 * i, 0, 0, 1000), NP_OK);
	/* 10 s without data, then more. */
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(np_rec_builder_add_sample(b, 0, 15000 + 40 * i, 0, 0, -1000), NP_OK);
	ev.tick = 16000;
	assert_int_equal(np_rec_builder_add_event(b, NP_ORIGIN_DEVICE, &ev), NP_OK);
	a.position = NP_POS_LEFT;
	a.kind = NP_ANN_NOTE;
	a.text_len = 5;
	memcpy(a.text, "hello", 5);
	a.start_tick = 15000;
	a.end_tick = 19000;
	assert_int_equal(np_rec_builder_add_annotation(b, &a), NP_OK);
	assert_int_equal(np_rec_builder_commit(b), NP_OK);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.sensor[0].n, 200);
	expect_one_gap(&n, 4.0, 14.0);
	assert_near(n.sensor[0].v[100].t_s, 14.0, EPS);
	assert_near(n.sensor[0].v[100].z, -1.0, EPS);
	assert_near(n.duration_s, 18.0, EPS);
	assert_int_equal(n.n_ann, 2);
	assert_int_equal(n.ann[0].kind, NP_ANN_LABEL);
	assert_int_equal(n.ann[0].position, NP_POS_PRONE);
	assert_near(n.ann[0].start_s, 0.0, EPS);
	assert_near(n.ann[0].end_s, 2.0, EPS);
	assert_string_equal(n.ann[1].text, "hello");
	assert_near(n.ann[1].start_s, 14.0, EPS);
	assert_near(n.ann[1].end_s, 18.0, EPS);
	assert_int_equal(n.n_events, 1);
	assert_int_equal(n.events[0].ev.kind, NP_EVENT_BUTTON);
	assert_near(n.events[0].t_s, 15.0, EPS);
	np_night_free(&n);
}

static void test_builder_writes_nothing_until_commit(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct stat st;

	fx_header(&h);
	assert_int_equal(np_rec_builder_open(&b, c->path, &h), NP_OK);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(np_rec_builder_add_sample(b, 0, 40 * i, 0, 0, 1000), NP_OK);
	assert_int_equal(stat(c->path, &st), -1);
	np_rec_builder_abort(b);
	assert_int_equal(fx_count_entries(c->dir), 0);

	h.hello.tick_hz = 0;
	assert_int_equal(np_rec_builder_open(&b, c->path, &h), NP_ERR_ARG);
	assert_null(b);
	assert_int_equal(fx_count_entries(c->dir), 0);
}

/* count chest samples reading (0, 0, 1 g), step ticks apart from first_tick, built and loaded. */
static void build_steady(const char *path, uint32_t rate_millihz, uint32_t first_tick,
			 uint32_t step, uint32_t count, struct np_night *n)
{
	struct np_rec_header h;
	struct np_rec_builder *b;

	fx_header(&h);
	h.hello.rate_millihz = rate_millihz;
	assert_int_equal(np_rec_builder_open(&b, path, &h), NP_OK);
	for (uint32_t i = 0; i < count; i++)
		assert_int_equal(np_rec_builder_add_sample(b, 0, first_tick + step * i, 0, 0, 1000), NP_OK);
	assert_int_equal(np_rec_builder_commit(b), NP_OK);
	assert_int_equal(np_night_load(path, n), NP_OK);
}

/* Frame numbers run on across all device frames and survive the 16-bit wrap. */
static void test_builder_sequence_wraps(void **state)
{
	struct fx_ctx *c = *state;
	struct np_night n;

	build_steady(c->path, 1000, 0, 1000, 70000, &n); /* 1 Hz: one sample per frame */
	assert_int_equal(n.sensor[0].n, 70000);
	assert_int_equal(n.stats.records, 70001);
	assert_int_equal(n.stats.device.wraps, 1);
	assert_int_equal(n.stats.device.frames_missed, 0);
	assert_int_equal(n.n_gaps, 0);
	np_night_free(&n);
}

static void test_tick_wrap_is_continuous(void **state)
{
	struct fx_ctx *c = *state;
	struct np_night n;

	build_steady(c->path, 25000, 0xFFFFF000u, 40, 500, &n);
	assert_int_equal(n.sensor[0].n, 500);
	for (size_t i = 0; i < 500; i++)
		assert_near(n.sensor[0].v[i].t_s, 0.04 * (double)i, EPS);
	assert_int_equal(n.n_gaps, 0);
	np_night_free(&n);
}

/* A device that resets starts its ticks again: the host clock places the second run. */
static void test_device_reset(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	raw_begin(&r, c->path, &h, 25000);
	raw_hello(&r, 0, &h.hello);
	/* Run 1: 4 s of samples from tick 70000, each frame received after its last sample. */
	for (uint32_t k = 0; k < 4; k++)
		raw_samples(&r, 1000 + 1000 * k, 0, 70000 + 1000 * k, 25, 1000);
	h.hello.reset_reason = NP_RESET_WATCHDOG;
	r.seq = 0;
	raw_hello(&r, 9000, &h.hello);
	/* Run 2: ticks from 0 again; the first frame arrives at host 11.0 s. */
	r.seq = 1;
	for (uint32_t k = 0; k < 3; k++)
		raw_samples(&r, 11000 + 1000 * k, 0, 1000 * k, 25, -1000);
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.device_resets, 1);
	assert_int_equal(n.sensor[0].n, 175);
	assert_int_equal(n.samples_dropped, 0);
	/* Host 1.0 s is the 25th sample (t = 0.96): t = host - 0.04. Run 2's first
	   frame ends at host 11.0 s (t = 10.96), so it starts at t = 10.0. */
	assert_near(n.sensor[0].v[100].t_s, 10.0, EPS);
	assert_near(n.sensor[0].v[100].z, -1.0, EPS);
	for (size_t i = 1; i < n.sensor[0].n; i++)
		assert_true(n.sensor[0].v[i].t_s > n.sensor[0].v[i - 1].t_s);
	expect_one_gap(&n, 4.0, 10.0);
	assert_near(n.start_utc_s, FX_CREATED_MS / 1000.0 + 0.04, 1e-3);
	assert_near(n.duration_s, 13.0, EPS);
	np_night_free(&n);
}

/* created_utc_ms 0 (no date, e.g. an import without one): the start stays unknown (0)
 * rather than becoming a moment of 1 January 1970 made of the receive offsets, which
 * report, trend and the plots would print as a date. */
static void test_unknown_date_stays_unknown(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	fx_header(&h);
	h.created_utc_ms = 0;
	raw_open(&r, c->path, &h);
	raw_hello(&r, 0, &h.hello);
	for (uint32_t k = 0; k < 3; k++)
		raw_samples(&r, 5000 + 1000 * k, 0, 1000 * k, 25, 1000);
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.sensor[0].n, 75);
	assert_true(n.start_utc_s == 0.0);
	assert_near(n.duration_s, 3.0, EPS);
	np_night_free(&n);
}

/* A damaged creation time (year 292 million, or before 1970) is an unknown date too:
 * PLplot's time axis gave up on it and replay's clock stamps overflowed. */
static void test_absurd_date_is_unknown(void **state)
{
	static const int64_t bad[] = { INT64_MAX, INT64_MIN, -1, 253402300800000LL };
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fx_header(&h);
		h.created_utc_ms = bad[i];
		raw_open(&r, c->path, &h);
		raw_hello(&r, 0, &h.hello);
		raw_samples(&r, 5000, 0, 0, 25, 1000);
		raw_close(&r);
		assert_int_equal(np_night_load(c->path, &n), NP_OK);
		assert_true(n.start_utc_s == 0.0);
		np_night_free(&n);
	}
}

/* One lost one-sample frame is a gap even though it is only one period long. */
static void test_lost_frame_is_a_gap(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	raw_begin(&r, c->path, &h, 25000);
	for (uint32_t k = 0; k < 10; k++) {
		if (k == 5) {
			r.seq++;
			continue;
		}
		raw_samples(&r, 100 + 40 * k, 0, 40 * k, 1, 1000);
	}
	/* A late frame within 1.5 periods is jitter, not a gap. */
	raw_samples(&r, 600, 0, 40 * 10 + 30, 1, 1000);
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.stats.device.frames_missed, 1);
	assert_int_equal(n.sensor[0].n, 10);
	expect_one_gap(&n, 0.2, 0.24);
	np_night_free(&n);
}

static void test_link_events_make_a_gap(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	raw_begin(&r, c->path, &h, 25000);
	raw_samples(&r, 2000, 0, 0, 50, 1000);
	raw_event(&r, 2500, NP_ORIGIN_HOST, NP_EVENT_LINK_LOST, 0);
	raw_event(&r, 6500, NP_ORIGIN_HOST, NP_EVENT_LINK_RESTORED, 0);
	raw_samples(&r, 8000, 0, 6000, 50, 1000);
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.n_events, 2);
	assert_int_equal(n.events[0].origin, NP_ORIGIN_HOST);
	/* Host times map through the first frame: host 2.0 s is t = 1.96. */
	assert_near(n.events[0].t_s, 2.5 - 0.04, EPS);
	assert_near(n.events[1].t_s, 6.5 - 0.04, EPS);
	/* The link gap (2.46..6.0) lies inside the missing samples (2.0..6.0). */
	expect_one_gap(&n, 2.0, 6.0);
	np_night_free(&n);
}

/* Irregular data (no nominal rate): only the link events tell a pause from slow data. */
static void test_link_gap_in_irregular_data(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;
	static const uint32_t ticks[] = { 0, 500, 1000, 1900, 2300 };

	raw_begin(&r, c->path, &h, 0);
	for (unsigned k = 0; k < 5; k++) {
		if (k == 3)
			raw_event(&r, 1200, NP_ORIGIN_HOST, NP_EVENT_LINK_LOST, 0);
		raw_samples_p(&r, ticks[k], 0, ticks[k], 1, 0, 1000);
	}
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.sensor[0].n, 5);
	expect_one_gap(&n, 1.2, 1.9);
	np_night_free(&n);
}

static void test_unusable_hello_and_errors(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	fx_header(&h);
	h.hello.lsb_per_g = 0;
	raw_open(&r, c->path, &h);
	raw_close(&r);
	assert_int_equal(np_night_load(c->path, &n), NP_ERR_RANGE);
	assert_null(n.sensor[0].v);

	fx_write(c->path, "not a recording", 15);
	assert_int_equal(np_night_load(c->path, &n), NP_ERR_FORMAT);
	unlink(c->path);
	errno = 0;
	assert_int_equal(np_night_load(c->path, &n), NP_ERR_IO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(n.sensor_count, 0);
}

/* ---- clock jumps: ticks that disagree with the host receive times ---- */

/* frames one-second frames of 25 samples (0, 0, z) from tick0, frame k received at
 * host0 + 1000 (k + 1) ms, just after its last sample (as the builder times them). */
static void raw_run(struct raw *r, uint32_t host0, uint32_t tick0, unsigned frames, int16_t z)
{
	for (unsigned k = 0; k < frames; k++)
		raw_samples(r, host0 + 1000 * (k + 1), 0, tick0 + 1000 * k, 25, z);
}

/* Every stride-th sample at its tick time: sample i at 0.04 i s (25 Hz from t = 0). */
static void expect_on_ticks(const struct np_series *sr, size_t stride)
{
	for (size_t i = 0; i < sr->n; i += stride)
		assert_near(sr->v[i].t_s, 0.04 * (double)i, EPS);
}

static void expect_increasing(const struct np_series *sr)
{
	for (size_t i = 1; i < sr->n; i++)
		if (!(sr->v[i].t_s > sr->v[i - 1].t_s))
			fail_msg("sample %zu at %.6f s, not after %.6f s", i, sr->v[i].t_s,
				 sr->v[i - 1].t_s);
}

/*
 * 100 s of samples, then the ticks jump by jump while the host clock goes on
 * (skip_s seconds later, with the frames of that stretch lost), then 100 s more.
 * The night keeps its real length: the second run is placed by the host clock.
 */
static void check_jump(const char *path, uint32_t jump, uint32_t skip_s)
{
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	raw_begin(&r, path, &h, 25000);
	raw_hello(&r, 0, &h.hello);
	raw_run(&r, 0, 5000, 100, 1000);
	r.seq = (uint16_t)(r.seq + skip_s);
	raw_run(&r, 100000 + 1000 * skip_s, 5000 + 1000 * (100 + skip_s) + jump, 100, -1000);
	raw_close(&r);

	assert_int_equal(np_night_load(path, &n), NP_OK);
	assert_int_equal(n.clock_jumps, 1);
	assert_int_equal(n.device_resets, 0);
	assert_int_equal(n.sensor[0].n, 5000);
	assert_int_equal(n.samples_dropped, 0);
	expect_increasing(&n.sensor[0]);
	assert_near(n.duration_s, 200.0 + skip_s, EPS);
	assert_near(n.sensor[0].v[2500].t_s, 100.0 + skip_s, EPS);
	assert_near(n.sensor[0].v[2500].z, -1.0, EPS);
	if (skip_s)
		expect_one_gap(&n, 100.0, 100.0 + skip_s);
	else
		assert_int_equal(n.n_gaps, 0);
	np_night_free(&n);
}

/* Forward: 2^31 ticks less a little (unwrapped forward: 24.8 days at 1 kHz). */
static void test_clock_jump_forward(void **state)
{
	struct fx_ctx *c = *state;

	check_jump(c->path, 0x7FFFF000u, 0);
	check_jump(c->path, 0x7FFFF000u, 30);
	/* Just past the bound (60 s + 1 % of 100 s) is a jump as well. */
	check_jump(c->path, 62000, 0);
}

/* Backward without a HELLO: exactly 2^31 (unwrapped backward), one hour, 2^31 + a
 * little. Before, every later sample was dropped as stale. */
static void test_clock_jump_backward(void **state)
{
	struct fx_ctx *c = *state;

	check_jump(c->path, 0x80000000u, 0);
	check_jump(c->path, (uint32_t)-3600000, 0);
	check_jump(c->path, 0x80001000u, 20);
}

/* One frame with bit 31 of its first_tick flipped (before the CRC): the data
 * around it stays where it was, the flip costs two re-anchors and nothing else. */
static void test_clock_jump_one_bad_frame(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;

	raw_begin(&r, c->path, &h, 25000);
	raw_hello(&r, 0, &h.hello);
	raw_run(&r, 0, 5000, 50, 1000);
	raw_samples(&r, 51000, 0, (5000 + 50000) ^ 0x80000000u, 25, 1000);
	raw_run(&r, 51000, 5000 + 51000, 49, 1000);
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.clock_jumps, 2);
	assert_int_equal(n.sensor[0].n, 2500);
	assert_int_equal(n.samples_dropped, 0);
	expect_increasing(&n.sensor[0]);
	expect_on_ticks(&n.sensor[0], 25);
	assert_near(n.duration_s, 100.0, EPS);
	assert_int_equal(n.n_gaps, 0);
	np_night_free(&n);
}

/*
 * What a live night looks like: receive times late by up to 3 s of jitter, a
 * device clock 300 ppm fast, and a two-minute link outage whose samples the
 * device buffers and delivers in a burst after LINK_RESTORED, up to two minutes
 * late. None of it is a clock jump: the ticks time every sample.
 */
static void test_live_jitter_is_not_a_jump(void **state)
{
	struct fx_ctx *c = *state;
	struct np_rec_header h;
	struct np_night n;
	struct raw r;
	const unsigned frames = 3000, lost_at = 1000, lost_for = 120;
	uint32_t burst_ms = 0;

	raw_begin(&r, c->path, &h, 25000);
	raw_hello(&r, 0, &h.hello);
	for (unsigned k = 0; k < frames; k++) {
		/* When the frame's last sample is taken, on the host clock. */
		uint32_t taken = (uint32_t)((double)(k + 1) * 1000.0 * (1.0 - 300e-6));
		uint32_t host = taken + (k * 7919u) % 3001u;

		if (k == lost_at) {
			raw_event(&r, taken + 500, NP_ORIGIN_HOST, NP_EVENT_LINK_LOST, 0);
			burst_ms = taken + 1000 * lost_for + 1000;
			raw_event(&r, burst_ms, NP_ORIGIN_HOST, NP_EVENT_LINK_RESTORED, 0);
		}
		if (k >= lost_at && k < lost_at + lost_for)
			host = burst_ms + 50 * (k - lost_at + 1);
		raw_samples(&r, host, 0, 1000 * k, 25, 1000);
	}
	raw_close(&r);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.clock_jumps, 0);
	assert_int_equal(n.sensor[0].n, 25 * frames);
	assert_int_equal(n.samples_dropped, 0);
	assert_near(n.duration_s, frames, EPS);
	expect_on_ticks(&n.sensor[0], 25 * 50);
	np_night_free(&n);
}

/* Imports derive host_ms from the ticks: a dataset with a 10-minute pause loads
 * as before, the pause a gap and no clock jump. */
static void test_import_has_no_clock_jump(void **state)
{
	struct fx_ctx *c = *state;
	struct np_import_opts o;
	struct np_import_error err;
	struct np_rec_data d;
	struct np_night n;
	char *csv = malloc(16384), *p = csv;

	assert_non_null(csv);
	p += sprintf(p, "t,x,y,z,label\n");
	for (unsigned i = 0; i < 200; i++)
		p += sprintf(p, "%u,0,0,1,%s\n", i < 100 ? i : 600 + i, i < 100 ? "supine" : "prone");
	np_import_opts_default(&o);
	o.start_utc_ms = FX_CREATED_MS;
	assert_int_equal(np_import_csv(fx_text(&(struct np_text){ 0 }, csv), &o, &d, &err), NP_OK);
	free(csv);
	assert_int_equal(np_rec_data_write(&d, c->path, NULL), NP_OK);
	np_rec_data_free(&d);

	assert_int_equal(np_night_load(c->path, &n), NP_OK);
	assert_int_equal(n.clock_jumps, 0);
	assert_int_equal(n.sensor[0].n, 200);
	assert_near(n.duration_s, 800.0, EPS);
	expect_one_gap(&n, 100.0, 700.0);
	assert_int_equal(n.n_ann, 2);
	assert_near(n.ann[1].start_s, 700.0, EPS);
	assert_int_equal(n.ann[1].position, NP_POS_PRONE);
	np_night_free(&n);
}

/* The shipped simulated night: 8 h at 10 Hz, as it loaded before the check. */
static void test_sample_night_unchanged(void **state)
{
	struct np_night n;

	(void)state;
	assert_int_equal(np_night_load(NP_SOURCE_DIR "/datasets/samples/sample-night.npr", &n), NP_OK);
	assert_int_equal(n.clock_jumps, 0);
	assert_int_equal(n.sensor[0].n, 288000);
	assert_near(n.duration_s, 28800.0, EPS);
	assert_int_equal(n.n_gaps, 0);
	assert_int_equal(n.n_ann, 68);
	np_night_free(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builder_counts_and_ticks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_builder_gap_and_annotations, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_builder_writes_nothing_until_commit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_builder_sequence_wraps, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_tick_wrap_is_continuous, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_device_reset, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lost_frame_is_a_gap, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_link_events_make_a_gap, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_link_gap_in_irregular_data, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unusable_hello_and_errors, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_date_stays_unknown, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_absurd_date_is_unknown, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_clock_jump_forward, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_clock_jump_backward, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_clock_jump_one_bad_frame, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_live_jitter_is_not_a_jump, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_import_has_no_clock_jump, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sample_night_unchanged, NULL, NULL),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
