/*
 * Analysis of a loaded night: mounting calibration from two windows, epochs
 * (features and position per epoch), episodes (runs of one position with
 * hysteresis and minimum dwell).
 *
 * Pipeline per sample: raw (g, sensor axes) -> autocalibration (offset/gain, when
 * the night's still periods allow it) -> mounting rotation (CAL.json, or the default
 * mounting) -> body frame. The default mounting is the identity: the sensor is worn
 * with its x axis towards the head, y to the wearer's left and z out of the chest.
 */
#ifndef NIGHTPOSE_HOST_NP_EPOCHS_H
#define NIGHTPOSE_HOST_NP_EPOCHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "np_calfile.h"
#include "np_calibration.h"
#include "np_night.h"
#include "np_posture.h"

#define NP_EPOCH_DEFAULT_S 30.0

/*
 * Movement limit of the still flag: standard deviation of the acceleration vector
 * within the epoch. 22.5 mg is GGIR's 13 mg per axis, over three axes.
 */
#define NP_EPOCH_STILL_MG 22.5f

struct np_epoch {
	double start_s, end_s;     /* [start, end) from the first sample */
	enum np_position position; /* NP_POS_UNKNOWN when the epoch holds no usable data */
	float confidence;          /* 0..1: sector confidence, lowered when data are missing */
	struct np_vec3 g;          /* mean acceleration in the body frame, g */
	float roll_deg, inclination_deg;
	float movement_mg;         /* SD of the acceleration vector in the epoch */
	float enmo_mg;             /* mean of max(|a| - 1 g, 0) */
	bool still;                /* movement_mg < NP_EPOCH_STILL_MG */
	float valid_fraction;      /* samples present / samples expected, 0..1 */
	size_t n;                  /* chest samples in the epoch */
	bool has_leg;              /* second-sensor samples in this epoch */
	float leg_tilt_deg;        /* angle between trunk and leg gravity vectors, deg */
	enum np_position label;    /* ground truth covering most of the epoch, or UNKNOWN */
	bool has_label;            /* a label covers more than half of the epoch */
	bool label_lying;          /* that label is "lying", side not given (label UNKNOWN) */
};

struct np_analysis_cfg {
	double epoch_s;                /* > 0; default NP_EPOCH_DEFAULT_S */
	struct np_posture_cfg posture; /* np_posture_cfg_default() */
	const struct np_calfile *cal;  /* NULL: default mounting */
	bool autocal;                  /* try offset/gain autocalibration from the night (default on) */
};

/* Fill cfg with the defaults given next to each field. */
void np_analysis_cfg_default(struct np_analysis_cfg *cfg);

struct np_epochs {
	struct np_epoch *v;
	size_t n;
	double epoch_s;
	bool second_sensor;       /* the recording has a second sensor (leg_tilt column) */
	bool has_labels;          /* the recording has LABEL or LABEL_LYING annotations */
	bool calibrated;          /* a calibration file gave the mounting */
	struct np_autocal autocal; /* what was applied to the chest sensor */
	bool autocal_from_cal;     /* ... the calibration recording's fit, not this night's */
	char cal_source[128];      /* the calibration file's recording ("" without one) */
	double rate_hz;           /* chest sample rate used for valid_fraction */
};

/*
 * Epoch k covers [k * epoch_s, (k + 1) * epoch_s) from the first sample, up to the
 * recording's duration. Returns NP_OK, NP_ERR_ARG (epoch_s <= 0), NP_ERR_NOMEM,
 * NP_ERR_RANGE (more than 10 million epochs). Free with np_epochs_free().
 */
int np_epochs_compute(const struct np_night *night, const struct np_analysis_cfg *cfg,
		      struct np_epochs *out);

/* Free e->v and leave e empty; NULL is allowed. */
void np_epochs_free(struct np_epochs *e);

/*
 * CSV: header, then one row per epoch: start_s,end_s,position,confidence,roll_deg,
 * inclination_deg,movement_mg,still,valid_fraction[,leg_tilt_deg]. Angles are empty
 * for unknown epochs. Returns NP_OK or NP_ERR_IO.
 */
int np_epochs_write_csv(const struct np_epochs *e, FILE *f);

/* The CSV's header and row k without their newline, for writers that add columns. */
void np_epochs_write_csv_header(const struct np_epochs *e, FILE *f);
void np_epochs_write_csv_row(const struct np_epochs *e, size_t k, FILE *f);

#endif
