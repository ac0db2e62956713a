/*
 * OTG_FS device driver. Design, after reading the RM0383 programming model and
 * two well-kept drivers for this core (tinyusb dcd_dwc2.c, libopencm3
 * usb_dwc_common.c); the code is our own:
 * - Slave mode (no DMA). Every OUT packet is popped from the shared receive
 *   FIFO in the RXFLVL loop; a SETUP is handed to usb_dev when its "SETUP
 *   done" status is popped. Endpoint 0 OUT is re-armed after every transfer so
 *   data and status stages are always accepted.
 * - IN: one packet queued per endpoint at a time (PKTCNT 1); each transmit
 *   FIFO holds at least one 64-byte packet, so the FIFO is empty whenever the
 *   previous packet has completed (XFRC) and a new one can be written at once.
 * - Bulk OUT endpoints are armed by usb_dev only while its receive ring has
 *   room; until then the core NAKs the host, which is USB's back-pressure.
 */
#include <string.h>

#include "otg_fs.h"

/* Registers through a base pointer, so that host tests can give the driver a fake block. */
static volatile uint32_t *otg;
#define OTG_REG(off) (otg[(off) / 4u])
#include "stm32f4.h"

#ifdef OTG_FS_TEST_HOOKS
/* Host tests (tests/firmware/test_otg_fs.c): what plain memory cannot model. */
uint32_t otg_fs_hook_rx_status_pop(void);
uint32_t otg_fs_hook_fifo_pop(void);
void otg_fs_hook_fifo_push(unsigned ep, uint32_t word);
void otg_fs_hook_irq(bool pend);
void otg_fs_hook_delay_ms(uint32_t ms);
#define RX_STATUS_POP() otg_fs_hook_rx_status_pop()
#define FIFO_POP() otg_fs_hook_fifo_pop()
#define FIFO_PUSH(ep, w) otg_fs_hook_fifo_push(ep, w)
#define IRQ_ENABLE() otg_fs_hook_irq(false)
#define IRQ_PEND() otg_fs_hook_irq(true)
#define DELAY_MS(ms) otg_fs_hook_delay_ms(ms)
#else
#include "board_common.h"
#define RX_STATUS_POP() OTG_GRXSTSP
#define FIFO_POP() OTG_FIFO(0)
#define FIFO_PUSH(ep, w) (OTG_FIFO(ep) = (w))
#define IRQ_ENABLE() nvic_enable(IRQ_OTG_FS)
#define IRQ_PEND() nvic_set_pending(IRQ_OTG_FS)
#define DELAY_MS(ms) delay_ms(ms)

static void delay_ms(uint32_t ms)
{
	uint32_t t0 = board_ticks_ms;
	while (board_ticks_ms - t0 < ms)
		;
}
#endif

/* FIFO RAM, in 32-bit words, 304 of the 320: receive FIFO first, then the transmit FIFOs. */
#define RXF_WORDS 128u /* SETUPs + 2 x (64-byte packet + status) with margin */
#define TXF0_WORDS 32u /* EP0: one 64-byte packet needs 16 */
#define TXF1_WORDS 16u /* CDC notification (8 bytes); 16 is the minimum depth */
#define TXF2_WORDS 64u /* CDC data IN */
#define TXF3_WORDS 64u /* vendor IN */
_Static_assert(RXF_WORDS + TXF0_WORDS + TXF1_WORDS + TXF2_WORDS + TXF3_WORDS <= OTG_FS_FIFO_WORDS,
	       "FIFO RAM overcommitted");

#define EP_TYPE_BULK 2u
#define EP_TYPE_INTERRUPT 3u
#define N_EP 4u
#define SPIN_LIMIT 100000u /* bounded waits on the core: a dead core must not hang the ISR */

static struct usb_dev *dev;

static void spin_while(volatile uint32_t *reg, uint32_t mask, uint32_t value)
{
	for (uint32_t i = 0; i < SPIN_LIMIT && (*reg & mask) == value; i++)
		;
}

static void flush_tx_fifo(unsigned n)
{
	OTG_GRSTCTL = OTG_GRSTCTL_TXFFLSH | OTG_GRSTCTL_TXFNUM(n);
	spin_while(&OTG_GRSTCTL, OTG_GRSTCTL_TXFFLSH, OTG_GRSTCTL_TXFFLSH);
}

/* Take back a packet still queued on IN endpoint ep (a new SETUP, a halt, a reset). */
static void in_abort(unsigned ep)
{
	if (OTG_DIEPCTL(ep) & OTG_EPCTL_EPENA) {
		/* The manual's order: NAK first and wait until it is in effect, then disable. */
		OTG_DIEPCTL(ep) |= OTG_EPCTL_SNAK;
		spin_while(&OTG_DIEPINT(ep), OTG_DIEPINT_INEPNE, 0);
		OTG_DIEPCTL(ep) |= OTG_EPCTL_SNAK | OTG_EPCTL_EPDIS;
		spin_while(&OTG_DIEPINT(ep), OTG_EPINT_EPDISD, 0);
		OTG_DIEPINT(ep) = OTG_EPINT_EPDISD | OTG_DIEPINT_INEPNE;
	}
	flush_tx_fifo(ep);
}

static void ep0_out_arm(void)
{
	OTG_DOEPTSIZ(0) = OTG_DOEPTSIZ0_STUPCNT3 | OTG_EPTSIZ_ONE_PACKET(USB_DEV_PACKET);
	OTG_DOEPCTL(0) |= OTG_EPCTL_EPENA | OTG_EPCTL_CNAK;
}

static bool hw_in_packet(void *hw, uint8_t ep, const uint8_t *p, size_t n)
{
	uint32_t words = (uint32_t)(n + 3u) / 4u;
	(void)hw;

	if (OTG_DIEPCTL(ep) & OTG_EPCTL_EPENA)
		return false;
	if ((OTG_DTXFSTS(ep) & 0xFFFFu) < words)
		return false;
	OTG_DIEPTSIZ(ep) = OTG_EPTSIZ_ONE_PACKET(n);
	OTG_DIEPCTL(ep) |= OTG_EPCTL_EPENA | OTG_EPCTL_CNAK;
	for (size_t i = 0; i < n; i += 4u) {
		uint32_t w = 0;
		memcpy(&w, p + i, n - i < 4u ? n - i : 4u);
		FIFO_PUSH(ep, w);
	}
	return true;
}

static void hw_out_arm(void *hw, uint8_t ep)
{
	(void)hw;
	OTG_DOEPTSIZ(ep) = OTG_EPTSIZ_ONE_PACKET(USB_DEV_PACKET);
	OTG_DOEPCTL(ep) |= OTG_EPCTL_EPENA | OTG_EPCTL_CNAK;
}

static void hw_stall(void *hw, uint8_t ep_addr, bool on)
{
	unsigned ep = ep_addr & 0x7Fu;
	(void)hw;

	if (ep == 0) {
		/* Both directions; the core clears them itself when the next SETUP arrives. */
		OTG_DIEPCTL(0) |= OTG_EPCTL_STALL;
		OTG_DOEPCTL(0) |= OTG_EPCTL_STALL;
		return;
	}
	if (ep_addr & 0x80u) {
		if (on) {
			in_abort(ep);
			OTG_DIEPCTL(ep) |= OTG_EPCTL_STALL;
		} else {
			OTG_DIEPCTL(ep) = (OTG_DIEPCTL(ep) & ~OTG_EPCTL_STALL) | OTG_EPCTL_SD0PID;
		}
	} else {
		if (on)
			OTG_DOEPCTL(ep) |= OTG_EPCTL_STALL;
		else
			OTG_DOEPCTL(ep) = (OTG_DOEPCTL(ep) & ~OTG_EPCTL_STALL) | OTG_EPCTL_SD0PID;
	}
}

static void hw_set_address(void *hw, uint8_t addr)
{
	(void)hw;
	OTG_DCFG = (OTG_DCFG & ~OTG_DCFG_DAD_MASK) | ((uint32_t)addr << 4);
}

static void endpoints_off(void)
{
	for (unsigned ep = 1; ep < N_EP; ep++) {
		in_abort(ep);
		OTG_DIEPCTL(ep) = 0;
		if (OTG_DOEPCTL(ep) & OTG_EPCTL_EPENA) {
			OTG_DOEPCTL(ep) |= OTG_EPCTL_SNAK | OTG_EPCTL_EPDIS;
			spin_while(&OTG_DOEPINT(ep), OTG_EPINT_EPDISD, 0);
		}
		OTG_DOEPCTL(ep) = 0;
		OTG_DIEPINT(ep) = 0xFFu;
		OTG_DOEPINT(ep) = 0xFFu;
	}
	OTG_DAINTMSK = 1u | 1u << 16; /* endpoint 0 IN and OUT */
}

static void hw_configure(void *hw, bool on)
{
	static const uint32_t bulk = OTG_EPCTL_USBAEP | OTG_EPCTL_EPTYP(EP_TYPE_BULK) |
				     OTG_EPCTL_MPSIZ(USB_DEV_PACKET) | OTG_EPCTL_SD0PID | OTG_EPCTL_SNAK;
	(void)hw;

	endpoints_off();
	if (!on)
		return;
	/* IN 1: CDC notifications (never sent: NAKed). IN 2, 3 and OUT 2, 3: bulk. */
	OTG_DIEPCTL(1) = OTG_EPCTL_USBAEP | OTG_EPCTL_EPTYP(EP_TYPE_INTERRUPT) | OTG_EPCTL_MPSIZ(8) |
			 OTG_EPCTL_TXFNUM(1) | OTG_EPCTL_SD0PID | OTG_EPCTL_SNAK;
	OTG_DIEPCTL(2) = bulk | OTG_EPCTL_TXFNUM(2);
	OTG_DIEPCTL(3) = bulk | OTG_EPCTL_TXFNUM(3);
	OTG_DOEPCTL(2) = bulk;
	OTG_DOEPCTL(3) = bulk;
	OTG_DAINTMSK = 0xFu | (1u | 1u << 2 | 1u << 3) << 16;
}

static void hw_kick(void *hw)
{
	(void)hw;
	IRQ_PEND();
}

const struct usb_hw_ops otg_fs_ops = {
	.in_packet = hw_in_packet,
	.out_arm = hw_out_arm,
	.stall = hw_stall,
	.set_address = hw_set_address,
	.configure = hw_configure,
	.kick = hw_kick,
};

static void bus_reset(void)
{
	OTG_DCTL &= ~OTG_DCTL_RWUSIG;
	in_abort(0);
	endpoints_off();
	flush_tx_fifo(0x10u);
	OTG_DIEPINT(0) = 0xFFu;
	OTG_DOEPINT(0) = 0xFFu;
	OTG_DCFG &= ~OTG_DCFG_DAD_MASK;
	usb_dev_bus_reset(dev);
}

/* Pop a packet of n bytes out of the receive FIFO (whole words). cap is a multiple of
 * 4; words beyond it are popped and dropped. */
static void fifo_read(uint8_t *dst, size_t n, size_t cap)
{
	for (size_t i = 0; i < n; i += 4u) {
		uint32_t w = FIFO_POP();
		size_t k = n - i < 4u ? n - i : 4u;
		if (i + k <= cap)
			memcpy(dst + i, &w, k);
	}
}

static void rx_drain(void)
{
	static uint8_t setup[8];
	uint8_t pkt[USB_DEV_PACKET];

	while (OTG_GINTSTS & OTG_GINT_RXFLVL) {
		uint32_t s = RX_STATUS_POP();
		uint8_t ep = (uint8_t)OTG_GRXSTSP_EPNUM(s);
		size_t n = OTG_GRXSTSP_BCNT(s);

		switch (OTG_GRXSTSP_PKTSTS(s)) {
		case OTG_PKTSTS_SETUP_DATA:
			/* A new request: whatever endpoint 0 was still sending is void. */
			in_abort(0);
			fifo_read(setup, n, sizeof setup);
			break;
		case OTG_PKTSTS_SETUP_DONE:
			usb_dev_setup(dev, setup);
			break;
		case OTG_PKTSTS_OUT_DATA:
			fifo_read(pkt, n, sizeof pkt);
			usb_dev_out_packet(dev, ep, pkt, n < sizeof pkt ? n : sizeof pkt);
			break;
		default: /* OUT transfer done (handled at XFRC), global OUT NAK */
			break;
		}
	}
}

static void out_events(uint32_t daint)
{
	for (uint8_t ep = 0; ep < N_EP; ep++) {
		if (!(daint & (1u << (16u + ep))))
			continue;
		uint32_t f = OTG_DOEPINT(ep);
		OTG_DOEPINT(ep) = f;
		if (ep == 0) {
			if (f & (OTG_EPINT_XFRC | OTG_DOEPINT_STUP))
				ep0_out_arm();
		} else if (f & OTG_EPINT_XFRC) {
			usb_dev_out_done(dev, ep);
		}
	}
}

static void in_events(uint32_t daint)
{
	for (uint8_t ep = 0; ep < N_EP; ep++) {
		if (!(daint & (1u << ep)))
			continue;
		uint32_t f = OTG_DIEPINT(ep);
		OTG_DIEPINT(ep) = f;
		if (f & OTG_EPINT_XFRC)
			usb_dev_in_done(dev, ep);
	}
}

void OTG_FS_IRQHandler(void);
void OTG_FS_IRQHandler(void)
{
	uint32_t st = OTG_GINTSTS & OTG_GINTMSK;

	if (st & OTG_GINT_USBRST) {
		OTG_GINTSTS = OTG_GINT_USBRST;
		bus_reset();
	}
	if (st & OTG_GINT_ENUMDNE) {
		OTG_GINTSTS = OTG_GINT_ENUMDNE;
		/* Full speed is the only speed of this core: EP0 at 64 bytes (MPSIZ 0). */
		OTG_DIEPCTL(0) = (OTG_DIEPCTL(0) & ~0x3u) | OTG_EPCTL_SNAK;
		ep0_out_arm();
	}
	if (st & OTG_GINT_RXFLVL)
		rx_drain();
	if (st & (OTG_GINT_OEPINT | OTG_GINT_IEPINT)) {
		uint32_t daint = OTG_DAINT & OTG_DAINTMSK;
		out_events(daint);
		in_events(daint);
	}
	/* Also reached through hw_kick(): the main loop queued data or made room. */
	usb_dev_service(dev);
}

void otg_fs_start(struct usb_dev *d, volatile uint32_t *regs)
{
	dev = d;
	otg = regs;

	/* Core soft reset, with the AHB master idle before and after. */
	spin_while(&OTG_GRSTCTL, OTG_GRSTCTL_AHBIDL, 0);
	OTG_GRSTCTL = OTG_GRSTCTL_CSRST;
	spin_while(&OTG_GRSTCTL, OTG_GRSTCTL_CSRST, OTG_GRSTCTL_CSRST);
	spin_while(&OTG_GRSTCTL, OTG_GRSTCTL_AHBIDL, 0);

	/* Transceiver on; the Black Pill does not wire VBUS to PA9 (USART1 TX there), so
	 * no VBUS sensing: the core assumes a valid B session (bus-powered device). */
	OTG_GCCFG = OTG_GCCFG_PWRDWN | OTG_GCCFG_NOVBUSSENS;
	/* Device mode only; turnaround 6 for an AHB clock of 32 MHz and more (96 MHz here).
	 * The forced mode takes effect after at least 25 ms. */
	OTG_GUSBCFG = (OTG_GUSBCFG & ~OTG_GUSBCFG_TRDT_MASK) | OTG_GUSBCFG_FDMOD | OTG_GUSBCFG_PHYSEL |
		      OTG_GUSBCFG_TRDT(6);
	DELAY_MS(30);
	OTG_PCGCCTL = 0;

	OTG_DCTL = OTG_DCTL_SDIS; /* stay off the bus until everything is set */
	OTG_DCFG = OTG_DCFG_DSPD_FS;

	OTG_GRXFSIZ = RXF_WORDS;
	OTG_DIEPTXF0 = TXF0_WORDS << 16 | RXF_WORDS;
	OTG_DIEPTXF(1) = TXF1_WORDS << 16 | (RXF_WORDS + TXF0_WORDS);
	OTG_DIEPTXF(2) = TXF2_WORDS << 16 | (RXF_WORDS + TXF0_WORDS + TXF1_WORDS);
	OTG_DIEPTXF(3) = TXF3_WORDS << 16 | (RXF_WORDS + TXF0_WORDS + TXF1_WORDS + TXF2_WORDS);
	flush_tx_fifo(0x10u);
	OTG_GRSTCTL = OTG_GRSTCTL_RXFFLSH;
	spin_while(&OTG_GRSTCTL, OTG_GRSTCTL_RXFFLSH, OTG_GRSTCTL_RXFFLSH);

	OTG_DIEPMSK = OTG_DEPMSK_XFRCM;
	OTG_DOEPMSK = OTG_DEPMSK_XFRCM | OTG_DOEPMSK_STUPM;
	OTG_DAINTMSK = 1u | 1u << 16;
	OTG_GINTSTS = 0xFFFFFFFFu;
	OTG_GINTMSK = OTG_GINT_USBRST | OTG_GINT_ENUMDNE | OTG_GINT_RXFLVL | OTG_GINT_IEPINT |
		      OTG_GINT_OEPINT;
	OTG_GAHBCFG = OTG_GAHBCFG_GINTMSK;
	IRQ_ENABLE();

	OTG_DCTL &= ~OTG_DCTL_SDIS; /* D+ pull-up on: the host sees a full-speed device */
}
