/* nightpose replay: the live pipeline (positions, alerts) run on a recording. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cli_live.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_rec_alerts.h"
#include "np_recorder.h"
#include "np_settings.h"
#include "np_transport_file.h"

static const char usage[] =
	"usage: nightpose replay NIGHT.npr [--speed X|max] [--live] [--avoid LIST]\n"
	"                        [--alert-after S] [--alert-delay S] [--alert-when asleep|lying]\n"
	"                        [--calibration CAL.json]\n"
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
	"  --alert-when W     asleep or lying (default: the night's, else asleep)\n"
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

struct replay_ctx {
	struct np_transport t; /* copy of the recorder's transport, for its clock */
	int64_t start_utc_ms;
	struct np_cli_live live;
	bool show_live;
	struct np_rec_alerts replayed; /* for the comparison with the recorded ones */
	int err;                       /* first failure to keep an alert (NP_ERR_NOMEM) */
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
	case NP_NOTE_ALERT: {
		printf("%s  %s level %u: %s for %u s\n", when, n->from_device ? "device alert" : "alert",
		       n->level, np_position_name(n->position), n->seconds);
		struct np_rec_alert a = { .host_ms = n->host_ms, .position = (uint8_t)n->position,
					  .level = n->level,
					  .source = n->from_device ? NP_ALERT_FROM_DEVICE : NP_ALERT_FROM_HOST };
		if (c->err == NP_OK && !n->from_device)
			c->err = np_rec_alerts_add(&c->replayed, &a);
		break;
	}
	case NP_NOTE_ALERT_CLEARED:
		printf("%s  %s cleared after %u s\n", when, n->from_device ? "device alert" : "alert",
		       n->seconds);
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
	snprintf(buf, cap, "avoid %s, %s, delay %u s, mode %s, when %s, %s", avoid[0] ? avoid : "none",
		 after, (unsigned)cfg->alert_delay_s, np_alert_mode_name(cfg->alert_mode),
		 np_alert_when_name(cfg->alert_when),
		 memcmp(&cfg->mounting, &id, sizeof id) == 0 ? "sensor axes = body axes" :
							       "the mounting rotation of a calibration");
}

/* Whether a and b take the same decisions (the alert mode only says whom to tell). */
static bool same_decisions(const struct np_live_settings *a, const struct np_live_settings *b)
{
	return a->avoid_mask == b->avoid_mask && a->alert_after_s == b->alert_after_s &&
	       a->alert_delay_s == b->alert_delay_s && a->alert_when == b->alert_when &&
	       memcmp(&a->mounting, &b->mounting, sizeof a->mounting) == 0;
}

struct replay_opts {
	const char *path;
	double speed;                /* 0: as fast as possible */
	bool live;
	struct np_recorder_cfg cfg;  /* the alert options given, applied over the night's */
	bool given[NP_CLI_ALERT_OPTS]; /* which of them, by NP_CLI_OPT_* - NP_CLI_OPT_AVOID */
};

enum { OPT_SPEED = 256, OPT_LIVE };

static int parse_options(int argc, char **argv, struct replay_opts *o)
{
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "live", no_argument, NULL, OPT_LIVE },
		{ "avoid", required_argument, NULL, NP_CLI_OPT_AVOID },
		{ "alert-after", required_argument, NULL, NP_CLI_OPT_ALERT_AFTER },
		{ "alert-delay", required_argument, NULL, NP_CLI_OPT_ALERT_DELAY },
		{ "alert-when", required_argument, NULL, NP_CLI_OPT_ALERT_WHEN },
		{ "calibration", required_argument, NULL, NP_CLI_OPT_CALIBRATION },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(o, 0, sizeof *o);
	np_recorder_cfg_default(&o->cfg);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SPEED:
			if (strcmp(optarg, "max") == 0)
				o->speed = 0;
			else if (!np_cli_parse_double(optarg, 0.001, 1e6, &o->speed))
				return np_cli_usage_error(&np_cmd_replay, "--speed: expected a factor > 0 or max, got '%s'", optarg);
			break;
		case OPT_LIVE:
			o->live = true;
			break;
		case NP_CLI_OPT_AVOID:
		case NP_CLI_OPT_ALERT_AFTER:
		case NP_CLI_OPT_ALERT_DELAY:
		case NP_CLI_OPT_ALERT_WHEN:
		case NP_CLI_OPT_CALIBRATION:
			if (np_cli_alert_option(&np_cmd_replay, opt, optarg, &o->cfg) != NP_EXIT_OK)
				return NP_EXIT_USAGE;
			o->given[opt - NP_CLI_OPT_AVOID] = true;
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
	o->path = argv[optind];
	return NP_EXIT_OK;
}

/* What the replay runs with: the night's recorded settings, with the options given over them. */
struct replay_settings {
	struct np_recorder_cfg cfg;
	struct np_live_settings night;
	bool have_night; /* the recording carries its settings */
	bool as_night;   /* and the replay takes the same decisions */
};

static int merge_settings(struct replay_opts *o, struct replay_settings *s)
{
	const struct np_live_settings *given = &o->cfg.live;
	np_recorder_cfg_default(&s->cfg);
	s->night = s->cfg.live;
	s->have_night = false;
	int rc = np_live_settings_read(o->path, &s->night, &s->have_night);
	if (rc != NP_OK)
		return rc;
	/* The config file's defaults are for nights without settings of their own
	 * (a bad config file has been reported: NP_ERR_ARG). */
	if (!s->have_night && np_cli_alert_config(&np_cmd_replay, &o->cfg, o->given) != NP_EXIT_OK)
		return NP_ERR_ARG;
	struct np_live_settings *live = &s->cfg.live;
	*live = s->night;
	if (o->given[NP_CLI_OPT_AVOID - NP_CLI_OPT_AVOID])
		live->avoid_mask = given->avoid_mask;
	if (o->given[NP_CLI_OPT_ALERT_AFTER - NP_CLI_OPT_AVOID])
		live->alert_after_s = given->alert_after_s;
	if (o->given[NP_CLI_OPT_ALERT_DELAY - NP_CLI_OPT_AVOID])
		live->alert_delay_s = given->alert_delay_s;
	if (o->given[NP_CLI_OPT_CALIBRATION - NP_CLI_OPT_AVOID])
		live->mounting = given->mounting;
	if (o->given[NP_CLI_OPT_ALERT_WHEN - NP_CLI_OPT_AVOID])
		live->alert_when = given->alert_when;
	s->cfg.send_commands = false;
	/* Same decisions as the night: its logged alerts are the expected ones. */
	s->as_night = s->have_night && same_decisions(live, &s->night);
	if (s->have_night) {
		char txt[256];
		settings_text(&s->night, txt, sizeof txt);
		if (s->as_night)
			fprintf(stderr, "using the alert settings recorded with the night: %s\n", txt);
		else
			fprintf(stderr, "the night was recorded with: %s; replaying with other settings, "
				"so its alerts are not expected to match\n", txt);
	}
	return NP_OK;
}

/* Run the recorder over the whole file; *st receives what it saw. Returns an exit code. */
static int replay(struct replay_ctx *c, const struct replay_opts *o, const struct np_recorder_cfg *cfg,
		  const struct np_rec_header *h, struct np_live_state *st)
{
	struct np_recorder_hooks hooks = { .now_ms = file_clock, .note = on_note, .ctx = c };
	struct np_transport t = c->t;
	struct np_recorder *rec = NULL;
	int rc = np_recorder_new(&rec, cfg, &hooks, &t); /* closes t when it fails */
	if (rc == NP_OK && (rc = np_recorder_start(rec, NULL, h)) != NP_OK)
		np_recorder_free(rec);
	if (rc != NP_OK)
		return np_cli_fail(o->path, rc, NP_EXIT_FAILURE);
	while ((rc = np_recorder_step(rec, 200)) == NP_OK)
		if (o->live)
			np_cli_live_status(&c->live, np_recorder_state(rec)->host_ms / 1000.0,
					   np_recorder_state(rec));
	if (o->live)
		np_cli_live_end(&c->live);
	*st = *np_recorder_state(rec);
	np_recorder_stop(rec);
	np_recorder_free(rec);
	if (rc == NP_ERR_EOF && c->err != NP_OK)
		rc = c->err;
	if (rc != NP_ERR_EOF)
		return np_cli_fail(o->path, rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}

/* A device alert and a host alert this close are the same decision (the two clocks
 * see a position change up to a window apart). */
#define DEVICE_MATCH_MS 2000u

/* Device alerts of logged with a replayed alert of the same level within DEVICE_MATCH_MS.
 * Both lists are in time order: one pass over each. */
static size_t matched_device_alerts(const struct np_rec_alerts *logged,
				    const struct np_rec_alerts *replayed)
{
	size_t n = 0, lo = 0;
	for (size_t i = 0; i < logged->n; i++) {
		const struct np_rec_alert *d = &logged->v[i];
		if (d->source != NP_ALERT_FROM_DEVICE)
			continue;
		while (lo < replayed->n && replayed->v[lo].host_ms + DEVICE_MATCH_MS < d->host_ms)
			lo++;
		for (size_t j = lo; j < replayed->n && replayed->v[j].host_ms <= d->host_ms + DEVICE_MATCH_MS;
		     j++)
			if (replayed->v[j].level == d->level) {
				n++;
				break;
			}
	}
	return n;
}

/* The replayed alerts against the ones the recording logged. */
static void compare_alerts(const struct replay_ctx *c, const struct replay_settings *s,
			   const char *path)
{
	struct np_rec_alerts logged;
	if (np_rec_alerts_read(path, &logged) != NP_OK)
		return;
	size_t n_rec = np_rec_alerts_count(&logged, NP_ALERT_FROM_HOST);
	size_t n_rep = c->replayed.n;
	bool same = np_rec_alerts_same_times(&logged, &c->replayed, NP_ALERT_FROM_HOST);
	if (s->cfg.live.alert_after_s == 0 && n_rec == 0)
		printf("alerts: none asked for (--alert-after), none logged in the recording\n");
	else if (n_rec == 0 && !s->as_night)
		printf("alerts: %zu replayed; the recording has none logged (recorded without "
		       "alerts, simulated or imported)\n", n_rep);
	else
		printf("alerts: %zu replayed, %zu logged during the night: %s\n", n_rep, n_rec,
		       same ? "same times" :
		       !s->have_night ? "they differ (was the night recorded with other "
					"--avoid/--alert-after/--alert-delay?)" :
		       s->as_night ? "they differ, with the night's own settings: the live "
				     "pipeline no longer decides as it did" :
				     "they differ, as expected with other settings than the night's");
	size_t n_dev = np_rec_alerts_count(&logged, NP_ALERT_FROM_DEVICE);
	if (n_dev > 0)
		printf("device alerts: %zu logged (decided by the device itself), %zu of them within "
		       "%u s of a replayed alert\n", n_dev, matched_device_alerts(&logged, &c->replayed),
		       DEVICE_MATCH_MS / 1000u);
	np_rec_alerts_free(&logged);
}

static int run(int argc, char **argv)
{
	struct replay_opts o;
	int exit_code = parse_options(argc, argv, &o);
	if (exit_code != NP_EXIT_OK)
		return exit_code;

	/* The recording is read more than once (its logged alerts, then its frames):
	   a pipe would give its bytes to the first reader only. */
	struct stat sb;
	if (stat(o.path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
		np_cli_error(o.path, "not a regular file: replay reads the recording more than once, "
				     "so it needs a file, not a pipe or a device");
		return NP_EXIT_USAGE;
	}
	struct replay_ctx c = { .show_live = o.live };
	np_cli_live_init(&c.live, true);
	struct np_rec_header h;
	errno = 0;
	int rc = np_transport_file_open(&c.t, o.path, o.speed, &h);
	if (rc != NP_OK)
		return np_cli_recording_error(o.path, rc);
	c.start_utc_ms = h.created_utc_ms;

	struct replay_settings s;
	if ((rc = merge_settings(&o, &s)) != NP_OK) {
		np_transport_close(&c.t);
		return rc == NP_ERR_ARG ? NP_EXIT_USAGE : np_cli_fail(o.path, rc, NP_EXIT_FAILURE);
	}
	struct np_live_state st;
	exit_code = replay(&c, &o, &s.cfg, &h, &st);
	if (exit_code == NP_EXIT_OK) {
		char pos[512];
		np_cli_position_times(&st, pos, sizeof pos);
		printf("positions: %s\n", pos);
		printf("samples: %llu, frames lost: %llu, device restarts: %u\n",
		       (unsigned long long)st.samples, (unsigned long long)np_live_frames_lost(&st),
		       st.device_resets);
		compare_alerts(&c, &s, o.path);
	}
	np_rec_alerts_free(&c.replayed);
	return exit_code;
}
