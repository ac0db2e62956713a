/* nightpose report: the night's summary, text or JSON. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_night.h"
#include "cli_plot.h"
#include "np_err.h"
#include "np_report.h"

static const char usage[] =
	"usage: nightpose report NIGHT.npr [--calibration CAL.json] [--avoid LIST]\n"
	"                        [--epoch S] [--format text|json] [--plot FILE]\n"
	"                        [--sleep-window hdcza|lying]\n"
	"\n"
	"Summarises a night: time lying and per position, time in positions to\n"
	"avoid with the longest episodes and their clock times (local time),\n"
	"position changes per hour, movement, data quality, and what the advice\n"
	"for lower back pain means for this night. With ground-truth labels in the\n"
	"recording (imported datasets) it adds the agreement per class and a\n"
	"confusion matrix. A turn shorter than 30 s does not count as a change.\n"
	"The sleep section runs GGIR's algorithms on the trunk (5-s epochs): non-wear,\n"
	"time in bed, the sleep period, wake inside it and the positions while\n"
	"asleep, one block per noon-to-noon night (docs/ANALYSIS.md, \"Sleep\").\n"
	"\n"
	"options:\n"
	"  --calibration CAL.json  mounting from 'nightpose calibrate' (default:\n"
	"                          sensor x to the head, y to the left, z out of the chest)\n"
	"  --avoid LIST            positions to avoid, comma separated (default prone),\n"
	"                          e.g. prone,supine\n"
	"  --epoch S               epoch length in seconds (default 30)\n"
	"  --format text|json      output format (default text; json: one object)\n"
	"  --plot FILE             also draw the night: .png (1200x800), .svg or .pdf\n"
	"                          (position timeline, share per position, movement)\n"
	"  --sleep-window hdcza|lying\n"
	"                          how the sleep period is found: hdcza (default, GGIR:\n"
	"                          the trunk's angle is steady) or lying (the main\n"
	"                          lying period; asleep only while lying)\n"
	"  -h, --help              this help\n"
	"\n"
	"exit codes: 0 ok, 1 write failure, 2 bad usage, bad recording or calibration,\n"
	"or --plot of a recording that spans no time (the report is printed all the same)\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_report = {
	.name = "report",
	.summary = "summary of a night: positions, positions to avoid, advice",
	.usage = usage,
	.run = run,
};

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		NP_CLI_NIGHT_LONGOPTS,
		{ "epoch", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct np_cli_night_opts o;
	double epoch_s = NP_EPOCH_DEFAULT_S;
	int c;

	np_cli_night_opts_init(&o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int rc = c == 'e' ? np_cli_parse_epoch(&np_cmd_report, optarg, &epoch_s)
				  : np_cli_night_option(&np_cmd_report, c, argv, &o);
		if (rc != NP_EXIT_OK)
			return rc;
	}
	if ((c = np_cli_night_opts_config(&o)) != NP_EXIT_OK)
		return c;
	if (optind + 1 != argc)
		return np_cli_usage_error(&np_cmd_report, optind >= argc ? "missing NIGHT.npr"
									 : "one recording only");
	if (np_cli_night_check_outputs(&np_cmd_report, &o, &argv[optind], 1) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	const char *path = argv[optind];
	struct np_night night;
	struct np_calfile cal;
	struct np_epochs ep;
	struct np_report rep;
	struct np_night_sleep sleep;
	int rc = np_cli_night_epochs(path, o.cal_path, epoch_s, &night, &cal, &ep);
	if (rc != NP_EXIT_OK)
		return rc;
	memset(&rep, 0, sizeof rep);
	rc = np_cli_night_sleep(path, &night, o.cal_path ? &cal : NULL, o.guider, &sleep);
	if (rc != NP_EXIT_OK)
		goto out;
	rc = np_report_build(&night, &ep, &o.rcfg, &rep);
	if (rc != NP_OK) {
		rc = np_cli_fail(path, rc, NP_EXIT_FAILURE);
		goto out;
	}
	rep.sleep = &sleep;
	/* The report first: a plot that cannot be drawn (a recording that spans no
	   time, a full disk) does not cost the summary; the exit code tells. */
	rc = o.json ? np_report_write_json(&rep, stdout) : np_report_write_text(&rep, stdout);
	if (rc != NP_OK) {
		rc = np_cli_fail("standard output", rc, NP_EXIT_FAILURE);
		goto out;
	}
	fflush(stdout);
	rc = o.plot_path ? np_cli_plot_night(&night, &ep, &rep, o.plot_path) : NP_EXIT_OK;
out:
	np_night_sleep_free(&sleep);
	np_report_free(&rep);
	np_epochs_free(&ep);
	np_night_free(&night);
	return rc;
}
