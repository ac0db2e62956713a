/*
 * Run the QEMU firmware as a child process and talk to it: the link (USART1)
 * on QEMU's first PTY, the sensor feed (USART2) on the second (raw termios;
 * see open_pty() for why not libserialport). Used by the end-to-end tests and by bench/fw_throughput.
 */
#ifndef NIGHTPOSE_TESTS_E2E_QEMU_BOARD_H
#define NIGHTPOSE_TESTS_E2E_QEMU_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "np_frame.h"
#include "np_msg.h"

struct qemu_board {
	pid_t pid;
	int monitor_fd;         /* QEMU's stdin: the monitor, to resume the paused VM */
	int stderr_fd;
	int link_fd;
	int sensor_fd;
	struct np_frame_decoder dec;
	uint8_t scratch[NP_FRAME_WIRE_MAX];
	uint8_t rx[4096];
	size_t rx_len, rx_pos;
	uint16_t cmd_seq;
	/* Bytes queued for USART2, written as the firmware takes them. */
	uint8_t *feed;
	size_t feed_len, feed_pos;
};

/*
 * Start qemu-system-arm on elf, paused; open both PTYs; then let the VM run,
 * so nothing it sends at boot is lost. Returns 0, or -1 with a message on stderr.
 */
int qemu_board_start(struct qemu_board *q, const char *elf);
/* The same with one more "-device" option for QEMU (NULL: none). */
int qemu_board_start_with(struct qemu_board *q, const char *elf, const char *device);
/* Kill QEMU and close everything; safe to call twice or after a failed start. */
void qemu_board_stop(struct qemu_board *q);

/* Queue samples (milli-g) for USART2 in the board's 7-byte record format. */
int qemu_board_feed(struct qemu_board *q, const struct np_sample *s, size_t n);
/* The same for sensor 0 (chest, records start 0xA5) or 1 (thigh, 0xA6). */
int qemu_board_feed_sensor(struct qemu_board *q, uint8_t sensor_id, const struct np_sample *s,
			   size_t n);
/* Bytes still waiting to go to USART2. */
size_t qemu_board_feed_pending(const struct qemu_board *q);

/*
 * Next frame from the device, within timeout_ms, feeding USART2 meanwhile.
 * 0 on success (payload valid until the next call), -1 on timeout or error.
 */
int qemu_board_frame(struct qemu_board *q, struct np_frame *f, unsigned timeout_ms);

/* Send one line to QEMU's monitor (e.g. "system_reset"). 0 or -1. */
int qemu_board_monitor(struct qemu_board *q, const char *cmd);

/* Send raw bytes on the link. */
int qemu_board_send_raw(struct qemu_board *q, const void *buf, size_t len);
/* Send a COMMAND; returns its sequence number, or -1. */
int qemu_board_command(struct qemu_board *q, uint8_t cmd, uint8_t arg8, uint16_t arg16,
		       uint32_t arg32);
/*
 * Send a COMMAND and wait for its ACK (other frames are passed to on_frame if
 * not NULL). 0 and *ack on success, -1 on timeout.
 */
int qemu_board_call(struct qemu_board *q, uint8_t cmd, uint8_t arg8, uint16_t arg16,
		    uint32_t arg32, struct np_ack *ack, unsigned timeout_ms,
		    void (*on_frame)(void *ctx, const struct np_frame *f), void *ctx);

#endif
