#include "np_text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "np_err.h"

int np_text_open(const char *path, FILE **fp)
{
	struct stat st;
	*fp = fopen(path, "rb");
	if (!*fp)
		return NP_ERR_IO;
	int rc = NP_OK;
	if (fstat(fileno(*fp), &st) != 0)
		rc = NP_ERR_IO;
	else if (S_ISDIR(st.st_mode))
		errno = EISDIR, rc = NP_ERR_IO;
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		rc = NP_ERR_UNSUPP; /* /dev/zero would never end, a tty would wait for typing */
	if (rc != NP_OK) {
		int e = errno;
		fclose(*fp);
		*fp = NULL;
		errno = e;
	}
	return rc;
}

void np_text_init(struct np_text *t, const char *buf, size_t len)
{
	memset(t, 0, sizeof *t);
	t->p = buf;
	t->end = buf + len;
}

void np_text_init_stream(struct np_text *t, FILE *fp, char *buf, size_t cap)
{
	memset(t, 0, sizeof *t);
	t->fp = fp;
	t->buf = buf;
	t->cap = cap;
}

static bool next_in_memory(struct np_text *t, const char **line, size_t *len)
{
	if (t->p >= t->end)
		return false;
	const char *s = t->p;
	const char *nl = memchr(s, '\n', (size_t)(t->end - s));
	const char *e = nl ? nl : t->end;
	t->p = nl ? nl + 1 : t->end;
	*line = s;
	*len = (size_t)(e - s);
	return true;
}

/* Up to the next '\n' through stdio's own buffer: one line in memory, never more. */
static bool next_in_stream(struct np_text *t, const char **line, size_t *len)
{
	size_t n = 0;
	int c = EOF;
	while ((c = getc_unlocked(t->fp)) != EOF && c != '\n') {
		if (n + 1 >= t->cap || n >= NP_TEXT_LINE_MAX) {
			t->err = NP_ERR_FORMAT;
			return false;
		}
		t->buf[n++] = (char)c;
	}
	if (c == EOF && ferror(t->fp)) {
		t->os_errno = errno ? errno : EIO;
		t->err = NP_ERR_IO;
		return false;
	}
	if (c == EOF && n == 0)
		return false;
	*line = t->buf;
	*len = n;
	return true;
}

bool np_text_next(struct np_text *t, const char **line, size_t *len)
{
	if (t->err != NP_OK)
		return false;
	t->line++;
	if (!(t->fp ? next_in_stream(t, line, len) : next_in_memory(t, line, len))) {
		if (t->err == NP_OK)
			t->line--;
		return false;
	}
	if (*len > NP_TEXT_LINE_MAX) {
		t->err = NP_ERR_FORMAT;
		return false;
	}
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

bool np_text_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_blank(line[i]))
			return false;
	return true;
}

static struct np_field trimmed(const char *s, const char *e)
{
	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	return (struct np_field){ s, (size_t)(e - s) };
}

struct np_field np_field_trim(struct np_field f)
{
	return trimmed(f.s, f.s + f.len);
}

size_t np_text_split(const char *line, size_t len, char sep, struct np_field *f, size_t cap)
{
	const char *p = line, *end = line + len;
	size_t n = 0;

	if (sep == NP_TEXT_SEP_BLANKS) {
		for (;;) {
			while (p < end && is_blank(*p))
				p++;
			if (p == end)
				return n;
			const char *s = p;
			while (p < end && !is_blank(*p))
				p++;
			if (n < cap)
				f[n] = (struct np_field){ s, (size_t)(p - s) };
			n++;
		}
	}
	for (;;) {
		const char *s = p;
		while (p < end && *p != sep)
			p++;
		if (n < cap)
			f[n] = trimmed(s, p);
		n++;
		if (p == end)
			return n;
		p++; /* past the separator: a trailing one yields an empty last field */
	}
}

/* Checks the shape before strtod(), which would also take "inf", "0x1p3" or "1e". */
static bool decimal_shape(const char *s, size_t len, bool integer)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (!integer && i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return false;
	if (!integer && i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t exp_digits = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, exp_digits++;
		if (exp_digits == 0)
			return false;
	}
	return i == len;
}

bool np_field_double(const struct np_field *f, double *v)
{
	char tmp[64];
	if (f->len == 0 || f->len >= sizeof tmp || !decimal_shape(f->s, f->len, false))
		return false;
	memcpy(tmp, f->s, f->len);
	tmp[f->len] = '\0';
	errno = 0;
	double d = strtod(tmp, NULL);
	/* ERANGE on underflow still gives a usable (tiny) value; overflow gives HUGE_VAL. */
	if (errno == ERANGE && (d > 1.0 || d < -1.0))
		return false;
	*v = d;
	return true;
}

bool np_field_long(const struct np_field *f, long min, long max, long *v)
{
	char tmp[32];
	if (f->len == 0 || f->len >= sizeof tmp || !decimal_shape(f->s, f->len, true))
		return false;
	memcpy(tmp, f->s, f->len);
	tmp[f->len] = '\0';
	errno = 0;
	long l = strtol(tmp, NULL, 10);
	if (errno != 0 || l < min || l > max)
		return false;
	*v = l;
	return true;
}

bool np_field_is(const struct np_field *f, const char *s)
{
	size_t n = strlen(s);
	if (n != f->len)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = f->s[i], b = s[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}
