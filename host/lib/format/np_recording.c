#include "np_recording.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "np_bytes.h"
#include "np_crc32c.h"
#include "np_err.h"
#include "np_outfile.h"

/* Header layout (FORMAT.md "Header"); offsets of the fixed prefix. */
#define HDR_VERSION 8u
#define HDR_LEN 10u
#define HDR_FLAGS 12u
#define HDR_RESERVED 14u
#define HDR_CREATED 16u
#define HDR_HELLO_LEN 24u
#define HDR_HELLO 26u
#define HDR_PROBE_LEN 12u /* magic, version, header_len: the same in every version */
#define HDR_CRC_LEN 4u
#define HDR_MIN (HDR_HELLO + 1u + HDR_CRC_LEN)

#define REC_PREFIX_LEN 5u /* host_ms u32, origin u8 */
#define REC_CRC_LEN 4u
#define REC_RAW_MIN (REC_PREFIX_LEN + NP_FRAME_HEADER_LEN + NP_FRAME_CRC_LEN + REC_CRC_LEN)

/* Big enough to batch a second of a fast device; small enough to never matter. */
#define WRITE_BUF 65536u
#define READ_BUF 65536u
#define FLUSH_EVERY_MS 1000u

struct np_rec_writer {
	int fd;
	char *path;
	char *tmp_path;
	enum np_rec_commit commit;
	bool renamed;
	bool direct;   /* writing straight into a device or FIFO (np_outfile_is_special) */
	int err;       /* first error, sticky */
	int err_errno;
	bool have_flush_ms;
	uint32_t flush_ms; /* host_ms of the last flush */
	size_t fill;
	uint8_t buf[WRITE_BUF];
};

struct np_rec_reader {
	int fd;                /* -1 when reading from memory */
	const uint8_t *in;     /* unread input: io[] for files, the caller's bytes for memory */
	size_t in_len;
	bool eof;
	size_t fill;           /* bytes of the current record in rec[] */
	uint64_t pending;      /* bytes since the last delimiter, kept or not */
	bool overflow;         /* record longer than NP_REC_RECORD_WIRE_MAX: skip to 0x00 */
	struct np_seq_tracker seq;
	struct np_rec_stats stats;
	uint8_t rec[NP_REC_RECORD_WIRE_MAX];
	uint8_t raw[NP_REC_RECORD_WIRE_MAX];
	uint8_t io[READ_BUF];
};

static void sat_inc(uint32_t *c)
{
	if (*c != UINT32_MAX)
		(*c)++;
}

/* ---- header ---- */

static int header_encode(const struct np_rec_header *h, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t hello_len, src_len, n;
	int rc;

	if (cap < HDR_MIN)
		return NP_ERR_NOSPACE;
	rc = np_hello_encode(&h->hello, out + HDR_HELLO, cap - HDR_HELLO, &hello_len);
	if (rc != NP_OK)
		return rc;
	src_len = strnlen(h->source, sizeof h->source - 1);
	n = HDR_HELLO + hello_len + 1u + src_len + HDR_CRC_LEN;
	if (n > cap || n > NP_REC_HEADER_MAX)
		return NP_ERR_NOSPACE;
	memcpy(out, NP_REC_MAGIC, NP_REC_MAGIC_LEN);
	np_put_le16(out + HDR_VERSION, NP_REC_VERSION);
	np_put_le16(out + HDR_LEN, (uint16_t)n);
	np_put_le16(out + HDR_FLAGS, h->flags);
	np_put_le16(out + HDR_RESERVED, 0);
	np_put_le64(out + HDR_CREATED, (uint64_t)h->created_utc_ms);
	np_put_le16(out + HDR_HELLO_LEN, (uint16_t)hello_len);
	out[HDR_HELLO + hello_len] = (uint8_t)src_len;
	memcpy(out + HDR_HELLO + hello_len + 1u, h->source, src_len);
	np_put_le32(out + n - HDR_CRC_LEN, np_crc32c(out, n - HDR_CRC_LEN));
	*out_len = n;
	return NP_OK;
}

/* Parse a complete header of len bytes whose prefix was already checked. */
static int header_decode(const uint8_t *p, size_t len, struct np_rec_header *h)
{
	size_t hello_len, src_off, src_len;

	if (np_crc32c(p, len - HDR_CRC_LEN) != np_get_le32(p + len - HDR_CRC_LEN))
		return NP_ERR_FORMAT;
	hello_len = np_get_le16(p + HDR_HELLO_LEN);
	src_off = HDR_HELLO + hello_len + 1u;
	if (src_off > len - HDR_CRC_LEN)
		return NP_ERR_FORMAT;
	src_len = p[src_off - 1u];
	/* Bytes after the source text are reserved for later additions that do
	   not need a new version: a version 1 reader skips them. */
	if (src_len >= sizeof h->source || src_off + src_len > len - HDR_CRC_LEN)
		return NP_ERR_FORMAT;
	if (np_hello_decode(p + HDR_HELLO, hello_len, &h->hello) != NP_OK)
		return NP_ERR_FORMAT;
	h->version = np_get_le16(p + HDR_VERSION);
	h->flags = np_get_le16(p + HDR_FLAGS);
	h->created_utc_ms = (int64_t)np_get_le64(p + HDR_CREATED);
	memcpy(h->source, p + src_off, src_len);
	h->source[src_len] = '\0';
	return NP_OK;
}

/*
 * Check magic, version and length of the fixed prefix (got bytes of it).
 * On NP_OK, *hdr_len is the header length to read.
 */
static int header_probe(const uint8_t *p, size_t got, size_t *hdr_len)
{
	uint16_t version, n;

	if (got == 0)
		return NP_ERR_FORMAT;
	if (memcmp(p, NP_REC_MAGIC, got < NP_REC_MAGIC_LEN ? got : NP_REC_MAGIC_LEN) != 0)
		return NP_ERR_FORMAT;
	if (got < HDR_PROBE_LEN)
		return NP_ERR_FORMAT;
	version = np_get_le16(p + HDR_VERSION);
	if (version == 0)
		return NP_ERR_FORMAT;
	if (version > NP_REC_VERSION)
		return NP_ERR_VERSION;
	n = np_get_le16(p + HDR_LEN);
	if (n < HDR_MIN || n > NP_REC_HEADER_MAX)
		return NP_ERR_FORMAT;
	*hdr_len = n;
	return NP_OK;
}

/* ---- writer ---- */

static int fail_io(struct np_rec_writer *w)
{
	if (w->err == NP_OK) {
		w->err = NP_ERR_IO;
		w->err_errno = errno;
	}
	errno = w->err_errno;
	return w->err;
}

static int write_all(struct np_rec_writer *w, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail_io(w);
		}
		if (n == 0) {
			errno = EIO;
			return fail_io(w);
		}
		p += n;
		len -= (size_t)n;
	}
	return NP_OK;
}

static int drain(struct np_rec_writer *w)
{
	int rc;

	if (w->err != NP_OK) {
		errno = w->err_errno;
		return w->err;
	}
	rc = write_all(w, w->buf, w->fill);
	w->fill = 0;
	return rc;
}

static int sync_fd(struct np_rec_writer *w)
{
	if (fsync(w->fd) != 0 && errno != EINVAL && errno != EROFS)
		return fail_io(w);
	return NP_OK;
}

static int commit_rename(struct np_rec_writer *w)
{
	if (rename(w->tmp_path, w->path) != 0)
		return fail_io(w);
	w->renamed = true;
	np_outfile_sync_dir(w->path);
	return NP_OK;
}

static void writer_free(struct np_rec_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w->tmp_path);
	free(w);
}

int np_rec_writer_open(struct np_rec_writer **wp, const char *path, const struct np_rec_header *h,
		       enum np_rec_commit commit)
{
	uint8_t hdr[NP_REC_HEADER_MAX];
	struct np_rec_writer *w;
	size_t hdr_len;
	int rc, e;

	if (wp)
		*wp = NULL;
	if (!wp || !path || !*path || !h ||
	    (commit != NP_REC_COMMIT_AT_OPEN && commit != NP_REC_COMMIT_AT_CLOSE))
		return NP_ERR_ARG;
	rc = header_encode(h, hdr, sizeof hdr, &hdr_len);
	if (rc != NP_OK)
		return NP_ERR_ARG;
	w = calloc(1, sizeof *w);
	if (!w)
		return NP_ERR_NOMEM;
	w->fd = -1;
	w->commit = commit;
	w->path = strdup(path);
	if (!w->path) {
		writer_free(w);
		return NP_ERR_NOMEM;
	}
	if (np_outfile_is_special(path)) {
		/* /dev/null, a FIFO: renaming over it would replace it, so write
		   straight into it; there is nothing to rename or remove later. */
		w->fd = open(path, O_WRONLY | O_CLOEXEC);
		w->renamed = true;
		w->direct = true;
	} else {
		/* The usual mode (0666 less the umask), like every other output. */
		w->tmp_path = np_outfile_tmp_create(path, &w->fd);
	}
	if (w->fd < 0) {
		e = errno;
		writer_free(w);
		errno = e;
		return e == ENOMEM ? NP_ERR_NOMEM : NP_ERR_IO;
	}
	rc = write_all(w, hdr, hdr_len);
	if (rc == NP_OK && commit == NP_REC_COMMIT_AT_OPEN && !w->direct) {
		/* The header must be on disk before the name appears, so the name
		   never points at a file a reader would reject. */
		rc = sync_fd(w);
		if (rc == NP_OK)
			rc = commit_rename(w);
	}
	if (rc != NP_OK) {
		e = errno;
		if (!w->direct)
			unlink(w->tmp_path);
		writer_free(w);
		errno = e;
		return rc;
	}
	*wp = w;
	return NP_OK;
}

const char *np_rec_writer_tmp_path(const struct np_rec_writer *w)
{
	return w && !w->renamed && !w->direct ? w->tmp_path : NULL;
}

int np_rec_writer_append(struct np_rec_writer *w, uint32_t host_ms, uint8_t origin,
			 const struct np_frame *f)
{
	uint8_t prefix[REC_PREFIX_LEN], fhdr[NP_FRAME_HEADER_LEN], fcrc[NP_FRAME_CRC_LEN];
	uint8_t rcrc[REC_CRC_LEN];
	struct np_cobs_writer cw;
	uint32_t crc;
	size_t enc;
	int rc;

	if (!w || !f || (f->len > 0 && !f->payload))
		return NP_ERR_ARG;
	if (f->len > NP_PAYLOAD_MAX)
		return NP_ERR_RANGE;
	if (w->err != NP_OK) {
		errno = w->err_errno;
		return w->err;
	}
	if (WRITE_BUF - w->fill < NP_REC_RECORD_WIRE_MAX) {
		rc = drain(w);
		if (rc != NP_OK)
			return rc;
	}
	np_put_le32(prefix, host_ms);
	prefix[4] = origin;
	fhdr[0] = f->type;
	np_put_le16(fhdr + 1, f->seq);
	np_put_le16(fhdr + 3, f->len);
	np_put_le32(fcrc, np_crc32c_update(np_crc32c(fhdr, sizeof fhdr), f->payload, f->len));
	crc = np_crc32c(prefix, sizeof prefix);
	crc = np_crc32c_update(crc, fhdr, sizeof fhdr);
	crc = np_crc32c_update(crc, f->payload, f->len);
	crc = np_crc32c_update(crc, fcrc, sizeof fcrc);
	np_put_le32(rcrc, crc);

	np_cobs_writer_init(&cw, w->buf + w->fill, WRITE_BUF - w->fill - 1u);
	np_cobs_writer_put(&cw, prefix, sizeof prefix);
	np_cobs_writer_put(&cw, fhdr, sizeof fhdr);
	np_cobs_writer_put(&cw, f->payload, f->len);
	np_cobs_writer_put(&cw, fcrc, sizeof fcrc);
	np_cobs_writer_put(&cw, rcrc, sizeof rcrc);
	rc = np_cobs_writer_finish(&cw, &enc);
	if (rc != NP_OK)
		return rc; /* cannot happen: room for the largest record was made above */
	w->fill += enc;
	w->buf[w->fill++] = 0;

	if (!w->have_flush_ms) {
		w->have_flush_ms = true;
		w->flush_ms = host_ms;
	}
	if ((uint32_t)(host_ms - w->flush_ms) >= FLUSH_EVERY_MS) {
		w->flush_ms = host_ms;
		rc = drain(w);
		/* A live recording is visible under its name: put each second on
		   disk, not only in the page cache, so a power cut loses at most it. */
		if (rc == NP_OK && w->renamed)
			rc = sync_fd(w);
		return rc;
	}
	return NP_OK;
}

int np_rec_writer_flush(struct np_rec_writer *w)
{
	int rc;

	if (!w)
		return NP_ERR_ARG;
	rc = drain(w);
	if (rc == NP_OK)
		rc = sync_fd(w);
	return rc;
}

int np_rec_writer_close(struct np_rec_writer *w)
{
	int rc, e;

	if (!w)
		return NP_ERR_ARG;
	np_rec_writer_flush(w);
	if (close(w->fd) != 0)
		fail_io(w);
	w->fd = -1;
	if (w->err == NP_OK && !w->renamed)
		commit_rename(w);
	rc = w->err;
	e = w->err_errno;
	/* A failed import must not leave a file; a failed live recording keeps
	   what reached the disk, which a reader takes up to the last good record. */
	if (rc != NP_OK && !w->renamed)
		unlink(w->tmp_path);
	writer_free(w);
	if (rc != NP_OK)
		errno = e;
	return rc;
}

void np_rec_writer_abort(struct np_rec_writer *w)
{
	if (!w)
		return;
	if (!w->direct)
		unlink(w->renamed ? w->path : w->tmp_path);
	writer_free(w);
}

/* ---- reader ---- */

/* Make more input available. Returns NP_OK (maybe with r->eof set) or NP_ERR_IO. */
static int refill(struct np_rec_reader *r)
{
	ssize_t n;

	if (r->fd < 0) {
		r->eof = true;
		return NP_OK;
	}
	do
		n = read(r->fd, r->io, sizeof r->io);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return NP_ERR_IO;
	if (n == 0)
		r->eof = true;
	r->in = r->io;
	r->in_len = (size_t)n;
	return NP_OK;
}

/* Read up to len bytes (fewer only at the end of input). */
static int read_some(struct np_rec_reader *r, uint8_t *dst, size_t len, size_t *got)
{
	*got = 0;
	while (*got < len) {
		size_t n;

		if (r->in_len == 0) {
			if (r->eof)
				return NP_OK;
			if (refill(r) != NP_OK)
				return NP_ERR_IO;
			continue;
		}
		n = len - *got < r->in_len ? len - *got : r->in_len;
		memcpy(dst + *got, r->in, n);
		r->in += n;
		r->in_len -= n;
		*got += n;
	}
	return NP_OK;
}

static int read_header(struct np_rec_reader *r, struct np_rec_header *h)
{
	uint8_t buf[NP_REC_HEADER_MAX];
	size_t got, more, hdr_len = 0;
	int rc;

	if (read_some(r, buf, HDR_PROBE_LEN, &got) != NP_OK)
		return NP_ERR_IO;
	rc = header_probe(buf, got, &hdr_len);
	if (rc != NP_OK)
		return rc;
	if (read_some(r, buf + HDR_PROBE_LEN, hdr_len - HDR_PROBE_LEN, &more) != NP_OK)
		return NP_ERR_IO;
	if (more != hdr_len - HDR_PROBE_LEN)
		return NP_ERR_FORMAT;
	return header_decode(buf, hdr_len, h);
}

static int reader_start(struct np_rec_reader *r, struct np_rec_reader **rp, struct np_rec_header *h)
{
	struct np_rec_header tmp;
	int rc;

	np_seq_tracker_init(&r->seq);
	memset(&tmp, 0, sizeof tmp);
	rc = read_header(r, &tmp);
	if (rc != NP_OK) {
		int e = errno;
		np_rec_reader_close(r);
		errno = e;
		return rc;
	}
	if (h)
		*h = tmp;
	*rp = r;
	return NP_OK;
}

int np_rec_reader_open(struct np_rec_reader **rp, const char *path, struct np_rec_header *h)
{
	struct np_rec_reader *r;
	struct stat st;
	int e;

	if (rp)
		*rp = NULL;
	if (h)
		memset(h, 0, sizeof *h);
	if (!rp || !path)
		return NP_ERR_ARG;
	r = calloc(1, sizeof *r);
	if (!r)
		return NP_ERR_NOMEM;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		e = errno;
		np_rec_reader_close(r);
		errno = e;
		return NP_ERR_IO;
	}
	if (S_ISDIR(st.st_mode)) {
		np_rec_reader_close(r);
		errno = EISDIR;
		return NP_ERR_IO;
	}
	return reader_start(r, rp, h);
}

int np_rec_reader_open_mem(struct np_rec_reader **rp, const uint8_t *data, size_t len,
			   struct np_rec_header *h)
{
	struct np_rec_reader *r;

	if (rp)
		*rp = NULL;
	if (h)
		memset(h, 0, sizeof *h);
	if (!rp || (!data && len > 0))
		return NP_ERR_ARG;
	r = calloc(1, sizeof *r);
	if (!r)
		return NP_ERR_NOMEM;
	r->fd = -1;
	r->in = data;
	r->in_len = len;
	r->eof = true;
	return reader_start(r, rp, h);
}

/* Read the fixed prefix of path into buf; true when it is whole and starts with the magic. */
static bool probe_prefix(const char *path, uint8_t buf[HDR_PROBE_LEN])
{
	size_t got = 0;
	ssize_t n;
	int fd;

	if (!path)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (got < HDR_PROBE_LEN) {
		n = read(fd, buf + got, HDR_PROBE_LEN - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got == HDR_PROBE_LEN && memcmp(buf, NP_REC_MAGIC, NP_REC_MAGIC_LEN) == 0;
}

uint16_t np_rec_reader_version_seen(const char *path)
{
	uint8_t buf[HDR_PROBE_LEN];

	return probe_prefix(path, buf) ? np_get_le16(buf + HDR_VERSION) : 0;
}

bool np_rec_reader_magic_seen(const char *path)
{
	uint8_t buf[HDR_PROBE_LEN];

	return probe_prefix(path, buf);
}

/* Check one record (r->rec[0..fill), delimiter excluded). */
static bool parse_record(struct np_rec_reader *r, size_t fill, struct np_rec_entry *e)
{
	size_t len;

	if (np_cobs_decode(r->rec, fill, r->raw, sizeof r->raw, &len) != NP_OK)
		return false;
	if (len < REC_RAW_MIN)
		return false;
	if (np_crc32c(r->raw, len - REC_CRC_LEN) != np_get_le32(r->raw + len - REC_CRC_LEN))
		return false;
	if (np_frame_parse_raw(r->raw + REC_PREFIX_LEN, len - REC_PREFIX_LEN - REC_CRC_LEN,
			       &e->frame) != NP_OK)
		return false;
	e->host_ms = np_get_le32(r->raw);
	e->origin = r->raw[4];
	return true;
}

/*
 * A record just ended at a delimiter. Returns true when it should be delivered;
 * corrupt records and duplicate device frames are counted and skipped.
 */
static bool finish_record(struct np_rec_reader *r, struct np_rec_entry *e)
{
	bool overflow = r->overflow;
	size_t fill = r->fill;

	r->fill = 0;
	r->overflow = false;
	r->pending = 0;
	if (fill == 0 && !overflow)
		return false; /* back-to-back delimiters carry nothing */
	if (overflow || !parse_record(r, fill, e)) {
		r->stats.corrupt_records++;
		return false;
	}
	if (e->origin == NP_ORIGIN_DEVICE) {
		if (!np_seq_tracker_check(&r->seq, e->frame.type, e->frame.seq, &r->stats.device))
			return false;
		sat_inc(&r->stats.device.frames_ok);
	}
	r->stats.records++;
	return true;
}

int np_rec_reader_next(struct np_rec_reader *r, struct np_rec_entry *e)
{
	if (!r || !e)
		return NP_ERR_ARG;
	for (;;) {
		const uint8_t *z;
		size_t n;

		if (r->in_len == 0) {
			if (r->eof) {
				/* Whatever follows the last delimiter is a record the
				   writer never finished: the end, not damage. */
				r->stats.torn_tail_bytes += r->pending;
				r->pending = 0;
				r->fill = 0;
				r->overflow = false;
				return NP_ERR_EOF;
			}
			if (refill(r) != NP_OK)
				return NP_ERR_IO;
			continue;
		}
		z = memchr(r->in, 0, r->in_len);
		n = z ? (size_t)(z - r->in) : r->in_len;
		if (!r->overflow && n <= sizeof r->rec - r->fill) {
			memcpy(r->rec + r->fill, r->in, n);
			r->fill += n;
		} else {
			r->overflow = true;
			r->fill = 0;
		}
		r->pending += n;
		r->in += n;
		r->in_len -= n;
		if (!z)
			continue;
		r->in++;
		r->in_len--;
		if (finish_record(r, e))
			return NP_OK;
	}
}

const struct np_rec_stats *np_rec_reader_stats(const struct np_rec_reader *r)
{
	return &r->stats;
}

void np_rec_reader_close(struct np_rec_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

/* 10000-01-01T00:00:00Z in Unix milliseconds: later creation times are damage. */
#define REC_LAST_UTC_MS 253402300800000LL

bool np_rec_created_known(int64_t created_utc_ms)
{
	return created_utc_ms > 0 && created_utc_ms < REC_LAST_UTC_MS;
}
