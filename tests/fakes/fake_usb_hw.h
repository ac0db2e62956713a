/*
 * A fake USB device controller under usb_dev (struct usb_hw_ops), with a small
 * host on the other side of the cable. It keeps what the OTG_FS core keeps:
 * one packet at a time per IN endpoint (in_packet refuses while one is queued,
 * as the core does while EPENA is set), which OUT endpoints are armed (the host
 * can only deliver to those, otherwise it is NAKed), STALL per endpoint, the
 * address, and interrupts the main loop asked for. The host side performs
 * control transfers as a USB host does (reads until a short packet or wLength,
 * then the status stage), reads bulk IN endpoints and writes bulk OUT ones.
 */
#ifndef NIGHTPOSE_TESTS_FAKES_FAKE_USB_HW_H
#define NIGHTPOSE_TESTS_FAKES_FAKE_USB_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "usb_dev.h"

#define FAKE_USB_EPS 4
#define FAKE_USB_LOG 64

struct fake_usb_hw {
	struct usb_dev *dev;
	/* IN packet queued per endpoint (len -1: none). */
	int in_len[FAKE_USB_EPS];
	uint8_t in_data[FAKE_USB_EPS][64];
	bool out_armed[FAKE_USB_EPS];
	bool stall_in[FAKE_USB_EPS], stall_out[FAKE_USB_EPS];
	bool ep0_stalled;
	bool configured;
	uint8_t address;
	unsigned kicks;      /* interrupt requests not yet served */
	unsigned configures; /* calls to configure() */
	/* Order of controller calls, as letters: I in_packet, A set_address, C configure, S stall. */
	char log[FAKE_USB_LOG];
	size_t log_len;
};

extern const struct usb_hw_ops fake_usb_hw_ops;

void fake_usb_hw_init(struct fake_usb_hw *hw, struct usb_dev *dev);
/* The interrupt runs: usb_dev_service() if the main loop asked for it. */
void fake_usb_hw_irq(struct fake_usb_hw *hw);

/*
 * One control transfer. For IN requests the data stage goes to buf (up to cap)
 * and its length to *got; for OUT requests data/len is the data stage.
 * Returns false when the device stalled. *packets (optional): IN packets seen,
 * including a terminating zero-length one.
 */
bool fake_usb_control(struct fake_usb_hw *hw, uint8_t type, uint8_t req, uint16_t value,
		      uint16_t index, uint16_t length, const uint8_t *data, uint8_t *buf,
		      size_t cap, size_t *got, unsigned *packets);

/* Read the next IN packet of endpoint ep into buf; -1 when the device has none (NAK). */
int fake_usb_host_in(struct fake_usb_hw *hw, uint8_t ep, uint8_t *buf);
/* Send one OUT packet to endpoint ep; false when the endpoint is not armed (NAK). */
bool fake_usb_host_out(struct fake_usb_hw *hw, uint8_t ep, const uint8_t *p, size_t n);

/* Standard enumeration as Linux does it: address 5, configuration 1. */
void fake_usb_enumerate(struct fake_usb_hw *hw);

#endif
