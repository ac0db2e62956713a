/* Helpers shared by the firmware app tests: read what the device sent through fake_board. */
#ifndef NIGHTPOSE_TESTS_FIRMWARE_FW_TEST_UTIL_H
#define NIGHTPOSE_TESTS_FIRMWARE_FW_TEST_UTIL_H

#include <string.h>

#include "fake_board.h"
#include "np_err.h"

/* Next frame of the given type, skipping others; false when none is left. */
static inline bool next_of_type(struct fake_board *fb, uint8_t type, struct np_frame *f)
{
	while (fake_board_next_frame(fb, f) == NP_OK) {
		if (f->type == type)
			return true;
	}
	return false;
}

/* Next ACK; fails the test if there is none. */
static inline struct np_ack next_ack(struct fake_board *fb)
{
	struct np_frame f;
	struct np_ack a;
	memset(&a, 0xEE, sizeof a);
	if (next_of_type(fb, NP_MSG_ACK, &f))
		(void)np_ack_decode(f.payload, f.len, &a);
	return a;
}

#endif
