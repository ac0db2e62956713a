/* A recording replayed as wire bytes, as a transport (replay, tests). */
#ifndef NIGHTPOSE_HOST_LINK_NP_TRANSPORT_FILE_H
#define NIGHTPOSE_HOST_LINK_NP_TRANSPORT_FILE_H

#include <stdint.h>

#include "np_recording.h"
#include "np_transport.h"

/*
 * Open a .npr recording as a transport that yields its device frames,
 * re-encoded as wire bytes, one frame per read. speed > 0 paces them by their
 * recorded host_ms (2.0 = twice as fast); speed == 0 delivers them as fast as
 * possible. Writes are accepted and discarded (the recording cannot answer).
 * Returns the np_rec_reader_open() errors; h (optional) receives the header.
 */
int np_transport_file_open(struct np_transport *t, const char *path, double speed,
			   struct np_rec_header *h);

/*
 * host_ms of the record whose bytes the last read delivered (0 before the
 * first). Replay uses it as its clock, so it sees the times the live
 * recorder saw. t must come from np_transport_file_open().
 */
uint32_t np_transport_file_host_ms(const struct np_transport *t);

/* Records read so far and the reader's statistics (torn tail, corrupt records). */
const struct np_rec_stats *np_transport_file_stats(const struct np_transport *t);

#endif
