/*
 * LIS3DH register map (ST datasheet DocID17530 Rev 2, section 7 "Register
 * mapping" and section 8 "Register description"; FIFO use per application note
 * AN3308 section 9). Shared by the driver and the test model of the chip.
 */
#ifndef NIGHTPOSE_FIRMWARE_DRIVERS_LIS3DH_REGS_H
#define NIGHTPOSE_FIRMWARE_DRIVERS_LIS3DH_REGS_H

#define LIS3DH_ADDR_SA0_LOW 0x18u
#define LIS3DH_ADDR_SA0_HIGH 0x19u

/* Sub-address bit 7 asks for auto-increment in multi-byte transfers (datasheet 6.1.1). */
#define LIS3DH_AUTO_INC 0x80u

#define LIS3DH_STATUS_REG_AUX 0x07u
#define LIS3DH_WHO_AM_I 0x0Fu
#define LIS3DH_WHO_AM_I_VALUE 0x33u
#define LIS3DH_CTRL_REG0 0x1Eu
#define LIS3DH_TEMP_CFG_REG 0x1Fu
#define LIS3DH_CTRL_REG1 0x20u
#define LIS3DH_CTRL_REG2 0x21u
#define LIS3DH_CTRL_REG3 0x22u
#define LIS3DH_CTRL_REG4 0x23u
#define LIS3DH_CTRL_REG5 0x24u
#define LIS3DH_CTRL_REG6 0x25u
#define LIS3DH_STATUS_REG 0x27u
#define LIS3DH_OUT_X_L 0x28u
#define LIS3DH_OUT_Z_H 0x2Du
#define LIS3DH_FIFO_CTRL_REG 0x2Eu
#define LIS3DH_FIFO_SRC_REG 0x2Fu

/* CTRL_REG1 (8.8): ODR[7:4], LPen bit 3, Zen Yen Xen bits 2..0. */
#define LIS3DH_CTRL1_ODR_SHIFT 4u
#define LIS3DH_ODR_OFF 0x0u
#define LIS3DH_ODR_10HZ 0x2u
#define LIS3DH_ODR_25HZ 0x3u
#define LIS3DH_ODR_50HZ 0x4u
#define LIS3DH_ODR_100HZ 0x5u
#define LIS3DH_CTRL1_LPEN 0x08u
#define LIS3DH_CTRL1_XYZ_EN 0x07u

/* CTRL_REG3 (8.10): I1_WTM bit 2, I1_OVERRUN bit 1 route FIFO events to INT1. */
#define LIS3DH_CTRL3_I1_WTM 0x04u
#define LIS3DH_CTRL3_I1_OVERRUN 0x02u

/* CTRL_REG4 (8.11): BDU bit 7, BLE bit 6, FS[5:4], HR bit 3, ST[2:1], SIM bit 0. */
#define LIS3DH_CTRL4_BDU 0x80u
#define LIS3DH_CTRL4_BLE 0x40u
#define LIS3DH_CTRL4_FS_SHIFT 4u
#define LIS3DH_CTRL4_FS_MASK 0x30u
#define LIS3DH_CTRL4_HR 0x08u
#define LIS3DH_CTRL4_ST_MASK 0x06u
#define LIS3DH_CTRL4_ST0 0x02u /* self-test 0: positive deflection */

/* CTRL_REG5 (8.12): BOOT bit 7, FIFO_EN bit 6. */
#define LIS3DH_CTRL5_BOOT 0x80u
#define LIS3DH_CTRL5_FIFO_EN 0x40u

/* STATUS_REG (8.14): ZYXOR bit 7, ZYXDA bit 3. */
#define LIS3DH_STATUS_ZYXDA 0x08u

/* FIFO_CTRL_REG (8.21): FM[7:6], TR bit 5, FTH[4:0]. */
#define LIS3DH_FM_SHIFT 6u
#define LIS3DH_FM_BYPASS 0x0u
#define LIS3DH_FM_FIFO 0x1u
#define LIS3DH_FM_STREAM 0x2u
#define LIS3DH_FIFO_FTH_MASK 0x1Fu

/* FIFO_SRC_REG (8.22): WTM bit 7, OVRN_FIFO bit 6 (32 unread samples), EMPTY bit 5, FSS[4:0]. */
#define LIS3DH_FIFO_SRC_WTM 0x80u
#define LIS3DH_FIFO_SRC_OVRN 0x40u
#define LIS3DH_FIFO_SRC_EMPTY 0x20u
#define LIS3DH_FIFO_SRC_FSS_MASK 0x1Fu
#define LIS3DH_FIFO_DEPTH 32u

/* Self-test output change, datasheet Table 4 (normal mode, +-2 g, 10-bit counts). */
#define LIS3DH_ST_MIN_LSB 17
#define LIS3DH_ST_MAX_LSB 360

#endif
