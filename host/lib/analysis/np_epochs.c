#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_epochs.h"
#include "np_err.h"
#include "np_night_cal.h"

/* Larger than any night at any sensible epoch length (115 days of 1-s epochs). */
#define EPOCHS_MAX 10000000u

void np_analysis_cfg_default(struct np_analysis_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->epoch_s = NP_EPOCH_DEFAULT_S;
	np_posture_cfg_default(&cfg->posture);
	cfg->cal = NULL;
	cfg->autocal = true;
}

/* Per-epoch sums, in double: a 30-s epoch at 100 Hz sums 3000 values. */
struct acc {
	size_t n;
	double s[3], sq[3], enmo;
	size_t leg_n;
	double leg[3];
};

static void accumulate(struct acc *a, struct np_vec3 b)
{
	double v[3] = { b.x, b.y, b.z };
	for (int k = 0; k < 3; k++) {
		a->s[k] += v[k];
		a->sq[k] += v[k] * v[k];
	}
	double mag = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
	a->enmo += mag > 1.0 ? mag - 1.0 : 0.0;
	a->n++;
}

static void finish_epoch(struct np_epoch *e, const struct acc *a, const struct np_posture_cfg *pc,
			 double rate_hz)
{
	if (a->n == 0) {
		e->position = NP_POS_UNKNOWN;
		e->roll_deg = e->inclination_deg = NAN;
		return;
	}
	double n = (double)a->n, var = 0.0;
	double m[3];
	for (int k = 0; k < 3; k++) {
		m[k] = a->s[k] / n;
		double vk = a->sq[k] / n - m[k] * m[k];
		var += vk > 0 ? vk : 0;
	}
	e->g = (struct np_vec3){ (float)m[0], (float)m[1], (float)m[2] };
	e->n = a->n;
	e->movement_mg = (float)(sqrt(var) * 1000.0);
	e->enmo_mg = (float)(a->enmo / n * 1000.0);
	e->still = e->movement_mg < NP_EPOCH_STILL_MG;
	double expect = rate_hz * (e->end_s - e->start_s);
	e->valid_fraction = expect > 0 ? (float)fmin(1.0, n / expect) : 1.0f;
	e->roll_deg = np_posture_roll_deg(e->g);
	e->inclination_deg = np_posture_inclination_deg(e->g);
	float conf;
	e->position = np_posture_classify(pc, e->g, &conf);
	/* One sample is enough to classify (1-row-per-second datasets); confidence
	 * drops only when less than half of the expected samples arrived. */
	e->confidence = conf * fminf(1.0f, 2.0f * e->valid_fraction);
	if (e->position == NP_POS_UNKNOWN)
		e->confidence = 0.0f;
}

/* Column of the label overlap table for "lying, side not given" (NP_ANN_LABEL_LYING). */
#define LABEL_LYING NP_POS_COUNT
#define LABEL_COLS (NP_POS_COUNT + 1)

static void label_epochs(const struct np_night *night, struct np_epochs *out, double *overlap)
{
	double E = out->epoch_s;
	for (size_t a = 0; a < night->n_ann; a++) {
		const struct np_night_annotation *an = &night->ann[a];
		unsigned col;
		if (an->kind == NP_ANN_LABEL_LYING)
			col = LABEL_LYING;
		else if (an->kind == NP_ANN_LABEL && an->position != NP_POS_UNKNOWN &&
			 (unsigned)an->position < NP_POS_COUNT)
			col = (unsigned)an->position;
		else
			continue; /* notes, and labels without a position (e.g. transitions) */
		out->has_labels = true;
		if (!(an->end_s > an->start_s))
			continue;
		double k0 = floor(fmax(an->start_s, 0.0) / E);
		for (size_t k = (size_t)k0; k < out->n; k++) {
			struct np_epoch *e = &out->v[k];
			if (e->start_s >= an->end_s)
				break;
			double ov = fmin(e->end_s, an->end_s) - fmax(e->start_s, an->start_s);
			if (ov > 0)
				overlap[k * LABEL_COLS + col] += ov;
		}
	}
	for (size_t k = 0; k < out->n; k++) {
		struct np_epoch *e = &out->v[k];
		double best = 0;
		unsigned best_col = 0;
		for (unsigned c = 0; c < LABEL_COLS; c++) {
			if (overlap[k * LABEL_COLS + c] > best) {
				best = overlap[k * LABEL_COLS + c];
				best_col = c;
			}
		}
		/* Ground truth only where one label covers most of the epoch. */
		e->has_label = best > 0.5 * (e->end_s - e->start_s);
		e->label_lying = e->has_label && best_col == LABEL_LYING;
		e->label = e->has_label && best_col != LABEL_LYING ? (enum np_position)best_col
								    : NP_POS_UNKNOWN;
	}
}

/*
 * Number of epochs, and in *dur the time they cover. A recording whose duration ends
 * before its last sample still gets an epoch for that sample.
 */
static double epoch_count(const struct np_night *night, double E, double *dur)
{
	double d = night->duration_s > 0 ? night->duration_s : 0.0;
	double ne = ceil(d / E - 1e-9);
	const struct np_series *chest = &night->sensor[0];
	if (night->sensor_count > 0 && chest->n > 0 && chest->v[chest->n - 1].t_s >= 0) {
		double last = chest->v[chest->n - 1].t_s;
		ne = fmax(ne, floor(last / E) + 1.0);
		d = fmax(d, last);
	}
	*dur = d;
	return ne;
}

/* Each sensor's gain/offset fit and mount rotation. */
static int setup_pipelines(const struct np_night *night, const struct np_analysis_cfg *cfg,
			   struct np_body_pipeline pipe[2])
{
	int rc;
	for (unsigned s = 0; s < 2; s++) {
		np_autocal_identity(&pipe[s].ac);
		np_mat3_identity(&pipe[s].r);
		if (cfg->autocal && s < night->sensor_count &&
		    (rc = np_night_autocal(night, s, &pipe[s].ac)) != NP_OK)
			return rc;
	}
	if (cfg->cal) {
		/* The calibration recording's own fit, when this night cannot make one. */
		if (!pipe[0].ac.applied && cfg->cal->autocal.applied)
			pipe[0].ac = cfg->cal->autocal;
		pipe[0].r = cfg->cal->chest.r;
		if (cfg->cal->has_second)
			pipe[1].r = cfg->cal->second.r;
	}
	return NP_OK;
}

/* Epoch k spans [k E, (k + 1) E), the last one cut at dur. */
static void lay_out_epochs(struct np_epochs *out, double dur)
{
	double E = out->epoch_s;
	for (size_t k = 0; k < out->n; k++) {
		out->v[k].start_s = (double)k * E;
		out->v[k].end_s = fmin((double)(k + 1) * E, dur);
		if (!(out->v[k].end_s > out->v[k].start_s))
			out->v[k].end_s = (double)(k + 1) * E;
		out->v[k].leg_tilt_deg = NAN;
	}
}

/* Sum each sensor's samples, in body axes, into the epoch they fall in. */
static void bin_samples(const struct np_night *night, const struct np_body_pipeline pipe[2],
			const struct np_epochs *out, struct acc *acc)
{
	double E = out->epoch_s;
	for (unsigned s = 0; s < night->sensor_count && s < 2; s++) {
		const struct np_series *ser = &night->sensor[s];
		for (size_t i = 0; i < ser->n; i++) {
			double t = ser->v[i].t_s;
			if (!(t >= 0))
				continue;
			size_t k = (size_t)(t / E);
			if (k >= out->n)
				continue;
			struct np_vec3 b = np_body_pipeline_apply(&pipe[s], &ser->v[i]);
			if (s == 0) {
				accumulate(&acc[k], b);
			} else {
				acc[k].leg[0] += b.x;
				acc[k].leg[1] += b.y;
				acc[k].leg[2] += b.z;
				acc[k].leg_n++;
			}
		}
	}
}

/* Epoch figures from their sums; the leg tilt where both sensors have samples. */
static void finish_epochs(struct np_epochs *out, const struct acc *acc,
			  const struct np_posture_cfg *pc)
{
	for (size_t k = 0; k < out->n; k++) {
		struct np_epoch *e = &out->v[k];
		finish_epoch(e, &acc[k], pc, out->rate_hz);
		if (acc[k].leg_n > 0 && acc[k].n > 0) {
			double ln = (double)acc[k].leg_n;
			struct np_vec3 leg = { (float)(acc[k].leg[0] / ln), (float)(acc[k].leg[1] / ln),
					       (float)(acc[k].leg[2] / ln) };
			e->leg_tilt_deg = np_vec3_angle_deg(e->g, leg);
			e->has_leg = isfinite(e->leg_tilt_deg);
		}
	}
}

int np_epochs_compute(const struct np_night *night, const struct np_analysis_cfg *cfg,
		      struct np_epochs *out)
{
	struct np_body_pipeline pipe[2];
	int rc;

	memset(out, 0, sizeof *out);
	if (!night || !cfg || !(cfg->epoch_s > 0) || !isfinite(cfg->epoch_s))
		return NP_ERR_ARG;
	double dur;
	double ne = epoch_count(night, cfg->epoch_s, &dur);
	if (ne > EPOCHS_MAX)
		return NP_ERR_RANGE;
	out->n = ne > 0 ? (size_t)ne : 0;
	out->epoch_s = cfg->epoch_s;
	out->second_sensor = night->sensor_count > 1;
	out->calibrated = cfg->cal != NULL;
	out->rate_hz = np_night_rate_hz(night, 0);

	rc = setup_pipelines(night, cfg, pipe);
	if (rc != NP_OK)
		return rc;
	out->autocal = pipe[0].ac;
	if (cfg->cal) {
		snprintf(out->cal_source, sizeof out->cal_source, "%s", cfg->cal->source);
		out->autocal_from_cal = !out->autocal.applied ? false
				       : memcmp(&out->autocal, &cfg->cal->autocal, sizeof out->autocal) == 0;
	}

	out->v = calloc(out->n ? out->n : 1, sizeof *out->v);
	struct acc *acc = calloc(out->n ? out->n : 1, sizeof *acc);
	double *overlap = calloc((out->n ? out->n : 1) * LABEL_COLS, sizeof *overlap);
	if (!out->v || !acc || !overlap) {
		rc = NP_ERR_NOMEM;
		goto fail;
	}
	lay_out_epochs(out, dur);
	bin_samples(night, pipe, out, acc);
	finish_epochs(out, acc, &cfg->posture);
	label_epochs(night, out, overlap);
	free(acc);
	free(overlap);
	return NP_OK;
fail:
	free(acc);
	free(overlap);
	np_epochs_free(out);
	return rc;
}

void np_epochs_free(struct np_epochs *e)
{
	if (!e)
		return;
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

void np_epochs_write_csv_header(const struct np_epochs *e, FILE *f)
{
	fprintf(f, "start_s,end_s,position,confidence,roll_deg,inclination_deg,movement_mg,still,"
		   "valid_fraction%s",
		e->second_sensor ? ",leg_tilt_deg" : "");
}

void np_epochs_write_csv_row(const struct np_epochs *e, size_t k, FILE *f)
{
	const struct np_epoch *p = &e->v[k];
	fprintf(f, "%.3f,%.3f,%s,%.2f,", p->start_s, p->end_s, np_position_name(p->position),
		(double)p->confidence);
	if (p->n > 0)
		fprintf(f, "%.1f,%.1f,%.1f,%d,%.2f", (double)p->roll_deg,
			(double)p->inclination_deg, (double)p->movement_mg, p->still ? 1 : 0,
			(double)p->valid_fraction);
	else
		fputs(",,,,0.00", f);
	if (e->second_sensor) {
		if (p->has_leg)
			fprintf(f, ",%.1f", (double)p->leg_tilt_deg);
		else
			fputc(',', f);
	}
}

int np_epochs_write_csv(const struct np_epochs *e, FILE *f)
{
	np_epochs_write_csv_header(e, f);
	fputc('\n', f);
	for (size_t k = 0; k < e->n; k++) {
		np_epochs_write_csv_row(e, k, f);
		fputc('\n', f);
	}
	return ferror(f) ? NP_ERR_IO : NP_OK;
}
