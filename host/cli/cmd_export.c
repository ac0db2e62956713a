/* nightpose export: samples as EDF+ (with positions and alerts) or CSV. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_config.h"
#include "cli_night.h"
#include "np_episodes.h"
#include "np_err.h"
#include "np_export.h"
#include "np_night_cal.h"
#include "np_report.h"

static const char usage[] =
	"usage: nightpose export NIGHT.npr (--edf FILE.edf | --csv FILE.csv)\n"
	"                        [--calibration CAL.json]\n"
	"\n"
	"Writes the night's acceleration samples for other tools.\n"
	"EDF+ (sleep-lab viewers such as EDFbrowser): three channels per sensor in g,\n"
	"a 'Position' channel at 1 Hz (0 unknown, 1 supine, 2 prone, 3 left, 4 right,\n"
	"5 upright) and annotations: 'Position: <name>' per episode, 'Alert: <name>',\n"
	"'Gap: no data', and the recording's labels and notes. Irregular input is\n"
	"resampled onto a regular grid, and the file says so.\n"
	"CSV: header time_s,x_g,y_g,z_g (and x2_g,y2_g,z2_g for a second sensor), one\n"
	"row per chest sample.\n"
	"Without --calibration the axes are the sensor's, exactly as recorded; with it\n"
	"they are the body frame (x to the head, y to the wearer's left, z out of the\n"
	"chest), after the offset/gain correction the report uses.\n"
	"\n"
	"options:\n"
	"  --edf FILE.edf          write EDF+\n"
	"  --csv FILE.csv          write CSV ('-': standard output); with --edf, both\n"
	"  --calibration CAL.json  mounting from 'nightpose calibrate'\n"
	"  -h, --help              this help\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage, bad recording or calibration\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_export = {
	.name = "export",
	.summary = "samples, positions and alerts as EDF+ or CSV",
	.usage = usage,
	.run = run,
};

struct csv_job {
	const struct np_night *night;
	const struct np_export_opts *o;
};

static int put_csv(FILE *f, const void *arg)
{
	const struct csv_job *j = arg;
	return np_export_csv(j->night, j->o, f);
}

static int write_csv(const struct np_night *night, const struct np_export_opts *o, const char *path)
{
	struct csv_job j = { night, o };
	return np_cli_write_output(path, put_csv, &j);
}

static int write_edf(const struct np_night *night, const struct np_export_opts *o, const char *path)
{
	struct np_export_info info;
	struct np_export_opts ow = *o;
	ow.watch = &np_cli_tmp_watch;
	/* No np_cli_tmp_hold(): the watch holds the exit signals only from the
	   creation of the temporary file on, so Ctrl-C stops the planning. */
	int rc = np_export_edf(night, &ow, path, &info);
	np_cli_tmp_done();
	if (rc == NP_ERR_RANGE) {
		np_cli_error(path, "too many annotations for EDF+ (%zu in %zu data records)",
			     info.annotations, info.records);
		return NP_EXIT_FAILURE;
	}
	if (rc != NP_OK)
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	fprintf(stderr, "wrote %s: %zu data records of %g s, %g Hz, %zu annotations\n", path,
		info.records, info.record_s, info.rate_hz[0], info.annotations);
	if (info.resampled)
		np_cli_warning(path, "irregular sampling: resampled to %g Hz (%zu of %zu points "
				     "interpolated)", info.rate_hz[0], info.samples_interpolated,
			       info.samples_exact + info.samples_interpolated + info.samples_gap);
	return NP_EXIT_OK;
}

struct export_args {
	const char *path, *edf_path, *csv_path, *cal_path;
};

static int parse_options(int argc, char **argv, struct export_args *a)
{
	static const struct option longopts[] = {
		{ "edf", required_argument, NULL, 'e' },
		{ "csv", required_argument, NULL, 'v' },
		{ "calibration", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof *a);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			a->edf_path = optarg;
			break;
		case 'v':
			a->csv_path = optarg;
			break;
		case 'c':
			a->cal_path = optarg;
			break;
		default:
			return np_cli_option_error(&np_cmd_export, c, argv);
		}
	}
	if ((c = np_cli_config_fill(NP_CFG_CALIBRATION, &a->cal_path)) != NP_EXIT_OK)
		return c;
	if (optind + 1 != argc)
		return np_cli_usage_error(&np_cmd_export, optind >= argc ? "missing NIGHT.npr"
									 : "one recording only");
	a->path = argv[optind];
	if (!a->edf_path && !a->csv_path)
		return np_cli_usage_error(&np_cmd_export, "give --edf FILE or --csv FILE");
	if (a->edf_path && strcmp(a->edf_path, "-") == 0)
		return np_cli_usage_error(&np_cmd_export, "--edf needs a file name, not '-'");
	const char *inputs[] = { a->path, a->cal_path, a->edf_path };
	if (np_cli_check_output(&np_cmd_export, "--csv", a->csv_path ? a->csv_path : "-", inputs, 3) ||
	    np_cli_check_output(&np_cmd_export, "--edf", a->edf_path ? a->edf_path : "-", inputs, 2))
		return NP_EXIT_USAGE;
	if (a->edf_path && a->csv_path && strcmp(a->edf_path, a->csv_path) == 0)
		return np_cli_usage_error(&np_cmd_export, "--edf and --csv name the same file '%s'",
					  a->csv_path);
	return NP_EXIT_OK;
}

/* The report's episodes, so the EDF's positions match what the report says, and the
 * same corrections the epochs (and so the positions) were computed with. */
static int export_options(const struct np_night *night, const struct np_epochs *ep,
			  const struct np_calfile *cal, bool calibrated, struct np_export_opts *o)
{
	np_export_opts_default(o);
	struct np_report_cfg rcfg;
	np_report_cfg_default(&rcfg);
	struct np_episode *episodes;
	int rc = np_episodes_build(ep, &rcfg.posture, &episodes, &o->n_episodes);
	if (rc != NP_OK)
		return rc;
	o->episodes = episodes;
	if (!calibrated)
		return NP_OK;
	o->frame[0].body = true;
	o->frame[0].autocal = ep->autocal;
	o->frame[0].r = cal->chest.r;
	if (night->sensor_count > 1 && cal->has_second) {
		o->frame[1].body = true;
		o->frame[1].r = cal->second.r;
		return np_night_autocal(night, 1, &o->frame[1].autocal);
	}
	return NP_OK;
}

static int run(int argc, char **argv)
{
	struct export_args a;
	int rc = parse_options(argc, argv, &a);
	if (rc != NP_EXIT_OK)
		return rc;
	struct np_night night;
	struct np_calfile cal;
	struct np_epochs ep;
	rc = np_cli_night_epochs(a.path, a.cal_path, NP_EPOCH_DEFAULT_S, &night, &cal, &ep);
	if (rc != NP_EXIT_OK)
		return rc;

	struct np_export_opts o;
	struct np_night_sleep sleep = { 0 };
	rc = export_options(&night, &ep, &cal, a.cal_path != NULL, &o);
	if (rc != NP_OK)
		rc = np_cli_fail(a.path, rc, NP_EXIT_FAILURE);
	/* The EDF+ carries the sleep period, wake bouts and non-wear as annotations. */
	if (rc == NP_EXIT_OK && a.edf_path) {
		rc = np_cli_night_sleep(a.path, &night, a.cal_path ? &cal : NULL,
					NP_SLEEP_GUIDER_HDCZA, &sleep);
		o.sleep = &sleep;
	}
	if (rc == NP_EXIT_OK && a.csv_path)
		rc = write_csv(&night, &o, a.csv_path);
	if (rc == NP_EXIT_OK && a.edf_path)
		rc = write_edf(&night, &o, a.edf_path);
	free((void *)o.episodes);
	np_night_sleep_free(&sleep);
	np_epochs_free(&ep);
	np_night_free(&night);
	return rc;
}
