/*
 * The user's defaults: $XDG_CONFIG_HOME/nightpose/config (~/.config/nightpose/config),
 * an INI file of "KEY = VALUE" lines named like the options they stand for:
 *
 *   port = /dev/nightpose-NP0001     # record --port
 *   avoid = prone,supine             # record, replay, report, trend --avoid
 *   alert = vibrate                  # record --alert
 *   alert-after = 60                 # record, replay --alert-after
 *   alert-delay = 1800               # record, replay --alert-delay
 *   calibration = ~/nightpose/cal.json  # record, replay, epochs, report, trend, export
 *   output = ~/nights/%Y-%m-%d.npr   # record -o, through strftime() at the start
 *
 * A value from the file is taken as if given before the command line's options,
 * so an option always wins. Values are checked when the file is read: a bad line
 * stops every command that reads the file with "nightpose: FILE:LINE: why", exit 2.
 */
#ifndef NIGHTPOSE_HOST_CLI_CLI_CONFIG_H
#define NIGHTPOSE_HOST_CLI_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum np_cli_key {
	NP_CFG_PORT,
	NP_CFG_AVOID,
	NP_CFG_ALERT,
	NP_CFG_ALERT_AFTER,
	NP_CFG_ALERT_DELAY,
	NP_CFG_CALIBRATION,
	NP_CFG_OUTPUT,
	NP_CFG_COUNT,
};

/* Values fit in a line of the file (inih: under 200 bytes) plus a "~/" expanded. */
#define NP_CFG_VALUE_MAX 1024

struct np_cli_config {
	char path[4096]; /* the file looked for; "" when neither XDG_CONFIG_HOME nor HOME is set */
	bool found;      /* it exists and was read */
	char value[NP_CFG_COUNT][NP_CFG_VALUE_MAX]; /* "" when the file does not set it */
	unsigned line[NP_CFG_COUNT];                /* its line in the file, 0 when not set */
};

/* The key's name in the file, the same as its option's ("alert-after"). */
const char *np_cli_config_key_name(enum np_cli_key k);

/*
 * Read the user's config file (the first call reads it, later ones return the same).
 * A missing file is no error: every value is "". Returns NP_EXIT_OK with *cfg set,
 * or NP_EXIT_USAGE after printing "nightpose: FILE:LINE: why" (or "FILE: errno text").
 */
int np_cli_config_get(const struct np_cli_config **cfg);

/* Whether value is good for k; when not, why ("alert-after: expected seconds
 * 1..86400, not 'x'") goes into why. The file's lines and `nightpose config`'s
 * options are checked alike. */
bool np_cli_config_check(enum np_cli_key k, const char *value, char *why, size_t cap);

/* The file's value for k, or NULL when the file does not set it. */
const char *np_cli_config_value(const struct np_cli_config *cfg, enum np_cli_key k);

/*
 * For an option that was not given (*value NULL): set *value to the file's value
 * for k, which stays NULL when the file does not set it. Returns NP_EXIT_OK, or
 * NP_EXIT_USAGE when the file is bad (said already, as np_cli_config_get()).
 */
int np_cli_config_fill(enum np_cli_key k, const char **value);

/* The file name the output pattern gives now: strftime() of the local time
 * ("~/nights/%Y-%m-%d.npr" -> "/home/me/nights/2025-06-01.npr"). False when it
 * gives nothing or does not fit in cap. */
bool np_cli_config_output_name(const char *pattern, char *buf, size_t cap);

#endif
