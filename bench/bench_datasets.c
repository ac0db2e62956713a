/*
 * Figures of the analysis on the shared datasets and on a long simulated night:
 *   bench_datasets [DATASETS_DIR] [WORK_DIR]
 * Prints the 4-class agreement per sleep-position file, the calibration quality and
 * the leg sensor's tilt per side segment, lying agreement on UCI S1 and HAPT, and how
 * long epochs and report take on an 8-hour night at 50 Hz.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_dataset_eval.h"
#include "np_epochs.h"
#include "np_err.h"
#include "np_import.h"
#include "np_rec_data.h"
#include "np_report.h"
#include "np_simulate.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void leg_cell(const struct np_leg_table *t, unsigned seg)
{
	if (!t->n[seg]) {
		printf(" %11s", "-");
		return;
	}
	double m = t->sum[seg] / t->n[seg];
	double sd = sqrt(fmax(0.0, t->sumsq[seg] / t->n[seg] - m * m));
	printf(" %5.1f ±%4.1f", m, sd);
}

static int spc(const char *data, const char *work)
{
	static struct np_spc_entry e[16];
	size_t n;
	if (np_eval_read_manifest(data, e, 16, &n) != NP_OK) {
		fprintf(stderr, "bench_datasets: %s/MANIFEST.tsv: cannot read\n", data);
		return 1;
	}
	struct np_leg_table legs[16];
	unsigned tot = 0, ok = 0, pm = 0;
	printf("sleep-position-classification (calibrated from segments 1 and 7, 1-s epochs)\n");
	printf("  %-12s %9s %8s %12s %9s %14s %9s %18s\n", "file", "agree", "%", "prone missed", "angle",
	       "still sd mg", "ortho", "autocal mg");
	for (size_t i = 0; i < n; i++) {
		struct np_eval ev;
		memset(&legs[i], 0, sizeof legs[i]);
		if (np_eval_spc(data, &e[i], work, &ev, &legs[i]) != NP_OK) {
			fprintf(stderr, "bench_datasets: %s: evaluation failed\n", e[i].file);
			return 1;
		}
		const char *name = strrchr(e[i].file, '/') + 1;
		printf("  %-12.*s %4u/%-4u %7.2f%% %12u %7.1f° %6.1f / %5.1f %9.1e %7.1f -> %4.1f%s\n",
		       (int)(strchr(name, '_') - name), name, ev.ok, ev.n, 100.0 * ev.ok / ev.n, ev.prone_missed,
		       (double)ev.cal_angle_deg, (double)ev.cal_sd_mg[0], (double)ev.cal_sd_mg[1],
		       (double)ev.cal_residual, (double)ev.autocal_before_mg, (double)ev.autocal_after_mg,
		       ev.autocal_applied ? "" : " (not applied)");
		tot += ev.n;
		ok += ev.ok;
		pm += ev.prone_missed;
	}
	printf("  %-12s %4u/%-4u %7.2f%% %12u\n\n", "pooled", ok, tot, 100.0 * ok / tot, pm);

	printf("ankle tilt relative to the trunk, degrees, mean ±sd per segment (rows after the first 20)\n");
	printf("  %-12s %11s %11s %11s %11s %11s %11s\n", "file", "7 L straight", "8 L bent", "9 L fetal",
	       "10 R straight", "11 R bent", "12 R fetal");
	for (size_t i = 0; i < n; i++) {
		const char *name = strrchr(e[i].file, '/') + 1;
		printf("  %-12.*s", (int)(strchr(name, '_') - name), name);
		for (unsigned s = 7; s <= 12; s++)
			leg_cell(&legs[i], s);
		printf("\n");
	}
	printf("\n");
	return 0;
}

static int lying(const char *label, enum np_import_format fmt, const char *dir, const char *prefix,
		 const char *labels, const char *work)
{
	struct np_eval sum;
	unsigned files;
	if (np_eval_lying_dir(fmt, dir, prefix, labels, work, &sum, &files) != NP_OK) {
		fprintf(stderr, "bench_datasets: %s: evaluation failed\n", dir);
		return 1;
	}
	printf("%-40s %2u files  %6u/%-6u %6.2f%%\n", label, files, sum.ok, sum.n,
	       sum.n ? 100.0 * sum.ok / sum.n : 0.0);
	return 0;
}

static int timing(const char *work)
{
	struct np_sim_opts o;
	struct np_rec_data d;
	struct np_night night;
	np_sim_opts_default(&o);
	o.hours = 8;
	o.rate_hz = 50;
	o.seed = 1;
	if (np_simulate(&o, &d, NULL) != NP_OK || np_rec_data_write(&d, work, NULL) != NP_OK) {
		fprintf(stderr, "bench_datasets: cannot write the simulated night\n");
		return 1;
	}
	np_rec_data_free(&d);
	double t0 = now_s();
	if (np_night_load(work, &night) != NP_OK) {
		fprintf(stderr, "bench_datasets: cannot load the simulated night\n");
		return 1;
	}
	double t1 = now_s();
	struct np_analysis_cfg cfg;
	struct np_epochs ep;
	struct np_report_cfg rcfg;
	struct np_report rep;
	np_analysis_cfg_default(&cfg);
	np_report_cfg_default(&rcfg);
	int rc = np_epochs_compute(&night, &cfg, &ep);
	double t2 = now_s();
	if (rc == NP_OK)
		rc = np_report_build(&night, &ep, &rcfg, &rep);
	double t3 = now_s();
	FILE *null = fopen("/dev/null", "w");
	if (rc == NP_OK && null)
		rc = np_report_write_text(&rep, null);
	double t4 = now_s();
	if (null)
		fclose(null);
	if (rc != NP_OK)
		return 1;
	unsigned lab = 0, agree = 0;
	for (size_t k = 0; k < ep.n; k++) {
		if (ep.v[k].has_label && !ep.v[k].label_lying) {
			lab++;
			agree += ep.v[k].label == ep.v[k].position;
		}
	}
	printf("\nsimulated night, 8 h at 50 Hz (%zu samples, default mounting):\n", night.sensor[0].n);
	printf("  load %.3f s, epochs (30 s) %.3f s, episodes + report model (with breathing) %.3f s, text %.4f s\n", t1 - t0,
	       t2 - t1, t3 - t2, t4 - t3);
	printf("  agreement with the simulator's labels: %u/%u epochs (%.2f%%); autocalibration: %s\n", agree,
	       lab, lab ? 100.0 * agree / lab : 0.0, np_autocal_status_text(ep.autocal.status));
	np_report_free(&rep);
	np_epochs_free(&ep);
	np_night_free(&night);
	remove(work);
	return 0;
}

int main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : "../shared/datasets";
	const char *work = argc > 2 ? argv[2] : "bench_datasets.npr";
	char dir[4096], labels[4096];

	if (spc(data, work))
		return 1;
	snprintf(dir, sizeof dir, "%s/uci-older-people-rfid/S1_Dataset", data);
	if (lying("uci S1 lying vs not (samples, 1-s epochs)", NP_IMPORT_UCI_AR, dir, "d1p", NULL, work))
		return 1;
	snprintf(dir, sizeof dir, "%s/uci-hapt/data_pl5", data);
	snprintf(labels, sizeof labels, "%s/uci-hapt/data_labels/labels.txt", data);
	if (lying("hapt LAYING vs sitting/standing", NP_IMPORT_HAPT, dir, "acc_exp", labels, work))
		return 1;
	return timing(work);
}
