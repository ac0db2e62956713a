/*
 * The .npr recording format (byte layout: datasets/FORMAT.md).
 *
 * A fixed header (magic, format version, creation time, the device's HELLO) and
 * then records, each COBS-encoded and ended by 0x00:
 *     host_ms u32 | origin u8 | raw frame (type, seq, len, payload, crc32c) | crc32c u32
 * The record CRC covers host_ms..raw frame. A torn tail (no final 0x00) is the end
 * of the recording; a corrupted record in the middle is counted and skipped.
 */
#ifndef NIGHTPOSE_HOST_NP_RECORDING_H
#define NIGHTPOSE_HOST_NP_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_frame.h"
#include "np_msg.h"

/* Sensors a recording can hold: the chest (0) and an optional second one (1). */
#define NP_SENSORS_MAX 2

#define NP_REC_MAGIC "\x89NPR\r\n\x1a\n" /* 8 bytes, PNG-style: catches text-mode and 7-bit damage */
#define NP_REC_MAGIC_LEN 8u
#define NP_REC_VERSION 1u
/* Bytes of a header: fixed prefix, the HELLO payload, source text and CRC. A reader
   refuses header_len above NP_REC_HEADER_MAX (FORMAT.md "Header"). */
#define NP_REC_HEADER_MAX 4096u
/* Decoded record: host_ms u32, origin u8, raw frame, crc32c u32. */
#define NP_REC_RECORD_RAW_MAX (5u + NP_FRAME_RAW_MAX + 4u)
/* Encoded record including its 0x00 delimiter. */
#define NP_REC_RECORD_WIRE_MAX (NP_COBS_MAX(NP_REC_RECORD_RAW_MAX) + 1u)

enum np_rec_origin {
	NP_ORIGIN_DEVICE = 0, /* frame as received from the device (or importer) */
	NP_ORIGIN_HOST = 1,   /* written by the host: annotations, link events, host alerts */
};

enum np_rec_flags {
	NP_REC_IMPORTED = 0x0001,  /* converted from a dataset */
	NP_REC_SIMULATED = 0x0002, /* nightpose simulate */
};

struct np_rec_header {
	uint16_t version;
	uint16_t flags;         /* enum np_rec_flags */
	int64_t created_utc_ms; /* Unix time in ms when host_ms was 0 */
	struct np_hello hello;  /* the device's first HELLO */
	char source[64];        /* free text: "record /dev/ttyACM0", "import spc axel.csv", ... */
};

struct np_rec_writer;

enum np_rec_commit {
	/* Rename the temporary file to its final name as soon as the header is written
	   (live recording: a crash keeps everything flushed so far). */
	NP_REC_COMMIT_AT_OPEN = 0,
	/* Rename only in np_rec_writer_close() (import, simulate: no half-written output). */
	NP_REC_COMMIT_AT_CLOSE = 1,
};

/*
 * Create path (through "path.tmp-XXXXXX" in the same directory, mode 0666 less the
 * umask; a device or FIFO such as /dev/null is written directly) and write the
 * header; h->version is ignored (NP_REC_VERSION is written).
 * Returns NP_OK, NP_ERR_IO (errno set), NP_ERR_NOMEM, NP_ERR_ARG.
 */
int np_rec_writer_open(struct np_rec_writer **w, const char *path, const struct np_rec_header *h,
		       enum np_rec_commit commit);

/*
 * Append one frame (raw, not COBS). Records are buffered and written to the file
 * whenever host_ms has advanced 1000 ms since the last write; with
 * NP_REC_COMMIT_AT_OPEN each such write is also fsync'ed. A write error (disk
 * full, RLIMIT_FSIZE) returns NP_ERR_IO with errno kept, and every later call on
 * w returns it again. NP_ERR_RANGE if f->len > NP_PAYLOAD_MAX.
 */
int np_rec_writer_append(struct np_rec_writer *w, uint32_t host_ms, uint8_t origin,
			 const struct np_frame *f);

/* Write the buffered records and fsync. NP_OK or NP_ERR_IO (errno set). */
int np_rec_writer_flush(struct np_rec_writer *w);

/*
 * Flush, fsync, rename if not yet done, free. Returns the first error seen (errno
 * set). After an error a COMMIT_AT_CLOSE file is removed; a COMMIT_AT_OPEN file
 * keeps what was written, which a reader takes up to its last complete record.
 */
int np_rec_writer_close(struct np_rec_writer *w);

/* Remove the output (for COMMIT_AT_CLOSE: the temporary file) and free. */
void np_rec_writer_abort(struct np_rec_writer *w);

/*
 * The temporary name the writer is filling (NP_REC_COMMIT_AT_CLOSE before the close),
 * for a program that removes it when a signal ends the process; NULL when the file
 * is already under its final name or written straight into a device.
 */
const char *np_rec_writer_tmp_path(const struct np_rec_writer *w);

struct np_rec_stats {
	uint64_t records;          /* good records delivered (duplicates excluded) */
	uint64_t corrupt_records;  /* bad COBS or CRC in the middle of the file */
	uint64_t torn_tail_bytes;  /* bytes after the last delimiter (ignored) */
	struct np_frame_stats device; /* sequence tracking over device frames */
};

struct np_rec_reader;

struct np_rec_entry {
	uint32_t host_ms;
	uint8_t origin;        /* enum np_rec_origin */
	struct np_frame frame; /* payload valid until the next np_rec_reader_next() */
};

/*
 * Open and validate the header. Returns NP_OK; NP_ERR_IO (errno set: missing file,
 * directory); NP_ERR_FORMAT (empty, not a recording, damaged header);
 * NP_ERR_VERSION (a later format version: see np_rec_reader_version_seen()).
 */
int np_rec_reader_open(struct np_rec_reader **r, const char *path, struct np_rec_header *h);

/*
 * Same as np_rec_reader_open() on a recording held in memory (len bytes at data,
 * which must stay valid until np_rec_reader_close()). Used by the fuzz target and
 * tests; never returns NP_ERR_IO.
 */
int np_rec_reader_open_mem(struct np_rec_reader **r, const uint8_t *data, size_t len,
			   struct np_rec_header *h);

/*
 * Version field found in the file, valid after np_rec_reader_open() returned
 * NP_ERR_VERSION. Returns 0 when the file does not start with NP_REC_MAGIC, so after
 * NP_ERR_FORMAT a non-zero value means "a recording with a damaged header".
 */
uint16_t np_rec_reader_version_seen(const char *path);

/*
 * True when path holds at least the fixed 12-byte prefix and starts with
 * NP_REC_MAGIC: after NP_ERR_FORMAT this means "a recording with a damaged header"
 * (FORMAT.md section 2, which counts a version field of 0 as damage), not a foreign file.
 */
bool np_rec_reader_magic_seen(const char *path);

/* Next good record. Returns NP_OK, NP_ERR_EOF at the end (a torn tail is the end), NP_ERR_IO. */
int np_rec_reader_next(struct np_rec_reader *r, struct np_rec_entry *e);

/* Counters so far (gaps, corrupted records, ...); owned by r, valid until np_rec_reader_close(). */
const struct np_rec_stats *np_rec_reader_stats(const struct np_rec_reader *r);

/* Close the file and free r; NULL is allowed. */
void np_rec_reader_close(struct np_rec_reader *r);

/*
 * True when a header's created_utc_ms is a usable date: after 1970-01-01 and
 * before the year 10000. 0 means "unknown" (imports without a date); anything
 * outside the range is damage and is treated as unknown too.
 */
bool np_rec_created_known(int64_t created_utc_ms);

#endif
