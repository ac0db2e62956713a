#include "np_cobs.h"

#include <string.h>

#include "np_err.h"

void np_cobs_writer_init(struct np_cobs_writer *w, uint8_t *dst, size_t cap)
{
	w->dst = dst;
	w->cap = cap;
	w->len = 0;
	w->code_pos = 0;
	w->code = 1;
	w->overflow = false;
	w->open = false;
}

static void open_block(struct np_cobs_writer *w)
{
	w->code_pos = w->len++;
	w->code = 1;
	w->open = true;
	if (w->code_pos >= w->cap)
		w->overflow = true;
}

static void close_block(struct np_cobs_writer *w)
{
	if (w->code_pos < w->cap)
		w->dst[w->code_pos] = w->code;
	w->open = false;
}

void np_cobs_writer_put(struct np_cobs_writer *w, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!w->open)
			open_block(w);
		if (src[i] == 0) {
			close_block(w);
			open_block(w);
			continue;
		}
		if (w->len < w->cap)
			w->dst[w->len] = src[i];
		else
			w->overflow = true;
		w->len++;
		/* A full block of 254 data bytes (code 0xFF) carries no implied zero.
		 * The next block opens only if more data follows, so a frame ending
		 * on a full block needs no extra 0x01 (as in Cheshire and Baker). */
		if (++w->code == 0xFF)
			close_block(w);
	}
}

int np_cobs_writer_finish(struct np_cobs_writer *w, size_t *out_len)
{
	*out_len = 0;
	/* Empty input still needs one (empty) block: 0x01. */
	if (w->len == 0)
		open_block(w);
	if (w->overflow || w->len > w->cap)
		return NP_ERR_NOSPACE;
	if (w->open)
		close_block(w);
	*out_len = w->len;
	return NP_OK;
}

int np_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, size_t *out_len)
{
	struct np_cobs_writer w;

	if (out_len == NULL)
		return NP_ERR_ARG;
	*out_len = 0;
	if ((src == NULL && len > 0) || dst == NULL)
		return NP_ERR_ARG;
	np_cobs_writer_init(&w, dst, cap);
	np_cobs_writer_put(&w, src, len);
	return np_cobs_writer_finish(&w, out_len);
}

int np_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, size_t *out_len)
{
	size_t in = 0, out = 0;

	if (out_len == NULL)
		return NP_ERR_ARG;
	*out_len = 0;
	if ((src == NULL && len > 0) || (dst == NULL && cap > 0))
		return NP_ERR_ARG;
	while (in < len) {
		size_t code = src[in++];
		size_t n = code - 1;

		if (code == 0 || n > len - in)
			return NP_ERR_FRAME;
		if (memchr(src + in, 0, n) != NULL)
			return NP_ERR_FRAME;
		if (n > cap - out)
			return NP_ERR_NOSPACE;
		/* memmove: in-place decoding shifts data left by one byte per block. */
		memmove(dst + out, src + in, n);
		out += n;
		in += n;
		if (code != 0xFF && in < len) {
			if (out >= cap)
				return NP_ERR_NOSPACE;
			dst[out++] = 0;
		}
	}
	*out_len = out;
	return NP_OK;
}
