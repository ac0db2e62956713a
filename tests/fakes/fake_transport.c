/* Scripted transport for tests (see fake_transport.h). */
#include <stdlib.h>
#include <string.h>

#include "fake_transport.h"
#include "np_err.h"
#include "np_frame.h"

enum item_kind { ITEM_BYTES, ITEM_SILENCE, ITEM_FAULT };

struct item {
	enum item_kind kind;
	uint8_t *bytes;
	size_t len, off;
	uint32_t ms; /* advance after the bytes, or silence left */
	int err;
};

struct fake_transport {
	uint32_t *clock;
	struct item *items;
	size_t n_items, cap_items, cur;
	size_t chunk;
	bool endless;
	bool closed;
	uint8_t *written;
	size_t n_written, cap_written;
	/* fake_ack(): answer COMMANDs of ack_cmd with an ACK frame of sequence ack_seq. */
	bool ack_on;
	uint8_t ack_cmd, ack_result;
	uint16_t ack_seq;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q)
		abort();
	return q;
}

struct fake_transport *fake_new(uint32_t *clock_ms)
{
	struct fake_transport *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	f->clock = clock_ms;
	f->chunk = 4096;
	return f;
}

void fake_free(struct fake_transport *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_items; i++)
		free(f->items[i].bytes);
	free(f->items);
	free(f->written);
	free(f);
}

static struct item *push(struct fake_transport *f, enum item_kind kind)
{
	if (f->n_items == f->cap_items) {
		f->cap_items = f->cap_items ? 2 * f->cap_items : 16;
		f->items = xrealloc(f->items, f->cap_items * sizeof *f->items);
	}
	struct item *it = &f->items[f->n_items++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

void fake_set_chunk(struct fake_transport *f, size_t n)
{
	f->chunk = n ? n : 1;
}

void fake_bytes(struct fake_transport *f, const uint8_t *b, size_t n, uint32_t advance_ms)
{
	struct item *it = push(f, ITEM_BYTES);
	it->bytes = xrealloc(NULL, n ? n : 1);
	memcpy(it->bytes, b, n);
	it->len = n;
	it->ms = advance_ms;
}

void fake_silence(struct fake_transport *f, uint32_t ms)
{
	push(f, ITEM_SILENCE)->ms = ms;
}

void fake_fault(struct fake_transport *f, int err)
{
	push(f, ITEM_FAULT)->err = err;
}

void fake_set_endless(struct fake_transport *f, bool endless)
{
	f->endless = endless;
}

static int fake_read(void *self, uint8_t *buf, size_t cap, size_t *got, unsigned timeout_ms)
{
	struct fake_transport *f = self;
	*got = 0;
	if (f->closed)
		return NP_ERR_NODEV;
	if (f->cur >= f->n_items) {
		if (!f->endless)
			return NP_ERR_EOF;
		*f->clock += timeout_ms;
		return NP_OK;
	}
	struct item *it = &f->items[f->cur];
	switch (it->kind) {
	case ITEM_BYTES: {
		size_t n = it->len - it->off;
		if (n > cap)
			n = cap;
		if (n > f->chunk)
			n = f->chunk;
		memcpy(buf, it->bytes + it->off, n);
		it->off += n;
		*got = n;
		if (it->off >= it->len) {
			*f->clock += it->ms;
			f->cur++;
		}
		return NP_OK;
	}
	case ITEM_SILENCE: {
		uint32_t step = it->ms < timeout_ms ? it->ms : timeout_ms;
		*f->clock += step;
		it->ms -= step;
		if (it->ms == 0)
			f->cur++;
		return NP_OK;
	}
	case ITEM_FAULT:
		f->cur++;
		return it->err;
	}
	return NP_ERR_ARG;
}

void fake_ack(struct fake_transport *f, uint8_t cmd, uint8_t result, uint16_t seq)
{
	f->ack_on = true;
	f->ack_cmd = cmd;
	f->ack_result = result;
	f->ack_seq = seq;
}

/* The ACK for a command frame in buf, read right after the item being read now. */
static void answer(struct fake_transport *f, const uint8_t *buf, size_t len)
{
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	struct np_frame fr;
	struct np_command cmd;
	size_t used;
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	if (np_frame_decoder_feed(&dec, buf, len, &used, &fr) != NP_OK ||
	    fr.type != NP_MSG_COMMAND || np_command_decode(fr.payload, fr.len, &cmd) != NP_OK ||
	    cmd.cmd != f->ack_cmd)
		return;
	struct np_ack a = { .cmd_seq = fr.seq, .cmd = cmd.cmd, .result = f->ack_result };
	uint8_t p[NP_ACK_LEN], wire[64];
	size_t n;
	if (np_ack_encode(&a, p, sizeof p, &n) != NP_OK)
		abort();
	size_t wn = fake_wire_frame(wire, sizeof wire, NP_MSG_ACK, f->ack_seq, p, n);
	fake_bytes(f, wire, wn, 0); /* appended last: move it after the current item */
	size_t at = f->cur < f->n_items - 1 ? f->cur + 1 : f->n_items - 1;
	struct item it = f->items[f->n_items - 1];
	memmove(&f->items[at + 1], &f->items[at], (f->n_items - 1 - at) * sizeof it);
	f->items[at] = it;
}

static int fake_write(void *self, const uint8_t *buf, size_t len)
{
	struct fake_transport *f = self;
	if (f->closed)
		return NP_ERR_NODEV;
	if (f->ack_on)
		answer(f, buf, len);
	if (f->n_written + len > f->cap_written) {
		f->cap_written = 2 * (f->n_written + len);
		f->written = xrealloc(f->written, f->cap_written);
	}
	memcpy(f->written + f->n_written, buf, len);
	f->n_written += len;
	return NP_OK;
}

static void fake_close(void *self)
{
	struct fake_transport *f = self;
	f->closed = true;
}

static const struct np_transport_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
	.close = fake_close,
};

void fake_transport(struct fake_transport *f, struct np_transport *t)
{
	t->ops = &fake_ops;
	t->self = f;
}

bool fake_closed(const struct fake_transport *f)
{
	return f->closed;
}

const uint8_t *fake_written(const struct fake_transport *f, size_t *n)
{
	*n = f->n_written;
	return f->written;
}

size_t fake_commands(const struct fake_transport *f, struct np_command *out, size_t cap)
{
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	size_t off = 0, n = 0;
	while (off < f->n_written) {
		size_t used;
		struct np_frame fr;
		int rc = np_frame_decoder_feed(&dec, f->written + off, f->n_written - off, &used, &fr);
		off += used;
		if (rc != NP_OK)
			break;
		if (fr.type == NP_MSG_COMMAND && n < cap &&
		    np_command_decode(fr.payload, fr.len, &out[n]) == NP_OK)
			n++;
	}
	return n;
}

size_t fake_wire_frame(uint8_t *out, size_t cap, uint8_t type, uint16_t seq, const uint8_t *p,
		       size_t n)
{
	size_t len = 0;
	if (np_frame_encode(type, seq, p, n, out, cap, &len) != NP_OK)
		abort();
	return len;
}

size_t fake_wire_hello(uint8_t *out, size_t cap, uint16_t seq, const char *serial)
{
	struct np_hello h = {
		.protocol_version = NP_PROTOCOL_VERSION,
		.fw_major = 1,
		.sensor_model = NP_SENSOR_SIMULATED,
		.sensor_count = 1,
		.range_g = 2,
		.reset_reason = NP_RESET_POWER_ON,
		.rate_millihz = 100000,
		.lsb_per_g = 1000,
		.tick_hz = 1000,
	};
	strncpy(h.serial, serial, NP_SERIAL_LEN);
	uint8_t p[NP_PAYLOAD_MAX];
	size_t n;
	if (np_hello_encode(&h, p, sizeof p, &n) != NP_OK)
		abort();
	return fake_wire_frame(out, cap, NP_MSG_HELLO, seq, p, n);
}

size_t fake_wire_samples(uint8_t *out, size_t cap, uint16_t seq, uint32_t first_tick,
			 unsigned count, int16_t x, int16_t y, int16_t z)
{
	struct np_samples s = {
		.sensor_id = 0, .count = (uint8_t)count, .period_ticks = 10, .first_tick = first_tick,
	};
	for (unsigned i = 0; i < count; i++) {
		s.s[i].x = x;
		s.s[i].y = y;
		s.s[i].z = z;
	}
	uint8_t p[NP_PAYLOAD_MAX];
	size_t n;
	if (np_samples_encode(&s, p, sizeof p, &n) != NP_OK)
		abort();
	return fake_wire_frame(out, cap, NP_MSG_SAMPLES, seq, p, n);
}
