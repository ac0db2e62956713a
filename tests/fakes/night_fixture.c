#include <math.h>
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

void nf_finish(struct np_night *n, double rate_hz)
{
	const struct np_series *s = &n->sensor[0];
	n->duration_s = s->n ? s->v[s->n - 1].t_s + (rate_hz > 0 ? 1.0 / rate_hz : 0.0) : 0.0;
}
