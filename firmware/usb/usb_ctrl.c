#include <string.h>

#include "usb_ctrl.h"
#include "usb_desc.h"

/* bmRequestType fields (USB 2.0 Table 9-2). */
#define DIR_IN 0x80u
#define TYPE_MASK 0x60u
#define TYPE_STANDARD 0x00u
#define TYPE_CLASS 0x20u
#define RCPT_MASK 0x1Fu
#define RCPT_DEVICE 0u
#define RCPT_INTERFACE 1u
#define RCPT_ENDPOINT 2u

/* Standard requests (Table 9-4) and descriptor types (Table 9-5). */
enum {
	GET_STATUS = 0, CLEAR_FEATURE = 1, SET_FEATURE = 3, SET_ADDRESS = 5, GET_DESCRIPTOR = 6,
	GET_CONFIGURATION = 8, SET_CONFIGURATION = 9, GET_INTERFACE = 10, SET_INTERFACE = 11,
};
enum { DESC_DEVICE = 1, DESC_CONFIG = 2, DESC_STRING = 3 };
#define FEATURE_ENDPOINT_HALT 0u
#define FEATURE_REMOTE_WAKEUP 1u

/* CDC PSTN requests (PSTN 1.2 Table 13). */
enum { SET_LINE_CODING = 0x20, GET_LINE_CODING = 0x21, SET_CONTROL_LINE_STATE = 0x22 };

void usb_setup_parse(const uint8_t raw[8], struct usb_setup *s)
{
	s->bmRequestType = raw[0];
	s->bRequest = raw[1];
	s->wValue = (uint16_t)(raw[2] | raw[3] << 8);
	s->wIndex = (uint16_t)(raw[4] | raw[5] << 8);
	s->wLength = (uint16_t)(raw[6] | raw[7] << 8);
}

void usb_ctrl_init(struct usb_ctrl *c, const char *serial)
{
	memset(c, 0, sizeof *c);
	c->serial = serial;
	c->line.baud = 115200;
	c->line.data_bits = 8;
}

static enum usb_ctrl_result reply_with(const struct usb_setup *s, const uint8_t *src, size_t len,
				       uint8_t *reply, size_t cap, size_t *reply_len)
{
	/* The host asks for wLength bytes and may ask for less than the whole descriptor. */
	if (len > s->wLength)
		len = s->wLength;
	if (len > cap)
		return USB_CTRL_STALL;
	memcpy(reply, src, len);
	*reply_len = len;
	return USB_CTRL_OK;
}

/* Endpoints of the configuration; bit index as in usb_ctrl.halted. */
static int endpoint_bit(uint16_t ep)
{
	switch (ep) {
	case NP_USB_EP_CDC_NOTIFY: return 1;
	case NP_USB_EP_CDC_IN: return 2;
	case NP_USB_EP_VENDOR_IN: return 3;
	case NP_USB_EP_CDC_OUT: return 2 + 4;
	case NP_USB_EP_VENDOR_OUT: return 3 + 4;
	default: return -1;
	}
}

static enum usb_ctrl_result get_descriptor(struct usb_ctrl *c, const struct usb_setup *s,
					   uint8_t *reply, size_t cap, size_t *reply_len)
{
	uint8_t type = (uint8_t)(s->wValue >> 8), idx = (uint8_t)s->wValue;
	uint8_t str[256];
	size_t n;

	switch (type) {
	case DESC_DEVICE:
		return reply_with(s, np_usb_device_desc, sizeof np_usb_device_desc, reply, cap, reply_len);
	case DESC_CONFIG:
		if (idx != 0)
			return USB_CTRL_STALL;
		return reply_with(s, np_usb_config_desc, np_usb_config_desc_len, reply, cap, reply_len);
	case DESC_STRING:
		n = np_usb_string_desc(idx, c->serial, str, sizeof str);
		if (n == 0)
			return USB_CTRL_STALL;
		return reply_with(s, str, n, reply, cap, reply_len);
	default:
		/* Device qualifier, other-speed, BOS...: a full-speed-only USB 2.0 device stalls. */
		return USB_CTRL_STALL;
	}
}

static enum usb_ctrl_result standard(struct usb_ctrl *c, const struct usb_setup *s,
				     uint8_t *reply, size_t cap, size_t *reply_len)
{
	uint8_t rcpt = s->bmRequestType & RCPT_MASK;
	uint8_t st[2] = { 0, 0 };
	int bit;

	switch (s->bRequest) {
	case GET_DESCRIPTOR:
		if (!(s->bmRequestType & DIR_IN) || rcpt != RCPT_DEVICE)
			return USB_CTRL_STALL;
		return get_descriptor(c, s, reply, cap, reply_len);
	case SET_ADDRESS:
		if (rcpt != RCPT_DEVICE || s->wValue > 127 || s->wIndex != 0 || s->wLength != 0)
			return USB_CTRL_STALL;
		/* Takes effect after the status stage (USB 2.0 9.4.6): the driver applies it. */
		c->pending_address = (uint8_t)s->wValue;
		c->address_pending = true;
		return USB_CTRL_OK;
	case GET_CONFIGURATION:
		return reply_with(s, &c->configuration, 1, reply, cap, reply_len);
	case SET_CONFIGURATION:
		if (s->wValue > 1 || c->address == 0)
			return USB_CTRL_STALL;
		c->configuration = (uint8_t)s->wValue;
		c->halted = 0;
		return USB_CTRL_OK;
	case GET_STATUS:
		if (rcpt == RCPT_DEVICE) {
			st[0] = (uint8_t)(c->remote_wakeup ? 0x02u : 0x00u); /* bus powered */
		} else if (rcpt == RCPT_INTERFACE) {
			if (c->configuration == 0 || s->wIndex >= NP_USB_NUM_INTERFACES)
				return USB_CTRL_STALL;
		} else if (rcpt == RCPT_ENDPOINT) {
			if ((s->wIndex & 0x7Fu) != 0) {
				if ((bit = endpoint_bit(s->wIndex)) < 0 || c->configuration == 0)
					return USB_CTRL_STALL;
				st[0] = (uint8_t)(((unsigned)c->halted >> bit) & 1u);
			}
		} else {
			return USB_CTRL_STALL;
		}
		return reply_with(s, st, 2, reply, cap, reply_len);
	case CLEAR_FEATURE:
	case SET_FEATURE:
		if (rcpt == RCPT_DEVICE && s->wValue == FEATURE_REMOTE_WAKEUP) {
			c->remote_wakeup = s->bRequest == SET_FEATURE;
			return USB_CTRL_OK;
		}
		if (rcpt != RCPT_ENDPOINT || s->wValue != FEATURE_ENDPOINT_HALT || c->configuration == 0 ||
		    (bit = endpoint_bit(s->wIndex)) < 0)
			return USB_CTRL_STALL;
		if (s->bRequest == SET_FEATURE)
			c->halted = (uint8_t)((unsigned)c->halted | (1u << bit));
		else
			c->halted = (uint8_t)((unsigned)c->halted & ~(1u << bit));
		return USB_CTRL_OK;
	case GET_INTERFACE:
		if (c->configuration == 0 || s->wIndex >= NP_USB_NUM_INTERFACES)
			return USB_CTRL_STALL;
		return reply_with(s, st, 1, reply, cap, reply_len); /* only alternate setting 0 */
	case SET_INTERFACE:
		if (c->configuration == 0 || s->wIndex >= NP_USB_NUM_INTERFACES || s->wValue != 0)
			return USB_CTRL_STALL;
		return USB_CTRL_OK;
	default:
		return USB_CTRL_STALL;
	}
}

static enum usb_ctrl_result cdc(struct usb_ctrl *c, const struct usb_setup *s, const uint8_t *data,
				size_t data_len, uint8_t *reply, size_t cap, size_t *reply_len)
{
	uint8_t lc[7];

	if ((s->bmRequestType & RCPT_MASK) != RCPT_INTERFACE || s->wIndex != NP_USB_IF_CDC_COMM)
		return USB_CTRL_STALL;
	switch (s->bRequest) {
	case SET_LINE_CODING:
		if (s->wLength != 7 || data_len != 7 || data[6] == 0)
			return USB_CTRL_STALL;
		/* Nothing to configure on a USB link; kept so GET_LINE_CODING echoes it. */
		c->line.baud = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
			       (uint32_t)data[3] << 24;
		c->line.stop_bits = data[4];
		c->line.parity = data[5];
		c->line.data_bits = data[6];
		return USB_CTRL_OK;
	case GET_LINE_CODING:
		lc[0] = (uint8_t)c->line.baud;
		lc[1] = (uint8_t)(c->line.baud >> 8);
		lc[2] = (uint8_t)(c->line.baud >> 16);
		lc[3] = (uint8_t)(c->line.baud >> 24);
		lc[4] = c->line.stop_bits;
		lc[5] = c->line.parity;
		lc[6] = c->line.data_bits;
		return reply_with(s, lc, sizeof lc, reply, cap, reply_len);
	case SET_CONTROL_LINE_STATE:
		c->control_lines = s->wValue & 0x3u;
		return USB_CTRL_OK;
	default:
		return USB_CTRL_STALL;
	}
}

bool usb_ctrl_status_done(struct usb_ctrl *c)
{
	if (!c->address_pending)
		return false;
	c->address = c->pending_address;
	c->address_pending = false;
	if (c->address == 0)
		c->configuration = 0; /* back to the default state (9.1.1) */
	return true;
}

enum usb_ctrl_result usb_ctrl_request(struct usb_ctrl *c, const struct usb_setup *s,
				      const uint8_t *data, size_t data_len, uint8_t *reply,
				      size_t cap, size_t *reply_len)
{
	*reply_len = 0;
	switch (s->bmRequestType & TYPE_MASK) {
	case TYPE_STANDARD:
		return standard(c, s, reply, cap, reply_len);
	case TYPE_CLASS:
		return cdc(c, s, data, data_len, reply, cap, reply_len);
	default:
		return USB_CTRL_STALL; /* no vendor requests: the vendor interface uses bulk only */
	}
}
