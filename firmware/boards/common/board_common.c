#include <string.h>

#include "board_common.h"
#include "np_err.h"
#include "np_msg.h"
#include "stm32f4.h"

volatile uint32_t board_ticks_ms;

/* Survives a reset (not zeroed by startup): the fault handler leaves the reason here. */
__attribute__((section(".noinit"))) static volatile uint32_t noinit_reason;

void board_systick_start(uint32_t core_hz)
{
	SYST_RVR = core_hz / 1000u - 1u;
	SYST_CVR = 0;
	SYST_CSR = 0x7u; /* processor clock, interrupt, enable */
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
	board_ticks_ms++;
}

uint8_t board_reset_reason(bool csr_zero_means_power_on)
{
	uint32_t csr = RCC_CSR;
	uint8_t r = board_reset_reason_decode(csr, noinit_reason, csr_zero_means_power_on);
	noinit_reason = 0;
	RCC_CSR = csr | RCC_CSR_RMVF;
	return r;
}

/*
 * Any fault ends here: note it for the next HELLO and reset. Silence would look
 * like a flat battery to the host; a new HELLO with NP_RESET_FAULT does not.
 */
void HardFault_Handler(void);
void HardFault_Handler(void)
{
	noinit_reason = BOARD_NOINIT_MAGIC | NP_RESET_FAULT;
	__asm volatile("dsb");
	SCB_AIRCR = SCB_AIRCR_RESET;
	for (;;)
		;
}

void board_watchdog_start(uint32_t timeout_ms)
{
	IWDG_KR = IWDG_KEY_START; /* starting first also enables the LSI */
	IWDG_KR = IWDG_KEY_UNLOCK;
	IWDG_PR = 3u; /* /32: 1 count per ms at 32 kHz */
	IWDG_RLR = timeout_ms > 4095u ? 4095u : timeout_ms;
	IWDG_KR = IWDG_KEY_RELOAD;
}

void board_watchdog_kick(void)
{
	IWDG_KR = IWDG_KEY_RELOAD;
}

void board_uart_open(struct board_uart *u, uint32_t base, uint32_t brr, unsigned irq,
		     uint8_t *rx_buf, uint16_t rx_cap)
{
	u->base = base;
	u->irq = irq;
	u->rx = rx_buf;
	u->rx_cap = rx_cap;
	u->rx_head = u->rx_tail = 0;
	u->rx_bytes = 0;
	if (brr != 0)
		USART_BRR(base) = brr;
	USART_CR1(base) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
	nvic_enable(irq);
}

void board_uart_write(struct board_uart *u, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		while (!(USART_SR(u->base) & USART_SR_TXE))
			;
		USART_DR(u->base) = buf[i];
	}
}

void board_uart_isr(struct board_uart *u)
{
	uint16_t mask = (uint16_t)(u->rx_cap - 1u);

	while (USART_SR(u->base) & USART_SR_RXNE) {
		if ((uint16_t)(u->rx_head - u->rx_tail) >= u->rx_cap) {
			/* Ring full: leave this byte in DR and mask the interrupt (RXNE stays
			 * set, and QEMU keeps its line high until DR is read, so masking
			 * RXNEIE would not stop the interrupt). In QEMU this holds the sender
			 * back; on hardware the UART would overrun, so the main loop must
			 * keep up (it drains the ring every pass). */
			nvic_disable(u->irq);
			return;
		}
		u->rx[u->rx_head & mask] = (uint8_t)USART_DR(u->base);
		u->rx_head++;
		u->rx_bytes++;
	}
}

size_t board_uart_read(struct board_uart *u, uint8_t *buf, size_t cap)
{
	uint16_t mask = (uint16_t)(u->rx_cap - 1u);
	size_t n = 0;

	while (n < cap && u->rx_tail != u->rx_head) {
		buf[n++] = u->rx[u->rx_tail & mask];
		u->rx_tail++;
	}
	if (n > 0)
		nvic_enable(u->irq);
	return n;
}

static struct board_uart link_uart;

void USART1_IRQHandler(void);
void USART1_IRQHandler(void)
{
	board_uart_isr(&link_uart);
}

void board_link_open(uint32_t brr, uint8_t *rx_buf, uint16_t rx_cap)
{
	board_uart_open(&link_uart, USART1_BASE, brr, IRQ_USART1, rx_buf, rx_cap);
}

int board_op_link_write(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	board_uart_write(&link_uart, buf, len);
	return NP_OK; /* polled transmit always completes */
}

size_t board_op_link_read(void *ctx, uint8_t *buf, size_t cap)
{
	(void)ctx;
	return board_uart_read(&link_uart, buf, cap);
}

uint32_t board_op_now_ms(void *ctx)
{
	(void)ctx;
	return board_ticks_ms;
}

void board_op_watchdog_kick(void *ctx)
{
	(void)ctx;
	board_watchdog_kick();
}

void board_op_idle(void *ctx)
{
	(void)ctx;
	/* SysTick or a received byte wakes the core within 1 ms. */
	__asm volatile("wfi");
}
