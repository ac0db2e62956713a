/*
 * Figures for docs/REPORTS.md: breathing-rate accuracy against signal strength, and the
 * time and size of an 8-hour night's breathing estimate, EDF+/CSV export and plots.
 *   build/bench/bench_reports [OUT_DIR]      (default /tmp)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "np_breathing.h"
#include "np_episodes.h"
#include "np_err.h"
#include "np_export.h"
#include "np_plot.h"
#include "np_synth_chest.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Rated share and errors over rates and seeds, 10 min supine, 3 mg noise, 1 mg steps. */
static void accuracy_sweep(void)
{
	static const double amps_mg[] = {0.5, 1, 2, 4, 8};
	static const double rates[] = {8, 12, 16, 20, 25, 30, 36};
	struct np_breathing_cfg cfg;
	np_breathing_cfg_default(&cfg);
	printf("breathing amplitude vs accuracy (600 s supine at 25 Hz, 3 mg noise, 1 mg steps, "
	       "%zu rates x 5 seeds):\n",
	       sizeof rates / sizeof rates[0]);
	printf("  %8s %8s %10s %10s %8s\n", "amp_mg", "rated", "mean_err", "worst_err", "quality");
	for (size_t a = 0; a < sizeof amps_mg / sizeof amps_mg[0]; a++) {
		unsigned rated = 0, total = 0;
		double sum_err = 0, worst = 0, sum_q = 0;
		for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++)
			for (uint64_t seed = 1; seed <= 5; seed++) {
				struct synth_part p = {.dur_s = 600, .gz = 1.0f, .bpm = rates[r],
						       .amp_g = amps_mg[a] / 1000.0, .bx = 0.3f,
						       .bz = 1.0f};
				struct np_series s;
				if (synth_chest(&s, &p, 1, 25.0, 0.003, 0.001, seed * 7 + r) != 0)
					exit(1);
				struct np_time_range tr = {0, 600};
				struct np_breathing_est e;
				np_breathing_estimate(&s, &tr, 1, &cfg, &e);
				total++;
				sum_q += e.quality;
				if (e.status == NP_BREATH_OK) {
					rated++;
					double err = fabs(e.rate_bpm - rates[r]);
					sum_err += err;
					worst = fmax(worst, err);
				}
				free(s.v);
			}
		printf("  %8.1f %5u/%-3u %10.3f %10.3f %8.2f\n", amps_mg[a], rated, total,
		       rated ? sum_err / rated : 0.0, worst, sum_q / total);
	}
}

/* An 8-hour night of 16 half-hour episodes at 25 Hz, breathing 10-20 per minute. */
static void night_timing(const char *dir)
{
	struct synth_part parts[16];
	static const float g[4][3] = {{0, 0, 1}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}};
	for (int i = 0; i < 16; i++) {
		parts[i] = (struct synth_part){.dur_s = 1800, .gx = g[i % 4][0], .gy = g[i % 4][1],
					       .gz = g[i % 4][2], .bpm = 10 + (i * 7) % 11,
					       .amp_g = 0.004, .bx = 0.3f, .bz = 1.0f,
					       .move_every_s = 600};
	}
	struct np_night n;
	memset(&n, 0, sizeof n);
	if (synth_chest(&n.sensor[0], parts, 16, 25.0, 0.003, 0.001, 11) != 0)
		exit(1);
	n.sensor_count = 1;
	n.duration_s = 16 * 1800;
	n.start_utc_s = 1795473000.0;
	n.header.hello.rate_millihz = 25000;
	n.header.hello.lsb_per_g = 1000;
	struct np_episode eps[16];
	for (int i = 0; i < 16; i++)
		eps[i] = (struct np_episode){i * 1800.0, (i + 1) * 1800.0,
					     (enum np_position)(i % 4 == 0   ? NP_POS_SUPINE
								: i % 4 == 1 ? NP_POS_LEFT
								: i % 4 == 2 ? NP_POS_RIGHT
									     : NP_POS_PRONE)};
	printf("\n8-hour night, 25 Hz, %zu samples:\n", n.sensor[0].n);

	struct np_breathing_cfg cfg;
	np_breathing_cfg_default(&cfg);
	struct np_breathing_est pos[NP_POS_COUNT];
	double t = now_s();
	np_breathing_by_position(&n.sensor[0], eps, 16, &cfg, pos, NULL);
	printf("  breathing by position:   %7.3f s\n", now_s() - t);
	struct np_breathing_est *w = calloc(100, sizeof *w);
	size_t nw;
	t = now_s();
	np_breathing_windows(&n.sensor[0], 0, n.duration_s, &cfg, w, 100, &nw);
	printf("  breathing 5-min windows: %7.3f s (%zu windows)\n", now_s() - t, nw);
	free(w);

	char path[1024];
	struct np_export_opts o;
	np_export_opts_default(&o);
	o.episodes = eps;
	o.n_episodes = 16;
	snprintf(path, sizeof path, "%s/bench_reports.edf", dir);
	t = now_s();
	int rc = np_export_edf(&n, &o, path, NULL);
	printf("  EDF+ export:             %7.3f s, %ld bytes (rc %d)\n", now_s() - t,
	       file_size(path), rc);
	remove(path);
	snprintf(path, sizeof path, "%s/bench_reports.csv", dir);
	FILE *f = fopen(path, "w");
	t = now_s();
	rc = f ? np_export_csv(&n, &o, f) : NP_ERR_IO;
	if (f)
		fclose(f);
	printf("  CSV export:              %7.3f s, %ld bytes (rc %d)\n", now_s() - t,
	       file_size(path), rc);
	remove(path);

	struct np_plot_span spans[16];
	for (int i = 0; i < 16; i++)
		spans[i] = (struct np_plot_span){eps[i].start_s, eps[i].end_s, eps[i].position};
	double mt[960];
	float mg[960];
	for (int i = 0; i < 960; i++) {
		mt[i] = i * 30.0 + 15;
		mg[i] = (float)(10 + 5 * sin(i * 0.1));
	}
	struct np_plot_night p = {.start_utc_s = n.start_utc_s, .duration_s = n.duration_s,
				  .spans = spans, .n_spans = 16, .movement_t_s = mt,
				  .movement_mg = mg, .n_movement = 960,
				  .avoid_mask = NP_POS_BIT(NP_POS_PRONE)};
	for (int i = 0; i < 16; i++)
		p.time_s[eps[i].position] += 1800;
	static const char *const ext[] = {"png", "svg", "pdf"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/bench_reports.%s", dir, ext[i]);
		t = now_s();
		rc = np_plot_night_render(&p, path);
		printf("  night plot %s:           %7.3f s, %ld bytes (rc %d)\n", ext[i], now_s() - t,
		       file_size(path), rc);
		remove(path);
	}
	free(n.sensor[0].v);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	accuracy_sweep();
	night_timing(dir);
	return 0;
}
