/* nightpose simulate: a synthetic night with its ground truth (model: datasets/IMPORT.md). */
#include "np_rec_data.h"
#include "np_simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_array.h"
#include "np_err.h"

#define DEG (NP_PI / 180.0)

/* 2026-01-05 22:30 UTC: the first simulated night; seed n starts n mod 28 days later. */
#define SIM_EPOCH_MS INT64_C(1767652200000)
#define SIM_RANGE_G 4
#define SIM_LSB_PER_G 1000

/* ---- PRNG: xoshiro256** seeded through splitmix64 (public-domain algorithms). ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static double rng_uniform(struct rng *r, double a, double b)
{
	return a + (b - a) * rng_unit(r);
}

static double rng_normal(struct rng *r)
{
	double u1 = 1.0 - rng_unit(r), u2 = rng_unit(r);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * NP_PI * u2);
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static double rng_lognormal(struct rng *r, double median, double sigma, double lo, double hi)
{
	return clampd(median * exp(sigma * rng_normal(r)), lo, hi);
}

/* ---- small 3-D helpers (double precision for the model) ---- */

struct v3 {
	double x, y, z;
};

struct m3 {
	double m[3][3];
};

static struct v3 m3_apply(const struct m3 *m, struct v3 v)
{
	return (struct v3){ m->m[0][0] * v.x + m->m[0][1] * v.y + m->m[0][2] * v.z,
			    m->m[1][0] * v.x + m->m[1][1] * v.y + m->m[1][2] * v.z,
			    m->m[2][0] * v.x + m->m[2][1] * v.y + m->m[2][2] * v.z };
}

/* Rotation by angle (rad) about a unit axis (Rodrigues). */
static struct m3 m3_rotation(struct v3 a, double angle)
{
	double c = cos(angle), s = sin(angle), t = 1.0 - c;
	return (struct m3){ { { t * a.x * a.x + c, t * a.x * a.y - s * a.z, t * a.x * a.z + s * a.y },
			      { t * a.x * a.y + s * a.z, t * a.y * a.y + c, t * a.y * a.z - s * a.x },
			      { t * a.x * a.z - s * a.y, t * a.y * a.z + s * a.x, t * a.z * a.z + c } } };
}

static struct m3 random_tilt(struct rng *r, double lo_deg, double hi_deg, double *deg)
{
	struct v3 a;
	double n;
	do {
		a = (struct v3){ rng_normal(r), rng_normal(r), rng_normal(r) };
		n = sqrt(a.x * a.x + a.y * a.y + a.z * a.z);
	} while (n < 1e-6);
	a = (struct v3){ a.x / n, a.y / n, a.z / n };
	*deg = rng_uniform(r, lo_deg, hi_deg);
	return m3_rotation(a, *deg * DEG);
}

/*
 * Gravity in the body frame for a roll and an inclination (np_posture.h conventions:
 * roll 0 supine, +90 left, -90 right, 180 prone; inclination 90 upright).
 */
static struct v3 body_gravity(double roll_deg, double incl_deg)
{
	double r = roll_deg * DEG, i = incl_deg * DEG;
	return (struct v3){ sin(i), -cos(i) * sin(r), cos(i) * cos(r) };
}

/* ---- the plan of the night ---- */

struct pose {
	double roll_deg, incl_deg;
	double leg_pitch_deg, leg_roll_deg; /* ankle relative to the trunk */
};

struct episode {
	double start_s, end_s;  /* still part; a transition leads to the next episode */
	double label_start_s, label_end_s;
	uint8_t position;
	struct pose pose;
	double breath_per_min, breath_amp_g, breath_phase;
	uint8_t mode;       /* enum ep_mode; the classic night is all EP_SLEEP */
	double awake_per_h; /* EP_AWAKE: small movements per hour */
};

/* What the wearer does in an episode (the sleep model, np_sim_opts.sleep_model). */
enum ep_mode {
	EP_SLEEP = 0, /* lying asleep (the classic night: every episode) */
	EP_AWAKE,     /* lying awake: reading, a phone, trying to sleep, early morning */
	EP_ACTIVE,    /* up and about: the trunk sways and bends all the time */
	EP_CHAIR,     /* sitting still: television, reading in a chair */
	EP_OFF,       /* the sensor lies on the nightstand */
};

enum mv_kind {
	MV_TURN,    /* transition between episodes (in the labels already) */
	MV_AROUSAL, /* while lying: movement without a change of position */
	MV_FIDGET,  /* while sitting up */
	MV_ACTIVE,  /* up and about: sway of roll and inclination for the whole episode */
	MV_AWAKE,   /* lying awake: a shift of roll and propping up, and back */
};

/* Sorted by start: arousals of episode i, then the transition to episode i + 1. */
struct movement {
	double start_s, end_s;
	double amp_g;
	double wobble_deg; /* roll swing and back, without a change of position */
	enum mv_kind kind;
};

struct span {
	double a, b;
};

struct plan {
	struct episode *ep;
	size_t n_ep, cap_ep;
	struct movement *mv;
	size_t n_mv, cap_mv;
	double duration_s, onset_s;
	struct m3 mount, ankle_mount;
	double mount_deg;
	double offset_g[3], gain[3];
	struct span *in_bed; /* sleep model: lights off to lights on per night */
	size_t n_in_bed, cap_in_bed;
};

/*
 * Share of lying time aimed at per position: sides 50%, supine 38%, prone 12%
 * (its dwell times are shorter too). The next position is drawn among the others with
 * these weights, raised for positions behind their share so far and lowered for
 * those ahead: a night of 15-20 episodes then lands near the mix instead of
 * wandering off it as a plain random walk would.
 */
static const double pos_target[NP_POS_COUNT] = { 0, 0.38, 0.12, 0.25, 0.25, 0 };

static uint8_t next_lying(struct rng *r, uint8_t current, const double *spent)
{
	double w[NP_POS_COUNT] = { 0 }, total = 0.0, lying = 0.0;
	for (int p = NP_POS_SUPINE; p <= NP_POS_RIGHT; p++)
		lying += spent[p];
	for (int p = NP_POS_SUPINE; p <= NP_POS_RIGHT; p++) {
		if (p == current)
			continue;
		double share = lying > 0.0 ? spent[p] / lying : pos_target[p];
		w[p] = pos_target[p] * clampd(1.0 + 3.0 * (pos_target[p] - share) / pos_target[p],
					      0.1, 3.0);
		total += w[p];
	}
	double u = rng_unit(r) * total;
	for (int p = NP_POS_SUPINE; p <= NP_POS_RIGHT; p++) {
		if (p == current)
			continue;
		if (u < w[p])
			return (uint8_t)p;
		u -= w[p];
	}
	return current == NP_POS_RIGHT ? NP_POS_LEFT : NP_POS_RIGHT;
}

static struct pose random_pose(struct rng *r, uint8_t position, double prev_roll)
{
	struct pose p;
	switch (position) {
	case NP_POS_UPRIGHT: /* sitting up in bed against the headboard */
		p.roll_deg = 8.0 * rng_normal(r);
		p.incl_deg = rng_uniform(r, 60.0, 85.0);
		break;
	case NP_POS_SUPINE:
		p.roll_deg = 8.0 * rng_normal(r);
		p.incl_deg = rng_uniform(r, 3.0, 15.0); /* head and shoulders on a pillow */
		break;
	case NP_POS_PRONE:
		p.roll_deg = 180.0 + 10.0 * rng_normal(r);
		p.incl_deg = rng_uniform(r, 0.0, 8.0);
		break;
	default: /* sides, often rolled 0-30 degrees towards the back */
		p.roll_deg = 90.0 - rng_uniform(r, 0.0, 30.0) + 5.0 * rng_normal(r);
		if (position == NP_POS_RIGHT)
			p.roll_deg = -p.roll_deg;
		p.incl_deg = rng_uniform(r, 3.0, 15.0);
		break;
	}
	/* Legs lie on the bed: relative pitch about minus the trunk inclination; side
	   postures often bend the knees, which in side-lying is a horizontal swing. */
	p.leg_pitch_deg = -p.incl_deg + 8.0 * rng_normal(r);
	if (position == NP_POS_LEFT || position == NP_POS_RIGHT)
		p.leg_pitch_deg += rng_uniform(r, 0.0, 70.0);
	p.leg_roll_deg = 15.0 * rng_normal(r);
	/* Turn the short way round (or either way for a half turn). */
	while (p.roll_deg - prev_roll > 180.0)
		p.roll_deg -= 360.0;
	while (p.roll_deg - prev_roll < -180.0)
		p.roll_deg += 360.0;
	return p;
}

static int add_episode(struct plan *pl, struct rng *r, uint8_t position, double start_s,
		       double dwell_s)
{
	double prev_roll = pl->n_ep ? pl->ep[pl->n_ep - 1].pose.roll_deg : 0.0;
	int rc = np_array_reserve((void **)&pl->ep, &pl->cap_ep, pl->n_ep + 1, sizeof *pl->ep);
	if (rc != NP_OK)
		return rc;
	struct episode *e = &pl->ep[pl->n_ep++];
	e->start_s = start_s;
	e->end_s = start_s + dwell_s;
	e->position = position;
	e->mode = EP_SLEEP;
	e->awake_per_h = 0.0;
	e->pose = random_pose(r, position, prev_roll);
	/* Breathing: awake sitting 14-20/min, asleep 10-18/min; 0.1/min steps so that
	   the NOTE text is the exact rate. Chest rise reads 5-20 mg on the anterior axis. */
	double lo = position == NP_POS_UPRIGHT ? 14.0 : 10.0;
	double hi = position == NP_POS_UPRIGHT ? 20.0 : 18.0;
	e->breath_per_min = round(rng_uniform(r, lo, hi) * 10.0) / 10.0;
	e->breath_amp_g = rng_uniform(r, 0.005, 0.020);
	e->breath_phase = rng_uniform(r, 0.0, 2.0 * NP_PI);
	return NP_OK;
}

static int add_movement(struct plan *pl, double start_s, double end_s, double amp_g,
			double wobble_deg, enum mv_kind kind)
{
	int rc = np_array_reserve((void **)&pl->mv, &pl->cap_mv, pl->n_mv + 1, sizeof *pl->mv);
	if (rc != NP_OK)
		return rc;
	pl->mv[pl->n_mv++] = (struct movement){ start_s, end_s, amp_g, wobble_deg, kind };
	return NP_OK;
}

/* Arousals inside an episode's still part, as a Poisson process. */
static int add_arousals(struct plan *pl, struct rng *r, const struct episode *e)
{
	double t = e->start_s + 20.0;
	while (t < e->end_s - 20.0) {
		bool onset = t < pl->onset_s + 900.0;
		bool up = e->position == NP_POS_UPRIGHT;
		/* Per hour: fidgeting while sitting up 30, falling asleep 12, asleep 3. */
		double per_h = up ? 30.0 : onset ? 12.0 : 3.0;
		t += -log(1.0 - rng_unit(r)) * 3600.0 / per_h;
		double len = rng_uniform(r, 2.0, 15.0);
		double amp = up ? rng_uniform(r, 0.01, 0.05) : rng_uniform(r, 0.03, 0.15);
		double wobble = rng_uniform(r, -8.0, 8.0);
		if (t + len > e->end_s - 20.0)
			break;
		int rc = add_movement(pl, t, t + len, amp, wobble, up ? MV_FIDGET : MV_AROUSAL);
		if (rc != NP_OK)
			return rc;
		t += len;
	}
	return NP_OK;
}

/* Lying awake: small movements as a Poisson process at e->awake_per_h. */
static int add_awake_movements(struct plan *pl, struct rng *r, const struct episode *e)
{
	double t = e->start_s + 5.0;
	for (;;) {
		t += -log(1.0 - rng_unit(r)) * 3600.0 / e->awake_per_h;
		double len = rng_uniform(r, 3.0, 12.0);
		if (t + len > e->end_s - 5.0)
			return NP_OK;
		double w = rng_uniform(r, 8.0, 20.0) * (rng_unit(r) < 0.5 ? -1.0 : 1.0);
		int rc = add_movement(pl, t, t + len, rng_uniform(r, 0.03, 0.10), w, MV_AWAKE);
		if (rc != NP_OK)
			return rc;
		t += len;
	}
}

/* The movements inside an episode's still part, by what the wearer does. */
static int episode_movements(struct plan *pl, struct rng *r, const struct episode *e)
{
	switch (e->mode) {
	case EP_AWAKE:
		return add_awake_movements(pl, r, e);
	case EP_ACTIVE:
		return add_movement(pl, e->start_s, e->end_s, rng_uniform(r, 0.05, 0.12), 0.0,
				    MV_ACTIVE);
	case EP_OFF:
		return NP_OK;
	default: /* asleep: arousals; in a chair: fidgeting (add_arousals knows upright) */
		return add_arousals(pl, r, e);
	}
}

/* Sensor errors and mounting, drawn at random unless the options set them. */
static void plan_sensor(struct plan *pl, struct rng *r, const struct np_sim_opts *o)
{
	struct m3 tilt = random_tilt(r, 10.0, 20.0, &pl->mount_deg);
	for (int k = 0; k < 3; k++) {
		pl->offset_g[k] = rng_uniform(r, -0.050, 0.050);
		pl->gain[k] = 1.0 + rng_uniform(r, -0.03, 0.03);
	}
	double ankle_deg;
	pl->ankle_mount = random_tilt(r, 5.0, 15.0, &ankle_deg);
	if (o->set_mount) {
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				tilt.m[i][j] = o->mount.m[i][j];
		double tr = tilt.m[0][0] + tilt.m[1][1] + tilt.m[2][2];
		pl->mount_deg = acos(clampd((tr - 1.0) / 2.0, -1.0, 1.0)) / DEG;
	}
	pl->mount = tilt;
	if (o->set_errors) {
		for (int k = 0; k < 3; k++) {
			pl->offset_g[k] = o->offset_g[k];
			pl->gain[k] = o->gain[k];
		}
	}
}

/* The positions of the night: sitting up in bed, then lying down, maybe one wake-up. */
static int plan_episodes(struct plan *pl, struct rng *r)
{
	int rc;
	double t = 0.0;
	if ((rc = add_episode(pl, r, NP_POS_UPRIGHT, t,
			      rng_lognormal(r, 240.0, 0.4, 120.0, 600.0))) != NP_OK)
		return rc;
	t = pl->ep[0].end_s + rng_uniform(r, 4.0, 10.0);
	pl->onset_s = t;
	double spent[NP_POS_COUNT] = { 0 };
	uint8_t pos = rng_unit(r) < 0.5 ? NP_POS_SUPINE : next_lying(r, NP_POS_SUPINE, spent);
	/* Maybe one wake-up in the night, sitting up for 1-5 minutes. */
	double wake_at = rng_unit(r) < 0.4 ? rng_uniform(r, 0.35, 0.75) * pl->duration_s : -1.0;

	while (t < pl->duration_s) {
		double dwell = rng_lognormal(r, 1200.0, 0.7, 180.0, 5400.0);
		if (pos == NP_POS_PRONE)
			dwell *= 0.75;
		if (pos == NP_POS_UPRIGHT)
			dwell = rng_uniform(r, 60.0, 300.0);
		if ((rc = add_episode(pl, r, pos, t, dwell)) != NP_OK)
			return rc;
		double turn = pos == NP_POS_UPRIGHT ? rng_uniform(r, 4.0, 10.0)
						    : rng_uniform(r, 2.0, 6.0);
		t += dwell + turn;
		spent[pos] += dwell;
		uint8_t prev = pos;
		if (wake_at > 0 && t >= wake_at && pos != NP_POS_UPRIGHT) {
			pos = NP_POS_UPRIGHT;
			wake_at = -1.0;
		} else {
			pos = next_lying(r, prev == NP_POS_UPRIGHT ? NP_POS_UNKNOWN : prev, spent);
		}
	}
	return NP_OK;
}

/* Labels change halfway through each transition; transitions are movements. */
static int plan_labels_and_movements(struct plan *pl, struct rng *r)
{
	int rc;
	for (size_t i = 0; i < pl->n_ep; i++) {
		struct episode *e = &pl->ep[i];
		e->label_start_s = i == 0 ? 0.0 : pl->ep[i - 1].label_end_s;
		double next = i + 1 < pl->n_ep ? pl->ep[i + 1].start_s : pl->duration_s;
		e->label_end_s = i + 1 < pl->n_ep ? (e->end_s + next) / 2.0 : pl->duration_s;
		if (e->label_end_s > pl->duration_s)
			e->label_end_s = pl->duration_s;
		if ((rc = episode_movements(pl, r, e)) != NP_OK)
			return rc;
		if (i + 1 < pl->n_ep &&
		    (rc = add_movement(pl, e->end_s, next, rng_uniform(r, 0.08, 0.25), 0.0,
				       MV_TURN)) != NP_OK)
			return rc;
	}
	return NP_OK;
}

/* ---- the sleep model: evenings, nights and days (np_sim_opts.sleep_model) ---- */

/* An episode of dwell_s from *t in a mode, then the turn or getting up to the next. */
static int mode_episode(struct plan *pl, struct rng *r, uint8_t pos, uint8_t mode, double *t,
			double dwell_s, double awake_per_h)
{
	int rc = add_episode(pl, r, pos, *t, dwell_s);
	if (rc != NP_OK)
		return rc;
	struct episode *e = &pl->ep[pl->n_ep - 1];
	e->mode = mode;
	e->awake_per_h = awake_per_h;
	if (mode == EP_OFF) {
		e->breath_amp_g = 0.0;
		e->pose = (struct pose){ 0 };
	} else if (mode == EP_ACTIVE) {
		e->pose.incl_deg = rng_uniform(r, 70.0, 85.0);
	} else if (mode == EP_CHAIR) {
		e->pose.incl_deg = rng_uniform(r, 62.0, 78.0); /* leaning back in an armchair */
	} else if (mode == EP_AWAKE && pos == NP_POS_SUPINE) {
		e->pose.incl_deg = rng_uniform(r, 15.0, 35.0); /* propped up: reading, a phone */
	}
	*t += dwell_s + (pos == NP_POS_UPRIGHT ? rng_uniform(r, 4.0, 10.0) : rng_uniform(r, 2.0, 6.0));
	return NP_OK;
}

static double minutes(struct rng *r, double lo, double hi)
{
	return 60.0 * rng_uniform(r, lo, hi);
}

/* Asleep until wake_at, with 0-3 wake bouts lying awake and maybe a bathroom trip. */
static int plan_asleep(struct plan *pl, struct rng *r, double *t, double wake_at, uint8_t *pos,
		       double *spent)
{
	double bouts[3];
	unsigned nb = (unsigned)(rng_unit(r) * 4.0), ib = 0;
	for (unsigned k = 0; k < nb; k++)
		bouts[k] = *t + (0.15 + 0.7 * (k + rng_unit(r)) / nb) * (wake_at - *t);
	double bathroom = rng_unit(r) < 0.5 ? *t + rng_uniform(r, 0.3, 0.7) * (wake_at - *t) : -1.0;
	int rc = NP_OK;
	while (rc == NP_OK && *t < wake_at - 120.0) {
		double dwell = fmin(rng_lognormal(r, 1200.0, 0.7, 180.0, 5400.0), wake_at - *t);
		spent[*pos] += dwell;
		rc = mode_episode(pl, r, *pos, EP_SLEEP, t, dwell, 0.0);
		if (rc == NP_OK && ib < nb && *t >= bouts[ib]) {
			rc = mode_episode(pl, r, *pos, EP_AWAKE, t, minutes(r, 5, 20), 40.0);
			ib++;
		} else if (rc == NP_OK && bathroom > 0 && *t >= bathroom) {
			rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_ACTIVE, t, minutes(r, 3, 8), 0.0);
			if (rc == NP_OK)
				rc = mode_episode(pl, r, *pos, EP_AWAKE, t, minutes(r, 3, 10), 20.0);
			bathroom = -1.0;
		}
		*pos = next_lying(r, *pos, spent);
	}
	return rc;
}

/* The evening before bed: about, maybe the sensor put down, in a chair, then to bed. */
static int plan_evening(struct plan *pl, struct rng *r, double *t, bool nonwear)
{
	int rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_ACTIVE, t, minutes(r, 20, 60), 0.0);
	if (rc == NP_OK && nonwear) {
		rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_OFF, t, minutes(r, 75, 150), 0.0);
		if (rc == NP_OK)
			rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_ACTIVE, t, minutes(r, 2, 6), 0.0);
	}
	for (unsigned k = 1 + (unsigned)(rng_unit(r) * 3.0); rc == NP_OK && k > 0; k--)
		rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_CHAIR, t, minutes(r, 20, 50), 0.0);
	if (rc == NP_OK)
		rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_ACTIVE, t, minutes(r, 3, 10), 0.0);
	return rc;
}

/* One night from the evening to getting up; a day of being about and sitting after it. */
static int plan_night(struct plan *pl, struct rng *r, double *t, double day_end, bool nonwear,
		      bool last)
{
	double spent[NP_POS_COUNT] = { 0 };
	int rc = plan_evening(pl, r, t, nonwear);
	double lights_off = *t;
	uint8_t pos = rng_unit(r) < 0.6 ? NP_POS_SUPINE : next_lying(r, NP_POS_SUPINE, spent);
	if (rc == NP_OK)
		rc = mode_episode(pl, r, pos, EP_AWAKE, t, minutes(r, 10, 40), 50.0);
	pos = next_lying(r, pos, spent);
	if (rc == NP_OK) /* trying to fall asleep: fewer movements */
		rc = mode_episode(pl, r, pos, EP_AWAKE, t, minutes(r, 5, 25), 15.0);
	if (pl->n_ep > 0 && pl->onset_s == 0.0)
		pl->onset_s = lights_off;
	double wake_at = *t + 60.0 * rng_lognormal(r, 440.0, 0.1, 380.0, 510.0);
	if (rc == NP_OK)
		rc = plan_asleep(pl, r, t, wake_at, &pos, spent);
	if (rc == NP_OK) /* early morning, awake in bed */
		rc = mode_episode(pl, r, pos, EP_AWAKE, t, minutes(r, 10, 40), 40.0);
	if (rc == NP_OK)
		rc = np_array_reserve((void **)&pl->in_bed, &pl->cap_in_bed, pl->n_in_bed + 1,
				      sizeof *pl->in_bed);
	if (rc != NP_OK)
		return rc;
	pl->in_bed[pl->n_in_bed++] = (struct span){ lights_off, *t };
	rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_ACTIVE, t, minutes(r, 20, 45), 0.0);
	while (rc == NP_OK && !last && *t < day_end - 3600.0) {
		rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_CHAIR, t, minutes(r, 20, 50), 0.0);
		if (rc == NP_OK)
			rc = mode_episode(pl, r, NP_POS_UPRIGHT, EP_ACTIVE, t,
					  fmin(minutes(r, 60, 120), fmax(60.0, day_end - *t)), 0.0);
	}
	return rc;
}

static int plan_sleep_model(struct plan *pl, struct rng *r, const struct np_sim_opts *o)
{
	double t = 0.0;
	unsigned nights = o->nights ? o->nights : 1;
	int rc = NP_OK;
	for (unsigned k = 0; rc == NP_OK && k < nights; k++)
		rc = plan_night(pl, r, &t, 86400.0 * (k + 1), o->nonwear, k + 1 == nights);
	/* The plan's end, or --hours when that is shorter. */
	pl->duration_s = o->hours_given ? fmin(t, o->hours * 3600.0) : t;
	return rc;
}

static int make_plan(struct plan *pl, const struct np_sim_opts *o)
{
	struct rng r;
	int rc;

	memset(pl, 0, sizeof *pl);
	rng_seed(&r, o->seed ^ UINT64_C(0x6e69676874706f73)); /* "nightpos": the plan stream */
	pl->duration_s = o->hours * 3600.0;

	/* Sensor errors and mounting first, so that they do not depend on the night's length. */
	plan_sensor(pl, &r, o);
	if ((rc = o->sleep_model ? plan_sleep_model(pl, &r, o) : plan_episodes(pl, &r)) != NP_OK)
		return rc;
	return plan_labels_and_movements(pl, &r);
}

/* ---- rendering ---- */

struct render {
	const struct plan *pl;
	struct rng r;
	size_t ie, im;         /* current episode and movement (time only moves forward) */
	double mv_state[2][3]; /* low-pass noise of body movement, trunk and ankle */
	double mv_keep;        /* AR(1) coefficient for ~2 Hz movement */
};

static double smoothstep(double u)
{
	u = clampd(u, 0.0, 1.0);
	return u * u * (3.0 - 2.0 * u);
}

/* Pose at t: an episode's, or interpolated through a transition. */
static struct pose pose_at(struct render *rd, double t, const struct episode **breath)
{
	const struct plan *pl = rd->pl;
	while (rd->ie + 1 < pl->n_ep && t >= pl->ep[rd->ie + 1].start_s)
		rd->ie++;
	const struct episode *e = &pl->ep[rd->ie];
	*breath = e;
	if (t < e->end_s || rd->ie + 1 == pl->n_ep)
		return e->pose;
	const struct episode *n = e + 1;
	if (t >= n->label_start_s)
		*breath = n;
	double s = smoothstep((t - e->end_s) / (n->start_s - e->end_s));
	struct pose p;
	p.roll_deg = e->pose.roll_deg + s * (n->pose.roll_deg - e->pose.roll_deg);
	p.incl_deg = e->pose.incl_deg + s * (n->pose.incl_deg - e->pose.incl_deg);
	p.leg_pitch_deg = e->pose.leg_pitch_deg + s * (n->pose.leg_pitch_deg - e->pose.leg_pitch_deg);
	p.leg_roll_deg = e->pose.leg_roll_deg + s * (n->pose.leg_roll_deg - e->pose.leg_roll_deg);
	return p;
}

/* Up and about: the trunk's roll and inclination sway (deg) at t. */
static void active_sway(double t, double *roll_deg, double *incl_deg)
{
	*roll_deg = 15.0 * sin(2.0 * NP_PI * t / 9.7);
	*incl_deg = 12.0 * sin(2.0 * NP_PI * t / 6.3) + 6.0 * sin(2.0 * NP_PI * t / 2.1);
}

/* Movement envelope (g), roll wobble and inclination change (deg) at t. */
static double movement_at(struct render *rd, double t, double *wobble_deg, double *incl_deg)
{
	const struct plan *pl = rd->pl;
	*wobble_deg = 0.0;
	*incl_deg = 0.0;
	while (rd->im < pl->n_mv && pl->mv[rd->im].end_s <= t)
		rd->im++;
	if (rd->im == pl->n_mv || t < pl->mv[rd->im].start_s)
		return 0.0;
	const struct movement *m = &pl->mv[rd->im];
	if (m->kind == MV_ACTIVE) {
		active_sway(t, wobble_deg, incl_deg);
		return m->amp_g;
	}
	double u = sin(NP_PI * (t - m->start_s) / (m->end_s - m->start_s));
	*wobble_deg = m->wobble_deg * u;
	if (m->kind == MV_AWAKE)
		*incl_deg = 0.8 * fabs(m->wobble_deg) * u;
	return m->amp_g * u;
}

static int16_t to_counts(double g)
{
	double c = round(g * SIM_LSB_PER_G);
	return (int16_t)clampd(c, -SIM_RANGE_G * SIM_LSB_PER_G, SIM_RANGE_G * SIM_LSB_PER_G);
}

static int render(const struct plan *pl, const struct np_sim_opts *o, struct np_rec_data *d,
		  uint32_t period, size_t n)
{
	struct render rd = { .pl = pl };
	rng_seed(&rd.r, o->seed ^ UINT64_C(0x6e6f697365736565)); /* the noise stream */
	rd.mv_keep = exp(-2.0 * NP_PI * 2.0 / o->rate_hz);
	double mv_gain = sqrt(1.0 - rd.mv_keep * rd.mv_keep);

	for (size_t k = 0; k < n; k++) {
		double t = (double)k / o->rate_hz, wobble, dincl;
		const struct episode *b;
		double amp = movement_at(&rd, t, &wobble, &dincl);
		struct pose p = pose_at(&rd, t, &b);
		struct v3 g = body_gravity(p.roll_deg + wobble, p.incl_deg + dincl);

		double mv[2][3];
		for (int s = 0; s < 2; s++)
			for (int a = 0; a < 3; a++) {
				rd.mv_state[s][a] = rd.mv_keep * rd.mv_state[s][a] +
						    mv_gain * rng_normal(&rd.r);
				mv[s][a] = rd.mv_state[s][a] * amp * (s ? 1.5 : 1.0);
			}
		double breath = b->breath_amp_g *
				sin(2.0 * NP_PI * b->breath_per_min / 60.0 * (t - b->label_start_s) +
				    b->breath_phase);
		struct v3 body = { g.x + mv[0][0], g.y + mv[0][1], g.z + mv[0][2] + breath };
		struct v3 s = m3_apply(&pl->mount, body);
		if (b->mode == EP_OFF && t >= b->start_s && t < b->end_s)
			s = (struct v3){ 0.03, -0.02, 0.9994 }; /* flat on the nightstand */
		double v[3] = { s.x, s.y, s.z };
		int16_t c[3];
		for (int a = 0; a < 3; a++)
			c[a] = to_counts(pl->gain[a] * v[a] + pl->offset_g[a] +
					 o->noise_g * rng_normal(&rd.r));
		uint32_t tick = (uint32_t)k * period;
		int rc = np_rec_data_add(d, 0, tick, c[0], c[1], c[2]);
		if (rc != NP_OK)
			return rc;
		if (!o->second_sensor)
			continue;
		/* Ankle: the trunk's gravity turned by the leg's pitch (about the body's
		   left axis) and roll (about the leg's long axis). */
		struct m3 pitch = m3_rotation((struct v3){ 0, 1, 0 }, p.leg_pitch_deg * DEG);
		struct m3 roll = m3_rotation((struct v3){ 1, 0, 0 }, p.leg_roll_deg * DEG);
		struct v3 leg = m3_apply(&roll, m3_apply(&pitch, g));
		leg = (struct v3){ leg.x + mv[1][0], leg.y + mv[1][1], leg.z + mv[1][2] };
		struct v3 a1 = m3_apply(&pl->ankle_mount, leg);
		rc = np_rec_data_add(d, 1, tick, to_counts(a1.x + o->noise_g * rng_normal(&rd.r)),
				     to_counts(a1.y + o->noise_g * rng_normal(&rd.r)),
				     to_counts(a1.z + o->noise_g * rng_normal(&rd.r)));
		if (rc != NP_OK)
			return rc;
	}
	return NP_OK;
}

/* ---- annotations ---- */

static uint32_t ticks(double s, uint32_t tick_hz, uint32_t end)
{
	double t = round(s * tick_hz);
	return t <= 0.0 ? 0 : t >= end ? end : (uint32_t)t;
}

static int annotate(const struct plan *pl, const struct np_sim_opts *o, struct np_rec_data *d,
		    uint32_t end, struct np_sim_truth *truth)
{
	uint32_t hz = d->header.hello.tick_hz;
	char text[NP_ANNOTATION_TEXT_MAX + 1];
	int rc;

	snprintf(text, sizeof text,
		 "sensor error model: reading = gain * true + offset; offset_mg=%.1f,%.1f,%.1f "
		 "gain=%.4f,%.4f,%.4f noise_mg=%.1f",
		 pl->offset_g[0] * 1000, pl->offset_g[1] * 1000, pl->offset_g[2] * 1000,
		 pl->gain[0], pl->gain[1], pl->gain[2], o->noise_g * 1000.0);
	if ((rc = np_rec_data_annotate(d, 0, end, NP_ANN_NOTE, NP_POS_UNKNOWN, text)) != NP_OK)
		return rc;
	const double(*m)[3] = pl->mount.m;
	snprintf(text, sizeof text,
		 "mounting: sensor = R * body; rotation_deg=%.2f R=%.5f,%.5f,%.5f,%.5f,%.5f,%.5f,"
		 "%.5f,%.5f,%.5f",
		 pl->mount_deg, m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0],
		 m[2][1], m[2][2]);
	if ((rc = np_rec_data_annotate(d, 0, end, NP_ANN_NOTE, NP_POS_UNKNOWN, text)) != NP_OK)
		return rc;
	snprintf(text, sizeof text, "sleep onset: lying down at %.1f s", pl->onset_s);
	if ((rc = np_rec_data_annotate(d, ticks(pl->onset_s, hz, end), end, NP_ANN_NOTE,
				       NP_POS_UNKNOWN, text)) != NP_OK)
		return rc;

	for (size_t i = 0; i < pl->n_ep; i++) {
		const struct episode *e = &pl->ep[i];
		if (e->label_start_s >= pl->duration_s)
			break;
		if (e->mode == EP_OFF)
			continue; /* no wearer, no position: "truth: sensor off" says so */
		uint32_t a = ticks(e->label_start_s, hz, end), b = ticks(e->label_end_s, hz, end);
		double roll = fmod(e->pose.roll_deg + 540.0, 360.0) - 180.0;
		snprintf(text, sizeof text, "%s: roll_deg=%.1f inclination_deg=%.1f",
			 np_position_name((enum np_position)e->position), roll, e->pose.incl_deg);
		if ((rc = np_rec_data_annotate(d, a, b, NP_ANN_LABEL, e->position, text)) != NP_OK)
			return rc;
		int len = snprintf(text, sizeof text, "breathing_per_min=%.1f amplitude_mg=%.1f",
				   e->breath_per_min, e->breath_amp_g * 1000.0);
		if (o->second_sensor)
			snprintf(text + len, sizeof text - (size_t)len,
				 " ankle_pitch_deg=%.1f ankle_roll_deg=%.1f", e->pose.leg_pitch_deg,
				 e->pose.leg_roll_deg);
		if ((rc = np_rec_data_annotate(d, a, b, NP_ANN_NOTE, NP_POS_UNKNOWN, text)) != NP_OK)
			return rc;
		if (truth) {
			truth->seconds[e->position] += (b - a) / (double)hz;
			truth->episodes++;
		}
	}
	for (size_t i = 0; i < pl->n_mv; i++) {
		const struct movement *mv = &pl->mv[i];
		if (mv->kind == MV_TURN || mv->start_s >= pl->duration_s)
			continue;
		snprintf(text, sizeof text, "%s: movement_mg=%.0f roll_swing_deg=%.1f",
			 mv->kind == MV_AROUSAL ? "arousal" : "movement", mv->amp_g * 1000.0,
			 mv->wobble_deg);
		if ((rc = np_rec_data_annotate(d, ticks(mv->start_s, hz, end),
					       ticks(mv->end_s, hz, end), NP_ANN_NOTE,
					       NP_POS_UNKNOWN, text)) != NP_OK)
			return rc;
		if (truth && mv->kind == MV_AROUSAL)
			truth->arousals++;
	}
	return NP_OK;
}

static int truth_note(struct np_rec_data *d, double a_s, double b_s, uint32_t end,
		      const char *text)
{
	uint32_t hz = d->header.hello.tick_hz;
	return np_rec_data_annotate(d, ticks(a_s, hz, end), ticks(b_s, hz, end), NP_ANN_NOTE,
				    NP_POS_UNKNOWN, text);
}

/* Sleep truth (np_night_sleep.h texts): asleep runs, time in bed, sensor off. */
static int annotate_sleep_truth(const struct plan *pl, struct np_rec_data *d, uint32_t end)
{
	int rc = NP_OK;
	for (size_t i = 0; i < pl->n_ep && rc == NP_OK; i++) {
		const struct episode *e = &pl->ep[i];
		if (e->label_start_s >= pl->duration_s)
			break;
		if (e->mode == EP_OFF)
			rc = truth_note(d, e->start_s, e->end_s, end, "truth: sensor off");
		if (e->mode != EP_SLEEP || (i > 0 && pl->ep[i - 1].mode == EP_SLEEP))
			continue;
		size_t j = i;
		while (j + 1 < pl->n_ep && pl->ep[j + 1].mode == EP_SLEEP)
			j++;
		rc = truth_note(d, e->label_start_s, pl->ep[j].label_end_s, end, "truth: asleep");
	}
	for (size_t i = 0; i < pl->n_in_bed && rc == NP_OK; i++)
		if (pl->in_bed[i].a < pl->duration_s)
			rc = truth_note(d, pl->in_bed[i].a, pl->in_bed[i].b, end, "truth: in bed");
	return rc;
}

void np_sim_opts_default(struct np_sim_opts *o)
{
	memset(o, 0, sizeof *o);
	o->hours = 8.0;
	o->rate_hz = 25.0;
	o->seed = 1;
	o->noise_g = 0.005f;
	for (int k = 0; k < 3; k++)
		o->gain[k] = 1.0f;
	np_mat3_identity(&o->mount);
}

static void header(struct np_rec_header *h, const struct np_sim_opts *o, uint32_t rate_millihz,
		   double duration_s)
{
	h->flags = NP_REC_SIMULATED;
	h->created_utc_ms = SIM_EPOCH_MS + (int64_t)(o->seed % 28) * 86400000;
	/* The source text is informative only: a cut at 63 characters is harmless. */
	char src[128];
	if (o->sleep_model) {
		/* The sleep model starts in the evening, 19:00 UTC. */
		h->created_utc_ms -= INT64_C(12600000);
		snprintf(src, sizeof src, "simulate --sleep --nights %u --hours %.3f --rate %g --seed %llu%s%s",
			 o->nights ? o->nights : 1, duration_s / 3600.0, o->rate_hz,
			 (unsigned long long)o->seed, o->nonwear ? " --nonwear" : "",
			 o->second_sensor ? " --ankle" : "");
	} else {
		snprintf(src, sizeof src, "simulate --hours %g --rate %g --seed %llu%s", o->hours,
			 o->rate_hz, (unsigned long long)o->seed, o->second_sensor ? " --ankle" : "");
	}
	size_t n = strnlen(src, sizeof h->source - 1);
	memcpy(h->source, src, n);
	h->source[n] = '\0';
	struct np_hello *hello = &h->hello;
	snprintf(hello->serial, sizeof hello->serial, "SIM%llu", (unsigned long long)o->seed);
	hello->sensor_model = NP_SENSOR_SIMULATED;
	hello->sensor_count = o->second_sensor ? 2 : 1;
	hello->range_g = SIM_RANGE_G;
	hello->reset_reason = NP_RESET_POWER_ON;
	hello->rate_millihz = rate_millihz;
	hello->lsb_per_g = SIM_LSB_PER_G;
}

static bool opts_ok(const struct np_sim_opts *o)
{
	double max_h = o->sleep_model ? NP_SIM_SLEEP_HOURS_MAX : 48.0;
	return o->hours > 0.0 && o->hours <= max_h && o->rate_hz >= 1.0 && o->rate_hz <= 200.0 &&
	       o->noise_g >= 0.0f && o->noise_g <= 1.0f && o->nights <= NP_SIM_NIGHTS_MAX;
}

static void fill_truth(const struct plan *pl, struct np_sim_truth *truth)
{
	for (int i = 0; i < 3; i++) {
		truth->offset_g[i] = (float)pl->offset_g[i];
		truth->gain[i] = (float)pl->gain[i];
		for (int j = 0; j < 3; j++)
			truth->mount.m[i][j] = (float)pl->mount.m[i][j];
	}
	truth->mount_deg = (float)pl->mount_deg;
	truth->onset_s = pl->onset_s;
}

int np_simulate(const struct np_sim_opts *o, struct np_rec_data *d, struct np_sim_truth *truth)
{
	struct plan pl;
	uint32_t period;
	int rc;

	np_rec_data_init(d);
	if (truth)
		memset(truth, 0, sizeof *truth);
	if (!opts_ok(o))
		return NP_ERR_RANGE;
	double mhz = o->rate_hz * 1000.0;
	if (fabs(mhz - round(mhz)) > 1e-6)
		return NP_ERR_RANGE;
	uint32_t rate_millihz = (uint32_t)round(mhz);
	/* The plan does not depend on the rate; the sleep model's gives the length. */
	rc = make_plan(&pl, o);
	size_t n = (size_t)floor(pl.duration_s * o->rate_hz);
	header(&d->header, o, rate_millihz, pl.duration_s);
	if (rc == NP_OK)
		rc = np_rec_tick_base(rate_millihz, &d->header.hello.tick_hz, &period);
	if (rc == NP_OK && (n == 0 || (double)n * period > UINT32_MAX))
		rc = NP_ERR_RANGE;
	if (rc == NP_OK)
		rc = render(&pl, o, d, period, n);
	if (rc == NP_OK)
		rc = annotate(&pl, o, d, (uint32_t)((double)n * period), truth);
	if (rc == NP_OK && o->sleep_model)
		rc = annotate_sleep_truth(&pl, d, (uint32_t)((double)n * period));
	if (rc == NP_OK && truth)
		fill_truth(&pl, truth);
	free(pl.ep);
	free(pl.mv);
	free(pl.in_bed);
	if (rc != NP_OK)
		np_rec_data_free(d);
	return rc;
}
