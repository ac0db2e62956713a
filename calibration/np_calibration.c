#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_calibration.h"
#include "np_err.h"

void np_cal_stats_compute(const struct np_vec3 *v, size_t n, double duration_s,
			  struct np_cal_stats *s)
{
	memset(s, 0, sizeof *s);
	s->duration_s = duration_s;
	s->n = n;
	if (n == 0)
		return;
	double sum[3] = { 0, 0, 0 }, sq[3] = { 0, 0, 0 };
	for (size_t i = 0; i < n; i++) {
		sum[0] += v[i].x;
		sum[1] += v[i].y;
		sum[2] += v[i].z;
	}
	double mean[3] = { sum[0] / (double)n, sum[1] / (double)n, sum[2] / (double)n };
	/* Two passes: a night's worth of near-constant values would lose the variance
	 * to cancellation in the one-pass formula. */
	for (size_t i = 0; i < n; i++) {
		double d[3] = { v[i].x - mean[0], v[i].y - mean[1], v[i].z - mean[2] };
		for (int k = 0; k < 3; k++)
			sq[k] += d[k] * d[k];
	}
	s->mean.x = (float)mean[0];
	s->mean.y = (float)mean[1];
	s->mean.z = (float)mean[2];
	double tot = 0;
	for (int k = 0; k < 3; k++) {
		double var = sq[k] / (double)n;
		s->sd_mg[k] = (float)(sqrt(var) * 1000.0);
		tot += var;
	}
	s->sd_vec_mg = (float)(sqrt(tot) * 1000.0);
}

const char *np_cal_problem_text(enum np_cal_problem p, const struct np_mount_limits *l, char *out,
				size_t cap)
{
	struct np_mount_limits def;
	const char *text = "unknown calibration problem";

	if (!l) {
		np_mount_limits_default(&def);
		l = &def;
	}
	switch (p) {
	case NP_CAL_OK:
		text = "ok";
		break;
	case NP_CAL_EMPTY:
		text = "no samples in the window";
		break;
	case NP_CAL_TOO_SHORT:
		snprintf(out, cap, "window too short (need at least %zu samples and %g s)",
			 l->min_samples, l->min_duration_s);
		return out;
	case NP_CAL_NOT_STILL:
		text = "not still: the wearer moved during the window";
		break;
	case NP_CAL_MAGNITUDE:
		text = "mean acceleration is not about 1 g: not a still posture";
		break;
	case NP_CAL_NOT_SQUARE:
		snprintf(out, cap, "the two postures' gravity directions are not %g to %g degrees apart, "
				   "as lying on the back and on the left side are",
			 (double)l->min_angle_deg, (double)l->max_angle_deg);
		return out;
	}
	snprintf(out, cap, "%s", text);
	return out;
}

void np_mount_limits_default(struct np_mount_limits *l)
{
	l->min_samples = 5;
	l->min_duration_s = 5.0;
	l->max_sd_mg = 150.0f;
	l->min_angle_deg = 50.0f;
	l->max_angle_deg = 130.0f;
}

enum np_cal_problem np_mount_check_window(const struct np_mount_limits *l,
					  const struct np_cal_stats *s)
{
	if (s->n == 0)
		return NP_CAL_EMPTY;
	if (s->n < l->min_samples || s->duration_s < l->min_duration_s)
		return NP_CAL_TOO_SHORT;
	if (!(s->sd_vec_mg <= l->max_sd_mg))
		return NP_CAL_NOT_STILL;
	float mag = np_vec3_norm(s->mean);
	if (!(mag >= 0.5f && mag <= 1.5f))
		return NP_CAL_MAGNITUDE;
	return NP_CAL_OK;
}

static struct np_vec3 scale3(struct np_vec3 v, float k)
{
	struct np_vec3 r = { v.x * k, v.y * k, v.z * k };
	return r;
}

static float dot3(struct np_vec3 a, struct np_vec3 b)
{
	return a.x * b.x + a.y * b.y + a.z * b.z;
}

static struct np_vec3 cross3(struct np_vec3 a, struct np_vec3 b)
{
	struct np_vec3 r = { a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x };
	return r;
}

float np_mat3_ortho_residual(const struct np_mat3 *r)
{
	float worst = 0.0f;
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++) {
			float s = 0.0f;
			for (int k = 0; k < 3; k++)
				s += r->m[i][k] * r->m[j][k];
			float e = fabsf(s - (i == j ? 1.0f : 0.0f));
			if (isnan(e))
				return e; /* no later finite error may hide it */
			if (e > worst)
				worst = e;
		}
	}
	return worst;
}

float np_mat3_det(const struct np_mat3 *r)
{
	const float(*m)[3] = r->m;
	return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
	       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
	       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

int np_mount_compute(const struct np_mount_limits *l, const struct np_cal_stats *supine,
		     const struct np_cal_stats *left, struct np_mount *m,
		     enum np_cal_problem *problem, int *which)
{
	enum np_cal_problem p = NP_CAL_OK;
	int w = 0;

	memset(m, 0, sizeof *m);
	np_mat3_identity(&m->r);
	if (!l || !supine || !left)
		return NP_ERR_ARG;
	if ((p = np_mount_check_window(l, supine)) != NP_CAL_OK) {
		w = 0;
		goto fail;
	}
	if ((p = np_mount_check_window(l, left)) != NP_CAL_OK) {
		w = 1;
		goto fail;
	}
	m->angle_deg = np_vec3_angle_deg(supine->mean, left->mean);
	if (!(m->angle_deg >= l->min_angle_deg && m->angle_deg <= l->max_angle_deg)) {
		p = NP_CAL_NOT_SQUARE;
		w = 2;
		goto fail;
	}
	struct np_vec3 z = scale3(supine->mean, 1.0f / np_vec3_norm(supine->mean));
	struct np_vec3 y = scale3(left->mean, -1.0f);
	y = (struct np_vec3){ y.x - dot3(y, z) * z.x, y.y - dot3(y, z) * z.y, y.z - dot3(y, z) * z.z };
	y = scale3(y, 1.0f / np_vec3_norm(y));
	struct np_vec3 x = cross3(y, z);
	float rows[3][3] = { { x.x, x.y, x.z }, { y.x, y.y, y.z }, { z.x, z.y, z.z } };
	memcpy(m->r.m, rows, sizeof rows);
	m->ortho_residual = np_mat3_ortho_residual(&m->r);
	/* The rotation's angle from its trace: tr(r) = 1 + 2 cos(angle). */
	float tr = m->r.m[0][0] + m->r.m[1][1] + m->r.m[2][2];
	float ct = (tr - 1.0f) / 2.0f;
	m->turn_deg = acosf(ct > 1.0f ? 1.0f : ct < -1.0f ? -1.0f : ct) * 57.29577951308232f;
	if (problem)
		*problem = NP_CAL_OK;
	if (which)
		*which = 0;
	return NP_OK;
fail:
	if (problem)
		*problem = p;
	if (which)
		*which = w;
	return NP_ERR_RANGE;
}

/* --- Autocalibration ------------------------------------------------------------ */

const char *np_autocal_status_text(enum np_autocal_status s)
{
	switch (s) {
	case NP_AUTOCAL_APPLIED:
		return "applied";
	case NP_AUTOCAL_TOO_FEW:
		return "too few still periods";
	case NP_AUTOCAL_SPREAD:
		return "still periods do not cover enough orientations";
	case NP_AUTOCAL_NO_GAIN:
		return "fit did not improve the error enough";
	case NP_AUTOCAL_IMPLAUSIBLE:
		return "fit out of the plausible range";
	}
	return "unknown";
}

void np_autocal_identity(struct np_autocal *a)
{
	memset(a, 0, sizeof *a);
	a->status = NP_AUTOCAL_TOO_FEW;
	for (int k = 0; k < 3; k++)
		a->scale[k] = 1.0f;
}

bool np_autocal_has_error(const struct np_autocal *a)
{
	return a->applied || a->status != NP_AUTOCAL_TOO_FEW;
}

void np_autocal_describe(const struct np_autocal *a, char *out, size_t cap)
{
	const char *pl = a->n_points == 1 ? "" : "s";

	if (a->applied)
		snprintf(out, cap, "applied, error %.1f mg -> %.1f mg (%zu still period%s)",
			 (double)a->err_before_mg, (double)a->err_after_mg, a->n_points, pl);
	else if (!np_autocal_has_error(a))
		snprintf(out, cap, "not applied: %s (%zu of %u needed)", np_autocal_status_text(a->status),
			 a->n_points, NP_AUTOCAL_MIN_POINTS);
	else
		snprintf(out, cap, "not applied: %s, error %.1f mg (%zu still period%s)",
			 np_autocal_status_text(a->status), (double)a->err_before_mg, a->n_points, pl);
}

bool np_autocal_is_still(const struct np_cal_stats *s)
{
	if (s->n < 2)
		return false;
	for (int k = 0; k < 3; k++)
		if (!(s->sd_mg[k] < NP_AUTOCAL_STILL_SD_MG))
			return false;
	float mag = np_vec3_norm(s->mean);
	return mag > 0.5f && mag < 1.5f;
}

struct np_vec3 np_autocal_apply(const struct np_autocal *a, struct np_vec3 raw)
{
	struct np_vec3 r = { a->scale[0] * (raw.x + a->offset_g[0]), a->scale[1] * (raw.y + a->offset_g[1]),
			     a->scale[2] * (raw.z + a->offset_g[2]) };
	return r;
}

static double mean_abs_err_mg(const double (*p)[3], size_t n, const double off[3],
			      const double sc[3])
{
	double e = 0;
	for (size_t i = 0; i < n; i++) {
		double c[3];
		for (int k = 0; k < 3; k++)
			c[k] = sc[k] * (p[i][k] + off[k]);
		e += fabs(sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]) - 1.0);
	}
	return n ? e / (double)n * 1000.0 : 0.0;
}

#define SPHERE_CRITERION_G 0.3
#define AUTOCAL_MAX_ITER 1000
#define AUTOCAL_TARGET_MG 10.0

/* A fit outside these is not a calibration error but something else (GGIR's bounds). */
#define AUTOCAL_SCALE_MIN 0.8
#define AUTOCAL_SCALE_MAX 1.2
#define AUTOCAL_OFFSET_MAX_G 0.3

/* The points as doubles, unit weights; whether they reach past the sphere criterion
 * on both sides of every axis (else the fit is not defined). */
static bool load_points(const struct np_vec3 *points, size_t n, double (*p)[3], double *w)
{
	bool pos[3] = { false, false, false }, neg[3] = { false, false, false };
	for (size_t i = 0; i < n; i++) {
		p[i][0] = points[i].x;
		p[i][1] = points[i].y;
		p[i][2] = points[i].z;
		for (int k = 0; k < 3; k++) {
			pos[k] |= p[i][k] > SPHERE_CRITERION_G;
			neg[k] |= p[i][k] < -SPHERE_CRITERION_G;
		}
		w[i] = 1.0;
	}
	return pos[0] && neg[0] && pos[1] && neg[1] && pos[2] && neg[2];
}

/*
 * One step of GGIR's loop: move each corrected point to the nearest point on the unit
 * sphere, regress that target on the corrected value per axis (weighted), fold the
 * line into offset and scale, and down-weight points far from the sphere. *err gets
 * the mean distance to the sphere before the step. false when a regression is singular.
 */
static bool fit_step(const double (*p)[3], double *w, size_t n, double off[3], double sc[3],
		     double *err)
{
	double sw = 0, sx[3] = { 0 }, sy[3] = { 0 }, sxx[3] = { 0 }, sxy[3] = { 0 };
	*err = 0;
	for (size_t i = 0; i < n; i++) {
		double c[3];
		for (int k = 0; k < 3; k++)
			c[k] = sc[k] * (p[i][k] + off[k]);
		double norm = sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
		if (norm < 1e-9)
			continue;
		double d2 = 0;
		for (int k = 0; k < 3; k++) {
			double t = c[k] / norm;
			sx[k] += w[i] * c[k];
			sy[k] += w[i] * t;
			sxx[k] += w[i] * c[k] * c[k];
			sxy[k] += w[i] * c[k] * t;
			d2 += (c[k] - t) * (c[k] - t);
		}
		sw += w[i];
		*err += sqrt(d2);
		w[i] = 1.0 / fmax(sqrt(d2), 0.01); /* GGIR caps weights at 100 */
	}
	for (int k = 0; k < 3; k++) {
		double den = sw * sxx[k] - sx[k] * sx[k];
		if (fabs(den) < 1e-15)
			return false;
		double b = (sw * sxy[k] - sx[k] * sy[k]) / den;
		double c0 = (sy[k] - b * sx[k]) / sw;
		/* target = c0 + b * sc * (raw + off)  =>  new sc = b * sc,
		 * new off = off + c0 / (b * sc) */
		off[k] += c0 / (b * sc[k]);
		sc[k] *= b;
	}
	*err /= (double)n;
	return true;
}

/* Iterate fit_step() until the error settles; false when the fit breaks down. */
static bool fit_sphere(const double (*p)[3], double *w, size_t n, double off[3], double sc[3])
{
	double prev_err = 1e9, err;
	for (int it = 0; it < AUTOCAL_MAX_ITER; it++) {
		if (!fit_step(p, w, n, off, sc, &err))
			return false;
		if (fabs(prev_err - err) < 1e-9)
			break;
		prev_err = err;
	}
	return true;
}

/* Apply the fit to *a if it is plausible and better; otherwise say why not. */
static void accept_fit(struct np_autocal *a, const double (*p)[3], size_t n, const double off[3],
		       const double sc[3])
{
	double after = mean_abs_err_mg(p, n, off, sc);
	for (int k = 0; k < 3; k++) {
		if (!(sc[k] > AUTOCAL_SCALE_MIN && sc[k] < AUTOCAL_SCALE_MAX &&
		      fabs(off[k]) < AUTOCAL_OFFSET_MAX_G)) {
			a->status = NP_AUTOCAL_IMPLAUSIBLE;
			return;
		}
	}
	if (!(after < AUTOCAL_TARGET_MG && after < a->err_before_mg)) {
		a->status = NP_AUTOCAL_NO_GAIN;
		return;
	}
	for (int k = 0; k < 3; k++) {
		a->offset_g[k] = (float)off[k];
		a->scale[k] = (float)sc[k];
	}
	a->err_after_mg = (float)after;
	a->status = NP_AUTOCAL_APPLIED;
	a->applied = true;
}

int np_autocal_fit(const struct np_vec3 *points, size_t n, struct np_autocal *a)
{
	if (!a || (n && !points))
		return NP_ERR_ARG;
	np_autocal_identity(a);
	a->n_points = n;
	if (n < NP_AUTOCAL_MIN_POINTS)
		return NP_OK;

	double(*p)[3] = malloc(n * sizeof *p);
	double *w = malloc(n * sizeof *w);
	if (!p || !w) {
		free(p);
		free(w);
		return NP_ERR_NOMEM;
	}
	bool spread = load_points(points, n, p, w);
	double off[3] = { 0, 0, 0 }, sc[3] = { 1, 1, 1 };
	a->err_before_mg = a->err_after_mg = (float)mean_abs_err_mg((const double(*)[3])p, n, off, sc);
	a->status = NP_AUTOCAL_SPREAD;
	if (spread && fit_sphere((const double(*)[3])p, w, n, off, sc))
		accept_fit(a, (const double(*)[3])p, n, off, sc);
	free(p);
	free(w);
	return NP_OK;
}

/* Smallest rotation taking direction a to direction b (Rodrigues). */
static void rotation_between(struct np_vec3 a, struct np_vec3 b, struct np_mat3 *r)
{
	a = scale3(a, 1.0f / np_vec3_norm(a));
	b = scale3(b, 1.0f / np_vec3_norm(b));
	struct np_vec3 k = cross3(a, b);
	float s = np_vec3_norm(k), c = dot3(a, b);
	np_mat3_identity(r);
	if (s < 1e-6f) {
		if (c > 0)
			return;
		/* Opposite directions: half a turn about any axis perpendicular to a. */
		struct np_vec3 ref = fabsf(a.x) < 0.9f ? (struct np_vec3){ 1, 0, 0 } : (struct np_vec3){ 0, 1, 0 };
		k = cross3(a, ref);
		k = scale3(k, 1.0f / np_vec3_norm(k));
		float kv[3] = { k.x, k.y, k.z };
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				r->m[i][j] = 2.0f * kv[i] * kv[j] - (i == j ? 1.0f : 0.0f);
		return;
	}
	k = scale3(k, 1.0f / s);
	float K[3][3] = { { 0, -k.z, k.y }, { k.z, 0, -k.x }, { -k.y, k.x, 0 } };
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++) {
			float k2 = 0;
			for (int l = 0; l < 3; l++)
				k2 += K[i][l] * K[l][j];
			r->m[i][j] += s * K[i][j] + (1.0f - c) * k2;
		}
	}
}

static void triad(struct np_vec3 v1, struct np_vec3 v2, struct np_vec3 t[3])
{
	t[0] = scale3(v1, 1.0f / np_vec3_norm(v1));
	t[1] = cross3(v1, v2);
	t[1] = scale3(t[1], 1.0f / np_vec3_norm(t[1]));
	t[2] = cross3(t[0], t[1]);
}

#define ALIGN_MIN_ANGLE_DEG 10.0f

int np_mount_align(struct np_vec3 a1, struct np_vec3 a2, struct np_vec3 b1, struct np_vec3 b2,
		   struct np_mount *m)
{
	memset(m, 0, sizeof *m);
	np_mat3_identity(&m->r);
	if (!(np_vec3_norm(a1) > 0.1f) || !(np_vec3_norm(b1) > 0.1f))
		return NP_ERR_RANGE;
	m->angle_deg = np_vec3_angle_deg(a1, a2);
	if (!(m->angle_deg >= ALIGN_MIN_ANGLE_DEG) || !(np_vec3_angle_deg(b1, b2) >= ALIGN_MIN_ANGLE_DEG)) {
		rotation_between(a1, b1, &m->r);
	} else {
		struct np_vec3 ta[3], tb[3];
		triad(a1, a2, ta);
		triad(b1, b2, tb);
		float av[3][3] = { { ta[0].x, ta[0].y, ta[0].z }, { ta[1].x, ta[1].y, ta[1].z },
				   { ta[2].x, ta[2].y, ta[2].z } };
		float bv[3][3] = { { tb[0].x, tb[0].y, tb[0].z }, { tb[1].x, tb[1].y, tb[1].z },
				   { tb[2].x, tb[2].y, tb[2].z } };
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				m->r.m[i][j] = bv[0][i] * av[0][j] + bv[1][i] * av[1][j] + bv[2][i] * av[2][j];
	}
	m->ortho_residual = np_mat3_ortho_residual(&m->r);
	return NP_OK;
}
