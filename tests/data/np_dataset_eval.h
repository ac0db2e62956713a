/*
 * Scoring nightpose on the shared datasets through the library (import, calibrate,
 * epochs), following the protocol of ../shared/acceptance/score.py. Used by the
 * data tests and by bench/bench_datasets.
 */
#ifndef NIGHTPOSE_TESTS_DATA_NP_DATASET_EVAL_H
#define NIGHTPOSE_TESTS_DATA_NP_DATASET_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "np_calibration.h"
#include "np_import.h"
#include "np_posture.h"

#define NP_SPC_SEGMENTS 12
#define NP_SPC_ROWS_MAX 4096

struct np_spc_entry {
	char file[256];                       /* relative to the datasets folder */
	unsigned first[NP_SPC_SEGMENTS + 1];  /* 1-based rows of segment 1..12 */
	unsigned last[NP_SPC_SEGMENTS + 1];
	bool excluded[NP_SPC_ROWS_MAX + 1];   /* known defects */
};

struct np_eval {
	unsigned n, ok;
	unsigned prone_n, prone_missed;
	unsigned confusion[NP_POS_COUNT][NP_POS_COUNT]; /* [truth][predicted] */
	/* Calibration of the spc files. */
	float cal_angle_deg, cal_sd_mg[2], cal_residual;
	float autocal_before_mg, autocal_after_mg;
	bool autocal_applied;
};

/* Leg tilt per protocol segment (7..12 are the side postures). */
struct np_leg_table {
	double sum[NP_SPC_SEGMENTS + 1], sumsq[NP_SPC_SEGMENTS + 1];
	unsigned n[NP_SPC_SEGMENTS + 1];
};

/* Reads MANIFEST.tsv's sleep-position rows. Returns NP_OK, NP_ERR_IO, NP_ERR_FORMAT. */
int np_eval_read_manifest(const char *datasets, struct np_spc_entry *e, size_t cap, size_t *n);

/*
 * Import (rate 1), calibrate from segments 1 and 7 (first 20 rows and defects left out),
 * epochs of 1 s, and score every row after the first 20 of each segment.
 * work_npr: path for the temporary recording. leg may be NULL.
 */
int np_eval_spc(const char *datasets, const struct np_spc_entry *e, const char *work_npr,
		struct np_eval *ev, struct np_leg_table *leg);

/*
 * Lying versus not lying on a labelled import (uci-ar, hapt) without calibration:
 * 1-s epochs, each epoch whose label covers most of it scored once per sample in it.
 */
int np_eval_lying(enum np_import_format fmt, const char *path, const char *labels,
		  const char *work_npr, struct np_eval *ev);

/*
 * np_eval_lying() over the files of dir whose names start with prefix; sums into *sum
 * and counts the files. Returns NP_OK, NP_ERR_IO (no such folder) or an import error.
 */
int np_eval_lying_dir(enum np_import_format fmt, const char *dir, const char *prefix,
		      const char *labels, const char *work_npr, struct np_eval *sum, unsigned *files);

#endif
