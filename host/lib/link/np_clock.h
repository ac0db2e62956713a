/*
 * The monotonic clock of the live pipeline: time since a start point, and a
 * sleep that a signal does not cut short. One place for CLOCK_MONOTONIC, so
 * that record, replay pacing and device probing measure time the same way.
 */
#ifndef NIGHTPOSE_HOST_LINK_NP_CLOCK_H
#define NIGHTPOSE_HOST_LINK_NP_CLOCK_H

#include <stdint.h>
#include <time.h>

struct np_clock {
	struct timespec t0; /* CLOCK_MONOTONIC at np_clock_start() */
};

/* Start (or restart) c at the current time. */
void np_clock_start(struct np_clock *c);

/* Seconds since np_clock_start(c). */
double np_clock_s(const struct np_clock *c);

/* Milliseconds since np_clock_start(c), wrapping after 49.7 days as host_ms does. */
uint32_t np_clock_ms(const struct np_clock *c);

/* Sleep s seconds (nothing for s <= 0), resuming after signals. */
void np_clock_sleep_s(double s);

#endif
