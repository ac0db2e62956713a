/*
 * Writes the binary inputs of the bad-input catalogue (cases.tsv) into a directory:
 * recordings whose header or frames are valid CRC-wise but lie about the device.
 * usage: gen_cases DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"
#include "np_msg.h"
#include "np_posture.h"
#include "np_recording.h"

struct gen {
	struct np_rec_writer *w;
	uint16_t seq;
	uint8_t buf[NP_PAYLOAD_MAX];
	int failed;
};

static void header(struct np_rec_header *h)
{
	memset(h, 0, sizeof *h);
	h->version = NP_REC_VERSION;
	h->created_utc_ms = 1768516200000LL; /* 2026-01-15T22:30:00Z */
	h->hello.protocol_version = NP_PROTOCOL_VERSION;
	h->hello.fw_major = 1;
	strcpy(h->hello.serial, "NP-BAD-0001");
	h->hello.sensor_model = NP_SENSOR_LIS3DH;
	h->hello.sensor_count = 1;
	h->hello.range_g = 2;
	h->hello.rate_millihz = 25000;
	h->hello.lsb_per_g = 1000;
	h->hello.tick_hz = 1000;
	strcpy(h->source, "bad-input generator");
}

static int begin(struct gen *g, const char *dir, const char *name, const struct np_rec_header *h)
{
	char path[4096];
	memset(g, 0, sizeof *g);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (np_rec_writer_open(&g->w, path, h, NP_REC_COMMIT_AT_CLOSE) != NP_OK) {
		perror(path);
		return -1;
	}
	return 0;
}

static void put(struct gen *g, uint32_t host_ms, uint8_t origin, uint8_t type, size_t len)
{
	struct np_frame f = { .type = type, .seq = g->seq++, .len = (uint16_t)len, .payload = g->buf };
	if (np_rec_writer_append(g->w, host_ms, origin, &f) != NP_OK)
		g->failed = 1;
}

static void hello(struct gen *g, const struct np_hello *h)
{
	size_t len;
	if (np_hello_encode(h, g->buf, sizeof g->buf, &len) == NP_OK)
		put(g, 0, NP_ORIGIN_DEVICE, NP_MSG_HELLO, len);
	else
		g->failed = 1;
}

static void samples(struct gen *g, uint32_t host_ms, uint32_t first_tick, unsigned count,
		    uint16_t period_ticks)
{
	struct np_samples m;
	size_t len;
	memset(&m, 0, sizeof m);
	m.count = (uint8_t)count;
	m.period_ticks = period_ticks;
	m.first_tick = first_tick;
	for (unsigned i = 0; i < count; i++)
		m.s[i].z = 1000;
	if (np_samples_encode(&m, g->buf, sizeof g->buf, &len) == NP_OK)
		put(g, host_ms, NP_ORIGIN_DEVICE, NP_MSG_SAMPLES, len);
	else
		g->failed = 1;
}

static void note(struct gen *g, uint32_t host_ms, const char *text)
{
	struct np_annotation a = { .start_tick = 0, .end_tick = 1000, .kind = NP_ANN_NOTE,
				   .position = NP_POS_UNKNOWN };
	size_t len;
	a.text_len = (uint8_t)strlen(text);
	memcpy(a.text, text, a.text_len);
	if (np_annotation_encode(&a, g->buf, sizeof g->buf, &len) == NP_OK)
		put(g, host_ms, NP_ORIGIN_HOST, NP_MSG_ANNOTATION, len);
	else
		g->failed = 1;
}

static int end(struct gen *g)
{
	int rc = np_rec_writer_close(g->w);
	return g->failed || rc != NP_OK ? -1 : 0;
}

/* HELLO claims 0xFFFFFFFF mHz; the samples are 25 Hz. */
static int huge_rate(const char *dir)
{
	struct np_rec_header h;
	struct gen g;
	header(&h);
	h.hello.rate_millihz = 0xFFFFFFFFu;
	if (begin(&g, dir, "huge_rate.npr", &h))
		return -1;
	hello(&g, &h.hello);
	for (unsigned k = 0; k < 3; k++)
		samples(&g, 1000 * (k + 1), 1000 * k, 25, 40);
	return end(&g);
}

/* HELLO claims 1 kHz (a plausible rate); the samples are 25 Hz. */
static int rate_mismatch(const char *dir)
{
	struct np_rec_header h;
	struct gen g;
	header(&h);
	h.hello.rate_millihz = 1000000u;
	if (begin(&g, dir, "rate_mismatch.npr", &h))
		return -1;
	hello(&g, &h.hello);
	for (unsigned k = 0; k < 3; k++)
		samples(&g, 1000 * (k + 1), 1000 * k, 25, 40);
	return end(&g);
}

/* Two single samples 960 h apart, ticks and host clock agreeing. */
static int long_span(const char *dir)
{
	struct np_rec_header h;
	struct gen g;
	header(&h);
	if (begin(&g, dir, "long_span.npr", &h))
		return -1;
	hello(&g, &h.hello);
	samples(&g, 0, 0, 1, 40);
	samples(&g, 3456000000u, 3456000000u, 1, 40);
	return end(&g);
}

/* A 1 Hz tick clock and 65535 ticks between samples: 18 h a sample. */
static int slow_ticks(const char *dir)
{
	struct np_rec_header h;
	struct gen g;
	header(&h);
	h.hello.tick_hz = 1;
	h.hello.rate_millihz = 0;
	if (begin(&g, dir, "slow_ticks.npr", &h))
		return -1;
	hello(&g, &h.hello);
	for (unsigned k = 0; k < 100; k++)
		samples(&g, 1000 * k, 65535u * 128u * k, 128, 65535);
	return end(&g);
}

/* Terminal escapes in the serial number, the source and a note. */
static int escapes(const char *dir)
{
	struct np_rec_header h;
	struct gen g;
	header(&h);
	strcpy(h.hello.serial, "\x1b]0;owned\x07");
	strcpy(h.source, "\x1b[2J\x1b]8;;http://x/\x1b\\");
	if (begin(&g, dir, "escapes.npr", &h))
		return -1;
	hello(&g, &h.hello);
	for (unsigned k = 0; k < 120; k++)
		samples(&g, 1000 * (k + 1), 1000 * k, 25, 40);
	note(&g, 2000, "\x1b[2Jcleared");
	return end(&g);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: gen_cases DIR\n", stderr);
		return 2;
	}
	int bad = huge_rate(argv[1]) | long_span(argv[1]) | slow_ticks(argv[1]) | escapes(argv[1]) |
		  rate_mismatch(argv[1]);
	return bad ? 1 : 0;
}
