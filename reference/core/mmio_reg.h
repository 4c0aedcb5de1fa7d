/* Byte-granular access to a device's 64-bit little-endian registers:
 * an access of `width` bytes at offset `off` sees bytes off%8 .. of the
 * register at off & ~7; bytes past the register read 0 and are dropped
 * on writes (contract section 9). */
#ifndef HV_MMIO_REG_H
#define HV_MMIO_REG_H
#include <stdint.h>

static inline uint64_t mmio_width_mask(unsigned width)
{
	return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

static inline uint64_t mmio_reg_read(uint64_t reg, uint64_t off, unsigned width)
{
	return (reg >> (8 * (off % 8))) & mmio_width_mask(width);
}

static inline void mmio_reg_write(uint64_t *reg, uint64_t off, unsigned width, uint64_t value)
{
	unsigned shift = 8 * (off % 8);
	uint64_t mask = mmio_width_mask(width) << shift;
	*reg = (*reg & ~mask) | ((value << shift) & mask);
}

#endif
