/*
 * The alerts a recording holds: the host's (HOST_ALERT events it logged, bell or
 * vibrate command) and the device's own (ALERT_FIRED events from the firmware).
 * Replay compares the ones it decides with these.
 */
#ifndef NIGHTPOSE_HOST_FORMAT_NP_REC_ALERTS_H
#define NIGHTPOSE_HOST_FORMAT_NP_REC_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Alerts kept per recording: far above any night's (one every 10 s for a day is 8640). */
#define NP_REC_ALERTS_MAX 100000u

enum np_alert_source {
	NP_ALERT_FROM_HOST = 0,   /* the host decided it (record's alert engine) */
	NP_ALERT_FROM_DEVICE = 1, /* the firmware decided it */
};

/* Whether an EVENT of kind, from origin (enum np_rec_origin), is an alert, and whose:
 * HOST_ALERT written by the host, ALERT_FIRED sent by the device. */
bool np_alert_source_of(uint8_t origin, uint8_t kind, enum np_alert_source *source);

struct np_rec_alert {
	uint32_t host_ms;           /* the record's receive time */
	enum np_alert_source source;
	uint8_t position;           /* enum np_position */
	uint8_t level;              /* 1..3 */
};

struct np_rec_alerts {
	struct np_rec_alert *v; /* owned */
	size_t n, cap;
};

/* Append one; past NP_REC_ALERTS_MAX alerts are dropped (NP_OK). NP_OK or NP_ERR_NOMEM. */
int np_rec_alerts_add(struct np_rec_alerts *l, const struct np_rec_alert *a);

/* Read every alert of the recording at path, in file order. Returns NP_OK or the
 * reader's errors; on failure l is empty. Free with np_rec_alerts_free(). */
int np_rec_alerts_read(const char *path, struct np_rec_alerts *l);

/* How many alerts of l came from source. */
size_t np_rec_alerts_count(const struct np_rec_alerts *l, enum np_alert_source source);

/* Whether the alerts of source in a and in b fall at the same host times, in order. */
bool np_rec_alerts_same_times(const struct np_rec_alerts *a, const struct np_rec_alerts *b,
			      enum np_alert_source source);

void np_rec_alerts_free(struct np_rec_alerts *l);

#endif
