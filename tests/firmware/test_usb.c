/* USB descriptors (walked as a host does) and endpoint-0 request handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "usb_ctrl.h"
#include "usb_desc.h"

static struct usb_ctrl ctrl;
static uint8_t reply[512];
static size_t reply_len;

static enum usb_ctrl_result req(uint8_t type, uint8_t request, uint16_t value, uint16_t index,
				uint16_t length, const uint8_t *data, size_t data_len)
{
	uint8_t raw[8] = { type, request, (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)index,
			   (uint8_t)(index >> 8), (uint8_t)length, (uint8_t)(length >> 8) };
	struct usb_setup s;
	usb_setup_parse(raw, &s);
	return usb_ctrl_request(&ctrl, &s, data, data_len, reply, sizeof reply, &reply_len);
}

static int setup(void **state)
{
	(void)state;
	usb_ctrl_init(&ctrl, "0123ABCD");
	return 0;
}

static void enumerate(void)
{
	assert_int_equal(req(0x00, 5, 9, 0, 0, NULL, 0), USB_CTRL_OK); /* SET_ADDRESS 9 */
	assert_int_equal(ctrl.address, 0);                            /* not before the status stage */
	assert_true(usb_ctrl_status_done(&ctrl));
	assert_int_equal(ctrl.address, 9);
	assert_int_equal(req(0x00, 9, 1, 0, 0, NULL, 0), USB_CTRL_OK); /* SET_CONFIGURATION 1 */
}

static void test_device_descriptor(void **state)
{
	(void)state;
	const uint8_t *d = np_usb_device_desc;
	assert_int_equal(d[0], 18);
	assert_int_equal(d[1], 1);
	assert_int_equal(d[2] | d[3] << 8, 0x0200);
	/* Miscellaneous / Common / IAD: required when the configuration has an IAD. */
	assert_int_equal(d[4], 0xEF);
	assert_int_equal(d[5], 0x02);
	assert_int_equal(d[6], 0x01);
	assert_int_equal(d[7], 64);
	assert_int_equal(d[8] | d[9] << 8, 0x1209);
	assert_int_equal(d[17], 1);

	/* The first request of Linux: 64 bytes of the device descriptor; Windows asks for 8 first. */
	assert_int_equal(req(0x80, 6, 0x0100, 0, 64, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 18);
	assert_memory_equal(reply, np_usb_device_desc, 18);
	assert_int_equal(req(0x80, 6, 0x0100, 0, 8, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 8);
}

static void test_configuration_walk(void **state)
{
	(void)state;
	const uint8_t *c = np_usb_config_desc;
	size_t total = (size_t)(c[2] | c[3] << 8);
	unsigned interfaces = 0, endpoints = 0, iads = 0;
	uint8_t ep_seen[16] = { 0 };

	assert_int_equal(total, np_usb_config_desc_len);
	assert_int_equal(c[4], NP_USB_NUM_INTERFACES);
	/* Walk the descriptors by their own lengths, as a host parser does. */
	size_t off = 0;
	unsigned expect_eps = 0;
	while (off < total) {
		uint8_t len = c[off], type = c[off + 1];
		assert_true(len >= 2);
		assert_true(off + len <= total);
		if (type == 0x04) {
			assert_int_equal(len, 9);
			assert_int_equal(c[off + 2], interfaces); /* numbered 0, 1, 2 */
			assert_int_equal(expect_eps, 0);          /* previous interface complete */
			expect_eps = c[off + 4];
			interfaces++;
		} else if (type == 0x05) {
			assert_int_equal(len, 7);
			uint8_t addr = c[off + 2];
			unsigned slot = (addr & 0x0Fu) | ((addr & 0x80u) ? 8u : 0u);
			assert_int_equal(ep_seen[slot], 0); /* no endpoint used twice */
			ep_seen[slot] = 1;
			uint16_t mps = (uint16_t)(c[off + 4] | c[off + 5] << 8);
			assert_true(mps <= 64); /* full speed */
			assert_true(expect_eps > 0);
			expect_eps--;
			endpoints++;
		} else if (type == 0x0B) {
			iads++;
			assert_int_equal(c[off + 2], NP_USB_IF_CDC_COMM);
			assert_int_equal(c[off + 3], 2);
		}
		off += len;
	}
	assert_int_equal(off, total);
	assert_int_equal(interfaces, NP_USB_NUM_INTERFACES);
	assert_int_equal(endpoints, 5);
	assert_int_equal(iads, 1);

	/* Hosts read 9 bytes first, then wTotalLength. */
	assert_int_equal(req(0x80, 6, 0x0200, 0, 9, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 9);
	assert_int_equal(req(0x80, 6, 0x0200, 0, 0xFFFF, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, total);
	assert_int_equal(req(0x80, 6, 0x0201, 0, 0xFF, NULL, 0), USB_CTRL_STALL); /* one config */
}

static void test_strings(void **state)
{
	(void)state;
	assert_int_equal(req(0x80, 6, 0x0300, 0x0000, 255, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 4);
	assert_int_equal(reply[2] | reply[3] << 8, 0x0409);

	assert_int_equal(req(0x80, 6, 0x0303, 0x0409, 255, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 2 + 2 * 8);
	assert_int_equal(reply[0], reply_len);
	assert_int_equal(reply[1], 3);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(reply[2 + 2 * i], "0123ABCD"[i]);
		assert_int_equal(reply[3 + 2 * i], 0);
	}
	assert_int_equal(req(0x80, 6, 0x0302, 0x0409, 255, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 2 + 2 * strlen("nightpose sensor"));
	assert_int_equal(req(0x80, 6, 0x0309, 0x0409, 255, NULL, 0), USB_CTRL_STALL);
	/* Device qualifier: full-speed only, so a stall. */
	assert_int_equal(req(0x80, 6, 0x0600, 0, 10, NULL, 0), USB_CTRL_STALL);
}

static void test_address_and_configuration(void **state)
{
	(void)state;
	/* Not addressed yet: SET_CONFIGURATION is a protocol error. */
	assert_int_equal(req(0x00, 9, 1, 0, 0, NULL, 0), USB_CTRL_STALL);
	assert_int_equal(req(0x00, 5, 200, 0, 0, NULL, 0), USB_CTRL_STALL);
	enumerate();
	assert_int_equal(req(0x80, 8, 0, 0, 1, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 1);
	assert_int_equal(reply[0], 1);
	assert_int_equal(req(0x00, 9, 2, 0, 0, NULL, 0), USB_CTRL_STALL);
	assert_int_equal(req(0x81, 10, 0, NP_USB_IF_VENDOR, 1, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply[0], 0);
	assert_int_equal(req(0x01, 11, 1, NP_USB_IF_VENDOR, 0, NULL, 0), USB_CTRL_STALL);
	assert_int_equal(req(0x81, 10, 0, 7, 1, NULL, 0), USB_CTRL_STALL);
	/* Address 0 returns the device to the default state. */
	assert_int_equal(req(0x00, 5, 0, 0, 0, NULL, 0), USB_CTRL_OK);
	assert_true(usb_ctrl_status_done(&ctrl));
	assert_int_equal(ctrl.configuration, 0);
	assert_false(usb_ctrl_status_done(&ctrl));
}

static void test_status_and_halt(void **state)
{
	(void)state;
	enumerate();
	assert_int_equal(req(0x80, 0, 0, 0, 2, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 2);
	assert_int_equal(reply[0], 0);
	/* SET_FEATURE(ENDPOINT_HALT) on the vendor IN endpoint, seen in GET_STATUS, then cleared. */
	assert_int_equal(req(0x02, 3, 0, NP_USB_EP_VENDOR_IN, 0, NULL, 0), USB_CTRL_OK);
	assert_int_equal(req(0x82, 0, 0, NP_USB_EP_VENDOR_IN, 2, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply[0], 1);
	assert_int_equal(req(0x82, 0, 0, NP_USB_EP_VENDOR_OUT, 2, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply[0], 0);
	assert_int_equal(req(0x02, 1, 0, NP_USB_EP_VENDOR_IN, 0, NULL, 0), USB_CTRL_OK);
	assert_int_equal(req(0x82, 0, 0, NP_USB_EP_VENDOR_IN, 2, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply[0], 0);
	assert_int_equal(req(0x02, 3, 0, 0x85, 0, NULL, 0), USB_CTRL_STALL); /* no such endpoint */
	/* Remote wakeup shows in the device status. */
	assert_int_equal(req(0x00, 3, 1, 0, 0, NULL, 0), USB_CTRL_OK);
	assert_int_equal(req(0x80, 0, 0, 0, 2, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply[0], 2);
}

static void test_cdc_requests(void **state)
{
	(void)state;
	/* 9600 baud, 1 stop bit, even parity, 7 data bits: echoed by GET_LINE_CODING. */
	const uint8_t lc[7] = { 0x80, 0x25, 0x00, 0x00, 0, 2, 7 };
	enumerate();
	assert_false(usb_ctrl_host_listening(&ctrl));
	assert_int_equal(req(0x21, 0x20, 0, NP_USB_IF_CDC_COMM, 7, lc, 7), USB_CTRL_OK);
	assert_int_equal(req(0xA1, 0x21, 0, NP_USB_IF_CDC_COMM, 7, NULL, 0), USB_CTRL_OK);
	assert_int_equal(reply_len, 7);
	assert_memory_equal(reply, lc, 7);
	assert_int_equal(ctrl.line.baud, 9600);
	/* DTR up: the host has the port open. */
	assert_int_equal(req(0x21, 0x22, 0x0003, NP_USB_IF_CDC_COMM, 0, NULL, 0), USB_CTRL_OK);
	assert_true(usb_ctrl_host_listening(&ctrl));
	assert_int_equal(req(0x21, 0x22, 0x0000, NP_USB_IF_CDC_COMM, 0, NULL, 0), USB_CTRL_OK);
	assert_false(usb_ctrl_host_listening(&ctrl));
	/* Wrong interface, short data, unknown class request, vendor request: stalls. */
	assert_int_equal(req(0x21, 0x20, 0, NP_USB_IF_VENDOR, 7, lc, 7), USB_CTRL_STALL);
	assert_int_equal(req(0x21, 0x20, 0, NP_USB_IF_CDC_COMM, 7, lc, 5), USB_CTRL_STALL);
	assert_int_equal(req(0x21, 0x23, 0, NP_USB_IF_CDC_COMM, 0, NULL, 0), USB_CTRL_STALL);
	assert_int_equal(req(0x40, 0x01, 0, 0, 0, NULL, 0), USB_CTRL_STALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_device_descriptor, setup),
		cmocka_unit_test_setup(test_configuration_walk, setup),
		cmocka_unit_test_setup(test_strings, setup),
		cmocka_unit_test_setup(test_address_and_configuration, setup),
		cmocka_unit_test_setup(test_status_and_halt, setup),
		cmocka_unit_test_setup(test_cdc_requests, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
