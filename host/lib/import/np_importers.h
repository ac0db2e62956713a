/*
 * The importers, one file each (np_import_<format>.c), called by the dispatcher
 * np_import_file() (np_import.c). Formats: datasets/IMPORT.md.
 */
#ifndef NIGHTPOSE_HOST_IMPORT_NP_IMPORTERS_H
#define NIGHTPOSE_HOST_IMPORT_NP_IMPORTERS_H

#include <stddef.h>

#include "np_import.h"
#include "np_rec_data.h"
#include "np_text.h"

/*
 * Parsers: in is read to its end (np_text_init() for a buffer, np_text_init_stream()
 * for a file). On success d holds the recording (free with np_rec_data_free()).
 * Returns NP_OK; NP_ERR_FORMAT (malformed input, or a line longer than
 * NP_TEXT_LINE_MAX: err says where and why), NP_ERR_RANGE (a value outside what
 * the recording can hold, too many rows, or bad options: err says which),
 * NP_ERR_NOMEM, NP_ERR_IO (reading in failed). On failure d is empty (no need to
 * free).
 */
int np_import_csv(struct np_text *in, const struct np_import_opts *o, struct np_rec_data *d,
		  struct np_import_error *err);
int np_import_spc(struct np_text *in, const struct np_import_opts *o, struct np_rec_data *d,
		  struct np_import_error *err);
int np_import_uci_ar(struct np_text *in, const struct np_import_opts *o, struct np_rec_data *d,
		     struct np_import_error *err);
/* labels: the HAPT labels.txt ("exp user activity first_row last_row" per line). */
int np_import_hapt(struct np_text *in, struct np_text *labels, const struct np_import_opts *o,
		   struct np_rec_data *d, struct np_import_error *err);

#endif
