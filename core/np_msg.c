#include "np_msg.h"

#include <stdbool.h>
#include <string.h>

#include "np_bytes.h"
#include "np_err.h"

#define SAMPLE_LEN 6u

/*
 * Common checks of every encoder, in the order the errors are reported: NULL
 * pointers, fields out of range (valid false), then capacity. On success the
 * caller writes exactly need bytes to out. On failure *out_len is 0.
 */
static int begin_encode(const void *m, const uint8_t *out, size_t cap, size_t *out_len,
			size_t need, bool valid)
{
	if (out_len == NULL)
		return NP_ERR_ARG;
	*out_len = 0;
	if (m == NULL || out == NULL)
		return NP_ERR_ARG;
	if (!valid)
		return NP_ERR_RANGE;
	if (cap < need)
		return NP_ERR_NOSPACE;
	return NP_OK;
}

/*
 * Fixed-size messages may grow at the end in a later protocol version, so their
 * decoders accept (and ignore) extra trailing bytes; shorter payloads are corrupt.
 */
static int begin_decode_fixed(const uint8_t *p, size_t len, void *m, size_t msg_size, size_t need)
{
	if (m == NULL || (p == NULL && len > 0))
		return NP_ERR_ARG;
	memset(m, 0, msg_size);
	if (len < need)
		return NP_ERR_FRAME;
	return NP_OK;
}

int np_hello_encode(const struct np_hello *m, uint8_t *out, size_t cap, size_t *out_len)
{
	int rc = begin_encode(m, out, cap, out_len, NP_HELLO_LEN, true);
	const char *nul;

	if (rc != NP_OK)
		return rc;
	out[0] = m->protocol_version;
	out[1] = m->fw_major;
	out[2] = m->fw_minor;
	out[3] = m->fw_patch;
	memset(out + 4, 0, NP_SERIAL_LEN);
	nul = memchr(m->serial, 0, NP_SERIAL_LEN);
	memcpy(out + 4, m->serial, nul != NULL ? (size_t)(nul - m->serial) : NP_SERIAL_LEN);
	out[20] = m->sensor_model;
	out[21] = m->sensor_count;
	out[22] = m->range_g;
	out[23] = m->reset_reason;
	np_put_le32(out + 24, m->rate_millihz);
	np_put_le32(out + 28, m->tick_hz);
	np_put_le16(out + 32, m->lsb_per_g);
	*out_len = NP_HELLO_LEN;
	return NP_OK;
}

int np_hello_decode(const uint8_t *p, size_t len, struct np_hello *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_HELLO_LEN);

	if (rc != NP_OK)
		return rc;
	m->protocol_version = p[0];
	m->fw_major = p[1];
	m->fw_minor = p[2];
	m->fw_patch = p[3];
	/* The serial ends at its first NUL; serial[NP_SERIAL_LEN] stays 0. */
	for (size_t i = 0; i < NP_SERIAL_LEN && p[4 + i] != 0; i++)
		m->serial[i] = (char)p[4 + i];
	m->sensor_model = p[20];
	m->sensor_count = p[21];
	m->range_g = p[22];
	m->reset_reason = p[23];
	m->rate_millihz = np_get_le32(p + 24);
	m->tick_hz = np_get_le32(p + 28);
	m->lsb_per_g = np_get_le16(p + 32);
	return NP_OK;
}

int np_samples_encode(const struct np_samples *m, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t count = m != NULL ? m->count : 0;
	int rc = begin_encode(m, out, cap, out_len, NP_SAMPLES_HEADER_LEN + SAMPLE_LEN * count,
			      count >= 1 && count <= NP_SAMPLES_MAX);
	if (rc != NP_OK)
		return rc;
	out[0] = m->sensor_id;
	out[1] = m->count;
	np_put_le16(out + 2, m->period_ticks);
	np_put_le32(out + 4, m->first_tick);
	for (size_t i = 0; i < m->count; i++) {
		uint8_t *q = out + NP_SAMPLES_HEADER_LEN + SAMPLE_LEN * i;

		np_put_le16(q, (uint16_t)m->s[i].x);
		np_put_le16(q + 2, (uint16_t)m->s[i].y);
		np_put_le16(q + 4, (uint16_t)m->s[i].z);
	}
	*out_len = NP_SAMPLES_HEADER_LEN + SAMPLE_LEN * (size_t)m->count;
	return NP_OK;
}

int np_samples_decode(const uint8_t *p, size_t len, struct np_samples *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_SAMPLES_HEADER_LEN);
	uint8_t count;

	if (rc != NP_OK)
		return rc;
	count = p[1];
	if (count == 0 || count > NP_SAMPLES_MAX ||
	    len != NP_SAMPLES_HEADER_LEN + SAMPLE_LEN * (size_t)count)
		return NP_ERR_FRAME;
	m->sensor_id = p[0];
	m->count = count;
	m->period_ticks = np_get_le16(p + 2);
	m->first_tick = np_get_le32(p + 4);
	for (size_t i = 0; i < count; i++) {
		const uint8_t *q = p + NP_SAMPLES_HEADER_LEN + SAMPLE_LEN * i;

		m->s[i].x = np_get_le16s(q);
		m->s[i].y = np_get_le16s(q + 2);
		m->s[i].z = np_get_le16s(q + 4);
	}
	return NP_OK;
}

int np_status_encode(const struct np_status *m, uint8_t *out, size_t cap, size_t *out_len)
{
	int rc = begin_encode(m, out, cap, out_len, NP_STATUS_LEN, true);

	if (rc != NP_OK)
		return rc;
	np_put_le32(out, m->tick);
	np_put_le32(out + 4, m->uptime_ticks);
	np_put_le32(out + 8, m->fifo_overruns);
	np_put_le32(out + 12, m->samples_dropped);
	np_put_le32(out + 16, m->link_rx_errors);
	np_put_le16(out + 20, m->battery_mv);
	out[22] = m->alert_state;
	out[23] = m->alert_level;
	out[24] = m->flags;
	*out_len = NP_STATUS_LEN;
	return NP_OK;
}

int np_status_decode(const uint8_t *p, size_t len, struct np_status *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_STATUS_LEN);

	if (rc != NP_OK)
		return rc;
	m->tick = np_get_le32(p);
	m->uptime_ticks = np_get_le32(p + 4);
	m->fifo_overruns = np_get_le32(p + 8);
	m->samples_dropped = np_get_le32(p + 12);
	m->link_rx_errors = np_get_le32(p + 16);
	m->battery_mv = np_get_le16(p + 20);
	m->alert_state = p[22];
	m->alert_level = p[23];
	m->flags = p[24];
	return NP_OK;
}

int np_event_encode(const struct np_event *m, uint8_t *out, size_t cap, size_t *out_len)
{
	int rc = begin_encode(m, out, cap, out_len, NP_EVENT_LEN, true);

	if (rc != NP_OK)
		return rc;
	np_put_le32(out, m->tick);
	out[4] = m->kind;
	out[5] = m->position;
	out[6] = m->level;
	out[7] = m->reserved;
	np_put_le32(out + 8, m->value);
	*out_len = NP_EVENT_LEN;
	return NP_OK;
}

int np_event_decode(const uint8_t *p, size_t len, struct np_event *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_EVENT_LEN);

	if (rc != NP_OK)
		return rc;
	m->tick = np_get_le32(p);
	m->kind = p[4];
	m->position = p[5];
	m->level = p[6];
	m->reserved = p[7];
	m->value = np_get_le32(p + 8);
	return NP_OK;
}

int np_annotation_encode(const struct np_annotation *m, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t text_len = m != NULL ? m->text_len : 0;
	/* The text is NUL-free on the wire so that decoders can hand it out as a C string. */
	int rc = begin_encode(m, out, cap, out_len, NP_ANNOTATION_HEADER_LEN + text_len,
			      text_len <= NP_ANNOTATION_TEXT_MAX &&
			      (m == NULL || memchr(m->text, 0, text_len) == NULL));
	if (rc != NP_OK)
		return rc;
	np_put_le32(out, m->start_tick);
	np_put_le32(out + 4, m->end_tick);
	out[8] = m->kind;
	out[9] = m->position;
	out[10] = m->text_len;
	memcpy(out + NP_ANNOTATION_HEADER_LEN, m->text, m->text_len);
	*out_len = NP_ANNOTATION_HEADER_LEN + (size_t)m->text_len;
	return NP_OK;
}

int np_annotation_decode(const uint8_t *p, size_t len, struct np_annotation *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_ANNOTATION_HEADER_LEN);
	uint8_t text_len;

	if (rc != NP_OK)
		return rc;
	text_len = p[10];
	if (text_len > NP_ANNOTATION_TEXT_MAX || len != NP_ANNOTATION_HEADER_LEN + (size_t)text_len ||
	    memchr(p + NP_ANNOTATION_HEADER_LEN, 0, text_len) != NULL)
		return NP_ERR_FRAME;
	m->start_tick = np_get_le32(p);
	m->end_tick = np_get_le32(p + 4);
	m->kind = p[8];
	m->position = p[9];
	m->text_len = text_len;
	memcpy(m->text, p + NP_ANNOTATION_HEADER_LEN, text_len);
	return NP_OK;
}

int np_command_encode(const struct np_command *m, uint8_t *out, size_t cap, size_t *out_len)
{
	int rc = begin_encode(m, out, cap, out_len, NP_COMMAND_LEN, true);

	if (rc != NP_OK)
		return rc;
	out[0] = m->cmd;
	out[1] = m->arg8;
	np_put_le16(out + 2, m->arg16);
	np_put_le32(out + 4, m->arg32);
	*out_len = NP_COMMAND_LEN;
	return NP_OK;
}

int np_command_decode(const uint8_t *p, size_t len, struct np_command *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_COMMAND_LEN);

	if (rc != NP_OK)
		return rc;
	m->cmd = p[0];
	m->arg8 = p[1];
	m->arg16 = np_get_le16(p + 2);
	m->arg32 = np_get_le32(p + 4);
	return NP_OK;
}

int np_ack_encode(const struct np_ack *m, uint8_t *out, size_t cap, size_t *out_len)
{
	int rc = begin_encode(m, out, cap, out_len, NP_ACK_LEN, true);

	if (rc != NP_OK)
		return rc;
	np_put_le16(out, m->cmd_seq);
	out[2] = m->cmd;
	out[3] = m->result;
	np_put_le32(out + 4, m->value);
	*out_len = NP_ACK_LEN;
	return NP_OK;
}

int np_ack_decode(const uint8_t *p, size_t len, struct np_ack *m)
{
	int rc = begin_decode_fixed(p, len, m, sizeof *m, NP_ACK_LEN);

	if (rc != NP_OK)
		return rc;
	m->cmd_seq = np_get_le16(p);
	m->cmd = p[2];
	m->result = p[3];
	m->value = np_get_le32(p + 4);
	return NP_OK;
}

int np_msg_encode(uint8_t type, const union np_msg_any *m, uint8_t *out, size_t cap, size_t *out_len)
{
	if (m == NULL) {
		if (out_len != NULL)
			*out_len = 0;
		return NP_ERR_ARG;
	}
	switch (type) {
	case NP_MSG_HELLO: return np_hello_encode(&m->hello, out, cap, out_len);
	case NP_MSG_SAMPLES: return np_samples_encode(&m->samples, out, cap, out_len);
	case NP_MSG_STATUS: return np_status_encode(&m->status, out, cap, out_len);
	case NP_MSG_EVENT: return np_event_encode(&m->event, out, cap, out_len);
	case NP_MSG_ANNOTATION: return np_annotation_encode(&m->annotation, out, cap, out_len);
	case NP_MSG_COMMAND: return np_command_encode(&m->command, out, cap, out_len);
	case NP_MSG_ACK: return np_ack_encode(&m->ack, out, cap, out_len);
	}
	if (out_len != NULL)
		*out_len = 0;
	return NP_ERR_UNSUPP;
}

int np_msg_decode(uint8_t type, const uint8_t *p, size_t len, union np_msg_any *m)
{
	if (m == NULL)
		return NP_ERR_ARG;
	switch (type) {
	case NP_MSG_HELLO: return np_hello_decode(p, len, &m->hello);
	case NP_MSG_SAMPLES: return np_samples_decode(p, len, &m->samples);
	case NP_MSG_STATUS: return np_status_decode(p, len, &m->status);
	case NP_MSG_EVENT: return np_event_decode(p, len, &m->event);
	case NP_MSG_ANNOTATION: return np_annotation_decode(p, len, &m->annotation);
	case NP_MSG_COMMAND: return np_command_decode(p, len, &m->command);
	case NP_MSG_ACK: return np_ack_decode(p, len, &m->ack);
	}
	memset(m, 0, sizeof *m);
	return NP_ERR_UNSUPP;
}
