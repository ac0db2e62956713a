#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_array.h"
#include "np_err.h"
#include "np_night_cal.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double np_night_rate_hz(const struct np_night *night, unsigned sensor)
{
	if (night->header.hello.rate_millihz > 0)
		return night->header.hello.rate_millihz / 1000.0;
	if (sensor >= NP_SENSORS_MAX)
		return 0.0;
	const struct np_series *s = &night->sensor[sensor];
	if (s->n < 2)
		return 0.0;
	/* Irregular sampling (e.g. one row per RFID read): the median interval is the
	 * rate the sensor delivers when it delivers; long gaps do not pull it down. */
	size_t m = s->n - 1 < 200000 ? s->n - 1 : 200000;
	double *d = malloc(m * sizeof *d);
	if (!d)
		return 0.0;
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		double dt = s->v[i + 1].t_s - s->v[i].t_s;
		if (dt > 0)
			d[k++] = dt;
	}
	double rate = 0.0;
	if (k > 0) {
		qsort(d, k, sizeof *d, cmp_double);
		rate = 1.0 / d[k / 2];
	}
	free(d);
	return rate;
}

static struct np_vec3 sample_vec(const struct np_sample_g *s)
{
	struct np_vec3 v = { s->x, s->y, s->z };
	return v;
}

static int push_vec(struct np_vec3 **v, size_t *n, size_t *cap, struct np_vec3 x)
{
	int rc = np_array_reserve((void **)v, cap, *n + 1, sizeof **v);
	if (rc == NP_OK)
		(*v)[(*n)++] = x;
	return rc;
}

int np_night_autocal(const struct np_night *night, unsigned sensor, struct np_autocal *a)
{
	np_autocal_identity(a);
	if (sensor >= night->sensor_count)
		return NP_OK;
	const struct np_series *s = &night->sensor[sensor];
	struct np_vec3 *win = NULL, *pts = NULL;
	size_t win_cap = 0, n_pts = 0, pts_cap = 0;
	int rc = NP_OK;

	size_t i = 0;
	while (i < s->n) {
		double w0 = floor(s->v[i].t_s / NP_AUTOCAL_WINDOW_S) * NP_AUTOCAL_WINDOW_S;
		size_t j = i, nw = 0;
		for (; j < s->n && s->v[j].t_s < w0 + NP_AUTOCAL_WINDOW_S; j++)
			if ((rc = push_vec(&win, &nw, &win_cap, sample_vec(&s->v[j]))) != NP_OK)
				goto out;
		struct np_cal_stats st;
		np_cal_stats_compute(win, nw, NP_AUTOCAL_WINDOW_S, &st);
		if (np_autocal_is_still(&st) && (rc = push_vec(&pts, &n_pts, &pts_cap, st.mean)) != NP_OK)
			goto out;
		i = j;
	}
	rc = np_autocal_fit(pts, n_pts, a);
out:
	free(win);
	free(pts);
	return rc;
}

static int window_stats(const struct np_series *s, const struct np_body_pipeline *p, double t0, double t1,
			struct np_cal_stats *st)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->v[i].t_s >= t0 && s->v[i].t_s < t1;
	struct np_vec3 *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return NP_ERR_NOMEM;
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].t_s >= t0 && s->v[i].t_s < t1)
			v[k++] = np_body_pipeline_apply(p, &s->v[i]);
	np_cal_stats_compute(v, k, t1 - t0, st);
	free(v);
	return NP_OK;
}

static void window_rec(struct np_cal_window_rec *w, double t0, double t1, const struct np_cal_stats *s)
{
	w->start_s = t0;
	w->end_s = t1;
	w->samples = s->n;
	w->mean_g = s->mean;
	w->sd_mg = s->sd_vec_mg;
}

int np_night_calibrate(const struct np_night *night, double sup_t0, double sup_t1, double left_t0,
		       double left_t1, struct np_calfile *cal, enum np_cal_problem *problem, int *which)
{
	struct np_mount_limits lim;
	struct np_cal_stats st_sup, st_left;
	struct np_body_pipeline p;
	int rc;

	memset(cal, 0, sizeof *cal);
	cal->version = NP_CALFILE_VERSION;
	snprintf(cal->device_serial, sizeof cal->device_serial, "%s", night->header.hello.serial);
	np_mount_limits_default(&lim);
	np_mat3_identity(&p.r);

	if ((rc = np_night_autocal(night, 0, &cal->autocal)) != NP_OK)
		return rc;
	p.ac = cal->autocal;
	if ((rc = window_stats(&night->sensor[0], &p, sup_t0, sup_t1, &st_sup)) != NP_OK ||
	    (rc = window_stats(&night->sensor[0], &p, left_t0, left_t1, &st_left)) != NP_OK)
		return rc;
	window_rec(&cal->supine, sup_t0, sup_t1, &st_sup);
	window_rec(&cal->left, left_t0, left_t1, &st_left);
	rc = np_mount_compute(&lim, &st_sup, &st_left, &cal->chest, problem, which);
	if (rc != NP_OK)
		return rc;

	/* The leg sensor is aligned to the trunk in the same two postures (legs straight
	 * in both), so its tilt reads about 0 there. Its own two gravity directions are
	 * often close (the ankle hardly rolls when the trunk turns), so it cannot have a
	 * Gram-Schmidt frame of its own; a window the leg cannot use leaves it uncalibrated. */
	if (night->sensor_count > 1 && night->sensor[1].n > 0) {
		struct np_cal_stats ls, ll;
		if ((rc = np_night_autocal(night, 1, &p.ac)) != NP_OK)
			return rc;
		if ((rc = window_stats(&night->sensor[1], &p, sup_t0, sup_t1, &ls)) != NP_OK ||
		    (rc = window_stats(&night->sensor[1], &p, left_t0, left_t1, &ll)) != NP_OK)
			return rc;
		if (np_mount_check_window(&lim, &ls) == NP_CAL_OK &&
		    np_mount_check_window(&lim, &ll) == NP_CAL_OK)
			cal->has_second = np_mount_align(ls.mean, ll.mean,
							 np_mat3_apply(&cal->chest.r, st_sup.mean),
							 np_mat3_apply(&cal->chest.r, st_left.mean),
							 &cal->second) == NP_OK;
	}
	return NP_OK;
}
