/* nightpose simulate: a synthetic night with ground truth (model: datasets/IMPORT.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "np_err.h"
#include "np_rec_data.h"
#include "np_simulate.h"

static const char usage[] =
	"usage: nightpose simulate -o NIGHT.npr [--hours H] [--rate HZ] [--seed N] [--ankle]\n"
	"                          [--sleep] [--nights N] [--nonwear]\n"
	"\n"
	"Writes a realistic synthetic night: a few minutes sitting up in bed, lying\n"
	"down, falling asleep, position changes (dwell times of minutes to an hour),\n"
	"brief arousals, breathing at a known rate, sensor noise, offset and gain\n"
	"errors and a tilted mounting. The ground truth is in the recording: LABEL\n"
	"annotations give the position of each episode, NOTE annotations the breathing\n"
	"rate per episode, the sensor errors and the mounting rotation.\n"
	"The same options always give the same file, byte for byte.\n"
	"\n"
	"With --sleep (or --nights, --nonwear) the recording is a whole evening and\n"
	"night from 19:00 UTC: up and about, sitting still in a chair (television,\n"
	"reading), lying awake with small movements (reading, a phone), falling asleep,\n"
	"sleep with wake bouts and maybe a bathroom trip, an early morning awake in bed,\n"
	"getting up; with --nights, days of being about and sitting in between. The\n"
	"sleep truth is in NOTE annotations ('truth: asleep', 'truth: in bed', 'truth:\n"
	"sensor off'), which 'report' scores its sleep figures against.\n"
	"\n"
	"options:\n"
	"  -o, --output FILE  recording to write (required)\n"
	"  --hours H          length of the night, up to 48 (default 8; with --sleep\n"
	"                     the nights give it, and H up to 168 cuts it short)\n"
	"  --rate HZ          samples per second, 1 to 200 (default 25)\n"
	"  --seed N           which night (default 1)\n"
	"  --ankle            add a second sensor on the ankle\n"
	"  --sleep            evening, night and morning with sleep truth (see above)\n"
	"  --nights N         nights in one recording, 1 to 7 (implies --sleep); --hours\n"
	"                     then cuts the recording short (up to 168)\n"
	"  --nonwear          the sensor lies on the nightstand for 75-150 min each\n"
	"                     evening (implies --sleep)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_simulate = {
	.name = "simulate",
	.summary = "write a synthetic night with known ground truth",
	.usage = usage,
	.run = run,
};

enum { OPT_HOURS = 256, OPT_RATE, OPT_SEED, OPT_ANKLE, OPT_SLEEP, OPT_NIGHTS, OPT_NONWEAR };

static int parse_options(int argc, char **argv, struct np_sim_opts *opts, const char **out)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "hours", required_argument, NULL, OPT_HOURS },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "ankle", no_argument, NULL, OPT_ANKLE },
		{ "sleep", no_argument, NULL, OPT_SLEEP },
		{ "nights", required_argument, NULL, OPT_NIGHTS },
		{ "nonwear", no_argument, NULL, OPT_NONWEAR },
		{ NULL, 0, NULL, 0 },
	};
	const struct np_cli_cmd *cmd = &np_cmd_simulate;
	struct np_sim_opts o;
	const char *output = NULL;
	long seed;
	int c;

	np_sim_opts_default(&o);
	*out = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_HOURS:
			if (!np_cli_parse_double(optarg, 0.001, NP_SIM_SLEEP_HOURS_MAX, &o.hours))
				return np_cli_usage_error(cmd, "--hours: expected 0.001 to 48, not '%s'",
							  optarg);
			o.hours_given = true;
			break;
		case OPT_RATE:
			if (!np_cli_parse_double(optarg, 1.0, 200.0, &o.rate_hz))
				return np_cli_usage_error(cmd, "--rate: expected 1 to 200 Hz, not '%s'",
							  optarg);
			break;
		case OPT_SEED:
			if (!np_cli_parse_long(optarg, 0, 0x7fffffffL, &seed))
				return np_cli_usage_error(cmd,
							  "--seed: expected 0 to 2147483647, not '%s'",
							  optarg);
			o.seed = (uint64_t)seed;
			break;
		case OPT_ANKLE:
			o.second_sensor = true;
			break;
		case OPT_SLEEP:
			o.sleep_model = true;
			break;
		case OPT_NIGHTS:
			if (!np_cli_parse_long(optarg, 1, NP_SIM_NIGHTS_MAX, &seed))
				return np_cli_usage_error(cmd, "--nights: expected 1 to 7, not '%s'", optarg);
			o.nights = (unsigned)seed;
			o.sleep_model = true;
			break;
		case OPT_NONWEAR:
			o.nonwear = o.sleep_model = true;
			break;
		default:
			return np_cli_option_error(cmd, c, argv);
		}
	}
	if (optind < argc)
		return np_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!o.sleep_model && o.hours > 48.0)
		return np_cli_usage_error(cmd, "--hours: expected 0.001 to 48 without --sleep, not '%g'",
					  o.hours);
	if (np_cli_check_recording_output(cmd, output) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	*opts = o;
	*out = output;
	return NP_EXIT_OK;
}

static int run(int argc, char **argv)
{
	const struct np_cli_cmd *cmd = &np_cmd_simulate;
	struct np_sim_opts o;
	const char *output;
	int code = parse_options(argc, argv, &o, &output);
	if (code != NP_EXIT_OK)
		return code;

	struct np_rec_data d;
	int rc = np_simulate(&o, &d, NULL);
	if (rc == NP_ERR_RANGE)
		return np_cli_usage_error(cmd, "--hours %g at --rate %g: %s", o.hours, o.rate_hz,
					  "the rate must be a multiple of 0.001 Hz and the night "
					  "at least one sample long");
	if (rc != NP_OK)
		return np_cli_fail("simulate", rc, NP_EXIT_FAILURE);
	np_cli_tmp_hold(output);
	rc = np_rec_data_write(&d, output, &np_cli_tmp_watch);
	np_cli_tmp_done();
	int e = errno;
	np_rec_data_free(&d);
	errno = e;
	if (rc != NP_OK)
		return np_cli_fail(output, rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}
