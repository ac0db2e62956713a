/* nightpose record: the night from the device into a crash-safe recording. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_config.h"
#include "cli_live.h"
#include "np_clock.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_recorder.h"
#include "np_settings.h"
#include "np_transport_serial.h"

static const char usage[] =
	"usage: nightpose record [--port PATH|auto] -o NIGHT.npr [--force] [--duration S]\n"
	"                        [--rate HZ] [--live] [--avoid LIST] [--alert vibrate|bell|none]\n"
	"                        [--alert-after S] [--alert-delay S] [--alert-when asleep|lying]\n"
	"                        [--calibration CAL.json]\n"
	"\n"
	"Records the device into NIGHT.npr as its frames arrive. The file is usable at\n"
	"any moment: it is flushed every second, so a crash or power cut loses at most\n"
	"the last second. A pulled cable does not end the recording: the gap is marked,\n"
	"the port is retried every second and the same device (same serial number) is\n"
	"taken back; another device is refused. Ctrl-C or SIGTERM ends it and prints a\n"
	"summary. On a terminal a status line shows elapsed time, samples, rate, the\n"
	"current position and frames lost; otherwise events are logged as lines.\n"
	"\n"
	"options:\n"
	"  --port PATH|auto   serial port (default auto: the one nightpose device)\n"
	"  -o, --output FILE  the recording to write; strftime() patterns name each night\n"
	"                     (-o 'nights/%Y-%m-%d.npr'), missing directories are made\n"
	"  --force            replace FILE if it exists (without it, an existing\n"
	"                     recording is never replaced)\n"
	"  --duration S       stop after S seconds (default: until Ctrl-C)\n"
	"  --rate HZ          ask the device for 10, 25, 50 or 100 samples/s\n"
	"  --live             also show the time spent in each position so far\n"
	"  --avoid LIST       positions to avoid, e.g. prone,supine (default prone)\n"
	"  --alert MODE       vibrate (the device vibrates by itself, under these rules),\n"
	"                     bell (this terminal; the device stays quiet) or none (alerts\n"
	"                     are decided and logged, nobody is told); default vibrate\n"
	"                     when --alert-after is given\n"
	"  --alert-after S    alert after S seconds in a position to avoid, then again\n"
	"                     20 s later and every 10 s, stronger each time, until the\n"
	"                     position changes (default 60 when --alert is given)\n"
	"  --alert-delay S    no alert in the first S seconds (time to fall asleep)\n"
	"  --alert-when W     asleep (default: only once the trunk has not moved more than\n"
	"                     5 degrees for 5 minutes, as therapy devices do not buzz\n"
	"                     someone awake) or lying (whenever in a position to avoid)\n"
	"  --calibration CAL.json  the sensor's mounting from 'nightpose calibrate'\n"
	"                     (default: sensor axes = body axes)\n"
	"  -h, --help         this help\n"
	"\n"
	"Every alert is logged in the recording; 'nightpose replay' shows them again.\n"
	"\n"
	"exit codes: 0 recorded (stopped by Ctrl-C, SIGTERM or --duration),\n"
	"            1 no device, device not answering, write error or disk full,\n"
	"            2 bad usage\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_record = {
	.name = "record",
	.summary = "record a night from the device (live view, alerts)",
	.usage = usage,
	.run = run,
};

/* How long the device has to answer the first HELLO request. */
#define IDENTIFY_TIMEOUT_MS 3000u
/* Longest wait for bytes in one recorder step: the live line updates this often. */
#define STEP_MS 200u

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct rec_ctx {
	struct np_clock t0;
	char port[256];
	bool auto_port;
	enum np_alert_mode alert;
	const char *out_path;
	struct np_cli_live live;
	char refused[NP_SERIAL_LEN + 1]; /* told once per device, not every second */
};

static uint32_t mono_ms(void *ctx)
{
	const struct rec_ctx *c = ctx;
	return np_clock_ms(&c->t0);
}

static int reopen(void *ctx, struct np_transport *t)
{
	struct rec_ctx *c = ctx;
	int rc = np_transport_serial_open(t, c->port);
	if (rc == NP_OK || !c->auto_port)
		return rc;
	/* A USB device that comes back may get another ttyACM number. */
	struct np_port_info *ports;
	size_t n;
	if (np_serial_list(&ports, &n) != NP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (ports[i].usb && ports[i].vid == NP_USB_VID &&
		    np_transport_serial_open(t, ports[i].path) == NP_OK) {
			snprintf(c->port, sizeof c->port, "%s", ports[i].path);
			rc = NP_OK;
			break;
		}
	free(ports);
	return rc;
}

/* The device would not take its alert settings (or did not answer). */
static void command_refused(struct rec_ctx *c, double t, const struct np_note *n)
{
	char why[48];
	if (n->ack_result == 0xffu)
		snprintf(why, sizeof why, "no answer");
	else
		snprintf(why, sizeof why, "answer %u", n->ack_result);
	if (c->alert == NP_ALERT_MODE_VIBRATE)
		np_cli_live_line(&c->live, t, "the device did not take the alert settings (%s): "
				 "this computer vibrates it instead, and only while the link is up", why);
	else
		np_cli_live_line(&c->live, t, "the device did not confirm that its own alert is off "
				 "(%s): it may vibrate by its built-in settings", why);
}

static void on_note(void *ctx, const struct np_note *n)
{
	struct rec_ctx *c = ctx;
	double t = n->host_ms / 1000.0;
	char ser[NP_FMT_PRINTABLE_CAP(NP_SERIAL_LEN + 1)];
	switch (n->kind) {
	case NP_NOTE_POSITION:
		np_cli_live_line(&c->live, t, "position %s", np_position_name(n->position));
		break;
	case NP_NOTE_ALERT:
		np_cli_live_line(&c->live, t, "%s level %u: %s for %u s",
				 n->from_device ? "DEVICE ALERT" : "ALERT", n->level,
				 np_position_name(n->position), n->seconds);
		if (c->alert == NP_ALERT_MODE_BELL && !n->from_device) {
			/* One bell per level: the terminal has no volume control. */
			for (unsigned i = 0; i < n->level; i++)
				fputc('\a', stderr);
			fflush(stderr);
		}
		break;
	case NP_NOTE_ALERT_CLEARED:
		np_cli_live_line(&c->live, t, "%s cleared after %u s",
				 n->from_device ? "device alert" : "alert", n->seconds);
		break;
	case NP_NOTE_COMMAND_REFUSED:
		command_refused(c, t, n);
		break;
	case NP_NOTE_LINK_LOST:
		np_cli_live_line(&c->live, t, "link lost on %s (%s): the recording goes on, retrying every second",
				 c->port, np_strerror(n->err));
		break;
	case NP_NOTE_LINK_RESTORED:
		c->refused[0] = '\0';
		np_cli_live_line(&c->live, t, "link restored on %s after %u s", c->port, n->seconds);
		break;
	case NP_NOTE_DEVICE_REFUSED:
		if (strcmp(c->refused, n->hello->serial) == 0)
			break;
		snprintf(c->refused, sizeof c->refused, "%s", n->hello->serial);
		np_cli_live_line(&c->live, t,
				 "refused device %s on %s: this recording is of another device; "
				 "plug the original one back in",
				 np_fmt_printable(n->hello->serial, ser, sizeof ser), c->port);
		break;
	case NP_NOTE_DEVICE_RESET:
		np_cli_live_line(&c->live, t, "the device restarted (reset reason %u): recording continues",
				 n->hello->reset_reason);
		break;
	}
}

static void summary(const char *path, const struct np_live_state *st, double secs,
		    const struct np_recorder_cfg *cfg)
{
	char hms[32], pos[512], avoid[96], ser[NP_FMT_PRINTABLE_CAP(sizeof st->hello.serial)];
	np_fmt_hms(secs, hms, sizeof hms);
	np_cli_position_times(st, pos, sizeof pos);
	np_avoid_text(cfg->live.avoid_mask, ",", avoid, sizeof avoid);
	printf("Recorded %s to %s from device %s (firmware %u.%u.%u): %llu samples at %.1f Hz, "
	       "%llu frames lost, %u link losses, %u device restarts. Positions: %s.",
	       hms, path, np_fmt_printable(st->hello.serial, ser, sizeof ser), st->hello.fw_major, st->hello.fw_minor, st->hello.fw_patch,
	       (unsigned long long)st->samples, st->rate_hz,
	       (unsigned long long)np_live_frames_lost(st), st->link_losses, st->device_resets, pos);
	if (st->device_dropped)
		printf(" The device dropped %u samples (link too slow).", st->device_dropped);
	if (cfg->live.alert_after_s)
		printf(" Alerts (%s after %u s, %s): %u.", avoid, cfg->live.alert_after_s,
		       np_alert_mode_name(cfg->live.alert_mode), st->alerts);
	if (st->device_alerts)
		printf(" Alerts by the device itself: %u.", st->device_alerts);
	printf("\n");
}

enum { OPT_PORT = 256, OPT_DURATION, OPT_RATE, OPT_LIVE, OPT_ALERT, OPT_FORCE };

struct record_opts {
	const char *port; /* a path or "auto" */
	const char *out;
	double duration_s; /* 0: until Ctrl-C */
	bool live;
	bool force;        /* --force: replace an existing recording */
	struct np_recorder_cfg cfg;
	char out_buf[NP_CFG_VALUE_MAX]; /* out, made from the config file's output pattern */
};

/* The alert mode and time: --alert without --alert-after alerts after a minute,
 * --alert-after without --alert vibrates, neither means no alerts. */
static void settle_alerts(struct np_live_settings *live, int mode_given, bool after_given)
{
	enum np_alert_mode m = mode_given >= 0 ? (enum np_alert_mode)mode_given :
			       after_given     ? NP_ALERT_MODE_VIBRATE :
						 NP_ALERT_MODE_NONE;
	live->alert_mode = m;
	if (!after_given)
		live->alert_after_s = m != NP_ALERT_MODE_NONE ? 60 : 0;
}

/*
 * The recording's name: -o (or the config file's output pattern) through strftime()
 * at the start, so that 'nights/%Y-%m-%d.npr' names each night; missing directories
 * are made. An existing recording is never replaced without --force: a typo must
 * not cost last night.
 */
static int output_name(struct record_opts *o)
{
	if (!o->out)
		return NP_EXIT_OK; /* np_cli_check_recording_output() says what is missing */
	if (strchr(o->out, '%')) {
		if (!np_cli_config_output_name(o->out, o->out_buf, sizeof o->out_buf))
			return np_cli_usage_error(&np_cmd_record, "-o: pattern '%s' gives no file name",
						  o->out);
		o->out = o->out_buf;
	}
	struct stat st;
	/* A directory is np_cli_check_recording_output()'s to report. */
	if (!o->force && stat(o->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
		np_cli_error(o->out, "exists: a recording is never replaced; choose another name "
				     "(-o 'nights/%%Y-%%m-%%d.npr' names each night) or add --force");
		return NP_EXIT_USAGE;
	}
	if (np_cli_make_parent_dirs(o->out) != NP_OK) {
		np_cli_error(o->out, "cannot create its directory: %s", strerror(errno));
		return NP_EXIT_USAGE;
	}
	return NP_EXIT_OK;
}

/* What the command line left out, from the config file (checked when read). */
static int apply_config(struct record_opts *o, const char *alert_arg, bool given[NP_CLI_ALERT_OPTS])
{
	const char *port = o->port;
	if (np_cli_alert_config(&np_cmd_record, &o->cfg, given) != NP_EXIT_OK ||
	    np_cli_config_fill(NP_CFG_PORT, &port) != NP_EXIT_OK ||
	    np_cli_config_fill(NP_CFG_ALERT, &alert_arg) != NP_EXIT_OK ||
	    (!o->out && np_cli_config_fill(NP_CFG_OUTPUT, &o->out) != NP_EXIT_OK))
		return NP_EXIT_USAGE;
	o->port = port ? port : "auto";
	enum np_alert_mode mode;
	int alert = alert_arg && np_alert_mode_parse(alert_arg, &mode) == NP_OK ? (int)mode : -1;
	settle_alerts(&o->cfg.live, alert, given[NP_CLI_OPT_ALERT_AFTER - NP_CLI_OPT_AVOID]);
	return NP_EXIT_OK;
}

static int parse_options(int argc, char **argv, struct record_opts *o)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, OPT_PORT },
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "live", no_argument, NULL, OPT_LIVE },
		{ "avoid", required_argument, NULL, NP_CLI_OPT_AVOID },
		{ "alert", required_argument, NULL, OPT_ALERT },
		{ "alert-after", required_argument, NULL, NP_CLI_OPT_ALERT_AFTER },
		{ "alert-delay", required_argument, NULL, NP_CLI_OPT_ALERT_DELAY },
		{ "alert-when", required_argument, NULL, NP_CLI_OPT_ALERT_WHEN },
		{ "calibration", required_argument, NULL, NP_CLI_OPT_CALIBRATION },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ NULL, 0, NULL, 0 },
	};
	const char *alert_arg = NULL;
	long v;
	int opt;
	enum np_alert_mode mode;
	bool given[NP_CLI_ALERT_OPTS] = { false };

	memset(o, 0, sizeof *o);
	np_recorder_cfg_default(&o->cfg);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_PORT:
			o->port = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case OPT_DURATION:
			if (!np_cli_parse_double(optarg, 0.001, 1e7, &o->duration_s))
				return np_cli_usage_error(&np_cmd_record, "--duration: expected seconds > 0, got '%s'", optarg);
			break;
		case OPT_RATE:
			if (!np_cli_parse_long(optarg, 1, 1000, &v) || (v != 10 && v != 25 && v != 50 && v != 100))
				return np_cli_usage_error(&np_cmd_record, "--rate: expected 10, 25, 50 or 100, got '%s'", optarg);
			o->cfg.rate_hz = (uint16_t)v;
			break;
		case OPT_LIVE:
			o->live = true;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_ALERT:
			if (np_alert_mode_parse(optarg, &mode) != NP_OK)
				return np_cli_usage_error(&np_cmd_record, "--alert: expected vibrate, bell or none, got '%s'", optarg);
			alert_arg = optarg;
			break;
		case NP_CLI_OPT_AVOID:
		case NP_CLI_OPT_ALERT_AFTER:
		case NP_CLI_OPT_ALERT_DELAY:
		case NP_CLI_OPT_ALERT_WHEN:
		case NP_CLI_OPT_CALIBRATION:
			if (np_cli_alert_option(&np_cmd_record, opt, optarg, &o->cfg) != NP_EXIT_OK)
				return NP_EXIT_USAGE;
			given[opt - NP_CLI_OPT_AVOID] = true;
			break;
		case ':':
			return np_cli_usage_error(&np_cmd_record, "%s needs a value", argv[optind - 1]);
		default:
			return np_cli_usage_error(&np_cmd_record, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return np_cli_usage_error(&np_cmd_record, "unexpected argument '%s'", argv[optind]);
	if (apply_config(o, alert_arg, given) != NP_EXIT_OK || output_name(o) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	/* Checked before the port is opened: a wrong -o must not cost the night's start. */
	if (np_cli_check_recording_output(&np_cmd_record, o->out) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	return NP_EXIT_OK;
}

/* Open the port, identify the device and start the recording file. *recp is the
 * running recorder on NP_EXIT_OK; nothing is left open otherwise. */
static int open_device(struct rec_ctx *c, const struct record_opts *o, struct np_recorder **recp)
{
	if (strcmp(o->port, "auto") == 0) {
		c->auto_port = true;
		if (!np_cli_auto_port("record", c->port, sizeof c->port))
			return NP_EXIT_FAILURE;
	} else {
		snprintf(c->port, sizeof c->port, "%s", o->port);
	}
	struct np_transport t;
	errno = 0;
	int rc = np_transport_serial_open(&t, c->port);
	if (rc != NP_OK)
		return np_cli_fail(c->port, rc, NP_EXIT_FAILURE);
	np_clock_start(&c->t0);
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	struct np_recorder_hooks hooks = {
		.now_ms = mono_ms, .reopen = reopen, .note = on_note, .ctx = c,
	};
	struct np_recorder *rec;
	rc = np_recorder_new(&rec, &o->cfg, &hooks, &t);
	if (rc != NP_OK)
		return np_cli_fail("record", rc, NP_EXIT_FAILURE);

	struct np_rec_header h = {
		.version = NP_REC_VERSION,
		.created_utc_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000,
	};
	rc = np_recorder_identify(rec, IDENTIFY_TIMEOUT_MS, &h.hello);
	if (rc != NP_OK) {
		if (rc == NP_ERR_TIMEOUT)
			np_cli_error(c->port, "no answer to HELLO within %u s: is a nightpose device "
					      "running its firmware on this port?", IDENTIFY_TIMEOUT_MS / 1000u);
		else
			np_cli_fail(c->port, rc, 0);
		np_recorder_free(rec);
		return NP_EXIT_FAILURE;
	}
	/* The header has room for 63 characters: a long port path is cut. */
	snprintf(h.source, sizeof h.source, "record %.56s", c->port);
	errno = 0;
	rc = np_recorder_start(rec, o->out, &h);
	if (rc != NP_OK) {
		np_cli_fail(o->out, rc, 0);
		np_recorder_free(rec);
		return NP_EXIT_FAILURE;
	}
	char ser[NP_FMT_PRINTABLE_CAP(sizeof h.hello.serial)];
	np_cli_live_line(&c->live, 0, "recording %s (firmware %u.%u.%u) on %s to %s",
			 np_fmt_printable(h.hello.serial, ser, sizeof ser),
			 h.hello.fw_major, h.hello.fw_minor, h.hello.fw_patch, c->port, o->out);
	*recp = rec;
	return NP_EXIT_OK;
}

/* Step the recorder until Ctrl-C, SIGTERM, the duration or an error; *elapsed_s
 * receives the time recorded. Returns an exit code. */
static int record_loop(struct rec_ctx *c, const struct record_opts *o, struct np_recorder *rec,
		       double *elapsed_s)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	struct sigaction old_int, old_term;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	int exit_code = NP_EXIT_OK;
	*elapsed_s = 0;
	while (!stop_signal) {
		int rc = np_recorder_step(rec, STEP_MS);
		*elapsed_s = mono_ms(c) / 1000.0;
		if (rc != NP_OK) {
			int e = errno;
			np_cli_live_end(&c->live);
			if (rc == NP_ERR_IO) {
				errno = e;
				np_cli_fail(o->out, rc, 0);
				np_cli_error(o->out, "recording stopped; everything up to %.0f s is kept and readable",
					     *elapsed_s);
			} else {
				np_cli_fail(c->port, rc, 0);
			}
			exit_code = NP_EXIT_FAILURE;
			break;
		}
		np_cli_live_status(&c->live, *elapsed_s, np_recorder_state(rec));
		if (o->duration_s > 0 && *elapsed_s >= o->duration_s)
			break;
	}
	np_cli_live_end(&c->live);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return exit_code;
}

static int run(int argc, char **argv)
{
	struct record_opts o;
	int exit_code = parse_options(argc, argv, &o);
	if (exit_code != NP_EXIT_OK)
		return exit_code;

	struct rec_ctx c = { .alert = o.cfg.live.alert_mode, .out_path = o.out };
	np_cli_live_init(&c.live, o.live);
	struct np_recorder *rec = NULL;
	if ((exit_code = open_device(&c, &o, &rec)) != NP_EXIT_OK)
		return exit_code;
	double elapsed;
	exit_code = record_loop(&c, &o, rec, &elapsed);

	struct np_live_state st = *np_recorder_state(rec);
	errno = 0;
	int rc = np_recorder_stop(rec);
	np_recorder_free(rec);
	if (rc != NP_OK && exit_code == NP_EXIT_OK) {
		np_cli_fail(o.out, rc, 0);
		exit_code = NP_EXIT_FAILURE;
	}
	summary(o.out, &st, elapsed, &o.cfg);
	return exit_code;
}
