/*
 * Writes the seed corpus of fuzz_frame_decoder: a few valid frames of each
 * message type, sequence faults, garbage, truncated and oversize frames.
 * Each file is one chunking selector byte followed by a byte stream.
 *   gen_frame_corpus fuzz/corpus/frame_decoder
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"
#include "np_frame.h"
#include "np_msg.h"

struct buf {
	uint8_t b[4096];
	size_t len;
};

static void frame(struct buf *s, uint8_t type, uint16_t seq, const uint8_t *pl, size_t n)
{
	size_t wn;

	if (np_frame_encode(type, seq, pl, n, s->b + s->len, sizeof s->b - s->len, &wn) != NP_OK) {
		fprintf(stderr, "gen_frame_corpus: frame too big for the seed buffer\n");
		exit(1);
	}
	s->len += wn;
}

static void raw_bytes(struct buf *s, const void *p, size_t n)
{
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

static void hello(struct buf *s, uint16_t seq)
{
	struct np_hello h = { NP_PROTOCOL_VERSION, 0, 1, 0, "NP-SEED-0001", NP_SENSOR_LIS3DH, 1, 4,
			      NP_RESET_POWER_ON, 25000, 1000, 1000 };
	uint8_t pl[NP_HELLO_LEN];
	size_t n;

	np_hello_encode(&h, pl, sizeof pl, &n);
	frame(s, NP_MSG_HELLO, seq, pl, n);
}

static void samples(struct buf *s, uint16_t seq, uint8_t count)
{
	struct np_samples m = { 0, count, 40, 1000u * seq, { { 0 } } };
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;

	for (uint8_t i = 0; i < count; i++)
		m.s[i] = (struct np_sample){ (int16_t)(i * 3), (int16_t)(-20 + i), (int16_t)(990 - i) };
	np_samples_encode(&m, pl, sizeof pl, &n);
	frame(s, NP_MSG_SAMPLES, seq, pl, n);
}

static void status(struct buf *s, uint16_t seq)
{
	struct np_status m = { 60000, 1, 2, 0, NP_ALERT_ARMED, 0, 3900, NP_STATUS_STREAMING, 60000 };
	uint8_t pl[NP_STATUS_LEN];
	size_t n;

	np_status_encode(&m, pl, sizeof pl, &n);
	frame(s, NP_MSG_STATUS, seq, pl, n);
}

static void others(struct buf *s, uint16_t seq)
{
	struct np_event ev = { 5000, NP_EVENT_ALERT_FIRED, 1, 2, 0, 1200 };
	struct np_annotation an = { 0, 30000, NP_ANN_LABEL, 1, 5, "prone" };
	struct np_command c = { NP_CMD_SET_RATE, 0, 25, 0 };
	struct np_ack a = { 3, NP_CMD_SET_RATE, NP_ACK_OK, 0 };
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;

	np_event_encode(&ev, pl, sizeof pl, &n);
	frame(s, NP_MSG_EVENT, seq, pl, n);
	np_annotation_encode(&an, pl, sizeof pl, &n);
	frame(s, NP_MSG_ANNOTATION, (uint16_t)(seq + 1), pl, n);
	np_command_encode(&c, pl, sizeof pl, &n);
	frame(s, NP_MSG_COMMAND, (uint16_t)(seq + 2), pl, n);
	np_ack_encode(&a, pl, sizeof pl, &n);
	frame(s, NP_MSG_ACK, (uint16_t)(seq + 3), pl, n);
}

static int save(const char *dir, const char *name, uint8_t sel, const struct buf *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fputc(sel, f) == EOF || fwrite(s->b, 1, s->len, f) != s->len || fclose(f) != 0) {
		fprintf(stderr, "gen_frame_corpus: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const uint8_t junk[] = { 0x13, 0x37, 0x00, 0xFF, 0xFE, 0x02, 0x00, 0x00, 0x41, 0x42 };
	struct buf s;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_frame_corpus DIR\n");
		return 2;
	}
	const char *dir = argv[1];

	s.len = 0;
	hello(&s, 0);
	rc |= save(dir, "hello", 0, &s);

	s.len = 0;
	samples(&s, 1, 1);
	samples(&s, 2, 25);
	rc |= save(dir, "samples", 1, &s);

	s.len = 0;
	samples(&s, 9, NP_SAMPLES_MAX);
	rc |= save(dir, "samples_max", 0x47, &s);

	s.len = 0;
	status(&s, 4);
	others(&s, 5);
	rc |= save(dir, "status_event_annotation_command_ack", 2, &s);

	s.len = 0;
	hello(&s, 0);
	samples(&s, 1, 4);
	raw_bytes(&s, junk, sizeof junk);
	samples(&s, 2, 4);
	samples(&s, 5, 4);  /* gap of 2 */
	samples(&s, 5, 4);  /* duplicate */
	status(&s, 6);
	hello(&s, 0);       /* device restarted */
	samples(&s, 1, 4);
	rc |= save(dir, "sequence_faults", 3, &s);

	s.len = 0;
	samples(&s, 65534, 2);
	samples(&s, 65535, 2);
	samples(&s, 0, 2);  /* wrap */
	samples(&s, 3, 2);
	rc |= save(dir, "wrap", 0x15, &s);

	s.len = 0;
	status(&s, 10);
	s.len -= 9;         /* torn: no CRC, no trailing delimiter */
	status(&s, 11);
	raw_bytes(&s, "\0\0\0\0", 4);
	rc |= save(dir, "truncated_and_empty", 4, &s);

	s.len = 0;
	status(&s, 20);
	s.b[6] ^= 0x08;     /* CRC error */
	status(&s, 21);
	rc |= save(dir, "bit_flip", 0x20, &s);

	s.len = 0;
	memset(s.b, 0x5A, NP_FRAME_WIRE_MAX + 40);
	s.len = NP_FRAME_WIRE_MAX + 40;
	status(&s, 30);
	rc |= save(dir, "oversize", 5, &s);

	s.len = 0;
	for (size_t i = 0; i < 96; i++)
		s.b[s.len++] = (uint8_t)(i * 151u + 7u);
	rc |= save(dir, "garbage", 6, &s);
	return rc;
}
