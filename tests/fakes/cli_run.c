#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_run.h"
#include "rec_fixture.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	if (!f)
		abort();
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		size_t got = fread(buf + len, 1, 4096, f);
		len += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

void cli_run(const char *dir, const char *const *argv, struct cli_result *r)
{
	char out_path[4096], err_path[4096];
	const char *args[64] = { NP_CLI };
	size_t n = 1;
	while (argv[n - 1] && n < 63) {
		args[n] = argv[n - 1];
		n++;
	}
	args[n] = NULL;
	snprintf(out_path, sizeof out_path, "%s/cli_stdout.txt", dir);
	snprintf(err_path, sizeof err_path, "%s/cli_stderr.txt", dir);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		/* Every run reads DIR/nightpose/config, never the user's own (cli_config.h). */
		if (setenv("XDG_CONFIG_HOME", dir, 1) != 0)
			_exit(127);
		execv(NP_CLI, (char *const *)args);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		abort();
	r->status = WEXITSTATUS(st);
	r->out = slurp(out_path);
	r->err = slurp(err_path);
	unlink(out_path);
	unlink(err_path);
}

void cli_result_free(struct cli_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void *cli_ctx_new(size_t size)
{
	struct cli_ctx *c = calloc(1, size < sizeof *c ? sizeof *c : size);
	if (!c)
		abort();
	c->dir = fx_tmpdir();
	return c;
}

int cli_ctx_teardown(void **state)
{
	struct cli_ctx *c = *state;
	cli_result_free(&c->r);
	fx_rmdir(c->dir);
	free(c->dir);
	free(c);
	return 0;
}

void cli_ctx_run(struct cli_ctx *c, const char *const *argv)
{
	cli_result_free(&c->r);
	cli_run(c->dir, argv, &c->r);
}
