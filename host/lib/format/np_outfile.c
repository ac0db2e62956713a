#include "np_outfile.h"

#include <errno.h>
#include <libgen.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "np_err.h"

/*
 * "path.tmp-XXXXXX", created with open(O_CREAT | O_EXCL, 0666) so the kernel applies
 * the umask: the output gets the usual permissions, like a file opened with fopen(),
 * and a report, an EDF or a recording can be shared. mkstemp() would give 0600, and
 * fixing that with fchmod() needs the umask, which can only be read by setting it:
 * a race with any other thread creating files at that moment.
 */
#define TMP_TAIL ".tmp-XXXXXX"
#define TMP_TAIL_LEN (sizeof TMP_TAIL - 1)

/*
 * Bytes of the base name kept in front of the tail: all of it, unless that would
 * make the temporary name longer than NAME_MAX (a 250-byte name is valid, its
 * temporary name must be too). The directory is always kept whole.
 */
static size_t tmp_prefix_len(const char *path, size_t n)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	size_t base = n - dir;
	return base + TMP_TAIL_LEN > NAME_MAX ? dir + (NAME_MAX - TMP_TAIL_LEN) : n;
}

static char *make_tmp(const char *path, int *fd)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t n = tmp_prefix_len(path, strlen(path));
	char *tmp = malloc(n + sizeof TMP_TAIL);
	struct timespec ts;
	uint64_t x;

	if (!tmp)
		return NULL;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp-", 5);
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Seed from time, process and the buffer's address; O_EXCL makes a clash harmless. */
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 12) ^
	    (uint64_t)(uintptr_t)tmp;
	for (int attempt = 0; attempt < 1000; attempt++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		uint64_t y = x ^ (x >> 29);
		for (size_t i = 0; i < 6; i++, y /= 62)
			tmp[n + 5 + i] = digits[y % 62];
		tmp[n + TMP_TAIL_LEN] = '\0';
		*fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (*fd >= 0)
			return tmp;
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	free(tmp);
	errno = e;
	return NULL;
}

void np_tmp_watch_creating(const struct np_tmp_watch *w)
{
	if (w && w->creating)
		w->creating(w->ctx);
}

void np_tmp_watch_created(const struct np_tmp_watch *w, const char *tmp_path)
{
	if (w && w->created && tmp_path)
		w->created(w->ctx, tmp_path);
}

static void release(struct np_outfile *o)
{
	free(o->path);
	free(o->tmp_path);
	memset(o, 0, sizeof *o);
}

int np_outfile_open(struct np_outfile *o, const char *path)
{
	memset(o, 0, sizeof *o);
	if (!path || !*path)
		return NP_ERR_ARG;
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		return NP_OK;
	}
	o->path = strdup(path);
	if (!o->path)
		return NP_ERR_NOMEM;
	int fd;
	if (np_outfile_is_special(path)) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			release(o);
			errno = e;
			return NP_ERR_IO;
		}
		return NP_OK;
	}
	o->tmp_path = make_tmp(path, &fd);
	if (!o->tmp_path) {
		int e = errno;
		release(o);
		errno = e;
		return e == ENOMEM ? NP_ERR_NOMEM : NP_ERR_IO;
	}
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		int e = errno;
		close(fd);
		unlink(o->tmp_path);
		release(o);
		errno = e;
		return NP_ERR_IO;
	}
	return NP_OK;
}

int np_outfile_commit(struct np_outfile *o)
{
	if (!o->fp)
		return NP_ERR_ARG;
	if (!o->tmp_path) {
		/* ferror(): a write that failed earlier, when the buffer filled, is not
		   reported again by the final fflush(). */
		int rc = fflush(o->fp) == 0 && !ferror(o->fp) ? NP_OK : NP_ERR_IO;
		int e = errno;
		if (o->fp != stdout && fclose(o->fp) != 0 && rc == NP_OK) {
			rc = NP_ERR_IO;
			e = errno;
		}
		release(o);
		errno = e;
		return rc;
	}
	int ok = fflush(o->fp) == 0 && !ferror(o->fp) && fsync(fileno(o->fp)) == 0;
	int e = errno;
	if (fclose(o->fp) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	o->fp = NULL;
	if (ok && rename(o->tmp_path, o->path) != 0) {
		ok = 0;
		e = errno;
	}
	if (ok)
		np_outfile_sync_dir(o->path);
	else
		unlink(o->tmp_path);
	release(o);
	errno = e;
	return ok ? NP_OK : NP_ERR_IO;
}

void np_outfile_abort(struct np_outfile *o)
{
	if (o->fp && o->tmp_path) {
		fclose(o->fp);
		unlink(o->tmp_path);
	} else if (o->fp && o->fp != stdout) {
		fclose(o->fp);
	}
	release(o);
}

char *np_outfile_tmp_create(const char *path, int *fd)
{
	*fd = -1;
	if (!path || !*path) {
		errno = EINVAL;
		return NULL;
	}
	return make_tmp(path, fd);
}

char *np_outfile_tmp_name(const char *path)
{
	if (!path || !*path) {
		errno = EINVAL;
		return NULL;
	}
	/* A device's directory (/dev) is rarely writable: the bytes for a special
	   file wait in the temporary directory and are copied into it at the end. */
	char base[4096];
	if (np_outfile_is_special(path)) {
		const char *dir = getenv("TMPDIR");
		snprintf(base, sizeof base, "%s/nightpose", dir && *dir ? dir : "/tmp");
		path = base;
	}
	int fd;
	char *tmp = make_tmp(path, &fd);
	if (tmp)
		close(fd);
	return tmp;
}

/* Copy the bytes of tmp into the special file path. Returns 0 or -1 (errno set). */
static int copy_into(const char *tmp, const char *path)
{
	char buf[65536];
	int in = open(tmp, O_RDONLY | O_CLOEXEC);
	int out = in < 0 ? -1 : open(path, O_WRONLY | O_CLOEXEC);
	int rc = out < 0 ? -1 : 0;
	ssize_t n = 0;

	while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				rc = -1;
			continue;
		}
		for (ssize_t done = 0; rc == 0 && done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno != EINTR)
				rc = -1;
			else if (w > 0)
				done += w;
		}
	}
	int e = errno;
	if (out >= 0 && close(out) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (in >= 0)
		close(in);
	errno = e;
	return rc;
}

bool np_outfile_is_special(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

int np_outfile_rename_into_place(const char *tmp, const char *path)
{
	if (np_outfile_is_special(path)) {
		int ok = copy_into(tmp, path) == 0;
		int e = errno;
		unlink(tmp);
		errno = e;
		return ok ? NP_OK : NP_ERR_IO;
	}
	int fd = open(tmp, O_RDONLY);
	int ok = fd >= 0 && fsync(fd) == 0;
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (ok && rename(tmp, path) != 0) {
		ok = 0;
		e = errno;
	}
	if (ok)
		np_outfile_sync_dir(path);
	else
		unlink(tmp);
	errno = e;
	return ok ? NP_OK : NP_ERR_IO;
}

void np_outfile_sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}
