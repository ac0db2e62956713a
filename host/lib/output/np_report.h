/*
 * The night's summary: time per position, positions to avoid, episodes, movement,
 * data quality, the back-pain advice applied to this night, and agreement with
 * ground-truth labels when the recording has them.
 *
 * Time per position comes from the epochs (what the sensor showed); episode counts,
 * the longest episodes and position changes come from the smoothed episodes
 * (np_episodes_build: hysteresis and minimum dwell), so a brief turn is time spent
 * but not a change of position. Clock times are local time (localtime_r, TZ) with
 * the zone's abbreviation; the recording's start must be known (start_utc_s > 0).
 */
#ifndef NIGHTPOSE_HOST_NP_REPORT_H
#define NIGHTPOSE_HOST_NP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "np_breathing.h"
#include "np_episodes.h"
#include "np_epochs.h"
#include "np_night.h"
#include "np_night_sleep.h"
#include "np_rec_alerts.h"

#define NP_REPORT_LONGEST 3

struct np_report_cfg {
	unsigned avoid_mask;            /* NP_POS_BIT() of positions to avoid; default prone */
	struct np_posture_cfg posture;  /* for the episodes */
};

/* Avoid prone; default posture thresholds (np_posture_cfg_default()). */
void np_report_cfg_default(struct np_report_cfg *cfg);

/* An alert of the night: decided by the host (record's engine) or by the device itself. */
struct np_report_alert {
	double t_s;                  /* from the first sample */
	enum np_position position;
	uint8_t level;               /* 1..3 */
	enum np_alert_source source; /* np_rec_alerts.h */
};

/* Alerts listed one by one in the text report; the JSON has them all. */
#define NP_REPORT_ALERTS_LISTED 10

/* A recording shorter than this gets a short report: positions only, in seconds. */
#define NP_REPORT_SHORT_S 600.0

struct np_report {
	double start_utc_s;       /* 0 when unknown */
	double span_s;            /* recording span */
	double epoch_s;
	double time_s[NP_POS_COUNT];
	double lying_s;           /* supine + prone + left + right */
	unsigned avoid_mask;
	double avoid_s;           /* time in positions to avoid (epochs) */
	size_t avoid_episodes;    /* episodes in positions to avoid */
	double avoid_episode_s;   /* their total length (smoothed: can differ from avoid_s) */
	double min_dwell_s;       /* the episodes' minimum dwell (cfg->posture.min_dwell_ms) */
	struct np_episode longest_avoid[NP_REPORT_LONGEST];
	size_t n_longest_avoid;
	struct np_episode longest; /* longest lying episode */
	bool has_longest;
	size_t changes;           /* changes between lying positions (episodes) */
	double changes_per_hour;  /* per hour lying */
	double movement_mg;       /* mean movement over lying epochs */
	double restless_fraction; /* lying epochs not still */
	size_t n_gaps;
	double gap_s;
	unsigned lost_frames;
	unsigned long long corrupt_records;
	unsigned clock_jumps;     /* night->clock_jumps: stretches placed by the host clock */
	double unknown_s;
	bool calibrated;          /* a calibration file gave the mounting */
	struct np_autocal autocal;
	struct np_report_alert *alerts; /* owned, in time order */
	size_t n_alerts;
	size_t alerts_by[2];         /* per enum np_alert_source */
	char cal_source[128];        /* the calibration file's recording ("" without one) */
	bool autocal_from_cal;       /* autocal is that recording's fit, not this night's */
	struct np_episode *episodes; /* owned */
	size_t n_episodes;
	struct np_breathing_est breathing[NP_POS_COUNT]; /* per lying position (np_breathing.h) */
	struct np_breathing_est *episode_breathing;      /* owned, one per episode */
	struct np_breathing_window *breathing_windows;   /* owned: 5-min windows of lying episodes */
	size_t n_breathing_windows;
	/* Ground truth (labels present). */
	bool has_labels;
	unsigned confusion[NP_POS_COUNT + 1][NP_POS_COUNT]; /* [truth][predicted] epochs;
							      truth row NP_POS_COUNT = "lying" */
	unsigned labelled, agreed;
	/* Sleep (np_night_sleep_compute()), set by the caller after np_report_build();
	   not owned, may be NULL (no sleep section). */
	const struct np_night_sleep *sleep;
};

/* Returns NP_OK or NP_ERR_NOMEM. Free with np_report_free(), after a failure too
 * (r may hold part of the report). */
int np_report_build(const struct np_night *night, const struct np_epochs *ep,
		    const struct np_report_cfg *cfg, struct np_report *r);

/* Free what np_report_build() allocated; NULL is allowed. */
void np_report_free(struct np_report *r);

/* Human-readable report, with the advice and the not-medical-advice line. NP_OK or NP_ERR_IO. */
int np_report_write_text(const struct np_report *r, FILE *f);

/* One JSON object and a newline. NP_OK, NP_ERR_NOMEM or NP_ERR_IO. */
int np_report_write_json(const struct np_report *r, FILE *f);

#endif
