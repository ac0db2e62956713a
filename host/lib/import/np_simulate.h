/*
 * A synthetic night with known ground truth (nightpose simulate).
 *
 * The wearer sits in bed for a few minutes, lies down, falls asleep and changes
 * position from time to time (dwell times drawn from a log-normal law), with brief
 * arousals (movement without a change of position), breathing at a known rate per
 * episode, sensor noise, per-axis offset and gain errors and a tilted mounting.
 * Model and annotation texts: datasets/IMPORT.md ("simulate").
 *
 * The same options give the same recording, byte for byte: the generator has its
 * own PRNG and the creation time derives from the seed, not from the clock. The
 * plan of the night (episodes, rates, errors) does not depend on the sample rate.
 */
#ifndef NIGHTPOSE_HOST_NP_SIMULATE_H
#define NIGHTPOSE_HOST_NP_SIMULATE_H

#include <stdbool.h>
#include <stdint.h>

#include "np_import.h"
#include "np_posture.h"
#include "np_rec_data.h"

struct np_sim_opts {
	double hours;       /* length of the night, (0, 48]; default 8 */
	double rate_hz;     /* sample rate, [1, 200] Hz; default 25 */
	uint64_t seed;      /* default 1 */
	bool second_sensor; /* add an ankle sensor as sensor 1 */
	float noise_g;      /* white noise sd per axis, default 0.005 g */
	/* Sensor errors: random from the seed (offsets up to 50 mg, gains within 3%)
	   unless set_errors. Reading = gain * true acceleration + offset. */
	bool set_errors;
	float offset_g[3];
	float gain[3];
	/* Mounting, body axes to sensor axes: a random 10-20 degree tilt unless set_mount
	   (e.g. an upside-down mounting for calibration tests). Must be a rotation. */
	bool set_mount;
	struct np_mat3 mount;
	/* The sleep model (datasets/IMPORT.md, "simulate --sleep"): evenings up and in a
	   chair, lying awake, sleep with wake bouts and a bathroom trip, early morning
	   awake in bed, days between nights; sleep truth as NOTE annotations. Its length
	   comes from the nights, cut at hours when hours_given. */
	bool sleep_model;
	unsigned nights;    /* sleep model: 1..NP_SIM_NIGHTS_MAX (0: 1) */
	bool nonwear;       /* sleep model: the sensor lies on the nightstand each evening */
	bool hours_given;   /* sleep model: cut at hours (up to NP_SIM_SLEEP_HOURS_MAX) */
};

#define NP_SIM_NIGHTS_MAX 7u
#define NP_SIM_SLEEP_HOURS_MAX 168.0

/* Defaults as given next to each field: chest only, sensor errors and mounting from the seed. */
void np_sim_opts_default(struct np_sim_opts *o);

/* What the generator did, for tests (the same figures are in NOTE annotations). */
struct np_sim_truth {
	float offset_g[3], gain[3];
	struct np_mat3 mount; /* sensor = mount * body */
	float mount_deg;      /* rotation angle of mount */
	double seconds[NP_POS_COUNT]; /* labelled time per position */
	unsigned episodes;    /* LABEL annotations */
	unsigned arousals;
	double onset_s;       /* end of the sitting-up period */
};

/*
 * Generate the night into d (free with np_rec_data_free()); truth may be NULL.
 * Returns NP_OK, NP_ERR_RANGE (hours or rate out of range), NP_ERR_NOMEM.
 */
int np_simulate(const struct np_sim_opts *o, struct np_rec_data *d, struct np_sim_truth *truth);

#endif
