/* Helpers shared by the importers (np_import_*.c, np_imp.c); not part of the library's API. */
#ifndef NIGHTPOSE_HOST_IMPORT_NP_IMP_H
#define NIGHTPOSE_HOST_IMPORT_NP_IMP_H

#include <stdbool.h>
#include <stdint.h>

#include <csv.h>

#include "np_import.h"
#include "np_importers.h"
#include "np_rec_data.h"
#include "np_text.h"

/* Rows kept at most: a day at 200 Hz is 17.3 million; beyond this the input, not the
 * machine, is the problem (each row costs 10 bytes per sensor in memory). */
#define NP_IMP_ROWS_MAX 20000000u

/* Time may step back this far (jitter, a clock resync) and the rows are kept. */
#define NP_IMP_BACK_MAX_S 60.0

/* The lines of one input, with the last line read for error messages. */
struct np_imp {
	struct np_rec_data *d;
	struct np_import_error *err;
	const struct np_import_opts *o;
	struct np_text *text;
	uint32_t period_ticks; /* fixed-rate formats; 0 when irregular */
	bool decimal_comma;    /* csv with ';' between columns: "0,98" reads as 0.98 */
	/* Quoted fields (libcsv): the row being split, its fields point into row. */
	struct csv_parser csv;
	char *row;
	size_t row_len;
	struct np_field *fields;
	size_t n_fields, fields_cap;
	bool row_done, row_too_long;
	/* Time column: the latest time so far, rows whose time did not increase, and
	 * whether it ever changed. */
	double t_max;
	unsigned long time_fixes;
	bool timed, time_varies;
	/* Ground-truth run being collected: consecutive rows with the same label. */
	bool run_open;
	uint32_t run_start;
	uint8_t run_kind, run_pos;
	char run_text[NP_ANNOTATION_TEXT_MAX + 1];
};

/* Start an import: empty d, cleared err, header filled for format fmt. */
void np_imp_begin(struct np_imp *im, struct np_rec_data *d, struct np_import_error *err,
		  const struct np_import_opts *o, enum np_import_format fmt, struct np_text *in,
		  unsigned sensors);

/* Fixed sample rate (Hz): sets hello.rate_millihz, tick_hz and im->period_ticks. */
int np_imp_fixed_rate(struct np_imp *im, double rate_hz);

/* Irregular timing: ticks are milliseconds. */
void np_imp_irregular(struct np_imp *im);

/* Next line that is not blank (and, with comments, not starting with '#'). */
bool np_imp_next_line(struct np_imp *im, const char **line, size_t *len, bool comments);

/*
 * Split a line into fields at sep: NP_TEXT_SEP_BLANKS for runs of blanks, else
 * CSV (libcsv: "0.1" and "a,b" quoted, "" for a quote inside quotes). *n is the
 * number of fields found; only the first cap are stored, pointing into the line
 * or into im's row buffer (valid until the next split). Fails on bad quoting.
 */
int np_imp_split(struct np_imp *im, const char *line, size_t len, char sep, struct np_field *f,
		 size_t cap, size_t *n);

/* Tick of row (0-based) at the fixed rate: *tick holds the previous row's. */
int np_imp_next_tick(struct np_imp *im, size_t row, uint32_t *tick);

/* Append a sample (rows beyond NP_IMP_ROWS_MAX are refused). */
int np_imp_add(struct np_imp *im, unsigned sensor, uint32_t tick, const int16_t a[3]);

/* Record a failure at the current line (column 0: the line as a whole; line 0 when
 * no line was read). Returns rc. */
int np_imp_fail(struct np_imp *im, unsigned column, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record a failure about the input as a whole (no line). Returns rc. */
int np_imp_fail_file(struct np_imp *im, int rc, const char *why);

/* Fails unless a line has the expected number of fields. */
int np_imp_check_columns(struct np_imp *im, size_t found, size_t expected);

/* A field quoted for a message: at most cap - 6 characters, non-printable ones as
 * '?', "..." when cut; "empty" for an empty field. Returns buf or a constant. */
const char *np_imp_quote(const struct np_field *f, char *buf, size_t cap);

/* A field as a number, with a decimal comma when im->decimal_comma. */
bool np_imp_field_double(const struct np_imp *im, const struct np_field *f, double *v);

/* Field i (0-based) as a number; fails naming column i + 1. */
int np_imp_number(struct np_imp *im, const struct np_field *f, size_t i, double *v);
int np_imp_whole(struct np_imp *im, const struct np_field *f, size_t i, long min, long max,
		 long *v);

/*
 * Accelerations in g (or counts when lsb_per_g == 0: the value is taken as counts)
 * of fields f[i0..i0+2] to counts at hello.lsb_per_g, in the order given by map
 * (map[k] = index of the field that becomes axis k). Fails on junk or range.
 */
int np_imp_accel(struct np_imp *im, const struct np_field *f, size_t i0, const unsigned map[3],
		 double unit_g, int16_t out[3]);

/*
 * Time column i of row (0-based) in seconds: ticks from the first row's time *t0
 * (set on row 0). *tick holds the previous row's tick and gets this row's. A time
 * that does not increase (repeated, jitter) is kept one tick after the previous
 * row's and counted in im->time_fixes; fails when it goes back more than
 * NP_IMP_BACK_MAX_S.
 */
int np_imp_row_time(struct np_imp *im, const struct np_field *f, size_t i, size_t row,
		    double *t0, uint32_t *tick);

/* A row's label: kind 0 means no label. Consecutive equal labels form one annotation. */
int np_imp_label(struct np_imp *im, uint32_t tick, uint8_t kind, uint8_t pos, const char *text);

/* A NOTE over the whole recording [0, end_tick): "import: ..." notes are also
 * what the command line shows on stderr. */
int np_imp_note(struct np_imp *im, uint32_t end_tick, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Close the open label run at end_tick, add the import's NOTEs ("import: ..."),
 * fill header figures; on rc != NP_OK free d. A read error or an overlong line
 * takes precedence over rc. Returns rc, or the first error of its own. */
int np_imp_finish(struct np_imp *im, int rc, uint32_t end_tick);

/* Tick just after the last sample: last + period, or last + 1 when irregular. */
uint32_t np_imp_end_tick(const struct np_imp *im);

#endif
