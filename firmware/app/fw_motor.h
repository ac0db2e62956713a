/*
 * Vibration pattern player. A pattern is 32 slots of FW_MOTOR_SLOT_MS, bit 0
 * first, repeated for the duration; pattern 0 means continuous.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_MOTOR_H
#define NIGHTPOSE_FIRMWARE_APP_FW_MOTOR_H

#include <stdbool.h>
#include <stdint.h>

#define FW_MOTOR_SLOT_MS 100u
/* IDENTIFY: three 200 ms pulses, twice over 6.4 s. */
/* The gentlest level: IDENTIFY finds a device on the desk, it must not wake anyone. */
#define FW_MOTOR_IDENTIFY_LEVEL 1u
#define FW_MOTOR_IDENTIFY_PATTERN 0x00000333u
#define FW_MOTOR_IDENTIFY_MS 6400u

struct fw_motor {
	uint32_t start_ms;
	uint32_t duration_ms;
	uint32_t pattern;
	uint8_t level;
	bool active;
};

/* Motor off, nothing playing. */
void fw_motor_init(struct fw_motor *m);
/* Play level (1..3) for duration_ms from now_ms; duration 0 stops. */
void fw_motor_play(struct fw_motor *m, uint8_t level, uint32_t duration_ms, uint32_t pattern,
		   uint32_t now_ms);
/* Level the motor should have at now_ms (0 = off). */
uint8_t fw_motor_level(struct fw_motor *m, uint32_t now_ms);

#endif
