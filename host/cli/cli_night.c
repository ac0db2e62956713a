#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_config.h"
#include "cli_night.h"
#include "cli_plot.h"
#include "np_err.h"
#include "np_fmt.h"

int np_cli_load_night(const char *path, struct np_night *n)
{
	char why[160];
	int rc = np_night_load_why(path, n, why, sizeof why);

	if (rc == NP_ERR_RANGE && why[0]) {
		np_cli_error(path, "%s", why);
		return NP_EXIT_USAGE;
	}
	if (rc != NP_OK)
		return np_cli_recording_error(path, rc);
	if (n->sensor_count == 0 || n->sensor[0].n == 0) {
		np_cli_error(path, "recording holds no samples");
		np_night_free(n);
		return NP_EXIT_USAGE;
	}
	return NP_EXIT_OK;
}

int np_cli_load_cal(const char *path, struct np_calfile *c)
{
	char why[160] = "";
	int rc = np_calfile_load(path, c, why, sizeof why);

	if (rc == NP_OK)
		return NP_EXIT_OK;
	if (rc == NP_ERR_IO)
		return np_cli_fail(path, rc, NP_EXIT_USAGE);
	if (rc == NP_ERR_FORMAT || rc == NP_ERR_VERSION) {
		np_cli_error(path, "bad calibration file: %s", why);
		return NP_EXIT_USAGE;
	}
	return np_cli_fail(path, rc, NP_EXIT_FAILURE);
}

bool np_cli_parse_range(const char *s, double *t0, double *t1)
{
	const char *dash = s ? strchr(s + (*s == '-' ? 1 : 0), '-') : NULL;
	char a[64];

	if (!dash || (size_t)(dash - s) >= sizeof a)
		return false;
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	return np_cli_parse_double(a, 0, 1e9, t0) && np_cli_parse_double(dash + 1, 0, 1e9, t1) &&
	       *t1 > *t0;
}

int np_cli_night_epochs(const char *path, const char *cal_path, double epoch_s,
			struct np_night *night, struct np_calfile *cal, struct np_epochs *ep)
{
	struct np_analysis_cfg cfg;
	int rc;

	if (cal_path && (rc = np_cli_load_cal(cal_path, cal)) != NP_EXIT_OK)
		return rc;
	if ((rc = np_cli_load_night(path, night)) != NP_EXIT_OK)
		return rc;
	/* A mounting from another device is most likely the wrong file; it still works
	   when one sensor moved to another box, so warn rather than refuse. */
	const char *serial = night->header.hello.serial;
	if (cal_path && cal->device_serial[0] && serial[0] && strcmp(cal->device_serial, serial) != 0)
	{
		char a[NP_FMT_PRINTABLE_CAP(sizeof cal->device_serial)];
		char b[NP_FMT_PRINTABLE_CAP(sizeof night->header.hello.serial)];
		np_cli_warning(cal_path, "made for device %s, but %s was recorded with device %s",
			       np_fmt_printable(cal->device_serial, a, sizeof a), path,
			       np_fmt_printable(serial, b, sizeof b));
	}
	np_analysis_cfg_default(&cfg);
	cfg.epoch_s = epoch_s;
	cfg.cal = cal_path ? cal : NULL;
	rc = np_epochs_compute(night, &cfg, ep);
	if (rc != NP_OK) {
		np_night_free(night);
		if (rc == NP_ERR_RANGE) {
			np_cli_error(path, "more than 10 million epochs: use a longer --epoch");
			return NP_EXIT_USAGE;
		}
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	return NP_EXIT_OK;
}

int np_cli_night_sleep(const char *path, const struct np_night *night,
		       const struct np_calfile *cal, enum np_sleep_guider guider,
		       struct np_night_sleep *s)
{
	struct np_night_sleep_cfg cfg;
	np_night_sleep_cfg_default(&cfg);
	cfg.guider = guider;
	cfg.epochs.cal = cal;
	int rc = np_night_sleep_compute(night, &cfg, s);
	if (rc == NP_OK)
		return NP_EXIT_OK;
	np_night_sleep_free(s);
	return np_cli_fail(path, rc, NP_EXIT_FAILURE);
}

int np_cli_parse_epoch(const struct np_cli_cmd *cmd, const char *arg, double *epoch_s)
{
	if (!np_cli_parse_double(arg, 0.001, 86400.0, epoch_s))
		return np_cli_usage_error(cmd, "--epoch: expected seconds (0.001-86400), not '%s'", arg);
	return NP_EXIT_OK;
}

void np_cli_night_opts_init(struct np_cli_night_opts *o)
{
	memset(o, 0, sizeof *o);
	np_report_cfg_default(&o->rcfg);
}

int np_cli_night_option(const struct np_cli_cmd *cmd, int c, char **argv, struct np_cli_night_opts *o)
{
	static const char *const formats[] = { "text", "json", NULL };
	int f;

	switch (c) {
	case 'a':
		if (np_avoid_parse(optarg, &o->rcfg.avoid_mask) != NP_OK)
			return np_cli_usage_error(cmd,
						  "--avoid: expected positions among supine, prone, left, "
						  "right, upright, not '%s'",
						  optarg);
		o->avoid_given = true;
		return NP_EXIT_OK;
	case 'c':
		o->cal_path = optarg;
		return NP_EXIT_OK;
	case 'f':
		f = np_cli_choice(optarg, formats);
		if (f < 0)
			return np_cli_usage_error(cmd, "--format: expected text or json, not '%s'", optarg);
		o->json = f == 1;
		return NP_EXIT_OK;
	case 'p':
		o->plot_path = optarg;
		return np_cli_check_plot_path(cmd, optarg);
	case 'w':
		if (np_sleep_guider_parse(optarg, &o->guider) != NP_OK)
			return np_cli_usage_error(cmd, "--sleep-window: expected hdcza or lying, not '%s'",
						  optarg);
		return NP_EXIT_OK;
	default:
		return np_cli_option_error(cmd, c, argv);
	}
}

int np_cli_night_check_outputs(const struct np_cli_cmd *cmd, const struct np_cli_night_opts *o,
			       char *const *paths, size_t n)
{
	if (!o->plot_path)
		return NP_EXIT_OK;
	if (np_cli_check_output(cmd, "--plot", o->plot_path, &o->cal_path, 1) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	for (size_t i = 0; i < n; i++)
		if (np_cli_check_output(cmd, "--plot", o->plot_path, (const char *const *)&paths[i], 1) !=
		    NP_EXIT_OK)
			return NP_EXIT_USAGE;
	return NP_EXIT_OK;
}

int np_cli_night_opts_config(struct np_cli_night_opts *o)
{
	const char *avoid = NULL;
	int rc = np_cli_config_fill(NP_CFG_CALIBRATION, &o->cal_path);

	if (rc == NP_EXIT_OK && !o->avoid_given)
		rc = np_cli_config_fill(NP_CFG_AVOID, &avoid);
	/* The file's list was checked when it was read. */
	if (avoid)
		np_avoid_parse(avoid, &o->rcfg.avoid_mask);
	return rc;
}
