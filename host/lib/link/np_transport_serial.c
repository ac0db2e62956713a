/* Serial-port transport on libserialport: USB CDC-ACM devices, UARTs, PTYs. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <libserialport.h>

#include "np_err.h"
#include "np_transport_serial.h"

struct serial {
	struct sp_port *port; /* NULL for a PTY (see open_pty()) */
	int fd;
	char path[256];
};

/* A port whose device node is gone was unplugged; anything else is an I/O error. */
static int gone_or_io(const struct serial *s, int err)
{
	struct stat st;
	if (err == ENODEV || err == ENXIO || stat(s->path, &st) != 0) {
		errno = err ? err : ENODEV;
		return NP_ERR_NODEV;
	}
	errno = err;
	return err == EIO ? NP_ERR_NODEV : NP_ERR_IO;
}

static int serial_read(void *self, uint8_t *buf, size_t cap, size_t *got, unsigned timeout_ms)
{
	struct serial *s = self;
	*got = 0;
	/* poll() rather than sp_blocking_read(): libserialport 0.1.1 treats a hangup
	 * (read returning 0) as "no data yet" and would spin until the timeout, so a
	 * pulled cable would look like silence forever. */
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms > 0x7fffffffu ? -1 : (int)timeout_ms);
	if (n < 0)
		return errno == EINTR ? NP_OK : gone_or_io(s, errno);
	if (n == 0) {
		/* Some drivers report an unplug only by removing the node. */
		struct stat st;
		if (stat(s->path, &st) != 0)
			return gone_or_io(s, ENODEV);
		return NP_OK;
	}
	if (p.revents & POLLNVAL)
		return gone_or_io(s, EBADF);
	ssize_t r = read(s->fd, buf, cap);
	if (r > 0) {
		*got = (size_t)r;
		return NP_OK;
	}
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return NP_OK;
	/* r == 0 after POLLIN, POLLHUP or POLLERR: the other end is gone. */
	return gone_or_io(s, r < 0 ? errno : EIO);
}

/* 1 s is far longer than any command takes at 115200 baud; a full output
 * buffer for that long means nobody is reading the other end. */
#define WRITE_TIMEOUT_MS 1000

static int pty_write(struct serial *s, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(s->fd, buf + off, len - off);
		if (k > 0) {
			off += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN)
			return gone_or_io(s, errno);
		struct pollfd p = { .fd = s->fd, .events = POLLOUT };
		int n = poll(&p, 1, WRITE_TIMEOUT_MS);
		if (n == 0) {
			errno = ETIMEDOUT;
			return NP_ERR_IO;
		}
		if (n < 0 && errno != EINTR)
			return gone_or_io(s, errno);
	}
	return NP_OK;
}

static int serial_write(void *self, const uint8_t *buf, size_t len)
{
	struct serial *s = self;
	if (!s->port)
		return pty_write(s, buf, len);
	enum sp_return r = sp_blocking_write(s->port, buf, len, WRITE_TIMEOUT_MS);
	if (r < 0)
		return gone_or_io(s, errno);
	if ((size_t)r != len) {
		errno = ETIMEDOUT;
		return NP_ERR_IO;
	}
	return NP_OK;
}

static void serial_close(void *self)
{
	struct serial *s = self;
	if (s->port) {
		sp_close(s->port);
		sp_free_port(s->port);
	} else {
		close(s->fd);
	}
	free(s);
}

static const struct np_transport_ops serial_ops = {
	.read = serial_read,
	.write = serial_write,
	.close = serial_close,
};

/*
 * Pseudo-terminals (QEMU's -serial pty, test harnesses) have no sysfs entry,
 * so libserialport 0.1.1 cannot open them; termios does the same job there.
 */
static int open_pty(struct serial *s, const char *name)
{
	s->fd = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0)
		return (errno == ENOENT || errno == ENODEV || errno == ENXIO) ? NP_ERR_NODEV : NP_ERR_IO;
	struct termios tio;
	if (!isatty(s->fd) || tcgetattr(s->fd, &tio) != 0) {
		int e = errno ? errno : ENOTTY;
		close(s->fd);
		errno = e;
		return NP_ERR_IO;
	}
	/* Raw 8N1, as cfmakeraw() does (which POSIX does not have). */
	tio.c_iflag &= (tcflag_t)~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF);
	tio.c_oflag &= (tcflag_t)~OPOST;
	tio.c_lflag &= (tcflag_t)~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	tio.c_cflag &= (tcflag_t)~(CSIZE | PARENB | CSTOPB);
	tio.c_cflag |= CS8 | CREAD | CLOCAL;
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, B115200);
	cfsetospeed(&tio, B115200);
	if (tcsetattr(s->fd, TCSANOW, &tio) != 0) {
		int e = errno;
		close(s->fd);
		errno = e;
		return NP_ERR_IO;
	}
	return NP_OK;
}

int np_transport_serial_open(struct np_transport *t, const char *path)
{
	t->ops = NULL;
	t->self = NULL;
	if (!path || strlen(path) >= sizeof ((struct serial *)0)->path)
		return NP_ERR_ARG;
	struct stat st;
	if (stat(path, &st) != 0) {
		errno = ENOENT;
		return NP_ERR_NODEV;
	}
	struct serial *s = calloc(1, sizeof *s);
	if (!s)
		return NP_ERR_NOMEM;
	snprintf(s->path, sizeof s->path, "%s", path);
	/* libserialport 0.1.1 looks a port up in /sys/class/tty by the name under
	 * /dev, so a /dev/serial/by-id link must be resolved first. */
	char real[PATH_MAX];
	const char *name = realpath(path, real) ? real : path;
	if (sp_get_port_by_name(name, &s->port) != SP_OK) {
		s->port = NULL;
		int rc = open_pty(s, name);
		if (rc != NP_OK) {
			free(s);
			return rc;
		}
		t->ops = &serial_ops;
		t->self = s;
		return NP_OK;
	}
	if (sp_open(s->port, SP_MODE_READ_WRITE) != SP_OK) {
		int e = errno;
		sp_free_port(s->port);
		free(s);
		errno = e;
		return (e == ENOENT || e == ENODEV || e == ENXIO) ? NP_ERR_NODEV : NP_ERR_IO;
	}
	/* 8N1 raw; on USB CDC and PTYs the baud rate is ignored. */
	if (sp_set_baudrate(s->port, 115200) != SP_OK || sp_set_bits(s->port, 8) != SP_OK ||
	    sp_set_parity(s->port, SP_PARITY_NONE) != SP_OK || sp_set_stopbits(s->port, 1) != SP_OK ||
	    sp_set_flowcontrol(s->port, SP_FLOWCONTROL_NONE) != SP_OK ||
	    sp_get_port_handle(s->port, &s->fd) != SP_OK) {
		int e = errno;
		sp_close(s->port);
		sp_free_port(s->port);
		free(s);
		errno = e ? e : EIO;
		return NP_ERR_IO;
	}
	t->ops = &serial_ops;
	t->self = s;
	return NP_OK;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct np_port_info *)a)->path, ((const struct np_port_info *)b)->path);
}

int np_serial_list(struct np_port_info **ports, size_t *n)
{
	*ports = NULL;
	*n = 0;
	struct sp_port **list = NULL;
	if (sp_list_ports(&list) != SP_OK) {
		if (errno == 0)
			errno = EIO;
		return NP_ERR_IO;
	}
	size_t count = 0;
	while (list[count])
		count++;
	struct np_port_info *out = calloc(count ? count : 1, sizeof *out);
	if (!out) {
		sp_free_port_list(list);
		return NP_ERR_NOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		struct sp_port *p = list[i];
		struct np_port_info *o = &out[i];
		copy_str(o->path, sizeof o->path, sp_get_port_name(p));
		copy_str(o->description, sizeof o->description, sp_get_port_description(p));
		int vid = 0, pid = 0;
		if (sp_get_port_transport(p) == SP_TRANSPORT_USB &&
		    sp_get_port_usb_vid_pid(p, &vid, &pid) == SP_OK) {
			o->usb = true;
			o->vid = (uint16_t)vid;
			o->pid = (uint16_t)pid;
			copy_str(o->serial, sizeof o->serial, sp_get_port_usb_serial(p));
			copy_str(o->product, sizeof o->product, sp_get_port_usb_product(p));
			copy_str(o->manufacturer, sizeof o->manufacturer, sp_get_port_usb_manufacturer(p));
		}
	}
	sp_free_port_list(list);
	qsort(out, count, sizeof *out, cmp_path);
	*ports = out;
	*n = count;
	return NP_OK;
}
