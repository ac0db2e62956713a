/* The import entry point: format names, options, and the dispatcher that reads a
 * file and hands it to its importer (np_importers.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np_civil.h"
#include "np_err.h"
#include "np_importers.h"
#include "np_rec_data.h"
#include "np_text.h"

static const char *const format_names[] = { "csv", "spc", "uci-ar", "hapt" };

int np_import_format_parse(const char *name, enum np_import_format *f)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
		if (name && strcmp(name, format_names[i]) == 0) {
			*f = (enum np_import_format)i;
			return NP_OK;
		}
	}
	return NP_ERR_ARG;
}

const char *np_import_format_name(enum np_import_format f)
{
	return (unsigned)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "?";
}

void np_import_opts_default(struct np_import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->scale = NP_SCALE_G;
	o->start_utc_ms = NP_IMPORT_NO_START;
}

int np_import_parse_utc(const char *s, int64_t *utc_ms)
{
	unsigned v[6];
	char sep;
	int used = 0;
	if (!s || sscanf(s, "%4u-%2u-%2u%c%2u:%2u:%2u%n", &v[0], &v[1], &v[2], &sep, &v[3], &v[4],
			 &v[5], &used) != 7 ||
	    (sep != 'T' && sep != ' ') || !np_civil_valid(v))
		return NP_ERR_FORMAT;
	if (s[used] == 'Z')
		used++;
	if (s[used] != '\0')
		return NP_ERR_FORMAT;
	*utc_ms = np_civil_ms(v);
	return NP_OK;
}

int np_import_file(enum np_import_format fmt, const char *path, const char *labels_path,
		   const struct np_import_opts *o, struct np_rec_data *d,
		   struct np_import_error *err)
{
	struct np_import_opts opts = *o;
	char *buf = NULL, *labels = NULL;
	size_t len = 0, labels_len = 0;
	int rc;

	np_rec_data_init(d);
	memset(err, 0, sizeof *err);
	if (!opts.name)
		opts.name = path;
	err->file = path;
	rc = np_text_read_file(path, &buf, &len);
	if (rc == NP_OK && fmt == NP_IMPORT_HAPT) {
		if (!labels_path) {
			snprintf(err->why, sizeof err->why, "hapt needs --labels labels.txt");
			free(buf);
			return NP_ERR_ARG;
		}
		err->file = labels_path;
		rc = np_text_read_file(labels_path, &labels, &labels_len);
		if (rc == NP_OK)
			err->file = path;
	}
	if (rc != NP_OK) {
		int e = errno;
		snprintf(err->why, sizeof err->why, "%s",
			 rc == NP_ERR_IO ? strerror(e) : np_strerror(rc));
		free(buf);
		errno = e;
		return rc;
	}
	switch (fmt) {
	case NP_IMPORT_CSV:
		rc = np_import_csv(buf, len, &opts, d, err);
		break;
	case NP_IMPORT_SPC:
		rc = np_import_spc(buf, len, &opts, d, err);
		break;
	case NP_IMPORT_UCI_AR:
		rc = np_import_uci_ar(buf, len, &opts, d, err);
		break;
	case NP_IMPORT_HAPT:
		rc = np_import_hapt(buf, len, labels, labels_len, &opts, d, err);
		break;
	default:
		rc = NP_ERR_ARG;
		break;
	}
	/* The parsers clear err; say which file a failure is about. */
	err->file = err->in_labels ? labels_path : path;
	free(buf);
	free(labels);
	return rc;
}
