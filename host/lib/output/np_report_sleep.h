/*
 * The sleep section of the report (np_night_sleep.h): text and JSON.
 * Clock times are local time (localtime_r, TZ); in JSON ISO 8601 with the UTC
 * offset ("2026-01-06T23:41:00+01:00"), null when the recording's start is unknown.
 */
#ifndef NIGHTPOSE_HOST_OUTPUT_NP_REPORT_SLEEP_H
#define NIGHTPOSE_HOST_OUTPUT_NP_REPORT_SLEEP_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "np_night_sleep.h"

/* "Sleep" heading and one block per night. NP_OK or NP_ERR_IO. */
int np_report_sleep_write_text(const struct np_night_sleep *s, double start_utc_s,
			       unsigned avoid_mask, FILE *f);

/* The advice's sleep line ("asleep on your stomach: X min"); nothing without a night. */
void np_report_sleep_write_advice(const struct np_night_sleep *s, FILE *f);

/*
 * The "sleep" object: guider, epoch_s, nonwear_min, nonwear spans, "nights" (one
 * object per noon-to-noon night with data) and, at the top level, the figures of
 * the main night (np_night_sleep_main(): the longest sleep period) with its
 * "night" number (null and no figures when no night has a sleep period).
 * NULL when out of memory.
 */
cJSON *np_report_sleep_to_json(const struct np_night_sleep *s, double start_utc_s,
			       unsigned avoid_mask);

#endif
