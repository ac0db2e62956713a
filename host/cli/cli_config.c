#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_config.h"
#include "np_err.h"
#include "np_posture.h"
#include "np_settings.h"

static const char *const key_names[NP_CFG_COUNT] = {
	[NP_CFG_PORT] = "port",
	[NP_CFG_AVOID] = "avoid",
	[NP_CFG_ALERT] = "alert",
	[NP_CFG_ALERT_AFTER] = "alert-after",
	[NP_CFG_ALERT_DELAY] = "alert-delay",
	[NP_CFG_CALIBRATION] = "calibration",
	[NP_CFG_OUTPUT] = "output",
};

const char *np_cli_config_key_name(enum np_cli_key k)
{
	return (unsigned)k < NP_CFG_COUNT ? key_names[k] : "?";
}

struct parse {
	struct np_cli_config *cfg;
	FILE *f;
	unsigned line;     /* of the line inih works on */
	unsigned bad_line; /* first line found bad, 0: none yet */
	char why[256];
};

static int bad(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keep the first complaint (inih goes on reading), return 0 for inih's "error". */
static int bad(struct parse *p, const char *fmt, ...)
{
	if (p->bad_line)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof p->why, fmt, ap);
	va_end(ap);
	p->bad_line = p->line;
	return 0;
}

/* fgets() for inih that counts lines: inih's handler is not told the line
 * (Debian builds it without INI_HANDLER_LINENO), and `nightpose config` names it.
 * A line too long for inih's buffer would be split into two; refuse it instead. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	if (p->bad_line || !fgets(str, num, p->f))
		return NULL;
	p->line++;
	size_t len = strlen(str);
	if (len + 1 == (size_t)num && str[len - 1] != '\n' && !feof(p->f)) {
		bad(p, "line longer than %d characters", num - 2);
		return NULL;
	}
	return str;
}

bool np_cli_config_check(enum np_cli_key k, const char *value, char *why, size_t cap)
{
	const char *name = np_cli_config_key_name(k);
	unsigned mask;
	enum np_alert_mode mode;
	long v;

	why[0] = '\0';
	if (!value[0])
		snprintf(why, cap, "%s: empty value", name);
	else if (k == NP_CFG_AVOID && np_avoid_parse(value, &mask) != NP_OK)
		snprintf(why, cap, "%s: expected positions among supine, prone, left, right, upright, "
			 "not '%s'", name, value);
	else if (k == NP_CFG_ALERT && np_alert_mode_parse(value, &mode) != NP_OK)
		snprintf(why, cap, "%s: expected vibrate, bell or none, not '%s'", name, value);
	else if (k == NP_CFG_ALERT_AFTER && !np_cli_parse_long(value, 1, 86400, &v))
		snprintf(why, cap, "%s: expected seconds 1..86400, not '%s'", name, value);
	else if (k == NP_CFG_ALERT_DELAY && !np_cli_parse_long(value, 0, 86400, &v))
		snprintf(why, cap, "%s: expected seconds 0..86400, not '%s'", name, value);
	else if (k == NP_CFG_OUTPUT && strcmp(value, "-") == 0)
		snprintf(why, cap, "%s: a recording needs a file name, not '-'", name);
	return why[0] == '\0';
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	int k = 0;
	char why[200];
	while (k < NP_CFG_COUNT && strcmp(key_names[k], name) != 0)
		k++;
	if (section[0])
		return bad(p, "[%s]: the file has no sections; write '%s = ...' before any [section]",
			   section, name);
	if (k == NP_CFG_COUNT)
		return bad(p, "unknown setting '%s' (known: port, avoid, alert, alert-after, "
			      "alert-delay, calibration, output)", name);
	if (!np_cli_config_check((enum np_cli_key)k, value, why, sizeof why))
		return bad(p, "%s", why);
	/* "~/x" as the shell would: the file is read by a program, not a shell. */
	const char *home = getenv("HOME");
	char *dst = p->cfg->value[k];
	int n = strncmp(value, "~/", 2) == 0 && home && home[0] ?
			snprintf(dst, NP_CFG_VALUE_MAX, "%s%s", home, value + 1) :
			snprintf(dst, NP_CFG_VALUE_MAX, "%s", value);
	if (n < 0 || n >= NP_CFG_VALUE_MAX)
		return bad(p, "%s: value too long", name);
	p->cfg->line[k] = p->line;
	return 1;
}

static int load(struct np_cli_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	/* The XDG base directory spec: a relative XDG_CONFIG_HOME is to be ignored. */
	if (xdg && xdg[0] == '/')
		snprintf(cfg->path, sizeof cfg->path, "%s/nightpose/config", xdg);
	else if (home && home[0])
		snprintf(cfg->path, sizeof cfg->path, "%s/.config/nightpose/config", home);
	else
		return NP_EXIT_OK;

	struct parse p = { .cfg = cfg };
	errno = 0;
	p.f = fopen(cfg->path, "r");
	if (!p.f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return NP_EXIT_OK;
		return np_cli_fail(cfg->path, NP_ERR_IO, NP_EXIT_USAGE);
	}
	cfg->found = true;
	int rc = ini_parse_stream(read_line, &p, on_value, &p);
	bool read_error = ferror(p.f) != 0;
	fclose(p.f);
	if (read_error)
		return np_cli_fail(cfg->path, NP_ERR_IO, NP_EXIT_USAGE);
	if (!p.bad_line && rc > 0) {
		p.line = (unsigned)rc; /* a line inih could not read: no handler call */
		bad(&p, "expected KEY = VALUE, a # comment or an empty line");
	}
	if (p.bad_line) {
		fprintf(stderr, "nightpose: %s:%u: %s\n", cfg->path, p.bad_line, p.why);
		return NP_EXIT_USAGE;
	}
	return NP_EXIT_OK;
}

int np_cli_config_get(const struct np_cli_config **cfg)
{
	/* One file per run; the CLI may keep state in statics (STYLE.md section 4). */
	static struct np_cli_config loaded;
	static int state = -1;
	if (state < 0)
		state = load(&loaded);
	*cfg = &loaded;
	return state;
}

const char *np_cli_config_value(const struct np_cli_config *cfg, enum np_cli_key k)
{
	return (unsigned)k < NP_CFG_COUNT && cfg->value[k][0] ? cfg->value[k] : NULL;
}

int np_cli_config_fill(enum np_cli_key k, const char **value)
{
	const struct np_cli_config *cfg;
	int rc = np_cli_config_get(&cfg);
	if (rc == NP_EXIT_OK && !*value)
		*value = np_cli_config_value(cfg, k);
	return rc;
}

bool np_cli_config_output_name(const char *pattern, char *buf, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;
	return localtime_r(&now, &tm) && strftime(buf, cap, pattern, &tm) > 0;
}
