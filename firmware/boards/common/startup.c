/*
 * Vector table and reset handler for the STM32F4 boards, in C. The table has
 * the 16 Cortex-M entries and the 86 interrupts of the larger of the two chips
 * (RM0383 Table 37); unused ones go to Default_Handler.
 */
#include <stdint.h>
#include <string.h>

#include "board_common.h"
#include "stm32f4.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;

void Reset_Handler(void);
void Default_Handler(void);
void HardFault_Handler(void);
void SysTick_Handler(void);

/* Everything else is a fault in our setup: handle it as one. */
void Default_Handler(void)
{
	HardFault_Handler();
}

#define WEAK_ALIAS __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_ALIAS;
void MemManage_Handler(void) WEAK_ALIAS;
void BusFault_Handler(void) WEAK_ALIAS;
void UsageFault_Handler(void) WEAK_ALIAS;
void SVC_Handler(void) WEAK_ALIAS;
void DebugMon_Handler(void) WEAK_ALIAS;
void PendSV_Handler(void) WEAK_ALIAS;
void USART1_IRQHandler(void) WEAK_ALIAS;
void USART2_IRQHandler(void) WEAK_ALIAS;
void EXTI1_IRQHandler(void) WEAK_ALIAS;
void OTG_FS_IRQHandler(void) WEAK_ALIAS;

#define N_IRQ 86

typedef void (*vector)(void);

__attribute__((section(".isr_vector"), used)) static const vector vectors[16 + N_IRQ] = {
	[0] = (vector)(uintptr_t)&_estack,
	[1] = Reset_Handler,
	[2] = NMI_Handler,
	[3] = HardFault_Handler,
	[4] = MemManage_Handler,
	[5] = BusFault_Handler,
	[6] = UsageFault_Handler,
	[11] = SVC_Handler,
	[12] = DebugMon_Handler,
	[14] = PendSV_Handler,
	[15] = SysTick_Handler,
	[16 + 7] = EXTI1_IRQHandler,
	[16 + IRQ_USART1] = USART1_IRQHandler,
	[16 + IRQ_USART2] = USART2_IRQHandler,
	[16 + 67] = OTG_FS_IRQHandler,
};

void Reset_Handler(void)
{
	/* The FPU must be on before any float instruction (DUI0553 4.6.1). */
	SCB_CPACR |= SCB_CPACR_CP10_CP11_FULL;
	__asm volatile("dsb\n\tisb");

	memcpy(&_sdata, &_sidata, (size_t)((uintptr_t)&_edata - (uintptr_t)&_sdata));
	memset(&_sbss, 0, (size_t)((uintptr_t)&_ebss - (uintptr_t)&_sbss));
	board_main();
	for (;;)
		;
}
