#include <math.h>
#include <string.h>

#include "np_err.h"
#include "np_posture.h"

#define RAD2DEG 57.29577951308232f

static const char *const position_names[NP_POS_COUNT] = {
	[NP_POS_UNKNOWN] = "unknown", [NP_POS_SUPINE] = "supine", [NP_POS_PRONE] = "prone",
	[NP_POS_LEFT] = "left",       [NP_POS_RIGHT] = "right",   [NP_POS_UPRIGHT] = "upright",
};

struct np_vec3 np_mat3_apply(const struct np_mat3 *m, struct np_vec3 v)
{
	struct np_vec3 r;
	r.x = m->m[0][0] * v.x + m->m[0][1] * v.y + m->m[0][2] * v.z;
	r.y = m->m[1][0] * v.x + m->m[1][1] * v.y + m->m[1][2] * v.z;
	r.z = m->m[2][0] * v.x + m->m[2][1] * v.y + m->m[2][2] * v.z;
	return r;
}

void np_mat3_identity(struct np_mat3 *m)
{
	memset(m, 0, sizeof *m);
	m->m[0][0] = m->m[1][1] = m->m[2][2] = 1.0f;
}

float np_vec3_norm(struct np_vec3 v)
{
	return sqrtf(v.x * v.x + v.y * v.y + v.z * v.z);
}

float np_vec3_angle_deg(struct np_vec3 a, struct np_vec3 b)
{
	float na = np_vec3_norm(a), nb = np_vec3_norm(b);
	if (!(na > 0.0f) || !(nb > 0.0f))
		return NAN;
	/* atan2 of |a x b| and a.b stays accurate near 0 and 180 degrees, where acos does not. */
	float cx = a.y * b.z - a.z * b.y, cy = a.z * b.x - a.x * b.z, cz = a.x * b.y - a.y * b.x;
	float c = sqrtf(cx * cx + cy * cy + cz * cz);
	return atan2f(c, a.x * b.x + a.y * b.y + a.z * b.z) * RAD2DEG;
}

const char *np_position_name(enum np_position p)
{
	if ((unsigned)p >= NP_POS_COUNT)
		return position_names[NP_POS_UNKNOWN];
	return position_names[p];
}

int np_position_parse(const char *name, enum np_position *p)
{
	if (!name || !p)
		return NP_ERR_ARG;
	for (unsigned i = 0; i < NP_POS_COUNT; i++) {
		if (strcmp(name, position_names[i]) == 0) {
			*p = (enum np_position)i;
			return NP_OK;
		}
	}
	return NP_ERR_ARG;
}

float np_posture_roll_deg(struct np_vec3 g)
{
	return atan2f(-g.y, g.z) * RAD2DEG;
}

float np_posture_inclination_deg(struct np_vec3 g)
{
	return atan2f(g.x, sqrtf(g.y * g.y + g.z * g.z)) * RAD2DEG;
}

void np_posture_cfg_default(struct np_posture_cfg *cfg)
{
	cfg->upright_deg = 45.0f;
	cfg->hysteresis_deg = 10.0f;
	cfg->min_dwell_ms = 30000u;
	cfg->supine_half_deg = 30.0f;
	cfg->prone_half_deg = 45.0f;
}

static float clampf(float v, float lo, float hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* Sector of a roll angle (no inclination test) and how far inside it the angle lies, in degrees. */
static enum np_position roll_sector(const struct np_posture_cfg *cfg, float roll, float *inside_deg,
				    float *half_deg)
{
	float a = fabsf(roll);
	float side_lo = cfg->supine_half_deg, side_hi = 180.0f - cfg->prone_half_deg;
	if (a < side_lo) {
		*inside_deg = side_lo - a;
		*half_deg = side_lo;
		return NP_POS_SUPINE;
	}
	if (a > side_hi) {
		*inside_deg = a - side_hi;
		*half_deg = cfg->prone_half_deg;
		return NP_POS_PRONE;
	}
	float half = 0.5f * (side_hi - side_lo);
	*inside_deg = half - fabsf(a - (side_lo + half));
	*half_deg = half;
	return roll > 0.0f ? NP_POS_LEFT : NP_POS_RIGHT;
}

static bool magnitude_ok(struct np_vec3 g)
{
	float n = np_vec3_norm(g);
	return n >= 0.5f && n <= 1.5f;
}

enum np_position np_posture_classify(const struct np_posture_cfg *cfg, struct np_vec3 g,
				     float *confidence)
{
	float conf = 0.0f;
	enum np_position p = NP_POS_UNKNOWN;

	if (magnitude_ok(g)) {
		float incl = np_posture_inclination_deg(g);
		if (incl > cfg->upright_deg) {
			p = NP_POS_UPRIGHT;
			conf = (incl - cfg->upright_deg) / (90.0f - cfg->upright_deg);
		} else {
			float inside, half;
			p = roll_sector(cfg, np_posture_roll_deg(g), &inside, &half);
			/* Lying confidence also falls towards the upright border: a trunk raised
			 * 40 degrees is barely lying, whatever its roll. */
			float c_roll = inside / half;
			float c_incl = (cfg->upright_deg - incl) / cfg->upright_deg;
			conf = c_roll < c_incl ? c_roll : c_incl;
		}
	}
	if (confidence)
		*confidence = clampf(conf, 0.0f, 1.0f);
	return p;
}

float np_posture_inside_deg(const struct np_posture_cfg *cfg, struct np_vec3 g, enum np_position p)
{
	if (!magnitude_ok(g))
		return p == NP_POS_UNKNOWN ? 0.0f : -180.0f;
	float incl = np_posture_inclination_deg(g);
	if (p == NP_POS_UPRIGHT)
		return incl - cfg->upright_deg;
	if (p == NP_POS_UNKNOWN)
		return -180.0f;
	float roll = np_posture_roll_deg(g), a = fabsf(roll);
	float side_lo = cfg->supine_half_deg, side_hi = 180.0f - cfg->prone_half_deg;
	float in_roll;
	switch (p) {
	case NP_POS_SUPINE:
		in_roll = side_lo - a;
		break;
	case NP_POS_PRONE:
		in_roll = a - side_hi;
		break;
	case NP_POS_LEFT:
	case NP_POS_RIGHT: {
		/* Distance to the nearer border of the side sector; a roll on the other side
		 * of the body is outside by how far it is past 0 or 180 degrees. */
		float signed_roll = p == NP_POS_LEFT ? roll : -roll;
		if (signed_roll < 0.0f) {
			float a_other = -signed_roll;
			in_roll = -fminf(side_lo + a_other, (180.0f - a_other) + (180.0f - side_hi));
		} else {
			in_roll = fminf(signed_roll - side_lo, side_hi - signed_roll);
		}
		break;
	}
	default:
		return -180.0f;
	}
	float in_incl = cfg->upright_deg - incl;
	return fminf(in_roll, in_incl);
}

void np_posture_tracker_init(struct np_posture_tracker *t, const struct np_posture_cfg *cfg)
{
	memset(t, 0, sizeof *t);
	if (cfg)
		t->cfg = *cfg;
	else
		np_posture_cfg_default(&t->cfg);
	t->current = NP_POS_UNKNOWN;
	t->candidate = NP_POS_UNKNOWN;
}

enum np_position np_posture_tracker_feed(struct np_posture_tracker *t, struct np_vec3 g,
					 uint32_t now_ms)
{
	enum np_position raw = np_posture_classify(&t->cfg, g, NULL);

	if (!t->started) {
		t->started = true;
		t->current = t->candidate = raw;
		t->current_since_ms = t->candidate_since_ms = now_ms;
		return t->current;
	}
	/* Hysteresis: stay in the reported position until the vector is clearly past its border,
	 * so noise around a border does not start a new candidate every sample. */
	if (raw != t->current && t->current != NP_POS_UNKNOWN &&
	    np_posture_inside_deg(&t->cfg, g, t->current) > -t->cfg.hysteresis_deg)
		raw = t->current;

	if (raw == t->current) {
		t->candidate = t->current;
		return t->current;
	}
	if (raw != t->candidate) {
		t->candidate = raw;
		t->candidate_since_ms = now_ms;
	}
	/* Unsigned subtraction is right across a wrap of the millisecond counter. */
	if ((uint32_t)(now_ms - t->candidate_since_ms) >= t->cfg.min_dwell_ms) {
		t->current = t->candidate;
		t->current_since_ms = t->candidate_since_ms;
	}
	return t->current;
}

bool np_position_is_lying(enum np_position p)
{
	return p >= NP_POS_SUPINE && p <= NP_POS_RIGHT;
}

/* Longest accepted avoid list: every name with a separator fits in far less. */
#define AVOID_LIST_MAX 128

int np_avoid_parse(const char *list, unsigned *mask)
{
	char buf[AVOID_LIST_MAX];
	unsigned m = 0;

	if (!list || !mask || strlen(list) >= sizeof buf)
		return NP_ERR_ARG;
	strcpy(buf, list);
	/* Not strtok(): it skips empty items, and "prone,,supine" is a name left out. */
	for (char *tok = buf, *comma; tok; tok = comma ? comma + 1 : NULL) {
		enum np_position p;
		comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		if (np_position_parse(tok, &p) != NP_OK || p == NP_POS_UNKNOWN)
			return NP_ERR_ARG;
		m |= NP_POS_BIT(p);
	}
	if (m == 0)
		return NP_ERR_ARG;
	*mask = m;
	return NP_OK;
}

/* Append s to out (length *n, capacity cap), cutting it to fit; out stays terminated. */
static void append(char *out, size_t cap, size_t *n, const char *s)
{
	size_t len = strlen(s);
	if (*n + len >= cap)
		len = cap - 1 - *n;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
}

void np_avoid_text(unsigned mask, const char *sep, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return;
	out[0] = '\0';
	for (unsigned p = 1; p < NP_POS_COUNT; p++) {
		if (!(mask & NP_POS_BIT(p)))
			continue;
		if (n > 0)
			append(out, cap, &n, sep);
		append(out, cap, &n, position_names[p]);
	}
}

float np_anglez_deg(struct np_vec3 g)
{
	return atan2f(g.z, sqrtf(g.x * g.x + g.y * g.y)) * RAD2DEG;
}
