#include <string.h>

#include "fake_usb_hw.h"

static void log_op(struct fake_usb_hw *hw, char c)
{
	if (hw->log_len + 1 < sizeof hw->log)
		hw->log[hw->log_len++] = c;
}

static bool in_packet(void *ctx, uint8_t ep, const uint8_t *p, size_t n)
{
	struct fake_usb_hw *hw = ctx;
	if (ep >= FAKE_USB_EPS || n > 64 || hw->in_len[ep] >= 0)
		return false;
	if (n > 0)
		memcpy(hw->in_data[ep], p, n);
	hw->in_len[ep] = (int)n;
	log_op(hw, 'I');
	return true;
}

static void out_arm(void *ctx, uint8_t ep)
{
	struct fake_usb_hw *hw = ctx;
	hw->out_armed[ep] = true;
}

static void stall(void *ctx, uint8_t ep_addr, bool on)
{
	struct fake_usb_hw *hw = ctx;
	uint8_t ep = ep_addr & 0x7Fu;
	log_op(hw, 'S');
	if (ep == 0)
		hw->ep0_stalled = on;
	else if (ep_addr & 0x80u)
		hw->stall_in[ep] = on;
	else
		hw->stall_out[ep] = on;
}

static void set_address(void *ctx, uint8_t addr)
{
	struct fake_usb_hw *hw = ctx;
	hw->address = addr;
	log_op(hw, 'A');
}

static void configure(void *ctx, bool on)
{
	struct fake_usb_hw *hw = ctx;
	hw->configured = on;
	hw->configures++;
	for (int i = 1; i < FAKE_USB_EPS; i++) {
		hw->out_armed[i] = false;
		hw->in_len[i] = -1;
		hw->stall_in[i] = hw->stall_out[i] = false;
	}
	log_op(hw, 'C');
}

static void kick(void *ctx)
{
	struct fake_usb_hw *hw = ctx;
	hw->kicks++;
}

const struct usb_hw_ops fake_usb_hw_ops = {
	.in_packet = in_packet,
	.out_arm = out_arm,
	.stall = stall,
	.set_address = set_address,
	.configure = configure,
	.kick = kick,
};

void fake_usb_hw_init(struct fake_usb_hw *hw, struct usb_dev *dev)
{
	memset(hw, 0, sizeof *hw);
	hw->dev = dev;
	for (int i = 0; i < FAKE_USB_EPS; i++)
		hw->in_len[i] = -1;
}

void fake_usb_hw_irq(struct fake_usb_hw *hw)
{
	if (hw->kicks > 0) {
		hw->kicks = 0;
		usb_dev_service(hw->dev);
	}
}

int fake_usb_host_in(struct fake_usb_hw *hw, uint8_t ep, uint8_t *buf)
{
	fake_usb_hw_irq(hw);
	if (hw->stall_in[ep] || hw->in_len[ep] < 0)
		return -1;
	int n = hw->in_len[ep];
	memcpy(buf, hw->in_data[ep], (size_t)n);
	hw->in_len[ep] = -1;
	usb_dev_in_done(hw->dev, ep); /* XFRC */
	return n;
}

bool fake_usb_host_out(struct fake_usb_hw *hw, uint8_t ep, const uint8_t *p, size_t n)
{
	fake_usb_hw_irq(hw);
	if (!hw->out_armed[ep] || hw->stall_out[ep])
		return false;
	hw->out_armed[ep] = false;
	usb_dev_out_packet(hw->dev, ep, p, n);
	usb_dev_out_done(hw->dev, ep); /* XFRC */
	return true;
}

bool fake_usb_control(struct fake_usb_hw *hw, uint8_t type, uint8_t req, uint16_t value,
		      uint16_t index, uint16_t length, const uint8_t *data, uint8_t *buf,
		      size_t cap, size_t *got, unsigned *packets)
{
	uint8_t raw[8] = { type, req, (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)index,
			   (uint8_t)(index >> 8), (uint8_t)length, (uint8_t)(length >> 8) };
	uint8_t pkt[64];
	size_t total = 0;
	unsigned np = 0;
	int n;

	hw->ep0_stalled = false; /* the core clears EP0 STALL on SETUP */
	hw->in_len[0] = -1;      /* and the driver drops what EP0 was still sending */
	usb_dev_setup(hw->dev, raw);

	if (type & 0x80u) {
		/* Data stage: IN packets until a short one or wLength. */
		while (total < length) {
			if (hw->ep0_stalled)
				return false;
			if ((n = fake_usb_host_in(hw, 0, pkt)) < 0)
				return false; /* would NAK forever: a driver bug, fail visibly */
			np++;
			memcpy(buf + total, pkt, (size_t)n <= cap - total ? (size_t)n : cap - total);
			total += (size_t)n;
			if (n < 64)
				break;
		}
		if (hw->ep0_stalled)
			return false;
		/* Status stage: zero-length OUT. */
		usb_dev_out_packet(hw->dev, 0, NULL, 0);
		if (hw->in_len[0] >= 0)
			return false; /* stray IN packet left queued */
	} else {
		for (size_t off = 0; off < length; off += 64) {
			if (hw->ep0_stalled)
				return false;
			size_t k = length - off < 64 ? length - off : 64;
			usb_dev_out_packet(hw->dev, 0, data + off, k);
		}
		if (hw->ep0_stalled)
			return false;
		/* Status stage: zero-length IN from the device. */
		if ((n = fake_usb_host_in(hw, 0, pkt)) != 0)
			return false;
	}
	if (got)
		*got = total;
	if (packets)
		*packets = np;
	return !hw->ep0_stalled;
}

void fake_usb_enumerate(struct fake_usb_hw *hw)
{
	uint8_t buf[256];
	size_t got;
	usb_dev_bus_reset(hw->dev);
	(void)fake_usb_control(hw, 0x80, 6, 0x0100, 0, 64, NULL, buf, sizeof buf, &got, NULL);
	(void)fake_usb_control(hw, 0x00, 5, 5, 0, 0, NULL, NULL, 0, NULL, NULL);
	(void)fake_usb_control(hw, 0x80, 6, 0x0200, 0, 255, NULL, buf, sizeof buf, &got, NULL);
	(void)fake_usb_control(hw, 0x00, 9, 1, 0, 0, NULL, NULL, 0, NULL, NULL);
}
