#include <stdint.h>
#include <stdlib.h>

#include "np_array.h"
#include "np_err.h"

int np_array_reserve(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return NP_OK;
	size_t n = *cap ? *cap : NP_ARRAY_MIN;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return NP_ERR_NOMEM;
		n *= 2;
	}
	void *p = realloc(*v, n * elem);
	if (!p)
		return NP_ERR_NOMEM;
	*v = p;
	*cap = n;
	return NP_OK;
}
