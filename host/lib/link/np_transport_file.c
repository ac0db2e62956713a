/* A recording replayed as the byte stream the device sent, paced by host_ms. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_clock.h"
#include "np_err.h"
#include "np_frame.h"
#include "np_transport_file.h"

struct filesrc {
	struct np_rec_reader *r;
	double speed;           /* 0: as fast as possible */
	bool started;
	struct np_clock t0;     /* started when the first record was due */
	uint32_t first_host_ms;
	uint32_t host_ms;       /* host_ms of the frame being delivered */
	uint32_t pending_ms;    /* host_ms of wire[] */
	uint8_t wire[NP_FRAME_WIRE_MAX];
	size_t wire_len, wire_off;
	bool eof;
};

/* Load the next device frame into wire[]; host-origin records are not on the wire. */
static int load_next(struct filesrc *f)
{
	struct np_rec_entry e;
	for (;;) {
		int rc = np_rec_reader_next(f->r, &e);
		if (rc != NP_OK)
			return rc;
		if (e.origin != NP_ORIGIN_DEVICE)
			continue;
		rc = np_frame_encode(e.frame.type, e.frame.seq, e.frame.payload, e.frame.len, f->wire,
				     sizeof f->wire, &f->wire_len);
		if (rc != NP_OK)
			continue; /* cannot happen for a frame the reader accepted */
		f->wire_off = 0;
		f->pending_ms = e.host_ms;
		return NP_OK;
	}
}

static int file_read(void *self, uint8_t *buf, size_t cap, size_t *got, unsigned timeout_ms)
{
	struct filesrc *f = self;
	*got = 0;
	if (f->wire_off >= f->wire_len) {
		if (f->eof)
			return NP_ERR_EOF;
		int rc = load_next(f);
		if (rc == NP_ERR_EOF) {
			f->eof = true;
			return NP_ERR_EOF;
		}
		if (rc != NP_OK)
			return rc;
		if (!f->started) {
			f->started = true;
			f->first_host_ms = f->pending_ms;
			np_clock_start(&f->t0);
		}
	}
	if (f->speed > 0 && f->wire_off == 0) {
		/* host_ms is unsigned and could go backwards only through a corrupt
		 * file; such a frame is simply not delayed. */
		double due = (double)(f->pending_ms - f->first_host_ms) / 1000.0 / f->speed;
		double wait = due - np_clock_s(&f->t0);
		if (f->pending_ms < f->first_host_ms)
			wait = 0;
		if (wait > (double)timeout_ms / 1000.0) {
			np_clock_sleep_s((double)timeout_ms / 1000.0);
			return NP_OK;
		}
		np_clock_sleep_s(wait);
	}
	size_t n = f->wire_len - f->wire_off;
	if (n > cap)
		n = cap;
	memcpy(buf, f->wire + f->wire_off, n);
	f->wire_off += n;
	f->host_ms = f->pending_ms;
	*got = n;
	return NP_OK;
}

static int file_write(void *self, const uint8_t *buf, size_t len)
{
	(void)self;
	(void)buf;
	(void)len;
	return NP_OK;
}

static void file_close(void *self)
{
	struct filesrc *f = self;
	np_rec_reader_close(f->r);
	free(f);
}

static const struct np_transport_ops file_ops = {
	.read = file_read,
	.write = file_write,
	.close = file_close,
};

int np_transport_file_open(struct np_transport *t, const char *path, double speed,
			   struct np_rec_header *h)
{
	t->ops = NULL;
	t->self = NULL;
	if (!path || speed < 0)
		return NP_ERR_ARG;
	struct filesrc *f = calloc(1, sizeof *f);
	if (!f)
		return NP_ERR_NOMEM;
	struct np_rec_header hdr;
	int rc = np_rec_reader_open(&f->r, path, &hdr);
	if (rc != NP_OK) {
		free(f);
		return rc;
	}
	if (h)
		*h = hdr;
	f->speed = speed;
	t->ops = &file_ops;
	t->self = f;
	return NP_OK;
}

uint32_t np_transport_file_host_ms(const struct np_transport *t)
{
	const struct filesrc *f = t->self;
	return f->host_ms;
}

const struct np_rec_stats *np_transport_file_stats(const struct np_transport *t)
{
	const struct filesrc *f = t->self;
	return np_rec_reader_stats(f->r);
}
