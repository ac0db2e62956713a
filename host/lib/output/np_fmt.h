/* Small text formatters shared by every report-like output (report, trend, live lines). */
#ifndef NIGHTPOSE_HOST_OUTPUT_NP_FMT_H
#define NIGHTPOSE_HOST_OUTPUT_NP_FMT_H

#include <stddef.h>

/* Hours kept by the formatters, so that 16 bytes always hold their text. */
#define NP_FMT_HOURS_MAX 99999.0

/*
 * Durations as text: "7:05" (h:mm, rounded to the minute) and "7:05:09" (h:mm:ss,
 * rounded to the second). Negative and NaN read as 0, and the hours stop at
 * NP_FMT_HOURS_MAX, so 16 bytes always hold the result.
 */
void np_fmt_hm(double s, char *out, size_t cap);
void np_fmt_hms(double s, char *out, size_t cap);

#endif
