/* A recording held in memory (import, simulate) and its writing through np_rec_builder. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "np_array.h"
#include "np_err.h"
#include "np_rec_builder.h"
#include "np_rec_data.h"

void np_rec_data_init(struct np_rec_data *d)
{
	memset(d, 0, sizeof *d);
	d->header.version = NP_REC_VERSION;
	d->header.hello.protocol_version = NP_PROTOCOL_VERSION;
}

int np_rec_data_add(struct np_rec_data *d, unsigned sensor, uint32_t tick, int16_t x, int16_t y,
		    int16_t z)
{
	if (sensor >= NP_SENSORS_MAX)
		return NP_ERR_ARG;
	struct np_rec_track *t = &d->track[sensor];
	void *v = t->v;
	int rc = np_array_reserve(&v, &t->cap, t->n + 1, sizeof *t->v);
	t->v = v;
	if (rc != NP_OK)
		return rc;
	t->v[t->n++] = (struct np_rec_point){ tick, x, y, z };
	return NP_OK;
}

int np_rec_data_annotate(struct np_rec_data *d, uint32_t start_tick, uint32_t end_tick,
			 uint8_t kind, uint8_t position, const char *text)
{
	void *v = d->ann;
	int rc = np_array_reserve(&v, &d->cap_ann, d->n_ann + 1, sizeof *d->ann);
	d->ann = v;
	if (rc != NP_OK)
		return rc;
	struct np_annotation *a = &d->ann[d->n_ann++];
	memset(a, 0, sizeof *a);
	a->start_tick = start_tick;
	a->end_tick = end_tick;
	a->kind = kind;
	a->position = position;
	size_t n = text ? strlen(text) : 0;
	if (n > NP_ANNOTATION_TEXT_MAX)
		n = NP_ANNOTATION_TEXT_MAX;
	if (n)
		memcpy(a->text, text, n);
	a->text[n] = '\0';
	a->text_len = (uint8_t)n;
	return NP_OK;
}

void np_rec_data_free(struct np_rec_data *d)
{
	for (unsigned s = 0; s < NP_SENSORS_MAX; s++)
		free(d->track[s].v);
	free(d->ann);
	np_rec_data_init(d);
}

static int cmp_ann_start(const void *a, const void *b)
{
	const struct np_annotation *x = *(const struct np_annotation *const *)a;
	const struct np_annotation *y = *(const struct np_annotation *const *)b;
	if (x->start_tick != y->start_tick)
		return x->start_tick < y->start_tick ? -1 : 1;
	/* Keep the order of addition among equal starts (qsort is not stable). */
	return x < y ? -1 : (x > y);
}

/*
 * Samples of both sensors go out merged in time order (the builder keeps one open
 * frame per sensor), annotations in order of their start, each just before the
 * first sample at or after it: as a live recording would have received them.
 */
static int write_all(struct np_rec_builder *b, const struct np_rec_data *d,
		     const struct np_annotation **ann)
{
	const struct np_rec_track *s0 = &d->track[0], *s1 = &d->track[1];
	size_t i0 = 0, i1 = 0, ia = 0;
	int rc = NP_OK;

	while (rc == NP_OK && (i0 < s0->n || i1 < s1->n)) {
		bool first = i1 == s1->n || (i0 < s0->n && s0->v[i0].tick <= s1->v[i1].tick);
		const struct np_rec_point *p = first ? &s0->v[i0++] : &s1->v[i1++];
		while (rc == NP_OK && ia < d->n_ann && ann[ia]->start_tick <= p->tick)
			rc = np_rec_builder_add_annotation(b, ann[ia++]);
		if (rc == NP_OK)
			rc = np_rec_builder_add_sample(b, first ? 0 : 1, p->tick, p->x, p->y, p->z);
	}
	while (rc == NP_OK && ia < d->n_ann)
		rc = np_rec_builder_add_annotation(b, ann[ia++]);
	return rc;
}

int np_rec_data_write(const struct np_rec_data *d, const char *path,
		      const struct np_tmp_watch *watch)
{
	const struct np_annotation **ann = NULL;
	struct np_rec_builder *b = NULL;
	int rc;

	if (d->n_ann) {
		ann = malloc(d->n_ann * sizeof *ann);
		if (!ann)
			return NP_ERR_NOMEM;
		for (size_t i = 0; i < d->n_ann; i++)
			ann[i] = &d->ann[i];
		qsort(ann, d->n_ann, sizeof *ann, cmp_ann_start);
	}
	rc = np_rec_builder_open(&b, path, &d->header);
	if (rc == NP_OK) {
		np_tmp_watch_created(watch, np_rec_builder_tmp_path(b));
		rc = write_all(b, d, ann);
		if (rc == NP_OK)
			rc = np_rec_builder_commit(b);
		else
			np_rec_builder_abort(b);
	}
	free(ann);
	return rc;
}

static uint32_t gcd_u32(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

int np_rec_tick_base(uint32_t rate_millihz, uint32_t *tick_hz, uint32_t *period_ticks)
{
	uint32_t hz, period;
	if (rate_millihz == 0)
		return NP_ERR_RANGE;
	if (1000000u % rate_millihz == 0) {
		hz = 1000;
		period = 1000000u / rate_millihz;
	} else {
		uint32_t g = gcd_u32(rate_millihz, 1000);
		hz = rate_millihz / g;
		period = 1000 / g;
	}
	if (period > UINT16_MAX)
		return NP_ERR_RANGE;
	*tick_hz = hz;
	*period_ticks = period;
	return NP_OK;
}
