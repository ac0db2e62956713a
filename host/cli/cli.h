/* Shared by the nightpose subcommands. Only main.c calls exit(). */
#ifndef NIGHTPOSE_HOST_CLI_CLI_H
#define NIGHTPOSE_HOST_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of the CLI contract. */
enum {
	NP_EXIT_OK = 0,
	NP_EXIT_FAILURE = 1, /* runtime failure: device lost for good, disk full */
	NP_EXIT_USAGE = 2,   /* bad usage or bad input */
};

struct np_cli_cmd {
	const char *name;
	const char *summary; /* one line for `nightpose --help` */
	const char *usage;   /* full text for `nightpose <cmd> --help` (starts with "usage:") */
	int (*run)(int argc, char **argv); /* argv[0] is the command name; returns an exit code */
};

/*
 * Something the user should know that is not an error (the command goes on):
 * "warning: what: ..." on stderr. Errors alone start with "nightpose: ", so that a
 * script can tell them apart.
 */
void np_cli_warning(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "nightpose: <what>: <why>" on stderr. */
void np_cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "nightpose: <what>: <errno text for NP_ERR_IO, else np_strerror()>"; returns exit_code. */
int np_cli_fail(const char *what, int np_err, int exit_code);

/*
 * Handles --help for a subcommand: when argv holds -h or --help, prints usage to
 * stdout and returns true (the caller returns NP_EXIT_OK).
 */
bool np_cli_wants_help(const struct np_cli_cmd *cmd, int argc, char **argv);

/* Usage error: message on stderr plus a hint at --help; returns NP_EXIT_USAGE. */
int np_cli_usage_error(const struct np_cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Checks an output file name given on the command line before anything is read
 * or written: it must not be empty, nor the same file as one of the n inputs
 * (whatever the spelling: the rename on success would replace that input).
 * "-" (standard output) always passes. Returns NP_EXIT_OK, or prints
 * "nightpose: OUT: is an input file; ..." (or a usage error for an empty name)
 * and returns NP_EXIT_USAGE.
 */
int np_cli_check_output(const struct np_cli_cmd *cmd, const char *option, const char *out,
			const char *const *inputs, size_t n);

/* Make the missing directories of path (not path itself), as mkdir -p. NP_OK, or
 * NP_ERR_IO with errno set. */
int np_cli_make_parent_dirs(const char *path);

/*
 * Checks the -o of a command that writes a recording (.npr): a file name, not
 * "-" (a recording does not go to standard output) and not a directory. Prints
 * the usage error and returns NP_EXIT_USAGE, or returns NP_EXIT_OK.
 */
int np_cli_check_recording_output(const struct np_cli_cmd *cmd, const char *out);

/*
 * The usage error for what getopt_long() (optstring starting with ':') returned and
 * the command does not handle: ':' "--x needs a value", anything else "unknown
 * option '--y'". Returns NP_EXIT_USAGE.
 */
int np_cli_option_error(const struct np_cli_cmd *cmd, int c, char **argv);

/*
 * Write an output file whole or not at all (np_outfile): open path ("-": standard
 * output), call write(f, arg) (an np_err), commit. On failure print why ("write
 * failed", or the errno text) and return 1, leaving no file behind; NP_EXIT_OK on success.
 */
int np_cli_write_output(const char *path, int (*write)(FILE *f, const void *arg), const void *arg);

/* Parse a number with nothing left over; false on junk, overflow, or out of [min, max]. */
bool np_cli_parse_double(const char *s, double min, double max, double *out);
bool np_cli_parse_long(const char *s, long min, long max, long *out);

/* Parse "--format text|json" style values; returns the index in choices or -1. */
int np_cli_choice(const char *s, const char *const *choices);

/*
 * After np_night_load() or np_rec_reader_open() on path failed with err: prints
 * why ("nightpose: PATH: not a nightpose recording", "... empty file",
 * "... damaged recording header", "... unsupported format version 3", or the
 * errno text) and returns the exit code: 2 for a missing, unreadable or foreign
 * file, 1 for a read error or lack of memory.
 */
int np_cli_recording_error(const char *path, int err);

/*
 * Temporary files removed when SIGINT or SIGTERM ends the program (Ctrl-C during
 * a long export, import or simulate): the outputs appear whole or not at all, and
 * nothing named "*.tmp-XXXXXX" is left behind. np_cli_cleanup_on_signals() (main.c)
 * installs the handler: it unlinks the names tracked at that moment and ends the
 * process by the same signal (the shell sees status 128 + signo). A command that
 * handles these signals itself (record) installs its own handler meanwhile.
 *
 * np_cli_tmp_track() copies the name into static storage (no allocation, so the
 * handler only calls unlink()); a name that does not fit is not tracked.
 * np_cli_tmp_forget_all() once the writer has renamed or removed its file.
 * np_cli_tmp_watch: hand it to the library writers (np_tmp_watch) to track theirs.
 */
struct np_tmp_watch;
extern const struct np_tmp_watch np_cli_tmp_watch;
void np_cli_cleanup_on_signals(void);
void np_cli_tmp_track(const char *tmp_path); /* NULL: nothing to track */
void np_cli_tmp_forget_all(void);

/*
 * Around a library writer that takes np_cli_tmp_watch: np_cli_tmp_hold(out) holds
 * SIGINT and SIGTERM until the watch has tracked the temporary name (so a signal
 * in the instant after its creation cannot leave it behind), np_cli_tmp_done()
 * after the call forgets the names and lets any held signal in. Nothing is held for
 * an output into a device or FIFO: the writer may write there directly, with no
 * temporary file to wait for, and a blocked write must stay interruptible.
 */
void np_cli_tmp_hold(const char *out_path);
void np_cli_tmp_done(void);

/* The command table (main.c). */
const struct np_cli_cmd *np_cli_find(const char *name);

#endif
