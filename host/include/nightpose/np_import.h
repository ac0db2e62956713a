/*
 * Importers: public datasets and plain CSV to .npr recordings.
 * Formats, column meaning, axis and label mapping: datasets/IMPORT.md.
 *
 * Each importer parses a whole input held in memory into a struct np_rec_data
 * (samples in device counts and ground-truth annotations); np_rec_data_write()
 * then writes it through np_rec_builder. Nothing is written when parsing fails,
 * so a malformed row never leaves a recording behind.
 */
#ifndef NIGHTPOSE_HOST_NP_IMPORT_H
#define NIGHTPOSE_HOST_NP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"
#include "np_night.h"
#include "np_outfile.h"
#include "np_recording.h"

/* One sample of one sensor, in device counts at a device tick. */
struct np_rec_point {
	uint32_t tick;
	int16_t x, y, z;
};

struct np_rec_track {
	struct np_rec_point *v;
	size_t n, cap;
};

/*
 * A recording held in memory: header (with hello.tick_hz, lsb_per_g, ...), samples
 * per sensor in increasing tick order, annotations. Owns its arrays.
 */
struct np_rec_data {
	struct np_rec_header header;
	struct np_rec_track track[NP_SENSORS_MAX];
	struct np_annotation *ann;
	size_t n_ann, cap_ann;
};

/* Empty recording with a version-1 header; no allocation. */
void np_rec_data_init(struct np_rec_data *d);

/* Append a sample to sensor's track. Returns NP_OK, NP_ERR_ARG (sensor), NP_ERR_NOMEM. */
int np_rec_data_add(struct np_rec_data *d, unsigned sensor, uint32_t tick, int16_t x, int16_t y,
		    int16_t z);

/* Append an annotation [start_tick, end_tick); text is cut at NP_ANNOTATION_TEXT_MAX
 * bytes. Returns NP_OK, NP_ERR_NOMEM. */
int np_rec_data_annotate(struct np_rec_data *d, uint32_t start_tick, uint32_t end_tick,
			 uint8_t kind, uint8_t position, const char *text);

/*
 * Write d to path through np_rec_builder: the file appears only when complete.
 * Returns NP_OK or the builder's error (NP_ERR_IO with errno set, NP_ERR_NOMEM).
 */
int np_rec_data_write(const struct np_rec_data *d, const char *path);

/* The same, telling watch (may be NULL) the temporary file's name. */
int np_rec_data_write_watched(const struct np_rec_data *d, const char *path,
			      const struct np_tmp_watch *watch);

/* Free the tracks and annotations and leave d empty, as after np_rec_data_init(). */
void np_rec_data_free(struct np_rec_data *d);

/*
 * Device ticks for a fixed sample rate given in millihertz: tick_hz 1000 (ms) when
 * the period is a whole number of ms, else the smallest tick rate that makes it a
 * whole number of ticks. Returns NP_OK or NP_ERR_RANGE (rate 0, or a period that
 * does not fit the 16-bit period of a SAMPLES frame).
 */
int np_rec_tick_base(uint32_t rate_millihz, uint32_t *tick_hz, uint32_t *period_ticks);

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
};

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

/*
 * Read path (and labels_path for hapt, else NULL) and parse it. Same returns as
 * the parsers, plus NP_ERR_IO (errno set; err->file names the file).
 * o->name defaults to path.
 */
int np_import_file(enum np_import_format fmt, const char *path, const char *labels_path,
		   const struct np_import_opts *o, struct np_rec_data *d,
		   struct np_import_error *err);

#endif
