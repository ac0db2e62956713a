/*
 * A scripted transport for tests: bytes in chosen chunk sizes, silence,
 * faults (disconnect) and the end, on a simulated millisecond clock that the
 * test hands to the code under test. Plus helpers that build device frames.
 */
#ifndef NIGHTPOSE_TESTS_FAKES_FAKE_TRANSPORT_H
#define NIGHTPOSE_TESTS_FAKES_FAKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_transport.h"

struct fake_transport;

/* clock: the simulated time in ms, advanced by the script (may be shared by several fakes). */
struct fake_transport *fake_new(uint32_t *clock_ms);
/* Free (the transport's close() only marks it closed, so a test can inspect it after). */
void fake_free(struct fake_transport *f);

/* Hand the fake out as a transport (it stays owned by the test). */
void fake_transport(struct fake_transport *f, struct np_transport *t);

/* Reads return at most n bytes (1 splits every frame into single bytes). Default 4096. */
void fake_set_chunk(struct fake_transport *f, size_t n);
/* Queue bytes; the clock advances by advance_ms once they have all been read. */
void fake_bytes(struct fake_transport *f, const uint8_t *b, size_t n, uint32_t advance_ms);
/* Queue ms of nothing: reads return 0 bytes and advance the clock by their timeout. */
void fake_silence(struct fake_transport *f, uint32_t ms);
/* Queue a failing read (NP_ERR_NODEV: unplugged, NP_ERR_IO). */
void fake_fault(struct fake_transport *f, int err);
/* After the script: false (default) = NP_ERR_EOF; true = silence forever. */
void fake_set_endless(struct fake_transport *f, bool endless);

bool fake_closed(const struct fake_transport *f);
/* Everything written to the fake, and the COMMAND frames found in it. */
const uint8_t *fake_written(const struct fake_transport *f, size_t *n);
size_t fake_commands(const struct fake_transport *f, struct np_command *out, size_t cap);

/* From now on, answer every COMMAND cmd with an ACK (result) whose own frame sequence
 * is seq, read right after the item being read when the command is written. */
void fake_ack(struct fake_transport *f, uint8_t cmd, uint8_t result, uint16_t seq);

/* ---- Device frames on the wire (0x00, COBS, 0x00) ---- */

/* A HELLO of a 100 Hz, 1000 LSB/g, 1 kHz-tick device with this serial. Returns bytes written. */
size_t fake_wire_hello(uint8_t *out, size_t cap, uint16_t seq, const char *serial);
/* A SAMPLES frame of count identical samples (mg), period 10 ticks. */
size_t fake_wire_samples(uint8_t *out, size_t cap, uint16_t seq, uint32_t first_tick,
			 unsigned count, int16_t x, int16_t y, int16_t z);
/* Any message already encoded as a payload. */
size_t fake_wire_frame(uint8_t *out, size_t cap, uint8_t type, uint16_t seq, const uint8_t *p,
		       size_t n);

#endif
