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
#include "np_posture.h"
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
		  const struct np_import_opts *o, enum np_import_format fmt, struct np_text *in,
		  unsigned sensors)
{
	memset(im, 0, sizeof *im);
	memset(err, 0, sizeof *err);
	np_rec_data_init(d);
	im->d = d;
	im->err = err;
	im->o = o;
	im->text = in;
	/* Strict: a stray quote is an error, not data. Only '\n' ends a row (a lone '\r'
	 * inside a line stays a blank, as np_text_split treats it). */
	csv_init(&im->csv, CSV_STRICT | CSV_STRICT_FINI);

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
	while (np_text_next(im->text, line, len)) {
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

/* A read error or an overlong line explains whatever the importer says next
 * ("no data rows", a missing column): report it instead. */
static int text_failure(struct np_imp *im)
{
	const struct np_text *t = im->text;
	im->err->line = t->line;
	im->err->column = 0;
	if (t->err == NP_ERR_IO) {
		snprintf(im->err->why, sizeof im->err->why, "read failed: %s",
			 strerror(t->os_errno));
		return NP_ERR_IO;
	}
	snprintf(im->err->why, sizeof im->err->why,
		 "line longer than %u characters (not a text file?)", NP_TEXT_LINE_MAX);
	return NP_ERR_FORMAT;
}

int np_imp_fail(struct np_imp *im, unsigned column, int rc, const char *fmt, ...)
{
	va_list ap;
	if (im->text->err != NP_OK)
		return text_failure(im);
	im->err->line = im->text->line;
	im->err->column = column;
	va_start(ap, fmt);
	vsnprintf(im->err->why, sizeof im->err->why, fmt, ap);
	va_end(ap);
	return rc;
}

int np_imp_fail_file(struct np_imp *im, int rc, const char *why)
{
	if (im->text->err != NP_OK)
		return text_failure(im);
	np_imp_fail(im, 0, rc, "%s", why);
	im->err->line = 0;
	return rc;
}

static void csv_field(void *s, size_t len, void *data)
{
	struct np_imp *im = data;
	if (im->row_len + len > NP_TEXT_LINE_MAX) {
		im->row_too_long = true;
		return;
	}
	memcpy(im->row + im->row_len, s, len);
	if (im->n_fields < im->fields_cap)
		im->fields[im->n_fields] =
			np_field_trim((struct np_field){ im->row + im->row_len, len });
	im->row_len += len;
	im->n_fields++;
}

static void csv_row(int c, void *data)
{
	(void)c;
	((struct np_imp *)data)->row_done = true;
}

static int csv_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int csv_space(unsigned char c)
{
	return c == ' ';
}

static int csv_lf(unsigned char c)
{
	return c == '\n';
}

int np_imp_split(struct np_imp *im, const char *line, size_t len, char sep, struct np_field *f,
		 size_t cap, size_t *n)
{
	if (sep == NP_TEXT_SEP_BLANKS) {
		*n = np_text_split(line, len, sep, f, cap);
		return NP_OK;
	}
	/* Unquoted fields hold only bytes of the line: one line's worth is enough. */
	if (!im->row && !(im->row = malloc(NP_TEXT_LINE_MAX)))
		return np_imp_fail(im, 0, NP_ERR_NOMEM, "out of memory");
	csv_set_delim(&im->csv, (unsigned char)sep);
	csv_set_space_func(&im->csv, sep == '\t' ? csv_space : csv_blank);
	csv_set_term_func(&im->csv, csv_lf);
	im->fields = f;
	im->fields_cap = cap;
	im->n_fields = im->row_len = 0;
	im->row_done = im->row_too_long = false;
	*n = 0;
	if (csv_parse(&im->csv, line, len, csv_field, csv_row, im) != len ||
	    csv_parse(&im->csv, "\n", 1, csv_field, csv_row, im) != 1) {
		if (csv_error(&im->csv) != CSV_EPARSE)
			return np_imp_fail(im, 0, NP_ERR_NOMEM, "out of memory");
		return np_imp_fail(im, (unsigned)im->n_fields + 1, NP_ERR_FORMAT,
				   "stray quote (a quoted field is \"...\", with \"\" for a "
				   "quote inside)");
	}
	if (!im->row_done)
		return np_imp_fail(im, (unsigned)im->n_fields + 1, NP_ERR_FORMAT,
				   "quoted field not closed on its line");
	if (im->row_too_long)
		return np_imp_fail(im, 0, NP_ERR_FORMAT, "row longer than %u characters",
				   NP_TEXT_LINE_MAX);
	*n = im->n_fields;
	return NP_OK;
}

int np_imp_next_tick(struct np_imp *im, size_t row, uint32_t *tick)
{
	if (row == 0) {
		*tick = 0;
		return NP_OK;
	}
	if (*tick > UINT32_MAX - im->period_ticks)
		return np_imp_fail(im, 0, NP_ERR_RANGE, "too many rows for the sample rate");
	*tick += im->period_ticks;
	return NP_OK;
}

int np_imp_add(struct np_imp *im, unsigned sensor, uint32_t tick, const int16_t a[3])
{
	if (im->d->track[sensor].n >= NP_IMP_ROWS_MAX)
		return np_imp_fail(im, 0, NP_ERR_RANGE,
				   "more than %u rows: split the input (a night at 100 Hz is "
				   "about 3 million)",
				   NP_IMP_ROWS_MAX);
	int rc = np_rec_data_add(im->d, sensor, tick, a[0], a[1], a[2]);
	if (rc == NP_ERR_NOMEM)
		return np_imp_fail(im, 0, rc, "out of memory after %zu rows: the input is too large",
				   im->d->track[sensor].n);
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
	else if (t < im->t_max - NP_IMP_BACK_MAX_S)
		return np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT,
				   "time %.3f s is %.3f s before an earlier row's: more than "
				   "%.0f s back, this is not one recording",
				   t, im->t_max - t, NP_IMP_BACK_MAX_S);
	if (row == 0 || t > im->t_max)
		im->t_max = t;
	double ticks = round((t - *t0) * hz);
	im->timed = true;
	if (ticks != 0.0)
		im->time_varies = true;
	if (row > 0 && !(ticks > (double)*tick)) {
		/* Kept just after the previous row: real loggers repeat and jitter times. */
		im->time_fixes++;
		ticks = (double)*tick + 1.0;
	}
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

int np_imp_note(struct np_imp *im, uint32_t end_tick, const char *fmt, ...)
{
	char text[NP_ANNOTATION_TEXT_MAX + 1];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return np_rec_data_annotate(im->d, 0, end_tick, NP_ANN_NOTE, NP_POS_UNKNOWN, text);
}

int np_imp_finish(struct np_imp *im, int rc, uint32_t end_tick)
{
	struct np_rec_data *d = im->d;
	csv_free(&im->csv);
	free(im->row);
	im->row = NULL;
	if (im->text->err != NP_OK)
		rc = text_failure(im);
	if (rc == NP_OK && d->track[0].n == 0)
		rc = np_imp_fail_file(im, NP_ERR_FORMAT,
				      im->text->line ? "no data rows" : "empty file");
	if (rc == NP_OK && im->timed && d->track[0].n > 1 && !im->time_varies) {
		char why[80];
		snprintf(why, sizeof why, "all %zu rows have the same time: not a recording",
			 d->track[0].n);
		rc = np_imp_fail_file(im, NP_ERR_FORMAT, why);
	}
	if (rc == NP_OK)
		rc = close_run(im, end_tick);
	if (rc == NP_OK && im->time_fixes)
		rc = np_imp_note(im, end_tick,
				 im->time_fixes == 1
					 ? "import: %lu row with a repeated or decreasing time kept "
					   "(1 ms after the row before)"
					 : "import: %lu rows with repeated or decreasing times kept "
					   "(each 1 ms after the row before)",
				 im->time_fixes);
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
