#include "np_frame.h"

#include <string.h>

#include "np_bytes.h"
#include "np_crc32c.h"
#include "np_err.h"
#include "np_msg.h"

#define SEQ_HALF 32768u

static void add_sat(uint32_t *counter, size_t n)
{
	if (n > UINT32_MAX - *counter)
		*counter = UINT32_MAX;
	else
		*counter += (uint32_t)n;
}

static int check_args(const uint8_t *payload, size_t len, const uint8_t *out, const size_t *out_len)
{
	if (out_len == NULL || out == NULL || (payload == NULL && len > 0))
		return NP_ERR_ARG;
	if (len > NP_PAYLOAD_MAX)
		return NP_ERR_RANGE;
	return NP_OK;
}

static void put_header(uint8_t *hdr, uint8_t type, uint16_t seq, size_t len)
{
	hdr[0] = type;
	np_put_le16(hdr + 1, seq);
	np_put_le16(hdr + 3, (uint16_t)len);
}

int np_frame_build_raw(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len,
		       uint8_t *out, size_t cap, size_t *out_len)
{
	size_t total = NP_FRAME_HEADER_LEN + len + NP_FRAME_CRC_LEN;
	int rc;

	if (out_len != NULL)
		*out_len = 0;
	rc = check_args(payload, len, out, out_len);
	if (rc != NP_OK)
		return rc;
	if (cap < total)
		return NP_ERR_NOSPACE;
	put_header(out, type, seq, len);
	if (len > 0)
		memcpy(out + NP_FRAME_HEADER_LEN, payload, len);
	np_put_le32(out + NP_FRAME_HEADER_LEN + len, np_crc32c(out, NP_FRAME_HEADER_LEN + len));
	*out_len = total;
	return NP_OK;
}

int np_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len,
		    uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t hdr[NP_FRAME_HEADER_LEN], crc_le[NP_FRAME_CRC_LEN];
	struct np_cobs_writer w;
	size_t body;
	uint32_t crc;
	int rc;

	if (out_len != NULL)
		*out_len = 0;
	rc = check_args(payload, len, out, out_len);
	if (rc != NP_OK)
		return rc;
	if (cap < 2)
		return NP_ERR_NOSPACE;
	put_header(hdr, type, seq, len);
	crc = np_crc32c_update(np_crc32c(hdr, sizeof hdr), payload, len);
	np_put_le32(crc_le, crc);

	/* Encode straight into out: the firmware has no room for a second
	 * frame-sized buffer on its stack. */
	np_cobs_writer_init(&w, out + 1, cap - 2);
	np_cobs_writer_put(&w, hdr, sizeof hdr);
	np_cobs_writer_put(&w, payload, len);
	np_cobs_writer_put(&w, crc_le, sizeof crc_le);
	rc = np_cobs_writer_finish(&w, &body);
	if (rc != NP_OK)
		return rc;
	out[0] = 0;
	out[body + 1] = 0;
	*out_len = body + 2;
	return NP_OK;
}

enum raw_verdict { RAW_OK, RAW_MALFORMED, RAW_CRC, RAW_OVERSIZE };

static enum raw_verdict check_raw(const uint8_t *raw, size_t len, struct np_frame *f)
{
	size_t plen;

	if (len < NP_FRAME_HEADER_LEN + NP_FRAME_CRC_LEN)
		return RAW_MALFORMED;
	if (len > NP_FRAME_RAW_MAX)
		return RAW_OVERSIZE;
	plen = len - NP_FRAME_HEADER_LEN - NP_FRAME_CRC_LEN;
	/* CRC first: a corrupted length field is a transmission error, not a
	 * sender bug, and should be counted as such. */
	if (np_crc32c(raw, len - NP_FRAME_CRC_LEN) != np_get_le32(raw + len - NP_FRAME_CRC_LEN))
		return RAW_CRC;
	if (np_get_le16(raw + 3) != plen)
		return RAW_MALFORMED;
	f->type = raw[0];
	f->seq = np_get_le16(raw + 1);
	f->len = (uint16_t)plen;
	f->payload = raw + NP_FRAME_HEADER_LEN;
	return RAW_OK;
}

int np_frame_parse_raw(const uint8_t *raw, size_t len, struct np_frame *f)
{
	if (f == NULL || (raw == NULL && len > 0))
		return NP_ERR_ARG;
	memset(f, 0, sizeof *f);
	return check_raw(raw, len, f) == RAW_OK ? NP_OK : NP_ERR_FRAME;
}

void np_seq_tracker_init(struct np_seq_tracker *t)
{
	t->have_last = false;
	t->last = 0;
}

bool np_seq_tracker_check(struct np_seq_tracker *t, uint8_t type, uint16_t seq,
			  struct np_frame_stats *stats)
{
	uint16_t d;

	if (type == NP_MSG_HELLO || !t->have_last) {
		if (type == NP_MSG_HELLO && t->have_last)
			add_sat(&stats->resyncs, 1);
		t->have_last = true;
		t->last = seq;
		return true;
	}
	d = (uint16_t)(seq - t->last - 1u);
	if (d >= SEQ_HALF) {
		add_sat(&stats->duplicates, 1);
		return false;
	}
	if (d > 0) {
		add_sat(&stats->seq_gaps, 1);
		add_sat(&stats->frames_missed, d);
	}
	if (seq < t->last)
		add_sat(&stats->wraps, 1);
	t->last = seq;
	return true;
}

void np_frame_decoder_init(struct np_frame_decoder *dec, uint8_t *scratch, size_t cap)
{
	memset(dec, 0, sizeof *dec);
	dec->buf = scratch;
	dec->cap = scratch != NULL ? cap : 0;
	np_seq_tracker_init(&dec->seq);
}

void np_frame_decoder_drop_partial(struct np_frame_decoder *dec)
{
	dec->fill = 0;
	dec->overflow = false;
}

/* Decode the buffered bytes of one delimited frame in place; true if it is delivered. */
static bool finish_frame(struct np_frame_decoder *dec, struct np_frame *f)
{
	size_t fill = dec->fill, raw_len;
	enum raw_verdict v;

	dec->fill = 0;
	if (np_cobs_decode(dec->buf, fill, dec->buf, fill, &raw_len) != NP_OK)
		v = RAW_MALFORMED;
	else
		v = check_raw(dec->buf, raw_len, f);
	switch (v) {
	case RAW_OK:
		if (np_seq_tracker_check(&dec->seq, f->type, f->seq, &dec->stats)) {
			add_sat(&dec->stats.frames_ok, 1);
			return true;
		}
		break;
	case RAW_MALFORMED:
		add_sat(&dec->stats.malformed, 1);
		break;
	case RAW_CRC:
		add_sat(&dec->stats.crc_errors, 1);
		break;
	case RAW_OVERSIZE:
		add_sat(&dec->stats.oversize, 1);
		break;
	}
	add_sat(&dec->stats.bytes_discarded, fill);
	return false;
}

int np_frame_decoder_feed(struct np_frame_decoder *dec, const uint8_t *data, size_t len,
			  size_t *used, struct np_frame *f)
{
	size_t pos = 0;

	if (used != NULL)
		*used = 0;
	if (dec == NULL || used == NULL || f == NULL || (data == NULL && len > 0))
		return NP_ERR_ARG;
	while (pos < len) {
		const uint8_t *z = memchr(data + pos, 0, len - pos);
		size_t n = z != NULL ? (size_t)(z - (data + pos)) : len - pos;

		if (dec->overflow) {
			add_sat(&dec->stats.bytes_discarded, n);
		} else if (n > dec->cap - dec->fill) {
			/* Count the frame once, now, and drop what we have: the rest of
			 * it is skipped up to the next delimiter. */
			add_sat(&dec->stats.oversize, 1);
			add_sat(&dec->stats.bytes_discarded, dec->fill + n);
			dec->fill = 0;
			dec->overflow = true;
		} else {
			if (n > 0)
				memcpy(dec->buf + dec->fill, data + pos, n);
			dec->fill += n;
		}
		pos += n;
		if (z == NULL)
			break;
		pos++;
		if (dec->overflow) {
			dec->overflow = false;
			continue;
		}
		if (dec->fill == 0)
			continue;
		if (finish_frame(dec, f)) {
			*used = pos;
			return NP_OK;
		}
	}
	*used = len;
	return NP_ERR_AGAIN;
}
