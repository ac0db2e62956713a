#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "np_err.h"
#include "np_guide.h"

/* The window is looked at once a second, not at every sample. */
#define CHECK_EVERY_S 1.0
/* Ring room: two windows' worth at the highest rate asked for. */
#define RING_WINDOWS 2.0

int np_guide_init(struct np_guide *g, double rate_hz)
{
	memset(g, 0, sizeof *g);
	if (!(rate_hz > 0) || rate_hz > 10000)
		return NP_ERR_ARG;
	g->still_s = NP_GUIDE_STILL_S;
	np_mount_limits_default(&g->lim);
	g->step = NP_GUIDE_BACK;
	g->waiting = NP_CAL_EMPTY;
	g->cap = (size_t)ceil(rate_hz * g->still_s * RING_WINDOWS) + 16;
	g->v = malloc(g->cap * sizeof *g->v);
	g->t = malloc(g->cap * sizeof *g->t);
	if (!g->v || !g->t) {
		np_guide_free(g);
		return NP_ERR_NOMEM;
	}
	g->last_check_s = -INFINITY;
	return NP_OK;
}

void np_guide_free(struct np_guide *g)
{
	free(g->v);
	free(g->t);
	g->v = NULL;
	g->t = NULL;
	g->cap = g->n = 0;
}

static size_t at(const struct np_guide *g, size_t i)
{
	return (g->head + g->cap - g->n + i) % g->cap;
}

/* The ring's samples as one window; false when they span less than still_s. */
static bool window(struct np_guide *g, struct np_guide_window *w)
{
	if (g->n < 2 || g->t[at(g, g->n - 1)] - g->t[at(g, 0)] < g->still_s * 0.999)
		return false;
	struct np_vec3 *tmp = malloc(g->n * sizeof *tmp);
	if (!tmp)
		return false;
	for (size_t i = 0; i < g->n; i++)
		tmp[i] = g->v[at(g, i)];
	w->start_s = g->t[at(g, 0)];
	w->end_s = g->t[at(g, g->n - 1)];
	np_cal_stats_compute(tmp, g->n, w->end_s - w->start_s, &w->stats);
	free(tmp);
	return true;
}

/* The current window as the left side, if it is one: still and turned from the back. */
static void try_left(struct np_guide *g, const struct np_guide_window *w)
{
	float angle = np_vec3_angle_deg(g->back.stats.mean, w->stats.mean);
	if (!(angle >= g->lim.min_angle_deg && angle <= g->lim.max_angle_deg)) {
		g->waiting = NP_CAL_NOT_SQUARE;
		return;
	}
	enum np_cal_problem p;
	int which;
	if (np_mount_compute(&g->lim, &g->back.stats, &w->stats, &g->mount, &p, &which) != NP_OK) {
		g->waiting = p;
		return;
	}
	g->left = *w;
	g->waiting = NP_CAL_OK;
	g->step = NP_GUIDE_DONE;
}

enum np_guide_step np_guide_feed(struct np_guide *g, struct np_vec3 v, double t_s)
{
	if (g->step == NP_GUIDE_DONE || !g->v)
		return g->step;
	g->v[g->head] = v;
	g->t[g->head] = t_s;
	g->head = (g->head + 1) % g->cap;
	if (g->n < g->cap)
		g->n++;
	/* Keep just over still_s: drop the oldest while the next one still spans it. */
	while (g->n > 2 && t_s - g->t[at(g, 1)] >= g->still_s)
		g->n--;
	if (t_s - g->last_check_s < CHECK_EVERY_S)
		return g->step;
	g->last_check_s = t_s;
	struct np_guide_window w;
	if (!window(g, &w))
		return g->step;
	g->waiting = np_mount_check_window(&g->lim, &w.stats);
	if (g->waiting != NP_CAL_OK)
		return g->step;
	if (g->step == NP_GUIDE_BACK) {
		g->back = w;
		g->step = NP_GUIDE_LEFT;
		g->n = 0; /* the left side needs a window of its own */
		g->waiting = NP_CAL_EMPTY;
		return g->step;
	}
	try_left(g, &w);
	return g->step;
}
