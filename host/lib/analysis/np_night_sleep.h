/*
 * Sleep of a loaded night: GGIR's algorithms (np_sleep.h) run on the chest sensor.
 *
 * Pipeline (docs/SLEEP-ALGORITHMS.md, "From a recording"): raw samples -> the same
 * autocalibration and mounting as the epochs (np_night_cal.h) -> continuous runs of
 * samples (a gap longer than max(1 s, 2 sample periods) ends a run) -> each run cut
 * in chunks of at most 24 h (GGIR's chunks) starting on the 5-s epoch grid and
 * resampled by sample-and-hold to the nominal rate -> anglez per 5-s epoch and
 * non-wear per 15-min block, per chunk -> SIB on the whole timeline -> one sleep
 * period per noon-to-noon night (guider HDCZA or lying) -> sleep and wake inside it.
 *
 * Non-wear: GGIR's rule, then the breathing check below.
 * Epochs without data (gaps, runs too short for GGIR's median) hold the last angle
 * and count as invalid, like detected non-wear: never asleep, movement for the guider.
 */
#ifndef NIGHTPOSE_HOST_ANALYSIS_NP_NIGHT_SLEEP_H
#define NIGHTPOSE_HOST_ANALYSIS_NP_NIGHT_SLEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_epochs.h"
#include "np_night.h"
#include "np_sleep.h"

enum np_sleep_guider {
	NP_SLEEP_GUIDER_HDCZA = 0, /* GGIR's default: the trunk's angle alone */
	NP_SLEEP_GUIDER_LYING,     /* the main lying period; asleep only while lying */
};

/* "hdcza" or "lying". */
const char *np_sleep_guider_name(enum np_sleep_guider g);

/* Parse "hdcza" or "lying"; NP_ERR_ARG for anything else. */
int np_sleep_guider_parse(const char *s, enum np_sleep_guider *g);

/* Wake bouts, non-wear and truth spans: seconds from the first sample, [start, end). */
struct np_sleep_span {
	double start_s, end_s;
};

/*
 * Non-wear on the chest: GGIR's 2013 rule (2 of 3 axes still for 60 min) also
 * matches quiet sleep without a turn, so a 15-min block it calls non-wear counts as
 * worn when the anterior axis shows breathing: SD of its 1-s mean minus its 20-s
 * mean above NP_SLEEP_BREATH_SD_G. A block still on its own 15 min (GGIR's axis
 * criteria) without breathing is non-wear, which GGIR's 60-min window misses at the
 * edges of a sensor put down. Only from NP_SLEEP_BREATH_MIN_HZ on (slower sampling
 * cannot average the noise away); below, GGIR's rule alone decides.
 */
#define NP_SLEEP_BREATH_SD_G 0.0025
#define NP_SLEEP_BREATH_MIN_HZ 10.0

/* Breaks of lying shorter than this still count as in bed around the sleep period. */
#define NP_SLEEP_IN_BED_BREAK_S 300.0
/* A wake bout inside the sleep period counts as an awakening from this length on. */
#define NP_SLEEP_AWAKENING_S 300.0

struct np_sleep_truth_score {
	bool present;           /* "truth: asleep" annotations in the window */
	double onset_s, wake_s; /* first truth sleep start, last truth sleep end */
	double onset_err_min, wake_err_min; /* found - truth; NaN when either is missing */
	unsigned epochs, agreed;            /* scored epochs (worn, with data) and matches */
	unsigned in_bed_epochs, in_bed_agreed; /* the same inside the truth's time in bed */
};

struct np_sleep_night_result {
	unsigned number;             /* GGIR's night number */
	double window_start_s, window_end_s; /* noon-to-noon window */
	bool found;                  /* a sleep period was found */
	bool relied_on_guider;       /* no SIB in the guider: GGIR's edge SIBs were used */
	double guider_start_s, guider_end_s;
	double onset_s, wake_s;      /* the sleep period (SPT): first and last SIB */
	double lights_off_s, lights_on_s; /* time in bed: the lying period around the SPT */
	double time_in_bed_min, spt_min, tst_min, waso_min, sol_min, efficiency;
	unsigned awakenings;         /* wake bouts >= NP_SLEEP_AWAKENING_S inside the SPT */
	double nonwear_min;          /* detected non-wear in the window */
	double nonwear_spt_min;      /* ... of which inside the SPT */
	double asleep_s[NP_POS_COUNT];       /* per position, asleep */
	double awake_in_bed_s[NP_POS_COUNT]; /* per position, in bed and awake */
	size_t first_bout, n_bouts;  /* its wake bouts in np_night_sleep.wake */
	struct np_sleep_truth_score truth;
};

struct np_night_sleep_cfg {
	enum np_sleep_guider guider;  /* default HDCZA */
	struct np_analysis_cfg epochs; /* calibration, autocal and posture; epoch_s is ignored */
};

void np_night_sleep_cfg_default(struct np_night_sleep_cfg *cfg);

struct np_night_sleep {
	enum np_sleep_guider guider;
	double epoch_s;   /* NP_SLEEP_EPOCH_S */
	double rate_hz;   /* the rate the runs were resampled to; 0: no usable data */
	size_t n;         /* 5-s epochs from the first sample, as np_epochs_compute() */
	/* Per epoch, n values each (owned): */
	double *anglez_deg;
	uint8_t *sib;     /* GGIR's sustained inactivity bouts */
	uint8_t *worn;    /* data present and not non-wear */
	uint8_t *nonwear; /* detected non-wear (sensor put down) */
	uint8_t *lying;   /* trunk lying, worn */
	uint8_t *spt;     /* inside a night's sleep period [onset, wake] */
	uint8_t *asleep;
	uint8_t *in_bed;  /* inside a night's time in bed */
	uint8_t *position; /* enum np_position of the 5-s epoch */
	struct np_sleep_night_result *nights; /* owned, not skipped windows only */
	size_t n_nights;
	struct np_sleep_span *wake;     /* owned: wake bouts inside sleep periods */
	size_t n_wake;
	struct np_sleep_span *nonwear_spans; /* owned: runs of detected non-wear */
	size_t n_nonwear_spans;
	double nonwear_min;  /* detected non-wear in the recording */
	bool has_truth;      /* the recording has "truth: asleep" annotations */
};

/*
 * Run the pipeline on a night (local time from TZ gives the noon-to-noon windows;
 * without a start time the windows are 24 h from 12:00 "at" the first sample).
 * A night too short for GGIR's median (under about 2 minutes) gives n_nights 0 and
 * rate_hz 0, not an error. Returns NP_OK, NP_ERR_ARG, NP_ERR_RANGE (as
 * np_epochs_compute()), NP_ERR_NOMEM. Free with np_night_sleep_free(), after a
 * failure too.
 */
int np_night_sleep_compute(const struct np_night *night, const struct np_night_sleep_cfg *cfg,
			   struct np_night_sleep *out);

void np_night_sleep_free(struct np_night_sleep *s);

/* The night with the longest sleep period, or NULL when none was found. */
const struct np_sleep_night_result *np_night_sleep_main(const struct np_night_sleep *s);

/* Seconds of one night in positions of avoid_mask, asleep and awake in bed. */
void np_sleep_night_avoid(const struct np_sleep_night_result *r, unsigned avoid_mask,
			  double *asleep_s, double *awake_in_bed_s);

/*
 * The epochs CSV (np_epochs_write_csv()) with sleep columns for 5-s epochs:
 * ...,anglez_deg,sib,spt,asleep,worn. e must hold 5-s epochs of the same night
 * (the columns go by index; an epoch beyond s->n gets empty sleep columns).
 * Returns NP_OK, NP_ERR_ARG (e->epoch_s is not NP_SLEEP_EPOCH_S) or NP_ERR_IO.
 */
int np_night_sleep_write_csv(const struct np_epochs *e, const struct np_night_sleep *s, FILE *f);

/* Annotation texts of the ground truth (NOTE annotations, datasets/IMPORT.md). */
#define NP_SLEEP_TRUTH_ASLEEP "truth: asleep"
#define NP_SLEEP_TRUTH_IN_BED "truth: in bed"
#define NP_SLEEP_TRUTH_OFF "truth: sensor off"

#endif
