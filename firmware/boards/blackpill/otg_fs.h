/*
 * STM32F411 OTG_FS core in device mode (RM0383 chapter 22), the register side
 * of usb/usb_dev.h: it turns interrupts into usb_dev_* events and carries out
 * usb_dev's requests (struct usb_hw_ops). Needs the 48 MHz PLL output, which
 * the board's clock setup provides, and PA11/PA12 in AF10.
 */
#ifndef NIGHTPOSE_FIRMWARE_BOARDS_BLACKPILL_OTG_FS_H
#define NIGHTPOSE_FIRMWARE_BOARDS_BLACKPILL_OTG_FS_H

#include "usb_dev.h"

extern const struct usb_hw_ops otg_fs_ops;

/*
 * Reset and set up the core at regs (OTG_FS_BASE) for dev (already
 * usb_dev_init()ed with otg_fs_ops), then connect to the bus (D+ pull-up on).
 * Waits 30 ms on the SysTick count for the forced device mode.
 */
void otg_fs_start(struct usb_dev *dev, volatile uint32_t *regs);

#endif
