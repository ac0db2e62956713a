/*
 * Sensor calibration: mounting (sensor axes -> body axes) from two still postures,
 * and offset/gain autocalibration from the still periods of a night.
 * Host library (may allocate); works on vectors in g, knows nothing of recordings.
 */
#ifndef NIGHTPOSE_CALIBRATION_NP_CALIBRATION_H
#define NIGHTPOSE_CALIBRATION_NP_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "np_posture.h"

/* Summary of the samples of one window. */
struct np_cal_stats {
	size_t n;            /* samples */
	double duration_s;   /* length of the window asked for */
	struct np_vec3 mean; /* mean vector, g */
	float sd_mg[3];      /* standard deviation per axis, mg */
	float sd_vec_mg;     /* sqrt of the summed per-axis variances, mg */
};

/* Mean and spread of n vectors (n may be 0: everything zeroed). duration_s is copied. */
void np_cal_stats_compute(const struct np_vec3 *v, size_t n, double duration_s,
			  struct np_cal_stats *s);

enum np_cal_problem {
	NP_CAL_OK = 0,
	NP_CAL_EMPTY,        /* no samples in the window */
	NP_CAL_TOO_SHORT,    /* fewer than min_samples samples or shorter than min_duration_s */
	NP_CAL_NOT_STILL,    /* the wearer moved: spread above max_sd_mg */
	NP_CAL_MAGNITUDE,    /* mean vector far from 1 g: not gravity */
	NP_CAL_NOT_SQUARE,   /* the two gravity directions are not about 90 degrees apart */
};

/*
 * Limits for mounting windows. The default stillness limit is 150 mg (vector SD): in the
 * sleep-position dataset the calibration windows of still subjects reach 69 mg (slow
 * drift of the chest, aurora's left side), while a turn or a walk inside a window gives
 * several hundred mg.
 */
struct np_mount_limits {
	size_t min_samples;   /* default 5 */
	double min_duration_s; /* default 5 */
	float max_sd_mg;      /* default 150 */
	/* Back and left side are 90 degrees apart when the side is a true side; a side
	 * rolled towards the back comes closer: in the sleep-position dataset aurora's
	 * calibration postures are 57 degrees apart. Hence 90 +- 40, not +- 30. */
	float min_angle_deg;  /* default 50 */
	float max_angle_deg;  /* default 130 */
};

/* Fill l with the defaults given next to each field. */
void np_mount_limits_default(struct np_mount_limits *l);

/* Room for any np_cal_problem_text(), terminator included. */
#define NP_CAL_PROBLEM_TEXT_MAX 128

/*
 * English text for p ("not still: ..."), naming the limits of l that p is about (NULL:
 * the defaults). Written to out, cut to fit cap (> 0); returns out.
 */
const char *np_cal_problem_text(enum np_cal_problem p, const struct np_mount_limits *l, char *out,
				size_t cap);

/* Checks one window on its own (emptiness, length, stillness, magnitude 0.5..1.5 g). */
enum np_cal_problem np_mount_check_window(const struct np_mount_limits *l,
					  const struct np_cal_stats *s);

/* Beyond this, a mounting is far from the documented one (x to the head, z out of the
 * chest): worth a warning, as the windows may not be what they were said to be. */
#define NP_MOUNT_TURN_WARN_DEG 45.0f

/* Sensor-to-body rotation: body = r * sensor. */
struct np_mount {
	struct np_mat3 r;
	float angle_deg;       /* between the two postures' gravity directions */
	float turn_deg;        /* rotation angle of r: how far from the documented mounting */
	float ortho_residual;  /* max |r r^T - I| element: numerical check, ~1e-7 */
};

/*
 * Gram-Schmidt from the supine and left-side gravity: z_body = supine gravity,
 * y_body = minus the left-side gravity (lying on the left reads -y) made orthogonal
 * to z, x_body = y x z. So the supine window reads exactly (0, 0, 1) and the left
 * window reads (0, -cos d, sin d) when the wearer lay rolled d degrees towards the back.
 * Returns NP_OK, or NP_ERR_RANGE with *problem and *which (0 supine, 1 left, 2 both)
 * saying why. problem and which may be NULL.
 */
int np_mount_compute(const struct np_mount_limits *l, const struct np_cal_stats *supine,
		     const struct np_cal_stats *left, struct np_mount *m,
		     enum np_cal_problem *problem, int *which);

/*
 * Rotation taking sensor directions a1, a2 onto body directions b1, b2 (TRIAD: a1 onto
 * b1 exactly, a2 as close to b2 as the angles allow). Used for a second sensor whose
 * gravity directions in the two calibration postures are given in the body frame by
 * the chest. When a1 and a2 (or b1 and b2) are less than 10 degrees apart, only a1 is
 * aligned onto b1 by the smallest rotation. Returns NP_OK, or NP_ERR_RANGE for
 * vectors near zero.
 */
int np_mount_align(struct np_vec3 a1, struct np_vec3 a2, struct np_vec3 b1, struct np_vec3 b2,
		   struct np_mount *m);

/* Largest element of |r r^T - I|, and the determinant (+1 for a proper rotation). */
float np_mat3_ortho_residual(const struct np_mat3 *r);
float np_mat3_det(const struct np_mat3 *r);

/*
 * Offset/gain autocalibration in the style of van Hees et al. (2014, J Appl Physiol 117:738)
 * and GGIR: still 10-s windows of the night lie on the unit sphere when the sensor is
 * right, so fit corrected = scale * (raw + offset) per axis by iteratively reweighted
 * least squares towards the nearest sphere point.
 * Applied only when every axis has still points above +0.3 g and below -0.3 g (GGIR's
 * sphere criterion: without both signs an offset cannot be told from a gain), the fit
 * improves the error, ends below 10 mg, and stays plausible (scale 0.8..1.2, offset
 * within 0.3 g).
 */
enum np_autocal_status {
	NP_AUTOCAL_APPLIED = 0,
	NP_AUTOCAL_TOO_FEW,     /* fewer than min_points still windows */
	NP_AUTOCAL_SPREAD,      /* still windows do not span enough orientations */
	NP_AUTOCAL_NO_GAIN,     /* fit did not reach 10 mg or did not improve */
	NP_AUTOCAL_IMPLAUSIBLE, /* fit out of the plausible range */
};

/* Short English text for s ("applied", "too few still periods", ...): static, never NULL. */
const char *np_autocal_status_text(enum np_autocal_status s);

struct np_autocal {
	enum np_autocal_status status;
	bool applied;          /* status == NP_AUTOCAL_APPLIED */
	float offset_g[3];     /* identity when not applied: 0 */
	float scale[3];        /* identity when not applied: 1 */
	float err_before_mg;   /* mean | |g| - 1 | over the still points, raw */
	float err_after_mg;    /* same after the fit (== before when not applied) */
	size_t n_points;       /* still windows used */
};

/* Identity calibration (not applied). */
void np_autocal_identity(struct np_autocal *a);

/*
 * One line for people: "applied, error 41.2 mg -> 2.3 mg (40 still periods)",
 * "not applied: <why>, error 9.8 mg (40 still periods)", or without an error when
 * there were too few still periods to measure it ("not applied: too few still
 * periods (2 of 6 needed)"). Cut to fit cap.
 */
void np_autocal_describe(const struct np_autocal *a, char *out, size_t cap);

/* Whether err_before_mg/err_after_mg were measured (enough still periods). */
bool np_autocal_has_error(const struct np_autocal *a);

/* Length of the still windows and their stillness limit (GGIR: 10 s, 13 mg per axis). */
#define NP_AUTOCAL_WINDOW_S 10.0
#define NP_AUTOCAL_STILL_SD_MG 13.0f
#define NP_AUTOCAL_MIN_POINTS 6u

/* Whether a window's statistics make it a still point for the fit. */
bool np_autocal_is_still(const struct np_cal_stats *s);

/*
 * Fit from n still-window means (g). Always fills *a (identity when not applied).
 * Returns NP_OK, NP_ERR_NOMEM, NP_ERR_ARG.
 */
int np_autocal_fit(const struct np_vec3 *points, size_t n, struct np_autocal *a);

/* corrected = scale * (raw + offset) */
struct np_vec3 np_autocal_apply(const struct np_autocal *a, struct np_vec3 raw);

#endif
