/* The legacy PC devices of `platform=pc` (contract section 15): one table of
 * port ranges, each owned by one device model. Without the option none of
 * them exists and section 6's port map applies unchanged. */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H
#include <stdbool.h>
#include <stdint.h>
#include "vm.h"

struct platform_ports {
	const char *device;
	uint16_t first, last;   /* inclusive */
	/* One access of width 1, 2 or 4 at port (first <= port <= last). */
	uint32_t (*in)(struct vcpu *v, uint16_t port, unsigned width);
	void (*out)(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);
};

/* With platform=pc, the device owning port handles the access: returns true
 * (and the value read, for platform_port_in). False: section 6 applies. */
bool platform_port_in(struct vcpu *v, uint16_t port, unsigned width, uint32_t *value);
bool platform_port_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);

/* A byte register read with an access of width bytes: the register in the
 * low byte, all-ones above (contract section 15 leaves wider accesses open). */
static inline uint32_t platform_byte_read(uint8_t reg, unsigned width)
{
	return width >= 4 ? 0xFFFFFF00u | reg : ((1u << (8 * width)) - 1) & (0xFFFFFF00u | reg);
}

#endif
