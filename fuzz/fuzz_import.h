/*
 * What every importer fuzz target checks (fuzz_import_*.c). abort() on violation:
 *  - the result is NP_OK, NP_ERR_FORMAT, NP_ERR_RANGE or NP_ERR_NOMEM;
 *  - a failure leaves nothing allocated, and says why, on a line that exists (of
 *    the labels when err->in_labels), in a column that exists (as many separators in the input);
 *  - a success has ticks strictly increasing per sensor, both sensors sampled at the
 *    same ticks, values within the recorded full scale, annotations whose range is
 *    not reversed and whose text length matches, and NOTEs only of the import's own
 *    ("import: ...").
 * Frees d on success.
 */
#ifndef NIGHTPOSE_FUZZ_FUZZ_IMPORT_H
#define NIGHTPOSE_FUZZ_FUZZ_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "np_import.h"
#include "np_rec_data.h"
#include "np_text.h"

void fuzz_import_check(int rc, struct np_rec_data *d, const struct np_import_error *err,
		       const char *text, size_t len, const char *labels, size_t labels_len);

/* Options every target starts from: a name that gives hapt its experiment and spc
 * its date, counts at 256 per g when a target picks that scale. */
void fuzz_import_opts(struct np_import_opts *o);

/* An importer of one input (np_importers.h). */
typedef int (*fuzz_import_parse)(struct np_text *in, const struct np_import_opts *o,
				 struct np_rec_data *d, struct np_import_error *err);

/* Runs parse on data and checks the result: with set_opts, the first byte picks
 * the options (set_opts(byte, o)) and the rest is the file; without, all is the file. */
void fuzz_import_one(const uint8_t *data, size_t size, fuzz_import_parse parse,
		     void (*set_opts)(uint8_t sel, struct np_import_opts *o));

#endif
