/*
 * Fuzz target for the generic csv importer (host/lib/import/np_import_csv.c, np_imp.c,
 * np_text.c, libcsv). The first input byte picks the options: bit 0 a fixed rate (no
 * time column), bits 1-2 the scale (g, mg, counts at 256 per g, m/s^2). The rest is
 * the file. Invariants: fuzz_import.h.
 */
#include <stdint.h>

#include "fuzz_import.h"
#include "np_importers.h"

static void set_opts(uint8_t sel, struct np_import_opts *o)
{
	o->rate_hz = sel & 1 ? 25.0 : 0.0;
	o->scale = (enum np_import_scale)((sel >> 1) & 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, np_import_csv, set_opts);
	return 0;
}
