/*
 * The whole portable firmware as one struct: the board calls fw_app_init() once
 * and fw_app_poll() forever (fw_main.c does exactly that). Host tests drive the
 * same functions with tests/fakes/fake_board.c.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_APP_H
#define NIGHTPOSE_FIRMWARE_APP_FW_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "fw_alert.h"
#include "fw_board.h"
#include "fw_motor.h"
#include "fw_sampler.h"
#include "fw_stream.h"
#include "np_frame.h"

#define FW_VERSION_MAJOR 0u
#define FW_VERSION_MINOR 1u
#define FW_VERSION_PATCH 0u

#define FW_DEFAULT_RATE_HZ 25u
#define FW_DEFAULT_RANGE_G 2u
/* The sensor interface delivers milli-g. */
#define FW_LSB_PER_G 1000u
/* COMMAND frames are 17 bytes on the wire; longer frames are garbage to us. */
#define FW_CMD_SCRATCH 64u

struct fw_app {
	const struct fw_board *board;
	/* One storage for the rings: all of it for the chest, half each with a thigh sensor. */
	struct fw_sample_rec ring[FW_SAMPLER_RING_LEN];
	struct fw_sampler sampler[FW_SENSORS_MAX]; /* index = sensor_id */
	uint8_t sensors;        /* in use: 1, or 2 once the board's sensor1 was taken up */
	struct fw_stream stream;
	struct fw_alert alert;
	struct fw_motor motor;
	struct np_frame_decoder cmd_dec;
	uint8_t cmd_scratch[FW_CMD_SCRATCH];
	uint32_t cmd_rejected;  /* valid frames that were not COMMANDs */
	uint16_t rate_hz;
	uint8_t range_g;
	uint8_t motor_level;    /* last level given to the board */
	bool streaming;
	bool selftest_ok;
};

/* Set defaults, send HELLO, and start sampling at 25 Hz, +-2 g (the alert works without a host). */
void fw_app_init(struct fw_app *app, const struct fw_board *board);
/*
 * One pass of the main loop: link input, sensor, alert, motor, output, watchdog.
 * Returns true when it received bytes or samples (poll again at once), false
 * when the board may sleep until the next interrupt.
 */
bool fw_app_poll(struct fw_app *app);

/* Bad frames seen on the command link (for STATUS). */
uint32_t fw_app_link_rx_errors(const struct fw_app *app);
/* Fill a STATUS message with the current state. */
void fw_app_status(const struct fw_app *app, uint32_t now_ms, struct np_status *st);
/* Fill a HELLO message. */
void fw_app_hello(const struct fw_app *app, struct np_hello *h);

/* Run the main loop forever on board (never returns). The app lives in fw_main.c. */
void fw_main_run(const struct fw_board *board);

#endif
