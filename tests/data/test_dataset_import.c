/*
 * Every file of every public dataset in ../shared/datasets (NP_SHARED_DATASETS,
 * described by its README.md) imports with its importer and reads back with one
 * sample per data row; the files no importer is for are refused or listed here,
 * so a file added to the folder fails this test until someone decides which it is.
 * Skipped when the shared folder is absent (a plain clone).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "np_err.h"
#include "np_import.h"
#include "np_night.h"
#include "np_rec_data.h"
#include "rec_fixture.h"

/* One folder of a dataset: which files (name prefix and suffix), how to read them. */
struct dataset {
	const char *dir, *prefix, *suffix;
	enum np_import_format fmt;
	unsigned header_lines;
	size_t min_files;
};

static const struct dataset datasets[] = {
	{ "sleep-position-classification", "", ".csv", NP_IMPORT_SPC, 1, 5 },
	{ "uci-older-people-rfid/S1_Dataset", "d", "", NP_IMPORT_UCI_AR, 0, 60 },
	{ "uci-older-people-rfid/S2_Dataset", "d", "", NP_IMPORT_UCI_AR, 0, 0 },
	{ "uci-hapt/data_pl5", "acc_", ".txt", NP_IMPORT_HAPT, 0, 5 },
	{ "research-devices", "ax3_testfile_unix", ".csv", NP_IMPORT_CSV, 0, 1 },
};

#define HAPT_LABELS NP_SHARED_DATASETS "/uci-hapt/data_labels/labels.txt"

/* Data rows: lines that are not blank, less the header. */
static size_t count_rows(const char *path, unsigned header_lines)
{
	FILE *fp = fopen(path, "rb");
	size_t rows = 0;
	int c, prev = '\n';
	bool blank = true;
	assert_non_null(fp);
	while ((c = getc(fp)) != EOF) {
		if (c == '\n') {
			rows += !blank;
			blank = true;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			blank = false;
		}
		prev = c;
	}
	rows += !blank && prev != '\n';
	fclose(fp);
	return rows - header_lines;
}

static bool wanted(const struct dataset *ds, const char *name)
{
	size_t n = strlen(name), p = strlen(ds->prefix), s = strlen(ds->suffix);
	return n > p + s && strncmp(name, ds->prefix, p) == 0 &&
	       strcmp(name + n - s, ds->suffix) == 0 && strcmp(name, "README.txt") != 0;
}

static void import_and_read_back(const struct dataset *ds, const char *path, const char *out)
{
	struct np_import_opts o;
	struct np_import_error err;
	struct np_rec_data d;
	struct np_night n;

	np_import_opts_default(&o);
	int rc = np_import_file(ds->fmt, path, ds->fmt == NP_IMPORT_HAPT ? HAPT_LABELS : NULL, &o,
				&d, &err);
	if (rc != NP_OK)
		fail_msg("%s:%lu: column %u: %s", err.file, err.line, err.column, err.why);
	assert_int_equal(np_rec_data_write(&d, out, NULL), NP_OK);
	np_rec_data_free(&d);
	assert_int_equal(np_night_load(out, &n), NP_OK);
	size_t rows = count_rows(path, ds->header_lines);
	if (n.sensor[0].n != rows)
		fail_msg("%s: %zu samples read back, %zu rows", path, n.sensor[0].n, rows);
	np_night_free(&n);
}

static void every_dataset_file_imports(void **state)
{
	(void)state;
	char path[4096], out[4096];
	char *dir = fx_tmpdir();

	if (access(NP_SHARED_DATASETS "/README.md", R_OK) != 0)
		skip();
	fx_path(out, sizeof out, dir, "night.npr");
	for (size_t k = 0; k < sizeof datasets / sizeof datasets[0]; k++) {
		const struct dataset *ds = &datasets[k];
		snprintf(path, sizeof path, "%s/%s", NP_SHARED_DATASETS, ds->dir);
		DIR *dp = opendir(path);
		if (!dp && ds->min_files == 0)
			continue; /* S2 is not in every copy of the folder */
		assert_non_null(dp);
		size_t files = 0;
		struct dirent *e;
		while ((e = readdir(dp)) != NULL) {
			if (!wanted(ds, e->d_name))
				continue;
			snprintf(path, sizeof path, "%s/%s/%s", NP_SHARED_DATASETS, ds->dir, e->d_name);
			import_and_read_back(ds, path, out);
			files++;
		}
		closedir(dp);
		print_message("%s: %zu files\n", ds->dir, files);
		assert_true(files >= ds->min_files);
	}
	unlink(out);
	fx_rmdir(dir);
	free(dir);
}

/* The research-devices folder: what is not imported is refused with a reason, or
 * named here as having no importer yet; nothing in it goes unaccounted for. */
static void research_device_files_are_accounted_for(void **state)
{
	(void)state;
	static const char *const refused[] = { "ActiGraph13.csv", "ActiGraph13_timestamps_headers.csv",
					       "ActiGraph61.csv" };
	/* Binary formats (Axivity .cwa, GENEActiv .bin) and ISO local times with a
	 * gyroscope: no importer for them yet (datasets/IMPORT.md). */
	static const char *const unsupported[] = { "ax3_testfile.cwa", "ax6_testfile.cwa",
						   "GENEActiv_testfile.bin",
						   "ax6_testfile_formatted_timestamps.csv" };
	char path[4096];

	snprintf(path, sizeof path, "%s/research-devices", NP_SHARED_DATASETS);
	DIR *dp = opendir(path);
	if (!dp)
		skip();
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		bool known = e->d_name[0] == '.' || wanted(&datasets[4], e->d_name);
		for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
			known = known || strcmp(e->d_name, unsupported[i]) == 0;
		for (size_t i = 0; !known && i < sizeof refused / sizeof refused[0]; i++) {
			struct np_import_opts o;
			struct np_import_error err;
			struct np_rec_data d;
			if (strcmp(e->d_name, refused[i]) != 0)
				continue;
			snprintf(path, sizeof path, "%s/research-devices/%s", NP_SHARED_DATASETS,
				 e->d_name);
			np_import_opts_default(&o);
			/* Activity counts, not g: never read as g (the folder's README). */
			assert_int_equal(np_import_file(NP_IMPORT_CSV, path, NULL, &o, &d, &err),
					 NP_ERR_FORMAT);
			assert_non_null(strstr(err.why, "activity counts"));
			known = true;
		}
		if (!known)
			fail_msg("research-devices/%s: new file: import it or list it here", e->d_name);
	}
	closedir(dp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_dataset_file_imports),
		cmocka_unit_test(research_device_files_are_accounted_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
