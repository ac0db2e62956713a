#ifndef NIGHTPOSE_HOST_FORMAT_NP_REC_BUILDER_H
#define NIGHTPOSE_HOST_FORMAT_NP_REC_BUILDER_H

#include <stdint.h>

#include "np_msg.h"
#include "np_recording.h"

/*
 * Writes a recording from samples in device counts, batching them into SAMPLES
 * frames with consecutive sequence numbers (used by import and simulate). The
 * file starts with a HELLO record (seq 0) copied from the header; frames hold
 * about one second of samples (h->hello.rate_millihz); host_ms is derived from
 * the ticks, 0 at the first tick added, so created_utc_ms is the wall-clock time
 * of that tick. Annotations are host frames (NP_ORIGIN_HOST).
 * Errors are sticky: after a failure every call returns it, commit removes the file.
 */
struct np_rec_builder;

/* The file appears at path only after np_rec_builder_commit(). NP_ERR_ARG if
 * h->hello has tick_hz or lsb_per_g 0. */
int np_rec_builder_open(struct np_rec_builder **b, const char *path, const struct np_rec_header *h);

/*
 * Add one sample of sensor (0 or 1) at tick (device ticks, see hello.tick_hz).
 * Consecutive samples at a constant period share a frame; a change of period,
 * a full frame, or a step longer than 1.5 nominal periods (a gap must not hide
 * inside a frame) starts a new one. Each sensor has its own pending frame.
 */
int np_rec_builder_add_sample(struct np_rec_builder *b, uint8_t sensor, uint32_t tick,
			      int16_t x, int16_t y, int16_t z);

int np_rec_builder_add_annotation(struct np_rec_builder *b, const struct np_annotation *a);

int np_rec_builder_add_event(struct np_rec_builder *b, uint8_t origin, const struct np_event *ev);

/* Write pending frames, fsync, rename into place, free. */
int np_rec_builder_commit(struct np_rec_builder *b);

/* Discard everything (no file left behind), free. */
void np_rec_builder_abort(struct np_rec_builder *b);

/* The temporary file being built (np_rec_writer_tmp_path()); NULL when none. */
const char *np_rec_builder_tmp_path(const struct np_rec_builder *b);

#endif
