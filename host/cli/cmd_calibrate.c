/* nightpose calibrate: sensor-to-body rotation from a supine and a left-side window. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_calibrate_live.h"
#include "cli_night.h"
#include "np_calfile.h"
#include "np_epochs.h"
#include "np_err.h"
#include "np_night_cal.h"

static const char usage[] =
	"usage: nightpose calibrate --port PATH|auto -o CAL.json [--timeout S]\n"
	"       nightpose calibrate NIGHT.npr -o CAL.json --supine T0-T1 --left T0-T1\n"
	"\n"
	"Computes how the sensor sits on the body from two still postures: lying on\n"
	"the back and on the left side.\n"
	"\n"
	"With --port, live and guided: it asks the wearer to lie on the back and keep\n"
	"still for 20 s, then to turn onto the left side and keep still for 20 s, and\n"
	"checks each step as the samples arrive.\n"
	"\n"
	"From a recording, the two postures are time windows in seconds from the first\n"
	"sample, e.g. --supine 60-120. Windows must hold at least 5 samples and 5 s, the\n"
	"wearer must be still (movement below 150 mg), and the two postures must be 50\n"
	"to 130 degrees apart (a true side is 90 degrees from the back). A second (leg)\n"
	"sensor is calibrated from the same windows. Offset and gain errors are\n"
	"corrected first when the recording's still periods cover enough orientations.\n"
	"A result that turns the sensor more than 45 degrees from the documented\n"
	"mounting (x to the head, z out of the chest) is written with a warning.\n"
	"\n"
	"options:\n"
	"  -o, --output CAL.json  calibration file to write (JSON)\n"
	"  --port PATH|auto       calibrate live on the device (guided)\n"
	"  --timeout S            with --port: give up a step after S seconds (default 180)\n"
	"  --supine T0-T1         window lying on the back, seconds\n"
	"  --left T0-T1           window lying on the left side, seconds\n"
	"  -h, --help             this help\n"
	"\n"
	"Use the file with 'nightpose epochs' and 'nightpose report' (--calibration).\n"
	"exit codes: 0 ok, 1 write failure, no device or a step not done in time,\n"
	"            2 bad usage, bad recording or unusable window\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_calibrate = {
	.name = "calibrate",
	.summary = "sensor mounting calibration from supine and left-side windows",
	.usage = usage,
	.run = run,
};

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int put_line(FILE *f, const void *text)
{
	return fputs(text, f) == EOF || fputc('\n', f) == EOF ? NP_ERR_IO : NP_OK;
}

static int write_cal(const char *out_path, const struct np_calfile *cal)
{
	char *text;
	int rc = np_calfile_to_json(cal, &text);

	if (rc != NP_OK)
		return np_cli_fail(out_path, rc, NP_EXIT_FAILURE);
	rc = np_cli_write_output(out_path, put_line, text);
	free(text);
	return rc;
}

struct calibrate_opts {
	const char *path, *out_path, *sup_arg, *left_arg;
	double s0, s1, l0, l1; /* the windows, seconds */
	const char *port;      /* guided, live */
	double timeout_s;
};

/* A step of the guided calibration not done in this long fails. */
#define GUIDED_TIMEOUT_S 180.0

enum { OPT_PORT = 256, OPT_TIMEOUT };

/* --port: no recording and no windows; the output is checked as for the file form. */
static int check_guided(struct calibrate_opts *o, int argc, char **argv)
{
	if (optind < argc)
		return np_cli_usage_error(&np_cmd_calibrate, "--port takes no recording ('%s')",
					  argv[optind]);
	if (o->sup_arg || o->left_arg)
		return np_cli_usage_error(&np_cmd_calibrate, "--port guides the wearer: no --supine or --left");
	if (!o->out_path)
		return np_cli_usage_error(&np_cmd_calibrate, "missing -o CAL.json");
	if (np_cli_check_output(&np_cmd_calibrate, "-o", o->out_path, NULL, 0))
		return NP_EXIT_USAGE;
	return NP_EXIT_OK;
}

static int parse_options(int argc, char **argv, struct calibrate_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "supine", required_argument, NULL, 's' },
		{ "left", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->timeout_s = GUIDED_TIMEOUT_S;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out_path = optarg;
			break;
		case 's':
			o->sup_arg = optarg;
			break;
		case 'l':
			o->left_arg = optarg;
			break;
		case OPT_PORT:
			o->port = optarg;
			break;
		case OPT_TIMEOUT:
			if (!np_cli_parse_double(optarg, 1, 86400, &o->timeout_s))
				return np_cli_usage_error(&np_cmd_calibrate, "--timeout: expected seconds, not '%s'",
							  optarg);
			break;
		default:
			return np_cli_option_error(&np_cmd_calibrate, c, argv);
		}
	}
	if (o->port)
		return check_guided(o, argc, argv);
	if (optind + 1 != argc)
		return np_cli_usage_error(&np_cmd_calibrate, optind >= argc ? "missing NIGHT.npr"
									   : "one recording only");
	o->path = argv[optind];
	if (!o->out_path)
		return np_cli_usage_error(&np_cmd_calibrate, "missing -o CAL.json");
	if (np_cli_check_output(&np_cmd_calibrate, "-o", o->out_path, &o->path, 1))
		return NP_EXIT_USAGE;
	if (!o->sup_arg || !o->left_arg)
		return np_cli_usage_error(&np_cmd_calibrate, "need both --supine T0-T1 and --left T0-T1");
	if (!np_cli_parse_range(o->sup_arg, &o->s0, &o->s1))
		return np_cli_usage_error(&np_cmd_calibrate,
					  "--supine: expected T0-T1 in seconds with T0 < T1, not '%s'", o->sup_arg);
	if (!np_cli_parse_range(o->left_arg, &o->l0, &o->l1))
		return np_cli_usage_error(&np_cmd_calibrate,
					  "--left: expected T0-T1 in seconds with T0 < T1, not '%s'", o->left_arg);
	return NP_EXIT_OK;
}

/* Why the windows cannot calibrate: which window, what is wrong, by how much. */
static void report_problem(const struct calibrate_opts *o, const struct np_calfile *cal,
			   enum np_cal_problem problem, int which)
{
	static const char *const names[] = { "supine window", "left window", "windows" };
	const char *arg = which == 0 ? o->sup_arg : (which == 1 ? o->left_arg : NULL);
	struct np_mount_limits lim; /* np_night_calibrate()'s */
	np_mount_limits_default(&lim);
	char what[96], text[NP_CAL_PROBLEM_TEXT_MAX];
	np_cal_problem_text(problem, &lim, text, sizeof text);
	if (arg)
		snprintf(what, sizeof what, "%s %s s", names[which], arg);
	else
		snprintf(what, sizeof what, "%s", names[2]);
	if (problem == NP_CAL_NOT_SQUARE)
		np_cli_error(what, "%s (%.0f degrees)", text, (double)cal->chest.angle_deg);
	else if (problem == NP_CAL_NOT_STILL)
		np_cli_error(what, "%s (%.0f mg, limit %.0f mg)", text,
			     (double)(which == 0 ? cal->supine.sd_mg : cal->left.sd_mg),
			     (double)lim.max_sd_mg);
	else
		np_cli_error(what, "%s", text);
}

/* Date, write and tell: the same for both forms. */
static int finish(const struct calibrate_opts *o, struct np_calfile *cal)
{
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(cal->created_utc, sizeof cal->created_utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = write_cal(o->out_path, cal);
	if (rc != NP_EXIT_OK)
		return rc;
	if (cal->chest.turn_deg > NP_MOUNT_TURN_WARN_DEG)
		np_cli_warning(o->out_path, "this calibration turns the sensor %.0f degrees from the "
					    "documented mounting (x to the head, z out of the chest): check that "
					    "the windows are lying on the back and on the left side (nightpose "
					    "report without --calibration shows when they were)",
			       (double)cal->chest.turn_deg);
	if (strcmp(o->out_path, "-") == 0)
		return NP_EXIT_OK;
	printf("%s: postures %.1f degrees apart, stillness %.0f/%.0f mg, autocalibration %s%s\n",
	       o->out_path, (double)cal->chest.angle_deg, (double)cal->supine.sd_mg,
	       (double)cal->left.sd_mg, np_autocal_status_text(cal->autocal.status),
	       cal->has_second ? ", second sensor calibrated" : "");
	return NP_EXIT_OK;
}

static int run(int argc, char **argv)
{
	struct calibrate_opts o;
	int rc = parse_options(argc, argv, &o);
	if (rc != NP_EXIT_OK)
		return rc;
	struct np_calfile cal;
	if (o.port) {
		if ((rc = np_cli_calibrate_live(o.port, o.timeout_s, &cal)) != NP_EXIT_OK)
			return rc;
		return finish(&o, &cal);
	}
	struct np_night night;
	if ((rc = np_cli_load_night(o.path, &night)) != NP_EXIT_OK)
		return rc;

	enum np_cal_problem problem = NP_CAL_OK;
	int which = 0;
	rc = np_night_calibrate(&night, o.s0, o.s1, o.l0, o.l1, &cal, &problem, &which);
	if (rc == NP_ERR_RANGE) {
		report_problem(&o, &cal, problem, which);
		np_night_free(&night);
		return NP_EXIT_USAGE;
	}
	if (rc != NP_OK) {
		np_night_free(&night);
		return np_cli_fail(o.path, rc, NP_EXIT_FAILURE);
	}
	snprintf(cal.source, sizeof cal.source, "%s", basename_of(o.path));
	np_night_free(&night);
	return finish(&o, &cal);
}
