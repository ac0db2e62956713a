#include "np_night.h"

#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_array.h"
#include "np_err.h"

/*
 * Times are first computed on a provisional axis (t = 0 at the first sample of
 * any sensor, host times mapped through host_offset_s) and shifted at the end so
 * that t = 0 is the chest sensor's first sample.
 */

/* Ticks of one device run (between resets): HELLO parameters and the time map. */
struct session {
	struct np_hello hello;
	bool have_ref;
	int64_t ref;       /* unwrapped tick of the latest sample: ticks are u32 and wrap */
	bool anchored;
	int64_t tick_base; /* unwrapped tick at t_base */
	double t_base;
	double anchor_host;  /* host time of the anchoring frame (provisional axis) */
	double min_lag;      /* least (receive time - last sample's time) of a frame of the run */
};

enum time_kind { TIME_T, TIME_TICK, TIME_HOST };

/* A time that can only be placed once the whole file is read. */
struct raw_time {
	enum time_kind kind;
	size_t session;
	int64_t utick;
	uint32_t host_ms;
	double t;
};

struct raw_gap {
	struct raw_time start, end;
};

struct sensor_state {
	bool have;
	double last_t;   /* time of the latest sample */
	double period_s; /* sample period of the latest frame, 0 if unknown */
	bool seq_miss;   /* device frames were lost, or the device reset, since the last frame */
};

struct loader {
	struct np_night *n;
	struct session *ses;
	size_t n_ses, cap_ses;
	bool samples_in_session; /* a SAMPLES frame since the latest HELLO */
	bool have_host_offset;
	double host_offset_s;    /* host seconds at provisional t = 0 */
	uint32_t last_host_ms;
	uint32_t frames_missed;  /* reader's count, to notice new sequence gaps */
	struct sensor_state sen[NP_SENSORS_MAX];
	struct raw_gap *ann_t;   /* start and end per annotation */
	struct raw_time *ev_t;
	size_t cap_ann, cap_ann_t, cap_ev, cap_ev_t;
	struct raw_gap *gaps;
	size_t n_gaps, cap_gaps;
	bool link_down;
	struct raw_time link_down_at;
	char *why;  /* why a bound of np_night.h is broken (NP_ERR_RANGE); may be NULL */
	size_t why_cap;
};

static int refuse(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(struct loader *L, const char *fmt, ...)
{
	if (L->why && L->why_cap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(L->why, L->why_cap, fmt, ap);
		va_end(ap);
	}
	return NP_ERR_RANGE;
}

static bool hello_usable(const struct np_hello *h)
{
	return h->tick_hz > 0 && h->lsb_per_g > 0;
}

static struct session *cur(struct loader *L)
{
	return &L->ses[L->n_ses - 1];
}

static int new_session(struct loader *L, const struct np_hello *h)
{
	/* h may point into L->ses (a clock jump starts a run with the same HELLO):
	   copy it before np_array_reserve() moves the array. */
	struct np_hello hello = *h;
	int rc = np_array_reserve((void **)&L->ses, &L->cap_ses, L->n_ses + 1, sizeof *L->ses);

	if (rc != NP_OK)
		return rc;
	memset(&L->ses[L->n_ses], 0, sizeof *L->ses);
	L->ses[L->n_ses].hello = hello;
	L->n_ses++;
	L->samples_in_session = false;
	return NP_OK;
}

/* Unwrap a 32-bit tick to the nearest value around the session's reference. */
static int64_t unwrap(struct session *s, uint32_t tick)
{
	uint32_t d;

	if (!s->have_ref) {
		s->have_ref = true;
		s->ref = tick;
		return tick;
	}
	d = tick - (uint32_t)s->ref;
	return s->ref + (d < 0x80000000u ? (int64_t)d : (int64_t)d - 0x100000000);
}

static double tick_t(const struct session *s, int64_t utick)
{
	return s->t_base + (double)(utick - s->tick_base) / (double)s->hello.tick_hz;
}

static double host_t(const struct loader *L, uint32_t host_ms)
{
	return (double)host_ms / 1000.0 - (L->have_host_offset ? L->host_offset_s : 0.0);
}

static struct raw_time at_tick(struct loader *L, uint32_t tick)
{
	struct raw_time rt = { .kind = TIME_TICK, .session = L->n_ses - 1 };

	rt.utick = unwrap(cur(L), tick);
	return rt;
}

static struct raw_time at_host(uint32_t host_ms)
{
	struct raw_time rt = { .kind = TIME_HOST, .host_ms = host_ms };
	return rt;
}

static struct raw_time at_t(double t)
{
	struct raw_time rt = { .kind = TIME_T, .t = t };
	return rt;
}

/* Place a time on the provisional axis; ticks of a session without samples fall back to host time. */
static double resolve(const struct loader *L, const struct raw_time *rt)
{
	const struct session *s;

	switch (rt->kind) {
	case TIME_T:
		return rt->t;
	case TIME_TICK:
		s = &L->ses[rt->session];
		if (s->anchored)
			return tick_t(s, rt->utick);
		return host_t(L, rt->host_ms);
	case TIME_HOST:
		break;
	}
	return host_t(L, rt->host_ms);
}

static int add_gap(struct loader *L, struct raw_time start, struct raw_time end)
{
	int rc = np_array_reserve((void **)&L->gaps, &L->cap_gaps, L->n_gaps + 1, sizeof *L->gaps);

	if (rc != NP_OK)
		return rc;
	L->gaps[L->n_gaps].start = start;
	L->gaps[L->n_gaps].end = end;
	L->n_gaps++;
	return NP_OK;
}

static double frame_period_s(const struct np_samples *m, const struct np_hello *h)
{
	if (m->period_ticks > 0)
		return (double)m->period_ticks / (double)h->tick_hz;
	if (h->rate_millihz > 0)
		return 1000.0 / (double)h->rate_millihz;
	return 0.0;
}

/* Latest end of data over all sensors (provisional axis). */
static double data_end(const struct loader *L)
{
	double end = 0.0;

	for (int i = 0; i < NP_SENSORS_MAX; i++)
		if (L->sen[i].have && L->sen[i].last_t + L->sen[i].period_s > end)
			end = L->sen[i].last_t + L->sen[i].period_s;
	return end;
}

/* Give a session its time map from the first SAMPLES frame it sends. */
static void anchor(struct loader *L, struct session *s, int64_t utick, uint32_t host_ms,
		   double span_s)
{
	bool first = !L->have_host_offset;

	s->anchored = true;
	s->tick_base = utick;
	if (first) {
		/* The frame is received just after its last sample was taken. */
		s->t_base = 0.0;
		L->have_host_offset = true;
		L->host_offset_s = (double)host_ms / 1000.0 - span_s;
	} else {
		/* After a reset the ticks restart from an unknown value: only the host
		   clock links the runs. Never let a run start before the previous one ended. */
		s->t_base = host_t(L, host_ms) - span_s;
		if (s->t_base < data_end(L))
			s->t_base = data_end(L);
	}
	s->anchor_host = host_t(L, host_ms);
	s->min_lag = DBL_MAX; /* the anchoring frame sets it */
}

/*
 * How far a run's tick time may run ahead of the host receive time (compared
 * with its least delayed frame), or go back, before it is a clock jump rather
 * than drift: a fixed allowance for the host's jitter plus a fraction of the
 * time since the run was anchored for the drift of the device crystal.
 */
static double jump_bound(const struct session *s, double host)
{
	double elapsed = host - s->anchor_host;

	return NP_NIGHT_JUMP_S + NP_NIGHT_JUMP_FRAC * (elapsed < 0.0 ? -elapsed : elapsed);
}

/* Do the ticks of a frame (first and last sample) contradict the host clock or
   the sensor's previous sample? A device delivers late, never early. */
static bool clock_jumped(const struct loader *L, const struct session *s,
			 const struct sensor_state *st, int64_t u0, int64_t ulast, uint32_t host_ms)
{
	double host = host_t(L, host_ms);
	double bound = jump_bound(s, host);

	if (host - tick_t(s, ulast) < s->min_lag - bound)
		return true;
	return st->have && tick_t(s, u0) < st->last_t - bound;
}

/*
 * resolve() for an event: a device event is sent when it happens, so a tick
 * that runs ahead of its receive time beyond the run's jump bound comes from
 * after a clock jump (an event read before the samples that re-anchor the run):
 * its receive time is then the better estimate. Not for annotations: their
 * ranges may start after the moment they were written.
 */
static double resolve_event(const struct loader *L, const struct raw_time *rt)
{
	const struct session *s = &L->ses[rt->session];
	double t = resolve(L, rt), host;

	if (rt->kind != TIME_TICK || !s->anchored)
		return t;
	host = host_t(L, rt->host_ms);
	return host - t < s->min_lag - jump_bound(s, host) ? host : t;
}

static int push_sample(struct np_series *sr, double t, float x, float y, float z)
{
	int rc = np_array_reserve((void **)&sr->v, &sr->cap, sr->n + 1, sizeof *sr->v);

	if (rc != NP_OK)
		return rc;
	sr->v[sr->n].t_s = t;
	sr->v[sr->n].x = x;
	sr->v[sr->n].y = y;
	sr->v[sr->n].z = z;
	sr->n++;
	return NP_OK;
}

/*
 * Place a frame's ticks on the provisional axis, starting a new run when they
 * jumped. *u0 is the unwrapped tick of its first sample in the current run.
 */
static int place_frame(struct loader *L, const struct np_rec_entry *e, const struct np_samples *m,
		       const struct sensor_state *st, double period, int64_t *u0)
{
	struct session *s = cur(L);
	double lag;
	int64_t ulast;
	int rc;

	*u0 = unwrap(s, m->first_tick);
	ulast = *u0 + (int64_t)(m->count - 1) * m->period_ticks;
	if (s->anchored && clock_jumped(L, s, st, *u0, ulast, e->host_ms)) {
		/* Like a reset without a HELLO: a new run of the same device, placed
		   with the host clock as if delivered with the run's least delay. */
		lag = s->min_lag;
		L->n->clock_jumps++;
		for (int i = 0; i < NP_SENSORS_MAX; i++)
			L->sen[i].seq_miss = true;
		rc = new_session(L, &s->hello);
		if (rc != NP_OK)
			return rc;
		s = cur(L);
		*u0 = unwrap(s, m->first_tick);
		ulast = *u0 + (int64_t)(m->count - 1) * m->period_ticks;
		anchor(L, s, *u0, e->host_ms, (double)(m->count - 1) * period + lag);
	}
	if (!s->anchored)
		anchor(L, s, *u0, e->host_ms, (double)(m->count - 1) * period);
	lag = host_t(L, e->host_ms) - tick_t(s, ulast);
	if (lag < s->min_lag)
		s->min_lag = lag;
	s->ref = ulast;
	L->samples_in_session = true;
	return NP_OK;
}

/* Gaps before a frame starting at first_t: missing samples, or a link that was down. */
static int note_gaps(struct loader *L, const struct sensor_state *st, double period,
		     double first_t)
{
	int rc;

	if (st->have) {
		double expected = st->last_t + st->period_s;
		double per = st->period_s > 0.0 ? st->period_s : period;
		/* Jitter of up to 1.5 periods is normal; a lost frame or a reset means
		   samples are missing, so then half a period is enough to call it a gap. */
		double limit = per > 0.0 ? 1.5 * per : 1.0;

		if (st->seq_miss && per > 0.0)
			limit = 0.5 * per;
		if (first_t - expected > limit) {
			rc = add_gap(L, at_t(expected), at_t(first_t));
			if (rc != NP_OK)
				return rc;
		}
	}
	if (L->link_down) {
		L->link_down = false;
		rc = add_gap(L, L->link_down_at, at_t(first_t));
		if (rc != NP_OK)
			return rc;
	}
	return NP_OK;
}

/* Append a frame's samples in g; those going back in time are dropped and counted. */
static int append_samples(struct loader *L, struct np_series *sr, const struct session *s,
			  const struct np_samples *m, int64_t u0)
{
	double g = (double)s->hello.lsb_per_g;
	int rc;

	for (unsigned i = 0; i < m->count; i++) {
		double t = tick_t(s, u0 + (int64_t)i * m->period_ticks);

		if (sr->n > 0 && t < sr->v[sr->n - 1].t_s) {
			L->n->samples_dropped++;
			continue;
		}
		rc = push_sample(sr, t, (float)(m->s[i].x / g), (float)(m->s[i].y / g),
				 (float)(m->s[i].z / g));
		if (rc != NP_OK)
			return rc;
	}
	return NP_OK;
}

/* A frame's spacing against the bounds of np_night.h. */
static int check_period(struct loader *L, const struct np_samples *m, double period)
{
	const struct np_hello *h = &cur(L)->hello;
	if (period > NP_NIGHT_PERIOD_MAX_S)
		return refuse(L, "samples %.6g s apart (%u ticks at %u Hz): more than %g s is not "
				 "a recording", period, m->period_ticks, h->tick_hz, NP_NIGHT_PERIOD_MAX_S);
	if (h->rate_millihz > 0 && m->period_ticks > 0 && m->count > 1) {
		double nominal = h->rate_millihz / 1000.0, seen = 1.0 / period;
		if (nominal > seen * NP_NIGHT_RATE_FACTOR || nominal * NP_NIGHT_RATE_FACTOR < seen)
			return refuse(L, "the device says %.6g Hz, but its samples are %.6g Hz apart",
				      nominal, seen);
	}
	return NP_OK;
}

static int on_samples(struct loader *L, const struct np_rec_entry *e)
{
	struct np_samples m;
	struct sensor_state *st;
	struct np_series *sr;
	double period;
	int64_t u0;
	int rc;

	if (np_samples_decode(e->frame.payload, e->frame.len, &m) != NP_OK)
		return NP_OK;
	if (m.sensor_id >= NP_SENSORS_MAX)
		return NP_OK;
	st = &L->sen[m.sensor_id];
	sr = &L->n->sensor[m.sensor_id];
	period = frame_period_s(&m, &cur(L)->hello);
	if ((rc = check_period(L, &m, period)) != NP_OK)
		return rc;
	rc = place_frame(L, e, &m, st, period, &u0);
	if (rc != NP_OK)
		return rc;
	rc = note_gaps(L, st, period, tick_t(cur(L), u0));
	if (rc != NP_OK)
		return rc;
	rc = append_samples(L, sr, cur(L), &m, u0);
	if (rc != NP_OK)
		return rc;
	st->have = true;
	st->seq_miss = false;
	st->period_s = period;
	if (sr->n > 0)
		st->last_t = sr->v[sr->n - 1].t_s;
	if ((unsigned)m.sensor_id + 1u > L->n->sensor_count)
		L->n->sensor_count = (unsigned)m.sensor_id + 1u;
	return NP_OK;
}

static int on_hello(struct loader *L, const struct np_rec_entry *e)
{
	struct np_hello h;

	if (np_hello_decode(e->frame.payload, e->frame.len, &h) != NP_OK || !hello_usable(&h))
		return NP_OK;
	if (h.rate_millihz / 1000.0 > NP_NIGHT_RATE_MAX_HZ)
		return refuse(L, "the device says %.6g Hz: more than %g Hz is not an accelerometer's "
				 "rate", h.rate_millihz / 1000.0, NP_NIGHT_RATE_MAX_HZ);
	if (!L->samples_in_session) {
		/* The HELLO that opens the run (the header holds a copy). */
		cur(L)->hello = h;
		return NP_OK;
	}
	L->n->device_resets++;
	for (int i = 0; i < NP_SENSORS_MAX; i++)
		L->sen[i].seq_miss = true;
	return new_session(L, &h);
}

static int on_annotation(struct loader *L, const struct np_rec_entry *e)
{
	struct np_night *n = L->n;
	struct np_night_annotation *a;
	struct np_annotation m;
	struct raw_gap *rt;
	int rc;

	if (np_annotation_decode(e->frame.payload, e->frame.len, &m) != NP_OK)
		return NP_OK;
	rc = np_array_reserve((void **)&n->ann, &L->cap_ann, n->n_ann + 1, sizeof *n->ann);
	if (rc == NP_OK)
		rc = np_array_reserve((void **)&L->ann_t, &L->cap_ann_t, n->n_ann + 1, sizeof *L->ann_t);
	if (rc != NP_OK)
		return rc;
	a = &n->ann[n->n_ann];
	memset(a, 0, sizeof *a);
	a->kind = m.kind;
	a->position = m.position < NP_POS_COUNT ? (enum np_position)m.position : NP_POS_UNKNOWN;
	memcpy(a->text, m.text, m.text_len);
	rt = &L->ann_t[n->n_ann];
	rt->start = at_tick(L, m.start_tick);
	rt->start.host_ms = e->host_ms;
	rt->end = rt->start;
	rt->end.utick = rt->start.utick + (int64_t)(uint32_t)(m.end_tick - m.start_tick);
	n->n_ann++;
	return NP_OK;
}

static int on_event(struct loader *L, const struct np_rec_entry *e)
{
	struct np_night *n = L->n;
	struct np_event ev;
	int rc;

	if (np_event_decode(e->frame.payload, e->frame.len, &ev) != NP_OK)
		return NP_OK;
	rc = np_array_reserve((void **)&n->events, &L->cap_ev, n->n_events + 1, sizeof *n->events);
	if (rc == NP_OK)
		rc = np_array_reserve((void **)&L->ev_t, &L->cap_ev_t, n->n_events + 1, sizeof *L->ev_t);
	if (rc != NP_OK)
		return rc;
	n->events[n->n_events].origin = e->origin;
	n->events[n->n_events].ev = ev;
	n->events[n->n_events].t_s = 0.0;
	/* The host has no device ticks: its events carry the receive time. */
	if (e->origin == NP_ORIGIN_HOST)
		L->ev_t[n->n_events] = at_host(e->host_ms);
	else
		L->ev_t[n->n_events] = at_tick(L, ev.tick);
	L->ev_t[n->n_events].host_ms = e->host_ms;
	n->n_events++;

	/* The gap lasts until data flows again, which the next samples show: a
	   device with a deep buffer may deliver the lost stretch after LINK_RESTORED. */
	if (e->origin == NP_ORIGIN_HOST && ev.kind == NP_EVENT_LINK_LOST && !L->link_down) {
		L->link_down = true;
		L->link_down_at = at_host(e->host_ms);
	}
	return NP_OK;
}

static int on_record(struct loader *L, const struct np_rec_entry *e, const struct np_rec_stats *st)
{
	L->last_host_ms = e->host_ms;
	if (st->device.frames_missed != L->frames_missed) {
		L->frames_missed = st->device.frames_missed;
		for (int i = 0; i < NP_SENSORS_MAX; i++)
			L->sen[i].seq_miss = true;
	}
	switch (e->frame.type) {
	case NP_MSG_SAMPLES:
		return e->origin == NP_ORIGIN_DEVICE ? on_samples(L, e) : NP_OK;
	case NP_MSG_HELLO:
		return e->origin == NP_ORIGIN_DEVICE ? on_hello(L, e) : NP_OK;
	case NP_MSG_ANNOTATION:
		return on_annotation(L, e);
	case NP_MSG_EVENT:
		return on_event(L, e);
	default:
		return NP_OK;
	}
}

static int cmp_gap(const void *a, const void *b)
{
	const struct np_gap *x = a, *y = b;

	return (x->start_s > y->start_s) - (x->start_s < y->start_s);
}

/* Resolve, clip to [0, duration], sort and merge the gaps. */
static int finish_gaps(struct loader *L, double shift)
{
	struct np_night *n = L->n;
	size_t k = 0;

	if (L->n_gaps == 0)
		return NP_OK;
	n->gaps = calloc(L->n_gaps, sizeof *n->gaps);
	if (!n->gaps)
		return NP_ERR_NOMEM;
	for (size_t i = 0; i < L->n_gaps; i++) {
		double a = resolve(L, &L->gaps[i].start) - shift;
		double b = resolve(L, &L->gaps[i].end) - shift;

		if (a < 0.0)
			a = 0.0;
		if (b > n->duration_s)
			b = n->duration_s;
		if (b > a) {
			n->gaps[k].start_s = a;
			n->gaps[k].end_s = b;
			k++;
		}
	}
	qsort(n->gaps, k, sizeof *n->gaps, cmp_gap);
	n->n_gaps = 0;
	for (size_t i = 0; i < k; i++) {
		struct np_gap *last = n->n_gaps ? &n->gaps[n->n_gaps - 1] : NULL;

		if (last && n->gaps[i].start_s <= last->end_s) {
			if (n->gaps[i].end_s > last->end_s)
				last->end_s = n->gaps[i].end_s;
		} else {
			n->gaps[n->n_gaps++] = n->gaps[i];
		}
	}
	return NP_OK;
}

static int finish(struct loader *L)
{
	struct np_night *n = L->n;
	double shift = 0.0;
	int rc;

	if (L->link_down) {
		rc = add_gap(L, L->link_down_at, at_host(L->last_host_ms));
		if (rc != NP_OK)
			return rc;
	}
	if (n->sensor[0].n > 0)
		shift = n->sensor[0].v[0].t_s;
	else if (n->sensor[1].n > 0)
		shift = n->sensor[1].v[0].t_s;
	for (int i = 0; i < NP_SENSORS_MAX; i++) {
		struct np_series *sr = &n->sensor[i];

		for (size_t j = 0; j < sr->n; j++)
			sr->v[j].t_s -= shift;
		if (sr->n > 0 && sr->v[sr->n - 1].t_s + L->sen[i].period_s > n->duration_s)
			n->duration_s = sr->v[sr->n - 1].t_s + L->sen[i].period_s;
	}
	for (size_t i = 0; i < n->n_ann; i++) {
		n->ann[i].start_s = resolve(L, &L->ann_t[i].start) - shift;
		n->ann[i].end_s = resolve(L, &L->ann_t[i].end) - shift;
	}
	for (size_t i = 0; i < n->n_events; i++)
		n->events[i].t_s = resolve_event(L, &L->ev_t[i]) - shift;
	/* created_utc_ms 0 means the date is unknown (an import without one): leave
	   start_utc_s 0 rather than a moment in January 1970 made of the offsets.
	   A date before 1970 or after the year 9999 is damage, unknown as well: the
	   report's clock times, the plots' time axes and replay's stamps cannot
	   represent it. */
	if (np_rec_created_known(n->header.created_utc_ms))
		n->start_utc_s = (double)n->header.created_utc_ms / 1000.0 +
				 (L->have_host_offset ? L->host_offset_s : 0.0) + shift;
	else
		n->start_utc_s = 0;
	return finish_gaps(L, shift);
}

/* The span against the time the samples cover (np_night.h). */
static int check_span(struct loader *L)
{
	const struct np_night *n = L->n;
	double covered = 0.0;
	size_t samples = 0;
	for (int i = 0; i < NP_SENSORS_MAX; i++) {
		double c = (double)n->sensor[i].n * L->sen[i].period_s;
		if (c > covered)
			covered = c;
		samples += n->sensor[i].n;
	}
	if (n->duration_s > NP_NIGHT_SPAN_SLACK_S + NP_NIGHT_SPAN_FACTOR * covered)
		return refuse(L, "the recording spans %.1f h for %zu samples: its clock is damaged",
			      n->duration_s / 3600.0, samples);
	return NP_OK;
}

static int load(struct np_rec_reader *r, struct np_night *n, char *why, size_t cap)
{
	struct loader L;
	struct np_rec_entry e;
	int rc;

	memset(&L, 0, sizeof L);
	L.n = n;
	L.why = why;
	L.why_cap = cap;
	if (n->header.hello.rate_millihz / 1000.0 > NP_NIGHT_RATE_MAX_HZ)
		return refuse(&L, "the device says %.6g Hz: more than %g Hz is not an "
				  "accelerometer's rate", n->header.hello.rate_millihz / 1000.0,
			      NP_NIGHT_RATE_MAX_HZ);
	n->sensor_count = n->header.hello.sensor_count;
	if (n->sensor_count < 1)
		n->sensor_count = 1;
	if (n->sensor_count > NP_SENSORS_MAX)
		n->sensor_count = NP_SENSORS_MAX;
	rc = new_session(&L, &n->header.hello);
	while (rc == NP_OK) {
		rc = np_rec_reader_next(r, &e);
		if (rc != NP_OK)
			break;
		rc = on_record(&L, &e, np_rec_reader_stats(r));
	}
	if (rc == NP_ERR_EOF) {
		n->stats = *np_rec_reader_stats(r);
		rc = finish(&L);
		if (rc == NP_OK)
			rc = check_span(&L);
	}
	free(L.ses);
	free(L.ann_t);
	free(L.ev_t);
	free(L.gaps);
	return rc;
}

static int load_opened(int rc, struct np_rec_reader *r, struct np_night *n, char *why, size_t cap)
{
	if (why && cap)
		why[0] = '\0';
	if (rc == NP_OK && !hello_usable(&n->header.hello))
		rc = NP_ERR_RANGE;
	if (rc == NP_OK)
		rc = load(r, n, why, cap);
	if (rc != NP_OK) {
		int e = errno;

		np_night_free(n);
		errno = e;
	}
	np_rec_reader_close(r);
	return rc;
}

int np_night_load(const char *path, struct np_night *n)
{
	return np_night_load_why(path, n, NULL, 0);
}

int np_night_load_why(const char *path, struct np_night *n, char *why, size_t cap)
{
	struct np_rec_reader *r = NULL;
	int rc;

	if (!n)
		return NP_ERR_ARG;
	memset(n, 0, sizeof *n);
	rc = np_rec_reader_open(&r, path, &n->header);
	return load_opened(rc, r, n, why, cap);
}

int np_night_load_mem(const uint8_t *data, size_t len, struct np_night *n)
{
	struct np_rec_reader *r = NULL;
	int rc;

	if (!n)
		return NP_ERR_ARG;
	memset(n, 0, sizeof *n);
	rc = np_rec_reader_open_mem(&r, data, len, &n->header);
	return load_opened(rc, r, n, NULL, 0);
}

void np_night_free(struct np_night *n)
{
	if (!n)
		return;
	for (int i = 0; i < NP_SENSORS_MAX; i++)
		free(n->sensor[i].v);
	free(n->ann);
	free(n->events);
	free(n->gaps);
	memset(n, 0, sizeof *n);
}
