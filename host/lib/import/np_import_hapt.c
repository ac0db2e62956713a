/*
 * UCI HAPT: waist smartphone, acc_expNN_userMM.txt with x y z in g at 50 Hz, and
 * labels.txt ("exp user activity first_row last_row", rows 1-based, inclusive).
 */
#include <stdio.h>
#include <string.h>

#include "np_err.h"
#include "np_imp.h"
#include "np_importers.h"
#include "np_posture.h"
#include "np_rec_data.h"

/* activity_labels.txt of the dataset. */
static const char *const hapt_names[12] = {
	"WALKING",      "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING",
	"STANDING",     "LAYING",           "STAND_TO_SIT",       "SIT_TO_STAND",
	"SIT_TO_LIE",   "LIE_TO_SIT",       "STAND_TO_LIE",       "LIE_TO_STAND",
};

#define HAPT_LAYING 6
#define HAPT_LAST_UPRIGHT 5 /* 1-5: walking, sitting, standing: trunk upright */

static int rows(struct np_imp *im)
{
	/* Standing reads +x, lying +y/+z: the phone's axes already put x towards the head. */
	static const unsigned same[3] = { 0, 1, 2 };
	const char *line;
	size_t len;
	struct np_field f[3];
	uint32_t tick = 0;
	int rc = NP_OK;

	for (size_t row = 0; rc == NP_OK && np_imp_next_line(im, &line, &len, false); row++) {
		int16_t a[3];
		size_t n = np_text_split(line, len, NP_TEXT_SEP_BLANKS, f, 3);
		if ((rc = np_imp_next_tick(im, row, &tick)) != NP_OK ||
		    (rc = np_imp_check_columns(im, n, 3)) != NP_OK ||
		    (rc = np_imp_accel(im, f, 0, same, 1.0, a)) != NP_OK)
			return rc;
		rc = np_imp_add(im, 0, tick, a);
	}
	return rc;
}

/* Annotations from the labels of one experiment; rows past the data are cut off. */
static int labels(struct np_imp *im, unsigned exp)
{
	const char *line;
	size_t len;
	struct np_field f[5];
	size_t n_rows = im->d->track[0].n;
	int rc = NP_OK;

	im->err->in_labels = true;
	while (rc == NP_OK && np_imp_next_line(im, &line, &len, false)) {
		long v[5];
		static const long max[5] = { 100000, 100000, 12, 100000000, 100000000 };
		size_t n = np_text_split(line, len, NP_TEXT_SEP_BLANKS, f, 5);
		if ((rc = np_imp_check_columns(im, n, 5)) != NP_OK)
			return rc;
		for (size_t i = 0; i < 5; i++)
			if ((rc = np_imp_whole(im, f, i, 1, max[i], &v[i])) != NP_OK)
				return rc;
		if (v[4] < v[3])
			return np_imp_fail(im, 5, NP_ERR_FORMAT,
					   "last row %ld is before the first row %ld", v[4], v[3]);
		if ((unsigned long)v[0] != exp || (size_t)v[3] > n_rows)
			continue;
		size_t last = (size_t)v[4] < n_rows ? (size_t)v[4] : n_rows;
		uint32_t start = im->d->track[0].v[v[3] - 1].tick;
		uint32_t end = im->d->track[0].v[last - 1].tick + im->period_ticks;
		char text[32];
		uint8_t kind = NP_ANN_LABEL, pos = NP_POS_UNKNOWN;
		snprintf(text, sizeof text, "%ld %s", v[2], hapt_names[v[2] - 1]);
		if (v[2] == HAPT_LAYING)
			kind = NP_ANN_LABEL_LYING;
		else if (v[2] <= HAPT_LAST_UPRIGHT)
			pos = NP_POS_UPRIGHT;
		rc = np_rec_data_annotate(im->d, start, end, kind, pos, text);
	}
	if (rc == NP_OK)
		im->err->in_labels = false;
	return rc;
}

/* NN of ".../acc_expNN_userMM.txt", or 0. */
static unsigned experiment_from_name(const char *name)
{
	const char *b = strrchr(name, '/');
	unsigned exp = 0, user = 0;
	int used = 0;
	b = b ? b + 1 : name;
	if (sscanf(b, "acc_exp%u_user%u.txt%n", &exp, &user, &used) == 2 && used > 0 &&
	    b[used] == '\0')
		return exp;
	return 0;
}

int np_import_hapt(struct np_text *in, struct np_text *labels_in,
		   const struct np_import_opts *o, struct np_rec_data *d,
		   struct np_import_error *err)
{
	struct np_imp im;

	np_imp_begin(&im, d, err, o, NP_IMPORT_HAPT, in, 1);
	unsigned exp = o->hapt_experiment ? o->hapt_experiment
					  : experiment_from_name(o->name ? o->name : "");
	int rc = np_imp_fixed_rate(&im, o->rate_hz > 0 ? o->rate_hz : 50.0);
	if (rc == NP_OK && exp == 0)
		rc = np_imp_fail(&im, 0, NP_ERR_FORMAT,
				 "cannot tell the experiment number: the file name is not "
				 "acc_expNN_userMM.txt");
	if (rc == NP_OK)
		rc = rows(&im);
	if (rc == NP_OK && in->err == NP_OK && d->track[0].n > 0) {
		im.text = labels_in;
		rc = labels(&im, exp);
	}
	return np_imp_finish(&im, rc, np_imp_end_tick(&im));
}
