#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "np_err.h"
#include "np_outfile.h"
#include "np_recording.h"

/* "<prefix>: <what>: <message>" and a newline on stderr. */
static void say(const char *prefix, const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", prefix, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void np_cli_warning(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("warning", what, fmt, ap);
	va_end(ap);
}

void np_cli_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("nightpose", what, fmt, ap);
	va_end(ap);
}

int np_cli_fail(const char *what, int err, int exit_code)
{
	if (err == NP_ERR_IO && errno != 0)
		np_cli_error(what, "%s", strerror(errno));
	else
		np_cli_error(what, "%s", np_strerror(err));
	return exit_code;
}

bool np_cli_wants_help(const struct np_cli_cmd *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(cmd->usage, stdout);
			return true;
		}
	}
	return false;
}

int np_cli_usage_error(const struct np_cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "nightpose: %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'nightpose %s --help')\n", cmd->name);
	return NP_EXIT_USAGE;
}

/*
 * The temporary files being written right now: one at a time in practice (the
 * commands write their outputs one after the other), a few slots to spare. Fixed
 * storage: the signal handler must not touch the heap or stdio.
 */
#define TMP_SLOTS 4
#define TMP_PATH_MAX 4096
static char tmp_paths[TMP_SLOTS][TMP_PATH_MAX];
static volatile sig_atomic_t tmp_used[TMP_SLOTS];

/* The table changes with SIGINT and SIGTERM blocked: the handler never sees half a name. */
static void block_exit_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, old);
}

void np_cli_tmp_track(const char *tmp_path)
{
	size_t n = tmp_path ? strlen(tmp_path) : TMP_PATH_MAX;
	if (n >= TMP_PATH_MAX)
		return;
	sigset_t old;
	block_exit_signals(&old);
	for (size_t i = 0; i < TMP_SLOTS; i++) {
		if (!tmp_used[i]) {
			memcpy(tmp_paths[i], tmp_path, n + 1);
			tmp_used[i] = 1;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void np_cli_tmp_forget_all(void)
{
	sigset_t old;
	block_exit_signals(&old);
	for (size_t i = 0; i < TMP_SLOTS; i++)
		tmp_used[i] = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static sigset_t held_mask; /* the mask to restore when holding */
static bool holding;

void np_cli_tmp_hold(const char *out_path)
{
	if (holding || np_outfile_is_special(out_path))
		return;
	block_exit_signals(&held_mask);
	holding = true;
}

static void release_hold(void)
{
	if (holding) {
		holding = false;
		sigprocmask(SIG_SETMASK, &held_mask, NULL);
	}
}

void np_cli_tmp_done(void)
{
	np_cli_tmp_forget_all();
	release_hold();
}

static void watch_created(void *ctx, const char *tmp_path)
{
	(void)ctx;
	np_cli_tmp_track(tmp_path);
	release_hold();
}

static void watch_creating(void *ctx)
{
	(void)ctx;
	if (!holding) {
		block_exit_signals(&held_mask);
		holding = true;
	}
}

const struct np_tmp_watch np_cli_tmp_watch = { .created = watch_created, .ctx = NULL,
					       .creating = watch_creating };

/* Only async-signal-safe calls: unlink, sigaction, sigprocmask, raise, _exit. */
static void remove_tmp_and_die(int sig)
{
	for (size_t i = 0; i < TMP_SLOTS; i++)
		if (tmp_used[i])
			unlink(tmp_paths[i]);
	/* Die of the signal itself, so a shell loop running us stops too. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

void np_cli_cleanup_on_signals(void)
{
	struct sigaction sa = { .sa_handler = remove_tmp_and_die };
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int np_cli_write_output(const char *path, int (*write)(FILE *f, const void *arg), const void *arg)
{
	struct np_outfile of;
	const char *what = strcmp(path, "-") == 0 ? "standard output" : path;

	/* Created and tracked with the exit signals held: no moment when it is untracked. */
	np_cli_tmp_hold(path);
	int rc = np_outfile_open(&of, path);
	if (rc != NP_OK) {
		np_cli_tmp_done();
		return np_cli_fail(path, rc, NP_EXIT_FAILURE);
	}
	watch_created(NULL, of.tmp_path);
	errno = 0;
	if (write(of.fp, arg) != NP_OK) {
		/* Say why when the system said (disk full, file too large). */
		int e = errno;
		np_outfile_abort(&of);
		np_cli_tmp_done();
		if (e != 0)
			np_cli_error(what, "write failed: %s", strerror(e));
		else
			np_cli_error(what, "write failed");
		return NP_EXIT_FAILURE;
	}
	rc = np_outfile_commit(&of);
	np_cli_tmp_done();
	if (rc != NP_OK)
		return np_cli_fail(what, rc, NP_EXIT_FAILURE);
	return NP_EXIT_OK;
}

int np_cli_option_error(const struct np_cli_cmd *cmd, int c, char **argv)
{
	if (c == ':')
		return np_cli_usage_error(cmd, "%s needs a value", argv[optind - 1]);
	return np_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int np_cli_check_output(const struct np_cli_cmd *cmd, const char *option, const char *out,
			const char *const *inputs, size_t n)
{
	struct stat so, si;

	if (!out || !*out)
		return np_cli_usage_error(cmd, "%s needs a file name, not ''", option);
	if (strcmp(out, "-") == 0 || stat(out, &so) != 0 || !S_ISREG(so.st_mode))
		return NP_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		if (inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
		    si.st_ino == so.st_ino) {
			np_cli_error(out, "is an input file; choose another output name");
			return NP_EXIT_USAGE;
		}
	}
	return NP_EXIT_OK;
}

int np_cli_make_parent_dirs(const char *path)
{
	char dir[4096];
	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
		errno = ENAMETOOLONG;
		return NP_ERR_IO;
	}
	/* Each '/' after the first character ends a directory that must exist. */
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			return NP_ERR_IO;
		*p = '/';
	}
	return NP_OK;
}

int np_cli_check_recording_output(const struct np_cli_cmd *cmd, const char *out)
{
	struct stat st;

	if (!out)
		return np_cli_usage_error(cmd, "missing -o NIGHT.npr");
	if (strcmp(out, "-") == 0)
		return np_cli_usage_error(cmd, "-o needs a file name: a recording does not go to "
					       "standard output");
	if (np_cli_check_output(cmd, "-o", out, NULL, 0) != NP_EXIT_OK)
		return NP_EXIT_USAGE;
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) {
		np_cli_error(out, "is a directory; -o needs the name of the recording to write");
		return NP_EXIT_USAGE;
	}
	return NP_EXIT_OK;
}

bool np_cli_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool np_cli_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int np_cli_choice(const char *s, const char *const *choices)
{
	for (int i = 0; s && choices[i]; i++)
		if (strcmp(s, choices[i]) == 0)
			return i;
	return -1;
}

int np_cli_recording_error(const char *path, int err)
{
	struct stat st;

	switch (err) {
	case NP_ERR_IO:
		return np_cli_fail(path, err, errno == ENOENT || errno == EISDIR || errno == EACCES ||
						      errno == ELOOP || errno == ENOTDIR ||
						      errno == ENAMETOOLONG ?
					      NP_EXIT_USAGE : NP_EXIT_FAILURE);
	case NP_ERR_FORMAT:
		/* Only a regular file is opened again to say more: a FIFO would block, and
		   a device's size (0) says nothing about what it gave. */
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			np_cli_error(path, "not a nightpose recording");
		else if (st.st_size == 0)
			np_cli_error(path, "empty file");
		else if (np_rec_reader_magic_seen(path))
			np_cli_error(path, "damaged recording header");
		else
			np_cli_error(path, "not a nightpose recording");
		return NP_EXIT_USAGE;
	case NP_ERR_VERSION:
		np_cli_error(path, "unsupported format version %u", np_rec_reader_version_seen(path));
		return NP_EXIT_USAGE;
	case NP_ERR_RANGE:
		np_cli_error(path, "device description has no clock rate or scale");
		return NP_EXIT_USAGE;
	default:
		return np_cli_fail(path, err, NP_EXIT_FAILURE);
	}
}
