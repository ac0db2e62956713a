#include "np_episodes.h"
#include "np_export.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <edflib.h>

#include "np_array.h"
#include "np_err.h"
#include "np_night_cal.h"
#include "np_outfile.h"
#include "np_settings.h"

/* EDFlib keeps at most 40 bytes of an annotation written by it. */
#define ANN_TEXT_MAX 40u
/* Longer holes between samples are gaps, not something to interpolate across. */
#define MAX_BRIDGE_S 2.0
/* A sample this close to a grid point (fraction of a period) is that grid point. */
#define EXACT_TOL 0.05
#define POSITION_SIGNAL_HZ 1
#define EDF_ANN_SIGNALS_MAX 64

void np_export_opts_default(struct np_export_opts *o)
{
	memset(o, 0, sizeof *o);
	for (size_t s = 0; s < NP_SENSORS_MAX; s++) {
		np_autocal_identity(&o->frame[s].autocal);
		np_mat3_identity(&o->frame[s].r);
	}
}

static struct np_vec3 to_frame(const struct np_export_frame *fr, const struct np_sample_g *v)
{
	struct np_vec3 g = {v->x, v->y, v->z};
	if (!fr->body)
		return g;
	return np_mat3_apply(&fr->r, np_autocal_apply(&fr->autocal, g));
}

/* ---- CSV ---- */

/*
 * Shortest text that reads back as the same value: 0.85 rather than 0.850000024 for
 * 850 counts at 1000 counts/g. A value that is a whole number of device counts is
 * written as counts / lsb_per_g exactly (1.00390625 for 257 counts at 256/g), so a
 * reader in double precision gets the device's value; others round-trip as floats.
 */
static void put_value(FILE *f, float v, int lsb_per_g)
{
	char buf[40];
	double c = round((double)v * lsb_per_g);
	if (lsb_per_g > 0 && fabs(c / lsb_per_g - (double)v) < 1e-6) {
		double d = c / lsb_per_g;
		for (int prec = 6; prec <= 17; prec++) {
			snprintf(buf, sizeof buf, "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
	} else {
		for (int prec = 6; prec <= 9; prec++) {
			snprintf(buf, sizeof buf, "%.*g", prec, (double)v);
			if (strtof(buf, NULL) == v)
				break;
		}
	}
	fputc(',', f);
	fputs(buf, f);
}

static void put_values(FILE *f, struct np_vec3 g, int lsb_per_g)
{
	put_value(f, g.x, lsb_per_g);
	put_value(f, g.y, lsb_per_g);
	put_value(f, g.z, lsb_per_g);
}

int np_export_csv(const struct np_night *n, const struct np_export_opts *o, FILE *f)
{
	if (!n || !o || !f)
		return NP_ERR_ARG;
	bool second = n->sensor_count > 1 && n->sensor[1].n > 0;
	const struct np_series *leg = &n->sensor[1];
	double leg_half = second ? 0.5 / np_night_rate_hz(n, 1) : 0;
	/* Body-frame values are not whole counts: write them as floats. */
	int lsb = o->frame[0].body ? 0 : n->header.hello.lsb_per_g;
	int lsb2 = o->frame[1].body ? 0 : n->header.hello.lsb_per_g;
	fputs(second ? "time_s,x_g,y_g,z_g,x2_g,y2_g,z2_g\n" : "time_s,x_g,y_g,z_g\n", f);
	size_t j = 0;
	for (size_t i = 0; i < n->sensor[0].n; i++) {
		const struct np_sample_g *v = &n->sensor[0].v[i];
		struct np_vec3 g = to_frame(&o->frame[0], v);
		fprintf(f, "%.6f", v->t_s);
		put_values(f, g, lsb);
		if (second) {
			while (j + 1 < leg->n &&
			       fabs(leg->v[j + 1].t_s - v->t_s) <= fabs(leg->v[j].t_s - v->t_s))
				j++;
			if (fabs(leg->v[j].t_s - v->t_s) <= leg_half) {
				put_values(f, to_frame(&o->frame[1], &leg->v[j]), lsb2);
			} else {
				fputs(",,,", f);
			}
		}
		if (fputc('\n', f) == EOF)
			return NP_ERR_IO;
	}
	return ferror(f) ? NP_ERR_IO : NP_OK;
}

/* ---- EDF+ ---- */

struct ann {
	double onset_s, duration_s; /* duration < 0: none */
	size_t seq;                 /* insertion order, to sort stably */
	char text[ANN_TEXT_MAX + 1];
};

struct ann_list {
	struct ann *v;
	size_t n, cap;
};

/* Copy at most ANN_TEXT_MAX bytes without cutting a UTF-8 sequence. */
static void ann_text(char *dst, const char *src)
{
	size_t len = strlen(src);
	if (len > ANN_TEXT_MAX) {
		len = ANN_TEXT_MAX;
		while (len > 0 && ((unsigned char)src[len] & 0xC0u) == 0x80u)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int ann_add(struct ann_list *l, double onset_s, double duration_s, const char *text)
{
	if (np_array_reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != NP_OK)
		return NP_ERR_NOMEM;
	struct ann *a = &l->v[l->n++];
	a->onset_s = onset_s < 0 ? 0 : onset_s;
	a->duration_s = duration_s;
	a->seq = l->n - 1;
	ann_text(a->text, text);
	return NP_OK;
}

/* Regular grid over one sensor's samples: exact where a sample sits on a grid point,
 * linear in between, gap across night gaps and holes longer than MAX_BRIDGE_S. */
struct grid {
	const struct np_series *s;
	const struct np_night *night;
	double fs;
	size_t i, gi;
};

enum slot_kind { SLOT_EXACT, SLOT_INTERP, SLOT_GAP };

static void grid_init(struct grid *g, const struct np_night *n, unsigned sensor, double fs)
{
	memset(g, 0, sizeof *g);
	g->s = &n->sensor[sensor];
	g->night = n;
	g->fs = fs;
}

static bool in_night_gap(struct grid *g, double t)
{
	while (g->gi < g->night->n_gaps && g->night->gaps[g->gi].end_s <= t)
		g->gi++;
	return g->gi < g->night->n_gaps && g->night->gaps[g->gi].start_s <= t;
}

/* Value at grid time t (times must be asked in increasing order). */
static enum slot_kind grid_at(struct grid *g, double t, struct np_sample_g *out)
{
	const struct np_series *s = g->s;
	double tol = EXACT_TOL / g->fs;
	while (g->i < s->n && s->v[g->i].t_s < t - tol)
		g->i++;
	if (g->i < s->n && s->v[g->i].t_s <= t + tol) {
		*out = s->v[g->i];
		return SLOT_EXACT;
	}
	if (in_night_gap(g, t) || g->i == 0 || g->i >= s->n)
		return SLOT_GAP;
	const struct np_sample_g *a = &s->v[g->i - 1], *b = &s->v[g->i];
	double span = b->t_s - a->t_s;
	if (span > MAX_BRIDGE_S || span <= 0)
		return SLOT_GAP;
	float w = (float)((t - a->t_s) / span);
	out->t_s = t;
	out->x = a->x + (b->x - a->x) * w;
	out->y = a->y + (b->y - a->y) * w;
	out->z = a->z + (b->z - a->z) * w;
	return SLOT_INTERP;
}

/* Record length (1..60 s) that holds a whole number of samples at fs, or 0. */
static unsigned record_seconds_for(double fs)
{
	for (unsigned d = 1; d <= 60; d++) {
		double k = fs * d;
		if (fabs(k - round(k)) < 1e-6 * k)
			return d;
	}
	return 0;
}

struct plan {
	unsigned n_sensors;
	double fs[NP_SENSORS_MAX];
	int spr[NP_SENSORS_MAX]; /* samples per record */
	unsigned record_s;
	size_t records;
	int lsb_per_g;
	int full_g;              /* EDF range +-full_g g: the most whole g 16 bits hold */
	bool resampled_rate;     /* the nominal rate was replaced by a whole one */
};

static void make_plan(const struct np_night *n, struct plan *p)
{
	memset(p, 0, sizeof *p);
	p->n_sensors = n->sensor_count > 1 && n->sensor[1].n > 0 ? 2 : 1;
	p->lsb_per_g = n->header.hello.lsb_per_g ? n->header.hello.lsb_per_g : 1000;
	if (p->lsb_per_g > 32767)
		p->lsb_per_g = 32767;
	p->full_g = 32767 / p->lsb_per_g;
	bool regular = n->header.hello.rate_millihz != 0;
	double fs = np_night_rate_hz(n, 0);
	if (!(fs > 0))
		fs = 1;
	unsigned d = regular ? record_seconds_for(fs) : 0;
	if (d == 0) {
		/* Irregular input (or a rate no record length fits): a whole-Hz grid. */
		p->resampled_rate = true;
		fs = fmax(1.0, round(fs));
		d = 1;
	}
	p->fs[0] = fs;
	p->record_s = d;
	if (p->n_sensors > 1) {
		double fs2 = np_night_rate_hz(n, 1);
		double k = fs2 * d;
		bool fits = regular && fs2 > 0 && fabs(k - round(k)) < 1e-6 * k;
		p->fs[1] = fits ? fs2 : fs;
	}
	for (unsigned s = 0; s < p->n_sensors; s++)
		p->spr[s] = (int)lround(p->fs[s] * d);
	p->records = (size_t)ceil(n->duration_s / d);
	if (p->records == 0)
		p->records = 1;
}

static const char *const labels_sensor[NP_SENSORS_MAX][3] = {
	{"Chest X", "Chest Y", "Chest Z"},
	{"Leg X", "Leg Y", "Leg Z"},
};
static const char *const labels_body[NP_SENSORS_MAX][3] = {
	{"Chest sup", "Chest left", "Chest ant"},
	{"Leg sup", "Leg left", "Leg ant"},
};

/* Gap runs of the chest grid, as the EDF will show them, and a note when it was resampled. */
static int grid_annotations(const struct np_night *n, const struct plan *p, struct ann_list *l,
			    struct np_export_info *info)
{
	char buf[NP_ANNOTATION_TEXT_MAX + 32];
	int rc = NP_OK;
	struct grid g;
	grid_init(&g, n, 0, p->fs[0]);
	size_t total = p->records * (size_t)p->spr[0];
	double gap_start = -1;
	for (size_t k = 0; k <= total && rc == NP_OK; k++) {
		struct np_sample_g v;
		double t = (double)k / p->fs[0];
		enum slot_kind kind = k < total ? grid_at(&g, t, &v) : SLOT_EXACT;
		if (k < total) {
			if (kind == SLOT_EXACT)
				info->samples_exact++;
			else if (kind == SLOT_INTERP)
				info->samples_interpolated++;
			else
				info->samples_gap++;
		}
		if (kind == SLOT_GAP && gap_start < 0)
			gap_start = t;
		else if (kind != SLOT_GAP && gap_start >= 0) {
			/* The padding after the end of the night is not a gap in it. */
			double end = fmin(t, n->duration_s);
			if (end > gap_start)
				rc = ann_add(l, gap_start, end - gap_start, "Gap: no data");
			gap_start = -1;
		}
	}
	if (rc == NP_OK && (info->samples_interpolated > 0 || p->resampled_rate)) {
		info->resampled = true;
		snprintf(buf, sizeof buf, "Resampled to %g Hz (irregular input)", p->fs[0]);
		rc = ann_add(l, 0, -1, buf);
	}
	return rc;
}

static int episode_annotations(const struct np_export_opts *o, struct ann_list *l)
{
	char buf[NP_ANNOTATION_TEXT_MAX + 32];
	int rc = NP_OK;
	for (size_t i = 0; i < o->n_episodes && rc == NP_OK; i++) {
		const struct np_episode *e = &o->episodes[i];
		snprintf(buf, sizeof buf, "Position: %s", np_position_name(e->position));
		rc = ann_add(l, e->start_s, e->end_s - e->start_s, buf);
	}
	return rc;
}

/* Device events: alerts (lasting until they clear) and button presses. */
static int event_annotations(const struct np_night *n, struct ann_list *l)
{
	char buf[NP_ANNOTATION_TEXT_MAX + 32];
	int rc = NP_OK;
	for (size_t i = 0; i < n->n_events && rc == NP_OK; i++) {
		const struct np_night_event *e = &n->events[i];
		const char *pos = np_position_name((enum np_position)e->ev.position);
		double dur = -1;
		switch (e->ev.kind) {
		case NP_EVENT_ALERT_FIRED:
			if (e->origin != NP_ORIGIN_DEVICE)
				continue;
			for (size_t j = i + 1; j < n->n_events; j++)
				if (n->events[j].ev.kind == NP_EVENT_ALERT_CLEARED) {
					dur = n->events[j].t_s - e->t_s;
					break;
				}
			snprintf(buf, sizeof buf, "Device alert: %s, level %u", pos, e->ev.level);
			break;
		case NP_EVENT_HOST_ALERT:
			snprintf(buf, sizeof buf, "Host alert: %s, level %u", pos, e->ev.level);
			break;
		case NP_EVENT_BUTTON:
			snprintf(buf, sizeof buf, "Button");
			break;
		default:
			continue; /* link events show as gaps; cleared alerts as durations */
		}
		rc = ann_add(l, e->t_s, dur, buf);
	}
	return rc;
}

/* The recording's own labels and notes. */
static int note_annotations(const struct np_night *n, struct ann_list *l)
{
	char buf[NP_ANNOTATION_TEXT_MAX + 32];
	int rc = NP_OK;
	for (size_t i = 0; i < n->n_ann && rc == NP_OK; i++) {
		const struct np_night_annotation *a = &n->ann[i];
		/* The recorder's settings are for replay, and EDFlib's 40 bytes would
		 * cut them into something misleading ("after=2" of "after=240"). */
		if (a->kind == NP_ANN_NOTE &&
		    strncmp(a->text, NP_LIVE_SETTINGS_TAG, strlen(NP_LIVE_SETTINGS_TAG)) == 0)
			continue;
		if (a->kind == NP_ANN_LABEL)
			snprintf(buf, sizeof buf, "Label: %s", np_position_name(a->position));
		else
			snprintf(buf, sizeof buf, "Note: %s", a->text);
		rc = ann_add(l, a->start_s, a->end_s - a->start_s, buf);
	}
	return rc;
}

/* The sleep period, its wake bouts, time in bed and non-wear (np_night_sleep.h). */
static int sleep_annotations(const struct np_night_sleep *s, struct ann_list *l)
{
	int rc = NP_OK;
	for (size_t i = 0; s && i < s->n_nights && rc == NP_OK; i++) {
		const struct np_sleep_night_result *r = &s->nights[i];
		if (!r->found)
			continue;
		rc = ann_add(l, r->onset_s, r->wake_s - r->onset_s, "Sleep period");
		if (rc == NP_OK)
			rc = ann_add(l, r->lights_off_s, -1, "Lights off");
		if (rc == NP_OK)
			rc = ann_add(l, r->lights_on_s, -1, "Lights on");
		for (size_t k = 0; k < r->n_bouts && rc == NP_OK; k++) {
			const struct np_sleep_span *w = &s->wake[r->first_bout + k];
			rc = ann_add(l, w->start_s, w->end_s - w->start_s, "Wake");
		}
	}
	for (size_t i = 0; s && i < s->n_nonwear_spans && rc == NP_OK; i++)
		rc = ann_add(l, s->nonwear_spans[i].start_s,
			     s->nonwear_spans[i].end_s - s->nonwear_spans[i].start_s, "Non-wear");
	return rc;
}

static int collect_annotations(const struct np_night *n, const struct np_export_opts *o,
			       const struct plan *p, struct ann_list *l, struct np_export_info *info)
{
	int rc = grid_annotations(n, p, l, info);
	if (rc == NP_OK)
		rc = episode_annotations(o, l);
	if (rc == NP_OK)
		rc = event_annotations(n, l);
	if (rc == NP_OK)
		rc = note_annotations(n, l);
	if (rc == NP_OK)
		rc = sleep_annotations(o->sleep, l);
	info->annotations = l->n;
	return rc;
}

static int cmp_ann(const void *a, const void *b)
{
	const struct ann *x = (const struct ann *)a, *y = (const struct ann *)b;
	if (x->onset_s != y->onset_s)
		return x->onset_s < y->onset_s ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void set_start(int h, double start_utc_s)
{
	time_t sec = (time_t)floor(start_utc_s);
	struct tm tm;
	if (!(start_utc_s > 0) || !localtime_r(&sec, &tm) || tm.tm_year + 1900 < 1985 ||
	    tm.tm_year + 1900 > 2084) {
		edf_set_startdatetime(h, 1985, 1, 1, 0, 0, 0);
		return;
	}
	edf_set_startdatetime(h, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			      tm.tm_min, tm.tm_sec);
	/* 100 us resolution, as EDFlib recommends. */
	long sub = lround((start_utc_s - (double)sec) * 1e4) * 1000L;
	if (sub > 0 && sub < 10000000L)
		edf_set_subsecond_starttime(h, (int)sub);
}

static int setup_signals(int h, const struct np_night *n, const struct np_export_opts *o,
			 const struct plan *p, size_t n_ann)
{
	int bad = 0, sig = 0;
	char prefilter[81];
	for (unsigned s = 0; s < p->n_sensors; s++) {
		snprintf(prefilter, sizeof prefilter, "%s",
			 p->resampled_rate ? "resampled onto a regular grid (linear)" : "");
		for (unsigned a = 0; a < 3; a++, sig++) {
			bad |= edf_set_samplefrequency(h, sig, p->spr[s]);
			/* One digital step is one device count, and the header's 8-character
			 * physical limits are whole g, so values read back exactly. */
			bad |= edf_set_digital_maximum(h, sig, p->full_g * p->lsb_per_g);
			bad |= edf_set_digital_minimum(h, sig, -p->full_g * p->lsb_per_g);
			bad |= edf_set_physical_maximum(h, sig, p->full_g);
			bad |= edf_set_physical_minimum(h, sig, -p->full_g);
			bad |= edf_set_label(h, sig, o->frame[s].body ? labels_body[s][a]
								 : labels_sensor[s][a]);
			bad |= edf_set_physical_dimension(h, sig, "g");
			bad |= edf_set_transducer(h, sig, "accelerometer");
			if (prefilter[0])
				bad |= edf_set_prefilter(h, sig, prefilter);
		}
	}
	bad |= edf_set_samplefrequency(h, sig, POSITION_SIGNAL_HZ * (int)p->record_s);
	bad |= edf_set_digital_maximum(h, sig, 5);
	bad |= edf_set_digital_minimum(h, sig, 0);
	bad |= edf_set_physical_maximum(h, sig, 5);
	bad |= edf_set_physical_minimum(h, sig, 0);
	bad |= edf_set_label(h, sig, "Position");
	bad |= edf_set_physical_dimension(h, sig, "code");
	bad |= edf_set_transducer(h, sig, "0 unk 1 sup 2 prone 3 left 4 right 5 upr");
	if (p->record_s != 1)
		bad |= edf_set_datarecord_duration(h, (int)p->record_s * 100000);

	size_t ann_signals = (n_ann + p->records - 1) / p->records;
	if (ann_signals < 1)
		ann_signals = 1;
	bad |= edf_set_number_of_annotation_signals(h, (int)ann_signals);

	char text[81];
	snprintf(text, sizeof text, "nightpose %s", n->header.hello.serial);
	bad |= edf_set_equipment(h, text);
	snprintf(text, sizeof text, "%s", n->header.source);
	bad |= edf_set_recording_additional(h, text);
	set_start(h, n->start_utc_s);
	return bad ? NP_ERR_IO : NP_OK;
}

static int clamp_digital(double v, int lim)
{
	if (v > lim)
		return lim;
	if (v < -lim)
		return -lim;
	return (int)lround(v);
}

static int write_records(int h, const struct np_night *n, const struct np_export_opts *o,
			 const struct plan *p)
{
	int max_spr = p->spr[0] > p->spr[1] ? p->spr[0] : p->spr[1];
	if ((int)p->record_s > max_spr)
		max_spr = (int)p->record_s;
	int *buf = (int *)malloc((size_t)max_spr * 3 * sizeof *buf);
	if (!buf)
		return NP_ERR_NOMEM;
	struct grid g[NP_SENSORS_MAX];
	for (unsigned s = 0; s < p->n_sensors; s++)
		grid_init(&g[s], n, s, p->fs[s]);
	size_t ep = 0;
	int rc = NP_OK;
	for (size_t r = 0; r < p->records && rc == NP_OK; r++) {
		for (unsigned s = 0; s < p->n_sensors && rc == NP_OK; s++) {
			int spr = p->spr[s];
			for (int k = 0; k < spr; k++) {
				double t = (double)(r * (size_t)spr + (size_t)k) / p->fs[s];
				struct np_sample_g v;
				struct np_vec3 x = {0, 0, 0};
				if (grid_at(&g[s], t, &v) != SLOT_GAP)
					x = to_frame(&o->frame[s], &v);
				int lim = p->full_g * p->lsb_per_g;
				buf[k] = clamp_digital((double)x.x * p->lsb_per_g, lim);
				buf[spr + k] = clamp_digital((double)x.y * p->lsb_per_g, lim);
				buf[2 * spr + k] = clamp_digital((double)x.z * p->lsb_per_g, lim);
			}
			for (int a = 0; a < 3 && rc == NP_OK; a++)
				if (edfwrite_digital_samples(h, buf + a * spr) != 0)
					rc = NP_ERR_IO;
		}
		for (unsigned k = 0; k < p->record_s; k++) {
			double t = (double)(r * p->record_s + k) + 0.5;
			while (ep < o->n_episodes && o->episodes[ep].end_s <= t)
				ep++;
			bool in = ep < o->n_episodes && o->episodes[ep].start_s <= t;
			buf[k] = in ? (int)o->episodes[ep].position : (int)NP_POS_UNKNOWN;
		}
		if (rc == NP_OK && edfwrite_digital_samples(h, buf) != 0)
			rc = NP_ERR_IO;
	}
	free(buf);
	return rc;
}

/*
 * Where edf_complete() looks in the header (EDF specification, Kemp et al. 1992,
 * "header record"): a fixed part of 256 bytes, then 256 bytes per signal stored
 * field by field (all ns labels, then all ns transducer types, ...).
 */
#define EDF_FIXED_BYTES 256     /* version 8 ... number of signals 4 */
#define EDF_SIGNAL_BYTES 256    /* label 16 ... reserved 32, per signal */
#define EDF_HDR_BYTES_OFF 184   /* "8 ascii : number of bytes in header record" */
#define EDF_HDR_BYTES_LEN 8
#define EDF_RECORDS_OFF 236     /* "8 ascii : number of data records" */
#define EDF_RECORDS_LEN 8
#define EDF_NS_OFF 252          /* "4 ascii : number of signals (ns) in data record" */
#define EDF_NS_LEN 4
/* "ns * 8 ascii : ns * nr of samples in each data record" follows ns times the label 16,
 * transducer type 80, physical dimension 8, physical and digital minimum and maximum
 * 4 * 8 and prefiltering 80 bytes. */
#define EDF_SPR_PER_NS 216
#define EDF_SPR_LEN 8
#define EDF_SAMPLE_BYTES 2      /* "each sample value is represented as a 2-byte integer" */

/* The number in an EDF header field of len ASCII characters (space padded). */
static long edf_field(const char *p, size_t len)
{
	char buf[17];
	memcpy(buf, p, len);
	buf[len] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * EDFlib does not report failed writes (a full disk, the file size limit): check
 * that the file holds the header and every data record the header announces.
 */
static bool edf_complete(const char *path)
{
	char h[EDF_FIXED_BYTES], spr[EDF_SPR_LEN];
	struct stat st;
	bool ok = false;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	if (fstat(fileno(f), &st) == 0 && fread(h, 1, sizeof h, f) == sizeof h) {
		long hdr = edf_field(h + EDF_HDR_BYTES_OFF, EDF_HDR_BYTES_LEN);
		long records = edf_field(h + EDF_RECORDS_OFF, EDF_RECORDS_LEN);
		long ns = edf_field(h + EDF_NS_OFF, EDF_NS_LEN), sum = 0;
		ok = ns > 0 && records >= 0 && hdr == EDF_FIXED_BYTES + EDF_SIGNAL_BYTES * ns;
		/* Samples per data record: the 9th of the per-signal fields. */
		for (long i = 0; ok && i < ns; i++) {
			long at = EDF_FIXED_BYTES + ns * EDF_SPR_PER_NS + i * EDF_SPR_LEN;
			ok = fseek(f, at, SEEK_SET) == 0 && fread(spr, 1, sizeof spr, f) == sizeof spr;
			sum += edf_field(spr, sizeof spr);
		}
		ok = ok && (long long)st.st_size ==
				   (long long)hdr + (long long)records * sum * EDF_SAMPLE_BYTES;
	}
	fclose(f);
	return ok;
}

int np_export_edf(const struct np_night *n, const struct np_export_opts *o, const char *path,
		  struct np_export_info *info)
{
	struct np_export_info local;
	if (!info)
		info = &local;
	memset(info, 0, sizeof *info);
	if (!n || !o || !path || !*path)
		return NP_ERR_ARG;
	if (n->sensor[0].n == 0)
		return NP_ERR_FORMAT;

	struct plan p;
	make_plan(n, &p);
	struct ann_list anns = {0};
	int rc = collect_annotations(n, o, &p, &anns, info);
	if (rc != NP_OK)
		goto out_anns;
	/* Viewers list annotations in file order: make that time order. */
	qsort(anns.v, anns.n, sizeof *anns.v, cmp_ann);
	if (anns.n > p.records * EDF_ANN_SIGNALS_MAX) {
		rc = NP_ERR_RANGE;
		goto out_anns;
	}
	for (unsigned s = 0; s < p.n_sensors; s++)
		info->rate_hz[s] = p.fs[s];
	info->record_s = p.record_s;
	info->records = p.records;

	/* EDFlib opens files by name: it overwrites a reserved temporary name. */
	np_tmp_watch_creating(o->watch);
	char *tmp = np_outfile_tmp_name(path);
	if (!tmp) {
		rc = errno == ENOMEM ? NP_ERR_NOMEM : NP_ERR_IO;
		goto out_anns;
	}
	np_tmp_watch_created(o->watch, tmp);
	/* EDFlib does not always set errno: a failure then says no stale reason. */
	errno = 0;
	int h = edfopen_file_writeonly(tmp, EDFLIB_FILETYPE_EDFPLUS, (int)p.n_sensors * 3 + 1);
	if (h < 0) {
		rc = h == EDFLIB_MALLOC_ERROR ? NP_ERR_NOMEM : NP_ERR_IO;
		goto out_tmp;
	}
	rc = setup_signals(h, n, o, &p, anns.n);
	if (rc == NP_OK)
		rc = write_records(h, n, o, &p);
	for (size_t i = 0; i < anns.n && rc == NP_OK; i++) {
		const struct ann *a = &anns.v[i];
		long long dur = a->duration_s >= 0 ? llround(a->duration_s * 1e4) : -1;
		if (edfwrite_annotation_utf8(h, llround(a->onset_s * 1e4), dur, a->text) != 0)
			rc = NP_ERR_IO;
	}
	if (edfclose_file(h) != 0 && rc == NP_OK)
		rc = NP_ERR_IO;
	if (rc == NP_ERR_IO && errno == 0)
		errno = EIO;
	if (rc == NP_OK && !edf_complete(tmp)) {
		errno = EIO;
		rc = NP_ERR_IO;
	}
	if (rc == NP_OK) {
		rc = np_outfile_rename_into_place(tmp, path);
		free(tmp);
		goto out_anns;
	}
out_tmp:
	{
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
out_anns:
	free(anns.v);
	return rc;
}
