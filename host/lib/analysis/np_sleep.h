/*
 * GGIR's sleep algorithms on plain arrays: anglez, non-wear (2013), sustained
 * inactivity bouts (HASIB vanHees2015), sleep period time window (HASPT HDCZA),
 * noon-to-noon night windows (g.sib.det) and the part 4 night summary.
 *
 * Independent of the night/epoch structs so that a streaming pipeline can feed it.
 * Every function checks its arguments, returns an np_err code and fills
 * caller-owned output buffers. Scratch memory is malloc'ed and freed before return
 * (NP_ERR_NOMEM if that fails). Epoch index 0 is the first epoch of the input;
 * windows are half-open [start, end) in epochs unless stated otherwise.
 * docs/SLEEP-ALGORITHMS.md describes each step and where it follows GGIR.
 */
#ifndef NIGHTPOSE_HOST_LIB_ANALYSIS_NP_SLEEP_H
#define NIGHTPOSE_HOST_LIB_ANALYSIS_NP_SLEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* GGIR windowsizes = c(5, 900, 3600): short epoch (ws3), long epoch (ws2), non-wear window (ws). */
#define NP_SLEEP_EPOCH_S 5.0
#define NP_SLEEP_BLOCK_S 900.0
#define NP_SLEEP_NONWEAR_WINDOW_S 3600.0

/* ---- 1. anglez (g.applymetrics, g.getmeta) ---- */

/*
 * Number of epochs np_sleep_anglez() writes for n samples: GGIR's averagePerEpoch()
 * keeps floor(n / (rate_hz * epoch_s)) whole epochs and drops a trailing partial one.
 */
size_t np_sleep_epoch_count(size_t n_samples, double rate_hz, double epoch_s);

/*
 * anglez in degrees per epoch from evenly spaced body-frame samples in g, exactly as
 * GGIR part 1 computes it for one data chunk: keep every floor(rate/10)-th sample,
 * 5-s rolling median per axis with GGIR's end handling, atan(z / sqrt(x^2 + y^2)),
 * epoch mean by cumulative sums, then round to 4 decimals when round4 is true
 * (g.getmeta rounds every metric to n_decimal_places = 4).
 * z must be the axis whose angle is wanted (nightpose: out of the chest).
 * GGIR runs this per chunk of about 24 h (a multiple of 15 min), so the median's end
 * handling repeats at every chunk boundary: call it once per chunk to match.
 * out must hold np_sleep_epoch_count() values; *n_epochs gets that count.
 * A value can be NaN where x = y = z = 0 (R gives NaN too); the SIB and SPT functions
 * read NaN as 0, as g.sib.det does.
 * NP_ERR_ARG: NULL, rate_hz <= 0, epoch_s <= 0 or a non-finite sample.
 * NP_ERR_NOSPACE: cap too small. NP_ERR_RANGE: too few samples for GGIR's tail
 * repair (fewer than about max(60 * rate_hz, 1000) decimated samples; GGIR would stop
 * with an error there). *n_epochs is 0 on failure.
 */
int np_sleep_anglez(const float *x_g, const float *y_g, const float *z_g, size_t n,
		    double rate_hz, double epoch_s, bool round4, double *anglez_deg, size_t cap,
		    size_t *n_epochs);

/* R's round(x, digits) (R >= 4.0.0 algorithm, src/nmath/fround.c); exposed for tests. */
double np_sleep_r_round(double x, int digits);

/* R's quantile(x, p) with the default type 7; x is sorted in place. 0 when n == 0. */
double np_sleep_quantile7(double *x, size_t n, double p);

/* ---- 2. non-wear, approach "2013" (detect_nonwear_clipping, g.weardec, g.impute) ---- */

struct np_nonwear_cfg {
	double block_s;     /* ws2, 900: one score per block */
	double window_s;    /* ws, 3600: samples examined per block */
	double sd_crit_g;   /* sdcriter 0.013 (GENEActiv, Axivity, ActiGraph, Movisens) */
	double range_crit_g; /* racriter 0.15 (same monitors; 0.05 only for GENEA) */
	double clip_g;      /* clipthres 7.5 (8 g range - 0.5) */
	unsigned threshold; /* wearthreshold 2: axes needed for non-wear */
};

void np_nonwear_cfg_default(struct np_nonwear_cfg *cfg);

/*
 * Non-wear and clipping scores per block for one data chunk, as GGIR's
 * detect_nonwear_clipping(nonwear_approach = "2013"). nonwear_score[b] is the number
 * of axes (0..3) whose window had range < range_crit_g and SD < sd_crit_g, after the
 * rule that turns a lone 1 between two scores > 1 into 2. clip_frac[b] is the share
 * of samples above clip_g on the worst axis (1.0 if any sample is above 1.5 * clip_g).
 * Either output may be NULL. Blocks: floor(n / (rate_hz * block_s)).
 * NP_ERR_UNSUPP: rate_hz * block_s or rate_hz * window_s is not a whole number.
 */
int np_sleep_nonwear_2013(const float *x_g, const float *y_g, const float *z_g, size_t n,
			  double rate_hz, const struct np_nonwear_cfg *cfg, uint8_t *nonwear_score,
			  double *clip_frac, size_t cap, size_t *n_blocks);

/*
 * Per-block invalid flag as g.weardec / g.impute make the basic part of it:
 * nonwear_score >= threshold (r1) or clip_frac > 0.3 (r2). clip_frac may be NULL.
 * g.weardec's extra relabelling (r3) and the protocol exclusions (r4) are not done.
 */
int np_sleep_invalid_blocks(const uint8_t *nonwear_score, const double *clip_frac,
			    size_t n_blocks, unsigned threshold, uint8_t *invalid);

/*
 * Block flags to epoch flags, as g.sib.det: each block repeated block_s / epoch_s
 * times, cut or padded with 0 to n_epochs.
 */
int np_sleep_blocks_to_epochs(const uint8_t *block_flag, size_t n_blocks, double block_s,
			      double epoch_s, uint8_t *epoch_flag, size_t n_epochs);

/* ---- 3. sustained inactivity bouts (HASIB, vanHees2015) ---- */

/*
 * sib[i] = 1 for epochs in a period without a change of anglez > angle_deg for more
 * than time_min minutes (GGIR anglethreshold = 5, timethreshold = 5).
 */
int np_sleep_sib(const double *anglez_deg, size_t n, double epoch_s, double angle_deg,
		 double time_min, uint8_t *sib);

/* ---- 4. sleep period time window (HASPT) ---- */

/* HASPT.ignore.invalid: what invalid (non-wear) epochs count as. */
enum np_spt_invalid {
	NP_SPT_INVALID_IGNORE = 0, /* FALSE (GGIR default): judged on the (imputed) angle */
	NP_SPT_INVALID_MOVEMENT,   /* TRUE: invalid epochs are movement */
	NP_SPT_INVALID_NOMOVEMENT, /* NA: invalid epochs are no movement */
};

struct np_spt_cfg {
	double epoch_s;         /* ws3, 5 */
	double block_min;       /* sptblocksize 30: blocks must be longer than this */
	double max_gap_min;     /* spt_max_gap 60: shorter gaps between blocks are filled */
	double perc;            /* HDCZA_threshold[1] 10: percentile */
	double mult;            /* HDCZA_threshold[2] 15: multiplier */
	double thr_min, thr_max; /* clamps 0.13 and 0.50 */
	double fixed_threshold; /* HDCZA_threshold of length 1; NaN (default) uses perc/mult */
	enum np_spt_invalid invalid_mode;
};

void np_spt_cfg_default(struct np_spt_cfg *cfg);

/*
 * An SPT window as HASPT returns it, in epochs of its input: [start, end), where
 * start = SPTE_start (never 0: GGIR turns 0 into 1) and end = SPTE_end.
 */
struct np_spt {
	bool found;
	size_t start, end;
	double threshold;   /* tib.threshold (HDCZA), 0 for the lying guider */
	bool invalid_inside; /* NOMOVEMENT mode only: invalid epochs in the window ("+invalid") */
};

/*
 * HDCZA: 5-min rolling median of |diff(anglez)| (zoo::rollapply, centred, fill 0),
 * threshold from its 10th percentile * 15 clamped to [0.13, 0.50], then the block
 * and gap rules of np_sleep_spt_from_nomov(). invalid may be NULL.
 * x_out (may be NULL) receives the rolling median, n values.
 */
int np_sleep_hdcza(const double *anglez_deg, size_t n, const uint8_t *invalid,
		   const struct np_spt_cfg *cfg, struct np_spt *spt, double *x_out);

/*
 * HASPT's rules on a per-epoch "no movement" flag: runs longer than block_min are
 * blocks (each marked one epoch past its end, as GGIR's s2[j]:e2[j] does), gaps
 * between blocks shorter than max_gap_min are filled (edge gaps never), the longest
 * result wins (the middle one of equals). Nothing found when no block exists or every
 * epoch is invalid. invalid may be NULL; cfg->invalid_mode applies it to nomov.
 */
int np_sleep_spt_from_nomov(const uint8_t *nomov, size_t n, const uint8_t *invalid,
			    const struct np_spt_cfg *cfg, struct np_spt *spt);

/*
 * nightpose's lying guider (not in GGIR): np_sleep_spt_from_nomov() on lying[i]
 * (1 = trunk lying), threshold 0.
 */
int np_sleep_lying_guider(const uint8_t *lying, size_t n, const uint8_t *invalid,
			  const struct np_spt_cfg *cfg, struct np_spt *spt);

/* ---- noon-to-noon windows (g.sib.det, g.detecmidnight) ---- */

struct np_sleep_night {
	size_t start, end;    /* [start, end): GGIR's qqq1..qqq2 after clipping */
	unsigned number;      /* sptei: 1, 2, ... counting skipped windows too */
	bool skipped;         /* qqq2 - qqq1 < 60 epochs before clipping: GGIR skips it */
	bool partial_first_day; /* qqq1 == 1 && qqq2 != 24 h of epochs */
	long midnight;        /* epoch of the night's midnight, -1 for the window before it */
	/* Filled by np_sleep_night_spt(): */
	struct np_spt spt;    /* relative to spt_base */
	size_t spt_base;      /* epoch where the window given to HASPT starts */
	bool daysleeper;      /* daysleep_offset = 6: the window moved 6 h on */
	double onset_h, wake_h; /* GGIR SPTE_start / SPTE_end: hours since the midnight before */
	double guider_onset, guider_wake; /* the same on the input's epoch timeline */
};

/*
 * Splits n_epochs epochs, whose first starts clock0_s seconds after a local midnight
 * (may be negative or > 86400), into GGIR's noon-to-noon windows. Midnights are the
 * epochs whose clock reads exactly 00:00:00; with none, GGIR's dummy midnight at the
 * last epoch is used. No DST handling. NP_ERR_NOSPACE if cap is too small
 * (*n_nights then holds the count needed).
 */
int np_sleep_nights(long clock0_s, size_t n_epochs, double epoch_s, struct np_sleep_night *nights,
		    size_t cap, size_t *n_nights);

/*
 * HDCZA for one window of np_sleep_nights() as g.sib.det calls it, including the
 * rerun 6 h later when the SPT ends within 1 h of the window end (day sleepers), and
 * GGIR's conversion to hours. anglez and invalid cover the whole input (n epochs);
 * invalid may be NULL. Sets night->spt, spt_base, daysleeper, onset_h, wake_h and the
 * guider on the input's epoch timeline (epoch i at time i; GGIR's window starts 5 s
 * after noon, so a full day's guider lies one epoch before spt_base + spt.start).
 */
int np_sleep_night_spt(const double *anglez_deg, const uint8_t *invalid, size_t n,
		       long clock0_s, const struct np_spt_cfg *cfg, struct np_sleep_night *night);

/* ---- 6. sleep inside the SPT (g.sib.sum, g.part4) ---- */

struct np_sleep_summary {
	bool has_sleep;       /* at least one SIB overlaps the guider (else cleaningcode 5) */
	bool relied_on_guider; /* artificial 1-min SIBs at the guider edges were added */
	double onset, wake;   /* sleeponset / wakeup on the epoch timeline */
	double spt_min;       /* SptDuration */
	double tst_min;       /* SleepDurationInSpt */
	double waso_min;      /* WASO = SptDuration - SleepDurationInSpt */
	double sol_min;       /* onset - guider onset (GGIR reports it for in-bed guiders) */
	unsigned n_sib_spt;   /* number_sib_sleepperiod */
	unsigned n_awakenings; /* number_of_awakenings = n_sib_spt - 1 */
	unsigned n_wake_bouts_5min; /* gaps between SIBs in the SPT of >= 5 min (nightpose) */
	double nonwear_min;   /* invalid epochs inside [onset, wake] */
};

/*
 * GGIR part 4 on one night window of n epochs starting at epoch w0 of the timeline:
 * SIB periods are runs of sib with invalid epochs zeroed (g.sib.sum ignorenonwear);
 * with lying given, only lying epochs can be SIB (nightpose's trunk rule). A period
 * counts when it overlaps the guider (start < guider_wake && end > guider_onset).
 * rely_on_guider forces GGIR's relyonguider handling (as for a "+invalid" guider).
 * asleep (may be NULL, n values) is 1 on the epochs of counted periods.
 * invalid and lying may be NULL.
 */
int np_sleep_classify(const uint8_t *sib, const uint8_t *invalid, const uint8_t *lying,
		      size_t n, size_t w0, double guider_onset, double guider_wake,
		      bool rely_on_guider, double epoch_s, uint8_t *asleep,
		      struct np_sleep_summary *sum);

#endif
