/*
 * Fuzz target for the sleep-position-classification importer
 * (host/lib/import/np_import_spc.c, with libcsv). The first input byte picks the
 * rate: bit 0 set, 2 Hz; else the default 1 Hz. The rest is the file. Invariants:
 * fuzz_import.h.
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

	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	fuzz_import_opts(&o);
	o.rate_hz = data[0] & 1 ? 2.0 : 0.0;
	np_text_init(&in, text, len);
	int rc = np_import_spc(&in, &o, &d, &err);
	fuzz_import_check(rc, &d, &err, text, len, NULL, 0);
	return 0;
}
