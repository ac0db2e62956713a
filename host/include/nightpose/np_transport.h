/*
 * Byte transports between the host and a nightpose device: a serial port
 * (libserialport), a recording replayed as wire bytes, and (in tests) a
 * scripted fake. Everything above this interface (decoder, recorder, alerts)
 * is the same for all of them.
 */
#ifndef NIGHTPOSE_HOST_NP_TRANSPORT_H
#define NIGHTPOSE_HOST_NP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_recording.h"

struct np_transport_ops {
	/*
	 * Wait up to timeout_ms for bytes and copy at most cap of them into buf.
	 * Returns NP_OK with *got bytes (0 when the timeout passed with nothing);
	 * NP_ERR_NODEV when the device went away (port gone, hangup);
	 * NP_ERR_IO on another read error (errno set); NP_ERR_EOF when a finite
	 * source (a recording) is exhausted. *got is 0 on every error.
	 */
	int (*read)(void *self, uint8_t *buf, size_t cap, size_t *got, unsigned timeout_ms);
	/* Write all len bytes. NP_OK, NP_ERR_NODEV, NP_ERR_IO, NP_ERR_UNSUPP (read-only source). */
	int (*write)(void *self, const uint8_t *buf, size_t len);
	/* Release the OS resource and free self. */
	void (*close)(void *self);
};

/* A transport is a table of operations and its state; ops == NULL means closed. */
struct np_transport {
	const struct np_transport_ops *ops;
	void *self;
};

static inline int np_transport_read(struct np_transport *t, uint8_t *buf, size_t cap, size_t *got,
				    unsigned timeout_ms)
{
	return t->ops->read(t->self, buf, cap, got, timeout_ms);
}

static inline int np_transport_write(struct np_transport *t, const uint8_t *buf, size_t len)
{
	return t->ops->write(t->self, buf, len);
}

/* Close if open; safe to call twice. */
static inline void np_transport_close(struct np_transport *t)
{
	if (t->ops)
		t->ops->close(t->self);
	t->ops = NULL;
	t->self = NULL;
}

/* ---- Serial ports (np_transport_serial.c, libserialport) ---- */

/*
 * Open a serial port by path (e.g. /dev/ttyACM0, a /dev/serial/by-id link, or a
 * PTY slave such as QEMU's) as 115200 8N1, raw, no flow control. PTYs, which
 * libserialport 0.1.1 cannot open, go through termios directly.
 * Returns NP_OK; NP_ERR_NODEV (no such port);
 * NP_ERR_IO (busy, permission: errno set); NP_ERR_NOMEM. On failure t is closed.
 */
int np_transport_serial_open(struct np_transport *t, const char *path);

/* One serial port as the OS lists it. Strings are "" when unknown. */
struct np_port_info {
	char path[128];
	char description[128];
	bool usb;           /* vid/pid/serial/product are meaningful */
	uint16_t vid, pid;
	char serial[64];
	char product[64];
	char manufacturer[64];
};

/* USB vendor ID of nightpose devices (pid.codes open-source VID). */
#define NP_USB_VID 0x1209u

/*
 * List the serial ports of the machine. *ports is a heap array of *n entries,
 * sorted by path; free it with free(). Returns NP_OK (possibly with *n == 0),
 * NP_ERR_IO, NP_ERR_NOMEM. On failure *ports is NULL and *n is 0.
 */
int np_serial_list(struct np_port_info **ports, size_t *n);

/* ---- Recordings replayed as wire bytes (np_transport_file.c) ---- */

/*
 * Open a .npr recording as a transport that yields its device frames,
 * re-encoded as wire bytes, one frame per read. speed > 0 paces them by their
 * recorded host_ms (2.0 = twice as fast); speed == 0 delivers them as fast as
 * possible. Writes are accepted and discarded (the recording cannot answer).
 * Returns the np_rec_reader_open() errors; h (optional) receives the header.
 */
int np_transport_file_open(struct np_transport *t, const char *path, double speed,
			   struct np_rec_header *h);

/*
 * host_ms of the record whose bytes the last read delivered (0 before the
 * first). Replay uses it as its clock, so it sees the times the live
 * recorder saw. t must come from np_transport_file_open().
 */
uint32_t np_transport_file_host_ms(const struct np_transport *t);

/* Records read so far and the reader's statistics (torn tail, corrupt records). */
const struct np_rec_stats *np_transport_file_stats(const struct np_transport *t);

#endif
