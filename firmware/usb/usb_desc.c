#include <string.h>

#include "usb_desc.h"

#define LO(x) (uint8_t)((x) & 0xFFu)
#define HI(x) (uint8_t)(((x) >> 8) & 0xFFu)

const uint8_t np_usb_device_desc[18] = {
	18, 0x01,             /* bLength, DEVICE */
	0x00, 0x02,           /* bcdUSB 2.00 */
	0xEF, 0x02, 0x01,     /* class Miscellaneous, subclass Common, protocol IAD: needed for the IAD */
	NP_USB_EP0_SIZE,
	LO(NP_USB_VID), HI(NP_USB_VID),
	LO(NP_USB_PID), HI(NP_USB_PID),
	LO(NP_USB_BCD_DEVICE), HI(NP_USB_BCD_DEVICE),
	NP_USB_STR_MANUFACTURER, NP_USB_STR_PRODUCT, NP_USB_STR_SERIAL,
	1,                    /* bNumConfigurations */
};

#define CONFIG_LEN (9 + 8 + 9 + 5 + 5 + 4 + 5 + 7 + 9 + 7 + 7 + 9 + 7 + 7)

const uint8_t np_usb_config_desc[CONFIG_LEN] = {
	/* Configuration (9.6.3): bus powered, 100 mA (the motor peaks at about 80 mA). */
	9, 0x02, LO(CONFIG_LEN), HI(CONFIG_LEN), NP_USB_NUM_INTERFACES, 1, 0, 0x80, 50,
	/* Interface association: interfaces 0-1 are one CDC function. */
	8, 0x0B, NP_USB_IF_CDC_COMM, 2, 0x02, 0x02, 0x00, NP_USB_STR_CDC,
	/* Interface 0: CDC communication, abstract control model, no AT commands. */
	9, 0x04, NP_USB_IF_CDC_COMM, 0, 1, 0x02, 0x02, 0x00, NP_USB_STR_CDC,
	5, 0x24, 0x00, 0x20, 0x01,                  /* Header, CDC 1.20 */
	5, 0x24, 0x01, 0x00, NP_USB_IF_CDC_DATA,    /* Call management: none, data on if 1 */
	4, 0x24, 0x02, 0x02,                        /* ACM: line coding and control line state */
	5, 0x24, 0x06, NP_USB_IF_CDC_COMM, NP_USB_IF_CDC_DATA, /* Union */
	7, 0x05, NP_USB_EP_CDC_NOTIFY, 0x03, 8, 0, 255,        /* interrupt IN */
	/* Interface 1: CDC data. */
	9, 0x04, NP_USB_IF_CDC_DATA, 0, 2, 0x0A, 0x00, 0x00, 0,
	7, 0x05, NP_USB_EP_CDC_OUT, 0x02, 64, 0, 0,
	7, 0x05, NP_USB_EP_CDC_IN, 0x02, 64, 0, 0,
	/* Interface 2: vendor specific, the same frames for libusb. */
	9, 0x04, NP_USB_IF_VENDOR, 0, 2, 0xFF, 0x00, 0x00, NP_USB_STR_VENDOR,
	7, 0x05, NP_USB_EP_VENDOR_OUT, 0x02, 64, 0, 0,
	7, 0x05, NP_USB_EP_VENDOR_IN, 0x02, 64, 0, 0,
};

const size_t np_usb_config_desc_len = sizeof np_usb_config_desc;

size_t np_usb_string_desc(unsigned idx, const char *serial, uint8_t *out, size_t cap)
{
	static const char *const text[NP_USB_STR_COUNT] = {
		[NP_USB_STR_MANUFACTURER] = "nightpose",
		[NP_USB_STR_PRODUCT] = "nightpose sensor",
		[NP_USB_STR_CDC] = "nightpose serial",
		[NP_USB_STR_VENDOR] = "nightpose frames",
	};
	const char *s;

	if (idx == NP_USB_STR_LANGID) {
		if (cap < 4)
			return 0;
		out[0] = 4;
		out[1] = 0x03;
		out[2] = 0x09; /* 0x0409 English (United States) */
		out[3] = 0x04;
		return 4;
	}
	if (idx >= NP_USB_STR_COUNT)
		return 0;
	s = idx == NP_USB_STR_SERIAL ? (serial ? serial : "0") : text[idx];
	size_t n = strlen(s);
	if (n > 126)
		n = 126; /* bLength is one byte: 2 + 2 * 126 = 254 */
	if (cap < 2 + 2 * n)
		return 0;
	out[0] = (uint8_t)(2 + 2 * n);
	out[1] = 0x03;
	for (size_t i = 0; i < n; i++) {
		out[2 + 2 * i] = (uint8_t)s[i];
		out[3 + 2 * i] = 0;
	}
	return 2 + 2 * n;
}
