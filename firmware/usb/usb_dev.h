/*
 * The nightpose USB device above the controller: the endpoint-0 state machine
 * (SETUP, data and status stages around usb_ctrl_request()), and the byte
 * stream of the link over the bulk endpoints (IN packets from a transmit ring,
 * OUT packets into a receive ring with back-pressure). No registers: the
 * controller driver (boards/blackpill/otg_fs.c for the STM32F411 OTG_FS core)
 * reports events to the usb_dev_* "ISR side" calls and carries out the
 * requests it gets through struct usb_hw_ops; tests use a fake.
 *
 * The link: both bulk interfaces feed one link. Received bytes from either OUT
 * endpoint (0x02 CDC data, 0x03 vendor) go to the one receive ring; what the
 * firmware sends goes to the IN endpoint of the interface the host opened last:
 * CDC (0x82) when it raises DTR (opening /dev/ttyACM* does), vendor (0x83) when
 * it selects interface 2 (SET_INTERFACE) or sends on 0x03. Until then, and after
 * DTR drops on the CDC side, the link is closed and usb_dev_link_write() refuses.
 *
 * Concurrency: the ISR-side calls run in the USB interrupt only; the main loop
 * calls usb_dev_link_write/read/open only. Each ring has one producer and one
 * consumer; the main loop asks the interrupt for service through ops->kick.
 */
#ifndef NIGHTPOSE_FIRMWARE_USB_USB_DEV_H
#define NIGHTPOSE_FIRMWARE_USB_USB_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "usb_ctrl.h"

#define USB_DEV_PACKET 64u     /* full-speed bulk and EP0 max packet size */
#define USB_DEV_EP0_REPLY 128u /* longest IN reply: configuration descriptor (98 bytes) */
#define USB_DEV_EP0_OUT 16u    /* longest OUT data stage: SET_LINE_CODING (7 bytes) */

/* Byte ring, any capacity up to 32767; positions run over [0, 2 * cap) so full != empty. */
struct usb_ring {
	uint8_t *buf;
	uint16_t cap;
	volatile uint16_t head; /* written by the producer only */
	volatile uint16_t tail; /* written by the consumer only */
};

size_t usb_ring_count(const struct usb_ring *r);

/* What usb_dev asks of the controller; every call comes from the USB interrupt. */
struct usb_hw_ops {
	/* Send one IN packet of n <= 64 bytes (n = 0: zero-length) on endpoint ep (0-3).
	 * false when the endpoint or its FIFO cannot take it now (nothing queued). */
	bool (*in_packet)(void *hw, uint8_t ep, const uint8_t *p, size_t n);
	/* Let bulk OUT endpoint ep (1-3) accept one packet of up to 64 bytes. Endpoint 0
	 * OUT is always kept ready by the driver (SETUP packets cannot be refused). */
	void (*out_arm)(void *hw, uint8_t ep);
	/* Set or clear STALL on endpoint address ep_addr (bit 7 = IN). ep_addr 0: the
	 * control endpoint's current request, both directions (cleared by the next SETUP).
	 * Clearing also resets the data toggle to DATA0. */
	void (*stall)(void *hw, uint8_t ep_addr, bool on);
	/* Program the device address. Called as soon as SET_ADDRESS is accepted, before
	 * its status stage: the Synopsys OTG core answers the status stage with the old
	 * address by itself and needs OTG_FS_DCFG.DAD written early (RM0383 chapter 22;
	 * tinyusb's dcd_dwc2.c and libopencm3's DWC driver do the same). */
	void (*set_address)(void *hw, uint8_t addr);
	/* Activate (on) or deactivate the bulk and interrupt endpoints of configuration 1. */
	void (*configure)(void *hw, bool on);
	/* Main loop -> interrupt: have usb_dev_service() run soon in the USB interrupt. */
	void (*kick)(void *hw);
};

enum usb_ep0_stage {
	USB_EP0_IDLE,       /* waiting for SETUP */
	USB_EP0_DATA_OUT,   /* receiving the OUT data stage */
	USB_EP0_DATA_IN,    /* sending the IN data stage */
	USB_EP0_STATUS_IN,  /* zero-length IN status queued */
	USB_EP0_STATUS_OUT, /* waiting for the host's zero-length OUT */
};

struct usb_dev {
	const struct usb_hw_ops *ops;
	void *hw;
	struct usb_ctrl ctrl;

	/* Endpoint 0. */
	struct usb_setup setup;
	uint8_t ep0_stage;  /* enum usb_ep0_stage */
	bool ep0_zlp;       /* IN data stage ends with a zero-length packet */
	uint16_t ep0_len;   /* reply length */
	uint16_t ep0_off;   /* bytes of the reply handed to the controller */
	uint16_t ep0_got;   /* OUT data stage bytes received */
	uint8_t ep0_reply[USB_DEV_EP0_REPLY];
	uint8_t ep0_out[USB_DEV_EP0_OUT];

	/* The link. */
	struct usb_ring tx;  /* main loop -> IN endpoint */
	struct usb_ring rx;  /* OUT endpoints -> main loop */
	volatile uint8_t link_in; /* IN endpoint number carrying the link, 0: closed */
	uint8_t in_busy;     /* bit n: a packet is queued on IN endpoint n */
	uint8_t in_last;     /* length of the last link packet (64: a ZLP may be due) */
	uint8_t out_armed;   /* bit n: OUT endpoint n may receive a packet */
	uint32_t rx_bytes;   /* counters, for tests and debugging */
	uint32_t tx_bytes;
};

/* tx_buf must hold the longest frame the app writes in one call (all or nothing). */
void usb_dev_init(struct usb_dev *d, const struct usb_hw_ops *ops, void *hw, const char *serial,
		  uint8_t *tx_buf, uint16_t tx_cap, uint8_t *rx_buf, uint16_t rx_cap);

/* ISR side: events from the controller. */
void usb_dev_bus_reset(struct usb_dev *d);
void usb_dev_setup(struct usb_dev *d, const uint8_t raw[8]);
/* An OUT data packet (any endpoint, including 0; n may be 0). Bulk packets fit:
 * an endpoint is armed only while the receive ring has room for it. */
void usb_dev_out_packet(struct usb_dev *d, uint8_t ep, const uint8_t *p, size_t n);
/* OUT endpoint ep (1-3) finished its transfer and is no longer armed. */
void usb_dev_out_done(struct usb_dev *d, uint8_t ep);
/* IN endpoint ep (0-3) sent the packet queued by in_packet. */
void usb_dev_in_done(struct usb_dev *d, uint8_t ep);
/* Start what the rings allow: an IN packet, re-arming OUT endpoints. */
void usb_dev_service(struct usb_dev *d);

/* Main-loop side: the fw_board link. */
bool usb_dev_link_open(const struct usb_dev *d);
/* All len bytes queued (NP_OK), or none: NP_ERR_AGAIN when the host has not opened
 * the link or the transmit ring lacks room; never waits. */
int usb_dev_link_write(struct usb_dev *d, const uint8_t *buf, size_t len);
size_t usb_dev_link_read(struct usb_dev *d, uint8_t *buf, size_t cap);

#endif
