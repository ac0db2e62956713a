/* Shared by record, replay and devices: port choice, position lists, live display. */
#ifndef NIGHTPOSE_HOST_CLI_CLI_LIVE_H
#define NIGHTPOSE_HOST_CLI_CLI_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "np_fmt.h"
#include "np_recorder.h"

/* "prone,supine" -> NP_POS_BIT mask; false on an unknown name or an empty list. */
bool np_cli_parse_avoid(const char *s, uint32_t *mask);

/* getopt values of the alert options that record and replay share. */
enum {
	NP_CLI_OPT_AVOID = 300,  /* --avoid LIST */
	NP_CLI_OPT_ALERT_AFTER,  /* --alert-after S */
	NP_CLI_OPT_ALERT_DELAY,  /* --alert-delay S */
	NP_CLI_OPT_CALIBRATION,  /* --calibration CAL.json: the chest mounting */
	NP_CLI_OPT_ALERT_WHEN,   /* --alert-when asleep|lying */
};
/* How many: the size of a given[] array indexed by opt - NP_CLI_OPT_AVOID. */
#define NP_CLI_ALERT_OPTS 5

/* Apply one of those to cfg: NP_EXIT_OK, or NP_EXIT_USAGE after saying why
 * (a calibration file that cannot be read or is not one is bad input too). */
int np_cli_alert_option(const struct np_cli_cmd *cmd, int opt, const char *arg,
			struct np_recorder_cfg *cfg);

/*
 * Those of them the command line did not give (given[opt - NP_CLI_OPT_AVOID] false)
 * from the config file, when it sets them (cli_config.h); given[] is set for each
 * one applied. NP_EXIT_OK, or NP_EXIT_USAGE after saying why.
 */
int np_cli_alert_config(const struct np_cli_cmd *cmd, struct np_recorder_cfg *cfg, bool given[4]);


/*
 * Choose the port for --port auto: the one USB port with the nightpose VID,
 * else the one port that answers HELLO. On failure prints why (none, or
 * several, naming them) and returns false.
 */
bool np_cli_auto_port(const char *what, char *path, size_t cap);

/* Ask the device on path for its HELLO. NP_OK, NP_ERR_TIMEOUT, transport errors. */
int np_cli_probe(const char *path, unsigned timeout_ms, struct np_hello *hello);

/* Live display: a status line redrawn in place on a terminal, log lines otherwise. */
struct np_cli_live {
	FILE *out;         /* stderr */
	bool tty;
	bool positions;    /* --live: time per position in the status line */
	bool status_shown; /* a status line is on screen and must be cleared first */
	double last_status_s;
};

void np_cli_live_init(struct np_cli_live *l, bool positions);
/* Print one event line at elapsed seconds t (clears the status line first). */
void np_cli_live_line(struct np_cli_live *l, double t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Redraw the status (terminal: at most once a second; otherwise a log line every 60 s). */
void np_cli_live_status(struct np_cli_live *l, double t, const struct np_live_state *st);
/* Leave the terminal on a fresh line. */
void np_cli_live_end(struct np_cli_live *l);

/* "supine 1:02:03 (40%), left ..." for the positions with time, into buf. */
void np_cli_position_times(const struct np_live_state *st, char *buf, size_t cap);

#endif
