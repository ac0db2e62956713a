/*
 * The generic csv format (datasets/IMPORT.md): an optional header line, then
 *     [t,] x, y, z [, x2, y2, z2] [, label]
 * with a time column in seconds unless a fixed rate is given. The layout follows
 * from the number of columns, which must be the same on every line.
 */
#include <math.h>
#include <string.h>

#include "np_err.h"
#include "np_imp.h"
#include "np_importers.h"
#include "np_posture.h"
#include "np_rec_data.h"

/* Columns read: time (or none), x, y, z of each sensor, label (or none). */
#define NONE (-1)
#define CSV_COLUMNS_MAX 64

struct layout {
	size_t columns;
	int time;
	unsigned sensors;
	unsigned axis[2][3];
	int label;
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

/* Without a header (or with one naming no axis): the columns' count gives the layout. */
static bool choose_layout(size_t columns, bool time, struct layout *l)
{
	size_t data = columns - (time ? 1 : 0);
	if (columns < (time ? 4u : 3u) || data > 7)
		return false;
	l->columns = columns;
	l->time = time ? 0 : NONE;
	l->label = data == 4 || data == 7 ? (int)columns - 1 : NONE;
	l->sensors = data >= 6 ? 2 : 1;
	for (unsigned k = 0; k < 6; k++)
		l->axis[k / 3][k % 3] = (unsigned)(columns - data) + k;
	return data == 3 || data == 4 || data == 6 || data == 7;
}

/* A header name without case, blanks, '_', '-', '.' and a unit in () or []:
 * "Acc_X (m/s^2)" -> "accx". */
static void normalise(const struct np_field *f, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < f->len && f->s[i] != '(' && f->s[i] != '['; i++) {
		char c = f->s[i];
		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n + 1 < cap)
			out[n++] = c;
	}
	out[n] = '\0';
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Accepted names (datasets/IMPORT.md): role 0 time, 1-3 x y z, 4-6 x2 y2 z2, 7 label. */
enum { ROLE_TIME = 0, ROLE_AXIS = 1, ROLE_LABEL = 7, ROLES = 8 };

static int role_of(const char *name)
{
	static const char *const time[] = { "t", "time", "timestamp", "times", "ts", "seconds",
					    "elapsed", NULL };
	static const char *const label[] = { "label", "position", "posture", "class", NULL };
	static const char *const prefix[] = { "", "a", "acc", "accel", "acceleration",
					      "accelerometer", NULL };
	if (name_in(name, time))
		return ROLE_TIME;
	if (name_in(name, label))
		return ROLE_LABEL;
	for (size_t p = 0; prefix[p]; p++) {
		size_t n = strlen(prefix[p]);
		if (strncmp(name, prefix[p], n) != 0 || name[n] < 'x' || name[n] > 'z')
			continue;
		int axis = name[n] - 'x';
		if (name[n + 1] == '\0' || strcmp(name + n + 1, "1") == 0)
			return ROLE_AXIS + axis;
		if (strcmp(name + n + 1, "2") == 0)
			return ROLE_AXIS + 3 + axis;
	}
	return NONE;
}

/*
 * Columns by their header names. *named is false when no name is an axis (the
 * header is then only a title row and the count decides). Other columns (a
 * gyroscope, a row number) are read past.
 */
static int layout_from_header(struct np_imp *im, const struct np_field *f, size_t n, bool time,
			      struct layout *l, bool *named)
{
	static const char *const role_names[ROLES] = { "t", "x", "y", "z", "x2", "y2", "z2",
						       "label" };
	int col[ROLES];
	char name[48], q[40];

	for (unsigned r = 0; r < ROLES; r++)
		col[r] = NONE;
	*named = false;
	for (size_t i = 0; i < n; i++) {
		normalise(&f[i], name, sizeof name);
		int r = role_of(name);
		if (r == NONE)
			continue;
		if (col[r] != NONE)
			return np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT,
					   "a second %s column: %s (column %d is one already)",
					   role_names[r], np_imp_quote(&f[i], q, sizeof q),
					   col[r] + 1);
		col[r] = (int)i;
		*named = *named || (r >= ROLE_AXIS && r < ROLE_LABEL);
	}
	if (!*named)
		return NP_OK;
	l->columns = n;
	l->sensors = col[ROLE_AXIS + 3] != NONE || col[ROLE_AXIS + 4] != NONE ||
				     col[ROLE_AXIS + 5] != NONE
			     ? 2
			     : 1;
	for (unsigned k = 0; k < 3 * l->sensors; k++) {
		if (col[ROLE_AXIS + k] == NONE)
			return np_imp_fail(im, 0, NP_ERR_FORMAT,
					   "the header has no %s column (names: datasets/IMPORT.md)",
					   role_names[ROLE_AXIS + k]);
		l->axis[k / 3][k % 3] = (unsigned)col[ROLE_AXIS + k];
	}
	l->label = col[ROLE_LABEL];
	/* With --rate the rows are 1/rate apart: a time column is read past. */
	l->time = time ? col[ROLE_TIME] : NONE;
	if (time && l->time == NONE)
		return np_imp_fail(im, 0, NP_ERR_FORMAT,
				   "the header has no time column (t, time or timestamp): give "
				   "--rate");
	return NP_OK;
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

/* g per unit of each --scale (NP_SCALE_*; counts: per lsb_per_g). */
static double unit_g(const struct np_import_opts *o)
{
	switch (o->scale) {
	case NP_SCALE_G:
		return 1.0;
	case NP_SCALE_MG:
		return 0.001;
	case NP_SCALE_MS2:
		return 1.0 / NP_STANDARD_GRAVITY;
	default:
		return 0.0;
	}
}

static int row(struct np_imp *im, const struct layout *l, const struct np_field *f,
	       size_t row_index, double *t0, uint32_t *tick)
{
	double unit = unit_g(im->o);
	int16_t a[2][3];
	int rc;

	if (l->time != NONE)
		rc = np_imp_row_time(im, f, (size_t)l->time, row_index, t0, tick);
	else
		rc = np_imp_next_tick(im, row_index, tick);
	if (rc != NP_OK)
		return rc;
	for (unsigned s = 0; s < l->sensors; s++)
		if ((rc = np_imp_accel(im, f, 0, l->axis[s], unit, a[s])) != NP_OK)
			return rc;
	if (l->label != NONE && (rc = label_of(im, f, (size_t)l->label, *tick)) != NP_OK)
		return rc;
	for (unsigned s = 0; s < l->sensors; s++)
		if ((rc = np_imp_add(im, s, *tick, a[s])) != NP_OK)
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

static bool contains(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(line + i, word, n) == 0)
			return true;
	return false;
}

/* The layout from the first line: a header's names, or the count of its columns. */
static int first_line(struct np_imp *im, const char *line, size_t len, bool time,
		      struct layout *l, bool *header, char *sep)
{
	struct np_field f[CSV_COLUMNS_MAX];
	size_t n;
	double first;
	int rc;

	if (contains(line, len, "ActiLife"))
		return np_imp_fail(im, 0, NP_ERR_FORMAT,
				   "an ActiGraph ActiLife export of activity counts per epoch, not "
				   "samples in g: export raw data instead");
	*sep = detect_sep(line, len);
	im->decimal_comma = *sep == ';';
	if ((rc = np_imp_split(im, line, len, *sep, f, CSV_COLUMNS_MAX, &n)) != NP_OK)
		return rc;
	if (n > CSV_COLUMNS_MAX)
		return np_imp_fail(im, 0, NP_ERR_FORMAT, "%zu columns: at most %d", n,
				   CSV_COLUMNS_MAX);
	/* A first line that does not start with a number is a header. */
	*header = n > 0 && !np_imp_field_double(im, &f[0], &first);
	bool named = false;
	if (*header && (rc = layout_from_header(im, f, n, time, l, &named)) != NP_OK)
		return rc;
	if (!named && !choose_layout(n, time, l))
		return np_imp_fail(im, 0, NP_ERR_FORMAT,
				   time ? "expected t,x,y,z[,x2,y2,z2][,label]: 4, 5, 7 or 8 "
					  "columns, found %zu (no time column? give --rate)"
					: "expected x,y,z[,x2,y2,z2][,label]: 3, 4, 6 or 7 columns, "
					  "found %zu",
				   n);
	im->d->header.hello.sensor_count = (uint8_t)l->sensors;
	return NP_OK;
}

static int parse(struct np_imp *im)
{
	const struct np_import_opts *o = im->o;
	bool time = !(o->rate_hz > 0), header = false;
	struct np_field f[CSV_COLUMNS_MAX];
	struct layout l;
	const char *line;
	size_t len, n;
	char sep = ',';
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
	if ((rc = first_line(im, line, len, time, &l, &header, &sep)) != NP_OK)
		return rc;
	/* Without a header the first line is also the first row. */
	if (header && !np_imp_next_line(im, &line, &len, true))
		return NP_OK; /* np_imp_finish() says "no data rows" */

	double t0 = 0.0;
	uint32_t tick = 0;
	size_t r = 0;
	do {
		if ((rc = np_imp_split(im, line, len, sep, f, CSV_COLUMNS_MAX, &n)) != NP_OK ||
		    (rc = np_imp_check_columns(im, n, l.columns)) != NP_OK ||
		    (rc = row(im, &l, f, r++, &t0, &tick)) != NP_OK)
			return rc;
	} while (np_imp_next_line(im, &line, &len, true));
	if (time)
		nominal_rate(im->d);
	return NP_OK;
}

/* Median magnitude of sensor 0 in g, to 0.01 g (a histogram: no copy of the samples). */
static double median_g(const struct np_rec_data *d)
{
	static const double step_g = 0.01;
	uint32_t bins[3000] = { 0 }; /* 16 g on three axes is 27.7 g */
	const struct np_rec_track *t = &d->track[0];
	double lsb = d->header.hello.lsb_per_g;
	for (size_t i = 0; i < t->n; i++) {
		double x = t->v[i].x, y = t->v[i].y, z = t->v[i].z;
		size_t b = (size_t)(sqrt(x * x + y * y + z * z) / lsb / step_g);
		bins[b < 3000 ? b : 2999]++;
	}
	size_t seen = 0;
	for (size_t b = 0; b < 3000; b++)
		if ((seen += bins[b]) * 2 >= t->n)
			return ((double)b + 0.5) * step_g;
	return 0.0;
}

/*
 * A still or sleeping wearer reads about 1 g: a median far from it means the
 * wrong --scale (phone apps write m/s^2). Says which scale would give 1 g.
 */
static int magnitude_note(struct np_imp *im, uint32_t end_tick)
{
	static const struct {
		enum np_import_scale scale;
		const char *unit, *option;
	} scales[] = {
		{ NP_SCALE_G, "g", "g" },
		{ NP_SCALE_MG, "mg", "mg" },
		{ NP_SCALE_MS2, "m/s\xc2\xb2", "ms2" },
	};
	double m = median_g(im->d);
	if (m >= NP_IMPORT_MAGNITUDE_MIN_G && m <= NP_IMPORT_MAGNITUDE_MAX_G)
		return NP_OK;
	double raw = im->o->scale == NP_SCALE_COUNTS ? m * im->o->lsb_per_g : m / unit_g(im->o);
	for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
		struct np_import_opts other = *im->o;
		other.scale = scales[k].scale;
		double mk = raw * unit_g(&other);
		if (scales[k].scale != im->o->scale && mk >= NP_IMPORT_MAGNITUDE_MIN_G &&
		    mk <= NP_IMPORT_MAGNITUDE_MAX_G)
			return np_imp_note(im, end_tick,
					   "import: median magnitude %.*f g: is the file in %s? "
					   "(--scale %s)",
					   m >= 0.1 ? 1 : 3, m, scales[k].unit, scales[k].option);
	}
	return np_imp_note(im, end_tick,
			   "import: median magnitude %.*f g, far from 1 g: check --scale%s",
			   m >= 0.1 ? 1 : 3, m,
			   im->o->scale == NP_SCALE_COUNTS ? " and --lsb-per-g" : "");
}

int np_import_csv(struct np_text *in, const struct np_import_opts *o, struct np_rec_data *d,
		  struct np_import_error *err)
{
	struct np_imp im;

	np_imp_begin(&im, d, err, o, NP_IMPORT_CSV, in, 1);
	int rc = parse(&im);
	if (rc == NP_OK && d->track[0].n > 0)
		rc = magnitude_note(&im, np_imp_end_tick(&im));
	return np_imp_finish(&im, rc, np_imp_end_tick(&im));
}
