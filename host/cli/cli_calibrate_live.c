/* The guided calibration (cli_calibrate_live.h): recorder for the link, np_guide for the steps. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_calibrate_live.h"
#include "cli_live.h"
#include "np_clock.h"
#include "np_err.h"
#include "np_guide.h"
#include "np_recorder.h"
#include "np_transport_serial.h"

/* The device has this long to answer HELLO. */
#define IDENTIFY_MS 3000u
/* Longest wait for bytes in one step; also how often the timeout is looked at. */
#define STEP_MS 200u

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct guided {
	struct np_clock clock;
	struct np_guide guide;
	const struct np_hello *hello;
	bool have_tick;
	uint32_t first_tick;
	bool lost, reset;
};

static uint32_t clock_ms(void *ctx)
{
	return np_clock_ms(&((struct guided *)ctx)->clock);
}

static void on_samples(void *ctx, const struct np_samples *s)
{
	struct guided *gd = ctx;
	double tick_hz = gd->hello->tick_hz ? gd->hello->tick_hz : 1000.0;
	float k = 1.0f / (float)(gd->hello->lsb_per_g ? gd->hello->lsb_per_g : 1000u);
	for (unsigned i = 0; i < s->count; i++) {
		uint32_t tick = s->first_tick + i * (uint32_t)s->period_ticks;
		if (!gd->have_tick) {
			gd->have_tick = true;
			gd->first_tick = tick;
		}
		struct np_vec3 v = { s->s[i].x * k, s->s[i].y * k, s->s[i].z * k };
		np_guide_feed(&gd->guide, v, (double)(uint32_t)(tick - gd->first_tick) / tick_hz);
	}
}

static void on_note(void *ctx, const struct np_note *n)
{
	struct guided *gd = ctx;
	gd->lost |= n->kind == NP_NOTE_LINK_LOST;
	gd->reset |= n->kind == NP_NOTE_DEVICE_RESET;
}

static const char *const step_text[] = {
	[NP_GUIDE_BACK] = "Lie on your back and keep still for %.0f s.",
	[NP_GUIDE_LEFT] = "Now turn onto your left side and keep still for %.0f s.",
};

/* Open and identify the device, and start it streaming. */
static int start(const char *port, struct guided *gd, struct np_recorder **recp, char *path,
		 size_t cap, struct np_hello *hello)
{
	if (strcmp(port, "auto") == 0) {
		if (!np_cli_auto_port("calibrate", path, cap))
			return NP_EXIT_FAILURE;
	} else {
		snprintf(path, cap, "%s", port);
	}
	struct np_transport t;
	errno = 0;
	int rc = np_transport_serial_open(&t, path);
	if (rc != NP_OK)
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	struct np_recorder_hooks hooks = {
		.now_ms = clock_ms, .note = on_note, .samples = on_samples, .ctx = gd,
	};
	np_clock_start(&gd->clock);
	if ((rc = np_recorder_new(recp, &cfg, &hooks, &t)) != NP_OK)
		return np_cli_fail("calibrate", rc, NP_EXIT_FAILURE);
	rc = np_recorder_identify(*recp, IDENTIFY_MS, hello);
	struct np_rec_header h = { .version = NP_REC_VERSION, .hello = *hello };
	if (rc == NP_OK)
		rc = np_recorder_start(*recp, NULL, &h);
	if (rc != NP_OK) {
		if (rc == NP_ERR_TIMEOUT)
			np_cli_error(path, "no answer to HELLO within %u s: is a nightpose device "
					   "running its firmware on this port?", IDENTIFY_MS / 1000u);
		else
			np_cli_fail(path, rc, 0);
		np_recorder_free(*recp);
		return NP_EXIT_FAILURE;
	}
	gd->hello = &np_recorder_state(*recp)->hello;
	return NP_EXIT_OK;
}

/* Step the link until the guide is done; an exit code, having said why not. */
static int guide_steps(struct guided *gd, struct np_recorder *rec, const char *path,
		       double timeout_s)
{
	enum np_guide_step shown = NP_GUIDE_BACK;
	double step_start = np_clock_s(&gd->clock);
	printf(step_text[shown], gd->guide.still_s);
	printf("\n");
	fflush(stdout);
	while (gd->guide.step != NP_GUIDE_DONE) {
		if (stop_signal) {
			np_cli_error("calibrate", "interrupted: no calibration written");
			return NP_EXIT_FAILURE;
		}
		int rc = np_recorder_step(rec, STEP_MS);
		if (rc != NP_OK || gd->lost || gd->reset) {
			np_cli_error(path, "%s during the calibration: start again",
				     gd->reset ? "the device restarted" : "the link was lost");
			return NP_EXIT_FAILURE;
		}
		if (gd->guide.step != shown) {
			if (shown == NP_GUIDE_BACK)
				printf("Back: done (%.0f mg of movement).\n",
				       (double)gd->guide.back.stats.sd_vec_mg);
			shown = gd->guide.step;
			if (shown != NP_GUIDE_DONE) {
				printf(step_text[shown], gd->guide.still_s);
				printf("\n");
			}
			fflush(stdout);
			step_start = np_clock_s(&gd->clock);
		}
		if (np_clock_s(&gd->clock) - step_start > timeout_s) {
			char why[NP_CAL_PROBLEM_TEXT_MAX];
			np_cal_problem_text(gd->guide.waiting, &gd->guide.lim, why, sizeof why);
			np_cli_error(path, "no still %.0f s %s within %.0f s (last: %s)", gd->guide.still_s,
				     shown == NP_GUIDE_BACK ? "on the back" : "on the left side", timeout_s,
				     gd->guide.waiting == NP_CAL_EMPTY ? "no samples" : why);
			return NP_EXIT_FAILURE;
		}
	}
	printf("Left side: done (%.0f mg of movement, %.0f degrees from the back).\n",
	       (double)gd->guide.left.stats.sd_vec_mg, (double)gd->guide.mount.angle_deg);
	return NP_EXIT_OK;
}

static void window_rec(struct np_cal_window_rec *w, const struct np_guide_window *g)
{
	w->start_s = g->start_s;
	w->end_s = g->end_s;
	w->samples = g->stats.n;
	w->mean_g = g->stats.mean;
	w->sd_mg = g->stats.sd_vec_mg;
}

int np_cli_calibrate_live(const char *port, double timeout_s, struct np_calfile *cal)
{
	static struct guided gd;
	struct np_recorder *rec = NULL;
	struct np_hello hello;
	char path[256];
	memset(&gd, 0, sizeof gd);
	memset(cal, 0, sizeof *cal);
	int code = start(port, &gd, &rec, path, sizeof path, &hello);
	if (code != NP_EXIT_OK)
		return code;
	double rate = hello.rate_millihz ? hello.rate_millihz / 1000.0 : 100.0;
	if (np_guide_init(&gd.guide, rate > 1000 ? 1000 : rate) != NP_OK) {
		np_recorder_free(rec);
		return np_cli_fail("calibrate", NP_ERR_NOMEM, NP_EXIT_FAILURE);
	}
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	code = guide_steps(&gd, rec, path, timeout_s);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	np_recorder_stop(rec);
	np_recorder_free(rec);
	if (code == NP_EXIT_OK) {
		cal->version = NP_CALFILE_VERSION;
		snprintf(cal->device_serial, sizeof cal->device_serial, "%s", hello.serial);
		snprintf(cal->source, sizeof cal->source, "guided on %.110s", path);
		cal->chest = gd.guide.mount;
		window_rec(&cal->supine, &gd.guide.back);
		window_rec(&cal->left, &gd.guide.left);
		np_autocal_identity(&cal->autocal);
	}
	np_guide_free(&gd.guide);
	return code;
}
