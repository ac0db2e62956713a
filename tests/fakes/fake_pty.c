#define _DEFAULT_SOURCE   /* cfmakeraw */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "fake_pty.h"

int fake_pty_open(char *slave, size_t cap)
{
	int m = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return -1;
	struct termios tio;
	const char *name;
	if (grantpt(m) != 0 || unlockpt(m) != 0 || !(name = ptsname(m)) || tcgetattr(m, &tio) != 0) {
		close(m);
		return -1;
	}
	snprintf(slave, cap, "%s", name);
	/* Raw: the line discipline must not touch the bytes (0x0a, 0x11, 0x13...). */
	cfmakeraw(&tio);
	if (tcsetattr(m, TCSANOW, &tio) != 0) {
		close(m);
		return -1;
	}
	return m;
}
