/*
 * Whatever the input, a breathing rate nightpose gives is inside its documented
 * band (0.1-0.7 Hz: 6-42 breaths/min) and its quality is a share in [0, 1]: on every
 * real recording of the shared datasets, on the bundled one, and on random noise.
 * (The bundled axel recording once gave "left 2.8 breaths/min (quality 1.13)".)
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "night_fixture.h"
#include "np_epochs.h"
#include "np_err.h"
#include "np_import.h"
#include "np_report.h"
#include "np_test_prng.h"

#define WORK NP_BINARY_DIR "/test_breathing_bounds.npr"
#define RATE_LO_BPM 6.0
#define RATE_HI_BPM 42.0

static unsigned checked, with_rate;

static void check_est(const struct np_breathing_est *e, const char *what)
{
	checked++;
	if (!(e->quality >= 0.0 && e->quality <= 1.0))
		fail_msg("%s: quality %g outside [0, 1]", what, e->quality);
	if (e->status != NP_BREATH_OK)
		return;
	with_rate++;
	if (!(e->rate_bpm >= RATE_LO_BPM && e->rate_bpm <= RATE_HI_BPM))
		fail_msg("%s: %g breaths/min outside %g-%g", what, e->rate_bpm, RATE_LO_BPM, RATE_HI_BPM);
	if (e->episodes > 1 && !(e->rate_lo_bpm >= RATE_LO_BPM && e->rate_hi_bpm <= RATE_HI_BPM))
		fail_msg("%s: range %g-%g outside the band", what, e->rate_lo_bpm, e->rate_hi_bpm);
}

/* Every estimate of the night's report: per position, per episode, per window. */
static void check_night(const struct np_night *n, const char *what)
{
	struct np_analysis_cfg cfg;
	struct np_epochs ep;
	struct np_report_cfg rc;
	struct np_report r;
	np_analysis_cfg_default(&cfg);
	assert_int_equal(np_epochs_compute(n, &cfg, &ep), NP_OK);
	np_report_cfg_default(&rc);
	assert_int_equal(np_report_build(n, &ep, &rc, &r), NP_OK);
	for (int p = 0; p < NP_POS_COUNT; p++)
		check_est(&r.breathing[p], what);
	for (size_t i = 0; i < r.n_episodes; i++)
		check_est(&r.episode_breathing[i], what);
	for (size_t i = 0; i < r.n_breathing_windows; i++)
		check_est(&r.breathing_windows[i].est, what);
	np_report_free(&r);
	np_epochs_free(&ep);
}

static void check_file(enum np_import_format fmt, const char *path, const char *labels)
{
	struct np_import_opts o;
	struct np_rec_data d;
	struct np_import_error err;
	struct np_night n;
	np_import_opts_default(&o);
	int rc = np_import_file(fmt, path, labels, &o, &d, &err);
	if (rc != NP_OK)
		fail_msg("%s: import: %s", path, err.why);
	assert_int_equal(np_rec_data_write(&d, WORK, NULL), NP_OK);
	np_rec_data_free(&d);
	assert_int_equal(np_night_load(WORK, &n), NP_OK);
	check_night(&n, path);
	np_night_free(&n);
	unlink(WORK);
}

/* Every file of dir whose name starts with prefix and ends with suffix. */
static unsigned check_dir(enum np_import_format fmt, const char *dir, const char *prefix,
			  const char *suffix, const char *labels)
{
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("%s: missing (the shared datasets are needed)", dir);
	unsigned files = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), k = strlen(suffix);
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || n < k ||
		    strcmp(e->d_name + n - k, suffix) != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		check_file(fmt, path, labels);
		files++;
	}
	closedir(d);
	return files;
}

static void real_recordings(void **state)
{
	(void)state;
	checked = with_rate = 0;
	unsigned files = 0;
	files += check_dir(NP_IMPORT_SPC, NP_SHARED_DATASETS "/sleep-position-classification", "",
			   ".csv", NULL);
	files += check_dir(NP_IMPORT_SPC, NP_SOURCE_DIR "/datasets/spc", "", ".csv", NULL);
	files += check_dir(NP_IMPORT_UCI_AR, NP_SHARED_DATASETS "/uci-older-people-rfid/S1_Dataset",
			   "d", "", NULL);
	files += check_dir(NP_IMPORT_HAPT, NP_SHARED_DATASETS "/uci-hapt/data_pl5", "acc_exp", ".txt",
			   NP_SHARED_DATASETS "/uci-hapt/data_labels/labels.txt");
	print_message("%u files, %u estimates, %u with a rate: all inside the band\n", files, checked,
		      with_rate);
	assert_true(files >= 70);
}

/* A chest motion at hz (inside the band or not) with amplitude amp_g over the whole night. */
static void add_wave(struct np_night *n, double hz, float amp_g)
{
	struct np_series *s = &n->sensor[0];
	for (size_t i = 0; i < s->n; i++)
		s->v[i].z += amp_g * (float)sin(2.0 * NP_PI * hz * s->v[i].t_s);
}

/* Nights of noise, with and without a wave below, inside and above the band, at several
 * sample rates and noise amplitudes. */
static void random_noise(void **state)
{
	(void)state;
	static const double rates[] = { 5, 12.5, 25, 50, 100 };
	static const float sds[] = { 0.0005f, 0.003f, 0.02f, 0.2f };
	struct np_test_prng g = { 20261204u };
	checked = with_rate = 0;
	for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
		for (size_t k = 0; k < sizeof sds / sizeof sds[0]; k++) {
			struct np_night n;
			nf_init(&n, 1, rates[i], 1767738600.0);
			double t = 0;
			for (int part = 0; part < 6; part++) {
				double len = 120.0 + np_test_prng_below(&g, 600);
				float roll = (float)np_test_prng_below(&g, 360) - 180.0f;
				nf_add(&n, 0, t, t + len, rates[i], nf_posture(roll, 0), sds[k]);
				t += len;
			}
			nf_finish(&n, rates[i]);
			/* 0.03 to 1.2 Hz: a third of the waves lie outside 0.1-0.7 Hz. */
			double hz = 0.03 + 0.001 * np_test_prng_below(&g, 1170);
			if (k % 2 == 0 && hz < rates[i] / 2)
				add_wave(&n, hz, 0.002f + 0.001f * (float)np_test_prng_below(&g, 20));
			check_night(&n, "noise");
			np_night_free(&n);
		}
	print_message("noise: %u estimates, %u with a rate: all inside the band\n", checked, with_rate);
	assert_true(with_rate > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_recordings),
		cmocka_unit_test(random_noise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
