#include "np_fmt.h"
#include "np_plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <plplot.h>

#include "np_err.h"
#include "np_outfile.h"
#include "np_report.h"

/* Colour map 0 slots. */
enum {
	C_BG = 0,
	C_TEXT = 1,
	C_GRID = 2,
	C_POS = 3, /* C_POS + position: 3..8 */
	C_WARN = 9,
	C_GAP = 10,
	C_MOVE = 11,
	C_MOVE_FILL = 12,
	C_ALERT = 13,
	C_STEP = 14,
	C_BED = 15,
	C_ASLEEP = 16,
	C_COUNT = 18,
};

/*
 * Okabe-Ito colours (distinguishable with colour-vision deficiency). Positions to
 * avoid replace their colour with the warning vermillion; unknown is a neutral grey.
 */
static const unsigned char pos_rgb[NP_POS_COUNT][3] = {
	[NP_POS_UNKNOWN] = {178, 178, 178},
	[NP_POS_SUPINE] = {0, 114, 178},
	[NP_POS_PRONE] = {204, 121, 167},
	[NP_POS_LEFT] = {0, 158, 115},
	[NP_POS_RIGHT] = {86, 180, 233},
	[NP_POS_UPRIGHT] = {230, 159, 0},
};

/* Rows of the timeline, top to bottom (like a hypnogram: awake/upright on top). */
static const enum np_position row_order[NP_POS_COUNT] = {
	NP_POS_UPRIGHT, NP_POS_SUPINE, NP_POS_LEFT, NP_POS_RIGHT, NP_POS_PRONE, NP_POS_UNKNOWN,
};

/* PLplot's default text is large for a 1200 px page with this much on it. */
#define TEXT_BASE 0.72

static void text_size(double k)
{
	plschr(0, TEXT_BASE * k);
}

static double row_y(enum np_position p)
{
	for (int i = 0; i < NP_POS_COUNT; i++)
		if (row_order[i] == p)
			return (double)(NP_POS_COUNT - 1 - i);
	return 0;
}

const char *np_plot_device(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (!dot)
		return NULL;
	if (strcmp(dot, ".png") == 0 || strcmp(dot, ".PNG") == 0)
		return "pngcairo";
	if (strcmp(dot, ".svg") == 0 || strcmp(dot, ".SVG") == 0)
		return "svgcairo";
	if (strcmp(dot, ".pdf") == 0 || strcmp(dot, ".PDF") == 0)
		return "pdfcairo";
	return NULL;
}

static void set_palette(unsigned avoid_mask)
{
	plscmap0n(C_COUNT); /* PLplot's default map 0 has 16 slots */
	plscol0(C_BG, 255, 255, 255);
	plscol0(C_TEXT, 30, 30, 30);
	plscol0(C_GRID, 225, 225, 225);
	for (int p = 0; p < NP_POS_COUNT; p++) {
		if (avoid_mask & NP_POS_BIT(p))
			plscol0(C_POS + p, 213, 94, 0);
		else
			plscol0(C_POS + p, pos_rgb[p][0], pos_rgb[p][1], pos_rgb[p][2]);
	}
	plscol0(C_WARN, 213, 94, 0);
	plscol0(C_GAP, 200, 200, 200);
	plscol0(C_MOVE, 60, 60, 60);
	plscol0(C_MOVE_FILL, 200, 200, 200);
	plscol0(C_ALERT, 200, 30, 30);
	plscol0(C_STEP, 110, 110, 110);
	plscol0(C_BED, 215, 225, 240);
	plscol0(C_ASLEEP, 40, 60, 120);
}

/*
 * Open a fresh PLplot stream on a temporary file. PLplot counts the page in the
 * device's units: pixels for PNG, points for SVG and PDF, so vector pages keep the
 * PNG's proportions at a printable size (A4 landscape width for PDF).
 */
static int open_stream(const char *path, const struct np_tmp_watch *watch, char **tmp,
		       PLINT *strm, PLINT *prev)
{
	const char *dev = np_plot_device(path);
	if (!dev)
		return NP_ERR_ARG;
	*tmp = np_outfile_tmp_name(path);
	if (!*tmp)
		return NP_ERR_IO;
	np_tmp_watch_created(watch, *tmp);
	plgstrm(prev);
	plmkstrm(strm);
	plsdev(dev);
	plsfnam(*tmp);
	if (strcmp(dev, "pngcairo") == 0)
		plspage(0, 0, NP_PLOT_WIDTH, NP_PLOT_HEIGHT, 0, 0);
	else
		plspage(0, 0, 842, 842 * NP_PLOT_HEIGHT / NP_PLOT_WIDTH, 0, 0);
	plscolbg(255, 255, 255);
	plinit();
	pladv(0);
	plfontld(1);
	text_size(1.0);
	return NP_OK;
}

/*
 * PLplot and cairo do not report failed writes (a full disk, the file size limit):
 * a file without its format's last bytes was cut short. Returns true when whole.
 */
static bool complete(const char *tmp, const char *path)
{
	static const struct {
		const char *dev, *tail;
	} ends[] = {
		{ "pngcairo", "IEND\xae\x42\x60\x82" },
		{ "svgcairo", "</svg>\n" },
		{ "pdfcairo", "%%EOF\n" },
	};
	const char *dev = np_plot_device(path);
	char got[16];
	bool ok = false;
	FILE *f = fopen(tmp, "rb");

	for (size_t i = 0; f && dev && i < sizeof ends / sizeof ends[0]; i++) {
		size_t n = strlen(ends[i].tail);
		if (strcmp(dev, ends[i].dev) == 0 && fseek(f, -(long)n, SEEK_END) == 0 &&
		    fread(got, 1, n, f) == n)
			ok = memcmp(got, ends[i].tail, n) == 0;
	}
	if (f)
		fclose(f);
	return ok;
}

static int close_stream(char *tmp, const char *path, PLINT prev)
{
	plend1();
	plsstrm(prev);
	int rc;
	if (complete(tmp, path)) {
		rc = np_outfile_rename_into_place(tmp, path);
	} else {
		unlink(tmp);
		errno = EIO;
		rc = NP_ERR_IO;
	}
	free(tmp);
	return rc;
}

/* Seconds to add to Unix time to print local clock time with PLplot's UTC formatting. */
static double local_offset_s(double t)
{
	time_t s = (time_t)t;
	struct tm lt, gt;
	if (!localtime_r(&s, &lt) || !gmtime_r(&s, &gt))
		return 0;
	long d = (long)(lt.tm_yday - gt.tm_yday);
	if (lt.tm_year != gt.tm_year)
		d = lt.tm_year > gt.tm_year ? 1 : -1;
	return (double)(d * 86400L + (lt.tm_hour - gt.tm_hour) * 3600L + (lt.tm_min - gt.tm_min) * 60L +
			(lt.tm_sec - gt.tm_sec));
}

static void rect(double x0, double x1, double y0, double y1)
{
	PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
	plfill(4, x, y);
}

/* The smallest of the round steps that divides [0, max] into at most max_ticks parts. */
static double axis_step(double max, const double *steps, size_t n, unsigned max_ticks)
{
	for (size_t i = 0; i < n; i++)
		if (max / steps[i] <= max_ticks)
			return steps[i];
	return steps[n - 1];
}

static double tick_s(double duration_s)
{
	if (duration_s <= 60)
		return 10;
	if (duration_s <= 180)
		return 30;
	if (duration_s <= 600)
		return 60;
	if (duration_s <= 1800)
		return 300;
	if (duration_s <= 2 * 3600.0)
		return 900;
	if (duration_s <= 14 * 3600.0)
		return 3600;
	if (duration_s <= 28 * 3600.0)
		return 7200;
	return 6 * 3600;
}

/* Clock labels: seconds shown when the ticks are closer than a minute. */
static const char *time_format(double duration_s)
{
	return tick_s(duration_s) < 60 ? "%H:%M:%S" : "%H:%M";
}

static void timeline_panel(const struct np_plot_night *p, double x0, double x1)
{
	plvpor(0.095, 0.655, 0.45, 0.87);
	plwind(x0, x1, -0.6, NP_POS_COUNT - 0.25);

	plcol0(C_GRID);
	plwidth(0.5);
	for (int r = 0; r < NP_POS_COUNT; r++) {
		PLFLT xs[2] = {x0, x1}, ys[2] = {r, r};
		plline(2, xs, ys);
	}
	plwidth(1.0);

	/* Hypnogram steps between consecutive spans, then the spans as bars. */
	plcol0(C_STEP);
	for (size_t i = 0; i + 1 < p->n_spans; i++) {
		const struct np_plot_span *a = &p->spans[i], *b = &p->spans[i + 1];
		if (fabs(b->start_s - a->end_s) > 1.0)
			continue;
		PLFLT xs[2] = {x0 + a->end_s, x0 + a->end_s};
		PLFLT ys[2] = {row_y(a->position), row_y(b->position)};
		plline(2, xs, ys);
	}
	for (size_t i = 0; i < p->n_spans; i++) {
		const struct np_plot_span *s = &p->spans[i];
		double y = row_y(s->position);
		plcol0(C_POS + (int)s->position);
		rect(x0 + s->start_s, x0 + s->end_s, y - 0.32, y + 0.32);
	}

	/* Gaps over the bars, as hatched bands: an episode bridged across a gap
	 * is still shown as interrupted, since nothing is known there. */
	for (size_t i = 0; i < p->n_gaps; i++) {
		double a = x0 + p->gaps[i].start_s, b = x0 + p->gaps[i].end_s;
		plcol0(C_BG);
		rect(a, b, -0.5, NP_POS_COUNT - 0.5);
		plcol0(C_GAP);
		plpsty(3);
		rect(a, b, -0.5, NP_POS_COUNT - 0.5);
		plpsty(0);
	}

	/* Alerts: a mark at the top edge over the time they fired. */
	plcol0(C_ALERT);
	text_size(0.9);
	for (size_t i = 0; i < p->n_alerts; i++)
		plptex(x0 + p->alerts_s[i], NP_POS_COUNT - 0.45, 1, 0, 0.5, "#(852)");
	text_size(1.0);

	plcol0(C_TEXT);
	pltimefmt(time_format(p->duration_s));
	plbox("bcnstd", tick_s(p->duration_s), 4, "bc", 0, 0);
	text_size(1.1);
	for (int r = 0; r < NP_POS_COUNT; r++) {
		enum np_position pos = row_order[r];
		/* plmtex positions are fractions of the window height. */
		double frac = (row_y(pos) + 0.6) / (NP_POS_COUNT - 0.25 + 0.6);
		plcol0(p->avoid_mask & NP_POS_BIT(pos) ? C_WARN : C_TEXT);
		plmtex("lv", 0.8, frac, 1.0, np_position_name(pos));
	}
	text_size(1.0);
	plcol0(C_TEXT);
	plmtex("t", 1.0, 0.0, 0.0, "Position through the night");
	if (p->n_alerts > 0) {
		char buf[64];
		plcol0(C_ALERT);
		snprintf(buf, sizeof buf, "#(852) alert (%zu)", p->n_alerts);
		plmtex("t", 1.0, 1.0, 1.0, buf);
	}
}

static void movement_panel(const struct np_plot_night *p, double x0, double x1)
{
	/* Scale to the bulk of the night; turns above it are clipped, not squashing it. */
	float ymax = 50;
	if (p->n_movement > 0) {
		float *tmp = (float *)malloc(p->n_movement * sizeof *tmp);
		size_t k = 0;
		for (size_t i = 0; tmp && i < p->n_movement; i++)
			if (isfinite(p->movement_mg[i]))
				tmp[k++] = p->movement_mg[i];
		if (tmp && k > 0) {
			/* 98th percentile by counting: k is at most a few thousand epochs. */
			float hi = 0;
			for (size_t i = 0; i < k; i++)
				if (tmp[i] > hi)
					hi = tmp[i];
			float lo = 0;
			for (int it = 0; it < 30; it++) {
				float mid = (lo + hi) / 2;
				size_t above = 0;
				for (size_t i = 0; i < k; i++)
					above += tmp[i] > mid;
				if (above > k / 50)
					lo = mid;
				else
					hi = mid;
			}
			ymax = fmaxf(50.0f, hi * 1.3f);
		}
		free(tmp);
	}
	static const double steps[] = {10, 20, 25, 50, 100, 200, 250, 500, 1000};
	double ystep = axis_step(ymax, steps, sizeof steps / sizeof steps[0], 4);
	ymax = (float)(ceil(ymax / ystep) * ystep);

	plvpor(0.095, 0.655, 0.11, 0.32);
	plwind(x0, x1, 0, ymax);
	for (size_t i = 0; i < p->n_gaps; i++) {
		plcol0(C_GAP);
		plpsty(3);
		rect(x0 + p->gaps[i].start_s, x0 + p->gaps[i].end_s, 0, ymax);
		plpsty(0);
	}
	/* Bars under a line: one bar per value, reaching halfway to its neighbours. */
	plcol0(C_MOVE_FILL);
	for (size_t i = 0; i < p->n_movement; i++) {
		if (!isfinite(p->movement_mg[i]))
			continue;
		double t = p->movement_t_s[i];
		double lo = i > 0 ? (p->movement_t_s[i - 1] + t) / 2 : t;
		double hi = i + 1 < p->n_movement ? (p->movement_t_s[i + 1] + t) / 2 : t;
		rect(x0 + lo, x0 + hi, 0, fmin(p->movement_mg[i], ymax));
	}
	PLFLT *xs = (PLFLT *)malloc((p->n_movement + 1) * sizeof *xs);
	PLFLT *ys = (PLFLT *)malloc((p->n_movement + 1) * sizeof *ys);
	plcol0(C_MOVE);
	for (size_t i = 0; xs && ys && i < p->n_movement;) {
		PLINT k = 0;
		while (i < p->n_movement && isfinite(p->movement_mg[i])) {
			xs[k] = x0 + p->movement_t_s[i];
			ys[k] = fmin(p->movement_mg[i], ymax);
			k++;
			i++;
		}
		if (k > 1)
			plline(k, xs, ys);
		if (k == 0)
			i++;
	}
	free(xs);
	free(ys);
	plcol0(C_TEXT);
	pltimefmt(time_format(p->duration_s));
	plbox("bcnstd", tick_s(p->duration_s), 4, "bcnstv", ystep, 1);
	plmtex("t", 1.0, 0.0, 0.0, "Movement (mg, standard deviation per epoch)");
	plmtex("b", 3.0, 0.5, 0.5, p->start_utc_s > 0 ? "local time" : "time from the start (h:min)");
}

/* A span for a label: "27 s" for short recordings, else "7:05" (h:mm). */
static void span_text(double span_s, double s, char *out, size_t cap)
{
	if (span_s < NP_PLOT_SHORT_S)
		snprintf(out, cap, "%.0f s", s > 0 ? s : 0.0);
	else
		np_fmt_hm(s, out, cap);
}

/* Sleep strip: in bed (light), asleep (dark), wake bouts cut out, non-wear hatched,
 * lights off and on as marks; nothing without a sleep period. */
static void sleep_panel(const struct np_plot_night *p, double x0, double x1)
{
	const struct np_plot_sleep *sl = &p->sleep;
	if (!sl->n_periods && !sl->n_nonwear)
		return;
	plvpor(0.095, 0.655, 0.355, 0.395);
	plwind(x0, x1, 0, 1);
	plcol0(C_BED);
	for (size_t i = 0; i < sl->n_in_bed; i++)
		rect(x0 + sl->in_bed[i].start_s, x0 + sl->in_bed[i].end_s, 0.1, 0.9);
	plcol0(C_ASLEEP);
	for (size_t i = 0; i < sl->n_periods; i++)
		rect(x0 + sl->periods[i].start_s, x0 + sl->periods[i].end_s, 0.2, 0.8);
	plcol0(C_BED);
	for (size_t i = 0; i < sl->n_wake; i++)
		rect(x0 + sl->wake[i].start_s, x0 + sl->wake[i].end_s, 0.2, 0.8);
	plcol0(C_WARN);
	plpsty(3);
	for (size_t i = 0; i < sl->n_nonwear; i++)
		rect(x0 + sl->nonwear[i].start_s, x0 + sl->nonwear[i].end_s, 0.0, 1.0);
	plpsty(0);
	/* Lights off and on: a bar across the strip. */
	plcol0(C_TEXT);
	plwidth(2.5);
	for (size_t i = 0; i < sl->n_in_bed; i++)
		for (int k = 0; k < 2; k++) {
			double t = x0 + (k ? sl->in_bed[i].end_s : sl->in_bed[i].start_s);
			PLFLT xs[2] = {t, t}, ys[2] = {0.0, 1.0};
			plline(2, xs, ys);
		}
	plwidth(1.0);
	plbox("bc", 0, 0, "bc", 0, 0);
	text_size(1.1);
	plmtex("lv", 0.8, 0.5, 1.0, "sleep");
	text_size(0.85);
	plmtex("rv", 1.0, 0.78, 0.0, "| in bed |  dark: asleep");
	plmtex("rv", 1.0, 0.22, 0.0, "gaps: awake, hatched: not worn");
	text_size(1.0);
}

static void bars_panel(const struct np_plot_night *p)
{
	/* The same denominator as the text report's table: the recording. */
	double total = p->duration_s;
	/* 100 % takes 60 % of the width: the labels after the bars stay on the page. */
	plvpor(0.675, 0.99, 0.45, 0.87);
	plwind(0, 166, -0.6, NP_POS_COUNT - 0.25);
	plcol0(C_GRID);
	for (int pct = 25; pct <= 100; pct += 25) {
		PLFLT xs[2] = {pct, pct}, ys[2] = {-0.5, NP_POS_COUNT - 0.5};
		plline(2, xs, ys);
	}
	char buf[64], hm[16];
	for (int r = 0; r < NP_POS_COUNT; r++) {
		enum np_position pos = row_order[r];
		double pct = total > 0 ? 100.0 * p->time_s[pos] / total : 0;
		double y = row_y(pos);
		plcol0(C_POS + (int)pos);
		if (pct > 0)
			rect(0, pct, y - 0.32, y + 0.32);
		span_text(p->duration_s, p->time_s[pos], hm, sizeof hm);
		snprintf(buf, sizeof buf, "%.0f%%  %s", pct, hm);
		plcol0(p->avoid_mask & NP_POS_BIT(pos) ? C_WARN : C_TEXT);
		plptex(pct + 2, y - 0.12, 1, 0, 0.0, buf);
	}
	plcol0(C_TEXT);
	PLFLT bx[2] = {0, 0}, by[2] = {-0.6, NP_POS_COUNT - 0.25};
	plline(2, bx, by);
	plmtex("t", 1.0, 0.0, 0.0, p->duration_s < NP_PLOT_SHORT_S ? "Share of the recording"
								 : "Share of the recording (h:min)");
}

static void summary_panel(const struct np_plot_night *p)
{
	plvpor(0.675, 0.99, 0.06, 0.33);
	plwind(0, 1, 0, 1);
	char buf[256], hm[16];
	/* As in the text report: time to avoid as a share of the time lying. */
	double avoid = 0, lying = 0;
	char names[96];
	np_avoid_text(p->avoid_mask, ", ", names, sizeof names);
	for (int i = 0; i < NP_POS_COUNT; i++) {
		if (np_position_is_lying((enum np_position)i))
			lying += p->time_s[i];
		if (p->avoid_mask & NP_POS_BIT(i))
			avoid += p->time_s[i];
	}
	double y = 0.95;
	text_size(1.1);
	plcol0(p->avoid_mask ? C_WARN : C_TEXT);
	snprintf(buf, sizeof buf, "To avoid: %s", names[0] ? names : "nothing");
	plptex(0, y, 1, 0, 0, buf);
	y -= 0.12;
	text_size(1.0);
	if (p->avoid_mask) {
		span_text(p->duration_s, avoid, hm, sizeof hm);
		int k = snprintf(buf, sizeof buf, "%s%s (%.0f%% of lying)", hm,
				 p->duration_s < NP_PLOT_SHORT_S ? "" : " h",
				 lying > 0 ? 100.0 * avoid / lying : 0.0);
		if (p->longest_avoid_s > 0 && k > 0 && (size_t)k < sizeof buf) {
			np_fmt_hm(p->longest_avoid_s, hm, sizeof hm);
			k += snprintf(buf + k, sizeof buf - (size_t)k, ", longest %s h", hm);
		}
		if (p->n_alerts > 0 && k > 0 && (size_t)k < sizeof buf)
			snprintf(buf + k, sizeof buf - (size_t)k, ", %zu alert%s", p->n_alerts,
				 p->n_alerts == 1 ? "" : "s");
		plptex(0, y, 1, 0, 0, buf);
		y -= 0.13;
	}
	text_size(1.1);
	plcol0(C_TEXT);
	plptex(0, y, 1, 0, 0, "Breathing rate while still:");
	y -= 0.12;
	text_size(1.0);
	bool any = false;
	for (int r = 0; r < NP_POS_COUNT; r++) {
		enum np_position pos = row_order[r];
		if (pos == NP_POS_UNKNOWN || pos == NP_POS_UPRIGHT || p->time_s[pos] <= 0)
			continue;
		if (p->breathing_bpm[pos] > 0)
			snprintf(buf, sizeof buf, "%.1f breaths/min", p->breathing_bpm[pos]);
		else
			snprintf(buf, sizeof buf, "not enough still data");
		any = any || p->breathing_bpm[pos] > 0;
		plcol0(C_POS + (int)pos);
		rect(0.0, 0.03, y - 0.01, y + 0.05);
		plcol0(C_TEXT);
		plptex(0.05, y, 1, 0, 0, np_position_name(pos));
		plptex(0.27, y, 1, 0, 0, buf);
		y -= 0.11;
	}
	if (!any && p->breathing_note) {
		plcol0(C_TEXT);
		plptex(0.05, y, 1, 0, 0, p->breathing_note);
	}
}

static void title(const struct np_plot_night *p)
{
	char buf[160], a[64], b[32];
	plvpor(0.0, 1.0, 0.92, 1.0);
	plwind(0, 1, 0, 1);
	if (p->start_utc_s > 0) {
		time_t s0 = (time_t)p->start_utc_s, s1 = (time_t)(p->start_utc_s + p->duration_s);
		struct tm t0, t1;
		localtime_r(&s0, &t0);
		localtime_r(&s1, &t1);
		strftime(a, sizeof a, "%a %d %b %Y, %H:%M", &t0);
		strftime(b, sizeof b, "%H:%M", &t1);
		char hm[16];
		bool short_ = p->duration_s < NP_PLOT_SHORT_S;
		if (short_)
			strftime(b, sizeof b, "%H:%M:%S", &t1);
		span_text(p->duration_s, p->duration_s, hm, sizeof hm);
		snprintf(buf, sizeof buf, "%s of %s to %s  (%s%s)", short_ ? "Recording" : "Night", a, b,
			 hm, short_ ? "" : " h");
	} else {
		char hm[16];
		span_text(p->duration_s, p->duration_s, hm, sizeof hm);
		snprintf(buf, sizeof buf, "Recording of unknown date  (%s%s, times from the start)", hm,
			 p->duration_s < NP_PLOT_SHORT_S ? "" : " h");
	}
	plcol0(C_TEXT);
	text_size(1.6);
	plptex(0.5, 0.35, 1, 0, 0.5, buf);
	text_size(1.0);
}

int np_plot_night_render(const struct np_plot_night *p, const char *path)
{
	if (!p || !path || !(p->duration_s > 0) || (p->n_spans && !p->spans) ||
	    (p->n_gaps && !p->gaps) || (p->n_alerts && !p->alerts_s) ||
	    (p->n_movement && (!p->movement_t_s || !p->movement_mg)))
		return NP_ERR_ARG;
	char *tmp;
	PLINT strm, prev;
	int rc = open_stream(path, p->watch, &tmp, &strm, &prev);
	if (rc != NP_OK)
		return rc;
	set_palette(p->avoid_mask);
	plcol0(C_TEXT);

	/* Unknown start: elapsed time from 00:00 on the axes. */
	double x0 = p->start_utc_s > 0 ? p->start_utc_s + local_offset_s(p->start_utc_s) : 0;
	double x1 = x0 + p->duration_s;
	title(p);
	timeline_panel(p, x0, x1);
	sleep_panel(p, x0, x1);
	movement_panel(p, x0, x1);
	bars_panel(p);
	summary_panel(p);
	return close_stream(tmp, path, prev);
}

static void trend_title(const struct np_plot_trend_row *rows, size_t n)
{
	char buf[256];
	plvpor(0.0, 1.0, 0.92, 1.0);
	plwind(0, 1, 0, 1);
	plcol0(C_TEXT);
	text_size(1.6);
	if (rows[0].start_utc_s > 0 && rows[n - 1].start_utc_s > 0) {
		char a[32], b[32];
		time_t s0 = (time_t)rows[0].start_utc_s, s1 = (time_t)rows[n - 1].start_utc_s;
		struct tm t0, t1;
		localtime_r(&s0, &t0);
		localtime_r(&s1, &t1);
		strftime(a, sizeof a, "%a %d %b %Y", &t0);
		strftime(b, sizeof b, "%a %d %b %Y", &t1);
		snprintf(buf, sizeof buf, "%zu night%s, %s to %s", n, n == 1 ? "" : "s", a, b);
	} else {
		snprintf(buf, sizeof buf, "%zu night%s compared", n, n == 1 ? "" : "s");
	}
	plptex(0.5, 0.35, 1, 0, 0.5, buf);
	text_size(1.0);
}

/* Top: minutes in positions to avoid, one bar per night. */
static void avoid_panel(const struct np_plot_trend_row *rows, size_t n, unsigned avoid_mask)
{
	char buf[256], names[96];
	np_avoid_text(avoid_mask, ", ", names, sizeof names);

	double ymax = 10;
	for (size_t i = 0; i < n; i++)
		ymax = fmax(ymax, rows[i].avoid_s / 60.0 * 1.12);
	/* Minute ticks people count in: 10, 15, 30, 60 or 120, at most five of them. */
	static const double steps[] = {10, 15, 30, 60, 120, 240, 480};
	double ystep = axis_step(ymax, steps, sizeof steps / sizeof steps[0], 5);
	ymax = ceil(ymax / ystep) * ystep;
	plvpor(0.08, 0.82, 0.56, 0.87);
	plwind(-0.6, (double)n - 0.4, 0, ymax);
	plcol0(C_GRID);
	for (double v = ystep; v < ymax; v += ystep) {
		PLFLT xs[2] = {-0.6, (double)n - 0.4}, ys[2] = {v, v};
		plline(2, xs, ys);
	}
	text_size(n > 20 ? 0.7 : 0.9);
	for (size_t i = 0; i < n; i++) {
		double m = rows[i].avoid_s / 60.0;
		plcol0(C_WARN);
		rect((double)i - 0.35, (double)i + 0.35, 0, m);
		snprintf(buf, sizeof buf, "%.0f", m);
		plcol0(C_TEXT);
		plptex((double)i, m + ymax * 0.05, 1, 0, 0.5, buf);
	}
	text_size(1.0);
	plcol0(C_TEXT);
	plbox("bc", 0, 0, "bcnstv", ystep, 1);
	snprintf(buf, sizeof buf, "Minutes in positions to avoid (%s)", names[0] ? names : "none");
	plmtex("t", 1.0, 0.0, 0.0, buf);
}

/* Dates under the share bars; fewer labels when crowded, years when they change. */
static void date_labels(const struct np_plot_trend_row *rows, size_t n)
{
	char buf[256];
	size_t step = n > 16 ? (n + 15) / 16 : 1;
	bool years = false;
	for (size_t i = 1; i < n; i++) {
		time_t a = (time_t)rows[i - 1].start_utc_s, b = (time_t)rows[i].start_utc_s;
		struct tm ta, tb;
		if (a > 0 && b > 0 && localtime_r(&a, &ta) && localtime_r(&b, &tb) &&
		    ta.tm_year != tb.tm_year)
			years = true;
	}
	text_size(0.85);
	for (size_t i = 0; i < n; i += step) {
		if (rows[i].start_utc_s > 0) {
			time_t s = (time_t)rows[i].start_utc_s;
			struct tm tm;
			localtime_r(&s, &tm);
			strftime(buf, sizeof buf, years ? "%d %b %y" : "%d %b", &tm);
		} else {
			snprintf(buf, sizeof buf, "#%zu", i + 1);
		}
		plmtex("b", 1.5, ((double)i + 0.6) / (double)n, 0.5, buf);
	}
	text_size(1.0);
}

/* Bottom: each position's share of the night, stacked. */
static void share_panel(const struct np_plot_trend_row *rows, size_t n)
{
	plvpor(0.08, 0.82, 0.12, 0.47);
	plwind(-0.6, (double)n - 0.4, 0, 100);
	for (size_t i = 0; i < n; i++) {
		double total = 0, y = 0;
		for (int p = 0; p < NP_POS_COUNT; p++)
			total += rows[i].time_s[p];
		if (total <= 0)
			continue;
		for (int r = NP_POS_COUNT - 1; r >= 0; r--) {
			enum np_position pos = row_order[r];
			double h = 100.0 * rows[i].time_s[pos] / total;
			if (h <= 0)
				continue;
			plcol0(C_POS + (int)pos);
			rect((double)i - 0.35, (double)i + 0.35, y, y + h);
			y += h;
		}
	}
	plcol0(C_TEXT);
	plbox("bc", 0, 0, "bcnstv", 25, 1);
	plmtex("t", 1.0, 0.0, 0.0, "Share of each night per position (%)");
	date_labels(rows, n);
}

/* Legend, top to bottom in the order of the stack. */
static void legend_panel(unsigned avoid_mask)
{
	plvpor(0.84, 0.99, 0.12, 0.47);
	plwind(0, 1, 0, 1);
	double y = 0.92;
	for (int r = 0; r < NP_POS_COUNT; r++) {
		enum np_position pos = row_order[r];
		plcol0(C_POS + (int)pos);
		rect(0.02, 0.14, y - 0.035, y + 0.035);
		plcol0(avoid_mask & NP_POS_BIT(pos) ? C_WARN : C_TEXT);
		plptex(0.2, y - 0.02, 1, 0, 0, np_position_name(pos));
		y -= 0.12;
	}
}

int np_plot_trend_render(const struct np_plot_trend_row *rows, size_t n, unsigned avoid_mask,
			 const char *path, const struct np_tmp_watch *watch)
{
	if (!rows || n == 0 || !path)
		return NP_ERR_ARG;
	char *tmp;
	PLINT strm, prev;
	int rc = open_stream(path, watch, &tmp, &strm, &prev);
	if (rc != NP_OK)
		return rc;
	set_palette(avoid_mask);
	trend_title(rows, n);
	avoid_panel(rows, n, avoid_mask);
	share_panel(rows, n);
	legend_panel(avoid_mask);
	return close_stream(tmp, path, prev);
}
