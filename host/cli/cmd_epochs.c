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
	"                        [--sleep-window hdcza|lying]\n"
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
	"With --epoch 5 (GGIR's epoch) five sleep columns follow:\n"
	"  anglez_deg,sib,spt,asleep,worn\n"
	"anglez_deg is GGIR's trunk angle (+90 supine, -90 prone), sib 1 in a sustained\n"
	"inactivity bout, spt 1 inside a night's sleep period, asleep 1 when scored\n"
	"asleep, worn 0 for non-wear and epochs without data (docs/ANALYSIS.md, \"Sleep\").\n"
	"Other epoch lengths have no sleep columns.\n"
	"\n"
	"options:\n"
	"  --calibration CAL.json  mounting from 'nightpose calibrate'\n"
	"  --epoch S               epoch length in seconds (default 30)\n"
	"  --sleep-window hdcza|lying\n"
	"                          sleep period guider for the spt and asleep columns\n"
	"                          (default hdcza)\n"
	"  -o, --output FILE.csv   output file (default, or '-': standard output)\n"
	"  -h, --help              this help\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage, bad recording or calibration\n";

struct csv_out {
	const struct np_epochs *ep;
	const struct np_night_sleep *sleep; /* NULL: no sleep columns */
};

static int write_csv(FILE *f, const void *arg)
{
	const struct csv_out *c = arg;
	return c->sleep ? np_night_sleep_write_csv(c->ep, c->sleep, f) : np_epochs_write_csv(c->ep, f);
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
		{ "sleep-window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = "-", *cal_path = NULL;
	double epoch_s = NP_EPOCH_DEFAULT_S;
	enum np_sleep_guider guider = NP_SLEEP_GUIDER_HDCZA;
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
		case 'w':
			if (np_sleep_guider_parse(optarg, &guider) != NP_OK)
				return np_cli_usage_error(&np_cmd_epochs,
							  "--sleep-window: expected hdcza or lying, not '%s'",
							  optarg);
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
	struct np_night_sleep sleep;
	struct csv_out out = { &ep, NULL };
	if (epoch_s == NP_SLEEP_EPOCH_S) {
		rc = np_cli_night_sleep(path, &night, cal_path ? &cal : NULL, guider, &sleep);
		out.sleep = rc == NP_EXIT_OK ? &sleep : NULL;
	}
	np_night_free(&night);
	if (rc == NP_EXIT_OK)
		rc = np_cli_write_output(out_path, write_csv, &out);
	if (out.sleep)
		np_night_sleep_free(&sleep);
	np_epochs_free(&ep);
	return rc;
}
