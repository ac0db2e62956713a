/*
 * Sleep accuracy on simulated nights (docs/ANALYSIS.md, "Sleep"): for each guider,
 * epoch agreement of asleep/awake with the simulator's truth, sensitivity and
 * specificity in bed, sleep onset and wake errors in minutes, time asleep error.
 *   build/bench/bench_sleep [NIGHTS] [DIR]     (default 24 nights, /tmp)
 * Nights are `simulate --sleep` of seeds 1..NIGHTS at 25 Hz; every fourth also has
 * the sensor put down in the evening (--nonwear).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "np_err.h"
#include "np_night.h"
#include "np_night_sleep.h"
#include "np_rec_data.h"
#include "np_simulate.h"

struct acc {
	unsigned n, agree, epochs, tp, pos, tn, neg;
	double onset_abs, wake_abs, onset_bias, wake_bias, tst_abs, tst_bias, nonwear_min;
	double onset_max, wake_max;
};

/* Per epoch: bit 1 truth asleep, 2 truth in bed, 4 sensor off. */
static void truth_of(const struct np_night *n, size_t ne, uint8_t *t)
{
	static const char *const texts[] = { NP_SLEEP_TRUTH_ASLEEP, NP_SLEEP_TRUTH_IN_BED,
					     NP_SLEEP_TRUTH_OFF };
	memset(t, 0, ne);
	for (size_t a = 0; a < n->n_ann; a++)
		for (unsigned k = 0; k < 3; k++)
			if (n->ann[a].kind == NP_ANN_NOTE && strcmp(n->ann[a].text, texts[k]) == 0)
				for (size_t i = (size_t)ceil(n->ann[a].start_s / 5.0 - 0.5);
				     i < ne && (double)i < ceil(n->ann[a].end_s / 5.0 - 0.5); i++)
					t[i] |= (uint8_t)(1u << k);
}

static void score(const struct np_night *n, const struct np_night_sleep *s, struct acc *a)
{
	uint8_t *t = malloc(s->n ? s->n : 1);
	if (!t)
		exit(1);
	truth_of(n, s->n, t);
	double truth_asleep = 0, found_asleep = 0;
	for (size_t i = 0; i < s->n; i++) {
		truth_asleep += (t[i] & 1) ? 5.0 / 60.0 : 0;
		found_asleep += s->asleep[i] ? 5.0 / 60.0 : 0;
		if (!s->worn[i] || (t[i] & 4))
			continue;
		bool ok = (s->asleep[i] != 0) == ((t[i] & 1) != 0);
		a->epochs++;
		a->agree += ok;
		if (!(t[i] & 2))
			continue;
		if (t[i] & 1) {
			a->pos++;
			a->tp += s->asleep[i] != 0;
		} else {
			a->neg++;
			a->tn += !s->asleep[i];
		}
	}
	const struct np_sleep_night_result *r = np_night_sleep_main(s);
	if (r && r->truth.present) {
		a->n++;
		a->onset_abs += fabs(r->truth.onset_err_min);
		a->wake_abs += fabs(r->truth.wake_err_min);
		a->onset_bias += r->truth.onset_err_min;
		a->wake_bias += r->truth.wake_err_min;
		a->onset_max = fmax(a->onset_max, fabs(r->truth.onset_err_min));
		a->wake_max = fmax(a->wake_max, fabs(r->truth.wake_err_min));
		a->tst_abs += fabs(found_asleep - truth_asleep);
		a->tst_bias += found_asleep - truth_asleep;
	}
	a->nonwear_min += s->nonwear_min;
	free(t);
}

static void print(const char *name, const struct acc *a)
{
	double n = a->n ? a->n : 1;
	printf("  %-6s %5u %7.1f%% %7.1f%% %7.1f%% %+6.1f %6.1f %6.1f %+6.1f %6.1f %6.1f %+6.1f %6.1f\n",
	       name, a->n, 100.0 * a->agree / (a->epochs ? a->epochs : 1),
	       100.0 * a->tp / (a->pos ? a->pos : 1), 100.0 * a->tn / (a->neg ? a->neg : 1),
	       a->onset_bias / n, a->onset_abs / n, a->onset_max, a->wake_bias / n, a->wake_abs / n,
	       a->wake_max, a->tst_bias / n, a->tst_abs / n);
}

static int one_night(uint64_t seed, const char *path, struct acc acc[2][2])
{
	struct np_sim_opts o;
	struct np_rec_data d;
	struct np_night night;
	np_sim_opts_default(&o);
	o.sleep_model = true;
	o.seed = seed;
	o.nonwear = seed % 4 == 0;
	if (np_simulate(&o, &d, NULL) != NP_OK || np_rec_data_write(&d, path, NULL) != NP_OK)
		return 1;
	np_rec_data_free(&d);
	if (np_night_load(path, &night) != NP_OK)
		return 1;
	for (int g = 0; g < 2; g++) {
		struct np_night_sleep_cfg cfg;
		struct np_night_sleep s;
		np_night_sleep_cfg_default(&cfg);
		cfg.guider = (enum np_sleep_guider)g;
		if (np_night_sleep_compute(&night, &cfg, &s) != NP_OK)
			return 1;
		score(&night, &s, &acc[g][0]);
		if (o.nonwear)
			score(&night, &s, &acc[g][1]);
		np_night_sleep_free(&s);
	}
	np_night_free(&night);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned nights = argc > 1 ? (unsigned)atoi(argv[1]) : 24;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	char path[4096];
	snprintf(path, sizeof path, "%s/bench_sleep.npr", dir);
	setenv("TZ", "UTC", 1);
	tzset();
	struct acc acc[2][2];
	memset(acc, 0, sizeof acc);
	for (uint64_t seed = 1; seed <= nights; seed++)
		if (one_night(seed, path, acc)) {
			fprintf(stderr, "bench_sleep: seed %llu failed\n", (unsigned long long)seed);
			return 1;
		}
	remove(path);
	printf("sleep vs simulator truth, %u nights of `simulate --sleep` (25 Hz), 5-s epochs\n",
	       nights);
	printf("  agree: worn epochs; sens/spec: in bed; errors in min (found - truth): bias, "
	       "mean |err|, max |err|\n");
	printf("  %-6s %5s %8s %8s %8s %6s %6s %6s %6s %6s %6s %6s %6s\n", "guider", "n", "agree",
	       "sens", "spec", "onset", "|on|", "max", "wake", "|wk|", "max", "TST", "|TST|");
	for (int g = 0; g < 2; g++)
		print(np_sleep_guider_name((enum np_sleep_guider)g), &acc[g][0]);
	printf("  of which nights with the sensor put down in the evening (--nonwear):\n");
	for (int g = 0; g < 2; g++) {
		print(np_sleep_guider_name((enum np_sleep_guider)g), &acc[g][1]);
		printf("         non-wear found: %.0f min per night\n",
		       acc[g][1].nonwear_min / (acc[g][1].n ? acc[g][1].n : 1));
	}
	return 0;
}
