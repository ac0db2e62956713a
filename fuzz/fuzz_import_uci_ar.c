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
	fuzz_import_one(data, size, np_import_uci_ar, NULL);
	return 0;
}
