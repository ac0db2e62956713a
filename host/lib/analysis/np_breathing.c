#include "np_breathing.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <kissfft/kiss_fftr.h>

#include "np_episodes.h"
#include "np_err.h"

/*
 * 4 Hz keeps the whole respiratory band (and its second harmonic) below Nyquist
 * while the 0.25 s averaging bins remove most sensor noise above 2 Hz.
 */
#define GRID_HZ 4.0
#define GRID_DT (1.0 / GRID_HZ)
#define BLOCK_BINS 40u              /* 10 s movement blocks */
#define SEG_BLOCKS 6u               /* 60 s Welch segments ... */
#define SEG_STEP_BLOCKS 3u          /* ... with 50 % overlap */
#define SEG_BINS (BLOCK_BINS * SEG_BLOCKS)
/* Zero-padding to 300 s puts spectrum bins 0.2 breaths/min apart; the peak is then
 * refined by interpolation. 1200 = 2^4 * 3 * 5^2 suits kissfft's mixed radix. */
#define NFFT 1200u
#define NBINS (NFFT / 2u + 1u)
#define MAX_INTERP_BINS 8u          /* bridge up to 2 s without samples */
#define PEAK_HALF_HZ 0.04           /* covers the Hann main lobe of a 60 s segment */
#define TOTAL_LO_HZ 0.05
#define TOTAL_HI_HZ 1.5

void np_breathing_cfg_default(struct np_breathing_cfg *cfg)
{
	cfg->band_lo_hz = 0.1;
	cfg->band_hi_hz = 0.7;
	cfg->movement_g = 0.03;
	cfg->min_still_s = 90.0;
	cfg->min_quality = 0.35;
	cfg->window_s = 300.0;
}

const char *np_breathing_status_text(enum np_breathing_status s)
{
	switch (s) {
	case NP_BREATH_OK:
		return "ok";
	case NP_BREATH_NOT_ENOUGH_STILL:
		return "not enough still data";
	case NP_BREATH_LOW_QUALITY:
		return "no clear breathing peak";
	}
	return "unknown";
}

/* Cross-spectra accumulated over segments: xx, yy, zz, xy, xz, yz per frequency bin. */
struct acc {
	double c[NBINS][6];
	unsigned segments;
	double still_s, moving_s;
	kiss_fftr_cfg fft;
	float win[SEG_BINS];
	kiss_fft_scalar in[NFFT];
	kiss_fft_cpx out[3][NBINS];
};

/* First index with t_s >= t. */
static size_t lower_bound(const struct np_series *s, double t)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].t_s < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Average the samples of [t0, t0 + nb * GRID_DT) into grid bins; bridge short runs of
 * empty bins linearly. valid[k] is false where no value could be given.
 */
static void to_grid(const struct np_series *s, double t0, size_t nb, float *g, bool *valid)
{
	unsigned *cnt = (unsigned *)calloc(nb, sizeof *cnt);
	double *sum = (double *)calloc(nb * 3, sizeof *sum);
	if (!cnt || !sum) {
		/* Callers allocate far more than this; treat as "no data" rather than fail twice. */
		memset(valid, 0, nb * sizeof *valid);
		free(cnt);
		free(sum);
		return;
	}
	double t1 = t0 + (double)nb * GRID_DT;
	for (size_t i = lower_bound(s, t0); i < s->n && s->v[i].t_s < t1; i++) {
		size_t k = (size_t)((s->v[i].t_s - t0) / GRID_DT);
		if (k >= nb)
			break;
		cnt[k]++;
		sum[k * 3 + 0] += s->v[i].x;
		sum[k * 3 + 1] += s->v[i].y;
		sum[k * 3 + 2] += s->v[i].z;
	}
	for (size_t k = 0; k < nb; k++) {
		valid[k] = cnt[k] > 0;
		for (size_t a = 0; a < 3; a++)
			g[k * 3 + a] = valid[k] ? (float)(sum[k * 3 + a] / cnt[k]) : 0.0f;
	}
	free(cnt);
	free(sum);

	size_t k = 0;
	while (k < nb) {
		if (valid[k]) {
			k++;
			continue;
		}
		size_t e = k;
		while (e < nb && !valid[e])
			e++;
		if (k > 0 && e < nb && e - k <= MAX_INTERP_BINS) {
			for (size_t j = k; j < e; j++) {
				float f = (float)(j - k + 1) / (float)(e - k + 1);
				for (size_t a = 0; a < 3; a++)
					g[j * 3 + a] = g[(k - 1) * 3 + a] * (1.0f - f) +
						       g[e * 3 + a] * f;
				valid[j] = true;
			}
		}
		k = e;
	}
}

/* Remove the least-squares line from v[0..n). */
static void detrend(double *v, size_t n)
{
	double mx = (double)(n - 1) / 2.0, my = 0, sxy = 0, sxx = 0;
	for (size_t i = 0; i < n; i++)
		my += v[i];
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		double dx = (double)i - mx;
		sxy += dx * (v[i] - my);
		sxx += dx * dx;
	}
	double b = sxx > 0 ? sxy / sxx : 0;
	for (size_t i = 0; i < n; i++)
		v[i] -= my + b * ((double)i - mx);
}

/* A block moves when any axis varies more than movement_g around its own trend. */
static bool block_still(const float *g, const bool *valid, const struct np_breathing_cfg *cfg)
{
	double v[BLOCK_BINS];
	for (size_t k = 0; k < BLOCK_BINS; k++)
		if (!valid[k])
			return false;
	for (size_t a = 0; a < 3; a++) {
		double ss = 0;
		for (size_t k = 0; k < BLOCK_BINS; k++)
			v[k] = g[k * 3 + a];
		detrend(v, BLOCK_BINS);
		for (size_t k = 0; k < BLOCK_BINS; k++)
			ss += v[k] * v[k];
		if (sqrt(ss / BLOCK_BINS) > cfg->movement_g)
			return false;
	}
	return true;
}

static void add_segment(struct acc *ac, const float *g)
{
	double v[SEG_BINS];
	for (size_t a = 0; a < 3; a++) {
		for (size_t k = 0; k < SEG_BINS; k++)
			v[k] = g[k * 3 + a];
		detrend(v, SEG_BINS);
		for (size_t k = 0; k < SEG_BINS; k++)
			ac->in[k] = (kiss_fft_scalar)(v[k] * ac->win[k]);
		/* The tail of ac->in stays zero (set once in acc_new). */
		kiss_fftr(ac->fft, ac->in, ac->out[a]);
	}
	static const int pair[6][2] = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}};
	for (size_t f = 0; f < NBINS; f++)
		for (size_t p = 0; p < 6; p++) {
			const kiss_fft_cpx *x = &ac->out[pair[p][0]][f];
			const kiss_fft_cpx *y = &ac->out[pair[p][1]][f];
			ac->c[f][p] += (double)x->r * y->r + (double)x->i * y->i;
		}
	ac->segments++;
}

static int add_range(struct acc *ac, const struct np_series *s, double t0, double t1,
		     const struct np_breathing_cfg *cfg)
{
	if (!(t1 > t0))
		return NP_OK;
	size_t nb = (size_t)((t1 - t0) / GRID_DT);
	size_t nblk = nb / BLOCK_BINS;
	if (nblk == 0) {
		ac->moving_s += t1 - t0;
		return NP_OK;
	}
	nb = nblk * BLOCK_BINS;
	float *g = (float *)malloc(nb * 3 * sizeof *g);
	bool *valid = (bool *)malloc(nb * sizeof *valid);
	bool *ok = (bool *)malloc(nblk * sizeof *ok);
	if (!g || !valid || !ok) {
		free(g);
		free(valid);
		free(ok);
		return NP_ERR_NOMEM;
	}
	to_grid(s, t0, nb, g, valid);
	for (size_t b = 0; b < nblk; b++)
		ok[b] = block_still(g + b * BLOCK_BINS * 3, valid + b * BLOCK_BINS, cfg);

	/* Settling before and after a movement distorts the neighbouring blocks too. */
	size_t run = 0;
	for (size_t b = 0; b <= nblk; b++) {
		bool still = b < nblk && ok[b] && (b == 0 || ok[b - 1]) && (b + 1 >= nblk || ok[b + 1]);
		if (still) {
			run++;
			continue;
		}
		if (run >= SEG_BLOCKS) {
			size_t first = b - run;
			for (size_t st = first; st + SEG_BLOCKS <= b; st += SEG_STEP_BLOCKS)
				add_segment(ac, g + st * BLOCK_BINS * 3);
			ac->still_s += (double)run * BLOCK_BINS * GRID_DT;
		} else {
			ac->moving_s += (double)run * BLOCK_BINS * GRID_DT;
		}
		if (b < nblk)
			ac->moving_s += BLOCK_BINS * GRID_DT;
		run = 0;
	}
	ac->moving_s += (t1 - t0) - (double)nb * GRID_DT;
	free(g);
	free(valid);
	free(ok);
	return NP_OK;
}

/* Principal eigenvector of a symmetric positive semi-definite 3x3 matrix. */
static void top_eigvec(const double m[6], double w[3])
{
	const double a[3][3] = {{m[0], m[3], m[4]}, {m[3], m[1], m[5]}, {m[4], m[5], m[2]}};
	/* Start from the strongest axis so that a diagonal matrix converges at once. */
	size_t best = m[1] > m[0] ? 1 : 0;
	if (m[2] > m[best])
		best = 2;
	w[0] = w[1] = w[2] = 0.1;
	w[best] = 1.0;
	for (int it = 0; it < 200; it++) {
		double nw[3], norm = 0;
		for (size_t i = 0; i < 3; i++) {
			nw[i] = a[i][0] * w[0] + a[i][1] * w[1] + a[i][2] * w[2];
			norm += nw[i] * nw[i];
		}
		norm = sqrt(norm);
		if (norm <= 0)
			return;
		for (size_t i = 0; i < 3; i++)
			w[i] = nw[i] / norm;
	}
}

static double bin_hz(size_t f)
{
	return (double)f * GRID_HZ / NFFT;
}

/* The breathing axis: the principal direction of the cross-spectra summed over the band. */
static void choose_axis(const struct acc *ac, const struct np_breathing_cfg *cfg, double w[3])
{
	double band[6] = {0};
	for (size_t f = 0; f < NBINS; f++) {
		double hz = bin_hz(f);
		if (hz >= cfg->band_lo_hz && hz <= cfg->band_hi_hz)
			for (size_t p = 0; p < 6; p++)
				band[p] += ac->c[f][p];
	}
	top_eigvec(band, w);
}

/* Power spectrum of the signal projected on axis w, psd[0..NBINS). */
static void axis_spectrum(const struct acc *ac, const double w[3], double *psd)
{
	for (size_t f = 0; f < NBINS; f++) {
		const double *c = ac->c[f];
		psd[f] = w[0] * w[0] * c[0] + w[1] * w[1] * c[1] + w[2] * w[2] * c[2] +
			 2 * (w[0] * w[1] * c[3] + w[0] * w[2] * c[4] + w[1] * w[2] * c[5]);
		if (psd[f] < 0)
			psd[f] = 0;
		/* Undo the 0.25 s averaging of to_grid() (a sinc response), which would
		 * otherwise tilt the spectrum and pull fast rates down. */
		double x = NP_PI * bin_hz(f) * GRID_DT;
		if (f > 0) {
			double h = sin(x) / x;
			psd[f] /= h * h;
		}
	}
}

/* The strongest bin of psd[lo..hi] and its frequency, refined between bins. */
static size_t find_peak(const double *psd, size_t lo, size_t hi, double *peak_hz)
{
	size_t pk = lo;
	for (size_t f = lo; f <= hi; f++)
		if (psd[f] > psd[pk])
			pk = f;

	/* Gaussian (log-parabolic) interpolation: exact for the Gaussian-like Hann main lobe. */
	double delta = 0;
	if (pk > 0 && psd[pk - 1] > 0 && psd[pk] > 0 && psd[pk + 1] > 0) {
		double a = log(psd[pk - 1]), b = log(psd[pk]), c = log(psd[pk + 1]);
		double den = a - 2 * b + c;
		if (den < 0)
			delta = 0.5 * (a - c) / den;
		if (delta > 0.5 || delta < -0.5)
			delta = 0;
	}
	*peak_hz = ((double)pk + delta) * GRID_HZ / NFFT;
	return pk;
}

/*
 * The rate is the centroid of the peak region, not the top bin: breathing that
 * wanders a little spreads its power over neighbouring bins, and the top bin then
 * lands on one edge of the spread rather than on the average rate. The region is
 * cut to the band psd[lo..hi], so the centroid cannot drift out of it (towards the
 * slow drift below 0.1 Hz), and the total it is compared with always contains the
 * band, so the share is in [0, 1].
 * Moves *peak_hz to the centroid; returns the peak region's share of the total power.
 */
static double peak_quality(const double *psd, size_t lo, size_t hi, double *peak_hz)
{
	double near = 0, total = 0;
	double total_lo = fmin(TOTAL_LO_HZ, bin_hz(lo)), total_hi = fmax(TOTAL_HI_HZ, bin_hz(hi));
	for (size_t f = 0; f < NBINS; f++) {
		double hz = bin_hz(f);
		if (hz >= total_lo && hz <= total_hi)
			total += psd[f];
	}
	for (int it = 0; it < 4; it++) {
		double near_f = 0;
		near = 0;
		for (size_t f = lo; f <= hi; f++) {
			double hz = bin_hz(f);
			if (fabs(hz - *peak_hz) <= PEAK_HALF_HZ) {
				near += psd[f];
				near_f += psd[f] * hz;
			}
		}
		if (near > 0)
			*peak_hz = near_f / near;
	}
	*peak_hz = fmin(fmax(*peak_hz, bin_hz(lo)), bin_hz(hi));
	return total > 0 ? fmin(near / total, 1.0) : 0;
}

/* The peak bin over the median of psd[lo..hi], in dB; *snr_db is kept when out of memory. */
static void peak_snr(const double *psd, size_t lo, size_t hi, size_t pk, double *snr_db)
{
	double *tmp = (double *)malloc((hi - lo + 1) * sizeof *tmp);
	if (!tmp)
		return;
	for (size_t f = lo; f <= hi; f++)
		tmp[f - lo] = psd[f];
	/* Median by partial selection sort is enough: at most ~200 bins. */
	size_t n = hi - lo + 1, mid = n / 2;
	for (size_t i = 0; i <= mid; i++)
		for (size_t j = i + 1; j < n; j++)
			if (tmp[j] < tmp[i]) {
				double t = tmp[i];
				tmp[i] = tmp[j];
				tmp[j] = t;
			}
	double med = tmp[mid];
	*snr_db = med > 0 && psd[pk] > 0 ? 10.0 * log10(psd[pk] / med) : 0;
	free(tmp);
}

static void finish(const struct acc *ac, const struct np_breathing_cfg *cfg,
		   struct np_breathing_est *est)
{
	est->still_s = ac->still_s;
	est->moving_s = ac->moving_s;
	est->segments = ac->segments;
	if (ac->segments == 0 || ac->still_s < cfg->min_still_s) {
		est->status = NP_BREATH_NOT_ENOUGH_STILL;
		return;
	}

	double w[3];
	choose_axis(ac, cfg, w);
	for (size_t i = 0; i < 3; i++)
		est->axis[i] = (float)w[i];

	double *psd = (double *)malloc(NBINS * sizeof *psd);
	if (!psd) {
		est->status = NP_BREATH_LOW_QUALITY;
		return;
	}
	axis_spectrum(ac, w, psd);

	size_t lo = (size_t)ceil(cfg->band_lo_hz * NFFT / GRID_HZ);
	size_t hi = (size_t)floor(cfg->band_hi_hz * NFFT / GRID_HZ);
	if (hi >= NBINS - 1)
		hi = NBINS - 2;
	double peak_hz;
	size_t pk = find_peak(psd, lo, hi, &peak_hz);
	est->quality = peak_quality(psd, lo, hi, &peak_hz);
	peak_snr(psd, lo, hi, pk, &est->snr_db);
	free(psd);

	if (est->quality < cfg->min_quality) {
		est->status = NP_BREATH_LOW_QUALITY;
		return;
	}
	est->status = NP_BREATH_OK;
	est->rate_bpm = peak_hz * 60.0;
}

static struct acc *acc_new(void)
{
	struct acc *ac = (struct acc *)calloc(1, sizeof *ac);
	if (!ac)
		return NULL;
	ac->fft = kiss_fftr_alloc((int)NFFT, 0, NULL, NULL);
	if (!ac->fft) {
		free(ac);
		return NULL;
	}
	for (size_t k = 0; k < SEG_BINS; k++)
		ac->win[k] = (float)(0.5 - 0.5 * cos(2.0 * NP_PI * (double)k / (double)(SEG_BINS - 1)));
	return ac;
}

static void acc_free(struct acc *ac)
{
	if (ac)
		kiss_fftr_free(ac->fft);
	free(ac);
}

static void est_clear(struct np_breathing_est *est, double t0, double t1)
{
	memset(est, 0, sizeof *est);
	est->start_s = t0;
	est->end_s = t1;
	est->status = NP_BREATH_NOT_ENOUGH_STILL;
}

static int estimate_with(struct acc *ac, const struct np_series *s,
			 const struct np_time_range *ranges, size_t n_ranges,
			 const struct np_breathing_cfg *cfg, struct np_breathing_est *est)
{
	double t0 = n_ranges ? ranges[0].start_s : 0, t1 = n_ranges ? ranges[n_ranges - 1].end_s : 0;
	est_clear(est, t0, t1);
	memset(ac->c, 0, sizeof ac->c);
	ac->segments = 0;
	ac->still_s = ac->moving_s = 0;
	for (size_t i = 0; i < n_ranges; i++) {
		int rc = add_range(ac, s, ranges[i].start_s, ranges[i].end_s, cfg);
		if (rc != NP_OK)
			return rc;
	}
	finish(ac, cfg, est);
	return NP_OK;
}

int np_breathing_estimate(const struct np_series *s, const struct np_time_range *ranges,
			  size_t n_ranges, const struct np_breathing_cfg *cfg,
			  struct np_breathing_est *est)
{
	if (!s || !cfg || !est || (n_ranges && !ranges))
		return NP_ERR_ARG;
	struct acc *ac = acc_new();
	if (!ac)
		return NP_ERR_NOMEM;
	int rc = estimate_with(ac, s, ranges, n_ranges, cfg, est);
	acc_free(ac);
	return rc;
}

/* Window i of count over [start_s, end_s), as np_breathing_windows() cuts it. */
static struct np_time_range window_range(double start_s, double end_s, size_t i, size_t count,
					 const struct np_breathing_cfg *cfg)
{
	struct np_time_range r = {start_s + (double)i * cfg->window_s,
				  i + 1 == count ? end_s : start_s + (double)(i + 1) * cfg->window_s};
	return r;
}

size_t np_breathing_window_count(double start_s, double end_s, const struct np_breathing_cfg *cfg)
{
	if (!cfg || !(cfg->window_s > 0) || !(end_s > start_s))
		return 0;
	double len = end_s - start_s;
	size_t n = (size_t)floor(len / cfg->window_s);
	if (n == 0 || len - (double)n * cfg->window_s >= cfg->window_s / 2)
		n++;
	return n;
}

int np_breathing_windows(const struct np_series *s, double start_s, double end_s,
			 const struct np_breathing_cfg *cfg, struct np_breathing_est *out,
			 size_t cap, size_t *n)
{
	if (n)
		*n = 0;
	if (!s || !cfg || !n || (cap && !out))
		return NP_ERR_ARG;
	size_t count = np_breathing_window_count(start_s, end_s, cfg);
	if (count > cap)
		return NP_ERR_NOSPACE;
	struct acc *ac = acc_new();
	if (!ac)
		return NP_ERR_NOMEM;
	int rc = NP_OK;
	for (size_t i = 0; i < count && rc == NP_OK; i++) {
		struct np_time_range r = window_range(start_s, end_s, i, count, cfg);
		rc = estimate_with(ac, s, &r, 1, cfg, &out[i]);
	}
	acc_free(ac);
	if (rc == NP_OK)
		*n = count;
	return rc;
}

int np_breathing_episode_windows(const struct np_series *chest, const struct np_episode *episodes,
				 size_t n_episodes, const struct np_breathing_cfg *cfg,
				 struct np_breathing_window **out, size_t *n)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!chest || !cfg || !out || !n || (n_episodes && !episodes))
		return NP_ERR_ARG;
	size_t total = 0;
	for (size_t i = 0; i < n_episodes; i++)
		if (np_position_is_lying(episodes[i].position))
			total += np_breathing_window_count(episodes[i].start_s, episodes[i].end_s, cfg);
	if (total == 0)
		return NP_OK;
	struct np_breathing_window *w = calloc(total, sizeof *w);
	struct acc *ac = w ? acc_new() : NULL;
	if (!ac) {
		free(w);
		return NP_ERR_NOMEM;
	}
	size_t k = 0;
	int rc = NP_OK;
	for (size_t i = 0; i < n_episodes && rc == NP_OK; i++) {
		const struct np_episode *e = &episodes[i];
		if (!np_position_is_lying(e->position))
			continue;
		size_t count = np_breathing_window_count(e->start_s, e->end_s, cfg);
		for (size_t j = 0; j < count && rc == NP_OK; j++, k++) {
			struct np_time_range r = window_range(e->start_s, e->end_s, j, count, cfg);
			w[k].position = e->position;
			w[k].episode = i;
			rc = estimate_with(ac, chest, &r, 1, cfg, &w[k].est);
		}
	}
	acc_free(ac);
	if (rc != NP_OK) {
		free(w);
		return rc;
	}
	*out = w;
	*n = total;
	return NP_OK;
}

/* Fold one episode's estimate into a position's running figure. */
static void combine(struct np_breathing_est *pos, const struct np_breathing_est *ep, double *wsum)
{
	pos->still_s += ep->still_s;
	pos->moving_s += ep->moving_s;
	pos->segments += ep->segments;
	if (ep->status != NP_BREATH_OK) {
		/* Still data without a peak counts against the position's figure. */
		if (ep->status == NP_BREATH_LOW_QUALITY && pos->status != NP_BREATH_OK)
			pos->status = NP_BREATH_LOW_QUALITY;
		return;
	}
	double w0 = *wsum, w = ep->still_s > 0 ? ep->still_s : 1;
	if (pos->episodes == 0) {
		pos->rate_lo_bpm = pos->rate_hi_bpm = ep->rate_bpm;
		memcpy(pos->axis, ep->axis, sizeof pos->axis);
	}
	if (pos->episodes)
		pos->rate_bpm = (pos->rate_bpm * w0 + ep->rate_bpm * w) / (w0 + w);
	else
		pos->rate_bpm = ep->rate_bpm;
	pos->quality = (pos->quality * w0 + ep->quality * w) / (w0 + w);
	pos->snr_db = (pos->snr_db * w0 + ep->snr_db * w) / (w0 + w);
	*wsum = w0 + w;
	pos->rate_lo_bpm = fmin(pos->rate_lo_bpm, ep->rate_bpm);
	pos->rate_hi_bpm = fmax(pos->rate_hi_bpm, ep->rate_bpm);
	/* A weighted mean can land an ulp outside its inputs. */
	pos->rate_bpm = fmin(fmax(pos->rate_bpm, pos->rate_lo_bpm), pos->rate_hi_bpm);
	pos->episodes++;
	pos->status = NP_BREATH_OK;
}

int np_breathing_by_position(const struct np_series *chest, const struct np_episode *episodes,
			     size_t n_episodes, const struct np_breathing_cfg *cfg,
			     struct np_breathing_est out[NP_POS_COUNT],
			     struct np_breathing_est *per_episode)
{
	if (!chest || !cfg || !out || (n_episodes && !episodes))
		return NP_ERR_ARG;
	for (size_t i = 0; per_episode && i < n_episodes; i++)
		est_clear(&per_episode[i], episodes[i].start_s, episodes[i].end_s);
	for (int p = 0; p < NP_POS_COUNT; p++)
		est_clear(&out[p], 0, 0);
	double wsum[NP_POS_COUNT] = {0};
	struct acc *ac = acc_new();
	if (!ac)
		return NP_ERR_NOMEM;
	int rc = NP_OK;
	for (size_t i = 0; i < n_episodes && rc == NP_OK; i++) {
		const struct np_episode *e = &episodes[i];
		if (!np_position_is_lying(e->position))
			continue;
		struct np_time_range r = {e->start_s, e->end_s};
		struct np_breathing_est est;
		rc = estimate_with(ac, chest, &r, 1, cfg, &est);
		if (rc != NP_OK)
			break;
		struct np_breathing_est *pos = &out[e->position];
		if (pos->end_s == 0)
			pos->start_s = e->start_s;
		pos->end_s = e->end_s;
		combine(pos, &est, &wsum[e->position]);
		if (per_episode)
			per_episode[i] = est;
	}
	acc_free(ac);
	return rc;
}
