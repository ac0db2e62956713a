/*
 * End to end: the QEMU firmware, booted in qemu-system-arm, talked to through
 * its PTYs with libserialport. One QEMU for the group; the group teardown (and
 * PR_SET_PDEATHSIG) always ends it. Waits are generous; nothing asserts timing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "np_cobs.h"
#include "np_err.h"
#include "np_posture.h"
#include "qemu_board.h"

#ifndef NP_FW_QEMU_ELF
#error "NP_FW_QEMU_ELF must name the QEMU firmware image"
#endif

#define CSV NP_SHARED_DATASETS "/sleep-position-classification/axel_20220610_193124.csv"
#define WAIT_MS 30000u
#define MAX_ROWS 1000

static struct qemu_board qb;

struct row {
	int16_t x, y, z;
	int position;
	int16_t ax, ay, az; /* ankle */
};
static struct row rows[MAX_ROWS];
static size_t n_rows;

static int load_rows(void)
{
	FILE *fp = fopen(CSV, "r");
	char line[256];
	if (!fp)
		return -1;
	if (!fgets(line, sizeof line, fp)) { /* header */
		fclose(fp);
		return -1;
	}
	while (n_rows < MAX_ROWS && fgets(line, sizeof line, fp)) {
		int v[7];
		if (sscanf(line, "%d;%d;%d;%d;%d;%d;%d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6]) != 7)
			continue;
		rows[n_rows++] = (struct row){ (int16_t)v[0], (int16_t)v[1], (int16_t)v[2], v[6],
					       (int16_t)v[3], (int16_t)v[4], (int16_t)v[5] };
	}
	fclose(fp);
	return n_rows > 100 ? 0 : -1;
}

static int group_setup(void **state)
{
	(void)state;
	if (load_rows() != 0) {
		fprintf(stderr, "cannot read %s\n", CSV);
		return -1;
	}
	return qemu_board_start(&qb, NP_FW_QEMU_ELF);
}

static int group_teardown(void **state)
{
	(void)state;
	qemu_board_stop(&qb);
	return 0;
}

static struct np_ack call(uint8_t cmd, uint8_t arg8, uint16_t arg16, uint32_t arg32)
{
	struct np_ack ack;
	memset(&ack, 0, sizeof ack);
	assert_int_equal(qemu_board_call(&qb, cmd, arg8, arg16, arg32, &ack, WAIT_MS, NULL, NULL), 0);
	assert_int_equal(ack.cmd, cmd);
	return ack;
}

/* Wait for a frame of type; others are skipped. */
static void wait_type(uint8_t type, struct np_frame *f)
{
	for (;;) {
		assert_int_equal(qemu_board_frame(&qb, f, WAIT_MS), 0);
		if (f->type == type)
			return;
	}
}

static struct np_status request_status(void)
{
	struct np_status st;
	struct np_frame f;
	int seq = qemu_board_command(&qb, NP_CMD_STATUS, 0, 0, 0);
	assert_true(seq >= 0);
	/* STATUS answers come before their ACK; periodic ones may come first, so take the last
	 * STATUS seen before the ACK. */
	bool have = false;
	for (;;) {
		assert_int_equal(qemu_board_frame(&qb, &f, WAIT_MS), 0);
		if (f.type == NP_MSG_STATUS) {
			assert_int_equal(np_status_decode(f.payload, f.len, &st), NP_OK);
			have = true;
		}
		struct np_ack a;
		if (f.type == NP_MSG_ACK && np_ack_decode(f.payload, f.len, &a) == NP_OK &&
		    a.cmd_seq == (uint16_t)seq) {
			assert_int_equal(a.result, NP_ACK_OK);
			break;
		}
	}
	assert_true(have);
	return st;
}

static void test_boot_sends_hello(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;
	struct np_samples s;

	/* The VM was paused until the PTYs were open: HELLO is the very first frame. */
	assert_int_equal(qemu_board_frame(&qb, &f, WAIT_MS), 0);
	assert_int_equal(f.type, NP_MSG_HELLO);
	assert_int_equal(f.seq, 0);
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	assert_int_equal(h.protocol_version, NP_PROTOCOL_VERSION);
	assert_int_equal(h.reset_reason, NP_RESET_POWER_ON);
	assert_int_equal(h.sensor_model, NP_SENSOR_SIMULATED);
	assert_int_equal(h.sensor_count, 1);
	assert_int_equal(h.rate_millihz, 25000);
	assert_int_equal(h.lsb_per_g, 1000);
	assert_int_equal(h.tick_hz, 1000);

	/* It was sent before the first second of emulated time: the synthetic night's
	 * first samples (which start at boot) follow it. */
	wait_type(NP_MSG_SAMPLES, &f);
	assert_int_equal(np_samples_decode(f.payload, f.len, &s), NP_OK);
	assert_true(s.first_tick < 1000);
	assert_int_equal(s.period_ticks, 40);
}

static void test_commands_are_acknowledged(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;

	assert_int_equal(call(NP_CMD_SET_RATE, 0, 50, 0).result, NP_ACK_OK);
	assert_int_equal(call(NP_CMD_SET_RANGE, 4, 0, 0).result, NP_ACK_OK);
	assert_int_equal(qemu_board_command(&qb, NP_CMD_HELLO, 0, 0, 0) >= 0, 1);
	wait_type(NP_MSG_HELLO, &f);
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	assert_int_equal(h.rate_millihz, 50000);
	assert_int_equal(h.range_g, 4);
	wait_type(NP_MSG_ACK, &f);

	assert_int_equal(call(NP_CMD_VIBRATE, 2, 300, 0x5).result, NP_ACK_OK);
	assert_int_equal(call(NP_CMD_IDENTIFY, 0, 0, 0).result, NP_ACK_OK);
	/* No accelerometer in QEMU, so no self-test: said so, not faked. */
	assert_int_equal(call(NP_CMD_SELF_TEST, 0, 0, 0).result, NP_ACK_UNSUPPORTED);
	assert_int_equal(call(NP_CMD_SET_RATE, 0, 30, 0).result, NP_ACK_BAD_ARG);
	assert_int_equal(call(NP_CMD_SET_RANGE, 5, 0, 0).result, NP_ACK_BAD_ARG);
	assert_int_equal(call(0x6E, 0, 0, 0).result, NP_ACK_UNSUPPORTED);
	assert_int_equal(call(NP_CMD_SET_RATE, 0, 25, 0).result, NP_ACK_OK);
	assert_int_equal(call(NP_CMD_SET_RANGE, 2, 0, 0).result, NP_ACK_OK);
	assert_int_equal(call(NP_CMD_STOP, 0, 0, 0).result, NP_ACK_OK);
	assert_int_equal(call(NP_CMD_START, 0, 0, 0).result, NP_ACK_OK);
	struct np_status st = request_status();
	assert_true(st.flags & NP_STATUS_STREAMING);
}

static void test_garbage_is_ignored_and_counted(void **state)
{
	(void)state;
	uint32_t before = request_status().link_rx_errors;
	/* Line noise, a COMMAND whose CRC does not match, and a run longer than any command. */
	static const uint8_t noise[] = { 0x31, 0x32, 0x33, 0x00 };
	uint8_t payload[NP_COMMAND_LEN] = { NP_CMD_STOP }, raw[64], wire[80], longrun[300];
	size_t rlen, wlen;
	assert_int_equal(np_frame_build_raw(NP_MSG_COMMAND, 77, payload, sizeof payload, raw,
					    sizeof raw, &rlen), NP_OK);
	raw[rlen - 1] ^= 0x5A;
	assert_int_equal(np_cobs_encode(raw, rlen, wire, sizeof wire - 1, &wlen), NP_OK);
	wire[wlen++] = 0x00;
	memset(longrun, 0x55, sizeof longrun);
	longrun[sizeof longrun - 1] = 0x00;
	assert_int_equal(qemu_board_send_raw(&qb, noise, sizeof noise), 0);
	assert_int_equal(qemu_board_send_raw(&qb, wire, wlen), 0);
	assert_int_equal(qemu_board_send_raw(&qb, longrun, sizeof longrun), 0);

	struct np_status st = request_status();
	assert_int_equal(st.link_rx_errors, before + 3);
	/* And the device still answers. */
	assert_int_equal(call(NP_CMD_IDENTIFY, 0, 0, 0).result, NP_ACK_OK);
}

struct collect {
	size_t got;
	size_t want;
	bool mismatch;
	size_t first_bad;
	bool ankle;     /* compare with the ankle columns (sensor 1) instead of the chest's */
};

static void check_run(struct collect *c, const struct np_samples *s)
{
	assert_int_equal(s->period_ticks, 40);
	for (unsigned i = 0; i < s->count; i++, c->got++) {
		const struct row *r = &rows[c->got < n_rows ? c->got : 0];
		int16_t x = c->ankle ? r->ax : r->x, y = c->ankle ? r->ay : r->y,
			z = c->ankle ? r->az : r->z;
		if (c->got >= c->want || s->s[i].x != x || s->s[i].y != y || s->s[i].z != z) {
			if (!c->mismatch)
				c->first_bad = c->got;
			c->mismatch = true;
		}
	}
}

static void collect_samples(struct collect *c, const struct np_frame *f)
{
	struct np_samples s;
	if (f->type != NP_MSG_SAMPLES)
		return;
	assert_int_equal(np_samples_decode(f->payload, f->len, &s), NP_OK);
	assert_int_equal(s.sensor_id, 0);
	check_run(c, &s);
}

/* c[0] chest, c[1] ankle: each frame's samples go to its sensor's check. */
static void collect_both(struct collect c[2], const struct np_frame *f)
{
	struct np_samples s;
	if (f->type != NP_MSG_SAMPLES)
		return;
	assert_int_equal(np_samples_decode(f->payload, f->len, &s), NP_OK);
	assert_true(s.sensor_id < 2);
	check_run(&c[s.sensor_id], &s);
}

/*
 * Every frame since the decoder had missed missed arrived, in order: no sequence
 * gaps, no CRC errors, no drops on the device, and all of the feed was taken.
 */
static void assert_nothing_lost(uint32_t missed)
{
	assert_int_equal(qb.dec.stats.frames_missed, missed);
	assert_int_equal(qb.dec.stats.crc_errors, 0);
	assert_int_equal(qb.dec.stats.malformed, 0);
	struct np_status st = request_status();
	assert_int_equal(st.samples_dropped, 0);
	assert_int_equal(qemu_board_feed_pending(&qb), 0);
}

/* Ask for HELLO until it says the samples are imported (the board has seen USART2 bytes). */
static struct np_hello hello_when_imported(void)
{
	struct np_frame f;
	struct np_hello h;
	for (int tries = 0;; tries++) {
		assert_true(tries < 100);
		assert_true(qemu_board_command(&qb, NP_CMD_HELLO, 0, 0, 0) >= 0);
		wait_type(NP_MSG_HELLO, &f);
		assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
		if (h.sensor_model == NP_SENSOR_IMPORTED)
			break;
	}
	wait_type(NP_MSG_ACK, &f);
	return h;
}

static void test_recording_comes_back_exactly(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;
	struct np_sample s[MAX_ROWS];

	/* Stop the synthetic stream, then switch the board to USART2 by feeding it. */
	assert_int_equal(call(NP_CMD_STOP, 0, 0, 0).result, NP_ACK_OK);
	for (size_t i = 0; i < n_rows; i++)
		s[i] = (struct np_sample){ rows[i].x, rows[i].y, rows[i].z };
	assert_int_equal(qemu_board_feed(&qb, s, n_rows), 0);
	h = hello_when_imported();
	assert_int_equal(h.sensor_count, 1);

	uint32_t missed = qb.dec.stats.frames_missed;
	assert_int_equal(call(NP_CMD_START, 0, 0, 0).result, NP_ACK_OK);
	struct collect c = { .want = n_rows };
	while (c.got < n_rows) {
		assert_int_equal(qemu_board_frame(&qb, &f, WAIT_MS), 0);
		collect_samples(&c, &f);
	}
	if (c.mismatch)
		fail_msg("sample %zu differs from row %zu of the recording", c.first_bad, c.first_bad + 2);
	assert_int_equal(c.got, n_rows);
	assert_nothing_lost(missed);
}

static void test_alert_fires_when_prone(void **state)
{
	(void)state;
	struct np_sample s[MAX_ROWS];
	size_t n = 0;
	struct np_frame f;
	struct np_event ev;

	/*
	 * Prone rows of the recording (protocol minute 4, without the first 20 rows of
	 * settling), in the firmware's default mounting: the dataset's chest axes map
	 * to the body frame as (-y, x, -z) (datasets/README.md), 256 counts per g -> mg.
	 */
	size_t seen = 0;
	for (size_t i = 0; i < n_rows && n < MAX_ROWS; i++) {
		if (rows[i].position != 4)
			continue;
		if (seen++ < 20)
			continue;
		s[n++] = (struct np_sample){ (int16_t)(-rows[i].y * 1000 / 256),
					     (int16_t)(rows[i].x * 1000 / 256),
					     (int16_t)(-rows[i].z * 1000 / 256) };
	}
	assert_true(n > 30);
	/* Prone for 3 s, no start delay. At 25 Hz each row is 40 ms of sample time, so
	 * feed the segment until the device says it fired. */
	assert_int_equal(call(NP_CMD_SET_ALERT, (uint8_t)NP_POS_BIT(NP_POS_PRONE), 3, 0).result,
			 NP_ACK_OK);
	bool fired = false;
	for (int round = 0; round < 20 && !fired; round++) {
		assert_int_equal(qemu_board_feed(&qb, s, n), 0);
		while (!fired && qemu_board_feed_pending(&qb) > 0) {
			assert_int_equal(qemu_board_frame(&qb, &f, WAIT_MS), 0);
			if (f.type == NP_MSG_EVENT) {
				assert_int_equal(np_event_decode(f.payload, f.len, &ev), NP_OK);
				fired = ev.kind == NP_EVENT_ALERT_FIRED;
			}
		}
		/* The last records may still be in flight: give them a second. */
		while (!fired && qemu_board_frame(&qb, &f, 1500) == 0) {
			if (f.type == NP_MSG_EVENT && np_event_decode(f.payload, f.len, &ev) == NP_OK)
				fired = ev.kind == NP_EVENT_ALERT_FIRED;
		}
	}
	assert_true(fired);
	assert_int_equal(ev.position, NP_POS_PRONE);
	assert_int_equal(ev.level, 1);
	assert_true(ev.value >= 3);
	struct np_status st = request_status();
	assert_int_equal(st.alert_state, NP_ALERT_FIRING);
}

/* A reset is never silence: the device comes back with a new HELLO and its reason. */
static void test_reset_sends_new_hello(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;

	assert_int_equal(qemu_board_monitor(&qb, "system_reset"), 0);
	wait_type(NP_MSG_HELLO, &f);
	assert_int_equal(f.seq, 0);
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	/* QEMU has no RCC reset flags and the no-init word holds no fault: power-on. */
	assert_int_equal(h.reset_reason, NP_RESET_POWER_ON);
	/* Back to defaults, streaming again, and answering. */
	assert_int_equal(h.rate_millihz, 25000);
	assert_int_equal(call(NP_CMD_IDENTIFY, 0, 0, 0).result, NP_ACK_OK);
	wait_type(NP_MSG_SAMPLES, &f);
}

/*
 * The second sensor: chest and ankle columns of the recording, interleaved on
 * USART2 (0xA5 and 0xA6 records), come back exactly, in order, each in its own
 * SAMPLES frames (sensor_id 0 and 1); from the first 0xA6 record on, HELLO
 * counts two sensors. Runs after the reset: the board starts with one.
 */
static void test_two_sensors_come_back_exactly(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;

	assert_int_equal(call(NP_CMD_STOP, 0, 0, 0).result, NP_ACK_OK);
	for (size_t i = 0; i < n_rows; i++) {
		const struct np_sample chest = { rows[i].x, rows[i].y, rows[i].z };
		const struct np_sample ankle = { rows[i].ax, rows[i].ay, rows[i].az };
		assert_int_equal(qemu_board_feed_sensor(&qb, 0, &chest, 1), 0);
		assert_int_equal(qemu_board_feed_sensor(&qb, 1, &ankle, 1), 0);
	}
	/* Sampling is stopped: nothing parsed yet, one sensor so far. */
	h = hello_when_imported();
	assert_int_equal(h.sensor_count, 1);

	uint32_t missed = qb.dec.stats.frames_missed;
	assert_int_equal(call(NP_CMD_START, 0, 0, 0).result, NP_ACK_OK);
	struct collect c[2] = { { .want = n_rows }, { .want = n_rows, .ankle = true } };
	while (c[0].got < n_rows || c[1].got < n_rows) {
		assert_int_equal(qemu_board_frame(&qb, &f, WAIT_MS), 0);
		collect_both(c, &f);
	}
	if (c[0].mismatch)
		fail_msg("chest sample %zu differs from row %zu", c[0].first_bad, c[0].first_bad + 2);
	if (c[1].mismatch)
		fail_msg("ankle sample %zu differs from row %zu", c[1].first_bad, c[1].first_bad + 2);
	assert_nothing_lost(missed);

	assert_true(qemu_board_command(&qb, NP_CMD_HELLO, 0, 0, 0) >= 0);
	wait_type(NP_MSG_HELLO, &f);
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	assert_int_equal(h.sensor_count, 2);
	wait_type(NP_MSG_ACK, &f);
}

/*
 * The fault path after the handler: the reason word in .noinit must survive
 * startup and reach HELLO. QEMU cannot make the firmware fault on demand, so a
 * generic loader writes the note the HardFault handler leaves (magic | FAULT)
 * at the word's address before every reset, and the firmware must report it.
 */
static struct qemu_board qb_fault;

static int fault_setup(void **state)
{
	char cmd[512], device[128];
	unsigned long addr = 0;
	(void)state;
	snprintf(cmd, sizeof cmd, "%s %s", NP_ARM_NM, NP_FW_QEMU_ELF);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[256];
	while (fgets(line, sizeof line, p)) {
		char name[128], type;
		unsigned long a;
		if (sscanf(line, "%lx %c %127s", &a, &type, name) == 3 && strcmp(name, "noinit_reason") == 0)
			addr = a;
	}
	pclose(p);
	if (addr == 0) {
		fprintf(stderr, "noinit_reason not found in %s\n", NP_FW_QEMU_ELF);
		return -1;
	}
	snprintf(device, sizeof device, "loader,addr=0x%lx,data=0x%x,data-len=4", addr,
		 0x4E500000u | NP_RESET_FAULT);
	return qemu_board_start_with(&qb_fault, NP_FW_QEMU_ELF, device);
}

static int fault_teardown(void **state)
{
	(void)state;
	qemu_board_stop(&qb_fault);
	return 0;
}

static void test_fault_note_reaches_hello(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;
	assert_int_equal(qemu_board_frame(&qb_fault, &f, WAIT_MS), 0);
	assert_int_equal(f.type, NP_MSG_HELLO);
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	assert_int_equal(h.reset_reason, NP_RESET_FAULT);
}

int main(void)
{
	const struct CMUnitTest fault_tests[] = {
		cmocka_unit_test(test_fault_note_reaches_hello),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_sends_hello),
		cmocka_unit_test(test_commands_are_acknowledged),
		cmocka_unit_test(test_garbage_is_ignored_and_counted),
		cmocka_unit_test(test_recording_comes_back_exactly),
		cmocka_unit_test(test_alert_fires_when_prone),
		cmocka_unit_test(test_reset_sends_new_hello),
		cmocka_unit_test(test_two_sensors_come_back_exactly),
	};
	int failed = cmocka_run_group_tests(tests, group_setup, group_teardown);
	return failed | cmocka_run_group_tests(fault_tests, fault_setup, fault_teardown);
}
