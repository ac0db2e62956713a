/*
 * The one growable-array helper of the host library (internal: not installed).
 * Arrays are a pointer, a count and a capacity kept by the caller; this only
 * makes room, doubling, so that appending n elements costs O(n) in all.
 */
#ifndef NIGHTPOSE_HOST_FORMAT_NP_ARRAY_H
#define NIGHTPOSE_HOST_FORMAT_NP_ARRAY_H

#include <stddef.h>

/* First capacity of an empty array, in elements. */
#define NP_ARRAY_MIN 16u

/*
 * Make *v (an array of *cap elements of elem bytes, NULL when *cap is 0) hold at
 * least need elements. Returns NP_OK, or NP_ERR_NOMEM with *v and *cap unchanged
 * (the caller still owns and frees the old array).
 */
int np_array_reserve(void **v, size_t *cap, size_t need, size_t elem);

#endif
