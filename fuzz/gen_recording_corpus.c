/*
 * Writes the seed corpus of fuzz_recording_reader: small valid recordings (from
 * the builder and frame by frame, with a device reset, lost and duplicated
 * frames, link events, tick wrap-around, irregular sampling) and damaged copies
 * (torn tail, a corrupted record, a later version, a broken header, not a recording).
 *   gen_recording_corpus fuzz/corpus/recording_reader
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_bytes.h"
#include "np_err.h"
#include "np_night.h"
#include "np_rec_builder.h"
#include "np_recording.h"

static const char *dir;

static void die(const char *what, int rc)
{
	fprintf(stderr, "gen_recording_corpus: %s: %s\n", what, np_strerror(rc));
	exit(1);
}

#define TRY(what, call) \
	do { \
		int rc_ = (call); \
		if (rc_ != NP_OK) \
			die(what, rc_); \
	} while (0)

static char *path_of(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void header(struct np_rec_header *h, uint32_t rate_millihz)
{
	memset(h, 0, sizeof *h);
	h->created_utc_ms = 1768516200000LL;
	h->hello = (struct np_hello){ .protocol_version = NP_PROTOCOL_VERSION, .fw_major = 1,
				      .serial = "NP-SEED-0001", .sensor_model = NP_SENSOR_LIS3DH,
				      .sensor_count = 2, .range_g = 2,
				      .reset_reason = NP_RESET_POWER_ON,
				      .rate_millihz = rate_millihz, .lsb_per_g = 1000, .tick_hz = 1000 };
	strcpy(h->source, "gen_recording_corpus");
}

static uint8_t *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(path_of(name), "rb");
	uint8_t *buf = malloc(1 << 16);

	if (!f || !buf)
		die(name, NP_ERR_IO);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void spill(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(path_of(name), "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die(name, NP_ERR_IO);
}

/* Two seconds of chest data at 25 Hz, half a second of the second sensor, labels, an event. */
static void built(void)
{
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_annotation a = { .start_tick = 0, .end_tick = 1000, .kind = NP_ANN_LABEL,
				   .position = 1 };
	struct np_event ev = { .tick = 1500, .kind = NP_EVENT_BUTTON };

	header(&h, 25000);
	h.flags = NP_REC_SIMULATED;
	TRY("built", np_rec_builder_open(&b, path_of("built"), &h));
	for (uint32_t i = 0; i < 50; i++)
		TRY("built", np_rec_builder_add_sample(b, 0, 40 * i, (int16_t)(i * 7), -20, 990));
	for (uint32_t i = 0; i < 12; i++)
		TRY("built", np_rec_builder_add_sample(b, 1, 20 + 40 * i, 0, 1000, 0));
	TRY("built", np_rec_builder_add_annotation(b, &a));
	a.kind = NP_ANN_NOTE;
	a.text_len = 3;
	memcpy(a.text, "pee", 3);
	TRY("built", np_rec_builder_add_annotation(b, &a));
	TRY("built", np_rec_builder_add_event(b, NP_ORIGIN_DEVICE, &ev));
	TRY("built", np_rec_builder_commit(b));
}

/* The example of datasets/FORMAT.md: two samples and a label. */
static void tiny(void)
{
	struct np_rec_header h;
	struct np_rec_builder *b;
	struct np_annotation a = { .start_tick = 0, .end_tick = 80, .kind = NP_ANN_LABEL,
				   .position = 1 };

	header(&h, 25000);
	h.hello.sensor_count = 1;
	strcpy(h.source, "example");
	TRY("tiny", np_rec_builder_open(&b, path_of("tiny"), &h));
	TRY("tiny", np_rec_builder_add_sample(b, 0, 0, 0, 0, 1000));
	TRY("tiny", np_rec_builder_add_sample(b, 0, 40, 0, -17, 998));
	TRY("tiny", np_rec_builder_add_annotation(b, &a));
	TRY("tiny", np_rec_builder_commit(b));
}

struct raw {
	struct np_rec_writer *w;
	uint8_t buf[NP_PAYLOAD_MAX];
};

static void put(struct raw *r, uint32_t host_ms, uint8_t origin, uint8_t type, uint16_t seq,
		size_t len)
{
	struct np_frame f = { .type = type, .seq = seq, .len = (uint16_t)len, .payload = r->buf };

	TRY("append", np_rec_writer_append(r->w, host_ms, origin, &f));
}

static void samples(struct raw *r, uint32_t host_ms, uint16_t seq, uint32_t tick, uint8_t count,
		    uint16_t period)
{
	struct np_samples m = { .count = count, .period_ticks = period, .first_tick = tick };
	size_t len;

	for (unsigned i = 0; i < count; i++)
		m.s[i] = (struct np_sample){ 10, (int16_t)(i * 30), -1000 };
	TRY("samples", np_samples_encode(&m, r->buf, sizeof r->buf, &len));
	put(r, host_ms, NP_ORIGIN_DEVICE, NP_MSG_SAMPLES, seq, len);
}

static void event(struct raw *r, uint32_t host_ms, uint8_t origin, uint16_t seq, uint8_t kind)
{
	struct np_event ev = { .tick = host_ms, .kind = kind };
	size_t len;

	TRY("event", np_event_encode(&ev, r->buf, sizeof r->buf, &len));
	put(r, host_ms, origin, NP_MSG_EVENT, seq, len);
}

static void hello(struct raw *r, uint32_t host_ms, const struct np_hello *hh)
{
	size_t len;

	TRY("hello", np_hello_encode(hh, r->buf, sizeof r->buf, &len));
	put(r, host_ms, NP_ORIGIN_DEVICE, NP_MSG_HELLO, 0, len);
}

/* A live night in miniature: lost and duplicated frames, link loss, a device reset. */
static void live(void)
{
	struct np_rec_header h;
	struct raw r;

	header(&h, 25000);
	h.hello.sensor_count = 1;
	TRY("live", np_rec_writer_open(&r.w, path_of("live"), &h, NP_REC_COMMIT_AT_OPEN));
	hello(&r, 0, &h.hello);
	samples(&r, 400, 1, 5000, 10, 40);
	samples(&r, 800, 2, 5400, 10, 40);
	samples(&r, 1600, 4, 6200, 10, 40);  /* seq 3 lost */
	samples(&r, 1600, 4, 6200, 10, 40);  /* duplicate */
	event(&r, 1700, NP_ORIGIN_HOST, 0, NP_EVENT_LINK_LOST);
	event(&r, 3000, NP_ORIGIN_HOST, 1, NP_EVENT_LINK_RESTORED);
	h.hello.reset_reason = NP_RESET_WATCHDOG;
	hello(&r, 3100, &h.hello);
	samples(&r, 3500, 1, 0, 10, 40);
	samples(&r, 3900, 2, 400, 10, 40);
	TRY("live", np_rec_writer_close(r.w));
}

/* Ticks wrapping around 2^32, ticks that jump, and a sensor that samples irregularly. */
static void ticks(void)
{
	struct np_rec_header h;
	struct raw r;

	header(&h, 25000);
	TRY("wrap", np_rec_writer_open(&r.w, path_of("tick_wrap"), &h, NP_REC_COMMIT_AT_CLOSE));
	samples(&r, 400, 0, 0xFFFFFF00u, 10, 40);
	samples(&r, 800, 1, 0xFFFFFF00u + 400u, 10, 40);
	TRY("wrap", np_rec_writer_close(r.w));

	header(&h, 0);
	TRY("irregular", np_rec_writer_open(&r.w, path_of("irregular"), &h, NP_REC_COMMIT_AT_CLOSE));
	samples(&r, 0, 0, 0, 1, 0);
	samples(&r, 450, 1, 450, 1, 0);
	samples(&r, 2900, 2, 2900, 1, 0);
	samples(&r, 3000, 3, 3000, 1, 0);
	TRY("irregular", np_rec_writer_close(r.w));

	/* Ticks that jump by 2^31 without a HELLO, and back, while the host clock goes on. */
	header(&h, 25000);
	TRY("clock_jump", np_rec_writer_open(&r.w, path_of("clock_jump"), &h, NP_REC_COMMIT_AT_CLOSE));
	samples(&r, 400, 0, 0, 10, 40);
	samples(&r, 800, 1, 400u + 0x80000000u, 10, 40);
	samples(&r, 1200, 2, 800, 10, 40);
	TRY("clock_jump", np_rec_writer_close(r.w));

	header(&h, 25000);
	TRY("header_only", np_rec_writer_open(&r.w, path_of("header_only"), &h, NP_REC_COMMIT_AT_CLOSE));
	TRY("header_only", np_rec_writer_close(r.w));
}

/* Damaged copies of "built". */
static void damaged(void)
{
	size_t len, hl, pos;
	uint8_t *d = slurp("built", &len);

	spill("torn_tail", d, len - 5);
	hl = np_get_le16(d + 10);
	pos = hl + strlen((const char *)d + hl) + 1; /* second record */
	d[pos + 4] ^= 0x24;
	spill("corrupt_record", d, len);
	d[pos + 4] ^= 0x24;
	np_put_le16(d + 8, 2);
	spill("version_2", d, len);
	np_put_le16(d + 8, NP_REC_VERSION);
	d[hl - 1] ^= 0xFF;
	spill("bad_header_crc", d, len);
	free(d);
	spill("not_a_recording", "x_chest,y_chest,z_chest,position\n1,2,3,4\n", 41);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_recording_corpus DIR\n");
		return 2;
	}
	dir = argv[1];
	tiny();
	built();
	live();
	ticks();
	damaged();
	return 0;
}
