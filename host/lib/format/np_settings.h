/*
 * What a live recording was made with: the positions to avoid, the alert rules
 * and the sensor's mounting. The recorder writes them into the recording so that
 * replay and export can tell what the night was recorded under.
 */
#ifndef NIGHTPOSE_HOST_FORMAT_NP_SETTINGS_H
#define NIGHTPOSE_HOST_FORMAT_NP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_posture.h"

enum np_alert_mode {
	NP_ALERT_MODE_NONE = 0,    /* decide and log alerts, tell nobody */
	NP_ALERT_MODE_BELL = 1,    /* the caller rings the terminal bell (see NP_NOTE_ALERT) */
	NP_ALERT_MODE_VIBRATE = 2, /* send NP_CMD_VIBRATE to the device */
};
#define NP_ALERT_MODE_COUNT 3

/* "none", "bell", "vibrate"; "none" for a value out of range. */
const char *np_alert_mode_name(enum np_alert_mode m);
/* The reverse. Returns NP_OK or NP_ERR_ARG. */
int np_alert_mode_parse(const char *name, enum np_alert_mode *m);

/* When an alert may start: once the sleeper is asleep (still for a while), or whenever
 * lying in a position to avoid. */
enum np_alert_when {
	NP_ALERT_WHEN_ASLEEP = 0, /* the default: no buzzing someone awake */
	NP_ALERT_WHEN_LYING = 1,
};
#define NP_ALERT_WHEN_COUNT 2

/* "asleep", "lying"; "asleep" for a value out of range. */
const char *np_alert_when_name(enum np_alert_when w);
/* The reverse. Returns NP_OK or NP_ERR_ARG. */
int np_alert_when_parse(const char *name, enum np_alert_when *w);

struct np_live_settings {
	uint32_t avoid_mask;     /* NP_POS_BIT() of positions to avoid */
	uint32_t alert_after_s;  /* 0: no alerts */
	uint32_t alert_delay_s;  /* no alert before this many seconds of recording */
	enum np_alert_mode alert_mode;
	enum np_alert_when alert_when;
	struct np_mat3 mounting; /* sensor axes -> body axes */
};

/* Avoid prone, no alerts, identity mounting. */
void np_live_settings_default(struct np_live_settings *s);

/*
 * The settings a recording was made with, so that replay can take the same
 * decisions. The recorder writes them once, with the first chest samples, as
 * a host ANNOTATION of kind NOTE (zero length, at that frame's first tick)
 * whose text is machine-readable (datasets/FORMAT.md, 3.3):
 *   "nightpose-live avoid=prone after=60 delay=1800 mode=vibrate when=asleep rot=identity"
 * rot is "identity" or the 9 mounting matrix entries, row by row, as the hex
 * bits of IEEE-754 floats, so that a replay applies exactly the same rotation.
 */
#define NP_LIVE_SETTINGS_TAG "nightpose-live "

/* Returns NP_OK, NP_ERR_NOSPACE (cap too small; 200 always suffices). */
int np_live_settings_text(const struct np_live_settings *cfg, char *buf, size_t cap);

/*
 * Parse such a text into *cfg (nothing changed on error).
 * Unknown keys are skipped. Returns NP_OK, NP_ERR_FORMAT.
 */
int np_live_settings_parse(const char *text, struct np_live_settings *cfg);

/*
 * The first settings note in the recording at path, into *cfg as above;
 * *found false (and *cfg untouched) for recordings without one (simulated,
 * imported, made before settings were recorded). Returns NP_OK or the
 * reader's errors.
 */
int np_live_settings_read(const char *path, struct np_live_settings *cfg, bool *found);

#endif
