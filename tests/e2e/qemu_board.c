#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "np_bytes.h"
#include "np_err.h"
#include "qemu_board.h"

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Read QEMU's stderr until both "char device redirected to /dev/pts/N (label serialK)" lines. */
static int read_pty_paths(int fd, char paths[2][64])
{
	char buf[4096];
	size_t len = 0;
	uint64_t end = mono_ms() + 20000;

	paths[0][0] = paths[1][0] = '\0';
	while (!paths[0][0] || !paths[1][0]) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int left = (int)(end - mono_ms());
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -1;
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		for (int k = 0; k < 2; k++) {
			char label[32], *at, *nl;
			snprintf(label, sizeof label, "(label serial%d)", k);
			if (paths[k][0] || !(at = strstr(buf, label)))
				continue;
			/* Walk back to the "redirected to " that starts this line. */
			char *line = at;
			while (line > buf && line[-1] != '\n')
				line--;
			char *p = strstr(line, "redirected to ");
			if (!p || p > at)
				continue;
			p += strlen("redirected to ");
			nl = strchr(p, ' ');
			if (!nl || (size_t)(nl - p) >= sizeof paths[k])
				return -1;
			memcpy(paths[k], p, (size_t)(nl - p));
			paths[k][nl - p] = '\0';
		}
	}
	return 0;
}

/*
 * POSIX, not libserialport: libserialport 0.1.1 (Debian 12) cannot open a PTY.
 * sp_get_port_by_name() looks the name up under /sys/class/tty (no entry for
 * /dev/pts/N) and sp_open() fails on TIOCMGET ("Inappropriate ioctl for device").
 * Raw mode keeps the line discipline out of the bytes.
 */
static int open_pty(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) != 0) {
		close(fd);
		return -1;
	}
	cfmakeraw(&t);
	if (tcsetattr(fd, TCSANOW, &t) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int qemu_board_start(struct qemu_board *q, const char *elf)
{
	return qemu_board_start_with(q, elf, NULL);
}

int qemu_board_start_with(struct qemu_board *q, const char *elf, const char *device)
{
	int in[2], err[2];
	char paths[2][64];

	memset(q, 0, sizeof *q);
	q->pid = -1;
	q->monitor_fd = q->stderr_fd = q->link_fd = q->sensor_fd = -1;
	np_frame_decoder_init(&q->dec, q->scratch, sizeof q->scratch);
	if (pipe(in) != 0 || pipe(err) != 0)
		return -1;
	q->pid = fork();
	if (q->pid < 0)
		return -1;
	if (q->pid == 0) {
		/* QEMU must not outlive a test that crashed. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* With the monitor on stdio, QEMU reports the PTY names there. */
		dup2(in[0], 0);
		dup2(err[1], 1);
		dup2(err[1], 2);
		close(in[1]);
		close(err[0]);
		execlp("qemu-system-arm", "qemu-system-arm", "-M", "netduinoplus2", "-nographic",
		       "-S", "-monitor", "stdio", "-kernel", elf, "-serial", "pty", "-serial", "pty",
		       device ? "-device" : (char *)NULL, device, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(err[1]);
	q->monitor_fd = in[1];
	/* The pipe stays open until stop: a closed one would kill QEMU on its next message. */
	q->stderr_fd = err[0];
	int rc = read_pty_paths(err[0], paths);
	if (rc != 0) {
		fprintf(stderr, "qemu_board: no PTY paths from qemu-system-arm\n");
		return -1;
	}
	q->link_fd = open_pty(paths[0]);
	q->sensor_fd = open_pty(paths[1]);
	if (q->link_fd < 0 || q->sensor_fd < 0) {
		fprintf(stderr, "qemu_board: cannot open %s / %s\n", paths[0], paths[1]);
		return -1;
	}
	return qemu_board_monitor(q, "cont");
}

int qemu_board_monitor(struct qemu_board *q, const char *cmd)
{
	char line[128];
	int n = snprintf(line, sizeof line, "%s\n", cmd);
	if (n <= 0 || (size_t)n >= sizeof line)
		return -1;
	return write(q->monitor_fd, line, (size_t)n) == n ? 0 : -1;
}

void qemu_board_stop(struct qemu_board *q)
{
	if (q->pid > 0) {
		kill(q->pid, SIGTERM);
		for (int i = 0; i < 50; i++) {
			if (waitpid(q->pid, NULL, WNOHANG) == q->pid) {
				q->pid = -1;
				break;
			}
			usleep(100000);
		}
		if (q->pid > 0) {
			kill(q->pid, SIGKILL);
			waitpid(q->pid, NULL, 0);
		}
		q->pid = -1;
	}
	if (q->monitor_fd >= 0)
		close(q->monitor_fd);
	if (q->stderr_fd >= 0)
		close(q->stderr_fd);
	q->monitor_fd = q->stderr_fd = -1;
	if (q->link_fd >= 0)
		close(q->link_fd);
	if (q->sensor_fd >= 0)
		close(q->sensor_fd);
	q->link_fd = q->sensor_fd = -1;
	free(q->feed);
	q->feed = NULL;
	q->feed_len = q->feed_pos = 0;
}

int qemu_board_feed(struct qemu_board *q, const struct np_sample *s, size_t n)
{
	return qemu_board_feed_sensor(q, 0, s, n);
}

int qemu_board_feed_sensor(struct qemu_board *q, uint8_t sensor_id, const struct np_sample *s,
			   size_t n)
{
	size_t pending = q->feed_len - q->feed_pos;
	uint8_t *buf = malloc(pending + n * 7u);
	if (!buf)
		return -1;
	if (pending)
		memcpy(buf, q->feed + q->feed_pos, pending);
	for (size_t i = 0; i < n; i++) {
		uint8_t *r = buf + pending + 7u * i;
		r[0] = (uint8_t)(0xA5u + sensor_id);
		np_put_le16(r + 1, (uint16_t)s[i].x);
		np_put_le16(r + 3, (uint16_t)s[i].y);
		np_put_le16(r + 5, (uint16_t)s[i].z);
	}
	free(q->feed);
	q->feed = buf;
	q->feed_len = pending + n * 7u;
	q->feed_pos = 0;
	return 0;
}

size_t qemu_board_feed_pending(const struct qemu_board *q)
{
	return q->feed_len - q->feed_pos;
}

static void pump_feed(struct qemu_board *q)
{
	if (q->feed_pos >= q->feed_len)
		return;
	ssize_t n = write(q->sensor_fd, q->feed + q->feed_pos, q->feed_len - q->feed_pos);
	if (n > 0)
		q->feed_pos += (size_t)n;
}

int qemu_board_frame(struct qemu_board *q, struct np_frame *f, unsigned timeout_ms)
{
	uint64_t end = mono_ms() + timeout_ms;

	for (;;) {
		if (q->rx_pos < q->rx_len) {
			size_t used = 0;
			int rc = np_frame_decoder_feed(&q->dec, q->rx + q->rx_pos, q->rx_len - q->rx_pos,
						       &used, f);
			q->rx_pos += used;
			if (rc == NP_OK)
				return 0;
		}
		if (mono_ms() >= end)
			return -1;
		pump_feed(q);
		struct pollfd p[2] = { { .fd = q->link_fd, .events = POLLIN },
				       { .fd = q->sensor_fd, .events = POLLOUT } };
		nfds_t np = qemu_board_feed_pending(q) > 0 ? 2 : 1;
		if (poll(p, np, 20) < 0 && errno != EINTR)
			return -1;
		ssize_t n = read(q->link_fd, q->rx, sizeof q->rx);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		q->rx_len = n > 0 ? (size_t)n : 0;
		q->rx_pos = 0;
	}
}

int qemu_board_send_raw(struct qemu_board *q, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t end = mono_ms() + 5000;
	while (len > 0) {
		ssize_t n = write(q->link_fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (mono_ms() >= end)
			return -1;
		struct pollfd pfd = { .fd = q->link_fd, .events = POLLOUT };
		(void)poll(&pfd, 1, 20);
	}
	return 0;
}

int qemu_board_command(struct qemu_board *q, uint8_t cmd, uint8_t arg8, uint16_t arg16,
		       uint32_t arg32)
{
	struct np_command c = { .cmd = cmd, .arg8 = arg8, .arg16 = arg16, .arg32 = arg32 };
	uint8_t payload[NP_COMMAND_LEN], wire[64];
	size_t plen, wlen;
	uint16_t seq = q->cmd_seq++;

	if (np_command_encode(&c, payload, sizeof payload, &plen) != NP_OK ||
	    np_frame_encode(NP_MSG_COMMAND, seq, payload, plen, wire, sizeof wire, &wlen) != NP_OK)
		return -1;
	return qemu_board_send_raw(q, wire, wlen) == 0 ? seq : -1;
}

int qemu_board_call(struct qemu_board *q, uint8_t cmd, uint8_t arg8, uint16_t arg16,
		    uint32_t arg32, struct np_ack *ack, unsigned timeout_ms,
		    void (*on_frame)(void *ctx, const struct np_frame *f), void *ctx)
{
	int seq = qemu_board_command(q, cmd, arg8, arg16, arg32);
	uint64_t end = mono_ms() + timeout_ms;
	struct np_frame f;

	if (seq < 0)
		return -1;
	while (mono_ms() < end) {
		if (qemu_board_frame(q, &f, (unsigned)(end - mono_ms())) != 0)
			return -1;
		if (f.type == NP_MSG_ACK && np_ack_decode(f.payload, f.len, ack) == NP_OK &&
		    ack->cmd_seq == (uint16_t)seq)
			return 0;
		if (on_frame)
			on_frame(ctx, &f);
	}
	return -1;
}
