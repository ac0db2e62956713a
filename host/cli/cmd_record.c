/* nightpose record: the night from the device into a crash-safe recording. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_config.h"
#include "cli_live.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_recorder.h"
#include "np_settings.h"
#include "np_transport_serial.h"

static const char usage[] =
	"usage: nightpose record [--port PATH|auto] -o NIGHT.npr [--duration S] [--rate HZ]\n"
	"                        [--live] [--avoid LIST] [--alert vibrate|bell|none]\n"
	"                        [--alert-after S] [--alert-delay S] [--calibration CAL.json]\n"
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
	"  -o, --output FILE  the recording to write (replaced if it exists)\n"
	"  --duration S       stop after S seconds (default: until Ctrl-C)\n"
	"  --rate HZ          ask the device for 10, 25, 50 or 100 samples/s\n"
	"  --live             also show the time spent in each position so far\n"
	"  --avoid LIST       positions to avoid, e.g. prone,supine (default prone)\n"
	"  --alert MODE       vibrate (the device), bell (this terminal) or none;\n"
	"                     default vibrate when --alert-after is given\n"
	"  --alert-after S    alert after S seconds in a position to avoid, then again\n"
	"                     20 s later and every 10 s, stronger each time, until the\n"
	"                     position changes (default 60 when --alert is given)\n"
	"  --alert-delay S    no alert in the first S seconds (time to fall asleep)\n"
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

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct rec_ctx {
	struct timespec t0;
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
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint32_t)((now.tv_sec - c->t0.tv_sec) * 1000 + (now.tv_nsec - c->t0.tv_nsec) / 1000000);
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

static void on_note(void *ctx, const struct np_note *n)
{
	struct rec_ctx *c = ctx;
	double t = n->host_ms / 1000.0;
	switch (n->kind) {
	case NP_NOTE_POSITION:
		np_cli_live_line(&c->live, t, "position %s", np_position_name(n->position));
		break;
	case NP_NOTE_ALERT:
		np_cli_live_line(&c->live, t, "ALERT level %u: %s for %u s", n->level,
				 np_position_name(n->position), n->seconds);
		if (c->alert == NP_ALERT_MODE_BELL) {
			/* One bell per level: the terminal has no volume control. */
			for (unsigned i = 0; i < n->level; i++)
				fputc('\a', stderr);
			fflush(stderr);
		}
		break;
	case NP_NOTE_ALERT_CLEARED:
		np_cli_live_line(&c->live, t, "alert cleared after %u s", n->seconds);
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
				 "plug the original one back in", n->hello->serial, c->port);
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
	char hms[32], pos[512], avoid[96];
	np_fmt_hms(secs, hms, sizeof hms);
	np_cli_position_times(st, pos, sizeof pos);
	np_avoid_text(cfg->live.avoid_mask, ",", avoid, sizeof avoid);
	printf("Recorded %s to %s from device %s (firmware %u.%u.%u): %llu samples at %.1f Hz, "
	       "%llu frames lost, %u link losses, %u device restarts. Positions: %s.",
	       hms, path, st->hello.serial, st->hello.fw_major, st->hello.fw_minor, st->hello.fw_patch,
	       (unsigned long long)st->samples, st->rate_hz,
	       (unsigned long long)np_live_frames_lost(st), st->link_losses, st->device_resets, pos);
	if (st->device_dropped)
		printf(" The device dropped %u samples (link too slow).", st->device_dropped);
	if (cfg->live.alert_after_s)
		printf(" Alerts (%s after %u s): %u.", avoid, cfg->live.alert_after_s, st->alerts);
	printf("\n");
}

enum { OPT_PORT = 256, OPT_DURATION, OPT_RATE, OPT_LIVE, OPT_ALERT };

static int run(int argc, char **argv)
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
		{ "calibration", required_argument, NULL, NP_CLI_OPT_CALIBRATION },
		{ NULL, 0, NULL, 0 },
	};
	const char *port = NULL, *out = NULL, *alert_arg = NULL, *out_pattern = NULL;
	double duration = 0;
	long v;
	int alert = -1, opt;
	enum np_alert_mode mode;
	bool live = false, given[4] = { false };
	char out_buf[NP_CFG_VALUE_MAX];
	struct np_recorder_cfg cfg;
	np_recorder_cfg_default(&cfg);

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_PORT:
			port = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_DURATION:
			if (!np_cli_parse_double(optarg, 0.001, 1e7, &duration))
				return np_cli_usage_error(&np_cmd_record, "--duration: expected seconds > 0, got '%s'", optarg);
			break;
		case OPT_RATE:
			if (!np_cli_parse_long(optarg, 1, 1000, &v) || (v != 10 && v != 25 && v != 50 && v != 100))
				return np_cli_usage_error(&np_cmd_record, "--rate: expected 10, 25, 50 or 100, got '%s'", optarg);
			cfg.rate_hz = (uint16_t)v;
			break;
		case OPT_LIVE:
			live = true;
			break;
		case OPT_ALERT:
			if (np_alert_mode_parse(optarg, &mode) != NP_OK)
				return np_cli_usage_error(&np_cmd_record, "--alert: expected vibrate, bell or none, got '%s'", optarg);
			alert_arg = optarg;
			break;
		case NP_CLI_OPT_AVOID:
		case NP_CLI_OPT_ALERT_AFTER:
		case NP_CLI_OPT_ALERT_DELAY:
		case NP_CLI_OPT_CALIBRATION:
			if (np_cli_alert_option(&np_cmd_record, opt, optarg, &cfg) != NP_EXIT_OK)
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
	/* What the command line left out, from the config file (checked when read). */
	if (np_cli_alert_config(&np_cmd_record, &cfg, given) != NP_EXIT_OK ||
	    np_cli_config_fill(NP_CFG_PORT, &port) != NP_EXIT_OK ||
	    np_cli_config_fill(NP_CFG_ALERT, &alert_arg) != NP_EXIT_OK ||
	    (!out && np_cli_config_fill(NP_CFG_OUTPUT, &out_pattern) != NP_EXIT_OK))
		return NP_EXIT_USAGE;
	if (!port)
		port = "auto";
	if (alert_arg && np_alert_mode_parse(alert_arg, &mode) == NP_OK)
		alert = (int)mode;
	bool have_after = given[NP_CLI_OPT_ALERT_AFTER - NP_CLI_OPT_AVOID];
	if (out_pattern) {
		if (!np_cli_config_output_name(out_pattern, out_buf, sizeof out_buf))
			return np_cli_usage_error(&np_cmd_record, "output pattern '%s' gives no file name",
						  out_pattern);
		out = out_buf;
	}
	/* Checked before the port is opened: a wrong -o must not cost the night's start. */
	if (np_cli_check_recording_output(&np_cmd_record, out) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	if (alert < 0)
		alert = have_after ? NP_ALERT_MODE_VIBRATE : NP_ALERT_MODE_NONE;
	cfg.live.alert_mode = (enum np_alert_mode)alert;
	if (!have_after && alert != NP_ALERT_MODE_NONE)
		cfg.live.alert_after_s = 60;
	if (alert == NP_ALERT_MODE_NONE && !have_after)
		cfg.live.alert_after_s = 0;

	struct rec_ctx c = { .alert = cfg.live.alert_mode, .out_path = out };
	np_cli_live_init(&c.live, live);
	if (strcmp(port, "auto") == 0) {
		c.auto_port = true;
		if (!np_cli_auto_port("record", c.port, sizeof c.port))
			return NP_EXIT_FAILURE;
	} else {
		snprintf(c.port, sizeof c.port, "%s", port);
	}

	struct np_transport t;
	errno = 0;
	int rc = np_transport_serial_open(&t, c.port);
	if (rc != NP_OK)
		return np_cli_fail(c.port, rc, NP_EXIT_FAILURE);
	clock_gettime(CLOCK_MONOTONIC, &c.t0);
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	struct np_recorder_hooks hooks = {
		.now_ms = mono_ms, .reopen = reopen, .note = on_note, .ctx = &c,
	};
	struct np_recorder *rec;
	rc = np_recorder_new(&rec, &cfg, &hooks, &t);
	if (rc != NP_OK)
		return np_cli_fail("record", rc, NP_EXIT_FAILURE);

	struct np_rec_header h = {
		.version = NP_REC_VERSION,
		.created_utc_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000,
	};
	rc = np_recorder_identify(rec, 3000, &h.hello);
	if (rc != NP_OK) {
		if (rc == NP_ERR_TIMEOUT)
			np_cli_error(c.port, "no answer to HELLO within 3 s: is a nightpose device "
					     "running its firmware on this port?");
		else
			np_cli_fail(c.port, rc, 0);
		np_recorder_free(rec);
		return NP_EXIT_FAILURE;
	}
	/* The header has room for 63 characters: a long port path is cut. */
	snprintf(h.source, sizeof h.source, "record %.56s", c.port);
	errno = 0;
	rc = np_recorder_start(rec, out, &h);
	if (rc != NP_OK) {
		np_cli_fail(out, rc, 0);
		np_recorder_free(rec);
		return NP_EXIT_FAILURE;
	}
	np_cli_live_line(&c.live, 0, "recording %s (firmware %u.%u.%u) on %s to %s", h.hello.serial,
			 h.hello.fw_major, h.hello.fw_minor, h.hello.fw_patch, c.port, out);

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	struct sigaction old_int, old_term;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	int exit_code = NP_EXIT_OK;
	double elapsed = 0;
	while (!stop_signal) {
		rc = np_recorder_step(rec, 200);
		elapsed = mono_ms(&c) / 1000.0;
		if (rc != NP_OK) {
			int e = errno;
			np_cli_live_end(&c.live);
			if (rc == NP_ERR_IO) {
				errno = e;
				np_cli_fail(out, rc, 0);
				np_cli_error(out, "recording stopped; everything up to %.0f s is kept and readable",
					     elapsed);
			} else {
				np_cli_fail(c.port, rc, 0);
			}
			exit_code = NP_EXIT_FAILURE;
			break;
		}
		np_cli_live_status(&c.live, elapsed, np_recorder_state(rec));
		if (duration > 0 && elapsed >= duration)
			break;
	}
	np_cli_live_end(&c.live);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	struct np_live_state st = *np_recorder_state(rec);
	errno = 0;
	rc = np_recorder_stop(rec);
	np_recorder_free(rec);
	if (rc != NP_OK && exit_code == NP_EXIT_OK) {
		np_cli_fail(out, rc, 0);
		exit_code = NP_EXIT_FAILURE;
	}
	summary(out, &st, elapsed, &cfg);
	return exit_code;
}
