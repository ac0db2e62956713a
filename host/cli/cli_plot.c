#include "cli_plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "np_episodes.h"
#include "np_err.h"
#include "np_plot.h"

int np_cli_check_plot_path(const struct np_cli_cmd *cmd, const char *path)
{
	if (np_plot_device(path))
		return NP_EXIT_OK;
	return np_cli_usage_error(cmd, "--plot: file name must end in .png, .svg or .pdf, not '%s'",
				  path);
}

static bool in_gap(const struct np_night *night, double t)
{
	for (size_t i = 0; i < night->n_gaps; i++)
		if (t >= night->gaps[i].start_s && t < night->gaps[i].end_s)
			return true;
	return false;
}

/* The report's sleep as plot spans: 4 arrays in one allocation (*buf, free it). */
static int sleep_spans(const struct np_night_sleep *s, struct np_plot_sleep *ps,
		       struct np_plot_span **buf)
{
	memset(ps, 0, sizeof *ps);
	*buf = NULL;
	if (!s)
		return NP_OK;
	size_t total = 2 * s->n_nights + s->n_wake + s->n_nonwear_spans;
	struct np_plot_span *v = malloc((total + 1) * sizeof *v);
	if (!v)
		return NP_ERR_NOMEM;
	*buf = v;
	ps->periods = v;
	for (size_t i = 0; i < s->n_nights; i++)
		if (s->nights[i].found)
			v[ps->n_periods++] = (struct np_plot_span){ s->nights[i].onset_s,
								    s->nights[i].wake_s, NP_POS_UNKNOWN };
	ps->in_bed = v + ps->n_periods;
	for (size_t i = 0; i < s->n_nights; i++)
		if (s->nights[i].found)
			v[ps->n_periods + ps->n_in_bed++] = (struct np_plot_span){
				s->nights[i].lights_off_s, s->nights[i].lights_on_s, NP_POS_UNKNOWN };
	struct np_plot_span *w = v + ps->n_periods + ps->n_in_bed;
	ps->wake = w;
	for (size_t i = 0; i < s->n_wake; i++)
		w[ps->n_wake++] = (struct np_plot_span){ s->wake[i].start_s, s->wake[i].end_s,
							 NP_POS_UNKNOWN };
	ps->nonwear = w + ps->n_wake;
	for (size_t i = 0; i < s->n_nonwear_spans; i++)
		w[ps->n_wake + ps->n_nonwear++] = (struct np_plot_span){
			s->nonwear_spans[i].start_s, s->nonwear_spans[i].end_s, NP_POS_UNKNOWN };
	return NP_OK;
}

int np_cli_plot_night(const struct np_night *night, const struct np_epochs *ep,
		      const struct np_report *rep, const char *path)
{
	if (!(rep->span_s > 0)) {
		/* One sample, or none: a timeline needs a time axis. */
		size_t n = night->sensor[0].n;
		np_cli_error(path, "not drawn: the recording spans no time (%zu sample%s)", n,
			     n == 1 ? "" : "s");
		return NP_EXIT_USAGE;
	}
	struct np_plot_night p = {0};
	size_t n_alerts = rep->n_alerts;
	struct np_plot_span *spans = malloc((rep->n_episodes + 1) * sizeof *spans);
	struct np_plot_span *gaps = malloc((night->n_gaps + 1) * sizeof *gaps);
	double *alerts = malloc((n_alerts + 1) * sizeof *alerts);
	double *mt = malloc((ep->n + 1) * sizeof *mt);
	float *mg = malloc((ep->n + 1) * sizeof *mg);
	struct np_plot_span *sleep_buf = NULL;
	int rc = NP_ERR_NOMEM;
	if (!spans || !gaps || !alerts || !mt || !mg ||
	    sleep_spans(rep->sleep, &p.sleep, &sleep_buf) != NP_OK)
		goto out;

	for (size_t i = 0; i < rep->n_episodes; i++) {
		const struct np_episode *e = &rep->episodes[i];
		/* A gap is drawn as a gap, not as a stretch of "unknown". */
		if (e->position == NP_POS_UNKNOWN && in_gap(night, (e->start_s + e->end_s) / 2))
			continue;
		spans[p.n_spans++] = (struct np_plot_span){e->start_s, e->end_s, e->position};
	}
	for (size_t i = 0; i < night->n_gaps; i++)
		gaps[p.n_gaps++] = (struct np_plot_span){night->gaps[i].start_s, night->gaps[i].end_s,
							 NP_POS_UNKNOWN};
	for (size_t i = 0; i < rep->n_alerts; i++)
		alerts[p.n_alerts++] = rep->alerts[i].t_s;
	for (size_t k = 0; k < ep->n; k++) {
		const struct np_epoch *e = &ep->v[k];
		mt[k] = (e->start_s + e->end_s) / 2;
		mg[k] = e->n > 0 ? e->movement_mg : NAN;
	}
	p.start_utc_s = rep->start_utc_s;
	p.duration_s = rep->span_s;
	p.spans = spans;
	p.gaps = gaps;
	p.alerts_s = alerts;
	p.movement_t_s = mt;
	p.movement_mg = mg;
	p.n_movement = ep->n;
	for (int i = 0; i < NP_POS_COUNT; i++) {
		p.time_s[i] = rep->time_s[i];
		if (rep->breathing[i].status == NP_BREATH_OK)
			p.breathing_bpm[i] = rep->breathing[i].rate_bpm;
	}
	if (rep->span_s < NP_REPORT_SHORT_S)
		p.breathing_note = "not measured (shorter than 10 min)";
	p.avoid_mask = rep->avoid_mask;
	if (rep->n_longest_avoid > 0)
		p.longest_avoid_s = rep->longest_avoid[0].end_s - rep->longest_avoid[0].start_s;
	p.watch = &np_cli_tmp_watch;
	np_cli_tmp_hold(path);
	rc = np_plot_night_render(&p, path);
	np_cli_tmp_done();
out:
	free(sleep_buf);
	free(spans);
	free(gaps);
	free(alerts);
	free(mt);
	free(mg);
	if (rc == NP_ERR_ARG) {
		np_cli_error(path, "nothing to plot (empty recording or unknown file type)");
		return NP_EXIT_USAGE;
	}
	if (rc != NP_OK)
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}
