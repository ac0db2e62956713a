#include "np_sleep.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"

/* R's pi and M_LOG10_2 (Rmath.h); C11 without XSI has no M_PI. */
#define R_PI 3.141592653589793238462643383280
#define R_LOG10_2 0.301029995663981195213738894724
#define DEG_PER_RAD_DIV (R_PI / 180.0) /* g.applymetrics divides by (pi/180) */

/* ---------------------------------------------------------------- R helpers */

/* R >= 4.0.0 src/nmath/fround.c: pick the nearer of the two decimal neighbours. */
double np_sleep_r_round(double x, int digits)
{
	if (isnan(x) || !isfinite(x) || x == 0.0)
		return x;
	if (digits == 0)
		return nearbyint(x);
	double sgn = 1.0;
	if (x < 0.0) {
		sgn = -1.0;
		x = -x;
	}
	if ((double)digits + (logb(x) + 0.5) * R_LOG10_2 > DBL_DIG)
		return sgn * x;
	double p10 = 1.0;
	for (int i = 0; i < (digits < 0 ? -digits : digits); i++)
		p10 *= 10.0;
	if (digits < 0)
		p10 = 1.0 / p10;
	double x10 = p10 * x, i10 = floor(x10);
	double xd = i10 / p10, xu = ceil(x10) / p10;
	double du = xu - x, dd = x - xd;
	return sgn * ((du < dd || (du == dd && fmod(i10, 2.0) == 1.0)) ? xu : xd);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* R quantile.default type 7: qs = (1 - h) * x[lo] + h * x[hi] when x[hi] != x[lo]. */
double np_sleep_quantile7(double *x, size_t n, double p)
{
	if (n == 0)
		return 0.0;
	qsort(x, n, sizeof *x, cmp_double);
	double index = 1.0 + (double)(n - 1) * p;
	double lo = floor(index), hi = ceil(index);
	double qs = x[(size_t)lo - 1];
	double xhi = x[(size_t)hi - 1];
	if (index > lo && xhi != qs) {
		double h = index - lo;
		qs = (1.0 - h) * qs + h * xhi;
	}
	return qs;
}

/* Sorted sliding window for exact running medians. */
struct sorted_win {
	double *v;
	size_t n;
};

static size_t lower_bound(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void win_insert(struct sorted_win *w, double x)
{
	size_t i = lower_bound(w->v, w->n, x);
	memmove(w->v + i + 1, w->v + i, (w->n - i) * sizeof *w->v);
	w->v[i] = x;
	w->n++;
}

static void win_remove(struct sorted_win *w, double x)
{
	size_t i = lower_bound(w->v, w->n, x);
	memmove(w->v + i, w->v + i + 1, (w->n - i - 1) * sizeof *w->v);
	w->n--;
}

/*
 * zoo::rollapply(x, width = k, FUN = median, fill = 0) with the default centre
 * alignment: position i uses x[i - (k - 1) / 2 ... i + k / 2] (offsets -29..30 for
 * k = 60, checked against zoo 1.8-11); positions without a full window get 0, and
 * so does everything when n < k. k must be odd for an element median, so callers
 * pass the odd count of values actually in the window.
 */
static int rolling_median_fill0(const double *x, size_t n, size_t k, size_t left, double *out)
{
	memset(out, 0, n * sizeof *out);
	if (k == 0 || n < k)
		return NP_OK;
	struct sorted_win w = { malloc(k * sizeof(double)), 0 };
	if (!w.v)
		return NP_ERR_NOMEM;
	for (size_t i = 0; i < k; i++)
		win_insert(&w, x[i]);
	for (size_t s = 0;; s++) {
		out[s + left] = w.v[k / 2];
		if (s + k >= n)
			break;
		win_remove(&w, x[s]);
		win_insert(&w, x[s + k]);
	}
	free(w.v);
	return NP_OK;
}

/* R's cumsum() accumulates in long double and stores each prefix as a double. */
static void cumsum0(const double *x, size_t n, double *c)
{
	long double s = 0.0L;
	c[0] = 0.0;
	for (size_t i = 0; i < n; i++) {
		s += x[i];
		c[i + 1] = (double)s;
	}
}

/* ---------------------------------------------------------------- 1. anglez */

size_t np_sleep_epoch_count(size_t n_samples, double rate_hz, double epoch_s)
{
	if (rate_hz <= 0 || epoch_s <= 0)
		return 0;
	/* seq(1, length(x2), by = sf * epochsize): as.integer(del / by + 1e-10) steps. */
	return (size_t)((double)n_samples / (rate_hz * epoch_s) + 1e-10);
}

/*
 * g.applymetrics process_axes(filtertype = "rollmedian") for one axis. out has n
 * values. Returns NP_ERR_RANGE where GGIR's tail repair would index below 1.
 */
static int rollmed_axis(const float *x, size_t n, double sf, double *out)
{
	/* stepsize = max(c(floor(sf / 10), 1)); newsf = 10 when decimating, else sf. */
	size_t step = (size_t)fmax(floor(sf / 10.0), 1.0);
	double newsf = step > 1 ? 10.0 : sf;
	/* winsi = round(newsf * 5), made odd. */
	size_t k = (size_t)nearbyint(newsf * 5.0);
	if (k % 2 == 0)
		k++;
	size_t m = (n + step - 1) / step;
	int rc = NP_OK;
	/* "replace zeros": S2check = max(c(sf * 60, 1000)), with the original sf. GGIR
	 * indexes xm[(LN - S2check):LN] before it looks at LN > LX, so check first. */
	double s2 = fmax(sf * 60.0, 1000.0);
	double a = (double)m - s2;
	if (a <= -1.0)
		return NP_ERR_RANGE;

	if (m * step > n) {
		/* LN > LX: GGIR's rollmed() returns x[1:LX], the raw signal. */
		for (size_t i = 0; i < n; i++)
			out[i] = x[i];
		return NP_OK;
	}
	double *dec = malloc(2 * (m ? m : 1) * sizeof *dec);
	if (!dec)
		return NP_ERR_NOMEM;
	double *xm = dec + m;
	/* x[seq(1, length(x), by = stepsize)]: keeps samples 0, step, 2 step, ... */
	for (size_t i = 0; i < m; i++)
		dec[i] = x[i * step];
	/* zoo::rollmedian(k = winsi, fill = c(0, 0, 0)): centred, zeros at both ends. */
	if ((rc = rolling_median_fill0(dec, m, k, (k - 1) / 2, xm)) != NP_OK)
		goto out;

	size_t head = (size_t)floor(s2);
	if (head > m)
		head = m;
	double first = NAN;
	for (size_t i = 0; i < head; i++)
		if (xm[i] != 0.0 && !isnan(xm[i])) {
			first = xm[i];
			break;
		}
	for (size_t i = 0; i < head; i++)
		if (xm[i] == 0.0)
			xm[i] = first;
	/* Tail: xm[(LN - S2check):LN], i.e. S2check + 1 values when S2check is whole. */
	size_t cnt = (size_t)floor(s2) + 1;
	double last = NAN;
	for (size_t t = 0; t < cnt; t++) {
		size_t idx1 = (size_t)trunc(a + (double)t); /* R truncates real subscripts */
		if (idx1 == 0 || idx1 > m)
			continue;
		if (xm[idx1 - 1] != 0.0 && !isnan(xm[idx1 - 1])) {
			last = xm[idx1 - 1];
			break;
		}
	}
	if (isnan(last))
		for (size_t i = 0; i < m; i++)
			if (xm[i] != 0.0 && !isnan(xm[i])) {
				last = xm[i];
				break;
			}
	for (size_t t = 0; t < cnt; t++) {
		size_t idx1 = (size_t)trunc(a + (double)t);
		if (idx1 == 0 || idx1 > m)
			continue;
		if (xm[idx1 - 1] == 0.0)
			xm[idx1 - 1] = last;
	}
	/* rep(xm, each = stepsize): LN == LX here. */
	for (size_t i = 0; i < n; i++)
		out[i] = xm[i / step];
out:
	free(dec);
	return rc;
}

/* NA repair in process_axes(): NAs take the axis's last non-NA value. */
static void fill_na_last(double *v, size_t n)
{
	double last = NAN;
	for (size_t i = n; i-- > 0;)
		if (!isnan(v[i])) {
			last = v[i];
			break;
		}
	for (size_t i = 0; i < n; i++)
		if (isnan(v[i]))
			v[i] = last;
}

int np_sleep_anglez(const float *x_g, const float *y_g, const float *z_g, size_t n,
		    double rate_hz, double epoch_s, bool round4, double *anglez_deg, size_t cap,
		    size_t *n_epochs)
{
	if (n_epochs)
		*n_epochs = 0;
	if (!x_g || !y_g || !z_g || !anglez_deg || !n_epochs || !(rate_hz > 0) || !(epoch_s > 0))
		return NP_ERR_ARG;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x_g[i]) || !isfinite(y_g[i]) || !isfinite(z_g[i]))
			return NP_ERR_ARG;
	size_t ne = np_sleep_epoch_count(n, rate_hz, epoch_s);
	if (cap < ne)
		return NP_ERR_NOSPACE;
	if (ne == 0)
		return NP_OK;

	double *buf = malloc((4 * n + 1) * sizeof *buf);
	if (!buf)
		return NP_ERR_NOMEM;
	double *mx = buf, *my = buf + n, *mz = buf + 2 * n, *c = buf + 3 * n;
	int rc;
	if ((rc = rollmed_axis(x_g, n, rate_hz, mx)) != NP_OK ||
	    (rc = rollmed_axis(y_g, n, rate_hz, my)) != NP_OK ||
	    (rc = rollmed_axis(z_g, n, rate_hz, mz)) != NP_OK)
		goto out;
	bool any_na = false;
	for (size_t i = 0; i < n && !any_na; i++)
		any_na = isnan(mx[i]) || isnan(my[i]) || isnan(mz[i]);
	if (any_na) {
		fill_na_last(mx, n);
		fill_na_last(my, n);
		fill_na_last(mz, n);
	}
	/* anglez = atan(z / sqrt(x^2 + y^2)) / (pi / 180), per sample; reuse mx. */
	for (size_t i = 0; i < n; i++)
		mx[i] = atan(mz[i] / sqrt(mx[i] * mx[i] + my[i] * my[i])) / DEG_PER_RAD_DIV;
	/* averagePerEpoch: diff(x2[round(select)]) / abs(diff(round(select))). */
	cumsum0(mx, n, c);
	double by = rate_hz * epoch_s, prev = 1.0;
	for (size_t k = 0; k < ne; k++) {
		double s = fmin(1.0 + (double)(k + 1) * by, (double)n + 1.0);
		double r0 = nearbyint(prev), r1 = nearbyint(s);
		double v = (c[(size_t)r1 - 1] - c[(size_t)r0 - 1]) / fabs(r1 - r0);
		anglez_deg[k] = round4 ? np_sleep_r_round(v, 4) : v;
		prev = s;
	}
	*n_epochs = ne;
out:
	free(buf);
	return rc;
}

/* ---------------------------------------------------------------- 2. non-wear */

void np_nonwear_cfg_default(struct np_nonwear_cfg *cfg)
{
	cfg->block_s = NP_SLEEP_BLOCK_S;
	cfg->window_s = NP_SLEEP_NONWEAR_WINDOW_S;
	cfg->sd_crit_g = 0.013;   /* get_nw_clip_block_params: sdcriter */
	cfg->range_crit_g = 0.15; /* get_nw_clip_block_params: racriter */
	cfg->clip_g = 7.5;        /* get_nw_clip_block_params: clipthres */
	cfg->threshold = 2;       /* g.part2/g.impute: wearthreshold = 2 */
}

/* R's sd(): two-pass mean refined once, long double sums (src/library/stats/src/cov.c). */
static double r_sd(const float *v, size_t from, size_t to)
{
	size_t n = to - from;
	if (n < 2)
		return NAN;
	long double s = 0.0L;
	for (size_t i = from; i < to; i++)
		s += v[i];
	long double mean = s / (long double)n;
	if (isfinite((double)mean)) {
		s = 0.0L;
		for (size_t i = from; i < to; i++)
			s += ((long double)v[i] - mean);
		mean = mean + s / (long double)n;
	}
	double xm = (double)mean;
	long double ss = 0.0L;
	for (size_t i = from; i < to; i++) {
		double d = (double)v[i] - xm; /* COV_SUM_UPDATE: double product, long double sum */
		ss += d * d;
	}
	return sqrt((double)(ss / (long double)(n - 1)));
}

static bool whole(double v)
{
	return v > 0 && v == floor(v);
}

int np_sleep_nonwear_2013(const float *x_g, const float *y_g, const float *z_g, size_t n,
			  double rate_hz, const struct np_nonwear_cfg *cfg, uint8_t *nonwear_score,
			  double *clip_frac, size_t cap, size_t *n_blocks)
{
	if (n_blocks)
		*n_blocks = 0;
	if (!x_g || !y_g || !z_g || !cfg || !n_blocks || !(rate_hz > 0))
		return NP_ERR_ARG;
	double w2d = cfg->block_s * rate_hz, wd = cfg->window_s * rate_hz;
	if (!whole(w2d) || !whole(wd))
		return NP_ERR_UNSUPP;
	size_t w2 = (size_t)w2d, w = (size_t)wd;
	size_t nmin = n / w2; /* nmin = floor(nrow(data) / window2) */
	if (cap < nmin)
		return NP_ERR_NOSPACE;
	if (nmin > 0 && n < w) /* GGIR needs a chunk of at least ws (g.getmeta: LD >= ws * sf) */
		return NP_ERR_RANGE;
	const float *ax[3] = { x_g, y_g, z_g };
	double crit = (wd / w2d) / 2.0 + 1.0; /* crit = ((window / window2) / 2) + 1 */
	uint8_t *score = malloc(nmin ? nmin : 1);
	if (!score)
		return NP_ERR_NOMEM;

	for (size_t h = 1; h <= nmin; h++) {
		double hd = (double)h, hoc1, hoc2;
		if (hd <= crit) {
			hoc1 = 1;
			hoc2 = wd;
		} else if (hd >= (double)nmin - crit) {
			hoc1 = ((double)nmin - crit) * w2d;
			hoc2 = (double)nmin * w2d;
		} else {
			hoc1 = ((hd - 1) * w2d + w2d * 0.5) - wd * 0.5;
			hoc2 = ((hd - 1) * w2d + w2d * 0.5) + wd * 0.5;
		}
		/* indices (1 + hoc1):hoc2, 1-based -> [hoc1, hoc2) 0-based (hoc1 == 1 skips sample 1) */
		size_t i0 = (size_t)hoc1, i1 = (size_t)hoc2;
		if (i1 > n)
			i1 = n;
		unsigned nw = 0;
		double cw = 0;
		for (int a = 0; a < 3; a++) {
			const float *v = ax[a];
			/* Clipping on the block itself: (1 + cliphoc1):cliphoc2. */
			size_t c0 = (h - 1) * w2, above = 0;
			bool wild = false;
			for (size_t i = c0; i < c0 + w2; i++)
				if (fabs((double)v[i]) > cfg->clip_g) {
					above++;
					wild |= fabs((double)v[i]) > cfg->clip_g * 1.5;
				}
			double frac = wild ? 1.0 : (double)above / w2d;
			if (frac > cw)
				cw = frac;
			if (i0 >= i1)
				continue;
			double mx = v[i0], mn = v[i0];
			for (size_t i = i0; i < i1; i++) {
				mx = fmax(mx, v[i]);
				mn = fmin(mn, v[i]);
			}
			/* absrange < racriter, then sd < sdcriter: both needed per axis. */
			if (fabs(mx - mn) < cfg->range_crit_g && r_sd(v, i0, i1) < cfg->sd_crit_g)
				nw++;
		}
		score[h - 1] = (uint8_t)nw;
		if (clip_frac)
			clip_frac[h - 1] = cw;
	}
	/* "single 1's surrounded by 2's or 3's --> 2", using the already updated left value. */
	for (size_t i = 1; i + 1 < nmin; i++)
		if (score[i] == 1 && score[i - 1] > 1 && score[i + 1] > 1)
			score[i] = 2;
	if (nonwear_score)
		memcpy(nonwear_score, score, nmin);
	free(score);
	*n_blocks = nmin;
	return NP_OK;
}

int np_sleep_invalid_blocks(const uint8_t *nonwear_score, const double *clip_frac,
			    size_t n_blocks, unsigned threshold, uint8_t *invalid)
{
	if ((!nonwear_score || !invalid) && n_blocks > 0)
		return NP_ERR_ARG;
	for (size_t i = 0; i < n_blocks; i++)
		/* g.weardec: nonwearscore >= wearthreshold; clipsig > 0.3 */
		invalid[i] = nonwear_score[i] >= threshold || (clip_frac && clip_frac[i] > 0.3);
	return NP_OK;
}

int np_sleep_blocks_to_epochs(const uint8_t *block_flag, size_t n_blocks, double block_s,
			      double epoch_s, uint8_t *epoch_flag, size_t n_epochs)
{
	if ((!block_flag && n_blocks > 0) || (!epoch_flag && n_epochs > 0) || !(epoch_s > 0))
		return NP_ERR_ARG;
	double per = block_s / epoch_s;
	if (!whole(per))
		return NP_ERR_UNSUPP;
	size_t p = (size_t)per;
	for (size_t i = 0; i < n_epochs; i++)
		epoch_flag[i] = i / p < n_blocks ? (block_flag[i / p] != 0) : 0;
	return NP_OK;
}

/* ---------------------------------------------------------------- 3. SIB */

/* g.sib.det fix_NA_invector(): NA anglez -> 0. */
static double ang(const double *a, size_t i)
{
	return isnan(a[i]) ? 0.0 : a[i];
}

int np_sleep_sib(const double *anglez_deg, size_t n, double epoch_s, double angle_deg,
		 double time_min, uint8_t *sib)
{
	if ((!anglez_deg || !sib) && n > 0)
		return NP_ERR_ARG;
	if (!(epoch_s > 0))
		return NP_ERR_ARG;
	if (n == 0)
		return NP_OK;
	memset(sib, 0, n);
	/* postch = which(abs(diff(anglez)) > j): 0-based k for the change a[k] -> a[k + 1]. */
	size_t *post = malloc(n * sizeof *post);
	if (!post)
		return NP_ERR_NOMEM;
	size_t np = 0;
	for (size_t k = 0; k + 1 < n; k++)
		if (fabs(ang(anglez_deg, k + 1) - ang(anglez_deg, k)) > angle_deg)
			post[np++] = k;
	double gap = time_min * (60.0 / epoch_s);
	size_t nq = 0;
	if (np > 1)
		for (size_t g = 0; g + 1 < np; g++)
			if ((double)(post[g + 1] - post[g]) > gap) {
				/* sdl1[postch[q1]:postch[q1 + 1]] = 1, both ends included */
				memset(sib + post[g], 1, post[g + 1] - post[g] + 1);
				nq++;
			}
	/* No bout: fewer than 10 changes is "possibly a day without wearing" (all 1). */
	if (nq == 0 && np < 10)
		memset(sib, 1, n);
	free(post);
	return NP_OK;
}

/* ---------------------------------------------------------------- 4. SPT */

void np_spt_cfg_default(struct np_spt_cfg *cfg)
{
	cfg->epoch_s = NP_SLEEP_EPOCH_S;
	cfg->block_min = 30;   /* g.sib.det: sptblocksize = 30 */
	cfg->max_gap_min = 60; /* g.sib.det: spt_max_gap = 60 */
	cfg->perc = 10;        /* HASPT: HDCZA_threshold = c(10, 15) */
	cfg->mult = 15;
	cfg->thr_min = 0.13;   /* HASPT clamps */
	cfg->thr_max = 0.50;
	cfg->fixed_threshold = NAN;
	cfg->invalid_mode = NP_SPT_INVALID_IGNORE; /* params_sleep HASPT.ignore.invalid = FALSE */
}

/* Runs of v[i] != 0 as R's diff(c(0, v, 0)): start 0-based, length. */
struct run {
	size_t start, len;
};

static size_t find_runs(const uint8_t *v, size_t n, struct run *r)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		if (!v[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && v[j])
			j++;
		r[k].start = i;
		r[k].len = j - i;
		k++;
		i = j;
	}
	return k;
}

/* The no-movement flags with invalid epochs counted as HASPT's invalid mode says;
 * returns how many epochs are invalid. */
static size_t nomov_with_invalid(const uint8_t *nomov_in, const uint8_t *invalid, size_t n,
				 enum np_spt_invalid mode, uint8_t *nomov)
{
	size_t n_invalid = 0;
	for (size_t i = 0; i < n; i++) {
		bool inv = invalid && invalid[i] == 1;
		n_invalid += inv;
		bool nm = nomov_in[i] != 0;
		if (mode == NP_SPT_INVALID_NOMOVEMENT)
			nm = nm || inv;
		else if (mode == NP_SPT_INVALID_MOVEMENT)
			nm = nm && !inv;
		nomov[i] = nm;
	}
	return n_invalid;
}

/* sptblock = which((e1 - s1) > ((60 / ws3) * sptblocksize)): strictly longer blocks go
 * into in[] (inspttime), each one epoch longer (e2 is one past the run). Returns how many;
 * *len_in: inspttime's length. */
static size_t mark_blocks(const uint8_t *nomov, size_t n, const struct np_spt_cfg *cfg,
			  struct run *r, uint8_t *in, size_t *len_in)
{
	double per_min = 60.0 / cfg->epoch_s;
	size_t nr = find_runs(nomov, n, r), blocks = 0;
	*len_in = n;
	for (size_t k = 0; k < nr; k++) {
		if (!((double)r[k].len > per_min * cfg->block_min))
			continue;
		memset(in + r[k].start, 1, r[k].len + 1);
		if (r[k].start + r[k].len + 1 > *len_in)
			*len_in = r[k].start + r[k].len + 1;
		blocks++;
	}
	return blocks;
}

/* Gaps: runs of !in over inspttime's length; leading and trailing ones are kept, and
 * outofsptblock = which((e3 - s3) < ((60 / ws3) * spt_max_gap)) fills s4:e4. */
static void fill_gaps(uint8_t *in, uint8_t *out, size_t len_in, size_t n,
		      const struct np_spt_cfg *cfg, struct run *r)
{
	double per_min = 60.0 / cfg->epoch_s;
	for (size_t i = 0; i < len_in; i++)
		out[i] = !in[i];
	size_t nr = find_runs(out, len_in, r);
	for (size_t k = 0; k < nr; k++) {
		if (r[k].start == 0 || r[k].start + r[k].len + 1 > n)
			continue; /* s3[1] == 1 dropped; e3[last] > length(x) dropped */
		if ((double)r[k].len < per_min * cfg->max_gap_min) {
			size_t end = r[k].start + r[k].len + 1;
			memset(in + r[k].start, 1, (end > len_in ? len_in : end) - r[k].start);
		}
	}
}

/* Cut to length(x), then the longest run; ties: longestinspt[ceiling(k / 2)].
 * SPTE_start = s5 - 1, SPTE_end = e5 - 1; if (SPTE_start == 0) SPTE_start = 1. */
static void longest_block(const uint8_t *in, size_t n, struct run *r, struct np_spt *spt)
{
	size_t nr = find_runs(in, n, r);
	size_t best = 0, nbest = 0;
	for (size_t k = 0; k < nr; k++)
		if (r[k].len > best)
			best = r[k].len;
	for (size_t k = 0; k < nr; k++)
		nbest += r[k].len == best;
	size_t pick = (nbest + 1) / 2, seen = 0;
	for (size_t k = 0; k < nr; k++) {
		if (r[k].len != best || ++seen != pick)
			continue;
		spt->found = true;
		spt->start = r[k].start == 0 ? 1 : r[k].start;
		spt->end = r[k].start + r[k].len;
		return;
	}
}

int np_sleep_spt_from_nomov(const uint8_t *nomov_in, size_t n, const uint8_t *invalid,
			    const struct np_spt_cfg *cfg, struct np_spt *spt)
{
	if (!spt || !cfg || (!nomov_in && n > 0) || !(cfg->epoch_s > 0))
		return NP_ERR_ARG;
	memset(spt, 0, sizeof *spt);
	if (n == 0)
		return NP_OK;
	/* inspttime may grow to n + 1 (a block ending at the last epoch marks e2 = n + 1). */
	uint8_t *nomov = calloc(3 * (n + 1), 1);
	struct run *r = malloc((n + 2) * sizeof *r);
	if (!nomov || !r) {
		free(nomov);
		free(r);
		return NP_ERR_NOMEM;
	}
	uint8_t *in = nomov + (n + 1), *out = in + (n + 1);
	size_t n_invalid = nomov_with_invalid(nomov_in, invalid, n, cfg->invalid_mode, nomov);
	size_t len_in;
	size_t blocks = mark_blocks(nomov, n, cfg, r, in, &len_in);
	/* fraction_night_invalid = sum(invalid) / length(invalid) must be < 1. */
	if (blocks > 0 && n_invalid < n) {
		fill_gaps(in, out, len_in, n, cfg, r);
		longest_block(in, n, r, spt);
	}
	if (spt->found && cfg->invalid_mode == NP_SPT_INVALID_NOMOVEMENT && invalid) {
		/* spt_long[SPTE_start:SPTE_end] = 1 (1-based): 0-based start - 1 .. end - 1 */
		for (size_t i = spt->start - 1; i < spt->end && i < n; i++)
			spt->invalid_inside |= invalid[i] == 1;
	}
	free(nomov);
	free(r);
	return NP_OK;
}

int np_sleep_hdcza(const double *anglez_deg, size_t n, const uint8_t *invalid,
		   const struct np_spt_cfg *cfg, struct np_spt *spt, double *x_out)
{
	if (!spt || !cfg || (!anglez_deg && n > 0) || !(cfg->epoch_s > 0))
		return NP_ERR_ARG;
	memset(spt, 0, sizeof *spt);
	if (n == 0)
		return NP_OK;
	double *x = malloc((3 * n + 1) * sizeof *x);
	uint8_t *nomov = malloc(n);
	int rc = NP_OK;
	if (!x || !nomov) {
		rc = NP_ERR_NOMEM;
		goto out;
	}
	double *d = x + n, *sorted = d + n;
	/* k1 = 5 * (60 / ws3) angles per window; medabsdi = median(abs(diff(angle))). */
	size_t k1 = (size_t)(5.0 * (60.0 / cfg->epoch_s));
	for (size_t i = 0; i + 1 < n; i++)
		d[i] = fabs(ang(anglez_deg, i + 1) - ang(anglez_deg, i));
	if (k1 < 2 || (k1 - 1) % 2 == 0) {
		/* An even diff count would need R's mean of the middle two (ws3 = 60). */
		rc = NP_ERR_UNSUPP;
		goto out;
	}
	if (n < k1) {
		memset(x, 0, n * sizeof *x);
	} else {
		/* Window of k1 angles starting at s gives k1 - 1 diffs d[s .. s + k1 - 2];
		 * its result sits at s + (k1 - 1) / 2 (zoo centre alignment). */
		if ((rc = rolling_median_fill0(d, n - 1, k1 - 1, (k1 - 1) / 2, x)) != NP_OK)
			goto out;
		x[n - 1] = 0.0;
	}
	double thr;
	if (isnan(cfg->fixed_threshold)) {
		memcpy(sorted, x, n * sizeof *x);
		thr = np_sleep_quantile7(sorted, n, cfg->perc / 100.0) * cfg->mult;
		if (thr < cfg->thr_min)
			thr = cfg->thr_min;
		else if (thr > cfg->thr_max)
			thr = cfg->thr_max;
	} else {
		thr = cfg->fixed_threshold;
	}
	for (size_t i = 0; i < n; i++)
		nomov[i] = x[i] < thr; /* nomov[which(x < threshold)] = 1 */
	if ((rc = np_sleep_spt_from_nomov(nomov, n, invalid, cfg, spt)) != NP_OK)
		goto out;
	spt->threshold = thr;
	if (x_out)
		memcpy(x_out, x, n * sizeof *x);
out:
	free(x);
	free(nomov);
	return rc;
}

int np_sleep_lying_guider(const uint8_t *lying, size_t n, const uint8_t *invalid,
			  const struct np_spt_cfg *cfg, struct np_spt *spt)
{
	int rc = np_sleep_spt_from_nomov(lying, n, invalid, cfg, spt);
	if (rc == NP_OK)
		spt->threshold = 0;
	return rc;
}

/* ---------------------------------------------------------------- nights */

static long floor_div(long a, long b)
{
	long q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static long clock_of(long clock0_s, size_t i, double epoch_s)
{
	long t = clock0_s + (long)((double)i * epoch_s);
	return t - floor_div(t, 86400) * 86400;
}

/* g.sib.det's midnights: how many epochs read 00:00:00 and the first of them (1-based);
 * none: one dummy midnight at length(time). Returns whether it is the dummy. */
static bool find_midnights(long clock0_s, size_t n_epochs, double epoch_s, size_t *countmidn,
			   long *first_mid)
{
	size_t n_mid = 0;
	*first_mid = -1;
	for (size_t i = 0; i < n_epochs; i++)
		if (clock_of(clock0_s, i, epoch_s) == 0) {
			n_mid++;
			if (*first_mid < 0)
				*first_mid = (long)i + 1;
		}
	bool dummy = n_mid == 0;
	*countmidn = dummy ? 1 : n_mid;
	if (dummy)
		*first_mid = (long)n_epochs;
	return dummy;
}

/* first4am = grep("04:00:00", time[1:pmin(nD, n_ws3_perday + 1)])[1]: a recording that
 * starts before 04:00 of its first midnight's day gets a first window of its own. */
static size_t first_window(long clock0_s, size_t n_epochs, double epoch_s, long day,
			   size_t countmidn, long first_mid)
{
	for (size_t i = 0; i < n_epochs && i < (size_t)day + 1; i++)
		if (clock_of(clock0_s, i, epoch_s) == 4 * 3600)
			return (long)i + 1 < first_mid ? 0 : 1;
	return countmidn;
}

/* The 1-based epoch of the j-th midnight (j >= 1); *seen and *at carry the scan. */
static long nth_midnight(long clock0_s, double epoch_s, size_t j, size_t *seen, long *at)
{
	while (*seen < j) {
		if (clock_of(clock0_s, (size_t)*at, epoch_s) == 0)
			(*seen)++;
		(*at)++;
	}
	return *at;
}

/* Window [q1, q2] (1-based, GGIR's qqq1/qqq2) into a night, cut to the recording. */
static void set_window(struct np_sleep_night *nt, long q1, long q2, size_t n_epochs, long day)
{
	nt->skipped = q2 - q1 < 60; /* "skip night if it has less than 60 epochs" */
	if (q2 > (long)n_epochs)
		q2 = (long)n_epochs;
	if (q1 < 1)
		q1 = 1;
	nt->partial_first_day = q1 == 1 && q2 != day;
	if (nt->skipped || q2 < q1) {
		nt->start = nt->end = (size_t)(q1 - 1);
		nt->skipped = true;
		return;
	}
	nt->start = (size_t)(q1 - 1);
	nt->end = (size_t)q2;
}

int np_sleep_nights(long clock0_s, size_t n_epochs, double epoch_s, struct np_sleep_night *nights,
		    size_t cap, size_t *n_nights)
{
	if (n_nights)
		*n_nights = 0;
	if (!n_nights || !(epoch_s > 0) || (!nights && cap > 0))
		return NP_ERR_ARG;
	if (n_epochs == 0)
		return NP_OK;
	long half = (long)(12 * 3600 / epoch_s); /* twd = c(-12, 12) hours * (3600 / ws3) */
	long day = (long)(24 * 3600 / epoch_s);
	size_t countmidn;
	long first_mid;
	bool dummy = find_midnights(clock0_s, n_epochs, epoch_s, &countmidn, &first_mid);
	size_t midn_start = first_window(clock0_s, n_epochs, epoch_s, day, countmidn, first_mid);
	size_t total = countmidn - midn_start + 1;
	*n_nights = total;
	if (cap < total)
		return NP_ERR_NOSPACE;

	size_t out = 0, mid_seen = 0;
	long mid_i = 0;
	for (size_t j = midn_start; j <= countmidn; j++) {
		struct np_sleep_night *nt = &nights[out++];
		memset(nt, 0, sizeof *nt);
		long m = -1;
		if (j > 0)
			m = dummy ? (long)n_epochs : nth_midnight(clock0_s, epoch_s, j, &mid_seen, &mid_i);
		nt->number = (unsigned)(j - midn_start + 1);
		nt->midnight = m > 0 ? m - 1 : -1;
		if (j == 0)
			set_window(nt, 1, first_mid + (-half), n_epochs, day);
		else
			set_window(nt, m - half + 1, m + half, n_epochs, day);
	}
	return NP_OK;
}

/*
 * g.part4 convertHRsinceprevMN2Clocktime() without its wrap at 24 h: part 4 reads the
 * guider back from this HH:MM:SS text, so it is on whole seconds.
 */
static long hours_to_clock_s(double x)
{
	double hr = floor(x), mi = floor((x - hr) * 60.0);
	double se = nearbyint(((x - hr) - (mi / 60.0)) * 3600.0);
	if (se == 60) {
		mi += 1;
		se = 0;
	}
	if (mi == 60) {
		hr += 1;
		mi = 0;
	}
	return (long)(hr * 3600 + mi * 60 + se);
}

int np_sleep_night_spt(const double *anglez_deg, const uint8_t *invalid, size_t n,
		       long clock0_s, const struct np_spt_cfg *cfg, struct np_sleep_night *night)
{
	if (!anglez_deg || !cfg || !night || night->end > n || night->start > night->end)
		return NP_ERR_ARG;
	memset(&night->spt, 0, sizeof night->spt);
	night->daysleeper = false;
	night->onset_h = night->wake_h = NAN;
	night->guider_onset = night->guider_wake = NAN;
	if (night->skipped)
		return NP_OK;
	double per_h = 3600.0 / cfg->epoch_s;
	long day = (long)(24 * per_h);
	long q1 = (long)night->start + 1, q2 = (long)night->end; /* 1-based, inclusive */
	struct np_spt spt;
	int rc = np_sleep_hdcza(anglez_deg + night->start, night->end - night->start,
				invalid ? invalid + night->start : NULL, cfg, &spt, NULL);
	if (rc != NP_OK)
		return rc;
	size_t base = night->start;
	bool partial = night->partial_first_day, daysleep = false;
	if (spt.found && (double)((long)spt.end + q1) >= (double)q2 - 1 * per_h) {
		/* SPT ends within 1 h of noon: retry with the window moved 6 h on. */
		long nq1 = q1 + (long)(6 * per_h), nq2 = q2 + (long)(6 * per_h);
		if (q1 == 1 && nq2 - nq1 < day && nq2 > day) {
			nq1 = nq2 - day;
			partial = false; /* set before the rerun, kept even if it is not used */
		}
		if (nq2 > (long)n)
			nq2 = (long)n;
		if (nq2 < (long)n && (double)(nq2 - nq1) > 23 * per_h) {
			struct np_spt tmp;
			rc = np_sleep_hdcza(anglez_deg + nq1 - 1, (size_t)(nq2 - nq1 + 1),
					    invalid ? invalid + nq1 - 1 : NULL, cfg, &tmp, NULL);
			if (rc != NP_OK)
				return rc;
			if (tmp.found && (long)tmp.end + nq1 >= q2) {
				spt = tmp;
				base = (size_t)(nq1 - 1);
				daysleep = true;
			}
		}
	}
	night->spt = spt;
	night->spt_base = base;
	night->daysleeper = daysleep;
	if (!spt.found)
		return NP_OK;
	double offset_h = daysleep ? 6.0 : 0.0;
	long ref_day;
	if (night->start == 0 && partial) {
		/* startTimeRecord = sum(c(hour, min, sec) / c(1, 60, 3600)); R's sum() is long double */
		long c0 = clock_of(clock0_s, 0, cfg->epoch_s);
		long double str = (long double)(c0 / 3600) + (double)(c0 / 60 % 60) / 60.0 +
				  (double)(c0 % 60) / 3600.0;
		offset_h += (double)str;
		ref_day = floor_div(clock0_s, 86400);
	} else {
		offset_h += 12.0;
		/* hours count from the midnight before the window's noon */
		long t_mid = clock0_s + (long)((double)night->midnight * cfg->epoch_s);
		ref_day = floor_div(t_mid, 86400) - 1;
	}
	night->onset_h = (double)spt.start / per_h + offset_h;
	night->wake_h = (double)spt.end / per_h + offset_h;
	double t0 = (double)(ref_day * 86400 - clock0_s);
	night->guider_onset = (t0 + (double)hours_to_clock_s(night->onset_h)) / cfg->epoch_s;
	night->guider_wake = (t0 + (double)hours_to_clock_s(night->wake_h)) / cfg->epoch_s;
	return NP_OK;
}

/* ---------------------------------------------------------------- 6. part 4 */

struct sib_period {
	double start, end; /* sib.onset.time, sib.end.time on the epoch timeline */
	bool overlap;
};

/* The SIB flags that count: not during non-wear (g.sib.sum(ignorenonwear = TRUE)) and,
 * for nightpose, not while the trunk is upright. */
static void counted_sib(const uint8_t *sib, const uint8_t *invalid, const uint8_t *lying, size_t n,
			uint8_t *s)
{
	for (size_t i = 0; i < n; i++) {
		bool v = sib[i] != 0;
		if (invalid && invalid[i] == 1)
			v = false;
		if (lying && !lying[i])
			v = false;
		s[i] = v;
	}
}

/* g.sib.sum's periods: onset = first SIB epoch, end = last SIB epoch
 * (time_sp[length(sleep_sp)]); no 0 -> 1 transition means no periods at all, even if
 * the night starts asleep. Returns how many. */
static size_t sib_periods(const uint8_t *s, size_t n, size_t w0, struct run *r,
			  struct sib_period *p)
{
	size_t ups = 0;
	for (size_t i = 0; i + 1 < n; i++)
		ups += !s[i] && s[i + 1];
	size_t np = ups > 0 ? find_runs(s, n, r) : 0;
	for (size_t k = 0; k < np; k++) {
		p[k].start = (double)(w0 + r[k].start);
		p[k].end = (double)(w0 + r[k].start + r[k].len - 1);
		p[k].overlap = false;
	}
	return np;
}

/* Two 1-minute SIBs at the guider edges (g.part4, relyonguider_thisnight), then
 * spo[order(spo$start), ]: an insertion sort keeps equal starts in order. */
static size_t add_guider_edges(struct sib_period *p, size_t np, double onset, double wake,
			       double epoch_s)
{
	double one_min = 60.0 / epoch_s;
	p[np++] = (struct sib_period){ onset, onset + one_min, false };
	p[np++] = (struct sib_period){ wake - one_min, wake, false };
	for (size_t k = 1; k < np; k++)
		for (size_t m = k; m > 0 && p[m - 1].start > p[m].start; m--) {
			struct sib_period t = p[m];
			p[m] = p[m - 1];
			p[m - 1] = t;
		}
	return np;
}

/* Mark the periods overlapping the guider window; relying on the guider, clip them to it. */
static void mark_overlaps(struct sib_period *p, size_t np, double onset, double wake, bool rely)
{
	for (size_t k = 0; k < np; k++) {
		if (!(p[k].start < wake && p[k].end > onset))
			continue;
		p[k].overlap = true;
		if (!rely)
			continue;
		if ((p[k].start < wake && p[k].end > wake) || (p[k].start < wake && p[k].end < p[k].start))
			p[k].end = wake;
		if ((p[k].start < onset && p[k].end > onset) || (p[k].end > onset && p[k].end < p[k].start))
			p[k].start = onset;
	}
}

/* g.part4's figures from the overlapping periods; the asleep flags of their epochs. */
static void summarise(const struct sib_period *p, size_t np, const uint8_t *invalid, size_t n,
		      size_t w0, double guider_onset, double epoch_s, uint8_t *asleep,
		      struct np_sleep_summary *sum)
{
	double first = NAN, last = NAN, tst = 0, prev_end = NAN;
	for (size_t k = 0; k < np; k++) {
		if (!p[k].overlap)
			continue;
		if (isnan(first))
			first = p[k].start;
		last = p[k].end; /* end of the last overlapping row, as rtl[length(rtl)] */
		tst += p[k].end - p[k].start;
		if (!isnan(prev_end) && (p[k].start - prev_end) * epoch_s >= 300.0)
			sum->n_wake_bouts_5min++;
		prev_end = p[k].end;
		sum->n_sib_spt++;
		if (asleep)
			for (double t = ceil(p[k].start); t <= p[k].end; t++)
				if (t >= (double)w0 && t < (double)(w0 + n))
					asleep[(size_t)t - w0] = 1;
	}
	double per_min = 60.0 / epoch_s;
	sum->onset = first;
	sum->wake = last;
	sum->spt_min = (last - first) / per_min;
	sum->tst_min = tst / per_min;
	sum->waso_min = sum->spt_min - sum->tst_min;
	sum->sol_min = (first - guider_onset) / per_min;
	sum->n_awakenings = sum->n_sib_spt ? sum->n_sib_spt - 1 : 0;
	if (invalid)
		for (size_t i = 0; i < n; i++) {
			double t = (double)(w0 + i);
			if (invalid[i] == 1 && t >= first && t <= last)
				sum->nonwear_min += 1.0 / per_min;
		}
}

int np_sleep_classify(const uint8_t *sib, const uint8_t *invalid, const uint8_t *lying,
		      size_t n, size_t w0, double guider_onset, double guider_wake,
		      bool rely_on_guider, double epoch_s, uint8_t *asleep,
		      struct np_sleep_summary *sum)
{
	if (!sum || (!sib && n > 0) || !(epoch_s > 0) || isnan(guider_onset) || isnan(guider_wake))
		return NP_ERR_ARG;
	memset(sum, 0, sizeof *sum);
	if (asleep)
		memset(asleep, 0, n);
	uint8_t *s = malloc(n ? n : 1);
	struct sib_period *p = malloc((n / 2 + 3) * sizeof *p);
	struct run *r = malloc((n / 2 + 1) * sizeof *r);
	if (!s || !p || !r) {
		free(s);
		free(p);
		free(r);
		return NP_ERR_NOMEM;
	}
	counted_sib(sib, invalid, lying, n, s);
	size_t np = sib_periods(s, n, w0, r, p);
	size_t nov = 0;
	for (size_t k = 0; k < np; k++)
		nov += p[k].start < guider_wake && p[k].end > guider_onset;
	bool rely = rely_on_guider || nov == 0;
	if (rely)
		np = add_guider_edges(p, np, guider_onset, guider_wake, epoch_s);
	mark_overlaps(p, np, guider_onset, guider_wake, rely);
	summarise(p, np, invalid, n, w0, guider_onset, epoch_s, asleep, sum);
	sum->has_sleep = nov > 0;
	sum->relied_on_guider = rely;
	free(s);
	free(p);
	free(r);
	return NP_OK;
}
