/*
 * Throughput of the frame reader (core/np_frame.c) with the message decoders on
 * a synthetic night: SAMPLES frames with a random-walk gravity vector, a STATUS
 * every 10 s, and a little garbage and corruption. Prints figures, no verdict.
 *   bench_frame_decoder [hours]      (default 8)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_err.h"
#include "np_frame.h"
#include "np_msg.h"

struct stream {
	uint8_t *b;
	size_t len, cap;
	uint32_t frames;
};

static void append(struct stream *s, const uint8_t *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->b = realloc(s->b, s->cap);
		if (s->b == NULL) {
			fprintf(stderr, "bench_frame_decoder: out of memory\n");
			exit(1);
		}
	}
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

static uint64_t rng_next(uint64_t *st)
{
	uint64_t z = (*st += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static void put_frame(struct stream *s, uint8_t type, uint16_t seq, const uint8_t *pl, size_t n)
{
	uint8_t wire[NP_FRAME_WIRE_MAX];
	size_t wn;

	if (np_frame_encode(type, seq, pl, n, wire, sizeof wire, &wn) != NP_OK)
		abort();
	append(s, wire, wn);
	s->frames++;
}

/* hours of data at rate_hz, per_frame samples per SAMPLES frame (1 kHz ticks). */
static void build(struct stream *s, double hours, unsigned rate_hz, unsigned per_frame)
{
	uint64_t rng = 12345;
	uint64_t total = (uint64_t)(hours * 3600.0 * rate_hz);
	int32_t gx = 0, gy = 0, gz = 1000;
	uint16_t seq = 0;
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;
	struct np_hello h = { NP_PROTOCOL_VERSION, 0, 1, 0, "NP-BENCH", NP_SENSOR_SIMULATED, 1, 4,
			      NP_RESET_POWER_ON, rate_hz * 1000u, 1000, 1000 };

	memset(s, 0, sizeof *s);
	np_hello_encode(&h, pl, sizeof pl, &n);
	put_frame(s, NP_MSG_HELLO, seq++, pl, n);
	for (uint64_t i = 0; i < total;) {
		struct np_samples m = { 0, 0, (uint16_t)(1000 / rate_hz), (uint32_t)(i * 1000 / rate_hz),
					{ { 0 } } };
		uint64_t sec_before = i / rate_hz;

		while (m.count < per_frame && i < total) {
			gx += (int32_t)(rng_next(&rng) % 21) - 10;
			gy += (int32_t)(rng_next(&rng) % 21) - 10;
			gz += (int32_t)(rng_next(&rng) % 21) - 10;
			m.s[m.count++] = (struct np_sample){ (int16_t)(gx % 2000), (int16_t)(gy % 2000),
							     (int16_t)(gz % 2000) };
			i++;
		}
		np_samples_encode(&m, pl, sizeof pl, &n);
		put_frame(s, NP_MSG_SAMPLES, seq++, pl, n);
		if (i / rate_hz / 10 != sec_before / 10) {
			struct np_status st = { (uint32_t)(i * 1000 / rate_hz), 0, 0, 0, NP_ALERT_ARMED, 0,
						3900, NP_STATUS_STREAMING, (uint32_t)(i * 1000 / rate_hz) };

			np_status_encode(&st, pl, sizeof pl, &n);
			put_frame(s, NP_MSG_STATUS, seq++, pl, n);
		}
		/* Line noise: 16 bytes of garbage after one frame in 1000, a flipped
		 * bit in one in 5000. */
		if (rng_next(&rng) % 1000 == 0) {
			uint8_t junk[16];

			for (size_t k = 0; k < sizeof junk; k++)
				junk[k] = (uint8_t)rng_next(&rng);
			append(s, junk, sizeof junk);
		}
		if (rng_next(&rng) % 5000 == 0)
			s->b[s->len - 5] ^= 0x10;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Decode the whole stream fed chunk bytes at a time; with_msg also decodes each payload. */
static double decode(const struct stream *s, size_t chunk, int with_msg, struct np_frame_stats *stats)
{
	static uint8_t scratch[NP_FRAME_WIRE_MAX];
	struct np_frame_decoder dec;
	union {
		struct np_samples samples;
		struct np_status status;
		struct np_hello hello;
	} m;
	uint64_t samples = 0;
	double t0 = now_s();

	np_frame_decoder_init(&dec, scratch, sizeof scratch);
	for (size_t pos = 0; pos < s->len;) {
		size_t n = chunk < s->len - pos ? chunk : s->len - pos, off = 0;
		struct np_frame f;
		size_t used;

		while (np_frame_decoder_feed(&dec, s->b + pos + off, n - off, &used, &f) == NP_OK) {
			off += used;
			if (!with_msg)
				continue;
			if (f.type == NP_MSG_SAMPLES && np_samples_decode(f.payload, f.len, &m.samples) == NP_OK)
				samples += m.samples.count;
			else if (f.type == NP_MSG_STATUS)
				(void)np_status_decode(f.payload, f.len, &m.status);
			else if (f.type == NP_MSG_HELLO)
				(void)np_hello_decode(f.payload, f.len, &m.hello);
		}
		pos += n;
	}
	*stats = dec.stats;
	/* Keep the decode from being optimised away. */
	if (with_msg && samples == 0 && s->frames > 2)
		fprintf(stderr, "bench_frame_decoder: no samples decoded\n");
	return now_s() - t0;
}

static void scenario(double hours, unsigned rate_hz, unsigned per_frame)
{
	static const size_t chunks[] = { 1, 65536 };
	struct stream s;

	build(&s, hours, rate_hz, per_frame);
	printf("%.1f h at %u Hz, %u samples/frame: %u frames, %.1f MB on the wire\n", hours, rate_hz,
	       per_frame, s.frames, (double)s.len / 1e6);
	for (size_t c = 0; c < 2; c++) {
		for (int with_msg = 0; with_msg <= 1; with_msg++) {
			struct np_frame_stats st;
			double t = decode(&s, chunks[c], with_msg, &st);

			printf("  %5zu-byte chunks, %-15s %8.3f s  %12.0f frames/s  %8.1f MB/s"
			       "  (ok %u, crc %u, malformed %u, gaps %u)\n",
			       chunks[c], with_msg ? "frames+messages" : "frames only", t,
			       (double)st.frames_ok / t, (double)s.len / 1e6 / t, st.frames_ok,
			       st.crc_errors, st.malformed, st.seq_gaps);
		}
	}
	free(s.b);
}

int main(int argc, char **argv)
{
	double hours = argc > 1 ? atof(argv[1]) : 8.0;

	if (!(hours > 0 && hours <= 48)) {
		fprintf(stderr, "usage: bench_frame_decoder [hours (0-48]]\n");
		return 2;
	}
	scenario(hours, 25, 25);
	scenario(hours, 100, 100);
	scenario(hours, 100, 10);
	return 0;
}
