/*
 * Fuzz target for the UCI HAPT importer with its labels file
 * (host/lib/import/np_import_hapt.c). The input is the data file, a NUL byte, then
 * labels.txt (no NUL: no labels), for experiment 41 (the shared options' file name
 * is the spc pattern, which names no experiment). Invariants: fuzz_import.h.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_import.h"
#include "np_importers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_import_opts o;
	struct np_rec_data d;
	struct np_import_error err;
	struct np_text in, labels_in;
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t len = nul ? (size_t)(nul - text) : size;
	const char *labels = nul ? nul + 1 : "";
	size_t labels_len = nul ? size - len - 1 : 0;

	fuzz_import_opts(&o);
	o.hapt_experiment = 41;
	np_text_init(&in, text, len);
	np_text_init(&labels_in, labels, labels_len);
	int rc = np_import_hapt(&in, &labels_in, &o, &d, &err);
	fuzz_import_check(rc, &d, &err, text, len, labels, labels_len);
	return 0;
}
