/*
 * Byte transports between the host and a nightpose device: the table of
 * operations every transport fills. Transports: a serial port
 * (np_transport_serial.h), a recording replayed as wire bytes
 * (np_transport_file.h) and, in tests, a scripted fake. Everything above this
 * interface (decoder, recorder, alerts) is the same for all of them.
 */
#ifndef NIGHTPOSE_HOST_NP_TRANSPORT_H
#define NIGHTPOSE_HOST_NP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


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

#endif
