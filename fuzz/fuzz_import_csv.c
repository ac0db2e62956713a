/*
 * Fuzz target for the text importers (host/lib/np_import_*.c, np_text.c), the
 * generic csv one first. The first input byte picks the options: bit 0 a fixed
 * rate (no time column), bits 1-2 the csv scale, bits 3-4 the format (csv, spc,
 * uci-ar, hapt; hapt reads the same text as its labels). The rest is the file.
 * Invariants checked (abort() on violation):
 *  - the result is NP_OK, NP_ERR_FORMAT, NP_ERR_RANGE or NP_ERR_NOMEM;
 *  - a failure leaves nothing allocated, and says why, on a line that exists, in a
 *    column that exists;
 *  - a success has ticks strictly increasing per sensor, both sensors sampled at the
 *    same ticks, values within the recorded full scale, and annotations whose range
 *    is not reversed and whose text length matches.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"
#include "np_import.h"
#include "np_importers.h"
#include "np_rec_data.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			abort(); \
	} while (0)

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
		CHECK(a->kind == NP_ANN_LABEL || a->kind == NP_ANN_LABEL_LYING);
		CHECK(a->text_len == strlen(a->text));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_import_opts o;
	struct np_rec_data d;
	struct np_import_error err;
	int rc;

	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	np_import_opts_default(&o);
	o.name = "fuzz/acc_exp41_user20_20220610_193124.txt";
	o.rate_hz = sel & 1 ? 25.0 : 0.0;
	o.scale = (enum np_import_scale)((sel >> 1) % 3);
	o.lsb_per_g = 256;
	switch ((sel >> 3) & 3) {
	case 0:
		rc = np_import_csv(text, len, &o, &d, &err);
		break;
	case 1:
		rc = np_import_spc(text, len, &o, &d, &err);
		break;
	case 2:
		o.rate_hz = 0.0;
		rc = np_import_uci_ar(text, len, &o, &d, &err);
		break;
	default:
		rc = np_import_hapt(text, len, text, len, &o, &d, &err);
		break;
	}
	CHECK(rc == NP_OK || rc == NP_ERR_FORMAT || rc == NP_ERR_RANGE || rc == NP_ERR_NOMEM);
	if (rc != NP_OK) {
		size_t lines = 1;
		for (size_t i = 0; i < len; i++)
			lines += text[i] == '\n';
		CHECK(d.track[0].v == NULL && d.track[1].v == NULL && d.ann == NULL);
		CHECK(err.why[0] != '\0');
		CHECK(err.line <= lines);
		CHECK(err.column <= 9);
		return 0;
	}
	check_success(&d);
	np_rec_data_free(&d);
	return 0;
}
