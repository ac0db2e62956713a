#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_err.h"
#include "np_night_cal.h"
#include "np_night_sleep.h"

#define EP NP_SLEEP_EPOCH_S
/* GGIR chunks of about 24 h; a remainder under 1 h joins the chunk before it. */
#define CHUNK_EPOCHS ((size_t)(86400.0 / EP))
#define CHUNK_TAIL_EPOCHS ((size_t)(3600.0 / EP))

const char *np_sleep_guider_name(enum np_sleep_guider g)
{
	return g == NP_SLEEP_GUIDER_LYING ? "lying" : "hdcza";
}

int np_sleep_guider_parse(const char *s, enum np_sleep_guider *g)
{
	if (s && strcmp(s, "hdcza") == 0)
		*g = NP_SLEEP_GUIDER_HDCZA;
	else if (s && strcmp(s, "lying") == 0)
		*g = NP_SLEEP_GUIDER_LYING;
	else
		return NP_ERR_ARG;
	return NP_OK;
}

void np_night_sleep_cfg_default(struct np_night_sleep_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->guider = NP_SLEEP_GUIDER_HDCZA;
	np_analysis_cfg_default(&cfg->epochs);
}

void np_night_sleep_free(struct np_night_sleep *s)
{
	if (!s)
		return;
	free(s->anglez_deg);
	free(s->sib);
	free(s->nights);
	free(s->wake);
	free(s->nonwear_spans);
	memset(s, 0, sizeof *s);
}

/* One allocation for the eight flag arrays; sib owns it. */
static int alloc_arrays(struct np_night_sleep *s)
{
	size_t n = s->n ? s->n : 1;
	s->anglez_deg = malloc(n * sizeof *s->anglez_deg);
	uint8_t *f = calloc(8, n);
	if (!s->anglez_deg || !f) {
		free(f);
		return NP_ERR_NOMEM;
	}
	uint8_t **arr[] = { &s->sib, &s->worn, &s->nonwear, &s->lying,
			    &s->spt, &s->asleep, &s->in_bed, &s->position };
	for (size_t k = 0; k < 8; k++)
		*arr[k] = f + k * n;
	for (size_t i = 0; i < s->n; i++)
		s->anglez_deg[i] = NAN;
	return NP_OK;
}

/* The grid rate: the nominal rate when GGIR's 15-min blocks hold whole samples. */
static double grid_rate(double rate_hz)
{
	double r = rate_hz * NP_SLEEP_BLOCK_S;
	if (r > 0 && fabs(r - round(r)) < 1e-6)
		return rate_hz;
	return fmax(1.0, round(rate_hz));
}

struct chunk_buf {
	float *x, *y, *z;
	double *ang;
	uint8_t *score, *inval;
	size_t cap_samples, cap_epochs;
};

static void chunk_buf_free(struct chunk_buf *b)
{
	free(b->x);
	free(b->y);
	free(b->z);
	free(b->ang);
	free(b->score);
	free(b->inval);
}

static int chunk_buf_reserve(struct chunk_buf *b, size_t samples, size_t epochs)
{
	if (samples > b->cap_samples) {
		chunk_buf_free(b);
		memset(b, 0, sizeof *b);
		b->x = malloc(samples * sizeof *b->x);
		b->y = malloc(samples * sizeof *b->y);
		b->z = malloc(samples * sizeof *b->z);
		b->ang = malloc((epochs + 1) * sizeof *b->ang);
		b->score = malloc(epochs / 180 + 2);
		b->inval = malloc(epochs / 180 + 2);
		if (!b->x || !b->y || !b->z || !b->ang || !b->score || !b->inval)
			return NP_ERR_NOMEM;
		b->cap_samples = samples;
		b->cap_epochs = epochs + 1;
	}
	return NP_OK;
}

/*
 * Breathing in samples [i0, i1) of the anterior axis: SD of its 1-s moving mean minus
 * its 20-s moving mean, in g. White noise of 5 mg leaves 1.6 mg at 10 Hz (1 mg at
 * 25 Hz); breathing of 5-20 mg amplitude at 10-20 per minute leaves 3-12 mg.
 */
static double breathing_sd_g(const float *z, size_t i0, size_t i1, double rate_hz)
{
	size_t w1 = (size_t)fmax(1.0, round(rate_hz)), w20 = 20 * w1, n = 0;
	if (i1 - i0 < 2 * w20)
		return 0.0;
	double c1 = 0, c20 = 0, sum = 0, sq = 0;
	for (size_t i = i0; i < i1; i++) {
		c1 += z[i] - (i >= i0 + w1 ? z[i - w1] : 0.0f);
		c20 += z[i] - (i >= i0 + w20 ? z[i - w20] : 0.0f);
		if (i + 1 < i0 + w20)
			continue;
		double v = c1 / (double)w1 - c20 / (double)w20;
		sum += v;
		sq += v * v;
		n++;
	}
	double m = sum / (double)n, var = sq / (double)n - m * m;
	return var > 0 ? sqrt(var) : 0.0;
}

/* GGIR's per-axis stillness (SD < 13 mg and range < 150 mg) on 2 of 3 axes of [i0, i1). */
static bool block_still(const struct chunk_buf *b, size_t i0, size_t i1)
{
	const float *ax[3] = { b->x, b->y, b->z };
	unsigned still = 0;
	for (int a = 0; a < 3; a++) {
		double lo = ax[a][i0], hi = lo, sum = 0, sq = 0;
		for (size_t i = i0; i < i1; i++) {
			lo = fmin(lo, ax[a][i]);
			hi = fmax(hi, ax[a][i]);
			sum += ax[a][i];
			sq += (double)ax[a][i] * ax[a][i];
		}
		double n = (double)(i1 - i0), var = sq / n - (sum / n) * (sum / n);
		still += hi - lo < 0.15 && var < 0.013 * 0.013;
	}
	return still >= 2;
}

/*
 * A worn chest breathes: GGIR's still blocks with breathing are worn after all, and a
 * block still on its own 15 min without breathing is non-wear (GGIR's 60-min window
 * misses the first and last blocks of a sensor put down).
 */
static void check_breathing_blocks(const struct np_night_sleep *s, const struct chunk_buf *b,
				   size_t nb)
{
	if (s->rate_hz < NP_SLEEP_BREATH_MIN_HZ)
		return;
	size_t per = (size_t)round(NP_SLEEP_BLOCK_S * s->rate_hz);
	for (size_t k = 0; k < nb; k++) {
		bool breathes = breathing_sd_g(b->z, k * per, (k + 1) * per, s->rate_hz) >
				NP_SLEEP_BREATH_SD_G;
		if (b->inval[k] && breathes)
			b->inval[k] = 0;
		else if (!b->inval[k] && !breathes && block_still(b, k * per, (k + 1) * per))
			b->inval[k] = 1;
	}
}

/* Non-wear of one chunk into s->nonwear from epoch e0; too short a chunk is not judged. */
static int chunk_nonwear(struct np_night_sleep *s, struct chunk_buf *b, size_t m, size_t e0,
			 size_t ne)
{
	struct np_nonwear_cfg nc;
	size_t nb;
	np_nonwear_cfg_default(&nc);
	int rc = np_sleep_nonwear_2013(b->x, b->y, b->z, m, s->rate_hz, &nc, b->score, NULL,
				       b->cap_epochs / 180 + 1, &nb);
	if (rc == NP_ERR_RANGE)
		return NP_OK;
	if (rc == NP_OK)
		rc = np_sleep_invalid_blocks(b->score, NULL, nb, nc.threshold, b->inval);
	if (rc == NP_OK)
		check_breathing_blocks(s, b, nb);
	if (rc == NP_OK)
		rc = np_sleep_blocks_to_epochs(b->inval, nb, NP_SLEEP_BLOCK_S, EP, s->nonwear + e0, ne);
	return rc;
}

/*
 * Epochs [e0, e1) from the samples of one run [i0, i1), sample-and-hold on the grid.
 * Too short for GGIR's median (NP_ERR_RANGE): the epochs stay without data.
 */
static int do_chunk(struct np_night_sleep *s, const struct np_series *ser,
		    const struct np_body_pipeline *p, size_t i0, size_t i1, size_t e0, size_t e1,
		    struct chunk_buf *b)
{
	size_t m = (size_t)floor((double)(e1 - e0) * EP * s->rate_hz + 1e-9);
	int rc = chunk_buf_reserve(b, m ? m : 1, e1 - e0);
	if (rc != NP_OK)
		return rc;
	size_t i = i0;
	for (size_t j = 0; j < m; j++) {
		double t = (double)e0 * EP + (double)j / s->rate_hz;
		while (i + 1 < i1 && ser->v[i + 1].t_s <= t + 1e-9)
			i++;
		struct np_vec3 v = np_body_pipeline_apply(p, &ser->v[i]);
		b->x[j] = v.x;
		b->y[j] = v.y;
		b->z[j] = v.z;
	}
	size_t ne;
	rc = np_sleep_anglez(b->x, b->y, b->z, m, s->rate_hz, EP, true, b->ang, b->cap_epochs, &ne);
	if (rc == NP_ERR_RANGE)
		return NP_OK;
	if (rc != NP_OK)
		return rc;
	for (size_t k = 0; k < ne && e0 + k < s->n; k++) {
		s->anglez_deg[e0 + k] = b->ang[k];
		s->worn[e0 + k] = 1;
	}
	if (e0 + ne > s->n)
		ne = s->n - e0;
	return chunk_nonwear(s, b, m, e0, ne);
}

/* One continuous run of samples, in chunks of at most 24 h on the epoch grid. */
static int do_run(struct np_night_sleep *s, const struct np_series *ser,
		  const struct np_body_pipeline *p, size_t i0, size_t i1, struct chunk_buf *b)
{
	double t_end = ser->v[i1 - 1].t_s + 1.0 / s->rate_hz;
	size_t e0 = (size_t)ceil(fmax(ser->v[i0].t_s, 0.0) / EP - 1e-9);
	double last = floor(t_end / EP + 1e-9);
	size_t e_end = last > (double)s->n ? s->n : (size_t)last;
	int rc = NP_OK;
	while (rc == NP_OK && e0 < e_end) {
		size_t e1 = e_end - e0 > CHUNK_EPOCHS + CHUNK_TAIL_EPOCHS ? e0 + CHUNK_EPOCHS : e_end;
		while (i0 + 1 < i1 && ser->v[i0 + 1].t_s <= (double)e0 * EP)
			i0++;
		rc = do_chunk(s, ser, p, i0, i1, e0, e1, b);
		e0 = e1;
	}
	return rc;
}

static int anglez_and_nonwear(struct np_night_sleep *s, const struct np_night *night,
			      const struct np_body_pipeline *p)
{
	const struct np_series *ser = &night->sensor[0];
	double max_dt = fmax(1.0, 2.0 / s->rate_hz);
	struct chunk_buf b = { 0 };
	int rc = NP_OK;
	size_t i0 = 0;
	while (i0 < ser->n && !(ser->v[i0].t_s >= 0))
		i0++;
	for (size_t i = i0 + 1; rc == NP_OK && i <= ser->n; i++) {
		if (i < ser->n && ser->v[i].t_s - ser->v[i - 1].t_s <= max_dt)
			continue;
		rc = do_run(s, ser, p, i0, i, &b);
		i0 = i;
	}
	chunk_buf_free(&b);
	return rc;
}

/* Epochs without an angle hold the last one (the first one before it). */
static bool fill_and_flag(struct np_night_sleep *s)
{
	size_t first = 0;
	while (first < s->n && isnan(s->anglez_deg[first]))
		first++;
	if (first == s->n)
		return false;
	double last = s->anglez_deg[first];
	for (size_t i = 0; i < s->n; i++) {
		if (isnan(s->anglez_deg[i]))
			s->anglez_deg[i] = last;
		else
			last = s->anglez_deg[i];
		if (s->nonwear[i]) {
			s->worn[i] = 0;
			s->nonwear_min += EP / 60.0;
		}
		if (!s->worn[i])
			s->lying[i] = 0;
	}
	return true;
}

/* Seconds after a local midnight of t = 0; 12:00 without a known start. */
static long clock0_of(const struct np_night *night)
{
	if (!(night->start_utc_s > 0))
		return 12 * 3600;
	time_t t = (time_t)floor(night->start_utc_s);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 12 * 3600;
	return tm.tm_hour * 3600L + tm.tm_min * 60L + tm.tm_sec;
}

static int push_span(struct np_sleep_span **v, size_t *n, double a, double b)
{
	struct np_sleep_span *p = realloc(*v, (*n + 1) * sizeof **v);
	if (!p)
		return NP_ERR_NOMEM;
	*v = p;
	p[(*n)++] = (struct np_sleep_span){ a, b };
	return NP_OK;
}

/* Runs of flag[i] == want within [a, b) as spans. */
static int runs_to_spans(const uint8_t *flag, uint8_t want, size_t a, size_t b,
			 struct np_sleep_span **v, size_t *n)
{
	int rc = NP_OK;
	for (size_t i = a; i < b && rc == NP_OK;) {
		if (flag[i] != want) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < b && flag[j] == want)
			j++;
		rc = push_span(v, n, (double)i * EP, (double)j * EP);
		i = j;
	}
	return rc;
}


/* ---- one night ---- */

#define BREAK_EPOCHS ((size_t)(NP_SLEEP_IN_BED_BREAK_S / EP))

/* Back from epoch `from` through lying epochs and breaks shorter than 5 min. */
static size_t in_bed_start(const uint8_t *lying, size_t lo, size_t from)
{
	size_t k = from;
	for (;;) {
		while (k > lo && lying[k - 1])
			k--;
		size_t j = k;
		while (j > lo && !lying[j - 1] && k - j < BREAK_EPOCHS)
			j--;
		if (j > lo && lying[j - 1] && k - j < BREAK_EPOCHS)
			k = j;
		else
			return k;
	}
}

/* On from epoch `from` (exclusive end) the same way. */
static size_t in_bed_end(const uint8_t *lying, size_t hi, size_t from)
{
	size_t k = from;
	for (;;) {
		while (k < hi && lying[k])
			k++;
		size_t j = k;
		while (j < hi && !lying[j] && j - k < BREAK_EPOCHS)
			j++;
		if (j < hi && lying[j] && j - k < BREAK_EPOCHS)
			k = j;
		else
			return k;
	}
}

/* Truth per epoch from the NOTE annotations: bit 1 asleep, 2 in bed, 4 sensor off. */
static uint8_t *truth_epochs(const struct np_night *night, size_t n, bool *any)
{
	static const char *const texts[] = { NP_SLEEP_TRUTH_ASLEEP, NP_SLEEP_TRUTH_IN_BED,
					     NP_SLEEP_TRUTH_OFF };
	uint8_t *t = calloc(n ? n : 1, 1);
	*any = false;
	for (size_t a = 0; t && a < night->n_ann; a++) {
		const struct np_night_annotation *an = &night->ann[a];
		for (unsigned k = 0; k < 3; k++) {
			if (an->kind != NP_ANN_NOTE || strcmp(an->text, texts[k]) != 0)
				continue;
			*any |= k == 0;
			/* Epochs whose middle the annotation covers. */
			double i0 = ceil(an->start_s / EP - 0.5), i1 = ceil(an->end_s / EP - 0.5);
			for (double i = fmax(i0, 0.0); i < i1 && i < (double)n; i++)
				t[(size_t)i] |= (uint8_t)(1u << k);
		}
	}
	return t;
}

static void score_truth(const struct np_night_sleep *s, const uint8_t *truth, size_t a, size_t b,
			struct np_sleep_night_result *r)
{
	struct np_sleep_truth_score *sc = &r->truth;
	long first = -1, last = -1;
	for (size_t i = a; i < b; i++) {
		if (truth[i] & 1) {
			first = first < 0 ? (long)i : first;
			last = (long)i;
		}
		if (!s->worn[i] || (truth[i] & 4))
			continue;
		bool ok = (s->asleep[i] != 0) == ((truth[i] & 1) != 0);
		sc->epochs++;
		sc->agreed += ok;
		if (truth[i] & 2) {
			sc->in_bed_epochs++;
			sc->in_bed_agreed += ok;
		}
	}
	sc->present = first >= 0;
	sc->onset_s = sc->present ? (double)first * EP : NAN;
	sc->wake_s = sc->present ? (double)last * EP : NAN;
	bool both = sc->present && r->found;
	sc->onset_err_min = both ? (r->onset_s - sc->onset_s) / 60.0 : NAN;
	sc->wake_err_min = both ? (r->wake_s - sc->wake_s) / 60.0 : NAN;
}

/* The guider of one window: HDCZA as g.sib.det, or the lying period. */
static int guide(struct np_night_sleep *s, const uint8_t *invalid, long clock0,
		 const struct np_spt_cfg *sc, struct np_sleep_night *nt, double *g0, double *g1,
		 bool *rely)
{
	size_t a = nt->start, len = nt->end - nt->start;
	int rc;
	if (s->guider == NP_SLEEP_GUIDER_HDCZA) {
		rc = np_sleep_night_spt(s->anglez_deg, invalid, s->n, clock0, sc, nt);
		*g0 = nt->guider_onset;
		*g1 = nt->guider_wake;
		*rely = nt->spt.invalid_inside;
		return rc;
	}
	rc = np_sleep_lying_guider(s->lying + a, len, invalid + a, sc, &nt->spt);
	*g0 = (double)(a + nt->spt.start);
	*g1 = (double)(a + nt->spt.end);
	*rely = false;
	return rc;
}

/* Time in bed, positions asleep and awake in bed, wake bouts, non-wear. */
static int night_figures(struct np_night_sleep *s, size_t a, size_t b, size_t e_on, size_t e_wk,
			 struct np_sleep_night_result *r)
{
	size_t off = in_bed_start(s->lying, a, e_on), on = in_bed_end(s->lying, b, e_wk);
	r->lights_off_s = (double)off * EP;
	r->lights_on_s = (double)on * EP;
	r->time_in_bed_min = (double)(on - off) * EP / 60.0;
	r->sol_min = (r->onset_s - r->lights_off_s) / 60.0;
	r->efficiency = r->time_in_bed_min > 0 ? r->tst_min / r->time_in_bed_min : 0.0;
	for (size_t i = off; i < on; i++) {
		s->in_bed[i] = 1;
		if (!s->worn[i])
			continue;
		double *acc = s->asleep[i] ? r->asleep_s : r->awake_in_bed_s;
		acc[s->position[i] < NP_POS_COUNT ? s->position[i] : NP_POS_UNKNOWN] += EP;
	}
	for (size_t i = e_on; i < e_wk; i++) {
		s->spt[i] = 1;
		r->nonwear_spt_min += s->nonwear[i] ? EP / 60.0 : 0.0;
	}
	for (size_t i = a; i < b; i++)
		r->nonwear_min += s->nonwear[i] ? EP / 60.0 : 0.0;
	r->first_bout = s->n_wake;
	int rc = runs_to_spans(s->asleep, 0, e_on, e_wk, &s->wake, &s->n_wake);
	r->n_bouts = s->n_wake - r->first_bout;
	return rc;
}

static int one_night(struct np_night_sleep *s, const uint8_t *invalid, long clock0,
		     const struct np_spt_cfg *sc, struct np_sleep_night *nt,
		     struct np_sleep_night_result *r)
{
	size_t a = nt->start, len = nt->end - nt->start;
	double g0, g1;
	bool rely;
	memset(r, 0, sizeof *r);
	r->number = nt->number;
	r->window_start_s = (double)a * EP;
	r->window_end_s = (double)nt->end * EP;
	int rc = guide(s, invalid, clock0, sc, nt, &g0, &g1, &rely);
	if (rc != NP_OK || !nt->spt.found)
		return rc;
	struct np_sleep_summary sum;
	const uint8_t *lying = s->guider == NP_SLEEP_GUIDER_LYING ? s->lying + a : NULL;
	rc = np_sleep_classify(s->sib + a, invalid + a, lying, len, a, g0, g1, rely, EP,
			       s->asleep + a, &sum);
	if (rc != NP_OK || isnan(sum.onset) || isnan(sum.wake))
		return rc;
	r->found = true;
	r->relied_on_guider = sum.relied_on_guider;
	r->guider_start_s = g0 * EP;
	r->guider_end_s = g1 * EP;
	r->onset_s = sum.onset * EP;
	r->wake_s = sum.wake * EP;
	r->spt_min = sum.spt_min;
	r->tst_min = sum.tst_min;
	r->waso_min = sum.waso_min;
	r->awakenings = sum.n_wake_bouts_5min;
	size_t e_on = (size_t)fmax(0.0, ceil(sum.onset));
	size_t e_wk = (size_t)fmin((double)s->n, floor(sum.wake) + 1.0);
	return night_figures(s, a, a + len, e_on, e_wk, r);
}

static bool window_has_data(const struct np_night_sleep *s, const struct np_sleep_night *nt)
{
	for (size_t i = nt->start; i < nt->end; i++)
		if (s->worn[i])
			return true;
	return false;
}

static int all_nights(struct np_night_sleep *s, const struct np_night *night, long clock0)
{
	size_t nn = 0;
	int rc = np_sleep_nights(clock0, s->n, EP, NULL, 0, &nn);
	if (rc != NP_OK && rc != NP_ERR_NOSPACE)
		return rc;
	struct np_sleep_night *nt = calloc(nn ? nn : 1, sizeof *nt);
	uint8_t *invalid = malloc(s->n ? s->n : 1);
	uint8_t *truth = truth_epochs(night, s->n, &s->has_truth);
	s->nights = calloc(nn ? nn : 1, sizeof *s->nights);
	rc = NP_ERR_NOMEM;
	if (!nt || !invalid || !truth || !s->nights)
		goto out;
	if ((rc = np_sleep_nights(clock0, s->n, EP, nt, nn, &nn)) != NP_OK)
		goto out;
	for (size_t i = 0; i < s->n; i++)
		invalid[i] = !s->worn[i];
	struct np_spt_cfg sc;
	np_spt_cfg_default(&sc);
	/* No imputation here (GGIR fills non-wear from other days): a sensor on the
	   nightstand must not look like a sleeper lying still, so invalid is movement. */
	sc.invalid_mode = NP_SPT_INVALID_MOVEMENT;
	for (size_t k = 0; k < nn && rc == NP_OK; k++) {
		if (nt[k].skipped || !window_has_data(s, &nt[k]))
			continue;
		struct np_sleep_night_result *r = &s->nights[s->n_nights];
		if ((rc = one_night(s, invalid, clock0, &sc, &nt[k], r)) != NP_OK)
			break;
		score_truth(s, truth, nt[k].start, nt[k].end, r);
		s->n_nights++;
	}
out:
	free(nt);
	free(invalid);
	free(truth);
	return rc;
}

int np_night_sleep_compute(const struct np_night *night, const struct np_night_sleep_cfg *cfg,
			   struct np_night_sleep *out)
{
	memset(out, 0, sizeof *out);
	if (!night || !cfg)
		return NP_ERR_ARG;
	out->guider = cfg->guider;
	out->epoch_s = EP;
	struct np_analysis_cfg acfg = cfg->epochs;
	acfg.epoch_s = EP;
	struct np_epochs ep;
	int rc = np_epochs_compute(night, &acfg, &ep);
	if (rc != NP_OK)
		return rc;
	out->n = ep.n;
	struct np_body_pipeline p = { .ac = ep.autocal };
	np_mat3_identity(&p.r);
	if (acfg.cal)
		p.r = acfg.cal->chest.r;
	if ((rc = alloc_arrays(out)) != NP_OK)
		goto out;
	for (size_t i = 0; i < ep.n; i++) {
		out->position[i] = (uint8_t)ep.v[i].position;
		out->lying[i] = np_position_is_lying(ep.v[i].position);
	}
	double rate = night->sensor_count > 0 ? np_night_rate_hz(night, 0) : 0.0;
	if (!(rate > 0) || night->sensor[0].n == 0)
		goto out;
	out->rate_hz = grid_rate(rate);
	if ((rc = anglez_and_nonwear(out, night, &p)) != NP_OK)
		goto out;
	if (!fill_and_flag(out)) {
		out->rate_hz = 0;
		goto out;
	}
	if ((rc = np_sleep_sib(out->anglez_deg, out->n, EP, 5.0, 5.0, out->sib)) != NP_OK ||
	    (rc = runs_to_spans(out->nonwear, 1, 0, out->n, &out->nonwear_spans,
				&out->n_nonwear_spans)) != NP_OK)
		goto out;
	rc = all_nights(out, night, clock0_of(night));
out:
	np_epochs_free(&ep);
	return rc;
}

const struct np_sleep_night_result *np_night_sleep_main(const struct np_night_sleep *s)
{
	const struct np_sleep_night_result *best = NULL;
	for (size_t i = 0; i < s->n_nights; i++)
		if (s->nights[i].found && (!best || s->nights[i].spt_min > best->spt_min))
			best = &s->nights[i];
	return best;
}

void np_sleep_night_avoid(const struct np_sleep_night_result *r, unsigned avoid_mask,
			  double *asleep_s, double *awake_in_bed_s)
{
	*asleep_s = *awake_in_bed_s = 0;
	for (unsigned p = 0; p < NP_POS_COUNT; p++)
		if (avoid_mask & NP_POS_BIT(p)) {
			*asleep_s += r->asleep_s[p];
			*awake_in_bed_s += r->awake_in_bed_s[p];
		}
}

int np_night_sleep_write_csv(const struct np_epochs *e, const struct np_night_sleep *s, FILE *f)
{
	if (e->epoch_s != EP)
		return NP_ERR_ARG;
	np_epochs_write_csv_header(e, f);
	fputs(",anglez_deg,sib,spt,asleep,worn\n", f);
	for (size_t k = 0; k < e->n; k++) {
		np_epochs_write_csv_row(e, k, f);
		if (k < s->n && s->rate_hz > 0)
			fprintf(f, ",%.4f,%d,%d,%d,%d\n", s->anglez_deg[k], s->sib[k], s->spt[k],
				s->asleep[k], s->worn[k]);
		else
			fputs(",,,,,0\n", f);
	}
	return ferror(f) ? NP_ERR_IO : NP_OK;
}
