/*
 * What the portable firmware needs from a board: a link to the host, a clock,
 * a motor and a watchdog (struct fw_board), and an accelerometer (struct
 * fw_sensor_ops), optionally a second one (on the thigh).
 * boards/<board>/board.c fills both; tests/fakes/fake_board.c fills them for host tests.
 * The app calls these only from its main loop, never from an interrupt.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_BOARD_H
#define NIGHTPOSE_FIRMWARE_APP_FW_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"

struct fw_board_ops {
	/*
	 * Queue len bytes for the host, all or nothing. NP_OK when queued,
	 * NP_ERR_AGAIN when the link cannot take them now (nothing was written).
	 */
	int (*link_write)(void *ctx, const uint8_t *buf, size_t len);
	/* Copy up to cap received bytes into buf; returns the count (0: nothing pending). */
	size_t (*link_read)(void *ctx, uint8_t *buf, size_t cap);
	/* Monotonic milliseconds since boot; wraps after 49 days. */
	uint32_t (*now_ms)(void *ctx);
	/* Vibration intensity: 0 off, 1..FW_MOTOR_LEVEL_MAX increasingly strong. */
	void (*motor)(void *ctx, uint8_t level);
	/* Prove the main loop is alive. */
	void (*watchdog_kick)(void *ctx);
	/* Nothing to do: sleep until the next interrupt (tick, received byte). May return at once. */
	void (*idle)(void *ctx);
};

struct fw_sensor_ops {
	/*
	 * Start sampling at rate_hz (10, 25, 50, 100) and +-range_g (2, 4, 8, 16);
	 * rate_hz 0 powers the sensor down. NP_ERR_ARG for unsupported values.
	 */
	int (*configure)(void *ctx, unsigned rate_hz, unsigned range_g);
	/*
	 * Move up to cap samples, oldest first, in milli-g, into out; *got is the
	 * count. *overrun is set when the sensor's own FIFO filled up (samples may
	 * have been lost) since the previous call.
	 */
	int (*read)(void *ctx, struct np_sample *out, size_t cap, size_t *got, bool *overrun);
	/*
	 * Run the sensor's self-test and restore the previous configuration.
	 * *axes_ok: bit 0 x, bit 1 y, bit 2 z passed. NP_ERR_UNSUPP when the sensor has none.
	 */
	int (*self_test)(void *ctx, uint8_t *axes_ok);
};

/* Bits of self_test's *axes_ok (and of the SELF_TEST ACK value, docs/PROTOCOL.md 4.6). */
#define FW_AXIS_X 0x01u
#define FW_AXIS_Y 0x02u
#define FW_AXIS_Z 0x04u
#define FW_AXES_ALL (FW_AXIS_X | FW_AXIS_Y | FW_AXIS_Z)

/* Sensor 0 on the chest (the alert's), sensor 1 optional (thigh). */
#define FW_SENSORS_MAX 2u

struct fw_board {
	const struct fw_board_ops *ops;
	void *ctx;
	const struct fw_sensor_ops *sensor;
	void *sensor_ctx;
	/*
	 * The second sensor, NULL while there is none. A board sets it before
	 * fw_main_run() when it found the sensor at boot, or later from a sensor
	 * read (the QEMU board, when the first record for it arrives); the app
	 * picks it up then and never lets it go until reset.
	 */
	const struct fw_sensor_ops *sensor1;
	void *sensor1_ctx;
	/* Identity for HELLO. */
	const char *serial;           /* up to NP_SERIAL_LEN characters */
	uint8_t sensor_model;         /* enum np_sensor_model */
	uint8_t reset_reason;         /* enum np_reset_reason, read once at boot */
};

#define FW_MOTOR_LEVEL_MAX 3u

#endif
