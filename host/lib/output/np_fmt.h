/* Small text formatters shared by every report-like output (report, trend, live lines). */
#ifndef NIGHTPOSE_HOST_OUTPUT_NP_FMT_H
#define NIGHTPOSE_HOST_OUTPUT_NP_FMT_H

#include <stdbool.h>
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

/*
 * Unix time as ISO 8601 local time with its UTC offset, "2026-01-06T23:41:05+01:00"
 * (the zone from TZ): the clock format of every JSON output. 32 bytes hold it.
 * Returns false (out "") for an unknown time (utc_s <= 0) or one the C library
 * cannot convert.
 */
bool np_fmt_iso8601(double utc_s, char *out, size_t cap);

struct cJSON;

/* o[key] = the ISO 8601 clock time of offset t_s from a recording's start, or null
 * when the start is unknown (start_utc_s <= 0): every JSON clock of nightpose. */
void np_json_add_clock(struct cJSON *o, const char *key, double start_utc_s, double t_s);

/* A duration for a sentence: "27 s" under two minutes, else "12.5 min". */
void np_fmt_duration(double s, char *out, size_t cap);

/* Bytes that hold np_fmt_printable() of n bytes of text, the NUL included. */
#define NP_FMT_PRINTABLE_CAP(n) (4 * (n) + 1)

/*
 * Text from a device or a file (serial number, source, notes) made safe for a
 * terminal: control characters (bytes below 0x20, 0x7f, and U+0080..U+009F) and
 * bytes that are not valid UTF-8 become "\xNN", so a file cannot send escape
 * sequences (clear the screen, set the window title, hyperlinks) through a text
 * output. Valid UTF-8 is kept. The result is cut at a character boundary to fit
 * cap (NP_FMT_PRINTABLE_CAP() bytes always hold all of it). Returns out.
 */
char *np_fmt_printable(const char *in, char *out, size_t cap);

#endif
