/* fw_app.c on a fake board: every COMMAND gets one ACK, and the device acts on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_board.h"
#include "fw_app.h"
#include "fw_test_util.h"

static struct fake_board fb;
static struct fw_app app;

static int setup(void **state)
{
	(void)state;
	fake_board_init(&fb);
	fb.now_ms = 100;
	fw_app_init(&app, &fb.board);
	return 0;
}

static struct np_ack run(uint8_t cmd, uint8_t arg8, uint16_t arg16, uint32_t arg32)
{
	uint16_t seq = fake_board_host_command(&fb, cmd, arg8, arg16, arg32);
	fw_app_poll(&app);
	struct np_ack a = next_ack(&fb);
	assert_int_equal(a.cmd_seq, seq);
	assert_int_equal(a.cmd, cmd);
	return a;
}

static void test_boot_hello(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_hello h;
	assert_int_equal(fake_board_next_frame(&fb, &f), NP_OK);
	assert_int_equal(f.type, NP_MSG_HELLO);
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	assert_string_equal(h.serial, "FAKE-0001");
	assert_int_equal(h.reset_reason, NP_RESET_POWER_ON);
	assert_int_equal(h.rate_millihz, 25000);
	assert_int_equal(h.range_g, 2);
	assert_int_equal(h.lsb_per_g, 1000);
	assert_int_equal(h.tick_hz, 1000);
	/* Sampling starts without a host: the alert needs it. */
	assert_int_equal(fb.rate_hz, 25);
}

static void test_every_command_acked(void **state)
{
	(void)state;
	assert_int_equal(run(NP_CMD_STOP, 0, 0, 0).result, NP_ACK_OK);
	assert_int_equal(fb.rate_hz, 0);
	assert_int_equal(run(NP_CMD_SET_RATE, 0, 100, 0).result, NP_ACK_OK);
	assert_int_equal(fb.rate_hz, 0); /* stopped: applied at START */
	assert_int_equal(run(NP_CMD_SET_RANGE, 8, 0, 0).value, 8);
	assert_int_equal(run(NP_CMD_START, 0, 0, 0).result, NP_ACK_OK);
	assert_int_equal(fb.rate_hz, 100);
	assert_int_equal(fb.range_g, 8);
	assert_int_equal(run(NP_CMD_SET_RATE, 0, 10, 0).value, 10);
	assert_int_equal(fb.rate_hz, 10);
	assert_int_equal(run(NP_CMD_VIBRATE, 2, 500, 0).result, NP_ACK_OK);
	assert_int_equal(fb.motor_level, 2);
	fb.now_ms += 600;
	fw_app_poll(&app);
	assert_int_equal(fb.motor_level, 0);
	assert_int_equal(run(NP_CMD_IDENTIFY, 0, 0, 0).result, NP_ACK_OK);
	assert_int_equal(fb.motor_level, 1);

	struct np_ack a = run(NP_CMD_SELF_TEST, 0, 0, 0);
	assert_int_equal(a.result, NP_ACK_OK);
	assert_int_equal(a.value, 7);
	fb.selftest_axes = 5;
	a = run(NP_CMD_SELF_TEST, 0, 0, 0);
	assert_int_equal(a.result, NP_ACK_FAILED);
	assert_int_equal(a.value, 5);
	fb.selftest_rc = NP_ERR_UNSUPP;
	assert_int_equal(run(NP_CMD_SELF_TEST, 0, 0, 0).result, NP_ACK_UNSUPPORTED);

	a = run(NP_CMD_SET_ALERT, (uint8_t)NP_POS_BIT(NP_POS_LEFT), 10, 60);
	assert_int_equal(a.result, NP_ACK_OK);
	assert_int_equal(a.value, NP_POS_BIT(NP_POS_LEFT)); /* the mask now in force */
	assert_int_equal(app.alert.engine.cfg.avoid_mask, NP_POS_BIT(NP_POS_LEFT));
	assert_int_equal(app.alert.engine.cfg.hold_ms, 10000);
	assert_int_equal(app.alert.engine.cfg.delay_ms, 60000);
}

static void test_hello_and_status_on_request(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_status st;
	assert_true(next_of_type(&fb, NP_MSG_HELLO, &f)); /* boot */

	uint16_t seq = fake_board_host_command(&fb, NP_CMD_HELLO, 0, 0, 0);
	fw_app_poll(&app);
	assert_true(next_of_type(&fb, NP_MSG_HELLO, &f));
	struct np_ack a = next_ack(&fb);
	assert_int_equal(a.cmd_seq, seq);
	assert_int_equal(a.result, NP_ACK_OK);

	fake_board_host_command(&fb, NP_CMD_STATUS, 0, 0, 0);
	fw_app_poll(&app);
	assert_true(next_of_type(&fb, NP_MSG_STATUS, &f));
	assert_int_equal(np_status_decode(f.payload, f.len, &st), NP_OK);
	assert_int_equal(st.uptime_ticks, 100);
	assert_true(st.flags & NP_STATUS_STREAMING);
	assert_int_equal(next_ack(&fb).result, NP_ACK_OK);
}

static void test_bad_arguments_nacked(void **state)
{
	(void)state;
	struct np_ack a = run(NP_CMD_SET_RATE, 0, 30, 0);
	assert_int_equal(a.result, NP_ACK_BAD_ARG);
	assert_int_equal(a.value, 0);
	assert_int_equal(run(NP_CMD_SET_RATE, 0, 0, 0).result, NP_ACK_BAD_ARG);
	assert_int_equal(run(NP_CMD_SET_RANGE, 3, 0, 0).result, NP_ACK_BAD_ARG);
	assert_int_equal(run(NP_CMD_VIBRATE, 4, 100, 0).result, NP_ACK_BAD_ARG);
	assert_int_equal(run(NP_CMD_SET_ALERT, 0x01, 30, 0).result, NP_ACK_BAD_ARG); /* unknown */
	assert_int_equal(run(NP_CMD_SET_ALERT, 0x80, 30, 0).result, NP_ACK_BAD_ARG);
	a = run(NP_CMD_SET_ALERT, 0x04, 0, 0);
	assert_int_equal(a.result, NP_ACK_BAD_ARG);
	assert_int_equal(a.value, NP_POS_BIT(NP_POS_PRONE)); /* refused: the default mask stays */
	assert_int_equal(run(NP_CMD_VIBRATE, 0, 100, 0).result, NP_ACK_BAD_ARG);
	assert_int_equal(fb.motor_level, 0);
	assert_int_equal(run(0x77, 0, 0, 0).result, NP_ACK_UNSUPPORTED);
	/* Nothing changed. */
	assert_int_equal(fb.rate_hz, 25);
	assert_int_equal(fb.range_g, 2);
	assert_int_equal(app.alert.engine.cfg.hold_ms, 30000);
}

static void test_short_command_payload_nacked(void **state)
{
	(void)state;
	uint8_t payload[3] = { NP_CMD_START, 0, 0 }, wire[32];
	size_t n;
	assert_int_equal(np_frame_encode(NP_MSG_COMMAND, 42, payload, 3, wire, sizeof wire, &n), NP_OK);
	fake_board_host_bytes(&fb, wire, n);
	fw_app_poll(&app);
	struct np_ack a = next_ack(&fb);
	assert_int_equal(a.cmd_seq, 42);
	assert_int_equal(a.result, NP_ACK_BAD_ARG);
	assert_int_equal(a.cmd, NP_CMD_START);
	assert_int_equal(a.value, 0);
}

static void test_garbage_ignored_and_counted(void **state)
{
	(void)state;
	static const uint8_t junk[] = { 0x13, 0x37, 0xFF, 0x00, 0x05, 0x01, 0x02, 0x00 };
	uint8_t big[200];
	memset(big, 0x41, sizeof big);
	big[199] = 0;

	fake_board_host_bytes(&fb, junk, sizeof junk);
	fake_board_host_bytes(&fb, big, sizeof big);
	/* A well-formed frame of a type the device does not take. */
	uint8_t wire[64];
	size_t n;
	assert_int_equal(np_frame_encode(NP_MSG_STATUS, 100, junk, 4, wire, sizeof wire, &n), NP_OK);
	fake_board_host_bytes(&fb, wire, n);
	/* Then a real command still works. */
	uint16_t seq = fake_board_host_command(&fb, NP_CMD_STATUS, 0, 0, 0);
	fw_app_poll(&app);

	struct np_frame f;
	struct np_status st;
	assert_true(next_of_type(&fb, NP_MSG_STATUS, &f));
	assert_int_equal(np_status_decode(f.payload, f.len, &st), NP_OK);
	assert_int_equal(st.link_rx_errors, 4);
	struct np_ack a = next_ack(&fb);
	assert_int_equal(a.cmd_seq, seq);
	assert_int_equal(a.result, NP_ACK_OK);
	assert_false(next_of_type(&fb, NP_MSG_ACK, &f)); /* garbage got no ACK */
}

static void test_watchdog_kicked_every_poll(void **state)
{
	(void)state;
	unsigned k = fb.kicks;
	for (int i = 0; i < 5; i++)
		fw_app_poll(&app);
	assert_int_equal(fb.kicks, k + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_hello, setup),
		cmocka_unit_test_setup(test_every_command_acked, setup),
		cmocka_unit_test_setup(test_hello_and_status_on_request, setup),
		cmocka_unit_test_setup(test_bad_arguments_nacked, setup),
		cmocka_unit_test_setup(test_short_command_payload_nacked, setup),
		cmocka_unit_test_setup(test_garbage_ignored_and_counted, setup),
		cmocka_unit_test_setup(test_watchdog_kicked_every_poll, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
