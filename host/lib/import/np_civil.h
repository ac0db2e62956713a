/*
 * Calendar dates and times of day (UTC) to Unix time, without timegm() (not
 * POSIX, and it depends on the process time zone): for the importers, whose
 * files give their times as text.
 */
#ifndef NIGHTPOSE_HOST_IMPORT_NP_CIVIL_H
#define NIGHTPOSE_HOST_IMPORT_NP_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

/* v = { year, month, day, hour, minute, second }: a real date of 1970..2199 and a time
 * of day (no leap second). */
bool np_civil_valid(const unsigned v[6]);

/* Unix milliseconds of a valid v (np_civil_valid()). */
int64_t np_civil_ms(const unsigned v[6]);

#endif
