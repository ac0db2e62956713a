#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "night_fixture.h"
#include "np_test_prng.h"

static struct np_test_prng prng = { 2463534242u };

static float gauss(float sd)
{
	return np_test_prng_gauss(&prng, sd);
}

void nf_init(struct np_night *n, unsigned sensors, double rate_hz, double start_utc_s)
{
	memset(n, 0, sizeof *n);
	n->sensor_count = sensors;
	n->header.hello.sensor_count = (uint8_t)sensors;
	n->header.hello.rate_millihz = (uint32_t)llround(rate_hz * 1000.0);
	n->header.hello.lsb_per_g = 1000;
	n->start_utc_s = start_utc_s;
}

void nf_add(struct np_night *n, unsigned sensor, double t0, double t1, double rate_hz,
	    struct np_vec3 g, float noise_sd)
{
	struct np_series *s = &n->sensor[sensor];
	/* t from the index, not summed: 0.1 s steps would drift across a window border. */
	for (size_t i = 0;; i++) {
		double t = t0 + (double)i / rate_hz;
		if (t >= t1 - 1e-9)
			break;
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 1024;
			s->v = realloc(s->v, s->cap * sizeof *s->v);
			if (!s->v)
				abort();
		}
		s->v[s->n++] = (struct np_sample_g){ t, g.x + gauss(noise_sd), g.y + gauss(noise_sd),
						     g.z + gauss(noise_sd) };
	}
}

void nf_add_breathing(struct np_night *n, double t0, double t1, double rate_hz, struct np_vec3 g,
		      float noise_sd, float amp_g, float per_min)
{
	struct np_series *s = &n->sensor[0];
	size_t from = s->n;
	nf_add(n, 0, t0, t1, rate_hz, g, noise_sd);
	for (size_t i = from; i < s->n; i++)
		s->v[i].z += amp_g * (float)sin(2.0 * 3.141592653589793 * per_min / 60.0 * s->v[i].t_s);
}

struct np_vec3 nf_posture(float roll_deg, float incl_deg)
{
	float r = roll_deg * 0.017453292519943295f, i = incl_deg * 0.017453292519943295f;
	struct np_vec3 g = { sinf(i), -sinf(r) * cosf(i), cosf(r) * cosf(i) };
	return g;
}

void nf_label(struct np_night *n, double t0, double t1, uint8_t kind, enum np_position p)
{
	n->ann = realloc(n->ann, (n->n_ann + 1) * sizeof *n->ann);
	if (!n->ann)
		abort();
	struct np_night_annotation *a = &n->ann[n->n_ann++];
	memset(a, 0, sizeof *a);
	a->start_s = t0;
	a->end_s = t1;
	a->kind = kind;
	a->position = p;
}

static float uniform(float lo, float hi)
{
	return lo + (hi - lo) * (float)np_test_prng_below(&prng, 10001) / 10000.0f;
}

void nf_walk(struct np_night *n, double t0, double t1, double rate_hz)
{
	for (double t = t0; t < t1; t += 5.0)
		nf_add(n, 0, t, fmin(t + 5.0, t1), rate_hz,
		       nf_posture(uniform(-40, 40), uniform(55, 90)), 0.02f);
}

void nf_lying_awake(struct np_night *n, double t0, double t1, double rate_hz, float roll_deg)
{
	float r = roll_deg, incl = 5;
	for (double t = t0; t < t1; t += 60.0) {
		nf_add(n, 0, t, fmin(t + 60.0, t1), rate_hz, nf_posture(r, incl), 0.005f);
		float step = uniform(8, 15);
		r = r > roll_deg ? r - step : r + step;
		incl = incl > 10 ? 5 : 20; /* propped up on the pillow, and back */
	}
}

void nf_note(struct np_night *n, double t0, double t1, const char *text)
{
	nf_label(n, t0, t1, NP_ANN_NOTE, NP_POS_UNKNOWN);
	snprintf(n->ann[n->n_ann - 1].text, sizeof n->ann[0].text, "%s", text);
}

void nf_evening_night(struct np_night *n, double rate_hz, double t0_utc, double sensor_off_h)
{
	const double h = 3600.0;
	nf_init(n, 1, rate_hz, t0_utc);
	double up = 0;
	if (sensor_off_h > 0) {
		nf_add(n, 0, 0, sensor_off_h * h, rate_hz, (struct np_vec3){ 0, 0, 1 }, 0.002f);
		nf_note(n, 0, sensor_off_h * h, "truth: sensor off");
		up = sensor_off_h * h;
	}
	if (up < 1 * h)
		nf_walk(n, up, 1 * h, rate_hz);
	if (up < 2 * h)
		nf_add_breathing(n, fmax(up, 1 * h), 2 * h, rate_hz, nf_posture(0, 60), 0.005f,
				 0.006f, 16.0f);
	nf_lying_awake(n, 2 * h, 2 * h + 1200, rate_hz, 0);
	static const struct {
		float roll;
		double until_h;
	} sleep[] = { { 0, 4 + 1 / 3.0 }, { 90, 6 + 1 / 3.0 }, { 180, 7 }, { -90, 9 } };
	double t = 2 * h + 1200;
	for (size_t i = 0; i < sizeof sleep / sizeof sleep[0]; i++) {
		nf_add_breathing(n, t, sleep[i].until_h * h, rate_hz, nf_posture(sleep[i].roll, 5),
				 0.004f, 0.006f, 14.0f);
		t = sleep[i].until_h * h;
	}
	nf_lying_awake(n, 9 * h, 9.5 * h, rate_hz, -90);
	nf_walk(n, 9.5 * h, 10 * h, rate_hz);
	nf_finish(n, rate_hz);
	nf_note(n, 2 * h + 1200, 9 * h, "truth: asleep");
	nf_note(n, 2 * h, 9.5 * h, "truth: in bed");
}

void nf_finish(struct np_night *n, double rate_hz)
{
	const struct np_series *s = &n->sensor[0];
	n->duration_s = s->n ? s->v[s->n - 1].t_s + (rate_hz > 0 ? 1.0 / rate_hz : 0.0) : 0.0;
}
