/*
 * Line and field scanning for the text importers (spc, uci-ar, hapt, csv).
 * Reads a buffer held in memory (tests, fuzzers) or streams a file through a
 * line buffer the caller owns, so an import never holds more of its input than
 * one line; either way a line is at most NP_TEXT_LINE_MAX bytes.
 */
#ifndef NIGHTPOSE_HOST_NP_TEXT_H
#define NIGHTPOSE_HOST_NP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The longest line accepted, without its end: wide CSV exports stay far below it,
 * and a file without line ends (or /dev/zero through a pipe) stops here. */
#define NP_TEXT_LINE_MAX 65536u

/*
 * Opens path for reading: a regular file or a pipe (FIFO). Returns NP_OK,
 * NP_ERR_IO (errno set; EISDIR for a folder), NP_ERR_UNSUPP (a device or socket:
 * /dev/zero, a tty). On failure *fp is NULL.
 */
int np_text_open(const char *path, FILE **fp);

struct np_text {
	const char *p, *end; /* memory: the rest of the buffer */
	FILE *fp;            /* stream (the caller's, not closed here), or NULL */
	char *buf;           /* stream: the caller's line buffer */
	size_t cap;
	unsigned long line; /* 1-based number of the line last returned by np_text_next() */
	int err;            /* NP_OK; NP_ERR_IO (os_errno set) or NP_ERR_FORMAT (line too long) */
	int os_errno;
};

/* Read buf[0..len) line by line; buf is the caller's and must outlive t. */
void np_text_init(struct np_text *t, const char *buf, size_t len);

/* Read fp line by line into buf (at least NP_TEXT_LINE_MAX + 1 bytes, the caller's,
 * must outlive t). */
void np_text_init_stream(struct np_text *t, FILE *fp, char *buf, size_t cap);

/* Next line without its "\n" or "\r\n" (valid until the next call); false at the
 * end of the input, or on an error: then t->err says which, t->line is its line. */
bool np_text_next(struct np_text *t, const char **line, size_t *len);

/* True when the line holds only blanks (spaces, tabs, a stray '\r'). */
bool np_text_blank(const char *line, size_t len);

struct np_field {
	const char *s; /* not NUL-terminated */
	size_t len;    /* blanks around the field are trimmed off */
};

/* Column separators: one character, or NP_TEXT_SEP_BLANKS for runs of spaces/tabs. */
#define NP_TEXT_SEP_BLANKS ' '

/*
 * Split a line into fields. Returns the number of fields found; when it exceeds
 * cap, only the first cap are stored (the count still tells how many there were).
 */
size_t np_text_split(const char *line, size_t len, char sep, struct np_field *f, size_t cap);

/* The field without the blanks around it. */
struct np_field np_field_trim(struct np_field f);

/*
 * Strict numbers: decimal digits with an optional sign, point and exponent;
 * no hex, inf, nan or trailing junk. False when the field is not such a number
 * (or is empty, or longer than 63 characters).
 */
bool np_field_double(const struct np_field *f, double *v);
/* A whole number in [min, max] (written without point or exponent). */
bool np_field_long(const struct np_field *f, long min, long max, long *v);

/* Case-insensitive comparison of a field with a C string. */
bool np_field_is(const struct np_field *f, const char *s);

#endif
