#include <errno.h>

#include "np_clock.h"

void np_clock_start(struct np_clock *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
}

double np_clock_s(const struct np_clock *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->t0.tv_sec) + (double)(now.tv_nsec - c->t0.tv_nsec) / 1e9;
}

uint32_t np_clock_ms(const struct np_clock *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (int64_t)(now.tv_sec - c->t0.tv_sec) * 1000 +
		     (now.tv_nsec - c->t0.tv_nsec) / 1000000;
	return (uint32_t)ms;
}

void np_clock_sleep_s(double s)
{
	if (!(s > 0))
		return;
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
