/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI and ext4. */
#ifndef NIGHTPOSE_CORE_NP_CRC32C_H
#define NIGHTPOSE_CORE_NP_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continue a CRC over more bytes. Start with crc = 0; the function applies the
 * initial and final inversion itself, so np_crc32c_update(np_crc32c_update(0, a), b)
 * equals the CRC of a followed by b. Check value: "123456789" -> 0xE3069283.
 */
uint32_t np_crc32c_update(uint32_t crc, const uint8_t *buf, size_t len);

static inline uint32_t np_crc32c(const uint8_t *buf, size_t len)
{
	return np_crc32c_update(0, buf, len);
}

#endif
