/*
 * Importers: public datasets and plain CSV to .npr recordings.
 * Formats, column meaning, axis and label mapping: datasets/IMPORT.md.
 *
 * Each importer reads its input line by line (one line in memory at a time) into
 * a struct np_rec_data (samples in device counts and ground-truth annotations);
 * np_rec_data_write() then writes it through np_rec_builder. Nothing is written
 * when parsing fails, so a malformed row never leaves a recording behind. What an
 * import noticed without failing (repeated times, a magnitude far from 1 g) is a
 * NOTE annotation whose text starts with "import: ".
 */
#ifndef NIGHTPOSE_HOST_NP_IMPORT_H
#define NIGHTPOSE_HOST_NP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_rec_data.h"

enum np_import_format {
	NP_IMPORT_CSV = 0,
	NP_IMPORT_SPC = 1,    /* sleep-position-classification (chest + ankle LIS3DH) */
	NP_IMPORT_UCI_AR = 2, /* UCI activity recognition, older people, RFID sternum sensor */
	NP_IMPORT_HAPT = 3,   /* UCI HAPT waist smartphone, 50 Hz, labels.txt */
};

/* "csv", "spc", "uci-ar", "hapt". Returns NP_OK or NP_ERR_ARG. */
int np_import_format_parse(const char *name, enum np_import_format *f);
/* The reverse: a static string, "?" for a value out of range. */
const char *np_import_format_name(enum np_import_format f);

/* Units of the acceleration columns of the generic csv format. */
enum np_import_scale {
	NP_SCALE_G = 0,      /* stored as mg: lsb_per_g 1000 */
	NP_SCALE_MG = 1,     /* stored as mg: lsb_per_g 1000 */
	NP_SCALE_COUNTS = 2, /* stored as given: whole numbers, lsb_per_g from the options */
	NP_SCALE_MS2 = 3,    /* m/s^2 (phone apps), stored as mg: lsb_per_g 1000 */
};

/* m/s^2 per g (standard gravity, CGPM 1901). */
#define NP_STANDARD_GRAVITY 9.80665

/* A csv import whose median magnitude is outside these (g) gets an "import:" NOTE
 * naming the --scale that would give about 1 g. */
#define NP_IMPORT_MAGNITUDE_MIN_G 0.5
#define NP_IMPORT_MAGNITUDE_MAX_G 2.0

#define NP_IMPORT_NO_START INT64_MIN

struct np_import_opts {
	double rate_hz;             /* 0: format default (spc 1, hapt 50; csv: a time column) */
	enum np_import_scale scale; /* csv only */
	unsigned lsb_per_g;         /* csv with NP_SCALE_COUNTS: 1..32767 */
	unsigned hapt_experiment;   /* hapt: 0 = from the file name acc_expNN_userMM.txt */
	int64_t start_utc_ms;       /* Unix ms of the first sample; NP_IMPORT_NO_START: from
				       the spc file name's date if any, else 0 (unknown) */
	const char *name;           /* input file name, for the header's source text (may be NULL) */
};

/* Defaults: scale g, no rate, NP_IMPORT_NO_START, no labels, no name. */
void np_import_opts_default(struct np_import_opts *o);

/* "YYYY-MM-DDTHH:MM:SS" (a space for the T and a final Z allowed), UTC, to Unix ms.
 * Returns NP_OK or NP_ERR_FORMAT. */
int np_import_parse_utc(const char *s, int64_t *utc_ms);

/* Where and why an import failed. line 0: the file as a whole; column 0: the line. */
struct np_import_error {
	const char *file; /* np_import_file(): the input or the labels file (caller's path) */
	bool in_labels;   /* hapt: the failure is in the labels file */
	unsigned long line;
	unsigned column;  /* 1-based */
	char why[160];
};

/*
 * Read path (and labels_path for hapt, else NULL) and parse it. Same returns as
 * the parsers, plus NP_ERR_IO (errno set; err->file names the file) and
 * NP_ERR_UNSUPP (not a regular file or pipe: /dev/zero, a tty). Every failure is
 * about the input, NP_ERR_NOMEM included (too many rows for this machine).
 * o->name defaults to path.
 */
int np_import_file(enum np_import_format fmt, const char *path, const char *labels_path,
		   const struct np_import_opts *o, struct np_rec_data *d,
		   struct np_import_error *err);

#endif
