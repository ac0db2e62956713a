/* Serial ports (libserialport, termios for PTYs) as a transport, and the list of ports. */
#ifndef NIGHTPOSE_HOST_LINK_NP_TRANSPORT_SERIAL_H
#define NIGHTPOSE_HOST_LINK_NP_TRANSPORT_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_transport.h"

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

#endif
