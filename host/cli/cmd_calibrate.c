/* nightpose calibrate: sensor-to-body rotation from a supine and a left-side window. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_night.h"
#include "np_calfile.h"
#include "np_epochs.h"
#include "np_err.h"
#include "np_night_cal.h"

static const char usage[] =
	"usage: nightpose calibrate NIGHT.npr -o CAL.json --supine T0-T1 --left T0-T1\n"
	"\n"
	"Computes how the sensor sits on the body from two still postures in a\n"
	"recording: lying on the back (--supine) and on the left side (--left),\n"
	"each a time window in seconds from the first sample, e.g. --supine 60-120.\n"
	"Windows must hold at least 5 samples and 5 s, the wearer must be still\n"
	"(movement below 150 mg), and the two postures must differ by at least\n"
	"45 degrees. A second (leg) sensor is calibrated from the same windows.\n"
	"Offset and gain errors are corrected first when the recording's still\n"
	"periods cover enough orientations.\n"
	"\n"
	"options:\n"
	"  -o, --output CAL.json  calibration file to write (JSON)\n"
	"  --supine T0-T1         window lying on the back, seconds\n"
	"  --left T0-T1           window lying on the left side, seconds\n"
	"  -h, --help             this help\n"
	"\n"
	"Use the file with 'nightpose epochs' and 'nightpose report' (--calibration).\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage, bad recording or unusable window\n";

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

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "supine", required_argument, NULL, 's' },
		{ "left", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = NULL, *sup_arg = NULL, *left_arg = NULL;
	double s0 = 0, s1 = 0, l0 = 0, l1 = 0;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out_path = optarg;
			break;
		case 's':
			sup_arg = optarg;
			break;
		case 'l':
			left_arg = optarg;
			break;
		default:
			return np_cli_option_error(&np_cmd_calibrate, c, argv);
		}
	}
	if (optind + 1 != argc)
		return np_cli_usage_error(&np_cmd_calibrate, optind >= argc ? "missing NIGHT.npr"
									   : "one recording only");
	if (!out_path)
		return np_cli_usage_error(&np_cmd_calibrate, "missing -o CAL.json");
	if (np_cli_check_output(&np_cmd_calibrate, "-o", out_path, (const char *[]){ argv[optind] }, 1))
		return NP_EXIT_USAGE;
	if (!sup_arg || !left_arg)
		return np_cli_usage_error(&np_cmd_calibrate, "need both --supine T0-T1 and --left T0-T1");
	if (!np_cli_parse_range(sup_arg, &s0, &s1))
		return np_cli_usage_error(&np_cmd_calibrate,
					  "--supine: expected T0-T1 in seconds with T0 < T1, not '%s'", sup_arg);
	if (!np_cli_parse_range(left_arg, &l0, &l1))
		return np_cli_usage_error(&np_cmd_calibrate,
					  "--left: expected T0-T1 in seconds with T0 < T1, not '%s'", left_arg);

	const char *path = argv[optind];
	struct np_night night;
	int rc = np_cli_load_night(path, &night);
	if (rc != NP_EXIT_OK)
		return rc;

	struct np_calfile cal;
	enum np_cal_problem problem = NP_CAL_OK;
	int which = 0;
	rc = np_night_calibrate(&night, s0, s1, l0, l1, &cal, &problem, &which);
	if (rc == NP_ERR_RANGE) {
		static const char *const names[] = { "supine window", "left window", "windows" };
		const char *arg = which == 0 ? sup_arg : (which == 1 ? left_arg : NULL);
		char what[96], text[NP_CAL_PROBLEM_TEXT_MAX];
		np_cal_problem_text(problem, NULL, text, sizeof text); /* np_night_calibrate()'s limits */
		if (arg)
			snprintf(what, sizeof what, "%s %s s", names[which], arg);
		else
			snprintf(what, sizeof what, "%s", names[2]);
		if (problem == NP_CAL_TOO_CLOSE)
			np_cli_error(what, "%s (%.0f degrees)", text, (double)cal.chest.angle_deg);
		else if (problem == NP_CAL_NOT_STILL)
			np_cli_error(what, "%s (%.0f mg, limit 150 mg)", text,
				     (double)(which == 0 ? cal.supine.sd_mg : cal.left.sd_mg));
		else
			np_cli_error(what, "%s", text);
		np_night_free(&night);
		return NP_EXIT_USAGE;
	}
	if (rc != NP_OK) {
		np_night_free(&night);
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(cal.created_utc, sizeof cal.created_utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(cal.source, sizeof cal.source, "%s", basename_of(path));
	np_night_free(&night);

	if ((rc = write_cal(out_path, &cal)) != NP_EXIT_OK)
		return rc;
	if (strcmp(out_path, "-") == 0)
		return NP_EXIT_OK;
	printf("%s: postures %.1f degrees apart, stillness %.0f/%.0f mg, autocalibration %s%s\n",
	       out_path, (double)cal.chest.angle_deg, (double)cal.supine.sd_mg, (double)cal.left.sd_mg,
	       np_autocal_status_text(cal.autocal.status),
	       cal.has_second ? ", second sensor calibrated" : "");
	return NP_EXIT_OK;
}
