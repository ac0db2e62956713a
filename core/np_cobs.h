/* Consistent Overhead Byte Stuffing: removes every 0x00 so 0x00 can delimit frames. */
#ifndef NIGHTPOSE_CORE_NP_COBS_H
#define NIGHTPOSE_CORE_NP_COBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Worst-case encoded size of n input bytes, without the 0x00 delimiter. */
#define NP_COBS_MAX(n) ((n) + (n) / 254u + 1u)

/*
 * Encode src[0..len) into dst (capacity cap). Writes no delimiter.
 * Returns NP_OK and the encoded length in *out_len, NP_ERR_NOSPACE if cap is
 * too small, NP_ERR_ARG on NULL pointers. *out_len is 0 on failure.
 */
int np_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, size_t *out_len);

/*
 * Incremental encoder, for building one encoded frame from several pieces
 * (header, payload, CRC) without a second buffer. Output is identical to
 * np_cobs_encode() of the concatenated pieces. dst must stay valid until finish.
 */
struct np_cobs_writer {
	uint8_t *dst;
	size_t cap;
	size_t len;      /* bytes written so far, including the open block's code byte */
	size_t code_pos; /* where the open block's code byte goes */
	uint8_t code;    /* 1 + bytes in the open block */
	bool open;       /* false right after a full 254-byte block: the next byte opens one */
	bool overflow;   /* dst was too small; finish() reports NP_ERR_NOSPACE */
};

/* Start an encoding into dst (cap bytes). put() appends src; running out of room sets overflow. */
void np_cobs_writer_init(struct np_cobs_writer *w, uint8_t *dst, size_t cap);
void np_cobs_writer_put(struct np_cobs_writer *w, const uint8_t *src, size_t len);
/* Closes the last block. Returns NP_OK and the encoded length, or NP_ERR_NOSPACE (*out_len 0). */
int np_cobs_writer_finish(struct np_cobs_writer *w, size_t *out_len);

/*
 * Decode src[0..len) (one frame, delimiter excluded) into dst. dst may equal src
 * (in-place decoding: the output is never longer than the input).
 * Returns NP_OK, NP_ERR_FRAME if src contains 0x00 or a code byte runs past the end,
 * NP_ERR_NOSPACE if cap is too small. *out_len is 0 on failure.
 */
int np_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, size_t *out_len);

#endif
