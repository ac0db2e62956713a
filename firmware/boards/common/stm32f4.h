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

/* Unique device ID, 96 bits (RM0090 39.1, RM0383 24.1). */
#define UID_BASE 0x1FFF7A10u

#endif
