/*
 * Fuzz target for the UCI older-people importer (host/lib/import/np_import_uci.c:
 * irregular times, repeated and decreasing ones kept). The input is the file.
 * Invariants: fuzz_import.h.
 */
#include <stdint.h>

#include "fuzz_import.h"
#include "np_importers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_import_opts o;
	struct np_rec_data d;
	struct np_import_error err;
	struct np_text in;
	const char *text = (const char *)data;

	fuzz_import_opts(&o);
	np_text_init(&in, text, size);
	int rc = np_import_uci_ar(&in, &o, &d, &err);
	fuzz_import_check(rc, &d, &err, text, size, NULL, 0);
	return 0;
}
