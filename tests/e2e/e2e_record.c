/* Shared by the end-to-end tests of `nightpose record` against the QEMU firmware
 * (e2e_record.h). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e_record.h"
#include "fake_pty.h"
#include "np_bytes.h"
#include "np_err.h"
#include "np_recording.h"

static int open_pty(char *slave, size_t cap)
{
	int m = fake_pty_open(slave, cap);
	assert_true(m >= 0);
	return m;
}

/* Boot the firmware; the link's slave path is where the recorder connects. */
/* Every QEMU and recorder started, killed at exit: a failed assertion jumps past
 * the test's own clean-up, and a QEMU left running would eat a core for good. */
#define CHILDREN_MAX 16
static pid_t children[CHILDREN_MAX];
static size_t n_children;

static void kill_children(void)
{
	for (size_t i = 0; i < n_children; i++)
		if (children[i] > 0 && kill(children[i], SIGKILL) == 0)
			waitpid(children[i], NULL, 0);
}

/* A child reaped by the test itself: its pid may be reused, never kill it. */
static void forget_child(pid_t pid)
{
	for (size_t i = 0; i < n_children; i++)
		if (children[i] == pid)
			children[i] = 0;
}

static void keep_child(pid_t pid)
{
	if (n_children == 0)
		atexit(kill_children);
	if (n_children < CHILDREN_MAX)
		children[n_children++] = pid;
}

void e2e_board_start(struct board *b)
{
	char sensor_slave[64];
	int link = open_pty(b->link_slave, sizeof b->link_slave);
	b->sensor = open_pty(sensor_slave, sizeof sensor_slave);
	fcntl(b->sensor, F_SETFL, O_NONBLOCK);
	b->pid = fork();
	assert_true(b->pid >= 0);
	if (b->pid == 0) {
		char addfd[64];
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* QEMU must not outlive a test that crashed */
		if (dup2(link, 3) < 0) /* dup2 clears O_CLOEXEC on the copy */
			_exit(127);
		snprintf(addfd, sizeof addfd, "fd=3,set=1");
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execlp("qemu-system-arm", "qemu-system-arm", "-M", "netduinoplus2", "-nographic",
		       "-monitor", "none", "-kernel", NP_FW_QEMU_ELF, "-add-fd", addfd, "-serial",
		       "/dev/fdset/1", "-serial", sensor_slave, (char *)NULL);
		_exit(127);
	}
	close(link); /* QEMU holds the master now: its death is the pulled cable */
	keep_child(b->pid);
}

void e2e_board_kill(struct board *b)
{
	if (b->pid > 0) {
		kill(b->pid, SIGKILL);
		waitpid(b->pid, NULL, 0);
		forget_child(b->pid);
	}
	b->pid = -1;
	if (b->sensor >= 0)
		close(b->sensor);
	b->sensor = -1;
}

void e2e_sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Write samples to USART2 in the board's 7-byte records, as QEMU takes them. */
void e2e_board_feed(struct board *b, const struct np_sample *s, size_t n)
{
	uint8_t *buf = malloc(n * 7u);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		uint8_t *r = buf + 7u * i;
		r[0] = 0xA5;
		np_put_le16(r + 1, (uint16_t)s[i].x);
		np_put_le16(r + 3, (uint16_t)s[i].y);
		np_put_le16(r + 5, (uint16_t)s[i].z);
	}
	size_t off = 0, len = n * 7u;
	for (int idle = 0; off < len && idle < 3000;) {
		ssize_t k = write(b->sensor, buf + off, len - off);
		if (k > 0) {
			off += (size_t)k;
			idle = 0;
		} else {
			e2e_sleep_ms(10);
			idle++;
		}
	}
	free(buf);
	assert_int_equal(off, len);
}

/* Wait until the recorder's log says what (it logs each event as a line). */
void e2e_wait_for_log(const char *log, const char *what, unsigned max_ms)
{
	char buf[8192];
	for (unsigned t = 0; t < max_ms; t += 100) {
		FILE *f = fopen(log, "r");
		size_t k = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		buf[k] = '\0';
		if (f)
			fclose(f);
		if (strstr(buf, what))
			return;
		e2e_sleep_ms(100);
	}
	fail_msg("no '%s' from the recorder within %u ms", what, max_ms);
}

pid_t e2e_spawn_record(const char *port, const char *npr, const char *log,
		       const char *const *extra)
{
	const char *argv[32] = { NP_CLI, "record", "--port", port, "-o", npr };
	size_t n = 6;
	for (size_t i = 0; extra && extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen(log, "w", stderr) || !freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(NP_CLI, (char *const *)argv);
		_exit(127);
	}
	keep_child(pid);
	return pid;
}

pid_t e2e_spawn_cli(const char *const *args, const char *log)
{
	const char *argv[32] = { NP_CLI };
	size_t n = 1;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen(log, "w", stdout) || dup2(fileno(stdout), 2) < 0)
			_exit(127);
		setvbuf(stdout, NULL, _IONBF, 0);
		execv(NP_CLI, (char *const *)argv);
		_exit(127);
	}
	keep_child(pid);
	return pid;
}

int e2e_wait_exit(pid_t pid, unsigned max_ms)
{
	int st;
	for (unsigned t = 0; t < max_ms; t += 100) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			forget_child(pid);
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		e2e_sleep_ms(100);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	forget_child(pid);
	return -1;
}

int e2e_stop_record(pid_t pid)
{
	kill(pid, SIGTERM);
	return e2e_wait_exit(pid, 10000);
}

/* The chest samples of a recording, in order. */
size_t e2e_recorded_samples(const char *npr, struct np_sample *out, size_t cap)
{
	struct np_rec_reader *r;
	struct np_rec_header h;
	assert_int_equal(np_rec_reader_open(&r, npr, &h), NP_OK);
	struct np_rec_entry e;
	size_t n = 0;
	while (np_rec_reader_next(r, &e) == NP_OK) {
		struct np_samples s;
		if (e.origin != NP_ORIGIN_DEVICE || e.frame.type != NP_MSG_SAMPLES ||
		    np_samples_decode(e.frame.payload, e.frame.len, &s) != NP_OK || s.sensor_id != 0)
			continue;
		for (unsigned i = 0; i < s.count && n < cap; i++)
			out[n++] = s.s[i];
	}
	np_rec_reader_close(r);
	return n;
}

static bool same(const struct np_sample *a, const struct np_sample *b)
{
	return a->x == b->x && a->y == b->y && a->z == b->z;
}

/* Where input[0..n) appears in rec, or -1. (The firmware sends its built-in
 * synthetic night until the first byte arrives on USART2.) */
long e2e_find_run(const struct np_sample *rec, size_t n_rec, const struct np_sample *in, size_t n)
{
	for (size_t k = 0; k + n <= n_rec; k++) {
		size_t i = 0;
		while (i < n && same(&rec[k + i], &in[i]))
			i++;
		if (i == n)
			return (long)k;
	}
	return -1;
}

