/*
 * Pictures of nights (PLplot, cairo driver): one page per night, one page for a
 * series of nights. The format follows the file name: .png (pngcairo), .svg
 * (svgcairo) or .pdf (pdfcairo). Files are written under a temporary name and
 * renamed on success.
 *
 * The inputs are plain arrays so the layer knows nothing of recordings or reports;
 * the CLI fills them from the report model.
 *
 * PLplot keeps its state in library globals (one stream per call here, ended before
 * returning): do not render from two threads at once.
 */
#ifndef NIGHTPOSE_HOST_PLOT_NP_PLOT_H
#define NIGHTPOSE_HOST_PLOT_NP_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "np_posture.h"

/* A stretch of one position, in seconds from the start of the recording. */
struct np_plot_span {
	double start_s, end_s;
	enum np_position position;
};

struct np_tmp_watch; /* np_outfile.h */

/* The sleep strip of the night page (spans' positions ignored); all may be empty. */
struct np_plot_sleep {
	const struct np_plot_span *periods; /* sleep periods, onset to wake */
	size_t n_periods;
	const struct np_plot_span *in_bed;  /* lights off to lights on */
	size_t n_in_bed;
	const struct np_plot_span *wake;    /* wake bouts inside the sleep periods */
	size_t n_wake;
	const struct np_plot_span *nonwear; /* sensor not worn */
	size_t n_nonwear;
};

struct np_plot_night {
	double start_utc_s;                 /* Unix time of t = 0; clock times are local */
	double duration_s;
	const struct np_plot_span *spans;   /* position timeline (episodes), sorted */
	size_t n_spans;
	const struct np_plot_span *gaps;    /* no data (position ignored), sorted */
	size_t n_gaps;
	const double *alerts_s;             /* alert times, drawn as marks */
	size_t n_alerts;
	const double *movement_t_s;         /* movement trace: times ... */
	const float *movement_mg;           /* ... and values (mg); NaN: no data */
	size_t n_movement;
	double time_s[NP_POS_COUNT];        /* time per position (bar chart) */
	unsigned avoid_mask;                /* NP_POS_BIT() of positions to avoid */
	double longest_avoid_s;             /* longest episode in one of them; 0: none */
	double breathing_bpm[NP_POS_COUNT]; /* per position; 0: no number */
	const char *breathing_note;         /* shown when no position has a number; may be NULL */
	struct np_plot_sleep sleep;         /* sleep strip; zeroed: none */
	const struct np_tmp_watch *watch;   /* told the temporary file's name; may be NULL */
};

/* Shorter recordings are labelled in seconds (as the text report's NP_REPORT_SHORT_S). */
#define NP_PLOT_SHORT_S 600.0

/* Width and height in pixels for PNG; SVG and PDF get the same proportions. */
#define NP_PLOT_WIDTH 1200
#define NP_PLOT_HEIGHT 800

/* Device for a file name, or NULL when the extension is not .png, .svg or .pdf. */
const char *np_plot_device(const char *path);

/*
 * Render the night page. Returns NP_OK; NP_ERR_ARG (bad input, or an extension
 * np_plot_device() does not know); NP_ERR_IO (errno set).
 */
int np_plot_night_render(const struct np_plot_night *p, const char *path);

struct np_plot_trend_row {
	double start_utc_s;         /* night start; the x axis is by date */
	double duration_s;
	double time_s[NP_POS_COUNT];
	double avoid_s;             /* time in positions to avoid */
};

/*
 * Nights side by side, sorted by the caller: minutes in positions to avoid per night
 * (top) and each position's share of the night as stacked bars (bottom).
 * watch (may be NULL) is told the temporary file's name. Returns as np_plot_night_render().
 */
int np_plot_trend_render(const struct np_plot_trend_row *rows, size_t n, unsigned avoid_mask,
			 const char *path, const struct np_tmp_watch *watch);

#endif
