/* What the importers share: header, timing, numbers, label runs, errors. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_civil.h"
#include "np_err.h"
#include "np_imp.h"
#include "np_rec_data.h"

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "name_YYYYMMDD_HHMMSS.csv" (the spc dataset's GUI names its files so): Unix ms, or 0. */
static int64_t date_from_name(const char *name)
{
	const char *b = base_name(name);
	for (const char *p = b; *p; p++) {
		unsigned v[6];
		int used = 0;
		if (p[0] != '_' ||
		    sscanf(p, "_%4u%2u%2u_%2u%2u%2u%n", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &used) != 6 ||
		    used != 16)
			continue;
		if (np_civil_valid(v))
			return np_civil_ms(v);
	}
	return 0;
}

void np_imp_begin(struct np_imp *im, struct np_rec_data *d, struct np_import_error *err,
		  const struct np_import_opts *o, enum np_import_format fmt, const char *buf,
		  size_t len, unsigned sensors)
{
	memset(im, 0, sizeof *im);
	memset(err, 0, sizeof *err);
	np_rec_data_init(d);
	im->d = d;
	im->err = err;
	im->o = o;
	np_text_init(&im->text, buf, len);

	struct np_rec_header *h = &d->header;
	const char *name = o->name ? o->name : "-";
	h->flags = NP_REC_IMPORTED;
	h->created_utc_ms = o->start_utc_ms != NP_IMPORT_NO_START ? o->start_utc_ms
				  : fmt == NP_IMPORT_SPC      ? date_from_name(name)
							      : 0;
	snprintf(h->source, sizeof h->source, "import %s %s", np_import_format_name(fmt),
		 base_name(name));

	/* The device serial names the recording: the file name without its extension. */
	struct np_hello *hello = &h->hello;
	const char *b = base_name(name);
	size_t n = strcspn(b, ".");
	if (n > NP_SERIAL_LEN)
		n = NP_SERIAL_LEN;
	memcpy(hello->serial, b, n);
	hello->serial[n] = '\0';
	hello->sensor_model = NP_SENSOR_IMPORTED;
	hello->sensor_count = (uint8_t)sensors;
	hello->reset_reason = NP_RESET_UNKNOWN;
	hello->lsb_per_g = 1000;
}

int np_imp_fixed_rate(struct np_imp *im, double rate_hz)
{
	struct np_hello *h = &im->d->header.hello;
	double mhz = rate_hz * 1000.0;
	if (!(mhz >= 1.0 && mhz <= 100000000.0) || fabs(mhz - round(mhz)) > 1e-6)
		return np_imp_fail(im, 0, NP_ERR_RANGE,
				   "rate %g Hz: must be a multiple of 0.001 Hz, at most 100000 Hz",
				   rate_hz);
	h->rate_millihz = (uint32_t)round(mhz);
	if (np_rec_tick_base(h->rate_millihz, &h->tick_hz, &im->period_ticks) != NP_OK)
		return np_imp_fail(im, 0, NP_ERR_RANGE, "rate %g Hz: too slow for a recording",
				   rate_hz);
	return NP_OK;
}

void np_imp_irregular(struct np_imp *im)
{
	im->d->header.hello.rate_millihz = 0;
	im->d->header.hello.tick_hz = 1000;
	im->period_ticks = 0;
}

bool np_imp_next_line(struct np_imp *im, const char **line, size_t *len, bool comments)
{
	while (np_text_next(&im->text, line, len)) {
		if (np_text_blank(*line, *len))
			continue;
		if (comments) {
			size_t i = 0;
			while (i < *len && ((*line)[i] == ' ' || (*line)[i] == '\t'))
				i++;
			if (i < *len && (*line)[i] == '#')
				continue;
		}
		return true;
	}
	return false;
}

int np_imp_fail(struct np_imp *im, unsigned column, int rc, const char *fmt, ...)
{
	va_list ap;
	im->err->line = im->text.line;
	im->err->column = column;
	va_start(ap, fmt);
	vsnprintf(im->err->why, sizeof im->err->why, fmt, ap);
	va_end(ap);
	return rc;
}

int np_imp_fail_file(struct np_imp *im, int rc, const char *why)
{
	np_imp_fail(im, 0, rc, "%s", why);
	im->err->line = 0;
	return rc;
}

int np_imp_check_columns(struct np_imp *im, size_t found, size_t expected)
{
	if (found == expected)
		return NP_OK;
	return np_imp_fail(im, 0, NP_ERR_FORMAT, "expected %zu columns, found %zu", expected, found);
}

const char *np_imp_quote(const struct np_field *f, char *buf, size_t cap)
{
	size_t n = f->len < cap - 6 ? f->len : cap - 6;
	if (f->len == 0)
		return "empty";
	buf[0] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)f->s[i];
		buf[i + 1] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	strcpy(buf + 1 + n, n < f->len ? "...\"" : "\"");
	return buf;
}

bool np_imp_field_double(const struct np_imp *im, const struct np_field *f, double *v)
{
	char tmp[64];
	const char *comma = im->decimal_comma ? memchr(f->s, ',', f->len) : NULL;
	if (!comma || f->len >= sizeof tmp)
		return np_field_double(f, v);
	memcpy(tmp, f->s, f->len);
	tmp[comma - f->s] = '.';
	return np_field_double(&(struct np_field){ tmp, f->len }, v);
}

int np_imp_number(struct np_imp *im, const struct np_field *f, size_t i, double *v)
{
	char q[40];
	if (np_imp_field_double(im, &f[i], v))
		return NP_OK;
	return np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT, "not a number: %s",
			   np_imp_quote(&f[i], q, sizeof q));
}

int np_imp_whole(struct np_imp *im, const struct np_field *f, size_t i, long min, long max,
		 long *v)
{
	char q[40];
	if (np_field_long(&f[i], min, max, v))
		return NP_OK;
	return np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT,
			   "expected a whole number from %ld to %ld, found %s", min, max,
			   np_imp_quote(&f[i], q, sizeof q));
}

/* The largest full scale of common MEMS accelerometers (LIS3DH: +-16 g). */
#define NP_IMP_MAX_G 16

int np_imp_accel(struct np_imp *im, const struct np_field *f, size_t i0, const unsigned map[3],
		 double unit_g, int16_t out[3])
{
	unsigned lsb = im->d->header.hello.lsb_per_g;
	for (unsigned k = 0; k < 3; k++) {
		size_t i = i0 + map[k];
		double v;
		long l;
		int rc;
		if (unit_g == 0.0) {
			/* Raw counts: whole numbers in the int16 range of a SAMPLES frame. */
			if ((rc = np_imp_whole(im, f, i, INT16_MIN, INT16_MAX, &l)) != NP_OK)
				return rc;
			if (labs(l) > (long)NP_IMP_MAX_G * lsb)
				return np_imp_fail(im, (unsigned)i + 1, NP_ERR_RANGE,
						   "acceleration %ld counts is out of range (at most "
						   "%d g, %ld counts)",
						   l, NP_IMP_MAX_G, (long)NP_IMP_MAX_G * lsb);
			out[k] = (int16_t)l;
			continue;
		}
		if ((rc = np_imp_number(im, f, i, &v)) != NP_OK)
			return rc;
		double g = v * unit_g;
		if (!(fabs(g) <= NP_IMP_MAX_G))
			return np_imp_fail(im, (unsigned)i + 1, NP_ERR_RANGE,
					   "acceleration %g g is out of range (at most %d g)", g,
					   NP_IMP_MAX_G);
		double c = round(g * lsb);
		if (c < INT16_MIN || c > INT16_MAX)
			return np_imp_fail(im, (unsigned)i + 1, NP_ERR_RANGE,
					   "acceleration %g g does not fit %u counts per g", g,
					   lsb);
		out[k] = (int16_t)c;
	}
	return NP_OK;
}

int np_imp_row_time(struct np_imp *im, const struct np_field *f, size_t i, size_t row,
		    double *t0, uint32_t *tick)
{
	double t;
	uint32_t hz = im->d->header.hello.tick_hz;
	int rc = np_imp_number(im, f, i, &t);
	if (rc != NP_OK)
		return rc;
	if (row == 0)
		*t0 = t;
	double ticks = round((t - *t0) * hz);
	if (row > 0 && !(ticks > (double)*tick))
		return np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT,
				   "time %.3f s is not after the previous row's %.3f s", t,
				   *t0 + (double)*tick / hz);
	if (!(ticks <= (double)UINT32_MAX))
		return np_imp_fail(im, (unsigned)i + 1, NP_ERR_RANGE,
				   "time %.3f s is too far from the first row's (at most %.0f s)",
				   t, (double)UINT32_MAX / hz);
	*tick = (uint32_t)ticks;
	return NP_OK;
}

static int close_run(struct np_imp *im, uint32_t end_tick)
{
	if (!im->run_open)
		return NP_OK;
	im->run_open = false;
	return np_rec_data_annotate(im->d, im->run_start, end_tick, im->run_kind, im->run_pos,
				    im->run_text);
}

int np_imp_label(struct np_imp *im, uint32_t tick, uint8_t kind, uint8_t pos, const char *text)
{
	if (im->run_open && kind == im->run_kind && pos == im->run_pos &&
	    strcmp(text, im->run_text) == 0)
		return NP_OK;
	int rc = close_run(im, tick);
	if (rc != NP_OK || kind == 0)
		return rc;
	im->run_open = true;
	im->run_start = tick;
	im->run_kind = kind;
	im->run_pos = pos;
	snprintf(im->run_text, sizeof im->run_text, "%s", text);
	return NP_OK;
}

uint32_t np_imp_end_tick(const struct np_imp *im)
{
	const struct np_rec_track *t = &im->d->track[0];
	if (t->n == 0)
		return 0;
	uint32_t last = t->v[t->n - 1].tick;
	uint32_t step = im->period_ticks ? im->period_ticks : 1;
	return last > UINT32_MAX - step ? UINT32_MAX : last + step;
}

int np_imp_finish(struct np_imp *im, int rc, uint32_t end_tick)
{
	struct np_rec_data *d = im->d;
	if (rc == NP_OK && d->track[0].n == 0)
		rc = np_imp_fail_file(im, NP_ERR_FORMAT,
				      im->text.line ? "no data rows" : "empty file");
	if (rc == NP_OK)
		rc = close_run(im, end_tick);
	if (rc != NP_OK) {
		np_rec_data_free(d);
		if (rc == NP_ERR_NOMEM && !im->err->why[0])
			snprintf(im->err->why, sizeof im->err->why, "%s", np_strerror(rc));
		return rc;
	}
	/* Full scale: the smallest LIS3DH-like range holding every sample seen. */
	int32_t peak = 0;
	for (unsigned s = 0; s < NP_SENSORS_MAX; s++) {
		for (size_t i = 0; i < d->track[s].n; i++) {
			const struct np_rec_point *p = &d->track[s].v[i];
			int32_t m = abs(p->x);
			if (abs(p->y) > m)
				m = abs(p->y);
			if (abs(p->z) > m)
				m = abs(p->z);
			if (m > peak)
				peak = m;
		}
	}
	uint8_t range = 2;
	while (range < 16 && peak > (int32_t)range * d->header.hello.lsb_per_g)
		range = (uint8_t)(range * 2);
	d->header.hello.range_g = range;
	return NP_OK;
}
