/* nightpose: command dispatch, --help and --version. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "np_git_rev.h"

/* Each command lives in cmd_<name>.c. Only finished commands are listed here. */
extern const struct np_cli_cmd np_cmd_devices;
extern const struct np_cli_cmd np_cmd_record;
extern const struct np_cli_cmd np_cmd_replay;
extern const struct np_cli_cmd np_cmd_info;
extern const struct np_cli_cmd np_cmd_import;
extern const struct np_cli_cmd np_cmd_simulate;
extern const struct np_cli_cmd np_cmd_calibrate;
extern const struct np_cli_cmd np_cmd_epochs;
extern const struct np_cli_cmd np_cmd_report;
extern const struct np_cli_cmd np_cmd_export;
extern const struct np_cli_cmd np_cmd_trend;
extern const struct np_cli_cmd np_cmd_config;

static const struct np_cli_cmd *const commands[] = {
	&np_cmd_devices,
	&np_cmd_record,
	&np_cmd_replay,
	&np_cmd_info,
	&np_cmd_import,
	&np_cmd_simulate,
	&np_cmd_calibrate,
	&np_cmd_epochs,
	&np_cmd_report,
	&np_cmd_export,
	&np_cmd_trend,
	&np_cmd_config,
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

const struct np_cli_cmd *np_cli_find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	fputs("usage: nightpose <command> [options]\n"
	      "       nightpose <command> --help\n"
	      "       nightpose --version\n"
	      "\n"
	      "Records a chest-worn accelerometer through the night and reports the\n"
	      "lying positions (supine, prone, left, right, upright).\n"
	      "\n"
	      "commands:\n",
	      out);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\nexit codes: 0 success, 1 runtime failure, 2 bad usage or bad input\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return NP_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return NP_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		/* "nightpose 0.1.0 (git 1a36397-dirty)"; a build outside git has no revision. */
		if (NP_GIT_REVISION[0])
			printf("nightpose %s (git %s)\n", NP_VERSION, NP_GIT_REVISION);
		else
			printf("nightpose %s\n", NP_VERSION);
		return NP_EXIT_OK;
	}
	const struct np_cli_cmd *cmd = np_cli_find(name);
	if (!cmd) {
		fprintf(stderr, "nightpose: %s: unknown command (see 'nightpose --help')\n", name);
		return NP_EXIT_USAGE;
	}
	if (np_cli_wants_help(cmd, argc - 1, argv + 1))
		return NP_EXIT_OK;
	/* Over the file size limit (ulimit -f) a write must fail with EFBIG like a full
	   disk, so the command reports it and removes its temporary file, rather than
	   die of SIGXFSZ and leave the file behind. */
	signal(SIGXFSZ, SIG_IGN);
	/* Ctrl-C or SIGTERM during a long write removes the temporary file (cli_util.c). */
	np_cli_cleanup_on_signals();
	int rc = cmd->run(argc - 1, argv + 1);
	/* A command that failed has said why already (a write to "-" included). */
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == NP_EXIT_OK) {
		fprintf(stderr, "nightpose: standard output: write failed\n");
		return NP_EXIT_FAILURE;
	}
	exit(rc);
}
