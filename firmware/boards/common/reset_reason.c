/* Reset reason decoding; pure, so tests/firmware builds it for the host too. */
#include <stdbool.h>
#include <stdint.h>

#include "board_common.h"
#include "np_msg.h"

/* Flag bits as in stm32f4.h (RCC_CSR); repeated so this file needs no register header. */
#define F_LPWR (1u << 31)
#define F_WWDG (1u << 30)
#define F_IWDG (1u << 29)
#define F_SFT (1u << 28)
#define F_POR (1u << 27)
#define F_PIN (1u << 26)
#define F_BOR (1u << 25)

uint8_t board_reset_reason_decode(uint32_t csr, uint32_t noinit, bool csr_zero_means_power_on)
{
	/* A watchdog reset wins: the fault handler may have been what hung. */
	if (csr & (F_IWDG | F_WWDG))
		return NP_RESET_WATCHDOG;
	if ((noinit & 0xFFFF0000u) == BOARD_NOINIT_MAGIC && !(csr & F_POR))
		return (uint8_t)(noinit & 0xFFu);
	if (csr & F_SFT)
		return NP_RESET_SOFTWARE;
	/* A power-on also sets PINRSTF and BORRSTF (RM0090 7.3.21), so test POR first. */
	if (csr & F_POR)
		return NP_RESET_POWER_ON;
	if (csr & F_BOR)
		return NP_RESET_BROWNOUT;
	if (csr & F_PIN)
		return NP_RESET_PIN;
	if (csr & F_LPWR)
		return NP_RESET_UNKNOWN;
	return csr_zero_means_power_on ? NP_RESET_POWER_ON : NP_RESET_UNKNOWN;
}
