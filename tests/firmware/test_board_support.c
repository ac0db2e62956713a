/* Board support that runs on the host: reset-reason decoding and the QEMU sample source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "board_common.h"
#include "np_msg.h"
#include "np_posture.h"
#include "sensor_source.h"

#define POR (1u << 27)
#define PIN (1u << 26)
#define BOR (1u << 25)
#define SFT (1u << 28)
#define IWDG (1u << 29)

static void test_reset_reason(void **state)
{
	(void)state;
	uint32_t fault = BOARD_NOINIT_MAGIC | NP_RESET_FAULT;
	/* Power-on sets POR, PIN and BOR together; garbage in no-init RAM is ignored then. */
	assert_int_equal(board_reset_reason_decode(POR | PIN | BOR, fault, false), NP_RESET_POWER_ON);
	assert_int_equal(board_reset_reason_decode(PIN, 0, false), NP_RESET_PIN);
	assert_int_equal(board_reset_reason_decode(BOR | PIN, 0, false), NP_RESET_BROWNOUT);
	assert_int_equal(board_reset_reason_decode(IWDG | PIN, fault, false), NP_RESET_WATCHDOG);
	/* The fault handler resets through SYSRESETREQ: SFT and PIN are set, the note says why. */
	assert_int_equal(board_reset_reason_decode(SFT | PIN, fault, false), NP_RESET_FAULT);
	assert_int_equal(board_reset_reason_decode(SFT | PIN, 0x12345678u, false), NP_RESET_SOFTWARE);
	/* QEMU: no RCC, CSR reads 0. */
	assert_int_equal(board_reset_reason_decode(0, 0, true), NP_RESET_POWER_ON);
	assert_int_equal(board_reset_reason_decode(0, fault, true), NP_RESET_FAULT);
	assert_int_equal(board_reset_reason_decode(0, 0, false), NP_RESET_UNKNOWN);
}

static void test_record_parser(void **state)
{
	(void)state;
	struct qsrc q;
	struct np_sample s[4];
	/* Two junk bytes, one record, half a record. */
	const uint8_t in[] = { 0x00, 0x42, 0xA5, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0xA5, 0x10, 0x00 };
	const uint8_t rest[] = { 0x20, 0x00, 0x30, 0x00 };

	qsrc_init(&q);
	assert_false(q.external);
	assert_int_equal(qsrc_parse(&q, in, sizeof in), sizeof in);
	assert_true(q.external);
	assert_int_equal(qsrc_take(&q, 0, s, 4), 1);
	assert_int_equal(s[0].x, 1);
	assert_int_equal(s[0].y, -1);
	assert_int_equal(s[0].z, -32768);
	assert_int_equal(q.sync_errors, 2);
	assert_int_equal(qsrc_parse(&q, rest, sizeof rest), sizeof rest);
	assert_int_equal(qsrc_take(&q, 0, s, 4), 1);
	assert_int_equal(s[0].x, 16);
	assert_int_equal(s[0].y, 32);
	assert_int_equal(s[0].z, 48);
	assert_int_equal(qsrc_take(&q, 1, s, 4), 0);
	assert_false(q.seen_1);
}

/* 0xA6 records go to sensor 1, in order, apart from the chest's; a full queue stops the parser. */
static void test_record_parser_two_sensors(void **state)
{
	(void)state;
	struct qsrc q;
	struct np_sample s[QSRC_QUEUE_LEN];
	uint8_t in[(QSRC_QUEUE_LEN + 1u) * 2u * QSRC_RECORD_LEN];
	size_t len = 0;

	qsrc_init(&q);
	for (int i = 0; i < (int)QSRC_QUEUE_LEN + 1; i++) {
		for (uint8_t id = 0; id < 2; id++) {
			const uint8_t rec[] = { (uint8_t)(QSRC_SYNC + id), (uint8_t)i, 0, id, 0, 0xE8, 0x03 };
			memcpy(in + len, rec, sizeof rec);
			len += sizeof rec;
		}
	}
	/* Room for whole queues only: the 33rd pair stays in the input. */
	assert_int_equal(qsrc_room(&q), QSRC_QUEUE_LEN * QSRC_RECORD_LEN);
	size_t used = qsrc_parse(&q, in, len);
	assert_int_equal(used, QSRC_QUEUE_LEN * 2u * QSRC_RECORD_LEN);
	assert_true(q.seen_1);
	assert_int_equal(qsrc_room(&q), 0);
	assert_int_equal(qsrc_take(&q, 1, s, 5), 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(s[i].x, i);
		assert_int_equal(s[i].y, 1);
		assert_int_equal(s[i].z, 1000);
	}
	assert_int_equal(qsrc_take(&q, 0, s, QSRC_QUEUE_LEN), QSRC_QUEUE_LEN);
	for (int i = 0; i < (int)QSRC_QUEUE_LEN; i++) {
		assert_int_equal(s[i].x, i);
		assert_int_equal(s[i].y, 0);
	}
	/* The sensor-1 queue still holds 27: 5 more records fit. */
	assert_int_equal(qsrc_room(&q), 5u * QSRC_RECORD_LEN);
	assert_int_equal(qsrc_parse(&q, in + used, len - used), len - used);
	assert_int_equal(qsrc_take(&q, 1, s, QSRC_QUEUE_LEN), QSRC_QUEUE_LEN - 5u + 1u);
	assert_int_equal(s[0].x, 5);
	assert_int_equal(s[QSRC_QUEUE_LEN - 5u].x, (int)QSRC_QUEUE_LEN);
	assert_int_equal(qsrc_take(&q, 0, s, QSRC_QUEUE_LEN), 1);
	assert_int_equal(s[0].x, (int)QSRC_QUEUE_LEN);
}

static void test_synthetic_night(void **state)
{
	(void)state;
	struct qsrc q;
	struct np_sample s[64];

	qsrc_init(&q);
	qsrc_configure(&q, 25, 0);
	/* 1 s at 25 Hz: samples for t = 0, 40, ..., 1000. */
	assert_int_equal(qsrc_synth(&q, 1000, s, 64), 26);
	assert_int_equal(qsrc_synth(&q, 1000, s, 64), 0);
	/* The night visits prone after the default 15-minute alert delay, long enough to alert. */
	assert_int_equal(qsrc_synth_position(40u * 60000u), NP_POS_PRONE);
	assert_int_equal(qsrc_synth_position(10u * 60000u), NP_POS_SUPINE);
	/* Once USART2 has spoken, the synthetic night stays quiet. */
	const uint8_t rec[] = { 0xA5, 1, 0, 2, 0, 3, 0 };
	qsrc_parse(&q, rec, sizeof rec);
	assert_int_equal(qsrc_synth(&q, 60000, s, 64), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_reason),
		cmocka_unit_test(test_record_parser),
		cmocka_unit_test(test_record_parser_two_sensors),
		cmocka_unit_test(test_synthetic_night),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
