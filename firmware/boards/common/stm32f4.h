/*
 * The few STM32F4 and Cortex-M4 registers the boards use, written out by hand
 * (no vendor SDK). References: RM0090 (STM32F405/407, rev 19) and RM0383
 * (STM32F411, rev 3) for peripherals; ARMv7-M Architecture Reference Manual
 * (DDI0403E) and the Cortex-M4 Generic User Guide (DUI0553) for the core.
 */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_COMMON_STM32F4_H
#define NIGHTPOSE_FIRMWARE_BOARDS_COMMON_STM32F4_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* --- Cortex-M4 core --- */
/* SysTick (DUI0553 4.4): CSR ENABLE bit 0, TICKINT bit 1, CLKSOURCE bit 2 (processor clock). */
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)
/* NVIC set-enable registers (DUI0553 4.2.2): bit n of ISER[n/32] enables IRQ n. */
#define NVIC_ISER(n) REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) REG32(0xE000E180u + 4u * (n))
/* Set-pending (DUI0553 4.2.4): software makes an interrupt run as if its peripheral asked. */
#define NVIC_ISPR(n) REG32(0xE000E200u + 4u * (n))
/* SCB (DUI0553 4.3): AIRCR needs VECTKEY 0x05FA; SYSRESETREQ is bit 2. CPACR enables the FPU. */
#define SCB_AIRCR REG32(0xE000ED0Cu)
#define SCB_AIRCR_RESET 0x05FA0004u
#define SCB_CPACR REG32(0xE000ED88u)
#define SCB_CPACR_CP10_CP11_FULL (0xFu << 20)

static inline void nvic_enable(unsigned irq)
{
	NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

static inline void nvic_disable(unsigned irq)
{
	NVIC_ICER(irq / 32u) = 1u << (irq % 32u);
}

static inline void nvic_set_pending(unsigned irq)
{
	NVIC_ISPR(irq / 32u) = 1u << (irq % 32u);
}

/* --- RCC (RM0090 section 7.3, RM0383 section 6.3; same offsets on both) --- */
#define RCC_BASE 0x40023800u
#define RCC_CR REG32(RCC_BASE + 0x00u)
#define RCC_PLLCFGR REG32(RCC_BASE + 0x04u)
#define RCC_CFGR REG32(RCC_BASE + 0x08u)
#define RCC_AHB1ENR REG32(RCC_BASE + 0x30u)
#define RCC_AHB2ENR REG32(RCC_BASE + 0x34u)
#define RCC_APB1ENR REG32(RCC_BASE + 0x40u)
#define RCC_APB2ENR REG32(RCC_BASE + 0x44u)
#define RCC_CSR REG32(RCC_BASE + 0x74u)
/* RCC_CSR reset flags (RM0090 7.3.21, RM0383 6.3.20); writing RMVF clears them. */
#define RCC_CSR_LPWRRSTF (1u << 31)
#define RCC_CSR_WWDGRSTF (1u << 30)
#define RCC_CSR_IWDGRSTF (1u << 29)
#define RCC_CSR_SFTRSTF (1u << 28)
#define RCC_CSR_PORRSTF (1u << 27)
#define RCC_CSR_PINRSTF (1u << 26)
#define RCC_CSR_BORRSTF (1u << 25)
#define RCC_CSR_RMVF (1u << 24)

/* --- USART (RM0090 section 30.6, RM0383 section 19.6) --- */
#define USART1_BASE 0x40011000u
#define USART2_BASE 0x40004400u
#define USART_SR(b) REG32((b) + 0x00u)
#define USART_DR(b) REG32((b) + 0x04u)
#define USART_BRR(b) REG32((b) + 0x08u)
#define USART_CR1(b) REG32((b) + 0x0Cu)
#define USART_SR_TXE (1u << 7)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_ORE (1u << 3)
#define USART_CR1_UE (1u << 13)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RE (1u << 2)
/* Vector positions (RM0090 Table 61, RM0383 Table 37). */
#define IRQ_USART1 37u
#define IRQ_USART2 38u

/* --- Independent watchdog (RM0090 section 21.4, RM0383 section 15.4) --- */
#define IWDG_BASE 0x40003000u
#define IWDG_KR REG32(IWDG_BASE + 0x00u)
#define IWDG_PR REG32(IWDG_BASE + 0x04u)
#define IWDG_RLR REG32(IWDG_BASE + 0x08u)
#define IWDG_KEY_UNLOCK 0x5555u
#define IWDG_KEY_START 0xCCCCu
#define IWDG_KEY_RELOAD 0xAAAAu

/*
 * --- USB on-the-go full-speed core, device mode (RM0383 chapter 22; the same
 * Synopsys core and layout as RM0090 chapter 34's OTG_FS) ---
 * Names as in the chapter's register descriptions (OTG_FS_<name>): global
 * registers from 0x000, device registers from 0x800, PCGCCTL at 0xE00, the
 * FIFO windows from 0x1000. 1.25 KiB (320 words) of FIFO RAM are shared by
 * the receive FIFO and the four transmit FIFOs.
 */
#define OTG_FS_BASE 0x50000000u
/* Register access; otg_fs.c defines it first to work on a base pointer (host tests
 * hand it a fake register block). */
#ifndef OTG_REG
#define OTG_REG(off) REG32(OTG_FS_BASE + (off))
#endif
#define IRQ_OTG_FS 67u
#define OTG_FS_FIFO_WORDS 320u
#define OTG_GOTGCTL OTG_REG(0x000u)
#define OTG_GAHBCFG OTG_REG(0x008u)
#define OTG_GAHBCFG_GINTMSK (1u << 0)              /* global interrupt enable */
#define OTG_GUSBCFG OTG_REG(0x00Cu)
#define OTG_GUSBCFG_PHYSEL (1u << 6)               /* the embedded full-speed PHY */
#define OTG_GUSBCFG_TRDT(x) ((uint32_t)(x) << 10)  /* turnaround, in PHY clocks; 6 for AHB >= 32 MHz */
#define OTG_GUSBCFG_TRDT_MASK (0xFu << 10)
#define OTG_GUSBCFG_FDMOD (1u << 30)               /* force device mode */
#define OTG_GRSTCTL OTG_REG(0x010u)
#define OTG_GRSTCTL_CSRST (1u << 0)
#define OTG_GRSTCTL_RXFFLSH (1u << 4)
#define OTG_GRSTCTL_TXFFLSH (1u << 5)
#define OTG_GRSTCTL_TXFNUM(n) ((uint32_t)(n) << 6) /* 0x10: all transmit FIFOs */
#define OTG_GRSTCTL_AHBIDL (1u << 31)
#define OTG_GINTSTS OTG_REG(0x014u)
#define OTG_GINTMSK OTG_REG(0x018u)
#define OTG_GINT_RXFLVL (1u << 4)                  /* receive FIFO not empty */
#define OTG_GINT_USBSUSP (1u << 11)
#define OTG_GINT_USBRST (1u << 12)
#define OTG_GINT_ENUMDNE (1u << 13)
#define OTG_GINT_IEPINT (1u << 18)
#define OTG_GINT_OEPINT (1u << 19)
#define OTG_GRXSTSP OTG_REG(0x020u)    /* read pops the receive status */
#define OTG_GRXSTSP_EPNUM(s) ((s) & 0xFu)
#define OTG_GRXSTSP_BCNT(s) (((s) >> 4) & 0x7FFu)
#define OTG_GRXSTSP_PKTSTS(s) (((s) >> 17) & 0xFu)
#define OTG_PKTSTS_OUT_DATA 2u
#define OTG_PKTSTS_OUT_DONE 3u
#define OTG_PKTSTS_SETUP_DONE 4u
#define OTG_PKTSTS_SETUP_DATA 6u
#define OTG_GRXFSIZ OTG_REG(0x024u)    /* receive FIFO depth, words */
#define OTG_DIEPTXF0 OTG_REG(0x028u)   /* EP0 transmit FIFO: depth << 16 | start */
#define OTG_GCCFG OTG_REG(0x038u)
#define OTG_GCCFG_PWRDWN (1u << 16)                /* 0 powers the transceiver down */
#define OTG_GCCFG_VBUSASEN (1u << 18)
#define OTG_GCCFG_VBUSBSEN (1u << 19)
#define OTG_GCCFG_NOVBUSSENS (1u << 21)            /* VBUS sensing off: always "B-session valid" */
#define OTG_DIEPTXF(n) OTG_REG(0x104u + 4u * ((n) - 1u)) /* n = 1..3 */
#define OTG_DCFG OTG_REG(0x800u)
#define OTG_DCFG_DSPD_FS 0x3u                      /* full speed, embedded PHY */
#define OTG_DCFG_DAD_MASK (0x7Fu << 4)
#define OTG_DCTL OTG_REG(0x804u)
#define OTG_DCTL_RWUSIG (1u << 0)
#define OTG_DCTL_SDIS (1u << 1)                    /* soft disconnect */
#define OTG_DIEPMSK OTG_REG(0x810u)
#define OTG_DOEPMSK OTG_REG(0x814u)
#define OTG_DEPMSK_XFRCM (1u << 0)
#define OTG_DOEPMSK_STUPM (1u << 3)
#define OTG_DAINT OTG_REG(0x818u)      /* bits 0-3 IN endpoints, 16-19 OUT */
#define OTG_DAINTMSK OTG_REG(0x81Cu)
#define OTG_DIEPCTL(n) OTG_REG(0x900u + 0x20u * (n))
#define OTG_DIEPINT(n) OTG_REG(0x908u + 0x20u * (n))
#define OTG_DIEPTSIZ(n) OTG_REG(0x910u + 0x20u * (n))
#define OTG_DTXFSTS(n) OTG_REG(0x918u + 0x20u * (n)) /* free words, bits 15:0 */
#define OTG_DOEPCTL(n) OTG_REG(0xB00u + 0x20u * (n))
#define OTG_DOEPINT(n) OTG_REG(0xB08u + 0x20u * (n))
#define OTG_DOEPTSIZ(n) OTG_REG(0xB10u + 0x20u * (n))
/* DIEPCTLx / DOEPCTLx bits (EP0: MPSIZ is 2 bits, 0 = 64 bytes). */
#define OTG_EPCTL_MPSIZ(x) ((uint32_t)(x) & 0x7FFu)
#define OTG_EPCTL_USBAEP (1u << 15)                /* active in this configuration */
#define OTG_EPCTL_EPTYP(t) ((uint32_t)(t) << 18)   /* 2 bulk, 3 interrupt */
#define OTG_EPCTL_STALL (1u << 21)
#define OTG_EPCTL_TXFNUM(n) ((uint32_t)(n) << 22)  /* IN: its transmit FIFO */
#define OTG_EPCTL_CNAK (1u << 26)
#define OTG_EPCTL_SNAK (1u << 27)
#define OTG_EPCTL_SD0PID (1u << 28)                /* data toggle back to DATA0 */
#define OTG_EPCTL_EPDIS (1u << 30)
#define OTG_EPCTL_EPENA (1u << 31)
/* DIEPINTx / DOEPINTx. */
#define OTG_EPINT_XFRC (1u << 0)
#define OTG_EPINT_EPDISD (1u << 1)
#define OTG_DOEPINT_STUP (1u << 3)            /* SETUP phase done */
#define OTG_DIEPINT_INEPNE (1u << 6)          /* IN endpoint NAK in effect */
/* DxEPTSIZx: one packet of n bytes; EP0 OUT also takes up to 3 back-to-back SETUPs. */
#define OTG_EPTSIZ_ONE_PACKET(n) ((1u << 19) | ((uint32_t)(n) & 0x7FFFFu))
#define OTG_DOEPTSIZ0_STUPCNT3 (3u << 29)
#define OTG_PCGCCTL OTG_REG(0xE00u)    /* 0: PHY clock running, not gated */
#define OTG_FIFO(n) OTG_REG(0x1000u + 0x1000u * (n)) /* push IN / pop receive */

/* Unique device ID, 96 bits (RM0090 39.1, RM0383 24.1). */
#define UID_BASE 0x1FFF7A10u

#endif
