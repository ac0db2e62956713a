/* How every JSON output of nightpose writes numbers, lines and position sets (cJSON). */
#ifndef NIGHTPOSE_HOST_FORMAT_NP_JSON_H
#define NIGHTPOSE_HOST_FORMAT_NP_JSON_H

#include <stdio.h>

struct cJSON;

/*
 * JSON numbers as a person reads them: v rounded to decimals places (0..6) before
 * cJSON prints it, so a sum of float times shows 143.38 and not 143.3800000000001
 * (cJSON prints the shortest text that reads back as the same double). Every JSON
 * writer of the host (info, report, trend, calibration) goes through this, with
 * the precisions below. Non-finite values and values too large to scale pass
 * through unchanged.
 */
enum {
	NP_JSON_S = 3,     /* times and durations in seconds: milliseconds */
	NP_JSON_HZ = 3,    /* rates in Hz: mHz, as the HELLO gives them */
	NP_JSON_MG = 1,    /* accelerations and errors in mg */
	NP_JSON_DEG = 1,   /* angles in degrees */
	NP_JSON_G = 6,     /* offsets in g, gains: below a float's resolution near 1 */
	NP_JSON_FRAC = 3,  /* fractions of 1, quality scores: 0.1 % */
	NP_JSON_DB = 1,    /* signal-to-noise ratios in dB */
	NP_JSON_RATE = 2,  /* per hour, per minute */
	NP_JSON_PCT = 1,   /* percentages */
};
double np_json_round(double v, int decimals);
/* cJSON_AddNumberToObject(o, name, np_json_round(v, decimals)). */
struct cJSON *np_json_add_number(struct cJSON *o, const char *name, double v, int decimals);

/*
 * Print o unformatted on one line, then delete it: every JSON document nightpose
 * prints (report, trend, info, devices) is one such line. o NULL (its allocation
 * failed): NP_ERR_NOMEM. Returns NP_OK, NP_ERR_NOMEM or NP_ERR_IO (ferror(f)).
 */
int np_json_line(struct cJSON *o, FILE *f);

/* ["prone", "supine"]: the names of the positions in mask; NULL without memory. */
struct cJSON *np_json_positions(unsigned mask);

#endif
