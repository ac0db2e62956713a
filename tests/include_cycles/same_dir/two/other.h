/* Resolved to two/util.h (same directory), not one/util.h, which would close a cycle. */
#include "util.h"
