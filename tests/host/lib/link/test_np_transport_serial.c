/* The serial transport on a pseudo-terminal: bytes both ways, timeouts, a
 * vanished port reported as NP_ERR_NODEV (never a crash or endless silence). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_pty.h"
#include "np_err.h"
#include "np_transport_serial.h"

static int open_master(char *slave, size_t cap)
{
	int m = fake_pty_open(slave, cap);
	assert_true(m >= 0);
	return m;
}

static void test_bytes_both_ways(void **state)
{
	(void)state;
	char slave[64];
	int m = open_master(slave, sizeof slave);
	struct np_transport t;
	assert_int_equal(np_transport_serial_open(&t, slave), NP_OK);

	/* Every byte value, 0x00 (the frame delimiter) and 0x0a, 0x0d, 0x11, 0x13
	 * (which a cooked line discipline would translate or eat) included. */
	uint8_t all[256], got[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	assert_int_equal(write(m, all, sizeof all), (ssize_t)sizeof all);
	size_t n = 0;
	for (int tries = 0; n < sizeof all && tries < 50; tries++) {
		size_t k;
		assert_int_equal(np_transport_read(&t, got + n, sizeof got - n, &k, 100), NP_OK);
		n += k;
	}
	assert_int_equal(n, sizeof all);
	assert_memory_equal(got, all, sizeof all);

	assert_int_equal(np_transport_write(&t, all, sizeof all), NP_OK);
	n = 0;
	for (int tries = 0; n < sizeof all && tries < 50; tries++) {
		ssize_t k = read(m, got + n, sizeof got - n);
		assert_true(k > 0);
		n += (size_t)k;
	}
	assert_memory_equal(got, all, sizeof all);

	/* Nothing to read: NP_OK with 0 bytes after the timeout. */
	size_t k = 99;
	assert_int_equal(np_transport_read(&t, got, sizeof got, &k, 50), NP_OK);
	assert_int_equal(k, 0);
	np_transport_close(&t);
	np_transport_close(&t); /* twice is harmless */
	close(m);
}

static void test_hangup_is_nodev(void **state)
{
	(void)state;
	char slave[64];
	int m = open_master(slave, sizeof slave);
	struct np_transport t;
	assert_int_equal(np_transport_serial_open(&t, slave), NP_OK);
	close(m); /* the cable is pulled */
	size_t k = 99;
	int rc = np_transport_read(&t, (uint8_t[16]){ 0 }, 16, &k, 1000);
	assert_int_equal(rc, NP_ERR_NODEV);
	assert_int_equal(k, 0);
	/* And it stays so; writing fails too instead of blocking. */
	assert_int_equal(np_transport_read(&t, (uint8_t[16]){ 0 }, 16, &k, 10), NP_ERR_NODEV);
	assert_true(np_transport_write(&t, (const uint8_t *)"x", 1) != NP_OK);
	np_transport_close(&t);
}

static void test_missing_port(void **state)
{
	(void)state;
	struct np_transport t;
	assert_int_equal(np_transport_serial_open(&t, "/dev/nightpose-no-such-port"), NP_ERR_NODEV);
	assert_null(t.ops);
	/* A file that is not a terminal is refused, not read as a device. */
	char path[256];
	snprintf(path, sizeof path, "%s/test_np_transport_serial-%ld.txt", NP_BINARY_DIR, (long)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(np_transport_serial_open(&t, path), NP_ERR_IO);
	unlink(path);
}

static void test_list_ports(void **state)
{
	(void)state;
	struct np_port_info *ports;
	size_t n;
	assert_int_equal(np_serial_list(&ports, &n), NP_OK);
	for (size_t i = 0; i < n; i++) {
		assert_true(strncmp(ports[i].path, "/dev/", 5) == 0);
		if (i > 0)
			assert_true(strcmp(ports[i - 1].path, ports[i].path) < 0);
	}
	free(ports);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_both_ways),
		cmocka_unit_test(test_hangup_is_nodev),
		cmocka_unit_test(test_missing_port),
		cmocka_unit_test(test_list_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
