/*
 * The generic csv format (datasets/IMPORT.md): an optional header line, then
 *     [t,] x, y, z [, x2, y2, z2] [, label]
 * with a time column in seconds unless a fixed rate is given. The layout follows
 * from the number of columns, which must be the same on every line.
 */
#include <string.h>

#include "np_err.h"
#include "np_imp.h"
#include "np_importers.h"
#include "np_posture.h"
#include "np_rec_data.h"

struct layout {
	size_t columns;
	bool time;
	unsigned sensors;
	bool label;
};

/* Labels: the position names of the CLI, "lying" (side unknown), or empty for none. */
static const struct {
	const char *name;
	uint8_t kind, pos;
} csv_labels[] = {
	{ "supine", NP_ANN_LABEL, NP_POS_SUPINE },   { "prone", NP_ANN_LABEL, NP_POS_PRONE },
	{ "left", NP_ANN_LABEL, NP_POS_LEFT },       { "right", NP_ANN_LABEL, NP_POS_RIGHT },
	{ "upright", NP_ANN_LABEL, NP_POS_UPRIGHT }, { "unknown", NP_ANN_LABEL, NP_POS_UNKNOWN },
	{ "lying", NP_ANN_LABEL_LYING, NP_POS_UNKNOWN },
};

static char detect_sep(const char *line, size_t len)
{
	/* ';' first: a file written with decimal commas separates its columns with ';'. */
	if (memchr(line, ';', len))
		return ';';
	if (memchr(line, ',', len))
		return ',';
	if (memchr(line, '\t', len))
		return '\t';
	return NP_TEXT_SEP_BLANKS;
}

static bool choose_layout(size_t columns, bool time, struct layout *l)
{
	size_t data = columns - (time ? 1 : 0);
	if (columns < (time ? 4u : 3u) || data > 7)
		return false;
	l->columns = columns;
	l->time = time;
	l->label = data == 4 || data == 7;
	l->sensors = data >= 6 ? 2 : 1;
	return data == 3 || data == 4 || data == 6 || data == 7;
}

/* The label of column i + 1 into a ground-truth run (kind 0: none). */
static int label_of(struct np_imp *im, const struct np_field *f, size_t i, uint32_t tick)
{
	if (f[i].len == 0)
		return np_imp_label(im, tick, 0, NP_POS_UNKNOWN, "");
	for (size_t k = 0; k < sizeof csv_labels / sizeof csv_labels[0]; k++)
		if (np_field_is(&f[i], csv_labels[k].name))
			return np_imp_label(im, tick, csv_labels[k].kind, csv_labels[k].pos,
					    csv_labels[k].name);
	char q[40];
	return np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT,
			   "unknown label %s (expected supine, prone, left, right, upright, "
			   "lying, unknown or nothing)",
			   np_imp_quote(&f[i], q, sizeof q));
}

static int row(struct np_imp *im, const struct layout *l, const struct np_field *f,
	       size_t row_index, double *t0, uint32_t *tick)
{
	static const unsigned same[3] = { 0, 1, 2 };
	const struct np_import_opts *o = im->o;
	double unit = o->scale == NP_SCALE_G ? 1.0 : o->scale == NP_SCALE_MG ? 0.001 : 0.0;
	size_t c = 0;
	int16_t a[2][3];
	int rc;

	if (l->time) {
		if ((rc = np_imp_row_time(im, f, 0, row_index, t0, tick)) != NP_OK)
			return rc;
		c = 1;
	} else if (row_index > 0) {
		if (*tick > UINT32_MAX - im->period_ticks)
			return np_imp_fail(im, 0, NP_ERR_RANGE, "too many rows for the sample rate");
		*tick += im->period_ticks;
	}
	for (unsigned s = 0; s < l->sensors; s++, c += 3)
		if ((rc = np_imp_accel(im, f, c, same, unit, a[s])) != NP_OK)
			return rc;
	if (l->label && (rc = label_of(im, f, c, *tick)) != NP_OK)
		return rc;
	for (unsigned s = 0; s < l->sensors; s++)
		if ((rc = np_rec_data_add(im->d, s, *tick, a[s][0], a[s][1], a[s][2])) != NP_OK)
			return rc;
	return NP_OK;
}

/* With a time column whose steps are all equal, record that rate as nominal. */
static void nominal_rate(struct np_rec_data *d)
{
	const struct np_rec_track *t = &d->track[0];
	if (t->n < 2)
		return;
	uint32_t step = t->v[1].tick - t->v[0].tick;
	for (size_t i = 2; i < t->n; i++)
		if (t->v[i].tick - t->v[i - 1].tick != step)
			return;
	d->header.hello.rate_millihz = (uint32_t)((1000000u + step / 2) / step);
}

static int parse(struct np_imp *im)
{
	const struct np_import_opts *o = im->o;
	bool time = !(o->rate_hz > 0);
	struct np_field f[9];
	struct layout l;
	const char *line;
	size_t len, n;
	char sep;
	int rc;

	if (o->scale == NP_SCALE_COUNTS && (o->lsb_per_g < 1 || o->lsb_per_g > INT16_MAX))
		return np_imp_fail(im, 0, NP_ERR_RANGE, "counts need --lsb-per-g from 1 to 32767");
	im->d->header.hello.lsb_per_g =
		(uint16_t)(o->scale == NP_SCALE_COUNTS ? o->lsb_per_g : 1000u);
	if (time)
		np_imp_irregular(im);
	else if ((rc = np_imp_fixed_rate(im, o->rate_hz)) != NP_OK)
		return rc;

	if (!np_imp_next_line(im, &line, &len, true))
		return np_imp_fail_file(im, NP_ERR_FORMAT, "empty file");
	sep = detect_sep(line, len);
	im->decimal_comma = sep == ';';
	n = np_text_split(line, len, sep, f, 9);
	/* A first line that does not start with a number is a header. */
	double first;
	bool header = n > 0 && !np_imp_field_double(im, &f[0], &first);
	if (!choose_layout(n, time, &l))
		return np_imp_fail(im, 0, NP_ERR_FORMAT,
				   time ? "expected t,x,y,z[,x2,y2,z2][,label]: 4, 5, 7 or 8 "
					  "columns, found %zu (no time column? give --rate)"
					: "expected x,y,z[,x2,y2,z2][,label]: 3, 4, 6 or 7 columns, "
					  "found %zu",
				   n);
	im->d->header.hello.sensor_count = (uint8_t)l.sensors;

	double t0 = 0.0;
	uint32_t tick = 0;
	size_t r = 0;
	do {
		if (header) {
			header = false;
			continue;
		}
		n = np_text_split(line, len, sep, f, 9);
		if ((rc = np_imp_check_columns(im, n, l.columns)) != NP_OK ||
		    (rc = row(im, &l, f, r++, &t0, &tick)) != NP_OK)
			return rc;
	} while (np_imp_next_line(im, &line, &len, true));
	if (time)
		nominal_rate(im->d);
	return NP_OK;
}

int np_import_csv(const char *buf, size_t len, const struct np_import_opts *o,
		  struct np_rec_data *d, struct np_import_error *err)
{
	struct np_imp im;

	np_imp_begin(&im, d, err, o, NP_IMPORT_CSV, buf, len, 1);
	int rc = parse(&im);
	return np_imp_finish(&im, rc, np_imp_end_tick(&im));
}
