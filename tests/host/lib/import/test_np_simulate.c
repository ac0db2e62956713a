/*
 * nightpose simulate: the same seed gives the same bytes, the labels cover the
 * night with a plausible mix of positions, and what the NOTE annotations state
 * (breathing rate, sensor errors, mounting) is really in the signal.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_rec_data.h"
#include "np_simulate.h"
#include "rec_fixture.h"

#define PI 3.14159265358979323846

static void assert_near(double got, double want, double eps)
{
	if (!(fabs(got - want) <= eps))
		fail_msg("%.6g is not within %.3g of %.6g", got, eps, want);
}

static struct np_sim_opts opts(double hours, double rate_hz, uint64_t seed)
{
	struct np_sim_opts o;
	np_sim_opts_default(&o);
	o.hours = hours;
	o.rate_hz = rate_hz;
	o.seed = seed;
	return o;
}

static void defaults_are_an_eight_hour_night_at_25_hz(void **state)
{
	(void)state;
	struct np_sim_opts o;
	np_sim_opts_default(&o);
	assert_true(o.hours == 8.0);
	assert_true(o.rate_hz == 25.0);
	assert_false(o.second_sensor);
}

static void same_seed_same_bytes(void **state)
{
	(void)state;
	char *dir = fx_tmpdir(), a[4096], b[4096], c[4096];
	struct np_sim_opts o = opts(1.0, 25.0, 7);
	struct np_rec_data d;
	size_t la, lb, lc;

	fx_path(a, sizeof a, dir, "a.npr");
	fx_path(b, sizeof b, dir, "b.npr");
	fx_path(c, sizeof c, dir, "c.npr");
	for (int i = 0; i < 3; i++) {
		if (i == 2)
			o.seed = 8;
		assert_int_equal(np_simulate(&o, &d, NULL), NP_OK);
		assert_int_equal(np_rec_data_write(&d, i == 0 ? a : i == 1 ? b : c, NULL), NP_OK);
		np_rec_data_free(&d);
	}
	uint8_t *fa = fx_read(a, &la), *fb = fx_read(b, &lb), *fc = fx_read(c, &lc);
	assert_int_equal(la, lb);
	assert_memory_equal(fa, fb, la);
	assert_true(la != lc || memcmp(fa, fc, la) != 0);
	free(fa);
	free(fb);
	free(fc);
	fx_rmdir(dir);
	free(dir);
}

static void header_describes_a_simulated_device(void **state)
{
	(void)state;
	struct np_sim_opts o = opts(0.5, 10.0, 3);
	struct np_rec_data d;

	assert_int_equal(np_simulate(&o, &d, NULL), NP_OK);
	const struct np_rec_header *h = &d.header;
	assert_int_equal(h->flags, NP_REC_SIMULATED);
	assert_int_equal(h->hello.sensor_model, NP_SENSOR_SIMULATED);
	assert_int_equal(h->hello.rate_millihz, 10000);
	assert_int_equal(h->hello.sensor_count, 1);
	assert_int_equal(d.track[0].n, 18000);
	assert_int_equal(d.track[1].n, 0);
	/* Not the clock: a fixed evening, shifted by the seed. */
	assert_true(h->created_utc_ms == 1767652200000LL + 3 * 86400000LL);
	np_rec_data_free(&d);
}

static const struct np_annotation **labels_sorted(const struct np_rec_data *d, size_t *n)
{
	const struct np_annotation **l = calloc(d->n_ann, sizeof *l);
	assert_non_null(l);
	*n = 0;
	for (size_t i = 0; i < d->n_ann; i++)
		if (d->ann[i].kind == NP_ANN_LABEL)
			l[(*n)++] = &d->ann[i];
	/* Added in time order already; check rather than sort. */
	for (size_t i = 1; i < *n; i++)
		assert_true(l[i]->start_tick >= l[i - 1]->start_tick);
	return l;
}

static void labels_cover_the_night_without_overlap(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct np_sim_opts o = opts(8.0, 1.0, seed);
		struct np_rec_data d;
		struct np_sim_truth truth;
		size_t n;

		assert_int_equal(np_simulate(&o, &d, &truth), NP_OK);
		const struct np_annotation **l = labels_sorted(&d, &n);
		uint32_t end = 8 * 3600 * d.header.hello.tick_hz;
		assert_true(n >= 8); /* position changes through the night */
		assert_int_equal(n, truth.episodes);
		assert_int_equal(l[0]->start_tick, 0);
		assert_int_equal(l[0]->position, NP_POS_UPRIGHT); /* sitting up in bed first */
		for (size_t i = 1; i < n; i++) {
			assert_int_equal(l[i]->start_tick, l[i - 1]->end_tick);
			assert_int_not_equal(l[i]->position, l[i - 1]->position);
		}
		assert_int_equal(l[n - 1]->end_tick, end);
		free(l);
		np_rec_data_free(&d);
	}
}

static void mix_of_positions_is_plausible(void **state)
{
	(void)state;
	double total[NP_POS_COUNT] = { 0 }, all = 0.0;
	unsigned arousals = 0;

	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct np_sim_opts o = opts(8.0, 1.0, seed);
		struct np_rec_data d;
		struct np_sim_truth t;
		assert_int_equal(np_simulate(&o, &d, &t), NP_OK);
		double night = 0.0;
		for (int p = 0; p < NP_POS_COUNT; p++) {
			total[p] += t.seconds[p];
			night += t.seconds[p];
		}
		all += night;
		assert_near(night, 8 * 3600.0, 1.0);
		/* Each night on its own stays within wide bounds. */
		assert_true(t.seconds[NP_POS_PRONE] < 0.30 * night);
		assert_true(t.seconds[NP_POS_SUPINE] > 0.15 * night);
		assert_true(t.seconds[NP_POS_LEFT] + t.seconds[NP_POS_RIGHT] > 0.25 * night);
		assert_true(t.seconds[NP_POS_UPRIGHT] < 0.10 * night);
		arousals += t.arousals;
		np_rec_data_free(&d);
	}
	double side = (total[NP_POS_LEFT] + total[NP_POS_RIGHT]) / all;
	double supine = total[NP_POS_SUPINE] / all, prone = total[NP_POS_PRONE] / all;
	assert_true(side > 0.40 && side < 0.60);
	assert_true(supine > 0.28 && supine < 0.45);
	assert_true(prone > 0.05 && prone < 0.16);
	/* Brief arousals: a few per hour. */
	assert_true(arousals > 12 * 8 * 1 && arousals < 12 * 8 * 10);
}

/* Value after "key=" in text (the NOTE format), or NAN. */
static double note_value(const char *text, const char *key, int index)
{
	const char *p = strstr(text, key);
	if (!p)
		return NAN;
	p += strlen(key);
	for (int i = 0; i < index; i++) {
		p = strchr(p, ',');
		if (!p)
			return NAN;
		p++;
	}
	return strtod(p, NULL);
}

static const struct np_annotation *find_note(const struct np_rec_data *d, const char *prefix)
{
	for (size_t i = 0; i < d->n_ann; i++)
		if (d->ann[i].kind == NP_ANN_NOTE && strncmp(d->ann[i].text, prefix, strlen(prefix)) == 0)
			return &d->ann[i];
	return NULL;
}

static bool quiet(const struct np_rec_data *d, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < d->n_ann; i++) {
		const struct np_annotation *n = &d->ann[i];
		if (n->kind == NP_ANN_NOTE && strncmp(n->text, "arousal", 7) == 0 &&
		    n->start_tick < b && n->end_tick > a)
			return false;
	}
	return true;
}

/* Breaths per minute of the strongest DFT line of sensor z in [a, b), 6-30 per minute. */
static double breathing_peak(const struct np_rec_data *d, size_t a, size_t b, double rate_hz)
{
	const struct np_rec_point *v = d->track[0].v;
	double mean = 0.0, best = 0.0, best_bpm = 0.0;
	for (size_t i = a; i < b; i++)
		mean += v[i].z;
	mean /= (double)(b - a);
	for (double bpm = 6.0; bpm <= 30.0; bpm += 0.05) {
		double w = 2.0 * PI * bpm / 60.0 / rate_hz, re = 0.0, im = 0.0;
		for (size_t i = a; i < b; i++) {
			re += (v[i].z - mean) * cos(w * (double)i);
			im += (v[i].z - mean) * sin(w * (double)i);
		}
		if (re * re + im * im > best) {
			best = re * re + im * im;
			best_bpm = bpm;
		}
	}
	return best_bpm;
}

static void breathing_rate_in_the_notes_is_in_the_signal(void **state)
{
	(void)state;
	struct np_sim_opts o = opts(3.0, 25.0, 2);
	struct np_rec_data d;
	unsigned checked = 0;

	assert_int_equal(np_simulate(&o, &d, NULL), NP_OK);
	uint32_t hz = d.header.hello.tick_hz, period = hz / 25;
	for (size_t i = 0; i < d.n_ann; i++) {
		const struct np_annotation *n = &d.ann[i];
		double bpm = note_value(n->text, "breathing_per_min=", 0);
		if (n->kind != NP_ANN_NOTE || isnan(bpm))
			continue;
		assert_true(bpm >= 10.0 && bpm <= 20.0);
		double amp = note_value(n->text, "amplitude_mg=", 0);
		assert_true(amp >= 5.0 && amp <= 20.0);
		/* Four quiet minutes well inside the episode. */
		uint32_t len = 240 * hz;
		for (uint32_t a = n->start_tick + 60 * hz; a + len + 60 * hz < n->end_tick;
		     a += 60 * hz) {
			if (!quiet(&d, a, a + len))
				continue;
			double got = breathing_peak(&d, a / period, (a + len) / period, 25.0);
			if (fabs(got - bpm) > 0.3)
				fail_msg("episode at %u s: breathing %.2f/min, noted %.1f/min",
					 n->start_tick / hz, got, bpm);
			checked++;
			break;
		}
	}
	assert_true(checked >= 3);
	np_rec_data_free(&d);
}

/* Mean sensor reading over a quiet stretch of the first episode of a position. */
static bool still_mean(const struct np_rec_data *d, uint8_t pos, double mean[3])
{
	uint32_t hz = d->header.hello.tick_hz, period = hz / (d->header.hello.rate_millihz / 1000);
	for (size_t i = 0; i < d->n_ann; i++) {
		const struct np_annotation *l = &d->ann[i];
		if (l->kind != NP_ANN_LABEL || l->position != pos ||
		    l->end_tick - l->start_tick < 100 * hz)
			continue;
		for (uint32_t a = l->start_tick + 20 * hz; a + 60 * hz < l->end_tick - 20 * hz;
		     a += 30 * hz) {
			if (!quiet(d, a, a + 60 * hz))
				continue;
			double s[3] = { 0 };
			size_t k0 = a / period, k1 = (a + 60 * hz) / period;
			for (size_t k = k0; k < k1; k++) {
				s[0] += d->track[0].v[k].x;
				s[1] += d->track[0].v[k].y;
				s[2] += d->track[0].v[k].z;
			}
			for (int j = 0; j < 3; j++)
				mean[j] = s[j] / (double)(k1 - k0) / d->header.hello.lsb_per_g;
			return true;
		}
	}
	return false;
}

static void notes_state_the_errors_and_mounting_used(void **state)
{
	(void)state;
	struct np_sim_opts o = opts(8.0, 5.0, 4);
	struct np_rec_data d;
	struct np_sim_truth t;

	assert_int_equal(np_simulate(&o, &d, &t), NP_OK);
	const struct np_annotation *err = find_note(&d, "sensor error model");
	const struct np_annotation *mnt = find_note(&d, "mounting");
	assert_non_null(err);
	assert_non_null(mnt);
	for (int k = 0; k < 3; k++) {
		double off = note_value(err->text, "offset_mg=", k);
		double gain = note_value(err->text, "gain=", k);
		assert_near(off, t.offset_g[k] * 1000.0, 0.051);
		assert_true(fabs(off) <= 50.0);
		assert_near(gain, t.gain[k], 0.00051);
		assert_true(fabs(gain - 1.0) <= 0.03);
	}
	assert_true(t.mount_deg >= 10.0f && t.mount_deg <= 20.0f);
	assert_near(note_value(mnt->text, "rotation_deg=", 0), t.mount_deg, 0.006);
	for (int k = 0; k < 9; k++)
		assert_near(note_value(mnt->text, "R=", k), t.mount.m[k / 3][k % 3], 6e-6);

	/* A still supine stretch reads gain * (R * body gravity) + offset, within the
	   pillow's tilt (up to 15 degrees) and the roll spread: near R's third column. */
	double m[3];
	assert_true(still_mean(&d, NP_POS_SUPINE, m));
	double dot = 0.0, norm = 0.0;
	for (int k = 0; k < 3; k++) {
		dot += (m[k] - t.offset_g[k]) / t.gain[k] * t.mount.m[k][2];
		norm += pow((m[k] - t.offset_g[k]) / t.gain[k], 2);
	}
	assert_near(sqrt(norm), 1.0, 0.02); /* still: 1 g once the errors are undone */
	assert_true(dot / sqrt(norm) > cos(30.0 * PI / 180.0));
	np_rec_data_free(&d);
}

static void mounting_and_errors_can_be_set(void **state)
{
	(void)state;
	struct np_sim_opts o = opts(8.0, 2.0, 5);
	struct np_rec_data d;
	struct np_sim_truth t;

	/* Upside down: turned half a turn about the head axis; an exact sensor. */
	o.set_mount = true;
	memset(&o.mount, 0, sizeof o.mount);
	o.mount.m[0][0] = 1.0f;
	o.mount.m[1][1] = -1.0f;
	o.mount.m[2][2] = -1.0f;
	o.set_errors = true;
	o.noise_g = 0.0f;
	assert_int_equal(np_simulate(&o, &d, &t), NP_OK);
	assert_near(t.mount_deg, 180.0, 0.01);
	assert_near(t.offset_g[1], 0.0, 1e-9);
	double m[3];
	assert_true(still_mean(&d, NP_POS_SUPINE, m));
	assert_true(m[2] < -0.9); /* supine now reads -z */
	assert_true(still_mean(&d, NP_POS_UPRIGHT, m));
	assert_true(m[0] > 0.8); /* the head axis is unchanged */
	np_rec_data_free(&d);
}

static void ankle_sensor_when_asked(void **state)
{
	(void)state;
	struct np_sim_opts o = opts(0.5, 10.0, 6);
	struct np_rec_data d;

	o.second_sensor = true;
	assert_int_equal(np_simulate(&o, &d, NULL), NP_OK);
	assert_int_equal(d.header.hello.sensor_count, 2);
	assert_int_equal(d.track[1].n, d.track[0].n);
	assert_int_equal(d.track[1].v[100].tick, d.track[0].v[100].tick);
	/* Still legs read 1 g too. */
	const struct np_rec_point *p = &d.track[1].v[d.track[1].n / 2];
	double g = sqrt((double)p->x * p->x + (double)p->y * p->y + (double)p->z * p->z) / 1000.0;
	assert_true(g > 0.7 && g < 1.3);
	assert_non_null(strstr(d.header.source, "--ankle"));
	np_rec_data_free(&d);
}

static void plan_does_not_depend_on_the_rate(void **state)
{
	(void)state;
	struct np_sim_opts a = opts(4.0, 10.0, 9), b = opts(4.0, 25.0, 9);
	struct np_rec_data da, db;

	assert_int_equal(np_simulate(&a, &da, NULL), NP_OK);
	assert_int_equal(np_simulate(&b, &db, NULL), NP_OK);
	assert_int_equal(da.n_ann, db.n_ann);
	for (size_t i = 0; i < da.n_ann; i++) {
		assert_string_equal(da.ann[i].text, db.ann[i].text);
		assert_int_equal(da.ann[i].start_tick, db.ann[i].start_tick); /* both in ms */
	}
	np_rec_data_free(&da);
	np_rec_data_free(&db);
}

static void out_of_range_options_are_refused(void **state)
{
	(void)state;
	struct np_rec_data d;
	const struct np_sim_opts bad[] = { opts(0.0, 25, 1), opts(49, 25, 1), opts(8, 0.5, 1),
					   opts(8, 201, 1), opts(8, 25.0001, 1), opts(1e-6, 25, 1) };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(np_simulate(&bad[i], &d, NULL), NP_ERR_RANGE);
		assert_null(d.track[0].v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_an_eight_hour_night_at_25_hz),
		cmocka_unit_test(same_seed_same_bytes),
		cmocka_unit_test(header_describes_a_simulated_device),
		cmocka_unit_test(labels_cover_the_night_without_overlap),
		cmocka_unit_test(mix_of_positions_is_plausible),
		cmocka_unit_test(breathing_rate_in_the_notes_is_in_the_signal),
		cmocka_unit_test(notes_state_the_errors_and_mounting_used),
		cmocka_unit_test(mounting_and_errors_can_be_set),
		cmocka_unit_test(ankle_sensor_when_asked),
		cmocka_unit_test(plan_does_not_depend_on_the_rate),
		cmocka_unit_test(out_of_range_options_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
