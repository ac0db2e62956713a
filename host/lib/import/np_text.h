/*
 * Line and field scanning for the text importers (spc, uci-ar, hapt, csv).
 * Works on a buffer held in memory, never reads past its end and needs no NUL
 * terminator, so the same code serves files and fuzzers.
 */
#ifndef NIGHTPOSE_HOST_NP_TEXT_H
#define NIGHTPOSE_HOST_NP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file into a new buffer (NUL-terminated, *len excludes the NUL).
 * Returns NP_OK, NP_ERR_IO (errno set), NP_ERR_NOMEM. Free *buf with free(). */
int np_text_read_file(const char *path, char **buf, size_t *len);

struct np_text {
	const char *p, *end;
	unsigned long line; /* 1-based number of the line last returned by np_text_next() */
};

/* Read buf[0..len) line by line; buf is the caller's and must outlive t. */
void np_text_init(struct np_text *t, const char *buf, size_t len);

/* Next line without its "\n" or "\r\n"; false at the end of the buffer. */
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
