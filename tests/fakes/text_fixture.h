/* Importer input from a C string, for the tests that call the parsers directly. */
#ifndef NIGHTPOSE_TESTS_FAKES_TEXT_FIXTURE_H
#define NIGHTPOSE_TESTS_FAKES_TEXT_FIXTURE_H

#include <string.h>

#include "np_text.h"

/* s read from memory through t (both must outlive the import). Returns t. */
static inline struct np_text *fx_text(struct np_text *t, const char *s)
{
	np_text_init(t, s, strlen(s));
	return t;
}

#endif
