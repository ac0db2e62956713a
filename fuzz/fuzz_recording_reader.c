/*
 * Fuzz target for the .npr reader (host/lib/np_recording.c) and the night loader
 * (host/lib/np_night.c). The input is a whole recording file, read from memory,
 * once as it is and once "repaired": every CRC and length field recomputed, so
 * that mutated payloads get past the checksums into the message decoders and
 * the loader's time, gap and reset logic (otherwise nearly every mutation only
 * exercises the corrupted-record path).
 * Invariants checked (abort() on violation):
 *  - the reader delivers frames of at most NP_PAYLOAD_MAX bytes, counts each one,
 *    and never reports more torn-tail bytes than the input holds;
 *  - the reader and the loader agree on the header and on every counter (unless the
 *    loader refuses a rate, spacing or span that the samples do not support);
 *  - loaded samples are in time order, the chest's first sample is at t = 0,
 *    gaps are sorted, disjoint and inside [0, duration], every time is finite.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_bytes.h"
#include "np_cobs.h"
#include "np_crc32c.h"
#include "np_err.h"
#include "np_night.h"
#include "np_recording.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			abort(); \
	} while (0)

static int read_all(const uint8_t *data, size_t size, struct np_rec_header *h,
		    struct np_rec_stats *st)
{
	struct np_rec_reader *r;
	struct np_rec_entry e;
	uint64_t n = 0;
	int rc = np_rec_reader_open_mem(&r, data, size, h);

	if (rc != NP_OK) {
		CHECK(r == NULL);
		CHECK(rc == NP_ERR_FORMAT || rc == NP_ERR_VERSION);
		return rc;
	}
	while ((rc = np_rec_reader_next(r, &e)) == NP_OK) {
		CHECK(e.frame.len <= NP_PAYLOAD_MAX);
		CHECK(e.frame.len == 0 || e.frame.payload != NULL);
		n++;
	}
	CHECK(rc == NP_ERR_EOF);
	CHECK(np_rec_reader_next(r, &e) == NP_ERR_EOF);
	*st = *np_rec_reader_stats(r);
	CHECK(st->records == n);
	CHECK(st->torn_tail_bytes <= size);
	np_rec_reader_close(r);
	return NP_OK;
}

/* Field by field: struct padding is not part of the comparison. */
static bool same_header(const struct np_rec_header *a, const struct np_rec_header *b)
{
	const struct np_hello *x = &a->hello, *y = &b->hello;

	return a->version == b->version && a->flags == b->flags &&
	       a->created_utc_ms == b->created_utc_ms && strcmp(a->source, b->source) == 0 &&
	       x->protocol_version == y->protocol_version && x->fw_major == y->fw_major &&
	       x->fw_minor == y->fw_minor && x->fw_patch == y->fw_patch &&
	       strcmp(x->serial, y->serial) == 0 && x->sensor_model == y->sensor_model &&
	       x->sensor_count == y->sensor_count && x->range_g == y->range_g &&
	       x->reset_reason == y->reset_reason && x->rate_millihz == y->rate_millihz &&
	       x->lsb_per_g == y->lsb_per_g && x->tick_hz == y->tick_hz;
}

static void check_night(const struct np_night *n)
{
	CHECK(n->sensor_count >= 1 && n->sensor_count <= NP_SENSORS_MAX);
	CHECK(isfinite(n->duration_s) && n->duration_s >= 0.0);
	CHECK(isfinite(n->start_utc_s));
	if (n->sensor[0].n > 0)
		CHECK(n->sensor[0].v[0].t_s == 0.0);
	for (int s = 0; s < NP_SENSORS_MAX; s++) {
		const struct np_series *sr = &n->sensor[s];

		CHECK(sr->n <= sr->cap);
		for (size_t i = 0; i < sr->n; i++) {
			CHECK(isfinite(sr->v[i].t_s));
			CHECK(isfinite(sr->v[i].x) && isfinite(sr->v[i].y) && isfinite(sr->v[i].z));
			CHECK(i == 0 || sr->v[i].t_s >= sr->v[i - 1].t_s);
			CHECK(sr->v[i].t_s <= n->duration_s);
		}
	}
	for (size_t i = 0; i < n->n_gaps; i++) {
		CHECK(n->gaps[i].start_s >= 0.0 && n->gaps[i].start_s < n->gaps[i].end_s);
		CHECK(n->gaps[i].end_s <= n->duration_s);
		CHECK(i == 0 || n->gaps[i].start_s > n->gaps[i - 1].end_s);
	}
	for (size_t i = 0; i < n->n_ann; i++) {
		CHECK(isfinite(n->ann[i].start_s) && isfinite(n->ann[i].end_s));
		CHECK(strlen(n->ann[i].text) <= NP_ANNOTATION_TEXT_MAX);
	}
	for (size_t i = 0; i < n->n_events; i++)
		CHECK(isfinite(n->events[i].t_s));
}

static void run(const uint8_t *data, size_t size)
{
	struct np_rec_header h;
	struct np_rec_stats st;
	struct np_night n;
	int rc = read_all(data, size, &h, &st);
	int rc_night = np_night_load_mem(data, size, &n);

	if (rc != NP_OK) {
		CHECK(rc_night == rc);
		return;
	}
	if (h.hello.tick_hz == 0 || h.hello.lsb_per_g == 0) {
		CHECK(rc_night == NP_ERR_RANGE);
		return;
	}
	/* A rate, spacing or span the samples do not support (np_night.h) is refused. */
	if (rc_night == NP_ERR_RANGE)
		return;
	CHECK(rc_night == NP_OK);
	CHECK(same_header(&n.header, &h));
	CHECK(memcmp(&n.stats, &st, sizeof st) == 0);
	check_night(&n);
	np_night_free(&n);
}

/* Record layout (FORMAT.md 3): host_ms u32, origin u8, frame, record crc u32. */
#define REC_MIN 18u

/* Fix the frame's len field and both CRCs of one decoded record. */
static void repair_record(uint8_t *raw, size_t len)
{
	size_t plen = len - REC_MIN;

	np_put_le16(raw + 8, (uint16_t)plen);
	np_put_le32(raw + 10 + plen, np_crc32c(raw + 5, 5 + plen));
	np_put_le32(raw + len - 4, np_crc32c(raw, len - 4));
}

/* Copy of data with valid header and record CRCs; returns its length. */
static size_t repair(const uint8_t *data, size_t size, uint8_t *out)
{
	static uint8_t raw[NP_REC_RECORD_WIRE_MAX];
	size_t hl, pos, n;

	memcpy(out, data, size);
	if (size < 12)
		return size;
	hl = np_get_le16(out + 10);
	if (hl < 8 || hl > size)
		return size;
	np_put_le32(out + hl - 4, np_crc32c(out, hl - 4));
	n = pos = hl;
	while (pos < size) {
		const uint8_t *z = memchr(data + pos, 0, size - pos);
		size_t len = z ? (size_t)(z - (data + pos)) : size - pos, raw_len, enc;

		if (!z) {
			/* The torn tail stays as it is. */
			memcpy(out + n, data + pos, len);
			n += len;
			break;
		}
		if (len <= NP_REC_RECORD_WIRE_MAX &&
		    np_cobs_decode(data + pos, len, raw, sizeof raw, &raw_len) == NP_OK &&
		    raw_len >= REC_MIN && raw_len <= NP_REC_RECORD_RAW_MAX) {
			repair_record(raw, raw_len);
			CHECK(np_cobs_encode(raw, raw_len, out + n, NP_REC_RECORD_WIRE_MAX, &enc) == NP_OK);
			n += enc;
		} else {
			memcpy(out + n, data + pos, len);
			n += len;
		}
		out[n++] = 0;
		pos += len + 1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Re-encoding a record grows it by at most one byte per 254, plus one. */
	uint8_t *fixed = malloc(size + size / 254 + size / REC_MIN + 16);
	size_t n;

	CHECK(fixed != NULL);
	run(data, size);
	n = repair(data, size, fixed);
	if (n != size || memcmp(fixed, data, size) != 0)
		run(fixed, n);
	free(fixed);
	return 0;
}
