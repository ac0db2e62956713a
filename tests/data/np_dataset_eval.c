#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_dataset_eval.h"
#include "np_epochs.h"
#include "np_err.h"
#include "np_import.h"
#include "np_night.h"
#include "np_night_cal.h"
#include "np_rec_data.h"

static void parse_excluded(const char *s, bool *excl)
{
	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;
		if (end == s)
			break;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			s = end;
		}
		for (unsigned long r = a; r <= b && r <= NP_SPC_ROWS_MAX; r++)
			excl[r] = true;
		while (*s == ',' || *s == ' ')
			s++;
	}
}

int np_eval_read_manifest(const char *datasets, struct np_spc_entry *e, size_t cap, size_t *n)
{
	char path[1024], line[4096];
	snprintf(path, sizeof path, "%s/MANIFEST.tsv", datasets);
	FILE *f = fopen(path, "r");
	*n = 0;
	if (!f)
		return NP_ERR_IO;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "sleep-position-classification/", 30) != 0 || *n == cap)
			continue;
		struct np_spc_entry *x = &e[*n];
		memset(x, 0, sizeof *x);
		char *save = NULL, *file = strtok_r(line, "\t\n", &save);
		char *segs = strtok_r(NULL, "\t\n", &save);
		char *excl = strtok_r(NULL, "\t\n", &save);
		if (!file || !segs) {
			fclose(f);
			return NP_ERR_FORMAT;
		}
		snprintf(x->file, sizeof x->file, "%s", file);
		char *s2 = NULL;
		for (char *tok = strtok_r(segs, " ", &s2); tok; tok = strtok_r(NULL, " ", &s2)) {
			unsigned pos, a, b;
			if (sscanf(tok, "%u:%u-%u", &pos, &a, &b) == 3 && pos >= 1 &&
			    pos <= NP_SPC_SEGMENTS) {
				x->first[pos] = a;
				x->last[pos] = b;
			}
		}
		/* The notes column may follow an empty exclude column: only digits count. */
		if (excl && excl[0] >= '0' && excl[0] <= '9')
			parse_excluded(excl, x->excluded);
		(*n)++;
	}
	fclose(f);
	return NP_OK;
}

/* Usable rows of a segment: after the first 20, minus defects; [lo, hi], 0 if none. */
static void usable(const struct np_spc_entry *e, unsigned seg, unsigned *lo, unsigned *hi)
{
	unsigned a = e->first[seg], b = e->last[seg];
	*lo = *hi = 0;
	for (unsigned r = (b - a + 1 > 20 ? a + 20 : a); r <= b; r++) {
		if (r <= NP_SPC_ROWS_MAX && e->excluded[r])
			continue;
		if (!*lo)
			*lo = r;
		*hi = r;
	}
}

static void score(struct np_eval *ev, enum np_position truth, enum np_position got, unsigned w)
{
	ev->n += w;
	ev->ok += got == truth ? w : 0;
	ev->confusion[truth][got] += w;
	if (truth == NP_POS_PRONE) {
		ev->prone_n += w;
		ev->prone_missed += got != NP_POS_PRONE ? w : 0;
	}
}

static int import_load(enum np_import_format fmt, const char *path, const char *labels,
		       double rate_hz, const char *work_npr, struct np_night *night)
{
	struct np_import_opts o;
	struct np_import_error err;
	struct np_rec_data d;
	np_import_opts_default(&o);
	o.rate_hz = rate_hz;
	int rc = np_import_file(fmt, path, labels, &o, &d, &err);
	if (rc != NP_OK)
		return rc;
	rc = np_rec_data_write(&d, work_npr, NULL);
	np_rec_data_free(&d);
	if (rc != NP_OK)
		return rc;
	rc = np_night_load(work_npr, night);
	remove(work_npr);
	return rc;
}

int np_eval_spc(const char *datasets, const struct np_spc_entry *e, const char *work_npr,
		struct np_eval *ev, struct np_leg_table *leg)
{
	static const enum np_position cls[4] = { NP_POS_SUPINE, NP_POS_PRONE, NP_POS_LEFT,
						 NP_POS_RIGHT };
	char path[1024];
	struct np_night night;
	struct np_calfile cal;
	struct np_analysis_cfg cfg;
	struct np_epochs ep;
	unsigned s0, s1, l0, l1;

	memset(ev, 0, sizeof *ev);
	snprintf(path, sizeof path, "%s/%s", datasets, e->file);
	int rc = import_load(NP_IMPORT_SPC, path, NULL, 1.0, work_npr, &night);
	if (rc != NP_OK)
		return rc;
	usable(e, 1, &s0, &s1);
	usable(e, 7, &l0, &l1);
	/* Row r is the sample at r - 1 s: the window [lo - 1, hi) holds rows lo..hi. */
	rc = np_night_calibrate(&night, s0 - 1.0, s1, l0 - 1.0, l1, &cal, NULL, NULL);
	if (rc != NP_OK)
		goto out;
	ev->cal_angle_deg = cal.chest.angle_deg;
	ev->cal_sd_mg[0] = cal.supine.sd_mg;
	ev->cal_sd_mg[1] = cal.left.sd_mg;
	ev->cal_residual = cal.chest.ortho_residual;
	ev->autocal_applied = cal.autocal.applied;
	ev->autocal_before_mg = cal.autocal.err_before_mg;
	ev->autocal_after_mg = cal.autocal.err_after_mg;
	np_analysis_cfg_default(&cfg);
	cfg.epoch_s = 1.0;
	cfg.cal = &cal;
	if ((rc = np_epochs_compute(&night, &cfg, &ep)) != NP_OK)
		goto out;
	for (unsigned seg = 1; seg <= NP_SPC_SEGMENTS; seg++) {
		for (unsigned r = e->first[seg] + 20; r <= e->last[seg]; r++) {
			if (r <= NP_SPC_ROWS_MAX && e->excluded[r])
				continue;
			enum np_position got = r - 1 < ep.n ? ep.v[r - 1].position : NP_POS_UNKNOWN;
			score(ev, cls[(seg - 1) / 3], got, 1);
			if (leg && seg >= 7 && r - 1 < ep.n && ep.v[r - 1].has_leg) {
				double t = ep.v[r - 1].leg_tilt_deg;
				leg->sum[seg] += t;
				leg->sumsq[seg] += t * t;
				leg->n[seg]++;
			}
		}
	}
	np_epochs_free(&ep);
out:
	np_night_free(&night);
	return rc;
}

int np_eval_lying(enum np_import_format fmt, const char *path, const char *labels,
		  const char *work_npr, struct np_eval *ev)
{
	struct np_night night;
	struct np_analysis_cfg cfg;
	struct np_epochs ep;

	memset(ev, 0, sizeof *ev);
	int rc = import_load(fmt, path, labels, 0.0, work_npr, &night);
	if (rc != NP_OK)
		return rc;
	np_analysis_cfg_default(&cfg);
	cfg.epoch_s = 1.0;
	rc = np_epochs_compute(&night, &cfg, &ep);
	np_night_free(&night);
	if (rc != NP_OK)
		return rc;
	for (size_t k = 0; k < ep.n; k++) {
		const struct np_epoch *p = &ep.v[k];
		if (!p->has_label || (!p->label_lying && p->label != NP_POS_UPRIGHT))
			continue;
		bool lying = p->position >= NP_POS_SUPINE && p->position <= NP_POS_RIGHT;
		/* Scored as lying (supine) or upright: the side is not known. */
		enum np_position truth = p->label_lying ? NP_POS_SUPINE : NP_POS_UPRIGHT;
		enum np_position got = p->position == NP_POS_UNKNOWN ? NP_POS_UNKNOWN
				       : (lying ? NP_POS_SUPINE : NP_POS_UPRIGHT);
		score(ev, truth, got, (unsigned)p->n);
	}
	np_epochs_free(&ep);
	return NP_OK;
}

int np_eval_lying_dir(enum np_import_format fmt, const char *dir, const char *prefix,
		      const char *labels, const char *work_npr, struct np_eval *sum, unsigned *files)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = NP_OK;

	memset(sum, 0, sizeof *sum);
	*files = 0;
	if (!d)
		return NP_ERR_IO;
	while (rc == NP_OK && (de = readdir(d)) != NULL) {
		char path[8192];
		struct np_eval ev;
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((rc = np_eval_lying(fmt, path, labels, work_npr, &ev)) != NP_OK)
			break;
		(*files)++;
		sum->n += ev.n;
		sum->ok += ev.ok;
	}
	closedir(d);
	return rc;
}
