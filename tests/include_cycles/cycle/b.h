#include <stdint.h>
/* #include "a.h" (commented out: no edge) */
#include "c.h"
