/* Recordings made from samples in memory (import, simulate): np_rec_builder_*() of np_night.h. */
#include <stdlib.h>
#include <string.h>

#include "np_err.h"
#include "np_rec_builder.h"

struct pending {
	bool open;
	struct np_samples s;
};

struct np_rec_builder {
	struct np_rec_writer *w;
	struct np_hello hello;
	int err;               /* first error, sticky */
	uint16_t dev_seq;      /* device frames: consecutive, as a device would send them */
	uint16_t host_seq;     /* host frames number themselves apart */
	bool have_origin;
	int64_t origin;        /* unwrapped tick at host_ms 0 */
	int64_t ref;           /* unwrapped latest tick seen, for wrap-around */
	uint32_t last_host_ms;
	unsigned frame_max;    /* samples per SAMPLES frame: about one second */
	uint32_t max_period;   /* longest period that is not a gap, in ticks (0: any) */
	struct pending pend[NP_SENSORS_MAX];
	uint8_t payload[NP_PAYLOAD_MAX];
};

static int64_t unwrap(struct np_rec_builder *b, uint32_t tick)
{
	uint32_t d;

	if (!b->have_origin) {
		b->have_origin = true;
		b->origin = tick;
		b->ref = tick;
		return tick;
	}
	d = tick - (uint32_t)b->ref;
	return b->ref + (d < 0x80000000u ? (int64_t)d : (int64_t)d - 0x100000000);
}

/* host_ms of something that happened at tick: as if received at once, never earlier than before. */
static uint32_t host_ms_at(struct np_rec_builder *b, uint32_t tick)
{
	int64_t ms = (unwrap(b, tick) - b->origin) * 1000 / (int64_t)b->hello.tick_hz;

	if (ms > UINT32_MAX)
		ms = UINT32_MAX;
	if (ms > b->last_host_ms)
		b->last_host_ms = (uint32_t)ms;
	return b->last_host_ms;
}

static int append(struct np_rec_builder *b, uint32_t host_ms, uint8_t origin, uint8_t type,
		  size_t len)
{
	struct np_frame f = { .type = type, .len = (uint16_t)len, .payload = b->payload };

	if (origin == NP_ORIGIN_DEVICE)
		f.seq = b->dev_seq++;
	else
		f.seq = b->host_seq++;
	b->err = np_rec_writer_append(b->w, host_ms, origin, &f);
	return b->err;
}

static int flush_sensor(struct np_rec_builder *b, unsigned sensor)
{
	struct pending *p = &b->pend[sensor];
	uint32_t last;
	size_t len;
	int rc;

	if (!p->open)
		return NP_OK;
	p->open = false;
	rc = np_samples_encode(&p->s, b->payload, sizeof b->payload, &len);
	if (rc != NP_OK)
		return b->err = rc;
	last = p->s.first_tick + (uint32_t)(p->s.count - 1) * p->s.period_ticks;
	return append(b, host_ms_at(b, last), NP_ORIGIN_DEVICE, NP_MSG_SAMPLES, len);
}

/* Both sensors, oldest frame first, so host_ms stays in order. */
static int flush_all(struct np_rec_builder *b)
{
	unsigned first = 0;
	int rc;

	if (b->pend[0].open && b->pend[1].open &&
	    (int32_t)(b->pend[1].s.first_tick - b->pend[0].s.first_tick) < 0)
		first = 1;
	rc = flush_sensor(b, first);
	if (rc == NP_OK)
		rc = flush_sensor(b, 1u - first);
	return rc;
}

int np_rec_builder_open(struct np_rec_builder **bp, const char *path, const struct np_rec_header *h)
{
	struct np_rec_builder *b;
	size_t len;
	int rc;

	if (bp)
		*bp = NULL;
	if (!bp || !h || h->hello.tick_hz == 0 || h->hello.lsb_per_g == 0)
		return NP_ERR_ARG;
	b = calloc(1, sizeof *b);
	if (!b)
		return NP_ERR_NOMEM;
	b->hello = h->hello;
	b->frame_max = NP_SAMPLES_MAX;
	if (h->hello.rate_millihz > 0) {
		uint64_t per_s = (h->hello.rate_millihz + 999u) / 1000u;
		uint64_t nominal = (uint64_t)h->hello.tick_hz * 1000u / h->hello.rate_millihz;

		if (per_s < b->frame_max)
			b->frame_max = (unsigned)per_s;
		/* A frame's period must stay near the nominal one, or a pause in
		   the data would hide inside a frame instead of showing as a gap. */
		b->max_period = (uint32_t)(nominal + nominal / 2u);
	}
	rc = np_rec_writer_open(&b->w, path, h, NP_REC_COMMIT_AT_CLOSE);
	if (rc == NP_OK)
		rc = np_hello_encode(&h->hello, b->payload, sizeof b->payload, &len);
	/* A device announces itself first; replay relies on it. */
	if (rc == NP_OK)
		rc = append(b, 0, NP_ORIGIN_DEVICE, NP_MSG_HELLO, len);
	if (rc != NP_OK) {
		np_rec_builder_abort(b);
		return rc;
	}
	*bp = b;
	return NP_OK;
}

int np_rec_builder_add_sample(struct np_rec_builder *b, uint8_t sensor, uint32_t tick,
			      int16_t x, int16_t y, int16_t z)
{
	struct pending *p;
	struct np_samples *s;
	int rc;

	if (!b || sensor >= NP_SENSORS_MAX)
		return NP_ERR_ARG;
	if (b->err != NP_OK)
		return b->err;
	p = &b->pend[sensor];
	s = &p->s;
	if (p->open) {
		uint32_t d = tick - (s->first_tick + (uint32_t)(s->count - 1) * s->period_ticks);
		bool fits = s->count < b->frame_max;

		if (s->count == 1)
			fits = fits && d >= 1 && d <= UINT16_MAX && (!b->max_period || d <= b->max_period);
		else
			fits = fits && d == s->period_ticks;
		if (fits) {
			if (s->count == 1)
				s->period_ticks = (uint16_t)d;
			s->s[s->count].x = x;
			s->s[s->count].y = y;
			s->s[s->count].z = z;
			s->count++;
			return NP_OK;
		}
		rc = flush_sensor(b, sensor);
		if (rc != NP_OK)
			return rc;
	}
	b->ref = unwrap(b, tick);
	memset(s, 0, sizeof *s);
	p->open = true;
	s->sensor_id = sensor;
	s->count = 1;
	s->first_tick = tick;
	s->s[0].x = x;
	s->s[0].y = y;
	s->s[0].z = z;
	return NP_OK;
}

int np_rec_builder_add_annotation(struct np_rec_builder *b, const struct np_annotation *a)
{
	size_t len;
	int rc;

	if (!b || !a)
		return NP_ERR_ARG;
	if (b->err != NP_OK)
		return b->err;
	/* Pending sample frames go first: they use the same payload buffer, and
	   host_ms stays in order. */
	rc = flush_all(b);
	if (rc == NP_OK)
		rc = np_annotation_encode(a, b->payload, sizeof b->payload, &len);
	if (rc == NP_OK)
		rc = append(b, b->last_host_ms, NP_ORIGIN_HOST, NP_MSG_ANNOTATION, len);
	return rc;
}

int np_rec_builder_add_event(struct np_rec_builder *b, uint8_t origin, const struct np_event *ev)
{
	size_t len;
	int rc;

	if (!b || !ev || (origin != NP_ORIGIN_DEVICE && origin != NP_ORIGIN_HOST))
		return NP_ERR_ARG;
	if (b->err != NP_OK)
		return b->err;
	rc = flush_all(b);
	if (rc == NP_OK)
		rc = np_event_encode(ev, b->payload, sizeof b->payload, &len);
	if (rc == NP_OK)
		rc = append(b, host_ms_at(b, ev->tick), origin, NP_MSG_EVENT, len);
	return rc;
}

int np_rec_builder_commit(struct np_rec_builder *b)
{
	int rc, rc2;

	if (!b)
		return NP_ERR_ARG;
	rc = b->err;
	if (rc == NP_OK)
		rc = flush_all(b);
	if (rc != NP_OK) {
		np_rec_builder_abort(b);
		return rc;
	}
	rc2 = np_rec_writer_close(b->w);
	free(b);
	return rc2;
}

const char *np_rec_builder_tmp_path(const struct np_rec_builder *b)
{
	return b ? np_rec_writer_tmp_path(b->w) : NULL;
}

void np_rec_builder_abort(struct np_rec_builder *b)
{
	if (!b)
		return;
	np_rec_writer_abort(b->w);
	free(b);
}
