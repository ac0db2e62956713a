/* nightpose epochs: one CSV row per epoch (position, angles, movement). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_config.h"
#include "cli_night.h"
#include "np_err.h"

static const char usage[] =
	"usage: nightpose epochs NIGHT.npr [--calibration CAL.json] [--epoch S] [-o FILE.csv]\n"
	"\n"
	"Cuts the recording into epochs of S seconds (default 30) from its first\n"
	"sample and writes one CSV row per epoch:\n"
	"  start_s,end_s,position,confidence,roll_deg,inclination_deg,movement_mg,\n"
	"  still,valid_fraction[,leg_tilt_deg]\n"
	"position is supine, prone, left, right, upright, or unknown (no data, or a\n"
	"turn within the epoch so large that its mean gravity vector is under 0.5 g);\n"
	"each epoch is classified on its own (no smoothing across epochs; 'report'\n"
	"smooths episodes). leg_tilt_deg, present with a second sensor, is the angle\n"
	"between the leg's and the trunk's gravity directions, the leg aligned to the\n"
	"trunk by 'calibrate'. Without --calibration the default mounting is assumed\n"
	"(sensor x to the head, y to the wearer's left, z out of the chest; a second\n"
	"sensor worn with the same axes).\n"
	"\n"
	"options:\n"
	"  --calibration CAL.json  mounting from 'nightpose calibrate'\n"
	"  --epoch S               epoch length in seconds (default 30)\n"
	"  -o, --output FILE.csv   output file (default, or '-': standard output)\n"
	"  -h, --help              this help\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage, bad recording or calibration\n";

static int write_csv(FILE *f, const void *ep)
{
	return np_epochs_write_csv(ep, f);
}

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_epochs = {
	.name = "epochs",
	.summary = "per-epoch positions and features as CSV",
	.usage = usage,
	.run = run,
};

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "calibration", required_argument, NULL, 'c' },
		{ "epoch", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = "-", *cal_path = NULL;
	double epoch_s = NP_EPOCH_DEFAULT_S;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out_path = optarg;
			break;
		case 'c':
			cal_path = optarg;
			break;
		case 'e':
			if ((c = np_cli_parse_epoch(&np_cmd_epochs, optarg, &epoch_s)) != NP_EXIT_OK)
				return c;
			break;
		default:
			return np_cli_option_error(&np_cmd_epochs, c, argv);
		}
	}
	if ((c = np_cli_config_fill(NP_CFG_CALIBRATION, &cal_path)) != NP_EXIT_OK)
		return c;
	if (optind + 1 != argc)
		return np_cli_usage_error(&np_cmd_epochs, optind >= argc ? "missing NIGHT.npr"
									 : "one recording only");
	const char *path = argv[optind];
	if (np_cli_check_output(&np_cmd_epochs, "-o", out_path, (const char *[]){ path, cal_path }, 2))
		return NP_EXIT_USAGE;
	struct np_night night;
	struct np_calfile cal;
	struct np_epochs ep;
	int rc = np_cli_night_epochs(path, cal_path, epoch_s, &night, &cal, &ep);
	if (rc != NP_EXIT_OK)
		return rc;
	np_night_free(&night);

	rc = np_cli_write_output(out_path, write_csv, &ep);
	np_epochs_free(&ep);
	return rc;
}
