#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_frame.h"
#include "np_msg.h"

/*
 * One table row per message type, so that the generic checks (capacity, short
 * payloads, trailing bytes, the trip through a frame) run for all of them,
 * through np_msg_encode() and np_msg_decode().
 */
struct msg_kind {
	const char *name;
	uint8_t type;
	size_t size;        /* sizeof the struct */
	bool fixed;         /* fixed length: longer payloads decode, extra ignored */
};

#define KIND(t, name, fixed) { #name, t, sizeof(struct np_##name), fixed }

static const struct msg_kind kinds[] = {
	KIND(NP_MSG_HELLO, hello, true),
	KIND(NP_MSG_SAMPLES, samples, false),
	KIND(NP_MSG_STATUS, status, true),
	KIND(NP_MSG_EVENT, event, true),
	KIND(NP_MSG_ANNOTATION, annotation, false),
	KIND(NP_MSG_COMMAND, command, true),
	KIND(NP_MSG_ACK, ack, true),
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static int kind_encode(const struct msg_kind *k, const union np_msg_any *m, uint8_t *out, size_t cap, size_t *n)
{
	return np_msg_encode(k->type, m, out, cap, n);
}

static int kind_decode(const struct msg_kind *k, const uint8_t *p, size_t len, union np_msg_any *m)
{
	return np_msg_decode(k->type, p, len, m);
}

/*
 * Fill a message of kind k at its minimum (max == false: zero fields, smallest
 * count and text) or maximum (all-ones fields, largest count and text). The
 * struct is zeroed first, so padding and the text tail compare equal after a decode.
 */
static void fill(const struct msg_kind *k, bool max, union np_msg_any *u)
{
	uint8_t v8 = max ? 0xFF : 0;
	uint16_t v16 = max ? 0xFFFF : 0;
	uint32_t v32 = max ? 0xFFFFFFFFu : 0;

	memset(u, 0, sizeof *u);
	switch (k->type) {
	case NP_MSG_HELLO:
		u->hello = (struct np_hello){ v8, v8, v8, v8, "", v8, v8, v8, v8, v32, v16, v32 };
		if (max)
			memcpy(u->hello.serial, "NP-0123456789ABC", NP_SERIAL_LEN);
		break;
	case NP_MSG_SAMPLES:
		u->samples.sensor_id = v8;
		u->samples.count = max ? NP_SAMPLES_MAX : 1;
		u->samples.period_ticks = v16;
		u->samples.first_tick = v32;
		for (size_t i = 0; i < u->samples.count; i++) {
			/* Both int16 extremes, and sign changes across the triplet. */
			u->samples.s[i].x = max ? INT16_MIN : 0;
			u->samples.s[i].y = max ? INT16_MAX : 0;
			u->samples.s[i].z = (int16_t)(max ? -1 - (int)i : 0);
		}
		break;
	case NP_MSG_STATUS:
		u->status = (struct np_status){ v32, v32, v32, v32, v8, v8, v16, v8, v32 };
		break;
	case NP_MSG_EVENT:
		u->event = (struct np_event){ v32, v8, v8, v8, v8, v32 };
		break;
	case NP_MSG_ANNOTATION:
		u->annotation.start_tick = v32;
		u->annotation.end_tick = v32;
		u->annotation.kind = v8;
		u->annotation.position = v8;
		u->annotation.text_len = max ? NP_ANNOTATION_TEXT_MAX : 0;
		for (size_t i = 0; i < u->annotation.text_len; i++)
			u->annotation.text[i] = (char)('a' + i % 26);
		break;
	case NP_MSG_COMMAND:
		u->command = (struct np_command){ v8, v8, v16, v32 };
		break;
	case NP_MSG_ACK:
		u->ack = (struct np_ack){ v16, v8, v8, v32 };
		break;
	}
}

static size_t expected_len(const struct msg_kind *k, const union np_msg_any *u)
{
	switch (k->type) {
	case NP_MSG_HELLO: return NP_HELLO_LEN;
	case NP_MSG_SAMPLES: return NP_SAMPLES_HEADER_LEN + 6u * u->samples.count;
	case NP_MSG_STATUS: return NP_STATUS_LEN;
	case NP_MSG_EVENT: return NP_EVENT_LEN;
	case NP_MSG_ANNOTATION: return NP_ANNOTATION_HEADER_LEN + u->annotation.text_len;
	case NP_MSG_COMMAND: return NP_COMMAND_LEN;
	case NP_MSG_ACK: return NP_ACK_LEN;
	}
	return 0;
}

/* Every message at min and max: direct round trip, and through a frame and the decoder. */
static void round_trip_min_max(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_KINDS; i++) {
		for (int max = 0; max <= 1; max++) {
			const struct msg_kind *k = &kinds[i];
			union np_msg_any in, out;
			uint8_t pl[NP_PAYLOAD_MAX], wire[NP_FRAME_WIRE_MAX], scratch[NP_FRAME_WIRE_MAX];
			struct np_frame_decoder dec;
			struct np_frame f;
			size_t n, wn, used;

			print_message("%s %s\n", k->name, max ? "max" : "min");
			fill(k, max, &in);
			assert_int_equal(kind_encode(k, &in, pl, sizeof pl, &n), NP_OK);
			assert_int_equal(n, expected_len(k, &in));
			assert_true(n <= NP_PAYLOAD_MAX);
			memset(&out, 0xA5, sizeof out);
			assert_int_equal(kind_decode(k, pl, n, &out), NP_OK);
			assert_memory_equal(&in, &out, k->size);

			assert_int_equal(np_frame_encode(k->type, 9, pl, n, wire, sizeof wire, &wn), NP_OK);
			np_frame_decoder_init(&dec, scratch, sizeof scratch);
			assert_int_equal(np_frame_decoder_feed(&dec, wire, wn, &used, &f), NP_OK);
			assert_int_equal(f.type, k->type);
			assert_int_equal(f.len, n);
			memset(&out, 0x5A, sizeof out);
			assert_int_equal(kind_decode(k, f.payload, f.len, &out), NP_OK);
			assert_memory_equal(&in, &out, k->size);
		}
	}
}

static void encode_capacity_and_args(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_KINDS; i++) {
		const struct msg_kind *k = &kinds[i];
		union np_msg_any in;
		uint8_t pl[NP_PAYLOAD_MAX];
		size_t need, n = 1;

		fill(k, true, &in);
		assert_int_equal(kind_encode(k, &in, pl, sizeof pl, &need), NP_OK);
		assert_int_equal(kind_encode(k, &in, pl, need - 1, &n), NP_ERR_NOSPACE);
		assert_int_equal(n, 0);
		assert_int_equal(kind_encode(k, &in, pl, need, &n), NP_OK);
		assert_int_equal(kind_encode(k, NULL, pl, sizeof pl, &n), NP_ERR_ARG);
		assert_int_equal(kind_encode(k, &in, NULL, sizeof pl, &n), NP_ERR_ARG);
		assert_int_equal(kind_encode(k, &in, pl, sizeof pl, NULL), NP_ERR_ARG);
		assert_int_equal(kind_decode(k, NULL, 4, &in), NP_ERR_ARG);
		assert_int_equal(kind_decode(k, pl, need, NULL), NP_ERR_ARG);
	}
}

/* Every payload one byte short is rejected; fixed-size ones accept (and ignore) a longer tail. */
static void decode_length_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_KINDS; i++) {
		const struct msg_kind *k = &kinds[i];
		union np_msg_any in, out;
		uint8_t pl[NP_PAYLOAD_MAX + 8];
		size_t n;

		for (int max = 0; max <= 1; max++) {
			print_message("%s %s\n", k->name, max ? "max" : "min");
			fill(k, max, &in);
			assert_int_equal(kind_encode(k, &in, pl, sizeof pl, &n), NP_OK);
			for (size_t len = 0; len < n; len++)
				assert_int_equal(kind_decode(k, pl, len, &out), NP_ERR_FRAME);
			memset(pl + n, 0x77, 8);
			if (k->fixed) {
				assert_int_equal(kind_decode(k, pl, n + 8, &out), NP_OK);
				assert_memory_equal(&in, &out, k->size);
			} else {
				assert_int_equal(kind_decode(k, pl, n + 1, &out), NP_ERR_FRAME);
			}
		}
	}
}

/* Every per-message function checks its own pointers, not only the dispatchers. */
static void null_args(void **state)
{
	union np_msg_any m;
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;

	(void)state;
	memset(&m, 0, sizeof m);
	m.samples.count = 1;
	assert_int_equal(np_hello_encode(NULL, pl, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_samples_encode(NULL, pl, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_samples_encode(&m.samples, NULL, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_status_encode(&m.status, pl, sizeof pl, NULL), NP_ERR_ARG);
	assert_int_equal(np_event_encode(NULL, pl, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_annotation_encode(NULL, pl, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_command_encode(&m.command, NULL, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_ack_encode(NULL, pl, sizeof pl, &n), NP_ERR_ARG);
	assert_int_equal(np_hello_decode(NULL, NP_HELLO_LEN, &m.hello), NP_ERR_ARG);
	assert_int_equal(np_samples_decode(pl, 14, NULL), NP_ERR_ARG);
	assert_int_equal(np_status_decode(NULL, NP_STATUS_LEN, &m.status), NP_ERR_ARG);
	assert_int_equal(np_event_decode(pl, NP_EVENT_LEN, NULL), NP_ERR_ARG);
	assert_int_equal(np_annotation_decode(NULL, 11, &m.annotation), NP_ERR_ARG);
	assert_int_equal(np_command_decode(pl, NP_COMMAND_LEN, NULL), NP_ERR_ARG);
	assert_int_equal(np_ack_decode(NULL, NP_ACK_LEN, &m.ack), NP_ERR_ARG);
}

/* Types outside enum np_msg_type are not messages the dispatchers know. */
static void unknown_type(void **state)
{
	union np_msg_any m;
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n = 5;

	(void)state;
	memset(&m, 0, sizeof m);
	memset(pl, 0, sizeof pl);
	assert_int_equal(np_msg_encode(0x7F, &m, pl, sizeof pl, &n), NP_ERR_UNSUPP);
	assert_int_equal(n, 0);
	assert_int_equal(np_msg_decode(0x00, pl, 40, &m), NP_ERR_UNSUPP);
	assert_int_equal(np_msg_decode(0x06, pl, 40, &m), NP_ERR_UNSUPP);
}

static void samples_count_rules(void **state)
{
	struct np_samples s;
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;

	(void)state;
	memset(&s, 0, sizeof s);
	s.count = 0;
	assert_int_equal(np_samples_encode(&s, pl, sizeof pl, &n), NP_ERR_RANGE);
	s.count = NP_SAMPLES_MAX + 1;
	assert_int_equal(np_samples_encode(&s, pl, sizeof pl, &n), NP_ERR_RANGE);
	s.count = 2;
	assert_int_equal(np_samples_encode(&s, pl, sizeof pl, &n), NP_OK);
	/* count 0 with a header-only payload; count that disagrees with the length. */
	pl[1] = 0;
	assert_int_equal(np_samples_decode(pl, NP_SAMPLES_HEADER_LEN, &s), NP_ERR_FRAME);
	pl[1] = 3;
	assert_int_equal(np_samples_decode(pl, n, &s), NP_ERR_FRAME);
	pl[1] = 1;
	assert_int_equal(np_samples_decode(pl, n, &s), NP_ERR_FRAME);
	pl[1] = 2;
	assert_int_equal(np_samples_decode(pl, n, &s), NP_OK);
	/* 129 samples would fit the payload limit but not the struct. */
	memset(pl, 0, sizeof pl);
	pl[1] = NP_SAMPLES_MAX + 1;
	assert_int_equal(np_samples_decode(pl, NP_SAMPLES_HEADER_LEN + 6u * (NP_SAMPLES_MAX + 1), &s),
			 NP_ERR_FRAME);
}

static void annotation_text_rules(void **state)
{
	struct np_annotation a;
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;

	(void)state;
	memset(&a, 0, sizeof a);
	a.text_len = NP_ANNOTATION_TEXT_MAX + 1;
	assert_int_equal(np_annotation_encode(&a, pl, sizeof pl, &n), NP_ERR_RANGE);
	memcpy(a.text, "ab\0d", 4);
	a.text_len = 4;
	assert_int_equal(np_annotation_encode(&a, pl, sizeof pl, &n), NP_ERR_RANGE);
	memcpy(a.text, "prone", 6);
	a.text_len = 5;
	assert_int_equal(np_annotation_encode(&a, pl, sizeof pl, &n), NP_OK);
	assert_int_equal(np_annotation_decode(pl, n, &a), NP_OK);
	assert_string_equal(a.text, "prone");
	pl[NP_ANNOTATION_HEADER_LEN + 2] = 0;
	assert_int_equal(np_annotation_decode(pl, n, &a), NP_ERR_FRAME);
	pl[NP_ANNOTATION_HEADER_LEN + 2] = 'o';
	pl[10] = 4;
	assert_int_equal(np_annotation_decode(pl, n, &a), NP_ERR_FRAME);
	/* A text length above the limit is rejected even if the payload agrees. */
	memset(pl, 'x', sizeof pl);
	pl[10] = NP_ANNOTATION_TEXT_MAX + 1;
	assert_int_equal(np_annotation_decode(pl, NP_ANNOTATION_HEADER_LEN + NP_ANNOTATION_TEXT_MAX + 1u,
					      &a), NP_ERR_FRAME);
}

/* A serial shorter than 16 characters is NUL-padded; a full one has no NUL on the wire. */
static void hello_serial(void **state)
{
	struct np_hello h, back;
	uint8_t pl[NP_HELLO_LEN];
	size_t n;

	(void)state;
	memset(&h, 0, sizeof h);
	strcpy(h.serial, "NP1");
	assert_int_equal(np_hello_encode(&h, pl, sizeof pl, &n), NP_OK);
	assert_memory_equal(pl + 4, "NP1\0\0\0\0\0\0\0\0\0\0\0\0\0", NP_SERIAL_LEN);
	assert_int_equal(np_hello_decode(pl, n, &back), NP_OK);
	assert_string_equal(back.serial, "NP1");
	memset(pl + 4, 'Z', NP_SERIAL_LEN);
	assert_int_equal(np_hello_decode(pl, n, &back), NP_OK);
	assert_int_equal(strlen(back.serial), NP_SERIAL_LEN);
}

/* Pin the byte layouts documented in docs/PROTOCOL.md. */
static void golden_layouts(void **state)
{
	uint8_t pl[NP_PAYLOAD_MAX];
	size_t n;

	(void)state;
	struct np_hello h = { 1, 0, 3, 2, "NP-0001", NP_SENSOR_LIS3DH, 1, 4, NP_RESET_POWER_ON,
			      25000, 1000, 32768 };
	static const uint8_t hello[NP_HELLO_LEN] = {
		0x01, 0x00, 0x03, 0x02, 'N', 'P', '-', '0', '0', '0', '1', 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x01, 0x01, 0x04, 0x01, 0xA8, 0x61, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0xE8, 0x03,
	};
	assert_int_equal(np_hello_encode(&h, pl, sizeof pl, &n), NP_OK);
	assert_int_equal(n, sizeof hello);
	assert_memory_equal(pl, hello, sizeof hello);

	struct np_samples s = { .sensor_id = 1, .count = 2, .period_ticks = 40, .first_tick = 0x01020304,
				.s = { { 1, -1, 1000 }, { -1000, 0, 256 } } };
	static const uint8_t samples[] = {
		0x01, 0x02, 0x28, 0x00, 0x04, 0x03, 0x02, 0x01,
		0x01, 0x00, 0xFF, 0xFF, 0xE8, 0x03, 0x18, 0xFC, 0x00, 0x00, 0x00, 0x01,
	};
	assert_int_equal(np_samples_encode(&s, pl, sizeof pl, &n), NP_OK);
	assert_int_equal(n, sizeof samples);
	assert_memory_equal(pl, samples, sizeof samples);

	struct np_status st = { .uptime_ticks = 0x11, .fifo_overruns = 0x22, .samples_dropped = 0x33,
				.link_rx_errors = 0x44, .alert_state = NP_ALERT_COUNTING,
				.alert_level = 1, .battery_mv = 3700, .flags = NP_STATUS_STREAMING,
				.tick = 0xAABBCCDD };
	static const uint8_t status[NP_STATUS_LEN] = {
		0xDD, 0xCC, 0xBB, 0xAA, 0x11, 0, 0, 0, 0x22, 0, 0, 0, 0x33, 0, 0, 0, 0x44, 0, 0, 0,
		0x74, 0x0E, 0x02, 0x01, 0x01,
	};
	assert_int_equal(np_status_encode(&st, pl, sizeof pl, &n), NP_OK);
	assert_int_equal(n, sizeof status);
	assert_memory_equal(pl, status, sizeof status);

	struct np_event ev = { 0x100, NP_EVENT_ALERT_FIRED, 2, 3, 0, 600 };
	static const uint8_t event[NP_EVENT_LEN] = { 0x00, 0x01, 0, 0, 0x02, 0x02, 0x03, 0x00,
						     0x58, 0x02, 0, 0 };
	assert_int_equal(np_event_encode(&ev, pl, sizeof pl, &n), NP_OK);
	assert_memory_equal(pl, event, sizeof event);

	struct np_annotation an = { .start_tick = 1, .end_tick = 2, .kind = NP_ANN_NOTE, .position = 6,
				    .text_len = 2, .text = "hi" };
	static const uint8_t annotation[] = { 1, 0, 0, 0, 2, 0, 0, 0, 0x02, 0x06, 0x02, 'h', 'i' };
	assert_int_equal(np_annotation_encode(&an, pl, sizeof pl, &n), NP_OK);
	assert_int_equal(n, sizeof annotation);
	assert_memory_equal(pl, annotation, sizeof annotation);

	struct np_command c = { NP_CMD_VIBRATE, 2, 500, 0xF0F0F0F0u };
	static const uint8_t command[NP_COMMAND_LEN] = { 0x05, 0x02, 0xF4, 0x01, 0xF0, 0xF0, 0xF0, 0xF0 };
	assert_int_equal(np_command_encode(&c, pl, sizeof pl, &n), NP_OK);
	assert_memory_equal(pl, command, sizeof command);

	struct np_ack a = { 0x1234, NP_CMD_SELF_TEST, NP_ACK_OK, 7 };
	static const uint8_t ack[NP_ACK_LEN] = { 0x34, 0x12, 0x07, 0x00, 0x07, 0, 0, 0 };
	assert_int_equal(np_ack_encode(&a, pl, sizeof pl, &n), NP_OK);
	assert_memory_equal(pl, ack, sizeof ack);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_min_max),
		cmocka_unit_test(encode_capacity_and_args),
		cmocka_unit_test(decode_length_rules),
		cmocka_unit_test(null_args),
		cmocka_unit_test(unknown_type),
		cmocka_unit_test(samples_count_rules),
		cmocka_unit_test(annotation_text_rules),
		cmocka_unit_test(hello_serial),
		cmocka_unit_test(golden_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
