/* nightpose replay: the live pipeline (positions, alerts) run on a recording. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_live.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_recorder.h"
#include "np_settings.h"
#include "np_transport_file.h"

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
	"A night recorded by 'nightpose record' carries its alert settings (positions\n"
	"to avoid, --alert-after, --alert-delay, the calibration's rotation): replay\n"
	"uses them unless an option below overrides one. Other recordings (simulated,\n"
	"imported, older) replay with the defaults and the options given.\n"
	"\n"
	"options:\n"
	"  --speed X|max      X times real time (1 = as it happened), or max (default)\n"
	"  --live             show the live status line while replaying (on a terminal)\n"
	"  --avoid LIST       positions to avoid, e.g. prone,supine (default: the\n"
	"                     night's, else prone)\n"
	"  --alert-after S    alert after S seconds in a position to avoid (default: the\n"
	"                     night's, else no alerts)\n"
	"  --alert-delay S    no alert in the first S seconds (default: the night's, else 0)\n"
	"  --calibration CAL.json  the sensor's mounting from 'nightpose calibrate'\n"
	"                     (default: the night's, else sensor axes = body axes)\n"
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
	np_fmt_hms(host_ms / 1000.0, hms, sizeof hms);
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

/* "avoid prone, alert after 60 s, delay 1800 s, mode vibrate, rotation from a calibration" */
static void settings_text(const struct np_live_settings *cfg, char *buf, size_t cap)
{
	char avoid[64];
	np_avoid_text(cfg->avoid_mask, ",", avoid, sizeof avoid);
	struct np_mat3 id;
	np_mat3_identity(&id);
	char after[48] = "no alerts";
	if (cfg->alert_after_s)
		snprintf(after, sizeof after, "alert after %u s", (unsigned)cfg->alert_after_s);
	snprintf(buf, cap, "avoid %s, %s, delay %u s, mode %s, %s", avoid[0] ? avoid : "none", after,
		 (unsigned)cfg->alert_delay_s,
		 np_alert_mode_name(cfg->alert_mode),
		 memcmp(&cfg->mounting, &id, sizeof id) == 0 ? "sensor axes = body axes" :
							       "the mounting rotation of a calibration");
}

/* Whether a and b take the same decisions (the alert mode only says whom to tell). */
static bool same_decisions(const struct np_live_settings *a, const struct np_live_settings *b)
{
	return a->avoid_mask == b->avoid_mask && a->alert_after_s == b->alert_after_s &&
	       a->alert_delay_s == b->alert_delay_s &&
	       memcmp(&a->mounting, &b->mounting, sizeof a->mounting) == 0;
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
	/* Options go to opt_cfg first: they override the recorded settings,
	 * which are known only once the file is open. */
	struct np_recorder_cfg opt_cfg;
	np_recorder_cfg_default(&opt_cfg);
	bool given[4] = { false };

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
			if (np_cli_alert_option(&np_cmd_replay, opt, optarg, &opt_cfg) != NP_EXIT_OK)
				return NP_EXIT_USAGE;
			given[opt - NP_CLI_OPT_AVOID] = true;
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

	struct np_recorder_cfg cfg, night_cfg;
	np_recorder_cfg_default(&night_cfg);
	bool have_night = false;
	rc = np_live_settings_read(path, &night_cfg.live, &have_night);
	if (rc != NP_OK) {
		np_transport_close(&c.t);
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	/* The config file's defaults are for nights without settings of their own. */
	if (!have_night && np_cli_alert_config(&np_cmd_replay, &opt_cfg, given) != NP_EXIT_OK) {
		np_transport_close(&c.t);
		return NP_EXIT_USAGE;
	}
	cfg = night_cfg;
	if (given[NP_CLI_OPT_AVOID - NP_CLI_OPT_AVOID])
		cfg.live.avoid_mask = opt_cfg.live.avoid_mask;
	if (given[NP_CLI_OPT_ALERT_AFTER - NP_CLI_OPT_AVOID])
		cfg.live.alert_after_s = opt_cfg.live.alert_after_s;
	if (given[NP_CLI_OPT_ALERT_DELAY - NP_CLI_OPT_AVOID])
		cfg.live.alert_delay_s = opt_cfg.live.alert_delay_s;
	if (given[NP_CLI_OPT_CALIBRATION - NP_CLI_OPT_AVOID])
		cfg.live.mounting = opt_cfg.live.mounting;
	cfg.send_commands = false;
	/* Same decisions as the night: its logged alerts are the expected ones. */
	bool as_night = have_night && same_decisions(&cfg.live, &night_cfg.live);
	if (have_night) {
		char txt[256];
		settings_text(&night_cfg.live, txt, sizeof txt);
		if (as_night)
			fprintf(stderr, "using the alert settings recorded with the night: %s\n", txt);
		else
			fprintf(stderr, "the night was recorded with: %s; replaying with other settings, "
				"so its alerts are not expected to match\n", txt);
	}
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
		if (cfg.live.alert_after_s == 0 && n_rec == 0)
			printf("alerts: none asked for (--alert-after), none logged in the recording\n");
		else if (n_rec == 0 && !as_night)
			printf("alerts: %zu replayed; the recording has none logged (recorded without "
			       "alerts, simulated or imported)\n", c.n_alerts);
		else
			printf("alerts: %zu replayed, %zu logged during the night: %s\n", c.n_alerts, n_rec,
			       same ? "same times" :
			       !have_night ? "they differ (was the night recorded with other "
					     "--avoid/--alert-after/--alert-delay?)" :
			       as_night ? "they differ, with the night's own settings: the live "
					  "pipeline no longer decides as it did" :
					  "they differ, as expected with other settings than the night's");
		free(rec_ms);
	}
	free(c.alert_ms);
	return exit_code;
}
