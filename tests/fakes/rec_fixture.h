/*
 * Helpers for tests that make and damage .npr recordings: a scratch directory
 * in the build tree, whole-file reads and writes, a default header. Failures
 * abort the test (cmocka asserts).
 */
#ifndef NIGHTPOSE_TESTS_FAKES_REC_FIXTURE_H
#define NIGHTPOSE_TESTS_FAKES_REC_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "np_recording.h"

/* created_utc_ms of fx_header(): 2026-01-15T22:30:00Z. */
#define FX_CREATED_MS 1768516200000LL

/* A header for a 25 Hz, 1000 counts/g, 1000 ticks/s device with one sensor. */
void fx_header(struct np_rec_header *h);

/* Fresh empty directory under the build tree; free() the result after fx_rmdir(). */
char *fx_tmpdir(void);

/* Remove every file in dir, then dir (not recursive: fixtures make flat dirs). */
void fx_rmdir(const char *dir);

/* Number of entries in dir besides . and .. */
int fx_count_entries(const char *dir);

/* dir + "/" + name into out (cap bytes). */
void fx_path(char *out, size_t cap, const char *dir, const char *name);

/* Whole file into a malloc'ed buffer (free it); *len its size. */
uint8_t *fx_read(const char *path, size_t *len);

void fx_write(const char *path, const void *data, size_t len);

/* Offset just past the header (its header_len field). */
size_t fx_header_len(const uint8_t *file);

/* State of a test that works in a scratch directory. */
struct fx_ctx {
	char *dir;
	char path[4096]; /* dir/night.npr, not created */
};

/* cmocka group or test setup and teardown: *state is a struct fx_ctx. */
int fx_setup(void **state);
int fx_teardown(void **state);

#endif
