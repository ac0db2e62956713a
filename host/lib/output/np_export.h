/*
 * Export of a night's samples for other tools: CSV (one row per chest sample) and
 * EDF+ (EDFlib), the format sleep clinics' viewers read.
 *
 * EDF+ layout (docs/REPORTS.md has the user-facing version):
 *   signals   "Chest X", "Chest Y", "Chest Z" in g (sensor axes), or "Chest sup",
 *             "Chest left", "Chest ant" (body frame, when a calibration is given);
 *             the same for a second sensor ("Leg ..."), then "Position" (1 Hz, code:
 *             0 unknown, 1 supine, 2 prone, 3 left, 4 right, 5 upright = enum np_position).
 *   annotations  "Position: <name>" per episode (onset, duration), "Alert: <name>" per
 *             alert (duration until it cleared, when known), "Button", "Gap: no data",
 *             "Label: <name>" and "Note: <text>" from the recording, and a note when the
 *             samples had to be resampled onto a regular grid; with opts->sleep,
 *             "Sleep period" (onset to wake), "Wake" per wake bout inside it,
 *             "Lights off", "Lights on" (time in bed) and "Non-wear" per non-wear run.
 * In the sensor frame the digital values are the device counts (resolution 1/lsb_per_g
 * g, range +-floor(32767 / lsb_per_g) g), so the samples read back exactly. Gaps are
 * filled with 0 g and annotated.
 */
#ifndef NIGHTPOSE_HOST_NP_EXPORT_H
#define NIGHTPOSE_HOST_NP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "np_calibration.h"
#include "np_episodes.h"
#include "np_epochs.h"
#include "np_night_cal.h"
#include "np_night.h"
#include "np_night_sleep.h"
#include "np_outfile.h"

/* How one sensor's samples are turned into exported values. */
struct np_export_frame {
	bool body;                 /* false: sensor axes as recorded */
	struct np_autocal autocal; /* applied first (identity: nothing) */
	struct np_mat3 r;          /* then body = r * corrected */
};

struct np_export_opts {
	struct np_export_frame frame[NP_SENSORS_MAX];
	const struct np_episode *episodes; /* position channel and annotations; may be NULL */
	size_t n_episodes;
	const struct np_tmp_watch *watch;  /* told the EDF's temporary name; may be NULL */
	const struct np_night_sleep *sleep; /* EDF+ sleep annotations; may be NULL */
};

/* Sensor axes, no episodes. */
void np_export_opts_default(struct np_export_opts *o);

/* What the EDF writer did, for the CLI to tell the user. */
struct np_export_info {
	double rate_hz[NP_SENSORS_MAX]; /* samples per second written per sensor */
	double record_s;                /* EDF data record duration */
	size_t records;
	size_t samples_exact;           /* grid points that are a recorded sample */
	size_t samples_interpolated;    /* grid points interpolated between samples */
	size_t samples_gap;             /* grid points in gaps (written as 0 g) */
	size_t annotations;
	bool resampled;                 /* samples_interpolated > 0 */
};

/*
 * CSV: header "time_s,x_g,y_g,z_g" (plus ",x2_g,y2_g,z2_g" with a second sensor), then
 * one row per chest sample; second-sensor fields hold the sample nearest in time
 * (within half its period) and are empty otherwise. Returns NP_OK or NP_ERR_IO.
 */
int np_export_csv(const struct np_night *n, const struct np_export_opts *o, FILE *f);

/*
 * EDF+ written to a temporary file beside path and renamed over path on success.
 * The start date and time are the local clock time of t = 0; a date outside EDF's
 * 1985-2084 is written as 1985-01-01 00:00:00 (EDF+'s anonymous date).
 * Returns NP_OK; NP_ERR_IO (errno set; EDFlib could not create or finish the file);
 * NP_ERR_RANGE (more annotations than EDF+ can hold: 64 per data record);
 * NP_ERR_FORMAT (no chest samples); NP_ERR_NOMEM. info may be NULL.
 */
int np_export_edf(const struct np_night *n, const struct np_export_opts *o, const char *path,
		  struct np_export_info *info);

#endif
