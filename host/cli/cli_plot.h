/* Pictures for report and trend: fill np_plot's inputs from the report model. */
#ifndef NIGHTPOSE_HOST_CLI_CLI_PLOT_H
#define NIGHTPOSE_HOST_CLI_CLI_PLOT_H

#include <stddef.h>

#include "cli.h"
#include "np_epochs.h"
#include "np_night.h"
#include "np_report.h"

/* Alerts the night recorded (device ALERT_FIRED and host alerts). */
size_t np_cli_count_alerts(const struct np_night *night);

/* The same for alerts at t0_s <= t < t1_s. */
size_t np_cli_count_alerts_between(const struct np_night *night, double t0_s, double t1_s);

/*
 * Write the night page to path (.png, .svg, .pdf). On failure print why and return
 * the exit code (2 for an unknown extension, 1 for a write failure); NP_EXIT_OK on success.
 */
int np_cli_plot_night(const struct np_night *night, const struct np_epochs *ep,
		      const struct np_report *rep, const char *path);

/* Exit code 2 with a message when path has no extension np_plot knows. */
int np_cli_check_plot_path(const struct np_cli_cmd *cmd, const char *path);

#endif
