#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "cli_config.h"
#include "cli_live.h"
#include "np_calfile.h"
#include "np_err.h"
#include "np_fmt.h"
#include "np_report.h"
#include "np_transport_serial.h"

bool np_cli_parse_avoid(const char *s, uint32_t *mask)
{
	/* The same list as report and trend take (np_report.h). */
	unsigned m;
	if (np_avoid_parse(s, &m) != NP_OK)
		return false;
	*mask = m;
	return true;
}

int np_cli_alert_option(const struct np_cli_cmd *cmd, int opt, const char *arg,
			struct np_recorder_cfg *cfg)
{
	long v;
	switch (opt) {
	case NP_CLI_OPT_AVOID:
		if (!np_cli_parse_avoid(arg, &cfg->live.avoid_mask))
			return np_cli_usage_error(cmd, "--avoid: expected positions from "
						  "supine,prone,left,right,upright, got '%s'", arg);
		return NP_EXIT_OK;
	case NP_CLI_OPT_ALERT_AFTER:
		if (!np_cli_parse_long(arg, 1, 86400, &v))
			return np_cli_usage_error(cmd, "--alert-after: expected seconds 1..86400, got '%s'", arg);
		cfg->live.alert_after_s = (uint32_t)v;
		return NP_EXIT_OK;
	case NP_CLI_OPT_ALERT_WHEN:
		if (np_alert_when_parse(arg, &cfg->live.alert_when) != NP_OK)
			return np_cli_usage_error(cmd, "--alert-when: expected asleep or lying, got '%s'", arg);
		return NP_EXIT_OK;
	case NP_CLI_OPT_ALERT_DELAY:
		if (!np_cli_parse_long(arg, 0, 86400, &v))
			return np_cli_usage_error(cmd, "--alert-delay: expected seconds 0..86400, got '%s'", arg);
		cfg->live.alert_delay_s = (uint32_t)v;
		return NP_EXIT_OK;
	case NP_CLI_OPT_CALIBRATION: {
		/* Only the rotation: the file's offset/gain fit belongs to the night it
		 * was computed on, and gravity's direction hardly depends on it. */
		struct np_calfile cal;
		char why[256] = "";
		errno = 0;
		int rc = np_calfile_load(arg, &cal, why, sizeof why);
		if (rc != NP_OK) {
			if (why[0])
				np_cli_error(arg, "%s", why);
			else
				np_cli_fail(arg, rc, 0);
			return NP_EXIT_USAGE;
		}
		cfg->live.mounting = cal.chest.r;
		return NP_EXIT_OK;
	}
	}
	return np_cli_usage_error(cmd, "unknown option");
}

int np_cli_alert_config(const struct np_cli_cmd *cmd, struct np_recorder_cfg *cfg, bool given[4])
{
	static const enum np_cli_key keys[4] = { NP_CFG_AVOID, NP_CFG_ALERT_AFTER, NP_CFG_ALERT_DELAY,
						 NP_CFG_CALIBRATION };
	for (int i = 0; i < 4; i++) {
		const char *v = NULL;
		if (given[i])
			continue;
		if (np_cli_config_fill(keys[i], &v) != NP_EXIT_OK ||
		    (v && np_cli_alert_option(cmd, NP_CLI_OPT_AVOID + i, v, cfg) != NP_EXIT_OK))
			return NP_EXIT_USAGE;
		given[i] = v != NULL;
	}
	return NP_EXIT_OK;
}

int np_cli_probe(const char *path, unsigned timeout_ms, struct np_hello *hello)
{
	struct np_transport t;
	int rc = np_transport_serial_open(&t, path);
	if (rc != NP_OK)
		return rc;
	return np_device_probe(&t, timeout_ms, hello);
}

/* One second per port: the firmware answers HELLO within a few ms. */
#define PROBE_MS 1000u

bool np_cli_auto_port(const char *what, char *path, size_t cap)
{
	struct np_port_info *ports;
	size_t n;
	int rc = np_serial_list(&ports, &n);
	if (rc != NP_OK) {
		np_cli_fail(what, rc, NP_EXIT_FAILURE);
		return false;
	}
	size_t found = 0, pick = 0;
	for (size_t i = 0; i < n; i++)
		if (ports[i].usb && ports[i].vid == NP_USB_VID) {
			found++;
			pick = i;
		}
	bool probed = false;
	if (found == 0) {
		/* A board on a USB-serial adapter has someone else's VID: ask. */
		probed = true;
		for (size_t i = 0; i < n; i++) {
			struct np_hello h;
			if (np_cli_probe(ports[i].path, PROBE_MS, &h) == NP_OK) {
				found++;
				pick = i;
				ports[i].usb = true; /* mark it for the list below */
				ports[i].vid = NP_USB_VID;
			}
		}
	}
	if (found == 1) {
		snprintf(path, cap, "%s", ports[pick].path);
		free(ports);
		return true;
	}
	if (found == 0) {
		if (n == 0)
			np_cli_error(what, "no nightpose device found: this machine has no serial ports; "
					   "plug the device in (see 'nightpose devices') or give --port PATH");
		else
			np_cli_error(what, "no nightpose device found: none of the %zu serial ports "
					   "answered HELLO%s; plug the device in or give --port PATH "
					   "(see 'nightpose devices')", n, probed ? "" : " or has its USB ID");
	} else {
		np_cli_error(what, "%zu nightpose devices found; choose one with --port:", found);
		for (size_t i = 0; i < n; i++)
			if (ports[i].usb && ports[i].vid == NP_USB_VID)
				fprintf(stderr, "  %s%s%s\n", ports[i].path, ports[i].serial[0] ? "  serial " : "",
					ports[i].serial);
	}
	free(ports);
	return false;
}

void np_cli_live_init(struct np_cli_live *l, bool positions)
{
	memset(l, 0, sizeof *l);
	l->out = stderr;
	l->tty = isatty(fileno(stderr));
	l->positions = positions;
	l->last_status_s = -1e9;
}

static void clear_status(struct np_cli_live *l)
{
	if (l->status_shown) {
		fputs("\r\033[K", l->out);
		l->status_shown = false;
	}
}

void np_cli_live_line(struct np_cli_live *l, double t, const char *fmt, ...)
{
	char hms[32];
	va_list ap;
	clear_status(l);
	np_fmt_hms(t, hms, sizeof hms);
	fprintf(l->out, "[%s] ", hms);
	va_start(ap, fmt);
	vfprintf(l->out, fmt, ap);
	va_end(ap);
	fputc('\n', l->out);
	fflush(l->out);
	/* Redraw the status right away on a terminal (it was just cleared). */
	if (l->tty)
		l->last_status_s = -1e9;
}

void np_cli_position_times(const struct np_live_state *st, char *buf, size_t cap)
{
	double total = 0;
	for (int p = 0; p < NP_POS_COUNT; p++)
		total += st->time_in_s[p];
	size_t n = 0;
	buf[0] = '\0';
	for (int p = 1; p <= NP_POS_COUNT && n < cap; p++) {
		int q = p % NP_POS_COUNT; /* unknown last */
		if (st->time_in_s[q] <= 0)
			continue;
		char hms[32];
		np_fmt_hms(st->time_in_s[q], hms, sizeof hms);
		int k = snprintf(buf + n, cap - n, "%s%s %s (%.0f%%)", n ? ", " : "",
				 np_position_name((enum np_position)q), hms,
				 total > 0 ? 100.0 * st->time_in_s[q] / total : 0.0);
		if (k < 0)
			return;
		n += (size_t)k;
	}
	if (n == 0)
		snprintf(buf, cap, "none yet");
}

void np_cli_live_status(struct np_cli_live *l, double t, const struct np_live_state *st)
{
	double every = l->tty ? 1.0 : 60.0;
	if (t - l->last_status_s < every)
		return;
	l->last_status_s = t;
	char hms[32], line[512];
	np_fmt_hms(t, hms, sizeof hms);
	int k = snprintf(line, sizeof line, "%s  %llu samples  %.1f Hz  %s  lost %llu%s", hms,
			 (unsigned long long)st->samples, st->rate_hz, np_position_name(st->position),
			 (unsigned long long)np_live_frames_lost(st),
			 st->link_up ? "" : "  LINK DOWN, retrying");
	if (l->positions && k > 0 && (size_t)k < sizeof line) {
		char pos[384];
		np_cli_position_times(st, pos, sizeof pos);
		snprintf(line + k, sizeof line - (size_t)k, "  | %s", pos);
	}
	if (l->tty) {
		/* A status line that wraps can no longer be redrawn in place. */
		struct winsize ws;
		if (ioctl(fileno(l->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && ws.ws_col < sizeof line)
			line[ws.ws_col - 1] = '\0';
		fprintf(l->out, "\r\033[K%s", line);
		l->status_shown = true;
	} else {
		fprintf(l->out, "[%s] status: %s\n", hms, line);
	}
	fflush(l->out);
}

void np_cli_live_end(struct np_cli_live *l)
{
	clear_status(l);
	fflush(l->out);
}
