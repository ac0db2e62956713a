/*
 * The importers, one file each (np_import_<format>.c), called by the dispatcher
 * np_import_file() (np_import.c). Formats: datasets/IMPORT.md.
 */
#ifndef NIGHTPOSE_HOST_IMPORT_NP_IMPORTERS_H
#define NIGHTPOSE_HOST_IMPORT_NP_IMPORTERS_H

#include <stddef.h>

#include "np_import.h"
#include "np_rec_data.h"

/*
 * Parsers: buf holds the whole input (need not be NUL-terminated). On success d
 * holds the recording (free with np_rec_data_free()). Returns NP_OK;
 * NP_ERR_FORMAT (malformed input: err says where and why), NP_ERR_RANGE (a value
 * outside what the recording can hold, or bad options: err says which),
 * NP_ERR_NOMEM. On failure d is empty (no need to free).
 */
int np_import_csv(const char *buf, size_t len, const struct np_import_opts *o,
		  struct np_rec_data *d, struct np_import_error *err);
int np_import_spc(const char *buf, size_t len, const struct np_import_opts *o,
		  struct np_rec_data *d, struct np_import_error *err);
int np_import_uci_ar(const char *buf, size_t len, const struct np_import_opts *o,
		     struct np_rec_data *d, struct np_import_error *err);
/* labels: the HAPT labels.txt ("exp user activity first_row last_row" per line). */
int np_import_hapt(const char *buf, size_t len, const char *labels, size_t labels_len,
		   const struct np_import_opts *o, struct np_rec_data *d,
		   struct np_import_error *err);

#endif
