/*
 * Synthetic chest acceleration for tests: still postures with breathing, sensor
 * noise, optional movement bursts and gaps. Deterministic (own PRNG state).
 */
#ifndef NIGHTPOSE_TESTS_FAKES_NP_SYNTH_CHEST_H
#define NIGHTPOSE_TESTS_FAKES_NP_SYNTH_CHEST_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "np_night.h"

struct synth_part {
	double dur_s;
	float gx, gy, gz;   /* gravity in the sensor frame, g */
	double bpm;         /* breathing rate; 0 = none */
	double amp_g;       /* breathing tilt amplitude, g (along breath_dir) */
	float bx, by, bz;   /* breathing direction (need not be unit) */
	double move_every_s; /* a 6 s movement burst every this many seconds; 0 = none */
	int gap;            /* 1: no samples at all in this part */
};

struct synth_rng {
	uint64_t s;
};

static inline double synth_uniform(struct synth_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static inline double synth_gauss(struct synth_rng *r)
{
	double u = synth_uniform(r), v = synth_uniform(r);
	return sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v);
}

/*
 * Fill s (malloc'd; free s->v) at rate_hz with the parts one after another.
 * noise_g: white sensor noise sd; lsb_g: quantisation step (0 = none).
 * Breathing rate wanders slowly by +-4 % so the spectrum is not a single line.
 */
static inline int synth_chest(struct np_series *s, const struct synth_part *parts, size_t n_parts,
			      double rate_hz, double noise_g, double lsb_g, uint64_t seed)
{
	double total = 0;
	for (size_t i = 0; i < n_parts; i++)
		total += parts[i].dur_s;
	size_t cap = (size_t)(total * rate_hz) + 2;
	s->v = (struct np_sample_g *)malloc(cap * sizeof *s->v);
	s->n = 0;
	s->cap = cap;
	if (!s->v)
		return -1;
	struct synth_rng rng = {seed};
	double phase = 0, t0 = 0;
	const double two_pi = 2.0 * 3.14159265358979323846;
	for (size_t i = 0; i < n_parts; i++) {
		const struct synth_part *p = &parts[i];
		double bn = sqrt((double)p->bx * p->bx + (double)p->by * p->by + (double)p->bz * p->bz);
		if (bn <= 0)
			bn = 1;
		for (size_t k = (size_t)ceil(t0 * rate_hz); (double)k / rate_hz < t0 + p->dur_s; k++) {
			double t = (double)k / rate_hz;
			double f = p->bpm / 60.0 * (1.0 + 0.04 * sin(two_pi * t / 97.0));
			phase += two_pi * f / rate_hz;
			if (p->gap || s->n >= cap)
				continue;
			double b = p->amp_g * sin(phase);
			double v[3] = {p->gx + b * p->bx / bn, p->gy + b * p->by / bn, p->gz + b * p->bz / bn};
			if (p->move_every_s > 0 && fmod(t - t0, p->move_every_s) < 6.0) {
				/* Turning in bed: large, irregular swings of the gravity vector. */
				for (int a = 0; a < 3; a++)
					v[a] += 0.4 * sin(two_pi * (0.3 + 0.2 * a) * t) + 0.2 * synth_gauss(&rng);
			}
			for (int a = 0; a < 3; a++) {
				v[a] += noise_g * synth_gauss(&rng);
				if (lsb_g > 0)
					v[a] = lsb_g * floor(v[a] / lsb_g + 0.5);
			}
			s->v[s->n].t_s = t;
			s->v[s->n].x = (float)v[0];
			s->v[s->n].y = (float)v[1];
			s->v[s->n].z = (float)v[2];
			s->n++;
		}
		t0 += p->dur_s;
	}
	return 0;
}

#endif
