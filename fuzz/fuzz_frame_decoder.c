/*
 * Fuzz target for the streaming frame reader (core/np_frame.c) and the message
 * decoders (core/np_msg.c). The input is the byte stream; its first byte picks
 * the chunking, so the fuzzer also explores how frames straddle feed() calls.
 * Invariants checked (abort() on violation):
 *  - every delivered frame has len <= NP_PAYLOAD_MAX and a payload inside the scratch;
 *  - a message that decodes re-encodes to a payload that decodes to the same message;
 *  - a delivered frame re-encodes to a frame the reader delivers again, unchanged;
 *  - the chunked reader and a 1-byte-at-a-time reader see the same frames and stats.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "np_crc32c.h"
#include "np_err.h"
#include "np_frame.h"
#include "np_msg.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			abort(); \
	} while (0)

/* Decode, re-encode, decode again: both decodes must agree field for field. */
static void check_message(const struct np_frame *f)
{
	union np_msg_any a, b;
	uint8_t re[NP_PAYLOAD_MAX];
	size_t n;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (np_msg_decode(f->type, f->payload, f->len, &a) != NP_OK)
		return;
	CHECK(np_msg_encode(f->type, &a, re, sizeof re, &n) == NP_OK);
	CHECK(n <= f->len);
	CHECK(np_msg_decode(f->type, re, n, &b) == NP_OK);
	CHECK(memcmp(&a, &b, sizeof a) == 0);
}

/* A delivered frame, re-encoded, comes out of a fresh reader unchanged. */
static void check_reencode(const struct np_frame *f)
{
	static uint8_t wire[NP_FRAME_WIRE_MAX], scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	struct np_frame g;
	size_t n, used;

	CHECK(np_frame_encode(f->type, f->seq, f->payload, f->len, wire, sizeof wire, &n) == NP_OK);
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	CHECK(np_frame_decoder_feed(&dec, wire, n, &used, &g) == NP_OK);
	CHECK(used == n);
	CHECK(g.type == f->type && g.seq == f->seq && g.len == f->len);
	CHECK(memcmp(g.payload, f->payload, f->len) == 0);
}

struct summary {
	uint32_t frames;
	uint32_t hash; /* CRC over (type, seq, len, payload) of every frame, in order */
	struct np_frame_stats stats;
};

static void summarise(struct summary *s, const struct np_frame *f)
{
	uint8_t hdr[5] = { f->type, (uint8_t)f->seq, (uint8_t)(f->seq >> 8), (uint8_t)f->len,
			   (uint8_t)(f->len >> 8) };

	s->frames++;
	s->hash = np_crc32c_update(s->hash, hdr, sizeof hdr);
	s->hash = np_crc32c_update(s->hash, f->payload, f->len);
}

/* Chunk sizes cycle through a few values picked by the first input byte. */
static size_t chunk_size(uint8_t sel, size_t i)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 8, 13, 64, 255, 1039, 4096, 65536 };
	size_t n = sizeof sizes / sizeof sizes[0];

	return sizes[(sel + i * (1u + (sel >> 4))) % n];
}

static void run(const uint8_t *data, size_t size, uint8_t sel, bool check, struct summary *s)
{
	static uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	size_t pos = 0;

	memset(s, 0, sizeof *s);
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	for (size_t i = 0; pos < size; i++) {
		size_t n = check ? chunk_size(sel, i) : 1;

		if (n > size - pos)
			n = size - pos;
		for (size_t off = 0;;) {
			struct np_frame f;
			size_t used;
			int rc = np_frame_decoder_feed(&dec, data + pos + off, n - off, &used, &f);

			CHECK(used <= n - off);
			off += used;
			if (rc == NP_ERR_AGAIN) {
				CHECK(off == n);
				break;
			}
			CHECK(rc == NP_OK);
			CHECK(f.len <= NP_PAYLOAD_MAX);
			CHECK(f.payload >= scratch && f.payload + f.len <= scratch + sizeof scratch);
			summarise(s, &f);
			if (check) {
				check_message(&f);
				check_reencode(&f);
			}
		}
		pos += n;
	}
	s->stats = dec.stats;
	CHECK(s->stats.frames_ok == s->frames);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct summary chunked, bytewise;
	uint8_t sel;

	if (size == 0)
		return 0;
	sel = data[0];
	run(data + 1, size - 1, sel, true, &chunked);
	run(data + 1, size - 1, sel, false, &bytewise);
	CHECK(chunked.frames == bytewise.frames);
	CHECK(chunked.hash == bytewise.hash);
	CHECK(memcmp(&chunked.stats, &bytewise.stats, sizeof chunked.stats) == 0);
	return 0;
}
