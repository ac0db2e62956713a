/*
 * Posture math shared by the firmware (on-device alerts) and the host (reports).
 * Body frame: x superior (towards the head), y the wearer's left, z anterior
 * (out of the chest). A still sensor reads +1 g along the axis pointing up:
 * supine (0,0,+1), prone (0,0,-1), left side (0,-1,0), right side (0,+1,0),
 * upright (+1,0,0). Pure float math: no allocation, no I/O, no clock.
 */
#ifndef NIGHTPOSE_CORE_NP_POSTURE_H
#define NIGHTPOSE_CORE_NP_POSTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum np_position {
	NP_POS_UNKNOWN = 0,
	NP_POS_SUPINE = 1,
	NP_POS_PRONE = 2,
	NP_POS_LEFT = 3,
	NP_POS_RIGHT = 4,
	NP_POS_UPRIGHT = 5,
};
#define NP_POS_COUNT 6

/* Bit for a position in a mask of positions (e.g. positions to avoid). */
#define NP_POS_BIT(p) (1u << (unsigned)(p))

/* pi, for the host and the firmware alike (M_PI needs _XOPEN_SOURCE). */
#define NP_PI 3.14159265358979323846

struct np_vec3 {
	float x, y, z;
};

/* Row-major 3x3 matrix; np_mat3_apply computes m * v. */
struct np_mat3 {
	float m[3][3];
};

struct np_vec3 np_mat3_apply(const struct np_mat3 *m, struct np_vec3 v);
void np_mat3_identity(struct np_mat3 *m);

/* Euclidean length. */
float np_vec3_norm(struct np_vec3 v);
/* Angle between two vectors in degrees [0, 180]; NAN when either has zero length. */
float np_vec3_angle_deg(struct np_vec3 a, struct np_vec3 b);

/* Label used everywhere (CLI, CSV, JSON, plots): "supine", ..., "unknown". */
const char *np_position_name(enum np_position p);
/* Parse a label; returns NP_OK or NP_ERR_ARG. */
int np_position_parse(const char *name, enum np_position *p);

/* Supine, prone, left or right (not upright, not unknown). */
bool np_position_is_lying(enum np_position p);

/*
 * A set of positions to avoid, as the user writes it: "prone,supine" -> mask of
 * NP_POS_BIT()s. A name given twice is one position; an empty item ("prone,,left"),
 * an unknown name, "unknown" or an empty list is NP_ERR_ARG (mask untouched).
 * Lists of 128 bytes or more are NP_ERR_ARG.
 */
int np_avoid_parse(const char *list, unsigned *mask);

/*
 * The reverse: the names of the positions in mask, in position order, sep between
 * them ("prone,supine" with ",", "supine, prone" with ", "); "" for an empty mask.
 * Cut to fit cap (64 bytes hold every set with a separator of up to 4 bytes).
 */
void np_avoid_text(unsigned mask, const char *sep, char *out, size_t cap);

/*
 * Angles of a gravity vector in the body frame, in degrees.
 * roll: atan2(-y, z), 0 supine, +90 left side, -90 right side, +-180 prone.
 * inclination: angle between the trunk axis (x) and the horizontal plane,
 * 90 standing upright, 0 lying flat, negative head-down.
 */
float np_posture_roll_deg(struct np_vec3 g);
/* GGIR's anglez: atan(z / sqrt(x^2 + y^2)) in degrees, the chest axis to the horizontal. */
float np_anglez_deg(struct np_vec3 g);
float np_posture_inclination_deg(struct np_vec3 g);

/*
 * Sectors: upright when the inclination is above upright_deg; otherwise by roll:
 * supine |roll| < supine_half_deg, prone |roll| > 180 - prone_half_deg, left or right
 * in between. The defaults put the supine/side border at 30 degrees, not 45: people
 * lying on a side are often rolled 20-35 degrees towards the back. In the sleep-position
 * dataset (calibrated from its supine and left segments) supine rows stay within
 * 5 degrees of 0 while side rows reach 36 degrees (aurora, right bent leg); prone rows
 * lie beyond 154 degrees and side rows below 104, hence the prone border at 135.
 */
struct np_posture_cfg {
	float upright_deg;     /* inclination above which the wearer is upright (default 45) */
	float hysteresis_deg;  /* a new sector must be entered this far past the border (default 10) */
	uint32_t min_dwell_ms; /* a new position must hold this long before it is reported (30000) */
	float supine_half_deg; /* half-width of the supine roll sector (default 30) */
	float prone_half_deg;  /* half-width of the prone roll sector (default 45) */
};

/* Fill cfg with the defaults given next to each field. */
void np_posture_cfg_default(struct np_posture_cfg *cfg);

/*
 * Instantaneous position of a gravity vector (no memory). confidence in [0,1]:
 * 1 at a sector centre, falling to 0 at its border. A vector shorter than 0.5 g
 * or longer than 1.5 g gives NP_POS_UNKNOWN with confidence 0.
 */
enum np_position np_posture_classify(const struct np_posture_cfg *cfg, struct np_vec3 g,
				     float *confidence);

/*
 * How far inside the sector of p the vector g lies, in degrees (negative: outside, by
 * that much). For a lying position the smaller of the roll margin and the margin to
 * the upright border. Used for hysteresis.
 */
float np_posture_inside_deg(const struct np_posture_cfg *cfg, struct np_vec3 g, enum np_position p);

/*
 * Position with hysteresis and minimum dwell, fed one gravity estimate at a time.
 * The first vector fed is reported at once. Afterwards a different position is
 * reported only once the vector has been at least hysteresis_deg past the border
 * of the reported position's sector for min_dwell_ms; current_since_ms is then the
 * time the new position was first seen (so episodes start where the turn happened).
 * NP_POS_UNKNOWN (a vector shorter than 0.5 g or longer than 1.5 g, e.g. no data)
 * is a position like the others: it too must last min_dwell_ms.
 */
struct np_posture_tracker {
	struct np_posture_cfg cfg;
	enum np_position current;   /* reported position */
	enum np_position candidate; /* position waiting out min_dwell_ms */
	uint32_t candidate_since_ms;
	uint32_t current_since_ms;
	bool started;
};

/* Start with no position reported; cfg is copied (NULL: defaults). */
void np_posture_tracker_init(struct np_posture_tracker *t, const struct np_posture_cfg *cfg);

/* Feed a gravity vector at now_ms (monotonic); returns the reported position. */
enum np_position np_posture_tracker_feed(struct np_posture_tracker *t, struct np_vec3 g,
					 uint32_t now_ms);

#endif
