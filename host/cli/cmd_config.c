/* nightpose config: the defaults in effect and where each one comes from. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_config.h"

static const char usage[] =
	"usage: nightpose config [--port PATH|auto] [--avoid LIST] [--alert vibrate|bell|none]\n"
	"                        [--alert-after S] [--alert-delay S] [--calibration CAL.json]\n"
	"                        [-o PATTERN]\n"
	"\n"
	"Prints the settings the commands use when their options are not given, each\n"
	"with where it comes from: the built-in default, a line of the config file\n"
	"(FILE:LINE), or the command line (the options below, as another command\n"
	"would take them). The config file is $XDG_CONFIG_HOME/nightpose/config,\n"
	"by default ~/.config/nightpose/config: lines of KEY = VALUE with the keys\n"
	"port, avoid, alert, alert-after, alert-delay, calibration and output (an\n"
	"strftime() pattern for 'record' without -o), '#' comments. An option on the\n"
	"command line always wins over the file; a night recorded with its own alert\n"
	"settings replays with those (see 'nightpose replay').\n"
	"\n"
	"options:\n"
	"  --port PATH|auto        record: serial port (default auto)\n"
	"  --avoid LIST            record, replay, report, trend: positions to avoid\n"
	"                          (default prone)\n"
	"  --alert MODE            record: vibrate, bell or none\n"
	"  --alert-after S         record, replay: alert after S seconds\n"
	"  --alert-delay S         record, replay: no alert in the first S seconds\n"
	"  --calibration CAL.json  record, replay, epochs, report, trend, export\n"
	"  -o, --output PATTERN    record: the recording, e.g. ~/nights/%Y-%m-%d.npr\n"
	"  -h, --help              this help\n"
	"\n"
	"exit codes: 0 ok, 2 bad usage or a bad line in the config file\n";

static int run(int argc, char **argv);

const struct np_cli_cmd np_cmd_config = {
	.name = "config",
	.summary = "the defaults in effect (config file) and where each comes from",
	.usage = usage,
	.run = run,
};

/* What a command does when neither the file nor the command line sets k. */
static const char *default_text(enum np_cli_key k, const char *const *value)
{
	switch (k) {
	case NP_CFG_PORT:
		return "auto";
	case NP_CFG_AVOID:
		return "prone";
	case NP_CFG_ALERT:
		return value[NP_CFG_ALERT_AFTER] ? "vibrate" : "none";
	case NP_CFG_ALERT_AFTER:
		return value[NP_CFG_ALERT] && strcmp(value[NP_CFG_ALERT], "none") != 0 ? "60" :
											"none (no alerts)";
	case NP_CFG_ALERT_DELAY:
		return "0";
	case NP_CFG_CALIBRATION:
		return "none (sensor axes = body axes)";
	default:
		return "none (record needs -o)";
	}
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 256 + NP_CFG_PORT },
		{ "avoid", required_argument, NULL, 256 + NP_CFG_AVOID },
		{ "alert", required_argument, NULL, 256 + NP_CFG_ALERT },
		{ "alert-after", required_argument, NULL, 256 + NP_CFG_ALERT_AFTER },
		{ "alert-delay", required_argument, NULL, 256 + NP_CFG_ALERT_DELAY },
		{ "calibration", required_argument, NULL, 256 + NP_CFG_CALIBRATION },
		{ "output", required_argument, NULL, 256 + NP_CFG_OUTPUT },
		{ NULL, 0, NULL, 0 },
	};
	const char *value[NP_CFG_COUNT] = { NULL };
	char why[200];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		if (c == 'o')
			c = 256 + NP_CFG_OUTPUT;
		if (c < 256 || c >= 256 + NP_CFG_COUNT)
			return np_cli_option_error(&np_cmd_config, c, argv);
		if (!np_cli_config_check((enum np_cli_key)(c - 256), optarg, why, sizeof why))
			return np_cli_usage_error(&np_cmd_config, "--%s", why);
		value[c - 256] = optarg;
	}
	if (optind < argc)
		return np_cli_usage_error(&np_cmd_config, "unexpected argument '%s'", argv[optind]);
	const struct np_cli_config *cfg;
	if (np_cli_config_get(&cfg) != NP_EXIT_OK)
		return NP_EXIT_USAGE;

	char from[NP_CFG_COUNT][4200];
	for (int k = 0; k < NP_CFG_COUNT; k++) {
		if (value[k])
			snprintf(from[k], sizeof from[k], "command line");
		else if ((value[k] = np_cli_config_value(cfg, (enum np_cli_key)k)) != NULL)
			snprintf(from[k], sizeof from[k], "%s:%u", cfg->path, cfg->line[k]);
		else
			snprintf(from[k], sizeof from[k], "default");
	}
	if (!cfg->path[0])
		printf("config file: none (neither XDG_CONFIG_HOME nor HOME is set)\n");
	else
		printf("config file: %s%s\n", cfg->path, cfg->found ? "" : " (not found)");
	for (int k = 0; k < NP_CFG_COUNT; k++) {
		const char *v = value[k] ? value[k] : default_text((enum np_cli_key)k, value);
		char now[NP_CFG_VALUE_MAX + 16] = "";
		if (k == NP_CFG_OUTPUT && value[k]) {
			char name[NP_CFG_VALUE_MAX];
			if (np_cli_config_output_name(value[k], name, sizeof name) && strcmp(name, value[k]) != 0)
				snprintf(now, sizeof now, " (now: %s)", name);
		}
		printf("%-12s %s%s  [%s]\n", np_cli_config_key_name((enum np_cli_key)k), v, now, from[k]);
	}
	return NP_EXIT_OK;
}
