/*
 * Breathing rate from chest acceleration.
 *
 * Breathing tilts the chest a little (a few mg at 0.1-0.7 Hz). Within each range the
 * chest signal is averaged onto a regular 4 Hz grid, cut into 10 s blocks, and blocks
 * with movement (or without data) are dropped together with their neighbours. The
 * remaining still data is cut into 60 s Welch segments (50 % overlap, Hann window,
 * linear detrend), and the 3x3 cross-spectra of the axes are averaged over all
 * segments of all ranges given. The direction with the most power in 0.1-0.7 Hz (the
 * principal eigenvector of the in-band cross-spectral matrix) is projected out, and
 * the peak of its spectrum gives the rate. The quality is the share of the power near
 * the peak, so a flat or multi-peaked spectrum gives no number.
 */
#ifndef NIGHTPOSE_HOST_NP_BREATHING_H
#define NIGHTPOSE_HOST_NP_BREATHING_H

#include <stddef.h>
#include <stdio.h>

#include "np_episodes.h"
#include "np_night.h"

struct np_breathing_cfg {
	double band_lo_hz, band_hi_hz; /* respiratory band searched for the peak (0.1, 0.7) */
	double movement_g;    /* a 10 s block whose detrended sd exceeds this on any axis is
				 movement (0.03 g) */
	double min_still_s;   /* less still data than this gives NP_BREATH_NOT_ENOUGH_STILL (90) */
	double min_quality;   /* below this: NP_BREATH_LOW_QUALITY (0.35) */
	double window_s;      /* length of the windows of np_breathing_windows() (300) */
};

/* Fill cfg with the defaults given next to each field. */
void np_breathing_cfg_default(struct np_breathing_cfg *cfg);

enum np_breathing_status {
	NP_BREATH_OK = 0,
	NP_BREATH_NOT_ENOUGH_STILL = 1, /* too little data without movement */
	NP_BREATH_LOW_QUALITY = 2,      /* still data, but no clear respiratory peak */
};

/* Words for a status: "ok", "not enough still data", "no clear breathing peak". */
const char *np_breathing_status_text(enum np_breathing_status s);

struct np_breathing_est {
	double start_s, end_s; /* span covered (first range start to last range end) */
	enum np_breathing_status status;
	double rate_bpm;  /* breaths per minute; 0 unless status is NP_BREATH_OK */
	double quality;   /* 0..1: share of the 0.05-1.5 Hz power within 0.04 Hz of the peak */
	double snr_db;    /* peak power over the median power in the band, in dB */
	double still_s;   /* seconds of still data that went into the estimate */
	double moving_s;  /* seconds rejected as movement or missing */
	unsigned segments; /* Welch segments averaged */
	unsigned episodes; /* np_breathing_by_position(): episodes with a rate */
	double rate_lo_bpm, rate_hi_bpm; /* range of those episodes' rates (else = rate_bpm) */
	float axis[3];    /* unit direction (sensor frame) carrying the breathing signal */
};

/* A time range in seconds, [start_s, end_s). */
struct np_time_range {
	double start_s, end_s;
};

/*
 * One estimate over the union of ranges of chest series s (e.g. one lying episode, or
 * all episodes in one position). The samples of s must be sorted by time.
 * Returns NP_OK (see est->status for whether there is a rate), NP_ERR_ARG, NP_ERR_NOMEM.
 */
int np_breathing_estimate(const struct np_series *s, const struct np_time_range *ranges,
			  size_t n_ranges, const struct np_breathing_cfg *cfg,
			  struct np_breathing_est *est);

/* Number of windows np_breathing_windows() produces for [start_s, end_s). */
size_t np_breathing_window_count(double start_s, double end_s, const struct np_breathing_cfg *cfg);

/*
 * Estimates for consecutive windows of cfg->window_s from start_s (a last window
 * shorter than half a window is merged into the one before). out holds cap entries;
 * *n receives the count. Returns NP_OK, NP_ERR_ARG, NP_ERR_NOSPACE, NP_ERR_NOMEM.
 */
int np_breathing_windows(const struct np_series *s, double start_s, double end_s,
			 const struct np_breathing_cfg *cfg, struct np_breathing_est *out,
			 size_t cap, size_t *n);

/*
 * One figure per lying position (supine, prone, left, right): each episode is
 * estimated on its own, and the rates of those with a rate are averaged, weighted by
 * their still time (rate_lo_bpm..rate_hi_bpm give the spread). Pooling all episodes
 * into one spectrum instead would report the rate of the strongest episode, not the
 * typical one. Upright and unknown get NP_BREATH_NOT_ENOUGH_STILL with no data.
 * per_episode, when not NULL, receives n_episodes estimates (those of upright and
 * unknown episodes are empty NP_BREATH_NOT_ENOUGH_STILL).
 * Returns NP_OK, NP_ERR_ARG, NP_ERR_NOMEM.
 */
int np_breathing_by_position(const struct np_series *chest, const struct np_episode *episodes,
			     size_t n_episodes, const struct np_breathing_cfg *cfg,
			     struct np_breathing_est out[NP_POS_COUNT],
			     struct np_breathing_est *per_episode);

/* One window of np_breathing_episode_windows(): inside one lying episode. */
struct np_breathing_window {
	enum np_position position;
	size_t episode;              /* index of its episode */
	struct np_breathing_est est; /* est.start_s, est.end_s: the window */
};

/*
 * The windows of np_breathing_windows() laid over each lying episode on its own (an
 * episode shorter than 1.5 windows is one window), so that each window has one
 * position; in time order. *out (free() it) receives *n windows, NULL when there are
 * none. Returns NP_OK, NP_ERR_ARG, NP_ERR_NOMEM.
 */
int np_breathing_episode_windows(const struct np_series *chest, const struct np_episode *episodes,
				 size_t n_episodes, const struct np_breathing_cfg *cfg,
				 struct np_breathing_window **out, size_t *n);

#endif
