/* LIS3DH driver against the register-level model in tests/fakes/fake_lis3dh.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_lis3dh.h"
#include "lis3dh.h"
#include "lis3dh_regs.h"
#include "np_err.h"

struct fixture {
	struct fake_lis3dh chip;
	struct fw_i2c i2c;
	struct lis3dh dev;
};

static struct fixture fx;

static int setup(void **state)
{
	(void)state;
	fake_lis3dh_init(&fx.chip, LIS3DH_ADDR_SA0_HIGH);
	fx.i2c.xfer = fake_lis3dh_xfer;
	fx.i2c.ctx = &fx.chip;
	return lis3dh_init(&fx.dev, &fx.i2c, LIS3DH_ADDR_SA0_HIGH) == NP_OK ? 0 : -1;
}

static void test_init_checks_identity(void **state)
{
	(void)state;
	assert_int_equal(lis3dh_init(&fx.dev, &fx.i2c, LIS3DH_ADDR_SA0_HIGH), NP_OK);
	/* Init leaves the chip powered down. */
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG1] >> 4, 0);
	assert_true(fx.chip.regs[LIS3DH_CTRL_REG4] & LIS3DH_CTRL4_BDU);
	assert_int_equal(fx.chip.bad_writes, 0);

	/* Another chip answering at the address (e.g. an LIS2DH12 reads 0x33 too, an LIS331 0x32). */
	fake_lis3dh_init(&fx.chip, LIS3DH_ADDR_SA0_HIGH);
	fx.chip.regs[LIS3DH_WHO_AM_I] = 0x32;
	assert_int_equal(lis3dh_init(&fx.dev, &fx.i2c, LIS3DH_ADDR_SA0_HIGH), NP_ERR_NODEV);

	/* Nobody at the address. */
	fake_lis3dh_init(&fx.chip, LIS3DH_ADDR_SA0_HIGH);
	assert_int_equal(lis3dh_init(&fx.dev, &fx.i2c, LIS3DH_ADDR_SA0_LOW), NP_ERR_NODEV);
}

static void test_configure_registers(void **state)
{
	(void)state;
	assert_int_equal(lis3dh_init(&fx.dev, &fx.i2c, LIS3DH_ADDR_SA0_HIGH), NP_OK);
	assert_int_equal(lis3dh_configure(&fx.dev, 25, 2), NP_OK);
	/* ODR 25 Hz = 0011, all axes on, not low-power. */
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG1], 0x37);
	assert_int_equal(fake_lis3dh_bits(&fx.chip), 12);
	assert_int_equal(fake_lis3dh_mg_per_count(&fx.chip), 1);
	assert_true(fx.chip.regs[LIS3DH_CTRL_REG5] & LIS3DH_CTRL5_FIFO_EN);
	assert_int_equal(fx.chip.regs[LIS3DH_FIFO_CTRL_REG] >> 6, LIS3DH_FM_STREAM);
	assert_int_equal(fx.chip.regs[LIS3DH_FIFO_CTRL_REG] & 0x1F, 6); /* 25 / 4 */
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG3], LIS3DH_CTRL3_I1_WTM | LIS3DH_CTRL3_I1_OVERRUN);

	assert_int_equal(lis3dh_configure(&fx.dev, 100, 16), NP_OK);
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG1], 0x57);
	assert_int_equal((fx.chip.regs[LIS3DH_CTRL_REG4] >> 4) & 3, 3);
	assert_int_equal(fake_lis3dh_mg_per_count(&fx.chip), 12);

	assert_int_equal(lis3dh_configure(&fx.dev, 10, 4), NP_OK);
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG1], 0x27);
	assert_int_equal(fx.chip.regs[LIS3DH_FIFO_CTRL_REG] & 0x1F, 2);

	assert_int_equal(lis3dh_configure(&fx.dev, 30, 2), NP_ERR_ARG);
	assert_int_equal(lis3dh_configure(&fx.dev, 25, 3), NP_ERR_ARG);
	assert_int_equal(fx.chip.bad_writes, 0);
}

static void test_fifo_values_in_order(void **state)
{
	(void)state;
	static const unsigned ranges[] = { 2, 4, 8, 16 };
	for (size_t k = 0; k < 4; k++) {
		unsigned r = ranges[k], mg = lis3dh_hr_mg_per_lsb(r);
		assert_int_equal(lis3dh_configure(&fx.dev, 50, r), NP_OK);
		for (int i = 0; i < 20; i++)
			fake_lis3dh_sample(&fx.chip, (int16_t)(i * 12 * 7), (int16_t)(-i * 12 * 5),
					   (int16_t)(1000 - i * 12));

		struct np_sample s[32];
		size_t got = 0;
		bool ovr = true;
		assert_int_equal(lis3dh_read_fifo(&fx.dev, s, 32, &got, &ovr), NP_OK);
		assert_int_equal(got, 20);
		assert_false(ovr);
		for (int i = 0; i < 20; i++) {
			/* Values are multiples of 12 mg, exact at every range. */
			assert_int_equal(s[i].x, i * 12 * 7);
			assert_int_equal(s[i].y, -i * 12 * 5);
			assert_int_equal(s[i].z, (1000 - i * 12) / (int)mg * (int)mg);
		}
		assert_int_equal(fx.chip.fifo_count, 0);
		assert_int_equal(lis3dh_read_fifo(&fx.dev, s, 32, &got, &ovr), NP_OK);
		assert_int_equal(got, 0);
	}
}

static void test_fifo_partial_reads(void **state)
{
	(void)state;
	assert_int_equal(lis3dh_configure(&fx.dev, 25, 2), NP_OK);
	for (int i = 0; i < 10; i++)
		fake_lis3dh_sample(&fx.chip, (int16_t)i, (int16_t)(100 + i), (int16_t)(-200 - i));
	struct np_sample s[4];
	size_t got;
	bool ovr;
	int expect = 0;
	while (expect < 10) {
		assert_int_equal(lis3dh_read_fifo(&fx.dev, s, 4, &got, &ovr), NP_OK);
		assert_true(got > 0 && got <= 4);
		for (size_t i = 0; i < got; i++, expect++) {
			assert_int_equal(s[i].x, expect);
			assert_int_equal(s[i].y, 100 + expect);
			assert_int_equal(s[i].z, -200 - expect);
		}
	}
}

static void test_fifo_overrun_keeps_newest_32(void **state)
{
	(void)state;
	assert_int_equal(lis3dh_configure(&fx.dev, 100, 2), NP_OK);
	for (int i = 0; i < 40; i++)
		fake_lis3dh_sample(&fx.chip, (int16_t)(i * 10), 0, 1000);
	assert_int_equal(fx.chip.fifo_lost, 8);

	struct np_sample s[32];
	size_t got;
	bool ovr = false;
	assert_int_equal(lis3dh_read_fifo(&fx.dev, s, 32, &got, &ovr), NP_OK);
	assert_true(ovr);
	assert_int_equal(fx.dev.overruns, 1);
	assert_int_equal(got, 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(s[i].x, (i + 8) * 10);
	assert_int_equal(lis3dh_read_fifo(&fx.dev, s, 32, &got, &ovr), NP_OK);
	assert_false(ovr);
	assert_int_equal(got, 0);
}

static void test_power_down_takes_no_samples(void **state)
{
	(void)state;
	assert_int_equal(lis3dh_configure(&fx.dev, 0, 2), NP_OK);
	fake_lis3dh_sample(&fx.chip, 1, 2, 3);
	struct np_sample s[4];
	size_t got = 9;
	bool ovr;
	assert_int_equal(lis3dh_read_fifo(&fx.dev, s, 4, &got, &ovr), NP_OK);
	assert_int_equal(got, 0);
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG1] >> 4, 0);
}

static void test_self_test_limits(void **state)
{
	(void)state;
	uint8_t axes = 0;
	assert_int_equal(lis3dh_configure(&fx.dev, 25, 8), NP_OK);

	/* 300/300/600 mg = 75/75/150 counts of 4 mg: all inside 17..360. */
	assert_int_equal(lis3dh_self_test(&fx.dev, &axes), NP_OK);
	assert_int_equal(axes, 7);
	/* The previous configuration is back. */
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG1], 0x37);
	assert_int_equal((fx.chip.regs[LIS3DH_CTRL_REG4] >> 4) & 3, 2);
	assert_int_equal(fx.chip.regs[LIS3DH_CTRL_REG4] & LIS3DH_CTRL4_ST_MASK, 0);
	assert_true(fx.chip.regs[LIS3DH_CTRL_REG5] & LIS3DH_CTRL5_FIFO_EN);

	/* x barely moves (8 mg = 2 counts), y too far (1600 mg = 400 counts), z at the lower limit. */
	fx.chip.selftest_mg[0] = 8;
	fx.chip.selftest_mg[1] = 1600;
	fx.chip.selftest_mg[2] = 17 * 4;
	assert_int_equal(lis3dh_self_test(&fx.dev, &axes), NP_OK);
	assert_int_equal(axes, 4);

	/* Negative deflection counts by magnitude; upper limit inclusive. */
	fx.chip.selftest_mg[0] = -360 * 4;
	fx.chip.selftest_mg[1] = 361 * 4;
	fx.chip.selftest_mg[2] = 16 * 4;
	assert_int_equal(lis3dh_self_test(&fx.dev, &axes), NP_OK);
	assert_int_equal(axes, 1);
	assert_int_equal(fx.chip.bad_writes, 0);
}

static void test_sensor_ops(void **state)
{
	(void)state;
	struct np_sample s[8];
	size_t got;
	bool ovr;
	assert_int_equal(lis3dh_sensor_ops.configure(&fx.dev, 10, 2), NP_OK);
	fake_lis3dh_sample(&fx.chip, -1000, 5, 7);
	assert_int_equal(lis3dh_sensor_ops.read(&fx.dev, s, 8, &got, &ovr), NP_OK);
	assert_int_equal(got, 1);
	assert_int_equal(s[0].x, -1000);
	assert_int_equal(lis3dh_sensor_ops.configure(&fx.dev, 12, 2), NP_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_checks_identity, setup),
		cmocka_unit_test_setup(test_configure_registers, setup),
		cmocka_unit_test_setup(test_fifo_values_in_order, setup),
		cmocka_unit_test_setup(test_fifo_partial_reads, setup),
		cmocka_unit_test_setup(test_fifo_overrun_keeps_newest_32, setup),
		cmocka_unit_test_setup(test_power_down_takes_no_samples, setup),
		cmocka_unit_test_setup(test_self_test_limits, setup),
		cmocka_unit_test_setup(test_sensor_ops, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
