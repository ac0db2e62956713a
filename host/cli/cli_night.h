/* Helpers of the analysis commands (calibrate, epochs, report). */
#ifndef NIGHTPOSE_HOST_CLI_CLI_NIGHT_H
#define NIGHTPOSE_HOST_CLI_CLI_NIGHT_H

#include <getopt.h>
#include <stdbool.h>

#include "cli.h"
#include "np_calfile.h"
#include "np_epochs.h"
#include "np_night.h"
#include "np_night_sleep.h"
#include "np_report.h"

/*
 * Load a recording; on failure print why ("nightpose: PATH: not a nightpose recording")
 * and return the exit code (2 for a missing, empty or foreign file). NP_EXIT_OK on success.
 */
int np_cli_load_night(const char *path, struct np_night *n);

/* Load and validate CAL.json; on failure print why and return 2. */
int np_cli_load_cal(const char *path, struct np_calfile *c);

/* "T0-T1" in seconds, 0 <= T0 < T1. */
bool np_cli_parse_range(const char *s, double *t0, double *t1);

/*
 * Load the night (and calibration when cal_path is not NULL) and compute epochs of
 * epoch_s seconds. Returns an exit code; on success the caller frees night and epochs.
 */
int np_cli_night_epochs(const char *path, const char *cal_path, double epoch_s,
			struct np_night *night, struct np_calfile *cal, struct np_epochs *ep);

/* --epoch S: on success NP_EXIT_OK and *epoch_s set, else the usage error's exit code. */
int np_cli_parse_epoch(const struct np_cli_cmd *cmd, const char *arg, double *epoch_s);

/*
 * Sleep of a night loaded by np_cli_night_epochs() (cal NULL: default mounting).
 * Returns an exit code; on success the caller frees s with np_night_sleep_free().
 */
int np_cli_night_sleep(const char *path, const struct np_night *night,
		       const struct np_calfile *cal, enum np_sleep_guider guider,
		       struct np_night_sleep *s);

/* Options that report and trend share: --avoid, --calibration, --format, --plot,
 * --sleep-window. */
struct np_cli_night_opts {
	const char *cal_path;  /* NULL: default mounting */
	const char *plot_path; /* NULL: no picture */
	bool json;             /* --format json */
	bool avoid_given;      /* --avoid was on the command line */
	enum np_sleep_guider guider; /* --sleep-window hdcza|lying */
	struct np_report_cfg rcfg;
};

/* Their getopt_long() entries, for the command's option table. */
#define NP_CLI_NIGHT_LONGOPTS                                  \
	{ "avoid", required_argument, NULL, 'a' },             \
	{ "calibration", required_argument, NULL, 'c' },       \
	{ "format", required_argument, NULL, 'f' },            \
	{ "plot", required_argument, NULL, 'p' },             \
	{ "sleep-window", required_argument, NULL, 'w' }

void np_cli_night_opts_init(struct np_cli_night_opts *o);

/*
 * Take getopt_long()'s result c (optarg set) for one of those options; anything
 * else is a usage error (missing value, unknown option). Returns NP_EXIT_OK to
 * carry on, or the exit code to return.
 */
int np_cli_night_option(const struct np_cli_cmd *cmd, int c, char **argv, struct np_cli_night_opts *o);

/*
 * After the options and the config file: --plot must not name one of the n
 * recordings nor the calibration file (np_cli_check_output()). NP_EXIT_OK or
 * NP_EXIT_USAGE, the error printed.
 */
int np_cli_night_check_outputs(const struct np_cli_cmd *cmd, const struct np_cli_night_opts *o,
			       char *const *paths, size_t n);

/* After the options: --avoid and --calibration from the config file where the
 * command line gave none (cli_config.h). NP_EXIT_OK or the exit code to return. */
int np_cli_night_opts_config(struct np_cli_night_opts *o);

#endif
