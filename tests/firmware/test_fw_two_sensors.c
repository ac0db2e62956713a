/*
 * The optional second LIS3DH (thigh, SA0 low: 0x18) next to the chest one (0x19)
 * on one I2C bus, through the real driver and the app: found at boot, configured
 * like the chest, its samples in their own SAMPLES frames with sensor_id 1, its
 * losses in the same counters, kept out of the alert; and nothing of it when absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_board.h"
#include "fake_lis3dh.h"
#include "fw_app.h"
#include "fw_test_util.h"
#include "lis3dh.h"
#include "lis3dh_regs.h"

struct fixture {
	struct fake_board fb;
	struct fake_lis3dh chip_chest, chip_thigh;
	struct fake_i2c_bus bus;
	struct fw_i2c i2c;
	struct lis3dh chest, thigh;
	struct fw_app app;
};

static struct fixture fx;

/* What a board does at boot: the chest sensor always, the thigh one if WHO_AM_I answers at 0x18. */
static void boot(bool thigh_present)
{
	memset(&fx, 0, sizeof fx);
	fake_board_init(&fx.fb);
	fake_lis3dh_init(&fx.chip_chest, LIS3DH_ADDR_SA0_HIGH);
	fake_lis3dh_init(&fx.chip_thigh, LIS3DH_ADDR_SA0_LOW);
	fx.chip_thigh.absent = !thigh_present;
	fx.bus.chip[0] = &fx.chip_chest;
	fx.bus.chip[1] = &fx.chip_thigh;
	fx.bus.n = 2;
	fx.i2c.xfer = fake_i2c_bus_xfer;
	fx.i2c.ctx = &fx.bus;

	assert_int_equal(lis3dh_init(&fx.chest, &fx.i2c, LIS3DH_ADDR_SA0_HIGH), NP_OK);
	fx.fb.board.sensor = &lis3dh_sensor_ops;
	fx.fb.board.sensor_ctx = &fx.chest;
	int rc = lis3dh_init(&fx.thigh, &fx.i2c, LIS3DH_ADDR_SA0_LOW);
	assert_int_equal(rc, thigh_present ? NP_OK : NP_ERR_NODEV);
	if (rc == NP_OK) {
		fx.fb.board.sensor1 = &lis3dh_sensor_ops;
		fx.fb.board.sensor1_ctx = &fx.thigh;
	}
	fw_app_init(&fx.app, &fx.fb.board);
}

static struct np_sample chest_at(int i)
{
	struct np_sample v = { (int16_t)(i % 1500), (int16_t)(-(i % 700)), 990 };
	return v;
}

static struct np_sample thigh_at(int i)
{
	struct np_sample v = { (int16_t)(-(i % 1200)), 870, (int16_t)(-(i % 900)) };
	return v;
}

/* n sample periods at 25 Hz: each chip takes one sample, the app polls once. */
static void run(int from, int n, const struct np_sample *chest_fixed)
{
	for (int i = from; i < from + n; i++) {
		struct np_sample c = chest_fixed ? *chest_fixed : chest_at(i);
		struct np_sample t = thigh_at(i);
		fake_lis3dh_sample(&fx.chip_chest, c.x, c.y, c.z);
		fake_lis3dh_sample(&fx.chip_thigh, t.x, t.y, t.z);
		fx.fb.now_ms += 40;
		fw_app_poll(&fx.app);
	}
}

static struct np_hello first_hello(void)
{
	struct np_frame f;
	struct np_hello h;
	memset(&h, 0, sizeof h);
	assert_true(next_of_type(&fx.fb, NP_MSG_HELLO, &f));
	assert_int_equal(np_hello_decode(f.payload, f.len, &h), NP_OK);
	return h;
}

struct received {
	int n[2];            /* samples per sensor id */
	unsigned frames[2];
	unsigned switches;   /* consecutive SAMPLES frames of different sensors */
	uint32_t next_tick[2];
};

/* Read every frame left; check the samples of each sensor against what its chip measured. */
static void collect(struct received *r)
{
	struct np_frame f;
	struct np_samples m;
	int last_id = -1;

	while (fake_board_next_frame(&fx.fb, &f) == NP_OK) {
		if (f.type != NP_MSG_SAMPLES)
			continue;
		assert_int_equal(np_samples_decode(f.payload, f.len, &m), NP_OK);
		assert_true(m.sensor_id < 2);
		assert_int_equal(m.period_ticks, 40);
		int id = m.sensor_id;
		if (r->n[id] > 0)
			assert_int_equal(m.first_tick, r->next_tick[id]); /* one run, no gap */
		for (int i = 0; i < m.count; i++) {
			struct np_sample want = id == 0 ? chest_at(r->n[id]) : thigh_at(r->n[id]);
			assert_int_equal(m.s[i].x, want.x);
			assert_int_equal(m.s[i].y, want.y);
			assert_int_equal(m.s[i].z, want.z);
			r->n[id]++;
		}
		r->next_tick[id] = m.first_tick + (uint32_t)m.count * m.period_ticks;
		r->frames[id]++;
		if (last_id >= 0 && last_id != id)
			r->switches++;
		last_id = id;
	}
	assert_int_equal(fx.fb.dec.stats.frames_missed, 0);
}

/* n periods with the link refusing everything, then a second with it back; collect all. */
static void run_with_link_down(int n, struct received *r)
{
	fx.fb.link_busy = true;
	run(0, n, NULL);
	fx.fb.link_busy = false;
	fx.fb.now_ms += 1000;
	fw_app_poll(&fx.app);
	collect(r);
}

static void test_second_sensor_found_and_configured_like_the_chest(void **state)
{
	(void)state;
	boot(true);
	assert_int_equal(first_hello().sensor_count, 2);
	/* Same rate (25 Hz) and range (+-2 g, FS 0) on both chips. */
	for (int k = 0; k < 2; k++) {
		const struct fake_lis3dh *c = k == 0 ? &fx.chip_chest : &fx.chip_thigh;
		assert_int_equal(c->regs[LIS3DH_CTRL_REG1] >> LIS3DH_CTRL1_ODR_SHIFT, LIS3DH_ODR_25HZ);
		assert_int_equal((c->regs[LIS3DH_CTRL_REG4] >> 4) & 3u, 0);
		assert_int_equal(c->bad_writes, 0);
	}

	fake_board_host_command(&fx.fb, NP_CMD_SET_RATE, 0, 100, 0);
	fw_app_poll(&fx.app);
	assert_int_equal(next_ack(&fx.fb).result, NP_ACK_OK);
	uint16_t seq = fake_board_host_command(&fx.fb, NP_CMD_SET_RANGE, 8, 0, 0);
	fw_app_poll(&fx.app);
	struct np_ack a = next_ack(&fx.fb);
	assert_int_equal(a.cmd_seq, seq);
	assert_int_equal(a.result, NP_ACK_OK);
	for (int k = 0; k < 2; k++) {
		const struct fake_lis3dh *c = k == 0 ? &fx.chip_chest : &fx.chip_thigh;
		assert_int_equal(c->regs[LIS3DH_CTRL_REG1] >> LIS3DH_CTRL1_ODR_SHIFT, LIS3DH_ODR_100HZ);
		assert_int_equal((c->regs[LIS3DH_CTRL_REG4] >> 4) & 3u, 2); /* FS = 8 g */
	}

	/* STOP powers both down; HELLO on request still counts two sensors. */
	fake_board_host_command(&fx.fb, NP_CMD_STOP, 0, 0, 0);
	fake_board_host_command(&fx.fb, NP_CMD_HELLO, 0, 0, 0);
	fw_app_poll(&fx.app);
	assert_int_equal(first_hello().sensor_count, 2);
	assert_int_equal(fx.chip_chest.regs[LIS3DH_CTRL_REG1] >> LIS3DH_CTRL1_ODR_SHIFT, LIS3DH_ODR_OFF);
	assert_int_equal(fx.chip_thigh.regs[LIS3DH_CTRL_REG1] >> LIS3DH_CTRL1_ODR_SHIFT, LIS3DH_ODR_OFF);
}

static void test_interleaved_frames_carry_each_sensor_in_order(void **state)
{
	(void)state;
	struct received r;
	memset(&r, 0, sizeof r);
	boot(true);
	run(0, 500, NULL); /* 20 s */
	fx.fb.now_ms += 1000;
	fw_app_poll(&fx.app);
	collect(&r);
	assert_int_equal(r.n[0], 500);
	assert_int_equal(r.n[1], 500);
	/* About a frame per second each, interleaved rather than one sensor after the other. */
	assert_true(r.frames[0] >= 19 && r.frames[0] <= 22);
	assert_true(r.frames[1] >= 19 && r.frames[1] <= 22);
	assert_true(r.switches >= 30);
}

static void test_slow_link_splits_the_ring_and_counts_both(void **state)
{
	(void)state;
	struct received r;
	struct np_frame f;
	struct np_status st;
	memset(&r, 0, sizeof r);
	boot(true);
	/* No link for 12 s: each sensor keeps its oldest half-ring, the rest is counted. */
	run_with_link_down(300, &r);
	assert_int_equal(r.n[0], FW_SAMPLER_RING_LEN / 2u);
	assert_int_equal(r.n[1], FW_SAMPLER_RING_LEN / 2u);

	fake_board_host_command(&fx.fb, NP_CMD_STATUS, 0, 0, 0);
	fw_app_poll(&fx.app);
	assert_true(next_of_type(&fx.fb, NP_MSG_STATUS, &f));
	assert_int_equal(np_status_decode(f.payload, f.len, &st), NP_OK);
	assert_int_equal(st.samples_dropped, 2u * (300u - FW_SAMPLER_RING_LEN / 2u));
}

static void test_alert_follows_the_chest_only(void **state)
{
	(void)state;
	struct np_frame f;
	struct np_event ev;
	const struct np_sample supine = { 100, 50, 990 };
	const struct np_sample prone = { 100, -50, -990 };
	boot(true);
	/* Prone alerts after 5 s, no start delay. */
	fake_board_host_command(&fx.fb, NP_CMD_SET_ALERT, 1u << NP_POS_PRONE, 5, 0);
	fw_app_poll(&fx.app);
	assert_int_equal(next_ack(&fx.fb).result, NP_ACK_OK);

	/* The thigh lies face down for 30 s while the chest chip delivers nothing. */
	for (int i = 0; i < 750; i++) {
		fake_lis3dh_sample(&fx.chip_thigh, prone.x, prone.y, prone.z);
		fx.fb.now_ms += 40;
		fw_app_poll(&fx.app);
	}
	while (next_of_type(&fx.fb, NP_MSG_EVENT, &f)) {
		assert_int_equal(np_event_decode(f.payload, f.len, &ev), NP_OK);
		assert_int_not_equal(ev.kind, NP_EVENT_ALERT_FIRED);
	}
	/* Then with the chest on its back. */
	run(0, 250, &supine);
	while (next_of_type(&fx.fb, NP_MSG_EVENT, &f)) {
		assert_int_equal(np_event_decode(f.payload, f.len, &ev), NP_OK);
		assert_int_not_equal(ev.kind, NP_EVENT_ALERT_FIRED);
	}
	/* Now the chest turns prone: the alert fires. */
	run(900, 250, &prone);
	bool fired = false;
	while (next_of_type(&fx.fb, NP_MSG_EVENT, &f)) {
		assert_int_equal(np_event_decode(f.payload, f.len, &ev), NP_OK);
		fired |= ev.kind == NP_EVENT_ALERT_FIRED && ev.position == NP_POS_PRONE;
	}
	assert_true(fired);
}

static void test_absent_second_sensor_changes_nothing(void **state)
{
	(void)state;
	struct received r;
	memset(&r, 0, sizeof r);
	boot(false);
	assert_int_equal(first_hello().sensor_count, 1);
	assert_int_equal(fx.app.sensors, 1);
	/* The chest has the whole ring to itself. */
	run_with_link_down(300, &r);
	assert_int_equal(r.n[0], FW_SAMPLER_RING_LEN);
	assert_int_equal(r.n[1], 0);
	/* After the probe at boot, nothing more was sent to 0x18. */
	unsigned nacks = fx.bus.nacks;
	run(300, 100, NULL);
	assert_int_equal(fx.bus.nacks, nacks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_sensor_found_and_configured_like_the_chest),
		cmocka_unit_test(test_interleaved_frames_carry_each_sensor_in_order),
		cmocka_unit_test(test_slow_link_splits_the_ring_and_counts_both),
		cmocka_unit_test(test_alert_follows_the_chest_only),
		cmocka_unit_test(test_absent_second_sensor_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
