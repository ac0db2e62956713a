/* Explicit little-endian byte helpers: wire formats are never read by casting structs. */
#ifndef NIGHTPOSE_CORE_NP_BYTES_H
#define NIGHTPOSE_CORE_NP_BYTES_H

#include <stdint.h>

static inline uint16_t np_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)(p[1] << 8));
}

static inline uint32_t np_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t np_get_le64(const uint8_t *p)
{
	return (uint64_t)np_get_le32(p) | ((uint64_t)np_get_le32(p + 4) << 32);
}

static inline int16_t np_get_le16s(const uint8_t *p)
{
	uint16_t u = np_get_le16(p);
	return (int16_t)(u >= 0x8000u ? (int32_t)u - 0x10000 : (int32_t)u);
}

static inline void np_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void np_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void np_put_le64(uint8_t *p, uint64_t v)
{
	np_put_le32(p, (uint32_t)v);
	np_put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
