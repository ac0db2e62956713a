#include <string.h>

#include "fw_stream.h"
#include "np_bytes.h"
#include "np_err.h"

void fw_stream_init(struct fw_stream *st, uint32_t now_ms)
{
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < FW_SENSORS_MAX; i++)
		st->last_samples_ms[i] = now_ms;
	st->last_status_ms = now_ms;
}

int fw_stream_send(struct fw_stream *st, const struct fw_board *b, uint8_t type,
		   const uint8_t *payload, size_t len)
{
	size_t n;
	int rc = np_frame_encode(type, st->seq, payload, len, st->wire, sizeof st->wire, &n);
	if (rc != NP_OK)
		return rc;
	rc = b->ops->link_write(b->ctx, st->wire, n);
	if (rc != NP_OK)
		return rc;
	st->seq++;
	st->frames_sent++;
	return NP_OK;
}

/* Send a message that is not kept anywhere else: a refusal is counted, not retried. */
static int send_once(struct fw_stream *st, const struct fw_board *b, uint8_t type, int enc_rc,
		     size_t len)
{
	if (enc_rc != NP_OK)
		return enc_rc;
	int rc = fw_stream_send(st, b, type, st->payload, len);
	if (rc != NP_OK)
		st->frames_lost++;
	return rc;
}

int fw_stream_hello(struct fw_stream *st, const struct fw_board *b, const struct np_hello *h)
{
	size_t n = 0;
	int rc = np_hello_encode(h, st->payload, sizeof st->payload, &n);
	return send_once(st, b, NP_MSG_HELLO, rc, n);
}

int fw_stream_status(struct fw_stream *st, const struct fw_board *b, const struct np_status *m)
{
	size_t n = 0;
	int rc = np_status_encode(m, st->payload, sizeof st->payload, &n);
	return send_once(st, b, NP_MSG_STATUS, rc, n);
}

int fw_stream_event(struct fw_stream *st, const struct fw_board *b, const struct np_event *ev)
{
	size_t n = 0;
	int rc = np_event_encode(ev, st->payload, sizeof st->payload, &n);
	return send_once(st, b, NP_MSG_EVENT, rc, n);
}

int fw_stream_ack(struct fw_stream *st, const struct fw_board *b, const struct np_ack *ack)
{
	size_t n = 0;
	int rc = np_ack_encode(ack, st->payload, sizeof st->payload, &n);
	return send_once(st, b, NP_MSG_ACK, rc, n);
}

/* Length of the evenly spaced run at the head of the ring, at most max. */
static size_t run_length(const struct fw_sampler *s, size_t max)
{
	size_t avail = fw_sampler_count(s);
	if (avail == 0)
		return 0;
	const struct fw_sample_rec *first = fw_sampler_peek(s, 0);
	size_t n = 1;
	while (n < avail && n < max) {
		const struct fw_sample_rec *r = fw_sampler_peek(s, n);
		if (r->tick != first->tick + (uint32_t)n * s->period_ms)
			break;
		n++;
	}
	return n;
}

void fw_stream_samples(struct fw_stream *st, const struct fw_board *b, struct fw_sampler *s,
		       size_t batch, uint32_t now_ms, bool flush)
{
	uint32_t *last = &st->last_samples_ms[s->sensor_id < FW_SENSORS_MAX ? s->sensor_id : 0];

	if (batch == 0 || batch > FW_BATCH_MAX)
		batch = FW_BATCH_MAX;
	bool due = flush || now_ms - *last >= FW_SAMPLES_PERIOD_MS;

	for (;;) {
		size_t n = run_length(s, batch);
		if (n == 0)
			break;
		/* A run broken by a gap is complete even if short; otherwise wait for a full batch. */
		bool complete = n == batch || n < fw_sampler_count(s);
		if (!complete && !due)
			break;

		/* Build the payload straight from the ring: an np_samples would cost 776 bytes of RAM. */
		const struct fw_sample_rec *first = fw_sampler_peek(s, 0);
		uint8_t *p = st->payload;
		p[0] = s->sensor_id;
		p[1] = (uint8_t)n;
		np_put_le16(p + 2, (uint16_t)s->period_ms);
		np_put_le32(p + 4, first->tick);
		for (size_t i = 0; i < n; i++) {
			const struct np_sample *v = &fw_sampler_peek(s, i)->s;
			uint8_t *q = p + NP_SAMPLES_HEADER_LEN + i * 6u;
			np_put_le16(q, (uint16_t)v->x);
			np_put_le16(q + 2, (uint16_t)v->y);
			np_put_le16(q + 4, (uint16_t)v->z);
		}
		int rc = fw_stream_send(st, b, NP_MSG_SAMPLES, p, NP_SAMPLES_HEADER_LEN + n * 6u);
		if (rc == NP_ERR_AGAIN)
			break; /* link busy: the samples stay queued */
		if (rc != NP_OK) {
			/* Cannot happen with FW_WIRE_MAX sized right; if it does, count the loss
			 * rather than retry the same batch forever. */
			st->frames_lost++;
			s->samples_dropped += (uint32_t)n;
		}
		fw_sampler_consume(s, n);
		*last = now_ms;
	}
	if (due && fw_sampler_count(s) == 0)
		*last = now_ms;
}
