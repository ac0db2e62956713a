/* The invariants shared by the importer fuzz targets (fuzz_import.h). */
#include "fuzz_import.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			abort(); \
	} while (0)

void fuzz_import_opts(struct np_import_opts *o)
{
	np_import_opts_default(o);
	o->name = "fuzz/acc_exp41_user20_20220610_193124.txt";
	o->lsb_per_g = 256;
}

static void check_success(const struct np_rec_data *d)
{
	const struct np_hello *h = &d->header.hello;
	int32_t full = (int32_t)h->range_g * h->lsb_per_g;

	CHECK(d->track[0].n > 0);
	CHECK(h->tick_hz > 0 && h->lsb_per_g > 0);
	CHECK(d->track[1].n == 0 || d->track[1].n == d->track[0].n);
	CHECK(h->sensor_count == (d->track[1].n ? 2 : 1));
	for (unsigned s = 0; s < NP_SENSORS_MAX; s++) {
		const struct np_rec_track *t = &d->track[s];
		for (size_t i = 0; i < t->n; i++) {
			CHECK(i == 0 || t->v[i].tick > t->v[i - 1].tick);
			CHECK(s == 0 || t->v[i].tick == d->track[0].v[i].tick);
			CHECK(abs(t->v[i].x) <= full && abs(t->v[i].y) <= full &&
			      abs(t->v[i].z) <= full);
		}
	}
	for (size_t i = 0; i < d->n_ann; i++) {
		const struct np_annotation *a = &d->ann[i];
		CHECK(a->start_tick <= a->end_tick);
		CHECK(a->kind == NP_ANN_LABEL || a->kind == NP_ANN_LABEL_LYING ||
		      (a->kind == NP_ANN_NOTE && strncmp(a->text, "import: ", 8) == 0));
		CHECK(a->text_len == strlen(a->text));
	}
}

static size_t count_lines(const char *text, size_t len)
{
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	return lines;
}

/* A column that exists has at least column - 1 separators before it somewhere
 * (a '\r' inside a line separates blank-separated columns, as a space does). */
static size_t count_columns(const char *text, size_t len)
{
	size_t columns = 1;
	for (size_t i = 0; i < len; i++)
		columns += text[i] == ',' || text[i] == ';' || text[i] == '\t' || text[i] == ' ' ||
			   text[i] == '\r';
	return columns;
}

void fuzz_import_check(int rc, struct np_rec_data *d, const struct np_import_error *err,
		       const char *text, size_t len, const char *labels, size_t labels_len)
{
	CHECK(rc == NP_OK || rc == NP_ERR_FORMAT || rc == NP_ERR_RANGE || rc == NP_ERR_NOMEM);
	if (rc != NP_OK) {
		CHECK(d->track[0].v == NULL && d->track[1].v == NULL && d->ann == NULL);
		CHECK(err->why[0] != '\0');
		const char *in = err->in_labels ? labels : text;
		size_t in_len = err->in_labels ? labels_len : len;
		CHECK(err->line <= count_lines(in, in_len));
		CHECK(err->column <= count_columns(in, in_len));
		return;
	}
	check_success(d);
	np_rec_data_free(d);
}

void fuzz_import_one(const uint8_t *data, size_t size, fuzz_import_parse parse,
		     void (*set_opts)(uint8_t sel, struct np_import_opts *o))
{
	struct np_import_opts o;
	struct np_rec_data d;
	struct np_import_error err;
	struct np_text in;

	if (set_opts && size < 1)
		return;
	const char *text = (const char *)data + (set_opts ? 1 : 0);
	size_t len = size - (set_opts ? 1 : 0);
	fuzz_import_opts(&o);
	if (set_opts)
		set_opts(data[0], &o);
	np_text_init(&in, text, len);
	int rc = parse(&in, &o, &d, &err);
	fuzz_import_check(rc, &d, &err, text, len, NULL, 0);
}
