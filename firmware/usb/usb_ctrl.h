/*
 * Endpoint-0 control requests of the nightpose USB device, independent of the
 * USB controller: the controller driver hands over each SETUP packet (and the
 * OUT data stage, if any) and sends back the reply or a STALL. Standard
 * requests (USB 2.0 section 9.4) and the CDC-ACM class requests the Linux and
 * macOS drivers send (PSTN 1.2 section 6.3). No allocation, no registers.
 */
#ifndef NIGHTPOSE_FIRMWARE_USB_USB_CTRL_H
#define NIGHTPOSE_FIRMWARE_USB_USB_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct usb_setup {
	uint8_t bmRequestType;
	uint8_t bRequest;
	uint16_t wValue;
	uint16_t wIndex;
	uint16_t wLength;
};

/* Parse the 8 bytes of a SETUP packet (little-endian fields). */
void usb_setup_parse(const uint8_t raw[8], struct usb_setup *s);

struct usb_line_coding {
	uint32_t baud;
	uint8_t stop_bits; /* 0 = 1, 1 = 1.5, 2 = 2 */
	uint8_t parity;    /* 0 none, 1 odd, 2 even, 3 mark, 4 space */
	uint8_t data_bits;
};

struct usb_ctrl {
	const char *serial;          /* for the serial-number string */
	uint8_t address;             /* current device address */
	uint8_t pending_address;     /* applied by the driver after the status stage */
	bool address_pending;
	uint8_t configuration;       /* 0 = not configured */
	uint8_t halted;              /* bit n: bulk/interrupt IN endpoint n halted; bit n+4: OUT */
	struct usb_line_coding line;
	uint16_t control_lines;      /* bit 0 DTR, bit 1 RTS (SET_CONTROL_LINE_STATE) */
	bool remote_wakeup;
};

void usb_ctrl_init(struct usb_ctrl *c, const char *serial);

enum usb_ctrl_result {
	USB_CTRL_STALL = 0, /* not supported or invalid: STALL the data or status stage */
	USB_CTRL_OK = 1,    /* send reply (possibly empty) in the data or status stage */
};

/*
 * Handle one request. data/data_len: the OUT data stage (host -> device), if
 * any. The IN reply goes to reply (at most cap bytes, never more than wLength)
 * with its length in *reply_len.
 */
enum usb_ctrl_result usb_ctrl_request(struct usb_ctrl *c, const struct usb_setup *s,
				      const uint8_t *data, size_t data_len, uint8_t *reply,
				      size_t cap, size_t *reply_len);

/*
 * The status stage of the last request has completed: a pending SET_ADDRESS
 * takes effect now. Returns true when the driver must program c->address.
 */
bool usb_ctrl_status_done(struct usb_ctrl *c);

/* The host opened the port (DTR set): /dev/ttyACM* is being read. */
static inline bool usb_ctrl_host_listening(const struct usb_ctrl *c)
{
	return c->configuration != 0 && (c->control_lines & 1u) != 0;
}

#endif
