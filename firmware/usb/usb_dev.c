#include <stdatomic.h>
#include <string.h>

#include "np_err.h"
#include "usb_desc.h"
#include "usb_dev.h"

/* Requests whose side effects reach the controller (USB 2.0 Table 9-4, PSTN 1.2 Table 13). */
#define REQ_CLEAR_FEATURE 1u
#define REQ_SET_FEATURE 3u
#define REQ_SET_CONFIGURATION 9u
#define REQ_SET_INTERFACE 11u
#define REQ_SET_CONTROL_LINE_STATE 0x22u
#define RT_DIR_IN 0x80u
#define RT_STD_ENDPOINT 0x02u
#define RT_STD_INTERFACE 0x01u
#define RT_STD_DEVICE 0x00u
#define RT_CLASS_INTERFACE 0x21u

#define EP_CDC_IN (NP_USB_EP_CDC_IN & 0x7Fu)
#define EP_VENDOR_IN (NP_USB_EP_VENDOR_IN & 0x7Fu)
#define EP_CDC_OUT NP_USB_EP_CDC_OUT
#define EP_VENDOR_OUT NP_USB_EP_VENDOR_OUT
/* usb_ctrl.halted: bit n IN endpoint n, bit n + 4 OUT endpoint n. */
#define HALT_IN(ep) (1u << (ep))
#define HALT_OUT(ep) (1u << ((ep) + 4u))

/* --- ring --- */

static void ring_init(struct usb_ring *r, uint8_t *buf, uint16_t cap)
{
	r->buf = buf;
	r->cap = cap;
	r->head = r->tail = 0;
}

size_t usb_ring_count(const struct usb_ring *r)
{
	uint16_t h = r->head, t = r->tail;
	return h >= t ? (size_t)(h - t) : (size_t)(h + 2u * r->cap - t);
}

static size_t ring_free(const struct usb_ring *r)
{
	return r->cap - usb_ring_count(r);
}

static uint16_t ring_advance(const struct usb_ring *r, uint16_t pos, size_t n)
{
	size_t p = pos + n;
	return (uint16_t)(p >= 2u * r->cap ? p - 2u * r->cap : p);
}

/* Producer: the caller checked ring_free() >= n. */
static void ring_put(struct usb_ring *r, const uint8_t *src, size_t n)
{
	uint16_t h = r->head;
	for (size_t i = 0; i < n; i++) {
		uint16_t pos = ring_advance(r, h, i);
		r->buf[pos >= r->cap ? pos - r->cap : pos] = src[i];
	}
	/* The bytes must be in the buffer before the consumer (the other context) sees head. */
	atomic_signal_fence(memory_order_release);
	r->head = ring_advance(r, h, n);
}

/* Consumer: copy out up to n bytes without removing them. */
static size_t ring_peek(const struct usb_ring *r, uint8_t *dst, size_t n)
{
	size_t avail = usb_ring_count(r);
	uint16_t t = r->tail;
	if (n > avail)
		n = avail;
	atomic_signal_fence(memory_order_acquire);
	for (size_t i = 0; i < n; i++) {
		uint16_t pos = ring_advance(r, t, i);
		dst[i] = r->buf[pos >= r->cap ? pos - r->cap : pos];
	}
	return n;
}

static void ring_drop(struct usb_ring *r, size_t n)
{
	atomic_signal_fence(memory_order_release);
	r->tail = ring_advance(r, r->tail, n);
}

/* Consumer side: forget everything queued (the producer's bytes in flight are not touched). */
static void ring_flush(struct usb_ring *r)
{
	r->tail = r->head;
}

/* --- link --- */

static void link_select(struct usb_dev *d, uint8_t ep_in)
{
	if (d->link_in == ep_in)
		return;
	/* Bytes queued for the previous reader are stale for the new one; the host's
	 * frame decoder resynchronises on the next delimiter anyway. */
	ring_flush(&d->tx);
	d->in_last = 0;
	d->link_in = ep_in;
}

static bool in_halted(const struct usb_dev *d, uint8_t ep)
{
	return (d->ctrl.halted & HALT_IN(ep)) != 0;
}

static void in_start(struct usb_dev *d)
{
	uint8_t ep = d->link_in, pkt[USB_DEV_PACKET];

	if (ep == 0 || (d->in_busy & (1u << ep)) || in_halted(d, ep))
		return;
	size_t n = ring_peek(&d->tx, pkt, sizeof pkt);
	/* A full-size last packet leaves the host's read waiting for more: end the
	 * transfer with a zero-length packet when nothing follows. */
	if (n == 0 && d->in_last != USB_DEV_PACKET)
		return;
	if (!d->ops->in_packet(d->hw, ep, pkt, n))
		return;
	ring_drop(&d->tx, n);
	d->tx_bytes += (uint32_t)n;
	d->in_busy = (uint8_t)(d->in_busy | 1u << ep);
	d->in_last = (uint8_t)n;
}

static unsigned popcount4(unsigned v)
{
	return (v & 1u) + (v >> 1 & 1u) + (v >> 2 & 1u) + (v >> 3 & 1u);
}

/* Arm an OUT endpoint only while the ring can take a full packet for it and for
 * every endpoint already armed: the host is NAKed (held back), nothing is dropped. */
static void out_arm_all(struct usb_dev *d)
{
	static const uint8_t eps[] = { EP_CDC_OUT, EP_VENDOR_OUT };

	if (d->ctrl.configuration == 0)
		return;
	for (size_t i = 0; i < sizeof eps; i++) {
		uint8_t ep = eps[i];
		if ((d->out_armed & (1u << ep)) || (d->ctrl.halted & HALT_OUT(ep)))
			continue;
		if (ring_free(&d->rx) < USB_DEV_PACKET * (1u + popcount4(d->out_armed)))
			return;
		d->ops->out_arm(d->hw, ep);
		d->out_armed = (uint8_t)(d->out_armed | 1u << ep);
	}
}

static void link_reset(struct usb_dev *d)
{
	d->link_in = 0;
	d->in_busy = 0;
	d->in_last = 0;
	d->out_armed = 0;
	ring_flush(&d->tx);
}

/* --- endpoint 0 --- */

static void ep0_stall(struct usb_dev *d)
{
	d->ops->stall(d->hw, 0, true);
	d->ep0_stage = USB_EP0_IDLE;
}

static void ep0_send_next(struct usb_dev *d)
{
	size_t n = (size_t)(d->ep0_len - d->ep0_off);
	if (n > USB_DEV_PACKET)
		n = USB_DEV_PACKET;
	(void)d->ops->in_packet(d->hw, 0, d->ep0_reply + d->ep0_off, n);
	d->ep0_off = (uint16_t)(d->ep0_off + n);
}

/* Carry out what an accepted request changed in usb_ctrl on the controller and the link. */
static void apply_request(struct usb_dev *d, uint8_t config_before, uint16_t lines_before)
{
	const struct usb_setup *s = &d->setup;

	if (d->ctrl.address_pending && usb_ctrl_status_done(&d->ctrl))
		d->ops->set_address(d->hw, d->ctrl.address);

	if ((s->bmRequestType == RT_STD_DEVICE && s->bRequest == REQ_SET_CONFIGURATION) ||
	    d->ctrl.configuration != config_before) {
		/* Also on SET_CONFIGURATION 1 when configured: it resets the endpoints' toggles. */
		link_reset(d);
		d->ops->configure(d->hw, d->ctrl.configuration != 0);
		out_arm_all(d);
		/* A host that re-selects the configuration with the port open keeps it open. */
		if (d->ctrl.configuration != 0 && (d->ctrl.control_lines & 1u))
			link_select(d, EP_CDC_IN);
	}

	if (s->bmRequestType == RT_STD_ENDPOINT &&
	    (s->bRequest == REQ_SET_FEATURE || s->bRequest == REQ_CLEAR_FEATURE)) {
		uint8_t ep_addr = (uint8_t)s->wIndex;
		d->ops->stall(d->hw, ep_addr, s->bRequest == REQ_SET_FEATURE);
		if (s->bRequest == REQ_CLEAR_FEATURE && (ep_addr & RT_DIR_IN))
			d->in_busy = (uint8_t)(d->in_busy & ~(1u << (ep_addr & 0x7Fu)));
	}

	if (s->bmRequestType == RT_STD_INTERFACE && s->bRequest == REQ_SET_INTERFACE &&
	    s->wIndex == NP_USB_IF_VENDOR)
		link_select(d, EP_VENDOR_IN);

	if (s->bmRequestType == RT_CLASS_INTERFACE && s->bRequest == REQ_SET_CONTROL_LINE_STATE) {
		bool dtr = (d->ctrl.control_lines & 1u) != 0, was = (lines_before & 1u) != 0;
		if (dtr && !was)
			link_select(d, EP_CDC_IN);
		else if (!dtr && d->link_in == EP_CDC_IN)
			link_select(d, 0);
	}
}

static void ep0_finish(struct usb_dev *d, const uint8_t *data, size_t data_len)
{
	uint8_t config_before = d->ctrl.configuration;
	uint16_t lines_before = d->ctrl.control_lines;
	size_t len = 0;

	if (usb_ctrl_request(&d->ctrl, &d->setup, data, data_len, d->ep0_reply, sizeof d->ep0_reply,
			     &len) != USB_CTRL_OK) {
		ep0_stall(d);
		return;
	}
	apply_request(d, config_before, lines_before);
	if (d->setup.bmRequestType & RT_DIR_IN) {
		d->ep0_len = (uint16_t)len;
		d->ep0_off = 0;
		/* Shorter than asked and a multiple of 64: the host needs a short packet to
		 * see the end. An empty reply is itself that packet. */
		d->ep0_zlp = len > 0 && len < d->setup.wLength && len % USB_DEV_PACKET == 0;
		d->ep0_stage = USB_EP0_DATA_IN;
		ep0_send_next(d);
	} else {
		d->ep0_stage = USB_EP0_STATUS_IN;
		(void)d->ops->in_packet(d->hw, 0, NULL, 0);
	}
}

void usb_dev_setup(struct usb_dev *d, const uint8_t raw[8])
{
	/* A SETUP ends whatever request was under way (USB 2.0 8.5.3). */
	usb_setup_parse(raw, &d->setup);
	d->ep0_stage = USB_EP0_IDLE;
	d->in_busy = (uint8_t)(d->in_busy & ~1u);
	if (!(d->setup.bmRequestType & RT_DIR_IN) && d->setup.wLength > 0) {
		if (d->setup.wLength > sizeof d->ep0_out) {
			ep0_stall(d);
			return;
		}
		d->ep0_got = 0;
		d->ep0_stage = USB_EP0_DATA_OUT;
		return;
	}
	ep0_finish(d, NULL, 0);
}

static void ep0_out(struct usb_dev *d, const uint8_t *p, size_t n)
{
	switch (d->ep0_stage) {
	case USB_EP0_DATA_OUT: {
		size_t room = (size_t)(d->setup.wLength - d->ep0_got);
		memcpy(d->ep0_out + d->ep0_got, p, n < room ? n : room);
		d->ep0_got = (uint16_t)(d->ep0_got + (n < room ? n : room));
		if (d->ep0_got == d->setup.wLength || n < USB_DEV_PACKET)
			ep0_finish(d, d->ep0_out, d->ep0_got);
		break;
	}
	case USB_EP0_STATUS_OUT:
	case USB_EP0_DATA_IN:
		/* The status stage, possibly early (the host took less than offered). */
		d->ep0_stage = USB_EP0_IDLE;
		break;
	default:
		break;
	}
}

static void ep0_in_done(struct usb_dev *d)
{
	switch (d->ep0_stage) {
	case USB_EP0_DATA_IN:
		if (d->ep0_off < d->ep0_len) {
			ep0_send_next(d);
		} else if (d->ep0_zlp) {
			d->ep0_zlp = false;
			(void)d->ops->in_packet(d->hw, 0, NULL, 0);
		} else {
			d->ep0_stage = USB_EP0_STATUS_OUT; /* endpoint 0 OUT is always ready */
		}
		break;
	case USB_EP0_STATUS_IN:
		d->ep0_stage = USB_EP0_IDLE;
		break;
	default:
		break;
	}
}

/* --- ISR side --- */

void usb_dev_init(struct usb_dev *d, const struct usb_hw_ops *ops, void *hw, const char *serial,
		  uint8_t *tx_buf, uint16_t tx_cap, uint8_t *rx_buf, uint16_t rx_cap)
{
	memset(d, 0, sizeof *d);
	d->ops = ops;
	d->hw = hw;
	usb_ctrl_init(&d->ctrl, serial);
	ring_init(&d->tx, tx_buf, tx_cap);
	ring_init(&d->rx, rx_buf, rx_cap);
}

void usb_dev_bus_reset(struct usb_dev *d)
{
	usb_ctrl_init(&d->ctrl, d->ctrl.serial);
	d->ep0_stage = USB_EP0_IDLE;
	link_reset(d);
}

void usb_dev_out_packet(struct usb_dev *d, uint8_t ep, const uint8_t *p, size_t n)
{
	if (ep == 0) {
		ep0_out(d, p, n);
		return;
	}
	if (ep == EP_VENDOR_OUT)
		link_select(d, EP_VENDOR_IN);
	/* Room was reserved when the endpoint was armed; a packet beyond that (a host
	 * ignoring wMaxPacketSize) is cut, never written past the ring. */
	size_t room = ring_free(&d->rx);
	if (n > room)
		n = room;
	ring_put(&d->rx, p, n);
	d->rx_bytes += (uint32_t)n;
}

void usb_dev_out_done(struct usb_dev *d, uint8_t ep)
{
	d->out_armed = (uint8_t)(d->out_armed & ~(1u << ep));
	out_arm_all(d);
}

void usb_dev_in_done(struct usb_dev *d, uint8_t ep)
{
	d->in_busy = (uint8_t)(d->in_busy & ~(1u << ep));
	if (ep == 0)
		ep0_in_done(d);
	else
		in_start(d);
}

void usb_dev_service(struct usb_dev *d)
{
	in_start(d);
	out_arm_all(d);
}

/* --- main-loop side --- */

bool usb_dev_link_open(const struct usb_dev *d)
{
	return d->link_in != 0;
}

int usb_dev_link_write(struct usb_dev *d, const uint8_t *buf, size_t len)
{
	if (!usb_dev_link_open(d) || ring_free(&d->tx) < len)
		return NP_ERR_AGAIN;
	ring_put(&d->tx, buf, len);
	d->ops->kick(d->hw);
	return NP_OK;
}

size_t usb_dev_link_read(struct usb_dev *d, uint8_t *buf, size_t cap)
{
	size_t n = ring_peek(&d->rx, buf, cap);
	if (n > 0) {
		ring_drop(&d->rx, n);
		d->ops->kick(d->hw); /* room again: an OUT endpoint may be re-armed */
	}
	return n;
}
