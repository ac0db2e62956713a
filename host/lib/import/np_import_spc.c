/*
 * sleep-position-classification dataset: chest and ankle LIS3DH counts (about
 * 256 per g), one row per second, protocol minute 1..12 as the label.
 */
#include <stdio.h>
#include <string.h>

#include "np_err.h"
#include "np_imp.h"
#include "np_importers.h"
#include "np_posture.h"
#include "np_rec_data.h"

#define SPC_COLUMNS 7

static const char *const spc_header[SPC_COLUMNS] = {
	"x_chest", "y_chest", "z_chest", "x_ankle", "y_ankle", "z_ankle", "position",
};

/* The GUI's names for the twelve protocol minutes, and their 4-class meaning. */
static const char *const spc_names[12] = {
	"supine straight",    "supine left",    "supine right",  "prone straight",
	"prone left",         "prone right",    "left side straight", "left bent leg",
	"left fetal",         "right side straight", "right bent leg", "right fetal",
};

static const uint8_t spc_class[4] = { NP_POS_SUPINE, NP_POS_PRONE, NP_POS_LEFT, NP_POS_RIGHT };

/* Measured still magnitude 248-261 counts (datasets/README.md): 256 counts per g. */
#define SPC_LSB_PER_G 256

static int header(struct np_imp *im, char *sep)
{
	const char *line;
	size_t len;
	struct np_field f[SPC_COLUMNS];
	char q[40];

	if (!np_imp_next_line(im, &line, &len, false))
		return np_imp_fail_file(im, NP_ERR_FORMAT, "empty file");
	*sep = memchr(line, ';', len) ? ';' : ',';
	size_t n;
	int rc = np_imp_split(im, line, len, *sep, f, SPC_COLUMNS, &n);
	if (rc == NP_OK)
		rc = np_imp_check_columns(im, n, SPC_COLUMNS);
	for (size_t i = 0; rc == NP_OK && i < SPC_COLUMNS; i++) {
		if (np_field_is(&f[i], spc_header[i]))
			continue;
		rc = np_imp_fail(im, (unsigned)i + 1, NP_ERR_FORMAT,
				 "expected the header \"%s\", found %s", spc_header[i],
				 np_imp_quote(&f[i], q, sizeof q));
	}
	return rc;
}

static int rows(struct np_imp *im, char sep)
{
	static const unsigned same[3] = { 0, 1, 2 };
	const char *line;
	size_t len;
	struct np_field f[SPC_COLUMNS];
	uint32_t tick = 0;
	int rc = NP_OK;

	for (size_t row = 0; rc == NP_OK && np_imp_next_line(im, &line, &len, false); row++) {
		int16_t chest[3], ankle[3];
		long pos;
		char text[48];

		size_t n;
		if ((rc = np_imp_next_tick(im, row, &tick)) != NP_OK ||
		    (rc = np_imp_split(im, line, len, sep, f, SPC_COLUMNS, &n)) != NP_OK ||
		    (rc = np_imp_check_columns(im, n, SPC_COLUMNS)) != NP_OK ||
		    (rc = np_imp_accel(im, f, 0, same, 1.0 / SPC_LSB_PER_G, chest)) != NP_OK ||
		    (rc = np_imp_accel(im, f, 3, same, 1.0 / SPC_LSB_PER_G, ankle)) != NP_OK ||
		    (rc = np_imp_whole(im, f, 6, 1, 12, &pos)) != NP_OK)
			return rc;
		snprintf(text, sizeof text, "%ld %s", pos, spc_names[pos - 1]);
		if ((rc = np_imp_add(im, 0, tick, chest)) != NP_OK ||
		    (rc = np_imp_add(im, 1, tick, ankle)) != NP_OK)
			return rc;
		rc = np_imp_label(im, tick, NP_ANN_LABEL, spc_class[(pos - 1) / 3], text);
	}
	return rc;
}

int np_import_spc(struct np_text *in, const struct np_import_opts *o, struct np_rec_data *d,
		  struct np_import_error *err)
{
	struct np_imp im;
	char sep = ',';

	np_imp_begin(&im, d, err, o, NP_IMPORT_SPC, in, 2);
	/* Keep the sensor's own counts: the mounting is unknown until calibrated. */
	d->header.hello.lsb_per_g = SPC_LSB_PER_G;
	int rc = np_imp_fixed_rate(&im, o->rate_hz > 0 ? o->rate_hz : 1.0);
	if (rc == NP_OK)
		rc = header(&im, &sep);
	if (rc == NP_OK)
		rc = rows(&im, sep);
	return np_imp_finish(&im, rc, np_imp_end_tick(&im));
}
