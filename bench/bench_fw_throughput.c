/*
 * How many samples per second the QEMU firmware carries from its sensor input
 * (USART2) to the host link (USART1): push N samples as fast as the emulated
 * UART takes them, count the samples that come back in SAMPLES frames, and
 * print the rate over the wall-clock time between START's ACK and the last
 * sample. Emulated throughput, not a real board's: the figure depends on the
 * host CPU (QEMU TCG), so it is printed, never asserted.
 *
 *   bench_fw_throughput [FW.elf] [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_err.h"
#include "qemu_board.h"

#ifndef NP_FW_QEMU_ELF_DEFAULT
#define NP_FW_QEMU_ELF_DEFAULT "nightpose-qemu.elf"
#endif

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int wait_ack(struct qemu_board *q, uint8_t cmd, uint16_t arg16)
{
	struct np_ack ack;
	if (qemu_board_call(q, cmd, 0, arg16, 0, &ack, 30000, NULL, NULL) != 0 ||
	    ack.result != NP_ACK_OK) {
		fprintf(stderr, "bench_fw_throughput: command %u not acknowledged\n", cmd);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *elf = argc > 1 ? argv[1] : NP_FW_QEMU_ELF_DEFAULT;
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 3000;
	static struct qemu_board q;
	struct np_frame f;
	int rc = 1;

	if (n <= 0 || n > 1000000) {
		fprintf(stderr, "bench_fw_throughput: N must be 1..1000000\n");
		return 2;
	}
	struct np_sample *s = calloc((size_t)n, sizeof *s);
	if (!s || qemu_board_start(&q, elf) != 0) {
		fprintf(stderr, "bench_fw_throughput: cannot start QEMU on %s\n", elf);
		free(s);
		return 1;
	}
	for (long i = 0; i < n; i++)
		s[i] = (struct np_sample){ (int16_t)(i & 0x7FFF), (int16_t)-(i & 0x3FFF), 1000 };

	/* Bytes sent before the firmware enables USART1 are dropped by QEMU: wait for HELLO. */
	do {
		if (qemu_board_frame(&q, &f, 30000) != 0) {
			fprintf(stderr, "bench_fw_throughput: no HELLO\n");
			goto out;
		}
	} while (f.type != NP_MSG_HELLO);
	if (wait_ack(&q, NP_CMD_STOP, 0) != 0 || wait_ack(&q, NP_CMD_SET_RATE, 100) != 0)
		goto out;
	if (qemu_board_feed(&q, s, (size_t)n) != 0)
		goto out;
	if (wait_ack(&q, NP_CMD_START, 0) != 0)
		goto out;
	double t0 = now_s(), t_last = t0;
	long got = 0, frames = 0;
	uint32_t bad = 0;
	while (got < n) {
		if (qemu_board_frame(&q, &f, 10000) != 0) {
			fprintf(stderr, "bench_fw_throughput: stalled after %ld samples\n", got);
			break;
		}
		if (f.type != NP_MSG_SAMPLES)
			continue;
		struct np_samples m;
		if (np_samples_decode(f.payload, f.len, &m) != NP_OK)
			continue;
		for (unsigned i = 0; i < m.count && got < n; i++, got++)
			bad += m.s[i].x != s[got].x || m.s[i].y != s[got].y;
		frames++;
		t_last = now_s();
	}
	double dt = t_last - t0;
	printf("firmware: qemu netduinoplus2 (%s)\n", elf);
	printf("samples pushed:   %ld (7-byte records on USART2)\n", n);
	printf("samples returned: %ld in %ld SAMPLES frames, %u out of order or wrong\n", got, frames,
	       bad);
	printf("frames missed:    %u (sequence gaps)\n", q.dec.stats.frames_missed);
	if (dt > 0)
		printf("throughput:       %.0f samples/s (%.1f s wall clock)\n", (double)got / dt, dt);
	rc = got == n && bad == 0 ? 0 : 1;
out:
	qemu_board_stop(&q);
	free(s);
	return rc;
}
