/* Fixture: no cycle, but only when "util.h" resolves to the file beside its includer. */
#include "other.h"
