/*
 * Fuzz target for the generic csv importer (host/lib/import/np_import_csv.c, np_imp.c,
 * np_text.c, libcsv). The first input byte picks the options: bit 0 a fixed rate (no
 * time column), bits 1-2 the scale (g, mg, counts at 256 per g, m/s^2). The rest is
 * the file. Invariants: fuzz_import.h.
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
	o.rate_hz = data[0] & 1 ? 25.0 : 0.0;
	o.scale = (enum np_import_scale)((data[0] >> 1) & 3);
	np_text_init(&in, text, len);
	int rc = np_import_csv(&in, &o, &d, &err);
	fuzz_import_check(rc, &d, &err, text, len, NULL, 0);
	return 0;
}
