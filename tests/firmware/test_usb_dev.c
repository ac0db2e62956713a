/*
 * usb_dev over a fake controller and host: endpoint-0 transfers (packets, ZLP,
 * status stages, SET_ADDRESS ordering, STALL), and the link over the bulk
 * endpoints (closed until the host opens it, IN packets with ZLP, back-pressure
 * on OUT, the vendor interface, halts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_usb_hw.h"
#include "np_err.h"
#include "usb_desc.h"
#include "usb_dev.h"

#define TX_CAP 300u /* deliberately not a power of two */
#define RX_CAP 160u

static struct usb_dev dev;
static struct fake_usb_hw hw;
static uint8_t tx_buf[TX_CAP], rx_buf[RX_CAP];
static uint8_t buf[512];
static size_t got;

static int setup(void **state)
{
	(void)state;
	usb_dev_init(&dev, &fake_usb_hw_ops, &hw, "0123456789ABCDEF", tx_buf, TX_CAP, rx_buf, RX_CAP);
	fake_usb_hw_init(&hw, &dev);
	return 0;
}

static bool set_dtr(bool on)
{
	return fake_usb_control(&hw, 0x21, 0x22, on ? 3 : 0, NP_USB_IF_CDC_COMM, 0, NULL, NULL, 0,
				NULL, NULL);
}

/* Everything the host can read from IN endpoint ep now; *packets and whether the last was empty. */
static size_t drain_in(uint8_t ep, uint8_t *out, size_t cap, unsigned *packets, int *last_len)
{
	uint8_t pkt[64];
	size_t total = 0;
	int n;
	*packets = 0;
	*last_len = -1;
	while ((n = fake_usb_host_in(&hw, ep, pkt)) >= 0) {
		assert_true(total + (size_t)n <= cap);
		memcpy(out + total, pkt, (size_t)n);
		total += (size_t)n;
		(*packets)++;
		*last_len = n;
	}
	return total;
}

static void test_descriptor_transfers(void **state)
{
	(void)state;
	unsigned packets;
	usb_dev_bus_reset(&dev);

	/* Linux asks 64 bytes of the 18-byte device descriptor: one short packet. */
	assert_true(fake_usb_control(&hw, 0x80, 6, 0x0100, 0, 64, NULL, buf, sizeof buf, &got,
				     &packets));
	assert_int_equal(got, 18);
	assert_int_equal(packets, 1);
	assert_memory_equal(buf, np_usb_device_desc, 18);

	/* The configuration descriptor (98 bytes) in two packets, 64 + 34. */
	assert_true(fake_usb_control(&hw, 0x80, 6, 0x0200, 0, 255, NULL, buf, sizeof buf, &got,
				     &packets));
	assert_int_equal(got, np_usb_config_desc_len);
	assert_int_equal(packets, 2);
	assert_memory_equal(buf, np_usb_config_desc, np_usb_config_desc_len);

	/* Asked for exactly 64: one full packet and no zero-length packet after it. */
	assert_true(fake_usb_control(&hw, 0x80, 6, 0x0200, 0, 64, NULL, buf, sizeof buf, &got,
				     &packets));
	assert_int_equal(got, 64);
	assert_int_equal(packets, 1);

	/* Device qualifier: a full-speed-only device stalls, and endpoint 0 works afterwards. */
	assert_false(fake_usb_control(&hw, 0x80, 6, 0x0600, 0, 10, NULL, buf, sizeof buf, &got, NULL));
	assert_true(fake_usb_control(&hw, 0x80, 6, 0x0100, 0, 18, NULL, buf, sizeof buf, &got, NULL));
	assert_int_equal(got, 18);
}

static void test_zlp_after_full_last_packet(void **state)
{
	(void)state;
	unsigned packets;
	/* A 31-character serial makes a 64-byte string descriptor; asked for 255 bytes, the
	 * host needs a zero-length packet to see the end of the transfer. */
	usb_dev_init(&dev, &fake_usb_hw_ops, &hw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234", tx_buf, TX_CAP,
		     rx_buf, RX_CAP);
	usb_dev_bus_reset(&dev);
	assert_true(fake_usb_control(&hw, 0x80, 6, 0x0300 | NP_USB_STR_SERIAL, 0x0409, 255, NULL, buf,
				     sizeof buf, &got, &packets));
	assert_int_equal(got, 64);
	assert_int_equal(packets, 2); /* 64 + 0 */
	assert_int_equal(buf[0], 64);
	assert_int_equal(buf[2], 'A');
}

static void test_set_address_before_status_stage(void **state)
{
	(void)state;
	usb_dev_bus_reset(&dev);
	hw.log_len = 0;
	assert_true(fake_usb_control(&hw, 0x00, 5, 42, 0, 0, NULL, NULL, 0, NULL, NULL));
	assert_int_equal(hw.address, 42);
	assert_int_equal(dev.ctrl.address, 42);
	/* DCFG.DAD is written (A) before the zero-length status packet is queued (I). */
	assert_int_equal(hw.log_len, 2);
	assert_memory_equal(hw.log, "AI", 2);
}

static void test_configuration_arms_out_endpoints(void **state)
{
	(void)state;
	/* Not addressed yet: SET_CONFIGURATION is refused and nothing is activated. */
	usb_dev_bus_reset(&dev);
	assert_false(fake_usb_control(&hw, 0x00, 9, 1, 0, 0, NULL, NULL, 0, NULL, NULL));
	assert_false(hw.configured);

	fake_usb_enumerate(&hw);
	assert_true(hw.configured);
	assert_int_equal(dev.ctrl.configuration, 1);
	assert_true(hw.out_armed[2]);
	assert_true(hw.out_armed[3]);
	assert_false(hw.out_armed[1]);

	/* Bus reset: back to unconfigured, link closed. */
	usb_dev_bus_reset(&dev);
	assert_int_equal(dev.ctrl.configuration, 0);
	assert_false(usb_dev_link_open(&dev));
}

static void test_line_coding_out_data_stage(void **state)
{
	(void)state;
	const uint8_t lc[7] = { 0x00, 0xC2, 0x01, 0x00, 0, 0, 8 }; /* 115200 8N1 */
	fake_usb_enumerate(&hw);
	assert_true(fake_usb_control(&hw, 0x21, 0x20, 0, NP_USB_IF_CDC_COMM, 7, lc, NULL, 0, NULL,
				     NULL));
	assert_int_equal(dev.ctrl.line.baud, 115200);
	assert_true(fake_usb_control(&hw, 0xA1, 0x21, 0, NP_USB_IF_CDC_COMM, 7, NULL, buf, sizeof buf,
				     &got, NULL));
	assert_int_equal(got, 7);
	assert_memory_equal(buf, lc, 7);
	/* An OUT data stage longer than the driver's buffer is stalled, not overflowed. */
	uint8_t big[64] = { 0 };
	assert_false(fake_usb_control(&hw, 0x21, 0x20, 0, NP_USB_IF_CDC_COMM, 64, big, NULL, 0, NULL,
				      NULL));
}

static void test_link_closed_until_dtr(void **state)
{
	(void)state;
	const uint8_t frame[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 0 };
	fake_usb_enumerate(&hw);
	/* Configured but nobody has opened /dev/ttyACM*: the app keeps its samples. */
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_ERR_AGAIN);
	assert_true(set_dtr(true));
	assert_true(usb_dev_link_open(&dev));
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_OK);

	unsigned packets;
	int last;
	uint8_t out[64];
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), sizeof frame);
	assert_memory_equal(out, frame, sizeof frame);
	assert_int_equal(packets, 1);

	/* SET_CONFIGURATION again (endpoints reset) with the port still open: still open. */
	assert_true(fake_usb_control(&hw, 0x00, 9, 1, 0, 0, NULL, NULL, 0, NULL, NULL));
	assert_int_equal(hw.configures, 2);
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_OK);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), sizeof frame);

	/* The port is closed (DTR drops): refused again. */
	assert_true(set_dtr(false));
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_ERR_AGAIN);
}

static void test_in_packets_zlp_and_full_ring(void **state)
{
	(void)state;
	uint8_t data[TX_CAP], out[2 * TX_CAP];
	unsigned packets;
	int last;

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7u + 1u);
	fake_usb_enumerate(&hw);
	assert_true(set_dtr(true));

	/* 128 bytes: two full packets, then a zero-length one ends the host's read. */
	assert_int_equal(usb_dev_link_write(&dev, data, 128), NP_OK);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), 128);
	assert_int_equal(packets, 3);
	assert_int_equal(last, 0);
	assert_memory_equal(out, data, 128);

	/* 100 bytes: 64 + 36, no ZLP. */
	assert_int_equal(usb_dev_link_write(&dev, data, 100), NP_OK);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), 100);
	assert_int_equal(packets, 2);
	assert_int_equal(last, 36);

	/* The host stops reading: the ring fills, then writes are refused whole (never
	 * partly queued, never blocking); reading resumes and the bytes come in order. */
	assert_int_equal(usb_dev_link_write(&dev, data, 200), NP_OK);
	fake_usb_hw_irq(&hw); /* first packet queued in the controller */
	assert_int_equal(usb_dev_link_write(&dev, data + 200, 100), NP_OK);
	assert_int_equal(usb_dev_link_write(&dev, data, 100), NP_ERR_AGAIN);
	assert_int_equal(usb_dev_link_write(&dev, data, 64), NP_OK); /* what the ring still holds */
	assert_int_equal(usb_dev_link_write(&dev, data, 1), NP_ERR_AGAIN);
	size_t n = drain_in(2, out, sizeof out, &packets, &last);
	assert_int_equal(n, 364);
	assert_memory_equal(out, data, 300);
	assert_memory_equal(out + 300, data, 64);
	assert_int_equal(packets, 6); /* 364 = 5 x 64 + 44 */
	assert_int_equal(last, 44);
}

static void test_out_back_pressure(void **state)
{
	(void)state;
	uint8_t pkt[64], out[RX_CAP];
	size_t sent = 0;

	fake_usb_enumerate(&hw);
	for (size_t i = 0; i < sizeof pkt; i++)
		pkt[i] = (uint8_t)i;
	/* Both OUT endpoints start armed: the 160-byte ring has room for a packet each. */
	assert_true(hw.out_armed[2]);
	assert_true(hw.out_armed[3]);
	/* The host sends full packets on the CDC OUT endpoint as long as it is armed: one,
	 * because the vendor endpoint keeps its 64 bytes reserved (96 free < 2 x 64). */
	while (fake_usb_host_out(&hw, 2, pkt, sizeof pkt))
		sent += sizeof pkt;
	assert_int_equal(sent, 64);
	/* The vendor endpoint's packet lands in its reserved room; then 32 bytes are free,
	 * both endpoints stay NAKed and nothing is dropped. */
	assert_true(fake_usb_host_out(&hw, 3, pkt, sizeof pkt));
	assert_false(fake_usb_host_out(&hw, 2, pkt, sizeof pkt));
	assert_false(fake_usb_host_out(&hw, 3, pkt, sizeof pkt));
	assert_int_equal(dev.rx_bytes, 128);

	/* The main loop reads: room again, the interrupt re-arms, the host goes on. */
	assert_int_equal(usb_dev_link_read(&dev, out, 100), 100);
	assert_memory_equal(out, pkt, 64);
	assert_true(fake_usb_host_out(&hw, 2, pkt, 10));
	assert_int_equal(usb_dev_link_read(&dev, out, sizeof out), 38);
	assert_memory_equal(out + 28, pkt, 10);
	assert_int_equal(usb_dev_link_read(&dev, out, sizeof out), 0);
}

static void test_vendor_interface_takes_the_link(void **state)
{
	(void)state;
	const uint8_t cmd[5] = { 0, 9, 8, 7, 0 };
	const uint8_t frame[20] = { 0x11, 0x22 };
	uint8_t out[64];
	unsigned packets;
	int last;

	fake_usb_enumerate(&hw);
	/* A libusb program sends a command on 0x03 without any CDC request. */
	assert_true(fake_usb_host_out(&hw, 3, cmd, sizeof cmd));
	assert_int_equal(usb_dev_link_read(&dev, out, sizeof out), sizeof cmd);
	assert_memory_equal(out, cmd, sizeof cmd);
	assert_true(usb_dev_link_open(&dev));
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_OK);
	assert_int_equal(drain_in(3, out, sizeof out, &packets, &last), sizeof frame);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), 0);

	/* Then someone opens /dev/ttyACM0: the stream moves to the CDC endpoint. */
	assert_true(set_dtr(true));
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_OK);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), sizeof frame);
	assert_int_equal(drain_in(3, out, sizeof out, &packets, &last), 0);

	/* SET_INTERFACE on interface 2 selects the vendor endpoint again. */
	assert_true(fake_usb_control(&hw, 0x01, 11, 0, NP_USB_IF_VENDOR, 0, NULL, NULL, 0, NULL, NULL));
	assert_int_equal(usb_dev_link_write(&dev, frame, 3), NP_OK);
	assert_int_equal(drain_in(3, out, sizeof out, &packets, &last), 3);
}

static void test_endpoint_halt(void **state)
{
	(void)state;
	const uint8_t frame[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t out[64];
	unsigned packets;
	int last;

	fake_usb_enumerate(&hw);
	assert_true(set_dtr(true));
	/* SET_FEATURE(ENDPOINT_HALT) on 0x82: the controller stalls it, nothing is sent. */
	assert_true(fake_usb_control(&hw, 0x02, 3, 0, NP_USB_EP_CDC_IN, 0, NULL, NULL, 0, NULL, NULL));
	assert_true(hw.stall_in[2]);
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_OK);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), 0);
	/* CLEAR_FEATURE: unstalled (the controller resets the toggle) and the data flows. */
	assert_true(fake_usb_control(&hw, 0x02, 1, 0, NP_USB_EP_CDC_IN, 0, NULL, NULL, 0, NULL, NULL));
	assert_false(hw.stall_in[2]);
	usb_dev_service(&dev);
	assert_int_equal(drain_in(2, out, sizeof out, &packets, &last), sizeof frame);
	assert_memory_equal(out, frame, sizeof frame);

	/* A halted OUT endpoint is not re-armed until cleared. */
	uint8_t pkt[64] = { 0 };
	assert_true(fake_usb_control(&hw, 0x02, 3, 0, NP_USB_EP_CDC_OUT, 0, NULL, NULL, 0, NULL, NULL));
	assert_false(fake_usb_host_out(&hw, 2, pkt, sizeof pkt));
	assert_true(fake_usb_control(&hw, 0x02, 1, 0, NP_USB_EP_CDC_OUT, 0, NULL, NULL, 0, NULL, NULL));
	assert_true(fake_usb_host_out(&hw, 2, pkt, sizeof pkt));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_descriptor_transfers, setup),
		cmocka_unit_test_setup(test_zlp_after_full_last_packet, setup),
		cmocka_unit_test_setup(test_set_address_before_status_stage, setup),
		cmocka_unit_test_setup(test_configuration_arms_out_endpoints, setup),
		cmocka_unit_test_setup(test_line_coding_out_data_stage, setup),
		cmocka_unit_test_setup(test_link_closed_until_dtr, setup),
		cmocka_unit_test_setup(test_in_packets_zlp_and_full_ring, setup),
		cmocka_unit_test_setup(test_out_back_pressure, setup),
		cmocka_unit_test_setup(test_vendor_interface_takes_the_link, setup),
		cmocka_unit_test_setup(test_endpoint_halt, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
