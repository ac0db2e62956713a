/*
 * A recording held in memory (samples in device counts, annotations), built by
 * the importers and the simulator and written through np_rec_builder.
 */
#ifndef NIGHTPOSE_HOST_FORMAT_NP_REC_DATA_H
#define NIGHTPOSE_HOST_FORMAT_NP_REC_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_outfile.h"
#include "np_recording.h"

/* One sample of one sensor, in device counts at a device tick. */
struct np_rec_point {
	uint32_t tick;
	int16_t x, y, z;
};

struct np_rec_track {
	struct np_rec_point *v;
	size_t n, cap;
};

/*
 * A recording held in memory: header (with hello.tick_hz, lsb_per_g, ...), samples
 * per sensor in increasing tick order, annotations. Owns its arrays.
 */
struct np_rec_data {
	struct np_rec_header header;
	struct np_rec_track track[NP_SENSORS_MAX];
	struct np_annotation *ann;
	size_t n_ann, cap_ann;
};

/* Empty recording with a version-1 header; no allocation. */
void np_rec_data_init(struct np_rec_data *d);

/* Append a sample to sensor's track. Returns NP_OK, NP_ERR_ARG (sensor), NP_ERR_NOMEM. */
int np_rec_data_add(struct np_rec_data *d, unsigned sensor, uint32_t tick, int16_t x, int16_t y,
		    int16_t z);

/* Append an annotation [start_tick, end_tick); text is cut at NP_ANNOTATION_TEXT_MAX
 * bytes. Returns NP_OK, NP_ERR_NOMEM. */
int np_rec_data_annotate(struct np_rec_data *d, uint32_t start_tick, uint32_t end_tick,
			 uint8_t kind, uint8_t position, const char *text);

/*
 * Write d to path through np_rec_builder: the file appears only when complete.
 * watch (may be NULL) is told the temporary file's name, so that a signal handler
 * can remove it. Returns NP_OK or the builder's error (NP_ERR_IO with errno set,
 * NP_ERR_NOMEM).
 */
int np_rec_data_write(const struct np_rec_data *d, const char *path,
		      const struct np_tmp_watch *watch);

/* Free the tracks and annotations and leave d empty, as after np_rec_data_init(). */
void np_rec_data_free(struct np_rec_data *d);

/*
 * Device ticks for a fixed sample rate given in millihertz: tick_hz 1000 (ms) when
 * the period is a whole number of ms, else the smallest tick rate that makes it a
 * whole number of ticks. Returns NP_OK or NP_ERR_RANGE (rate 0, or a period that
 * does not fit the 16-bit period of a SAMPLES frame).
 */
int np_rec_tick_base(uint32_t rate_millihz, uint32_t *tick_hz, uint32_t *period_ticks);

#endif
