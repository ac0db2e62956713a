#include <math.h>
#include <stdlib.h>

#include "np_episodes.h"
#include "np_array.h"
#include "np_err.h"

int np_episodes_build(const struct np_epochs *e, const struct np_posture_cfg *cfg,
		      struct np_episode **out, size_t *n)
{
	struct np_posture_tracker t;
	size_t cap = 0, cnt = 0;
	struct np_episode *v = NULL;

	*out = NULL;
	*n = 0;
	np_posture_tracker_init(&t, cfg);
	for (size_t k = 0; k < e->n; k++) {
		const struct np_epoch *p = &e->v[k];
		struct np_vec3 zero = { 0, 0, 0 };
		uint32_t now_ms = (uint32_t)llround(p->start_s * 1000.0);
		enum np_position pos = np_posture_tracker_feed(&t, p->n ? p->g : zero, now_ms);
		if (cnt > 0 && v[cnt - 1].position == pos) {
			v[cnt - 1].end_s = p->end_s;
			continue;
		}
		double start = cnt == 0 ? p->start_s : t.current_since_ms / 1000.0;
		if (np_array_reserve((void **)&v, &cap, cnt + 1, sizeof *v) != NP_OK) {
			free(v);
			return NP_ERR_NOMEM;
		}
		if (cnt > 0)
			v[cnt - 1].end_s = start;
		v[cnt].start_s = start;
		v[cnt].end_s = p->end_s;
		v[cnt].position = pos;
		cnt++;
	}
	*out = v;
	*n = cnt;
	return NP_OK;
}
