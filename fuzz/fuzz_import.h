/*
 * What every importer fuzz target checks (fuzz_import_*.c). abort() on violation:
 *  - the result is NP_OK, NP_ERR_FORMAT, NP_ERR_RANGE or NP_ERR_NOMEM;
 *  - a failure leaves nothing allocated, and says why, on a line that exists (of
 *    the labels when err->in_labels), in a column that exists;
 *  - a success has ticks strictly increasing per sensor, both sensors sampled at the
 *    same ticks, values within the recorded full scale, annotations whose range is
 *    not reversed and whose text length matches, and NOTEs only of the import's own
 *    ("import: ...").
 * Frees d on success.
 */
#ifndef NIGHTPOSE_FUZZ_FUZZ_IMPORT_H
#define NIGHTPOSE_FUZZ_FUZZ_IMPORT_H

#include <stddef.h>

#include "np_import.h"
#include "np_rec_data.h"

void fuzz_import_check(int rc, struct np_rec_data *d, const struct np_import_error *err,
		       const char *text, size_t len, const char *labels, size_t labels_len);

/* Options every target starts from: a name that gives hapt its experiment and spc
 * its date, counts at 256 per g when a target picks that scale. */
void fuzz_import_opts(struct np_import_opts *o);

#endif
