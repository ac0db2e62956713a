/*
 * The OTG_FS register driver (firmware/boards/blackpill/otg_fs.c) against a
 * fake register block: plain memory for the registers, plus a model of what
 * memory cannot do (the receive FIFO and its status queue pop on read, the
 * transmit FIFOs take pushes). The test plays the core: it raises the
 * interrupts a host's transfers would raise and checks what the driver wrote.
 * Offsets and bit positions are spelled out here from RM0383 chapter 22, not
 * taken from the driver's macros, so a wrong definition fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "np_err.h"
#include "otg_fs.h"
#include "usb_desc.h"
#include "usb_dev.h"

void OTG_FS_IRQHandler(void);
uint32_t otg_fs_hook_rx_status_pop(void);
uint32_t otg_fs_hook_fifo_pop(void);
void otg_fs_hook_fifo_push(unsigned ep, uint32_t word);
void otg_fs_hook_irq(bool pend);
void otg_fs_hook_delay_ms(uint32_t ms);

/* Register offsets (bytes) and bits. */
#define GAHBCFG 0x008u
#define GUSBCFG 0x00Cu
#define GRSTCTL 0x010u
#define GINTSTS 0x014u
#define GINTMSK 0x018u
#define GRXFSIZ 0x024u
#define DIEPTXF0 0x028u
#define GCCFG 0x038u
#define DIEPTXF(n) (0x104u + 4u * ((n) - 1u))
#define DCFG 0x800u
#define DCTL 0x804u
#define DAINT 0x818u
#define DAINTMSK 0x81Cu
#define DIEPCTL(n) (0x900u + 0x20u * (n))
#define DIEPINT(n) (0x908u + 0x20u * (n))
#define DIEPTSIZ(n) (0x910u + 0x20u * (n))
#define DTXFSTS(n) (0x918u + 0x20u * (n))
#define DOEPCTL(n) (0xB00u + 0x20u * (n))
#define DOEPINT(n) (0xB08u + 0x20u * (n))
#define DOEPTSIZ(n) (0xB10u + 0x20u * (n))
#define EPENA (1u << 31)

static uint32_t regs[0xE04u / 4u];
#define R(off) regs[(off) / 4u]

/* Receive FIFO model: status entries, each with its data words. */
struct rx_entry {
	uint32_t status;
	uint32_t data[16];
	unsigned words;
};
static struct rx_entry rxq[8];
static unsigned rxq_len, rx_next, rx_cur, rx_word;
/* Transmit FIFO contents per endpoint. */
static uint8_t txf[4][256];
static size_t txf_len[4];
static bool irq_enabled;
static unsigned irq_pends;

static struct usb_dev dev;
static uint8_t tx_buf[640], rx_buf[128];

uint32_t otg_fs_hook_rx_status_pop(void)
{
	assert_true(rx_next < rxq_len);
	rx_cur = rx_next++;
	rx_word = 0;
	if (rx_next == rxq_len)
		R(GINTSTS) &= ~(1u << 4); /* RXFLVL: the FIFO is empty after this entry */
	return rxq[rx_cur].status;
}

uint32_t otg_fs_hook_fifo_pop(void)
{
	struct rx_entry *e = &rxq[rx_cur];
	assert_true(rx_word < e->words); /* reading more words than the packet has */
	return e->data[rx_word++];
}

void otg_fs_hook_fifo_push(unsigned ep, uint32_t word)
{
	assert_true(ep < 4 && txf_len[ep] + 4 <= sizeof txf[ep]);
	memcpy(txf[ep] + txf_len[ep], &word, 4);
	txf_len[ep] += 4;
}

void otg_fs_hook_irq(bool pend)
{
	if (pend)
		irq_pends++;
	else
		irq_enabled = true;
}

void otg_fs_hook_delay_ms(uint32_t ms)
{
	assert_true(ms >= 25); /* the forced mode needs at least 25 ms */
}

/* The core pops rx entries one by one; the test queues a whole transaction and raises RXFLVL. */
static void rx_push(uint8_t ep, unsigned pktsts, const uint8_t *data, size_t n)
{
	struct rx_entry *e = &rxq[rxq_len++];
	memset(e, 0, sizeof *e);
	e->status = ep | (uint32_t)n << 4 | (uint32_t)pktsts << 17;
	e->words = (unsigned)((n + 3) / 4);
	if (n > 0)
		memcpy(e->data, data, n);
}

static void rx_deliver(void)
{
	rx_next = 0;
	R(GINTSTS) |= 1u << 4;
	/* The driver pops every entry, and every data word, in one interrupt. */
	OTG_FS_IRQHandler();
	assert_int_equal(rx_next, rxq_len);
	assert_int_equal(rx_word, rxq[rx_cur].words);
	rxq_len = rx_next = 0;
}

static void setup_packet(uint8_t type, uint8_t req, uint16_t value, uint16_t index, uint16_t length)
{
	uint8_t raw[8] = { type, req, (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)index,
			   (uint8_t)(index >> 8), (uint8_t)length, (uint8_t)(length >> 8) };
	rx_push(0, 6, raw, 8); /* SETUP data */
	rx_push(0, 4, NULL, 0); /* SETUP done */
}

/* The core finished the IN packet queued on ep: EPENA drops, XFRC is raised. */
static void in_complete(unsigned ep)
{
	assert_true(R(DIEPCTL(ep)) & EPENA);
	R(DIEPCTL(ep)) &= ~EPENA;
	R(DIEPINT(ep)) = 1u; /* XFRC */
	R(DAINT) = 1u << ep;
	R(GINTSTS) |= 1u << 18;
	OTG_FS_IRQHandler();
	R(DAINT) = 0;
	R(DIEPINT(ep)) = 0;
	R(GINTSTS) &= ~(1u << 18);
}

/* The OUT transfer on ep completed (EPENA drops, XFRC). */
static void out_complete(unsigned ep, uint32_t flags)
{
	R(DOEPCTL(ep)) &= ~EPENA;
	R(DOEPINT(ep)) = flags;
	R(DAINT) = 1u << (16 + ep);
	R(GINTSTS) |= 1u << 19;
	OTG_FS_IRQHandler();
	R(DAINT) = 0;
	R(DOEPINT(ep)) = 0;
	R(GINTSTS) &= ~(1u << 19);
}

static void raise(uint32_t gintsts_bit)
{
	R(GINTSTS) |= gintsts_bit;
	OTG_FS_IRQHandler();
	R(GINTSTS) &= ~gintsts_bit;
}

static int setup(void **state)
{
	(void)state;
	memset(regs, 0, sizeof regs);
	memset(txf_len, 0, sizeof txf_len);
	rxq_len = rx_next = rx_cur = 0;
	irq_enabled = false;
	irq_pends = 0;
	R(GRSTCTL) = 1u << 31; /* AHBIDL */
	for (unsigned ep = 0; ep < 4; ep++)
		R(DTXFSTS(ep)) = 16; /* words free */
	usb_dev_init(&dev, &otg_fs_ops, NULL, "0123456789ABCDEF", tx_buf, sizeof tx_buf, rx_buf,
		     sizeof rx_buf);
	otg_fs_start(&dev, regs);
	return 0;
}

static void test_core_init(void **state)
{
	(void)state;
	/* Transceiver on (PWRDWN, bit 16), VBUS sensing off (NOVBUSSENS, bit 21), and neither
	 * VBUSASEN (18) nor VBUSBSEN (19): PA9 carries no VBUS on the Black Pill. */
	assert_int_equal(R(GCCFG), 1u << 16 | 1u << 21);
	/* Forced device mode (bit 30), turnaround 6 in bits 13:10. */
	assert_true(R(GUSBCFG) & 1u << 30);
	assert_int_equal((R(GUSBCFG) >> 10) & 0xFu, 6);
	/* Full speed with the internal PHY: DSPD = 3; address 0. */
	assert_int_equal(R(DCFG) & 0x3u, 3);
	assert_int_equal((R(DCFG) >> 4) & 0x7Fu, 0);
	/* FIFOs: contiguous, non-overlapping, within 320 words, each at least 16 words. */
	uint32_t end = R(GRXFSIZ);
	uint32_t tx[4] = { R(DIEPTXF0), R(DIEPTXF(1)), R(DIEPTXF(2)), R(DIEPTXF(3)) };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(tx[i] & 0xFFFFu, end);
		assert_true((tx[i] >> 16) >= 16);
		end += tx[i] >> 16;
	}
	assert_true(end <= 320);
	assert_true(R(GRXFSIZ) >= 10 + 16 + 1 + 2 * 3 + 1); /* RM0383's minimum for 3 OUT endpoints */
	/* Interrupts: USBRST 12, ENUMDNE 13, RXFLVL 4, IEPINT 18, OEPINT 19; global enable. */
	uint32_t want = 1u << 12 | 1u << 13 | 1u << 4 | 1u << 18 | 1u << 19;
	assert_int_equal(R(GINTMSK) & want, want);
	assert_true(R(GAHBCFG) & 1u);
	assert_true(irq_enabled);
	/* Connected: soft disconnect (DCTL bit 1) cleared. */
	assert_int_equal(R(DCTL) & 2u, 0);
}

static void bus_reset_and_enumerate_speed(void)
{
	raise(1u << 12); /* USBRST */
	raise(1u << 13); /* ENUMDNE */
	/* EP0 OUT ready for 3 SETUPs (STUPCNT bits 30:29), one packet (bit 19), 64 bytes. */
	assert_int_equal(R(DOEPTSIZ(0)), 3u << 29 | 1u << 19 | 64u);
	assert_true(R(DOEPCTL(0)) & EPENA);
	assert_int_equal(R(DIEPCTL(0)) & 0x3u, 0); /* MPSIZ 0: 64 bytes */
}

static void test_get_descriptor_and_set_address(void **state)
{
	(void)state;
	bus_reset_and_enumerate_speed();

	setup_packet(0x80, 6, 0x0100, 0, 64);
	rx_deliver();
	/* One packet of 18 bytes queued on EP0 (PKTCNT bits 20:19 = 1, XFRSIZ 18) and pushed. */
	assert_int_equal(R(DIEPTSIZ(0)), 1u << 19 | 18u);
	assert_int_equal(txf_len[0], 20);
	assert_memory_equal(txf[0], np_usb_device_desc, 18);
	in_complete(0);
	out_complete(0, 1u << 3); /* STUP: EP0 OUT re-armed */
	assert_true(R(DOEPCTL(0)) & EPENA);
	assert_int_equal(txf_len[0], 20); /* nothing more: now the host's status OUT */
	rx_push(0, 2, NULL, 0);           /* zero-length status OUT */
	rx_push(0, 3, NULL, 0);
	rx_deliver();
	out_complete(0, 1u);

	/* SET_ADDRESS 23: DAD (bits 10:4) is written before the status stage. */
	txf_len[0] = 0;
	setup_packet(0x00, 5, 23, 0, 0);
	rx_deliver();
	assert_int_equal((R(DCFG) >> 4) & 0x7Fu, 23);
	assert_int_equal(R(DCFG) & 0x3u, 3);
	assert_int_equal(R(DIEPTSIZ(0)), 1u << 19); /* the zero-length status packet */
	assert_int_equal(txf_len[0], 0);
	in_complete(0);
}

static void test_unsupported_request_stalls_ep0(void **state)
{
	(void)state;
	bus_reset_and_enumerate_speed();
	setup_packet(0xC0, 0x55, 0, 0, 4); /* a vendor request: not supported */
	rx_deliver();
	/* STALL is bit 21 on both directions of EP0. */
	assert_true(R(DIEPCTL(0)) & 1u << 21);
	assert_true(R(DOEPCTL(0)) & 1u << 21);
}

static void configure(void)
{
	bus_reset_and_enumerate_speed();
	setup_packet(0x00, 5, 7, 0, 0);
	rx_deliver();
	in_complete(0);
	setup_packet(0x00, 9, 1, 0, 0);
	rx_deliver();
	in_complete(0);
}

static void test_set_configuration_activates_endpoints(void **state)
{
	(void)state;
	configure();
	/* IN 2 and 3: active (USBAEP 15), bulk (EPTYP 19:18 = 2), 64 bytes, own FIFO (TXFNUM 25:22). */
	for (unsigned ep = 2; ep <= 3; ep++) {
		uint32_t c = R(DIEPCTL(ep));
		assert_true(c & 1u << 15);
		assert_int_equal((c >> 18) & 3u, 2);
		assert_int_equal(c & 0x7FFu, 64);
		assert_int_equal((c >> 22) & 0xFu, ep);
		/* OUT 2 and 3: active, bulk, 64, and armed for one 64-byte packet. */
		c = R(DOEPCTL(ep));
		assert_true(c & 1u << 15);
		assert_int_equal((c >> 18) & 3u, 2);
		assert_int_equal(c & 0x7FFu, 64);
		assert_true(c & EPENA);
		assert_int_equal(R(DOEPTSIZ(ep)), 1u << 19 | 64u);
	}
	/* IN 1: interrupt (3), 8 bytes, FIFO 1. */
	assert_int_equal((R(DIEPCTL(1)) >> 18) & 3u, 3);
	assert_int_equal(R(DIEPCTL(1)) & 0x7FFu, 8);
	assert_int_equal((R(DIEPCTL(1)) >> 22) & 0xFu, 1);
	/* Endpoint interrupts: IN 0-3, OUT 0, 2, 3. */
	assert_int_equal(R(DAINTMSK), 0xFu | (1u | 1u << 2 | 1u << 3) << 16);
}

static void test_bulk_data_both_ways(void **state)
{
	(void)state;
	uint8_t frame[70], got[64];
	const uint8_t cmd[5] = { 0, 1, 2, 3, 0 };

	configure();
	/* A command arrives on the CDC OUT endpoint. */
	rx_push(2, 2, cmd, sizeof cmd);
	rx_push(2, 3, NULL, 0);
	rx_deliver();
	out_complete(2, 1u);
	/* 123 bytes free in the 128-byte ring, 64 of them kept for the armed vendor endpoint:
	 * EP2 stays NAKing until the main loop has read. */
	assert_false(R(DOEPCTL(2)) & EPENA);
	irq_pends = 0;
	assert_int_equal(usb_dev_link_read(&dev, got, sizeof got), sizeof cmd);
	assert_memory_equal(got, cmd, sizeof cmd);
	assert_int_equal(irq_pends, 1);
	OTG_FS_IRQHandler();
	assert_true(R(DOEPCTL(2)) & EPENA);
	assert_int_equal(R(DOEPTSIZ(2)), 1u << 19 | 64u);

	/* Port opened (DTR), a 70-byte frame: 64 bytes then 6 on EP2. */
	setup_packet(0x21, 0x22, 1, 0, 0);
	rx_deliver();
	in_complete(0);
	for (size_t i = 0; i < sizeof frame; i++)
		frame[i] = (uint8_t)(i + 1);
	irq_pends = 0;
	assert_int_equal(usb_dev_link_write(&dev, frame, sizeof frame), NP_OK);
	assert_int_equal(irq_pends, 1); /* the main loop asked for the interrupt */
	OTG_FS_IRQHandler();            /* ... which runs */
	assert_int_equal(R(DIEPTSIZ(2)), 1u << 19 | 64u);
	assert_int_equal(txf_len[2], 64);
	in_complete(2);
	assert_int_equal(R(DIEPTSIZ(2)), 1u << 19 | 6u);
	assert_int_equal(txf_len[2], 72);
	assert_memory_equal(txf[2], frame, sizeof frame);
	in_complete(2);

	/* No room in the transmit FIFO (DTXFSTS): nothing is pushed, the bytes wait. */
	R(DTXFSTS(2)) = 0;
	assert_int_equal(usb_dev_link_write(&dev, frame, 10), NP_OK);
	OTG_FS_IRQHandler();
	assert_false(R(DIEPCTL(2)) & EPENA);
	assert_int_equal(txf_len[2], 72);
	R(DTXFSTS(2)) = 16;
	OTG_FS_IRQHandler();
	assert_int_equal(R(DIEPTSIZ(2)), 1u << 19 | 10u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_core_init, setup),
		cmocka_unit_test_setup(test_get_descriptor_and_set_address, setup),
		cmocka_unit_test_setup(test_unsupported_request_stalls_ep0, setup),
		cmocka_unit_test_setup(test_set_configuration_activates_endpoints, setup),
		cmocka_unit_test_setup(test_bulk_data_both_ways, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
