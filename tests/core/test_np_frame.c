#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "np_bytes.h"
#include "np_crc32c.h"
#include "np_err.h"
#include "np_frame.h"
#include "np_msg.h"
#include "np_test_prng.h"

/* A growable byte stream that tests append frames and garbage to. */
struct stream {
	uint8_t *b;
	size_t len, cap;
};

static void put_bytes(struct stream *s, const uint8_t *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 1024;
		s->b = realloc(s->b, s->cap);
		assert_non_null(s->b);
	}
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

/* Payload of length len whose bytes are derived from seq, so a delivered frame can be checked. */
static void make_payload(uint16_t seq, size_t len, uint8_t *p)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 31u + i * 7u);
}

static size_t put_frame(struct stream *s, uint8_t type, uint16_t seq, size_t len)
{
	uint8_t pl[NP_PAYLOAD_MAX], wire[NP_FRAME_WIRE_MAX];
	size_t n;

	make_payload(seq, len, pl);
	assert_int_equal(np_frame_encode(type, seq, pl, len, wire, sizeof wire, &n), NP_OK);
	put_bytes(s, wire, n);
	return n;
}

/* What a decoder delivered; compared between chunkings. */
struct got {
	uint8_t type[20000];
	uint16_t seq[20000];
	uint16_t len[20000];
	uint32_t crc[20000];
	size_t n;
	struct np_frame_stats stats;
};

static void decode_chunked(const uint8_t *data, size_t len, size_t chunk, struct np_test_prng *r,
			   size_t scratch_cap, struct got *g)
{
	uint8_t *scratch = malloc(scratch_cap + 1);
	struct np_frame_decoder dec;
	size_t pos = 0;

	assert_non_null(scratch);
	np_frame_decoder_init(&dec, scratch, scratch_cap);
	g->n = 0;
	while (pos < len) {
		size_t n = r != NULL ? 1 + np_test_prng_below(r, (uint32_t)chunk) : chunk;
		size_t off = 0;

		if (n > len - pos)
			n = len - pos;
		for (;;) {
			struct np_frame f;
			size_t used;
			int rc = np_frame_decoder_feed(&dec, data + pos + off, n - off, &used, &f);

			assert_true(used <= n - off);
			off += used;
			if (rc == NP_ERR_AGAIN) {
				assert_int_equal(off, n);
				break;
			}
			assert_int_equal(rc, NP_OK);
			assert_true(f.len <= NP_PAYLOAD_MAX);
			assert_true(g->n < 20000);
			g->type[g->n] = f.type;
			g->seq[g->n] = f.seq;
			g->len[g->n] = f.len;
			g->crc[g->n] = np_crc32c(f.payload, f.len);
			g->n++;
		}
		pos += n;
	}
	g->stats = dec.stats;
	free(scratch);
}

static struct got *decode_all(const struct stream *s)
{
	struct got *g = malloc(sizeof *g);

	assert_non_null(g);
	decode_chunked(s->b, s->len, 65536, NULL, NP_FRAME_WIRE_MAX, g);
	return g;
}

static void assert_payload_ok(const struct got *g, size_t i, uint16_t seq, size_t len)
{
	uint8_t pl[NP_PAYLOAD_MAX];

	make_payload(seq, len, pl);
	assert_int_equal(g->seq[i], seq);
	assert_int_equal(g->len[i], len);
	assert_int_equal(g->crc[i], np_crc32c(pl, len));
}

static void build_and_parse_raw(void **state)
{
	uint8_t pl[NP_PAYLOAD_MAX + 1], raw[NP_FRAME_RAW_MAX + 8];
	struct np_frame f;
	size_t n = 99;

	(void)state;
	make_payload(5, sizeof pl, pl);
	assert_int_equal(np_frame_build_raw(NP_MSG_SAMPLES, 0xBEEF, pl, NP_PAYLOAD_MAX, raw, sizeof raw, &n),
			 NP_OK);
	assert_int_equal(n, NP_FRAME_RAW_MAX);
	assert_int_equal(np_frame_parse_raw(raw, n, &f), NP_OK);
	assert_int_equal(f.type, NP_MSG_SAMPLES);
	assert_int_equal(f.seq, 0xBEEF);
	assert_int_equal(f.len, NP_PAYLOAD_MAX);
	assert_ptr_equal(f.payload, raw + NP_FRAME_HEADER_LEN);
	assert_memory_equal(f.payload, pl, NP_PAYLOAD_MAX);

	assert_int_equal(np_frame_build_raw(1, 0, pl, NP_PAYLOAD_MAX + 1, raw, sizeof raw, &n), NP_ERR_RANGE);
	assert_int_equal(n, 0);
	assert_int_equal(np_frame_build_raw(1, 0, pl, 10, raw, 18, &n), NP_ERR_NOSPACE);
	assert_int_equal(np_frame_build_raw(1, 0, pl, 10, raw, 19, &n), NP_OK);
	assert_int_equal(np_frame_build_raw(1, 0, NULL, 1, raw, 19, &n), NP_ERR_ARG);

	/* Empty payload: the smallest frame. */
	assert_int_equal(np_frame_build_raw(NP_MSG_STATUS, 1, NULL, 0, raw, sizeof raw, &n), NP_OK);
	assert_int_equal(n, NP_FRAME_HEADER_LEN + NP_FRAME_CRC_LEN);
	assert_int_equal(np_frame_parse_raw(raw, n, &f), NP_OK);
	assert_int_equal(f.len, 0);

	/* Short, length field mismatch (with a valid CRC), CRC mismatch. */
	assert_int_equal(np_frame_parse_raw(raw, n - 1, &f), NP_ERR_FRAME);
	assert_int_equal(np_frame_build_raw(NP_MSG_STATUS, 1, pl, 4, raw, sizeof raw, &n), NP_OK);
	raw[3] = 5;
	np_put_le32(raw + n - 4, np_crc32c(raw, n - 4));
	assert_int_equal(np_frame_parse_raw(raw, n, &f), NP_ERR_FRAME);
	raw[3] = 4;
	assert_int_equal(np_frame_parse_raw(raw, n, &f), NP_ERR_FRAME);
	np_put_le32(raw + n - 4, np_crc32c(raw, n - 4));
	assert_int_equal(np_frame_parse_raw(raw, n, &f), NP_OK);
}

static void wire_form(void **state)
{
	uint8_t pl[NP_PAYLOAD_MAX], wire[NP_FRAME_WIRE_MAX];
	size_t n, need;

	(void)state;
	/* Zero-free payload: the worst COBS overhead must fit NP_FRAME_WIRE_MAX. */
	memset(pl, 0x5A, sizeof pl);
	assert_int_equal(np_frame_encode(0x5A, 0x5A5A, pl, sizeof pl, wire, sizeof wire, &need), NP_OK);
	assert_true(need <= NP_FRAME_WIRE_MAX);
	assert_int_equal(wire[0], 0);
	assert_int_equal(wire[need - 1], 0);
	assert_null(memchr(wire + 1, 0, need - 2));
	for (size_t cap = 0; cap < need; cap++)
		assert_int_equal(np_frame_encode(0x5A, 0x5A5A, pl, sizeof pl, wire, cap, &n), NP_ERR_NOSPACE);
	assert_int_equal(np_frame_encode(1, 0, pl, NP_PAYLOAD_MAX + 1, wire, sizeof wire, &n), NP_ERR_RANGE);

	/* The wire form is 0x00, COBS of the raw frame, 0x00. */
	uint8_t raw[NP_FRAME_RAW_MAX], back[NP_FRAME_RAW_MAX];
	size_t rn, bn;

	make_payload(3, 100, pl);
	assert_int_equal(np_frame_encode(NP_MSG_EVENT, 3, pl, 100, wire, sizeof wire, &n), NP_OK);
	assert_int_equal(np_frame_build_raw(NP_MSG_EVENT, 3, pl, 100, raw, sizeof raw, &rn), NP_OK);
	assert_int_equal(np_cobs_decode(wire + 1, n - 2, back, sizeof back, &bn), NP_OK);
	assert_int_equal(bn, rn);
	assert_memory_equal(back, raw, rn);
}

static void delivers_frames_and_reports_used(void **state)
{
	struct stream s = { 0 };
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	struct np_frame f;
	size_t a, used;

	(void)state;
	a = put_frame(&s, NP_MSG_STATUS, 1, 25);
	put_frame(&s, NP_MSG_STATUS, 2, 0);
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	assert_int_equal(np_frame_decoder_feed(&dec, s.b, s.len, &used, &f), NP_OK);
	assert_int_equal(used, a);
	assert_int_equal(f.seq, 1);
	assert_int_equal(np_frame_decoder_feed(&dec, s.b + used, s.len - used, &used, &f), NP_OK);
	assert_int_equal(used, s.len - a);
	assert_int_equal(f.seq, 2);
	assert_int_equal(f.len, 0);
	assert_int_equal(np_frame_decoder_feed(&dec, s.b, 0, &used, &f), NP_ERR_AGAIN);
	assert_int_equal(used, 0);
	assert_int_equal(dec.stats.frames_ok, 2);
	assert_int_equal(np_frame_decoder_feed(NULL, s.b, 1, &used, &f), NP_ERR_ARG);
	assert_int_equal(np_frame_decoder_feed(&dec, NULL, 1, &used, &f), NP_ERR_ARG);
	free(s.b);
}

/* After a reconnect the half frame of the old connection is dropped, not glued
 * to the first bytes of the new one; counters and sequence survive. */
static void drop_partial_starts_fresh(void **state)
{
	struct stream s = { 0 };
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	struct np_frame f;
	size_t a, used;

	(void)state;
	a = put_frame(&s, NP_MSG_STATUS, 1, 25);
	put_frame(&s, NP_MSG_STATUS, 2, 10);
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	assert_int_equal(np_frame_decoder_feed(&dec, s.b, a, &used, &f), NP_OK);
	/* Half of frame 2 (without its leading delimiter), then the link drops. */
	assert_int_equal(np_frame_decoder_feed(&dec, s.b + a + 1, (s.len - a) / 2, &used, &f),
			 NP_ERR_AGAIN);
	assert_true(dec.fill > 0);
	np_frame_decoder_drop_partial(&dec);
	assert_int_equal(dec.fill, 0);
	/* The new connection sends frame 2 whole: it decodes, in sequence. */
	assert_int_equal(np_frame_decoder_feed(&dec, s.b + a, s.len - a, &used, &f), NP_OK);
	assert_int_equal(f.seq, 2);
	assert_int_equal(f.len, 10);
	assert_int_equal(dec.stats.frames_ok, 2);
	assert_int_equal(dec.stats.crc_errors, 0);
	free(s.b);
}

/* Every single-bit flip anywhere in a frame's wire bytes loses that frame and only that one. */
static void single_bit_flips_rejected(void **state)
{
	static const struct { uint8_t type; size_t len; } cases[] = {
		{ NP_MSG_STATUS, NP_STATUS_LEN }, { NP_MSG_SAMPLES, NP_SAMPLES_HEADER_LEN + 6u * 25 },
		{ NP_MSG_ACK, 0 }, { NP_MSG_SAMPLES, NP_PAYLOAD_MAX },
	};

	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct stream good = { 0 };
		size_t flen = put_frame(&good, cases[c].type, 100, cases[c].len);

		put_frame(&good, NP_MSG_STATUS, 101, NP_STATUS_LEN);
		for (size_t bit = 0; bit < flen * 8; bit++) {
			struct stream s = { 0 };
			struct got *g;
			uint32_t rejected;

			put_bytes(&s, good.b, good.len);
			s.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			g = decode_all(&s);
			rejected = g->stats.crc_errors + g->stats.malformed + g->stats.oversize;
			if (g->n != 1 || g->seq[0] != 101 || rejected < 1)
				fail_msg("case %zu bit %zu: %zu frames, %u rejected", c, bit, g->n, rejected);
			assert_payload_ok(g, 0, 101, NP_STATUS_LEN);
			free(g);
			free(s.b);
		}
		free(good.b);
	}
}

/* Random garbage (with and without zeros) between frames never costs a valid frame. */
static void garbage_between_frames(void **state)
{
	struct np_test_prng r = { 2024 };
	struct stream s = { 0 };
	size_t lens[3000];
	struct got *g;

	(void)state;
	for (uint16_t seq = 0; seq < 3000; seq++) {
		uint8_t junk[600];
		size_t jn = np_test_prng_below(&r, sizeof junk);

		np_test_prng_fill(&r, junk, jn);
		/* Half the garbage runs are zero-free, which COBS cannot delimit by itself. */
		if (np_test_prng_below(&r, 2) == 0)
			for (size_t i = 0; i < jn; i++)
				junk[i] |= (uint8_t)(junk[i] == 0);
		put_bytes(&s, junk, jn);
		lens[seq] = np_test_prng_below(&r, NP_PAYLOAD_MAX + 1);
		put_frame(&s, NP_MSG_SAMPLES, seq, lens[seq]);
	}
	g = decode_all(&s);
	assert_int_equal(g->n, 3000);
	for (uint16_t seq = 0; seq < 3000; seq++)
		assert_payload_ok(g, seq, seq, lens[seq]);
	assert_int_equal(g->stats.frames_ok, 3000);
	assert_int_equal(g->stats.seq_gaps, 0);
	assert_int_equal(g->stats.duplicates, 0);
	assert_true(g->stats.crc_errors + g->stats.malformed + g->stats.oversize > 1000);
	free(g);
	free(s.b);
}

/*
 * A frame cut short at any point (a reset mid-frame) costs that frame only. One
 * that lost only its trailing delimiter is complete: the next leading one ends it.
 */
static void truncated_frames(void **state)
{
	struct stream whole = { 0 };
	size_t flen;

	(void)state;
	flen = put_frame(&whole, NP_MSG_SAMPLES, 7, 200);
	put_frame(&whole, NP_MSG_SAMPLES, 8, 50);
	whole.b[flen - 1] = 0x55;
	{
		struct stream s = { whole.b, whole.len, whole.len };
		struct got *g = decode_all(&s);

		assert_int_equal(g->n, 1);
		assert_payload_ok(g, 0, 8, 50);
		free(g);
	}
	memmove(whole.b + flen - 1, whole.b + flen, whole.len - flen);
	whole.len--;
	{
		struct stream s = { whole.b, whole.len, whole.len };
		struct got *g = decode_all(&s);

		assert_int_equal(g->n, 2);
		assert_payload_ok(g, 0, 7, 200);
		assert_payload_ok(g, 1, 8, 50);
		free(g);
	}
	for (size_t keep = 1; keep < flen - 1; keep++) {
		struct stream s = { 0 };
		struct got *g;

		put_bytes(&s, whole.b, keep);
		put_frame(&s, NP_MSG_SAMPLES, 8, 50);
		g = decode_all(&s);
		assert_int_equal(g->n, 1);
		assert_payload_ok(g, 0, 8, 50);
		/* Only the leading delimiter kept: nothing to reject. */
		assert_int_equal(g->stats.malformed + g->stats.crc_errors, keep > 1 ? 1 : 0);
		assert_int_equal(g->stats.bytes_discarded, keep - 1);
		free(g);
		free(s.b);
	}
	free(whole.b);
}

/* Back-to-back delimiters are empty frames: ignored, counted nowhere. Empty payloads are frames. */
static void empty_frames_and_delimiters(void **state)
{
	struct stream s = { 0 };
	uint8_t zeros[100] = { 0 };
	struct got *g;

	(void)state;
	put_bytes(&s, zeros, sizeof zeros);
	put_frame(&s, NP_MSG_STATUS, 1, 0);
	put_bytes(&s, zeros, 1);
	put_frame(&s, NP_MSG_STATUS, 2, 0);
	put_bytes(&s, zeros, sizeof zeros);
	g = decode_all(&s);
	assert_int_equal(g->n, 2);
	assert_payload_ok(g, 0, 1, 0);
	assert_payload_ok(g, 1, 2, 0);
	assert_int_equal(g->stats.malformed + g->stats.crc_errors + g->stats.oversize, 0);
	assert_int_equal(g->stats.bytes_discarded, 0);
	free(g);
	free(s.b);
}

/* Frames with a raw part too short to hold a header and a CRC are malformed. */
static void too_short_frames(void **state)
{
	uint8_t raw[NP_FRAME_HEADER_LEN + NP_FRAME_CRC_LEN];
	struct stream s = { 0 };
	struct got *g;

	(void)state;
	make_payload(1, sizeof raw, raw);
	for (size_t len = 1; len < sizeof raw; len++) {
		uint8_t enc[NP_COBS_MAX(sizeof raw) + 2] = { 0 };
		size_t n;

		assert_int_equal(np_cobs_encode(raw, len, enc + 1, sizeof enc - 2, &n), NP_OK);
		put_bytes(&s, enc, n + 2);
	}
	put_frame(&s, NP_MSG_STATUS, 1, 3);
	g = decode_all(&s);
	assert_int_equal(g->n, 1);
	assert_int_equal(g->stats.malformed, sizeof raw - 1);
	free(g);
	free(s.b);
}

static void oversize_frames(void **state)
{
	struct stream s = { 0 };
	uint8_t junk[NP_FRAME_WIRE_MAX + 300];
	struct got *g;

	(void)state;
	memset(junk, 0x42, sizeof junk);
	put_frame(&s, NP_MSG_STATUS, 1, 5);
	put_bytes(&s, junk, sizeof junk);
	put_frame(&s, NP_MSG_STATUS, 2, 5);

	/* A CRC-valid raw frame whose payload exceeds NP_PAYLOAD_MAX, read with a larger scratch. */
	uint8_t raw[NP_FRAME_RAW_MAX + 16], enc[NP_COBS_MAX(sizeof raw) + 2] = { 0 };
	size_t rlen = sizeof raw, n;

	make_payload(9, rlen, raw);
	raw[0] = NP_MSG_SAMPLES;
	np_put_le16(raw + 1, 3);
	np_put_le16(raw + 3, (uint16_t)(rlen - NP_FRAME_HEADER_LEN - NP_FRAME_CRC_LEN));
	np_put_le32(raw + rlen - 4, np_crc32c(raw, rlen - 4));
	assert_int_equal(np_cobs_encode(raw, rlen, enc + 1, sizeof enc - 2, &n), NP_OK);
	put_bytes(&s, enc, n + 2);
	put_frame(&s, NP_MSG_STATUS, 4, 5);

	g = malloc(sizeof *g);
	assert_non_null(g);
	decode_chunked(s.b, s.len, 65536, NULL, 2 * NP_FRAME_WIRE_MAX, g);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->stats.oversize, 1);
	decode_chunked(s.b, s.len, 65536, NULL, NP_FRAME_WIRE_MAX, g);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->stats.oversize, 2);
	assert_payload_ok(g, 1, 2, 5);
	assert_payload_ok(g, 2, 4, 5);
	assert_int_equal(g->stats.seq_gaps, 1);

	/* A small scratch accepts small frames and counts bigger ones as oversize. */
	decode_chunked(s.b, s.len, 1, NULL, 40, g);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->stats.oversize, 2);
	free(g);
	free(s.b);
}

struct seq_case {
	const char *name;
	uint8_t types_hello_at; /* index of a HELLO frame in seqs, or 0xFF */
	size_t n;
	uint16_t seqs[8];
	size_t delivered;
	uint32_t gaps, missed, dups, wraps, resyncs;
};

static void sequence_rules(void **state)
{
	static const struct seq_case cases[] = {
		{ "in order", 0xFF, 4, { 0, 1, 2, 3 }, 4, 0, 0, 0, 0, 0 },
		{ "gap", 0xFF, 5, { 0, 1, 2, 5, 6 }, 5, 1, 2, 0, 0, 0 },
		{ "two gaps", 0xFF, 4, { 10, 12, 20, 21 }, 4, 2, 8, 0, 0, 0 },
		{ "duplicate", 0xFF, 4, { 0, 1, 1, 2 }, 3, 0, 0, 1, 0, 0 },
		{ "stale", 0xFF, 4, { 10, 11, 5, 12 }, 3, 0, 0, 1, 0, 0 },
		{ "wrap", 0xFF, 4, { 65534, 65535, 0, 1 }, 4, 0, 0, 0, 1, 0 },
		{ "wrap with gap", 0xFF, 2, { 65533, 2 }, 2, 1, 4, 0, 1, 0 },
		{ "duplicate across wrap", 0xFF, 3, { 65535, 0, 65535 }, 2, 0, 0, 1, 1, 0 },
		{ "largest gap", 0xFF, 2, { 0, 32768 }, 2, 1, 32767, 0, 0, 0 },
		{ "half way is stale", 0xFF, 2, { 0, 32769 }, 1, 0, 0, 1, 0, 0 },
		{ "hello resync", 2, 5, { 100, 101, 0, 1, 2 }, 5, 0, 0, 0, 0, 1 },
		{ "first hello", 0, 3, { 500, 501, 502 }, 3, 0, 0, 0, 0, 0 },
		{ "hello repeats seq", 1, 3, { 7, 7, 8 }, 3, 0, 0, 0, 0, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct seq_case *c = &cases[i];
		struct stream s = { 0 };
		struct got *g;

		print_message("%s\n", c->name);
		for (size_t k = 0; k < c->n; k++)
			put_frame(&s, k == c->types_hello_at ? NP_MSG_HELLO : NP_MSG_SAMPLES, c->seqs[k], 14);
		g = decode_all(&s);
		assert_int_equal(g->n, c->delivered);
		assert_int_equal(g->stats.frames_ok, c->delivered);
		assert_int_equal(g->stats.seq_gaps, c->gaps);
		assert_int_equal(g->stats.frames_missed, c->missed);
		assert_int_equal(g->stats.duplicates, c->dups);
		assert_int_equal(g->stats.wraps, c->wraps);
		assert_int_equal(g->stats.resyncs, c->resyncs);
		free(g);
		free(s.b);
	}
}

/* A full cycle of 65536 + frames, some lost, wraps once and counts the losses. */
static void long_run_with_losses(void **state)
{
	struct np_test_prng r = { 99 };
	struct stream s = { 0 };
	uint32_t dropped = 0, gaps = 0;
	bool prev_dropped = false;
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;

	(void)state;
	for (uint32_t i = 0; i < 70000; i++) {
		bool drop = i > 0 && i < 69999 && np_test_prng_below(&r, 50) == 0;

		if (drop) {
			dropped++;
			gaps += !prev_dropped;
		} else {
			put_frame(&s, NP_MSG_SAMPLES, (uint16_t)i, 8);
		}
		prev_dropped = drop;
	}
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	for (size_t pos = 0; pos < s.len;) {
		struct np_frame f;
		size_t used;

		(void)np_frame_decoder_feed(&dec, s.b + pos, s.len - pos, &used, &f);
		pos += used;
	}
	assert_int_equal(dec.stats.frames_ok, 70000 - dropped);
	assert_int_equal(dec.stats.frames_missed, dropped);
	assert_int_equal(dec.stats.seq_gaps, gaps);
	assert_int_equal(dec.stats.wraps, 1);
	free(s.b);
}

/* A stream with every kind of fault decodes the same in 1-byte, random and 64 KiB chunks. */
static void chunking_does_not_matter(void **state)
{
	struct np_test_prng r = { 77 };
	struct stream s = { 0 };
	struct got *bulk = malloc(sizeof *bulk), *other = malloc(sizeof *other);
	static const size_t chunks[] = { 1, 2, 3, 7, 254, 255, 1039, 4096 };

	(void)state;
	assert_non_null(bulk);
	assert_non_null(other);
	for (uint32_t i = 0; i < 6000; i++) {
		uint16_t seq = (uint16_t)(i + 60000);
		size_t start = s.len;
		uint32_t what = np_test_prng_below(&r, 100);

		if (what < 3)
			continue; /* lost */
		if (what < 5)
			seq = (uint16_t)(seq - 1 - np_test_prng_below(&r, 5)); /* duplicate or stale */
		put_frame(&s, what == 5 || what == 6 ? NP_MSG_HELLO : NP_MSG_SAMPLES, seq,
			  np_test_prng_below(&r, NP_PAYLOAD_MAX + 1));
		if (what >= 7 && what < 12) /* corrupted */
			s.b[start + 1 + np_test_prng_below(&r, (uint32_t)(s.len - start - 2))] ^=
				(uint8_t)(1u << np_test_prng_below(&r, 8));
		if (what >= 12 && what < 15) { /* garbage, possibly oversize */
			uint8_t junk[2500];
			size_t jn = np_test_prng_below(&r, sizeof junk);

			np_test_prng_fill(&r, junk, jn);
			if (what == 14)
				for (size_t k = 0; k < jn; k++)
					junk[k] |= 1;
			put_bytes(&s, junk, jn);
		}
		if (what == 15) /* truncated */
			s.len -= np_test_prng_below(&r, (uint32_t)(s.len - start));
	}
	decode_chunked(s.b, s.len, 65536, NULL, NP_FRAME_WIRE_MAX, bulk);
	assert_true(bulk->n > 5000);
	assert_true(bulk->stats.crc_errors > 0 && bulk->stats.malformed > 0 && bulk->stats.oversize > 0);
	assert_true(bulk->stats.seq_gaps > 0 && bulk->stats.duplicates > 0 && bulk->stats.wraps > 0);
	assert_true(bulk->stats.resyncs > 0);
	for (size_t i = 0; i <= sizeof chunks / sizeof chunks[0]; i++) {
		if (i < sizeof chunks / sizeof chunks[0])
			decode_chunked(s.b, s.len, chunks[i], NULL, NP_FRAME_WIRE_MAX, other);
		else
			decode_chunked(s.b, s.len, 3000, &r, NP_FRAME_WIRE_MAX, other);
		assert_int_equal(other->n, bulk->n);
		assert_memory_equal(other->type, bulk->type, bulk->n);
		assert_memory_equal(other->seq, bulk->seq, bulk->n * sizeof bulk->seq[0]);
		assert_memory_equal(other->len, bulk->len, bulk->n * sizeof bulk->len[0]);
		assert_memory_equal(other->crc, bulk->crc, bulk->n * sizeof bulk->crc[0]);
		assert_memory_equal(&other->stats, &bulk->stats, sizeof bulk->stats);
	}
	free(bulk);
	free(other);
	free(s.b);
}

static void counters_saturate(void **state)
{
	struct stream s = { 0 };
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	struct np_frame f;
	size_t used;

	(void)state;
	put_frame(&s, NP_MSG_STATUS, 1, 5);
	s.b[3] ^= 0x10;
	put_frame(&s, NP_MSG_STATUS, 5, 5);
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	dec.stats.crc_errors = UINT32_MAX;
	dec.stats.malformed = UINT32_MAX;
	dec.stats.bytes_discarded = UINT32_MAX - 2;
	dec.stats.frames_ok = UINT32_MAX;
	assert_int_equal(np_frame_decoder_feed(&dec, s.b, s.len, &used, &f), NP_OK);
	assert_int_equal(dec.stats.crc_errors, UINT32_MAX);
	assert_int_equal(dec.stats.malformed, UINT32_MAX);
	assert_int_equal(dec.stats.bytes_discarded, UINT32_MAX);
	assert_int_equal(dec.stats.frames_ok, UINT32_MAX);
	free(s.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_and_parse_raw),
		cmocka_unit_test(wire_form),
		cmocka_unit_test(delivers_frames_and_reports_used),
		cmocka_unit_test(single_bit_flips_rejected),
		cmocka_unit_test(garbage_between_frames),
		cmocka_unit_test(truncated_frames),
		cmocka_unit_test(empty_frames_and_delimiters),
		cmocka_unit_test(too_short_frames),
		cmocka_unit_test(oversize_frames),
		cmocka_unit_test(sequence_rules),
		cmocka_unit_test(long_run_with_losses),
		cmocka_unit_test(chunking_does_not_matter),
		cmocka_unit_test(counters_saturate),
		cmocka_unit_test(drop_partial_starts_fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
