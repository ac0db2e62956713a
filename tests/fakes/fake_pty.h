/* Pseudo-terminals for tests that need a serial port with a path. */
#ifndef NIGHTPOSE_TESTS_FAKES_FAKE_PTY_H
#define NIGHTPOSE_TESTS_FAKES_FAKE_PTY_H

#include <stddef.h>

/*
 * Open a raw PTY; returns the master fd (O_CLOEXEC) and the slave's path in
 * slave, or -1. Uses /dev/pts/ptmx first: containers that mount a second
 * devpts over /dev/pts make /dev/ptmx (posix_openpt) hand out PTYs whose
 * slaves cannot be opened by name.
 */
int fake_pty_open(char *slave, size_t cap);

#endif
