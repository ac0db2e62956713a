/* Fixture: a.h -> b.h -> c.h -> a.h, which include_cycles.py must report. */
#include "b.h"
