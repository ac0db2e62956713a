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

/* Opens path for an import; on failure err says why. */
static int open_input(const char *path, FILE **fp, struct np_import_error *err)
{
	int rc = np_text_open(path, fp);
	err->file = path;
	if (rc == NP_ERR_UNSUPP)
		snprintf(err->why, sizeof err->why, "not a regular file or pipe");
	else if (rc != NP_OK)
		snprintf(err->why, sizeof err->why, "%s", strerror(errno));
	return rc;
}

int np_import_file(enum np_import_format fmt, const char *path, const char *labels_path,
		   const struct np_import_opts *o, struct np_rec_data *d,
		   struct np_import_error *err)
{
	struct np_import_opts opts = *o;
	struct np_text in, labels;
	FILE *fp = NULL, *labels_fp = NULL;
	char *buf = NULL, *labels_buf = NULL;
	int rc;

	np_rec_data_init(d);
	memset(err, 0, sizeof *err);
	if (!opts.name)
		opts.name = path;
	if (fmt == NP_IMPORT_HAPT && !labels_path) {
		err->file = path;
		snprintf(err->why, sizeof err->why, "hapt needs --labels labels.txt");
		return NP_ERR_ARG;
	}
	if ((rc = open_input(path, &fp, err)) != NP_OK ||
	    (labels_path && (rc = open_input(labels_path, &labels_fp, err)) != NP_OK))
		goto out;
	/* The caller owns the line buffers (np_text.h): one line of each file in memory. */
	buf = malloc(NP_TEXT_LINE_MAX + 1);
	labels_buf = labels_fp ? malloc(NP_TEXT_LINE_MAX + 1) : NULL;
	if (!buf || (labels_fp && !labels_buf)) {
		rc = NP_ERR_NOMEM;
		snprintf(err->why, sizeof err->why, "%s", np_strerror(rc));
		goto out;
	}
	np_text_init_stream(&in, fp, buf, NP_TEXT_LINE_MAX + 1);
	np_text_init_stream(&labels, labels_fp, labels_buf, NP_TEXT_LINE_MAX + 1);
	switch (fmt) {
	case NP_IMPORT_CSV:
		rc = np_import_csv(&in, &opts, d, err);
		break;
	case NP_IMPORT_SPC:
		rc = np_import_spc(&in, &opts, d, err);
		break;
	case NP_IMPORT_UCI_AR:
		rc = np_import_uci_ar(&in, &opts, d, err);
		break;
	case NP_IMPORT_HAPT:
		rc = np_import_hapt(&in, &labels, &opts, d, err);
		break;
	default:
		rc = NP_ERR_ARG;
		break;
	}
	/* The parsers clear err; say which file a failure is about. */
	err->file = err->in_labels ? labels_path : path;
out:;
	int e = errno;
	if (fp)
		fclose(fp);
	if (labels_fp)
		fclose(labels_fp);
	free(buf);
	free(labels_buf);
	errno = e;
	return rc;
}
