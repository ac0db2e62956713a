/*
 * Frames of the nightpose wire protocol (byte layout: docs/PROTOCOL.md).
 *
 * Raw frame:  type u8 | seq u16 | len u16 | payload[len] | crc32c u32   (little-endian;
 *             the CRC-32C covers type..payload)
 * On the wire: 0x00, COBS(raw frame), 0x00. The leading delimiter costs one byte
 *             per frame and means that garbage or a torn frame before it (a UART
 *             glitch, a reset mid-frame) can never swallow the next good frame.
 */
#ifndef NIGHTPOSE_CORE_NP_FRAME_H
#define NIGHTPOSE_CORE_NP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_cobs.h"

#define NP_FRAME_HEADER_LEN 5u
#define NP_FRAME_CRC_LEN 4u
#define NP_PAYLOAD_MAX 1024u
#define NP_FRAME_RAW_MAX (NP_FRAME_HEADER_LEN + NP_PAYLOAD_MAX + NP_FRAME_CRC_LEN)
/* Largest encoded frame including both delimiters; size decoder scratch buffers
 * and encoder output buffers with it. */
#define NP_FRAME_WIRE_MAX (NP_COBS_MAX(NP_FRAME_RAW_MAX) + 2u)

/* A decoded frame. payload points into the buffer that produced it (see each producer). */
struct np_frame {
	uint8_t type;   /* enum np_msg_type */
	uint16_t seq;
	uint16_t len;
	const uint8_t *payload;
};

/*
 * Build the raw frame (header, payload, CRC) into out. Returns NP_OK and
 * *out_len, NP_ERR_RANGE if len > NP_PAYLOAD_MAX, NP_ERR_NOSPACE if cap is too small.
 */
int np_frame_build_raw(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len,
		       uint8_t *out, size_t cap, size_t *out_len);

/*
 * Build the wire form (0x00, COBS, 0x00) into out. Same returns as
 * np_frame_build_raw(). out must not overlap payload.
 */
int np_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len,
		    uint8_t *out, size_t cap, size_t *out_len);

/*
 * Parse and check a raw (already COBS-decoded) frame. On NP_OK, f->payload points
 * into raw. Returns NP_ERR_FRAME on a short frame, a length field that does not
 * match len, or a CRC mismatch.
 */
int np_frame_parse_raw(const uint8_t *raw, size_t len, struct np_frame *f);

/* What a frame reader has seen since its init. All counters saturate at UINT32_MAX. */
struct np_frame_stats {
	uint32_t frames_ok;       /* delivered to the caller */
	uint32_t crc_errors;      /* CRC mismatch */
	uint32_t malformed;       /* bad COBS, too short, or length field mismatch */
	uint32_t oversize;        /* more bytes than NP_FRAME_WIRE_MAX before a delimiter */
	uint32_t seq_gaps;        /* times the sequence jumped forward */
	uint32_t frames_missed;   /* total frames missing in those jumps */
	uint32_t duplicates;      /* repeated or stale sequence numbers (frame dropped) */
	uint32_t wraps;           /* sequence wrapped from 65535 to 0 */
	uint32_t resyncs;         /* sequence baseline reset by a HELLO frame that
				     followed other frames (the first frame is no resync) */
	uint32_t bytes_discarded; /* encoded bytes of frames not delivered (bad, oversize or
				     duplicate), delimiters excluded */
};

/*
 * Sequence tracking for one sender. A HELLO frame (device start or reset) always
 * sets a new baseline. Otherwise, with d = (seq - last - 1) mod 65536:
 * d == 0 in order; 1 <= d < 32768 a gap of d frames; d >= 32768 duplicate or stale.
 */
struct np_seq_tracker {
	bool have_last;
	uint16_t last;
};

/* No baseline yet: the first frame seen sets it. */
void np_seq_tracker_init(struct np_seq_tracker *t);

/* Returns true when the frame should be delivered (false: duplicate). Updates stats. */
bool np_seq_tracker_check(struct np_seq_tracker *t, uint8_t type, uint16_t seq,
			  struct np_frame_stats *stats);

/* Streaming frame reader: feed it any chunking of the byte stream. */
struct np_frame_decoder {
	uint8_t *buf;
	size_t cap;
	size_t fill;
	bool overflow;            /* discarding until the next delimiter */
	struct np_seq_tracker seq;
	struct np_frame_stats stats;
};

/*
 * Initialise with caller-owned scratch of at least NP_FRAME_WIRE_MAX bytes
 * (smaller buffers only accept smaller frames; longer ones count as oversize).
 * No allocation.
 */
void np_frame_decoder_init(struct np_frame_decoder *dec, uint8_t *scratch, size_t cap);

/*
 * Forget a partly received frame, keeping the statistics and the sequence
 * tracker: the bytes before a reconnect belong to another connection, and the
 * next byte starts a new frame.
 */
void np_frame_decoder_drop_partial(struct np_frame_decoder *dec);

/*
 * Consume bytes until one good frame is complete. Returns NP_OK with the frame in
 * *f (payload valid until the next call on dec) and the bytes consumed in *used;
 * call again with the rest. Returns NP_ERR_AGAIN when all len bytes were consumed
 * without completing a frame (*used == len). Bad frames never stop the reader:
 * they are counted in dec->stats and it resynchronises on the next 0x00.
 * Duplicate sequence numbers are dropped and counted. Empty frames (back-to-back
 * delimiters) are ignored silently.
 */
int np_frame_decoder_feed(struct np_frame_decoder *dec, const uint8_t *data, size_t len,
			  size_t *used, struct np_frame *f);

#endif
