/*
 * STM32F411 registers used only by the Black Pill board (RM0383 rev 3), on top
 * of ../common/stm32f4.h.
 */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_BLACKPILL_F411_H
#define NIGHTPOSE_FIRMWARE_BOARDS_BLACKPILL_F411_H

#include "stm32f4.h"

/* RCC bits (RM0383 6.3.1 CR, 6.3.2 PLLCFGR, 6.3.3 CFGR, 6.3.9-6.3.12 enables). */
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR_SRC_HSE (1u << 22)
#define RCC_CFGR_SW_PLL 0x2u
#define RCC_CFGR_SWS_MASK (0x3u << 2)
#define RCC_CFGR_SWS_PLL (0x2u << 2)
#define RCC_CFGR_PPRE1_DIV2 (0x4u << 10)
#define RCC_AHB1ENR_GPIOA (1u << 0)
#define RCC_AHB1ENR_GPIOB (1u << 1)
#define RCC_AHB1ENR_GPIOC (1u << 2)
#define RCC_APB1ENR_TIM3 (1u << 1)
#define RCC_APB1ENR_I2C1 (1u << 21)
#define RCC_APB1ENR_PWR (1u << 28)
#define RCC_AHB2ENR_OTGFS (1u << 7)
#define RCC_APB2ENR_USART1 (1u << 4)

/* PLL configuration fields (RM0383 6.3.2): f_VCO = HSE / M * N, SYSCLK = f_VCO / P,
 * USB = f_VCO / Q. P is encoded (P / 2 - 1). */
#define RCC_PLLCFGR_M(m) ((uint32_t)(m))
#define RCC_PLLCFGR_N(n) ((uint32_t)(n) << 6)
#define RCC_PLLCFGR_P(p) ((uint32_t)((p) / 2u - 1u) << 16)
#define RCC_PLLCFGR_Q(q) ((uint32_t)(q) << 24)

/* Power control (RM0383 5.4.1): regulator scale 1 (VOS = 11), needed above 84 MHz. */
#define PWR_CR REG32(0x40007000u)
#define PWR_CR_VOS_SCALE1 (0x3u << 14)

/* Flash access control (RM0383 3.8.1): 3 wait states at 90-100 MHz and 3.3 V (Table 6). */
#define FLASH_ACR REG32(0x40023C00u)
#define FLASH_ACR_LATENCY_3WS 0x3u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

/* GPIO (RM0383 8.4). */
#define GPIOA_BASE 0x40020000u
#define GPIOB_BASE 0x40020400u
#define GPIOC_BASE 0x40020800u
#define GPIO_MODER(b) REG32((b) + 0x00u)
#define GPIO_OTYPER(b) REG32((b) + 0x04u)
#define GPIO_OSPEEDR(b) REG32((b) + 0x08u)
#define GPIO_PUPDR(b) REG32((b) + 0x0Cu)
#define GPIO_IDR(b) REG32((b) + 0x10u)
#define GPIO_BSRR(b) REG32((b) + 0x18u)
#define GPIO_AFR(b, n) REG32((b) + 0x20u + 4u * (n))
#define GPIO_MODE_INPUT 0u
#define GPIO_MODE_OUTPUT 1u
#define GPIO_MODE_AF 2u

/* I2C1 (RM0383 18.6). */
#define I2C1_BASE 0x40005400u
#define I2C_CR1(b) REG32((b) + 0x00u)
#define I2C_CR2(b) REG32((b) + 0x04u)
#define I2C_DR(b) REG32((b) + 0x10u)
#define I2C_SR1(b) REG32((b) + 0x14u)
#define I2C_SR2(b) REG32((b) + 0x18u)
#define I2C_CCR(b) REG32((b) + 0x1Cu)
#define I2C_TRISE(b) REG32((b) + 0x20u)
#define I2C_CR1_PE (1u << 0)
#define I2C_CR1_START (1u << 8)
#define I2C_CR1_STOP (1u << 9)
#define I2C_CR1_ACK (1u << 10)
#define I2C_CR1_SWRST (1u << 15)
#define I2C_SR1_SB (1u << 0)
#define I2C_SR1_ADDR (1u << 1)
#define I2C_SR1_BTF (1u << 2)
#define I2C_SR1_RXNE (1u << 6)
#define I2C_SR1_TXE (1u << 7)
#define I2C_SR1_BERR (1u << 8)
#define I2C_SR1_ARLO (1u << 9)
#define I2C_SR1_AF (1u << 10)
#define I2C_CCR_FS (1u << 15)

/* TIM3 for the motor PWM (RM0383 13.4). */
#define TIM3_BASE 0x40000400u
#define TIM_CR1(b) REG32((b) + 0x00u)
#define TIM_EGR(b) REG32((b) + 0x14u)
#define TIM_CCMR1(b) REG32((b) + 0x18u)
#define TIM_CCER(b) REG32((b) + 0x20u)
#define TIM_PSC(b) REG32((b) + 0x28u)
#define TIM_ARR(b) REG32((b) + 0x2Cu)
#define TIM_CCR1(b) REG32((b) + 0x34u)
#define TIM_CR1_CEN (1u << 0)
#define TIM_CR1_ARPE (1u << 7)
#define TIM_CCMR1_OC1M_PWM1 (0x6u << 4)
#define TIM_CCMR1_OC1PE (1u << 3)
#define TIM_CCER_CC1E (1u << 0)
#define TIM_EGR_UG (1u << 0)

#endif
