/*
 * The calibration file (CAL.json), written by `nightpose calibrate` and read by
 * `epochs` and `report`. Example (numbers shortened):
 *   { "format": "nightpose-calibration", "version": 1,
 *     "created_utc": "2026-11-24T14:05:00Z", "device_serial": "SPC-axel",
 *     "source": "axel.npr",
 *     "rotation": [[r00, r01, r02], [r10, r11, r12], [r20, r21, r22]],   body = R * sensor
 *     "windows": { "supine": { "start_s": 35, "end_s": 55, "samples": 20,
 *                              "mean_g": [x, y, z], "sd_mg": 14.2 },
 *                  "left": { ... } },
 *     "quality": { "stillness_sd_mg": 14.2, "angle_deg": 88.1, "orthogonality_residual": 1e-7 },
 *     "autocal": { "status": "applied", "applied": true, "offset_g": [..], "scale": [..],
 *                  "error_before_mg": 21.0, "error_after_mg": 3.1, "points": 40 },
 *     "second_sensor": { "rotation": [[..]], "angle_deg": 80.2 } }        (optional)
 */
#ifndef NIGHTPOSE_HOST_FORMAT_NP_CALFILE_H
#define NIGHTPOSE_HOST_FORMAT_NP_CALFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "np_calibration.h"

#define NP_CALFILE_VERSION 1

struct np_cal_window_rec {
	double start_s, end_s;
	size_t samples;
	struct np_vec3 mean_g;
	float sd_mg;
};

struct np_calfile {
	int version;
	char created_utc[32];   /* ISO 8601, "Z" */
	char device_serial[32];
	char source[128];       /* recording the windows came from */
	struct np_mount chest;
	struct np_cal_window_rec supine, left;
	struct np_autocal autocal; /* of the calibration recording; identity if none */
	bool has_second;           /* mounting of the second (leg) sensor from the same windows */
	struct np_mount second;
};

struct cJSON;

/*
 * The "autocal" object above: status, applied, offset_g, scale, error_before_mg,
 * error_after_mg (null when too few still periods to measure it) and points. Also
 * used by `info` and `report`. Returns a new object, or NULL without memory.
 */
struct cJSON *np_calfile_autocal_json(const struct np_autocal *a);

/* Serialise to a NUL-terminated JSON text (free() it). Returns NP_OK or NP_ERR_NOMEM. */
int np_calfile_to_json(const struct np_calfile *c, char **text);

/*
 * Parse and validate: format tag, version, rotation 3x3 of finite numbers, orthonormal
 * (residual below 1e-3) and right-handed. Returns NP_OK, NP_ERR_FORMAT (why says what is
 * wrong), NP_ERR_VERSION. why may be NULL.
 */
int np_calfile_from_json(const char *text, struct np_calfile *c, char *why, size_t why_cap);

/* Read and parse a file: adds NP_ERR_IO (errno set) and NP_ERR_NOMEM to the above. */
int np_calfile_load(const char *path, struct np_calfile *c, char *why, size_t why_cap);

#endif
