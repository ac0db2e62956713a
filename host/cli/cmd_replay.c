/* nightpose replay: the live pipeline (positions, alerts) run on a recording. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_live.h"
#include "np_err.h"
#include "np_recorder.h"
#include "np_transport.h"

static const char usage[] =
	"usage: nightpose replay NIGHT.npr [--speed X|max] [--live] [--avoid LIST]\n"
	"                        [--alert-after S] [--alert-delay S] [--calibration CAL.json]\n"
	"\n"
	"Feeds a recording through exactly the pipeline 'nightpose record' runs live:\n"
	"frame decoding, the position tracker and the alert logic, on the times the\n"
	"frames were received. Prints each position change and alert with its time\n"
	"from the start of the recording and the clock time, then compares the\n"
	"alerts with those the recorder logged during the night.\n"
	"\n"
	"options:\n"
	"  --speed X|max      X times real time (1 = as it happened), or max (default)\n"
	"  --live             show the live status line while replaying (on a terminal)\n"
	"  --avoid LIST       positions to avoid, e.g. prone,supine (default prone)\n"
	"  --alert-after S    alert after S seconds in a position to avoid (default: no\n"
	"                     alerts; use the value given to record to reproduce them)\n"
	"  --calibration CAL.json  the sensor's mounting from 'nightpose calibrate'\n"
	"                     (default: sensor axes = body axes)\n"
	"  --alert-delay S    no alert in the first S seconds\n"
	"  -h, --help         this help\n"
	"\n"
	"exit codes: 0 ok, 1 read error, 2 bad usage, missing file, not a recording\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_replay = {
	.name = "replay",
	.summary = "run the live pipeline (positions, alerts) on a recording",
	.usage = usage,
	.run = run,
};

#define MAX_ALERTS_COMPARED 100000u

struct replay_ctx {
	struct np_transport t; /* copy of the recorder's transport, for its clock */
	int64_t start_utc_ms;
	struct np_cli_live live;
	bool show_live;
	uint32_t *alert_ms; /* replayed alerts, for the comparison */
	size_t n_alerts;
};

static uint32_t file_clock(void *ctx)
{
	return np_transport_file_host_ms(&((struct replay_ctx *)ctx)->t);
}

/* "+1:02:03  23:14:05" */
static void stamp(const struct replay_ctx *c, uint32_t host_ms, char *buf, size_t cap)
{
	char hms[32], clk[16] = "";
	np_cli_hms(host_ms / 1000.0, hms, sizeof hms);
	struct tm tm;
	/* A damaged creation time must not overflow the addition below. */
	time_t t = np_rec_created_known(c->start_utc_ms) ?
			   (time_t)((c->start_utc_ms + (int64_t)host_ms) / 1000) : 0;
	if (t > 0 && localtime_r(&t, &tm))
		strftime(clk, sizeof clk, "%H:%M:%S", &tm);
	snprintf(buf, cap, "%9s  %s", hms, clk);
}

static void on_note(void *ctx, const struct np_note *n)
{
	struct replay_ctx *c = ctx;
	char when[64];
	stamp(c, n->host_ms, when, sizeof when);
	if (c->show_live)
		np_cli_live_end(&c->live);
	switch (n->kind) {
	case NP_NOTE_POSITION:
		printf("%s  position %s\n", when, np_position_name(n->position));
		break;
	case NP_NOTE_ALERT:
		printf("%s  alert level %u: %s for %u s\n", when, n->level, np_position_name(n->position),
		       n->seconds);
		if (c->n_alerts < MAX_ALERTS_COMPARED)
			c->alert_ms[c->n_alerts++] = n->host_ms;
		break;
	case NP_NOTE_ALERT_CLEARED:
		printf("%s  alert cleared after %u s\n", when, n->seconds);
		break;
	case NP_NOTE_DEVICE_RESET:
		printf("%s  device restarted\n", when);
		break;
	default:
		break;
	}
	fflush(stdout);
}

/* The HOST_ALERT events the recorder logged, with their host_ms. */
static int recorded_alerts(const char *path, uint32_t **ms, size_t *n)
{
	*ms = NULL;
	*n = 0;
	struct np_rec_reader *r;
	struct np_rec_header h;
	int rc = np_rec_reader_open(&r, path, &h);
	if (rc != NP_OK)
		return rc;
	size_t cap = 0;
	struct np_rec_entry e;
	while ((rc = np_rec_reader_next(r, &e)) == NP_OK) {
		struct np_event ev;
		if (e.origin != NP_ORIGIN_HOST || e.frame.type != NP_MSG_EVENT ||
		    np_event_decode(e.frame.payload, e.frame.len, &ev) != NP_OK ||
		    ev.kind != NP_EVENT_HOST_ALERT || *n >= MAX_ALERTS_COMPARED)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			uint32_t *p = realloc(*ms, cap * sizeof *p);
			if (!p) {
				rc = NP_ERR_NOMEM;
				break;
			}
			*ms = p;
		}
		(*ms)[(*n)++] = e.host_ms;
	}
	np_rec_reader_close(r);
	return rc == NP_ERR_EOF ? NP_OK : rc;
}

enum { OPT_SPEED = 256, OPT_LIVE };

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "live", no_argument, NULL, OPT_LIVE },
		{ "avoid", required_argument, NULL, NP_CLI_OPT_AVOID },
		{ "alert-after", required_argument, NULL, NP_CLI_OPT_ALERT_AFTER },
		{ "alert-delay", required_argument, NULL, NP_CLI_OPT_ALERT_DELAY },
		{ "calibration", required_argument, NULL, NP_CLI_OPT_CALIBRATION },
		{ NULL, 0, NULL, 0 },
	};
	double speed = 0;
	int opt;
	bool live = false;
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);
	cfg.send_commands = false;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SPEED:
			if (strcmp(optarg, "max") == 0)
				speed = 0;
			else if (!np_cli_parse_double(optarg, 0.001, 1e6, &speed))
				return np_cli_usage_error(&np_cmd_replay, "--speed: expected a factor > 0 or max, got '%s'", optarg);
			break;
		case OPT_LIVE:
			live = true;
			break;
		case NP_CLI_OPT_AVOID:
		case NP_CLI_OPT_ALERT_AFTER:
		case NP_CLI_OPT_ALERT_DELAY:
		case NP_CLI_OPT_CALIBRATION:
			if (np_cli_alert_option(&np_cmd_replay, opt, optarg, &cfg) != NP_EXIT_OK)
				return NP_EXIT_USAGE;
			break;
		case ':':
			return np_cli_usage_error(&np_cmd_replay, "%s needs a value", argv[optind - 1]);
		default:
			return np_cli_usage_error(&np_cmd_replay, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return np_cli_usage_error(&np_cmd_replay, argc == optind ? "missing recording file" :
									 "expected one recording file");
	const char *path = argv[optind];

	struct replay_ctx c = { .show_live = live };
	np_cli_live_init(&c.live, true);
	struct np_rec_header h;
	errno = 0;
	int rc = np_transport_file_open(&c.t, path, speed, &h);
	if (rc != NP_OK)
		return np_cli_recording_error(path, rc);
	c.start_utc_ms = h.created_utc_ms;
	c.alert_ms = malloc(MAX_ALERTS_COMPARED * sizeof *c.alert_ms);
	if (!c.alert_ms) {
		np_transport_close(&c.t);
		return np_cli_fail(path, NP_ERR_NOMEM, NP_EXIT_FAILURE);
	}
	struct np_recorder_hooks hooks = { .now_ms = file_clock, .note = on_note, .ctx = &c };
	struct np_transport t = c.t;
	struct np_recorder *rec;
	rc = np_recorder_new(&rec, &cfg, &hooks, &t);
	if (rc == NP_OK)
		rc = np_recorder_start(rec, NULL, &h);
	if (rc != NP_OK) {
		free(c.alert_ms);
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	while ((rc = np_recorder_step(rec, 200)) == NP_OK)
		if (live)
			np_cli_live_status(&c.live, np_recorder_state(rec)->host_ms / 1000.0,
					   np_recorder_state(rec));
	if (live)
		np_cli_live_end(&c.live);
	int exit_code = NP_EXIT_OK;
	if (rc != NP_ERR_EOF) {
		np_cli_fail(path, rc, 0);
		exit_code = NP_EXIT_FAILURE;
	}
	struct np_live_state st = *np_recorder_state(rec);
	np_recorder_stop(rec);
	np_recorder_free(rec);

	char pos[512];
	np_cli_position_times(&st, pos, sizeof pos);
	printf("positions: %s\n", pos);
	printf("samples: %llu, frames lost: %llu, device restarts: %u\n",
	       (unsigned long long)st.samples, (unsigned long long)np_live_frames_lost(&st),
	       st.device_resets);

	uint32_t *rec_ms;
	size_t n_rec;
	if (exit_code == NP_EXIT_OK && recorded_alerts(path, &rec_ms, &n_rec) == NP_OK) {
		bool same = n_rec == c.n_alerts;
		for (size_t i = 0; same && i < n_rec; i++)
			same = rec_ms[i] == c.alert_ms[i];
		if (cfg.alert_after_s == 0 && n_rec == 0)
			printf("alerts: none asked for (--alert-after), none logged in the recording\n");
		else if (n_rec == 0)
			printf("alerts: %zu replayed; the recording has none logged (recorded without "
			       "alerts, simulated or imported)\n", c.n_alerts);
		else
			printf("alerts: %zu replayed, %zu logged during the night: %s\n", c.n_alerts, n_rec,
			       same ? "same times" :
			       "they differ (was the night recorded with other --avoid/--alert-after/--alert-delay?)");
		free(rec_ms);
	}
	free(c.alert_ms);
	return exit_code;
}
