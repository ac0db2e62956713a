/*
 * Fuzz target for the sleep-position-classification importer
 * (host/lib/import/np_import_spc.c, with libcsv). The first input byte picks the
 * rate: bit 0 set, 2 Hz; else the default 1 Hz. The rest is the file. Invariants:
 * fuzz_import.h.
 */
#include <stdint.h>

#include "fuzz_import.h"
#include "np_importers.h"

static void set_opts(uint8_t sel, struct np_import_opts *o)
{
	o->rate_hz = sel & 1 ? 2.0 : 0.0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, np_import_spc, set_opts);
	return 0;
}
