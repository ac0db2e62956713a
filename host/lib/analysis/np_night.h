/*
 * A whole recording loaded into memory, in physical units, ready for analysis.
 * Times are seconds from the first sample of the chest sensor (t = 0).
 */
#ifndef NIGHTPOSE_HOST_NP_NIGHT_H
#define NIGHTPOSE_HOST_NP_NIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_posture.h"
#include "np_recording.h"

/* Clock jump bound (np_night_load): a fixed allowance plus a fraction of the elapsed time. */
#define NP_NIGHT_JUMP_S 60.0
#define NP_NIGHT_JUMP_FRAC 0.01

/*
 * What the samples must support (np_night_load_why()): a nominal rate of at most
 * NP_NIGHT_RATE_MAX_HZ and within a factor NP_NIGHT_RATE_FACTOR of the spacing of
 * the samples, samples at most NP_NIGHT_PERIOD_MAX_S apart within a frame, and a
 * span of at most NP_NIGHT_SPAN_SLACK_S plus NP_NIGHT_SPAN_FACTOR times the time
 * the samples cover. Anything else is damage, refused: the outputs' sizes follow
 * from the span and the rate.
 */
#define NP_NIGHT_RATE_MAX_HZ 10000.0
#define NP_NIGHT_RATE_FACTOR 2.0
#define NP_NIGHT_PERIOD_MAX_S 300.0
#define NP_NIGHT_SPAN_SLACK_S 3600.0
#define NP_NIGHT_SPAN_FACTOR 10.0

struct np_sample_g {
	double t_s;    /* seconds from the chest sensor's first sample */
	float x, y, z; /* sensor axes, in g */
};

struct np_series {
	struct np_sample_g *v;
	size_t n;
	size_t cap;
};

struct np_night_annotation {
	double start_s, end_s;
	uint8_t kind;             /* enum np_annotation_kind */
	enum np_position position;
	char text[NP_ANNOTATION_TEXT_MAX + 1];
};

struct np_night_event {
	double t_s;
	uint8_t origin; /* enum np_rec_origin */
	struct np_event ev;
};

/* A stretch without data: link lost, device reset, or samples missing on the device. */
struct np_gap {
	double start_s, end_s;
};

struct np_night {
	struct np_rec_header header;
	double start_utc_s;   /* Unix time of t = 0 (from the host receive times);
				 0 when unknown (header created_utc_ms 0) */
	double duration_s;    /* from t = 0 to the end of the last sample period */
	struct np_series sensor[NP_SENSORS_MAX];
	unsigned sensor_count;
	struct np_night_annotation *ann;
	size_t n_ann;
	struct np_night_event *events;
	size_t n_events;
	struct np_gap *gaps;
	size_t n_gaps;
	unsigned device_resets; /* HELLO frames after samples: the device restarted */
	unsigned clock_jumps;   /* device ticks that jumped without a HELLO (see np_night_load) */
	size_t samples_dropped; /* samples earlier than their predecessor (stale or damaged frames) */
	struct np_rec_stats stats;
};

/*
 * Load a recording (time mapping, resets and gaps: datasets/FORMAT.md section 5).
 * The ticks are checked against the host receive times: a device can deliver a
 * frame late, never early, and its clock drifts far less than 1 %. A SAMPLES
 * frame whose last sample's tick time runs ahead of its receive time by more
 * than NP_NIGHT_JUMP_S + NP_NIGHT_JUMP_FRAC x (host time since the run was
 * anchored), compared with the least delayed frame of the run, or whose first
 * sample lies that much before the sensor's previous sample, is a clock jump
 * (damage, a firmware fault): the run is re-anchored on the host clock as after
 * a device reset, a skipped stretch becomes a gap, and clock_jumps counts it.
 * Returns NP_OK, the np_rec_reader_open() errors, NP_ERR_RANGE when the header's
 * HELLO has tick_hz or lsb_per_g 0 (samples cannot be placed or scaled),
 * NP_ERR_IO on a read error, NP_ERR_NOMEM. On failure *n is zeroed.
 * Samples of each series are in time order. Free with np_night_free().
 */
int np_night_load(const char *path, struct np_night *n);

/* np_night_load(), and when it returns NP_ERR_RANGE, why (cap bytes; may be NULL)
 * says which of the bounds above the recording breaks ("" for a HELLO without
 * tick_hz or lsb_per_g). */
int np_night_load_why(const char *path, struct np_night *n, char *why, size_t cap);

/* Same from a recording held in memory (see np_rec_reader_open_mem()). */
int np_night_load_mem(const uint8_t *data, size_t len, struct np_night *n);

void np_night_free(struct np_night *n);

#endif
