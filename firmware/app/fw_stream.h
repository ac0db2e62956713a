/*
 * Frames from the device to the host: one sequence counter, SAMPLES batched
 * about once per second, STATUS every FW_STATUS_PERIOD_MS, HELLO and ACK/EVENT
 * as they happen. Samples stay in the sampler until their frame was accepted by
 * the link, so a slow link fills the ring instead of losing frames.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_STREAM_H
#define NIGHTPOSE_FIRMWARE_APP_FW_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_board.h"
#include "fw_sampler.h"
#include "np_frame.h"
#include "np_msg.h"

#define FW_SAMPLES_PERIOD_MS 1000u
#define FW_STATUS_PERIOD_MS 5000u
/* One SAMPLES frame holds at most one second at 100 Hz. */
#define FW_BATCH_MAX 100u
#define FW_PAYLOAD_MAX (NP_SAMPLES_HEADER_LEN + FW_BATCH_MAX * 6u)
/* np_frame_encode() writes a delimiter before and after the COBS body. */
#define FW_WIRE_MAX (NP_COBS_MAX(NP_FRAME_HEADER_LEN + FW_PAYLOAD_MAX + NP_FRAME_CRC_LEN) + 2u)

struct fw_stream {
	uint16_t seq;
	uint32_t last_samples_ms[FW_SENSORS_MAX]; /* per sensor: each has its own batches */
	uint32_t last_status_ms;
	uint32_t frames_sent;
	uint32_t frames_lost;   /* non-sample frames the link refused or that failed to encode */
	uint8_t payload[FW_PAYLOAD_MAX];
	uint8_t wire[FW_WIRE_MAX];
};

/* Zero the counters and sequence number; the SAMPLES and STATUS periods start at now_ms. */
void fw_stream_init(struct fw_stream *st, uint32_t now_ms);

/* Encode and write one frame. NP_ERR_AGAIN if the link is busy (seq not used). */
int fw_stream_send(struct fw_stream *st, const struct fw_board *b, uint8_t type,
		   const uint8_t *payload, size_t len);

/*
 * Send SAMPLES frames from the sampler: full batches (batch samples) at once,
 * a partial one when FW_SAMPLES_PERIOD_MS has passed, everything when flush.
 * Each frame is one run of evenly spaced ticks of one sensor (s->sensor_id).
 */
void fw_stream_samples(struct fw_stream *st, const struct fw_board *b, struct fw_sampler *s,
		       size_t batch, uint32_t now_ms, bool flush);

/*
 * Encode and send one message. Returns NP_OK, the encoder's error, or the
 * link's; a frame the link refuses is counted in frames_lost, not retried.
 */
int fw_stream_hello(struct fw_stream *st, const struct fw_board *b, const struct np_hello *h);
int fw_stream_status(struct fw_stream *st, const struct fw_board *b, const struct np_status *m);
int fw_stream_event(struct fw_stream *st, const struct fw_board *b, const struct np_event *ev);
int fw_stream_ack(struct fw_stream *st, const struct fw_board *b, const struct np_ack *ack);

#endif
