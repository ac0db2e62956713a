/*
 * `nightpose record` against the QEMU firmware: a board whose link (USART1) is a
 * PTY the recorder opens and whose sensor port (USART2) takes samples, and the
 * recorder run as a child process. Failures abort the test (cmocka asserts).
 *
 * PTYs come from /dev/pts/ptmx and QEMU gets the link's master side as a
 * passed file descriptor (-add-fd, /dev/fdset): in containers that mount a
 * second devpts, the PTYs QEMU makes itself (-serial pty) cannot be opened.
 */
#ifndef NIGHTPOSE_TESTS_E2E_E2E_RECORD_H
#define NIGHTPOSE_TESTS_E2E_E2E_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "np_msg.h"

struct board {
	pid_t pid;
	int sensor;         /* master side of USART2's PTY: we write samples here */
	char link_slave[64];
};

/* Boot the firmware; b->link_slave is where the recorder connects. */
void e2e_board_start(struct board *b);
void e2e_board_kill(struct board *b);
/* Write samples (milli-g) to USART2 in the board's 7-byte records, as QEMU takes them. */
void e2e_board_feed(struct board *b, const struct np_sample *s, size_t n);

void e2e_sleep_ms(unsigned ms);
/* Wait until the recorder's log (its stderr) says what. */
void e2e_wait_for_log(const char *log, const char *what, unsigned max_ms);

/* `nightpose record --port port -o npr` and the NULL-terminated extra arguments
 * (NULL: none), stderr to log. */
pid_t e2e_spawn_record(const char *port, const char *npr, const char *log,
		       const char *const *extra);
/* `nightpose args...` (NULL-terminated), stdout and stderr to log. */
pid_t e2e_spawn_cli(const char *const *args, const char *log);
/* Its exit code once it ends within max_ms (128 + signal), or -1 after killing it. */
int e2e_wait_exit(pid_t pid, unsigned max_ms);
/* SIGTERM, then its exit code (128 + signal, -1 when it had to be killed). */
int e2e_stop_record(pid_t pid);

/* The chest samples of a recording, in order. */
size_t e2e_recorded_samples(const char *npr, struct np_sample *out, size_t cap);
/* Where in[0..n) appears in rec, or -1. (The firmware sends its built-in synthetic
 * night until the first byte arrives on USART2.) */
long e2e_find_run(const struct np_sample *rec, size_t n_rec, const struct np_sample *in, size_t n);

#endif
