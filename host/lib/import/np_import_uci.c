/*
 * UCI "Activity recognition with healthy older people using a batteryless wearable
 * sensor": one row per RFID read of a sternum-worn accelerometer, irregular times.
 * Columns: time_s, frontal, vertical, lateral (g), antenna, rssi, phase, freq, label.
 */
#include <stdio.h>

#include "np_err.h"
#include "np_imp.h"
#include "np_importers.h"
#include "np_posture.h"
#include "np_rec_data.h"

#define UCI_COLUMNS 9
#define UCI_TIME 0
#define UCI_ACCEL 1
#define UCI_LABEL 8

/*
 * Sensor columns (frontal, vertical, lateral) to the default body frame
 * (x superior, y left, z anterior): x = vertical, y = lateral, z = frontal.
 * Lying reads +frontal (supine-like) and sitting +vertical, as the body frame
 * expects. The sign of the lateral axis is not documented by the dataset:
 * left and right may be swapped, and no label there tells the sides apart.
 */
static const unsigned uci_map[3] = { 1, 2, 0 };

static const char *const uci_names[4] = { "sit on bed", "sit on chair", "lying", "ambulating" };

static int rows(struct np_imp *im)
{
	const char *line;
	size_t len;
	struct np_field f[UCI_COLUMNS];
	double t0 = 0.0;
	uint32_t tick = 0;
	int rc = NP_OK;

	for (size_t row = 0; rc == NP_OK && np_imp_next_line(im, &line, &len, false); row++) {
		double other;
		int16_t a[3];
		long label;
		char text[32];

		size_t n;
		/* Times count from the first row (0 in every file of the dataset). */
		if ((rc = np_imp_split(im, line, len, ',', f, UCI_COLUMNS, &n)) != NP_OK ||
		    (rc = np_imp_check_columns(im, n, UCI_COLUMNS)) != NP_OK ||
		    (rc = np_imp_row_time(im, f, UCI_TIME, row, &t0, &tick)) != NP_OK)
			return rc;
		if ((rc = np_imp_accel(im, f, UCI_ACCEL, uci_map, 1.0, a)) != NP_OK)
			return rc;
		/* Antenna, RSSI, phase and frequency are not used, but must be numbers. */
		for (size_t i = UCI_ACCEL + 3; i < UCI_LABEL; i++)
			if ((rc = np_imp_number(im, f, i, &other)) != NP_OK)
				return rc;
		if ((rc = np_imp_whole(im, f, UCI_LABEL, 1, 4, &label)) != NP_OK)
			return rc;
		if ((rc = np_imp_add(im, 0, tick, a)) != NP_OK)
			return rc;
		snprintf(text, sizeof text, "%ld %s", label, uci_names[label - 1]);
		/* Lying carries no side: the label says lying without a position. */
		rc = label == 3 ? np_imp_label(im, tick, NP_ANN_LABEL_LYING, NP_POS_UNKNOWN, text)
				: np_imp_label(im, tick, NP_ANN_LABEL, NP_POS_UPRIGHT, text);
	}
	return rc;
}

int np_import_uci_ar(struct np_text *in, const struct np_import_opts *o, struct np_rec_data *d,
		     struct np_import_error *err)
{
	struct np_imp im;

	np_imp_begin(&im, d, err, o, NP_IMPORT_UCI_AR, in, 1);
	np_imp_irregular(&im);
	int rc = o->rate_hz > 0
			 ? np_imp_fail(&im, 0, NP_ERR_RANGE,
				       "uci-ar keeps the file's own times: --rate does not apply")
			 : rows(&im);
	return np_imp_finish(&im, rc, np_imp_end_tick(&im));
}
