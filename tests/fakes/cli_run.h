/* Run the nightpose binary from a test and capture what a user would see. */
#ifndef NIGHTPOSE_TESTS_FAKES_CLI_RUN_H
#define NIGHTPOSE_TESTS_FAKES_CLI_RUN_H

#include <stddef.h>

struct cli_result {
	int status; /* exit code */
	char *out;  /* stdout, NUL-terminated (free with cli_result_free) */
	char *err;  /* stderr */
};

/*
 * Run NP_CLI with argv (NULL-terminated, without the program name); stdout and stderr
 * go through files in dir. XDG_CONFIG_HOME is dir, so the program reads its
 * config from dir/nightpose/config, not the user's. Aborts the test on fork/exec trouble.
 */
void cli_run(const char *dir, const char *const *argv, struct cli_result *r);

void cli_result_free(struct cli_result *r);

/*
 * State of a command-line test: a fresh scratch directory under the build tree and
 * the last run's result. A test's own state struct starts with it (member `cli`).
 */
struct cli_ctx {
	char *dir;
	struct cli_result r;
};

/* A zeroed state of size bytes (a struct whose first member is a struct cli_ctx),
 * its scratch directory made. Aborts the test when out of memory. */
void *cli_ctx_new(size_t size);

/* cmocka teardown for such a state: frees the result, removes the directory
 * (flat, see fx_rmdir) and frees the state. */
int cli_ctx_teardown(void **state);

/* Run argv (NULL-terminated, without the program name) in c->dir; c->r holds the
 * result, the previous one freed. */
void cli_ctx_run(struct cli_ctx *c, const char *const *argv);

/* CLI_RUN(&c->cli, "report", path, "--format", "json") */
#define CLI_RUN(c, ...) cli_ctx_run((c), (const char *const[]){ __VA_ARGS__, NULL })

#endif
