/*
 * Output files that appear whole or not at all: written under a temporary name
 * in the same directory and renamed over the target on success.
 */
#ifndef NIGHTPOSE_HOST_NP_OUTFILE_H
#define NIGHTPOSE_HOST_NP_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Told the name of each temporary file a writer creates, right after it exists, so
 * that a program can remove it should a signal end the process before the rename
 * (the library keeps no list of its own: it holds no global state). Once the call
 * that took the watch returns, the name is gone: renamed into place or removed.
 */
struct np_tmp_watch {
	void (*created)(void *ctx, const char *tmp_path);
	void *ctx;
	/* Optional, called just before the temporary file is created (a program
	   holds its exit signals from here to created()): long work before that,
	   such as planning an EDF, stays interruptible. */
	void (*creating)(void *ctx);
};

/* w->creating(w->ctx) when w and its callback are set. */
void np_tmp_watch_creating(const struct np_tmp_watch *w);

/* w->created(w->ctx, tmp_path) when w, its callback and tmp_path are all set. */
void np_tmp_watch_created(const struct np_tmp_watch *w, const char *tmp_path);

struct np_outfile {
	FILE *fp;        /* write here; owned by the outfile */
	char *path;      /* final name */
	char *tmp_path;  /* temporary name, NULL for stdout or a special file */
};

/*
 * True when path names an existing file that is neither a regular file nor a
 * directory (a device such as /dev/null, a FIFO, a socket), following symbolic
 * links. Output goes straight into such a file: renaming a temporary file over
 * it would replace the device or pipe with a plain file.
 */
bool np_outfile_is_special(const char *path);

/*
 * Open a temporary file next to path ("-" means stdout: nothing to rename; a
 * special file, see np_outfile_is_special(), is opened and written directly).
 * Returns NP_OK, NP_ERR_IO (errno set), NP_ERR_NOMEM. On failure *o is zeroed.
 */
int np_outfile_open(struct np_outfile *o, const char *path);

/* Flush, fsync, close and rename into place (stdout is only flushed; a special file
 * is flushed and closed). NP_ERR_IO also when an earlier write failed (ferror()).
 * Returns NP_OK or NP_ERR_IO (errno set); on failure the temporary file is removed
 * and the target is left untouched. */
int np_outfile_commit(struct np_outfile *o);

/* Close and remove the temporary file; the target is left untouched. */
void np_outfile_abort(struct np_outfile *o);

/*
 * Create "path.tmp-XXXXXX" next to path, empty, open for reading and writing in *fd,
 * with the usual mode (0666 less the umask, as fopen() gives; mkstemp() would give
 * 0600) and without touching the process umask, so it is safe with threads. Returns
 * its name (free() it), or NULL with errno set and *fd -1. For writers that manage
 * the descriptor and the rename themselves (np_rec_writer).
 */
char *np_outfile_tmp_create(const char *path, int *fd);

/*
 * For writers that open their output by name (EDFlib, PLplot): create an empty file
 * "path.tmp-XXXXXX" next to path (in $TMPDIR or /tmp when path is a special file)
 * and return its name (free() it); NULL with errno set on failure. Let the writer
 * overwrite it, then np_outfile_rename_into_place().
 */
char *np_outfile_tmp_name(const char *path);

/* fsync tmp and rename it over path (a special path gets a copy of tmp's bytes
 * and tmp is removed). Returns NP_OK or NP_ERR_IO (errno set); on failure tmp is
 * removed and path is left untouched. */
int np_outfile_rename_into_place(const char *tmp, const char *path);

/* Make a rename into path durable: fsync the directory that holds path (best effort,
 * errors ignored: the data itself was already fsync'ed). */
void np_outfile_sync_dir(const char *path);

#endif
