/*
 * A board for host tests of the firmware app: a settable clock, a link whose
 * output is captured (and can refuse writes, like a full USB buffer), scripted
 * host input, a motor and watchdog that record what they were told, and a
 * sensor that hands out scripted samples.
 */
#ifndef NIGHTPOSE_TESTS_FAKES_FAKE_BOARD_H
#define NIGHTPOSE_TESTS_FAKES_FAKE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_board.h"
#include "np_frame.h"
#include "np_msg.h"

#define FAKE_BOARD_TX_MAX 65536u
#define FAKE_BOARD_RX_MAX 4096u
#define FAKE_BOARD_SAMPLES_MAX 4096u

struct fake_board {
	struct fw_board board;
	uint32_t now_ms;
	/* link, device -> host */
	uint8_t tx[FAKE_BOARD_TX_MAX];
	size_t tx_len;
	bool link_busy;         /* refuse every write */
	unsigned writes_refused;
	/* link, host -> device */
	uint8_t rx[FAKE_BOARD_RX_MAX];
	size_t rx_len, rx_pos;
	/* outputs */
	uint8_t motor_level;
	unsigned motor_changes;
	uint8_t motor_max;
	unsigned kicks;
	unsigned idles;
	/* sensor */
	struct np_sample samples[FAKE_BOARD_SAMPLES_MAX];
	size_t samples_len, samples_pos;
	bool overrun_next;
	unsigned rate_hz, range_g;
	unsigned configures;
	int selftest_rc;
	uint8_t selftest_axes;
	/* host-side reader of tx */
	size_t tx_pos;
	uint16_t host_seq;
	struct np_frame_decoder dec;
	uint8_t dec_scratch[NP_FRAME_WIRE_MAX];
};

void fake_board_init(struct fake_board *fb);
/* Queue samples the sensor will deliver (mg). */
void fake_board_add_samples(struct fake_board *fb, const struct np_sample *s, size_t n);
/* Queue raw bytes from the host. */
void fake_board_host_bytes(struct fake_board *fb, const void *data, size_t n);
/* Queue one COMMAND frame from the host; returns the frame's sequence number. */
uint16_t fake_board_host_command(struct fake_board *fb, uint8_t cmd, uint8_t arg8,
				 uint16_t arg16, uint32_t arg32);
/* Next frame the device sent: NP_OK, or NP_ERR_AGAIN when none is left. */
int fake_board_next_frame(struct fake_board *fb, struct np_frame *f);

#endif
