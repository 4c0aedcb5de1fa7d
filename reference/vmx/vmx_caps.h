/* What this processor's VMX offers, read once at bring-up. */
#ifndef HV_VMX_CAPS_H
#define HV_VMX_CAPS_H
#include <stdint.h>

struct vmx_caps {
	uint32_t revision;
	uint64_t pin, proc, proc2, exit, entry;   /* capability MSRs (TRUE ones when offered) */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;
	uint64_t misc;                            /* IA32_VMX_MISC (A.6) */
	unsigned phys_addr_bits;
};

/* Fills caps, or returns the name of the first missing feature
 * (contract section 4). Never touches an MSR the CPU does not report. */
const char *vmx_caps_probe(struct vmx_caps *caps);

/* A control value with the required bits set and unsupported wanted bits
 * reported: returns 0 and stores the value, or -1 if a wanted bit is not
 * allowed (A.3: allowed-0 settings in bits 31:0, allowed-1 in bits 63:32). */
int vmx_adjust_controls(uint64_t cap_msr, uint32_t wanted, uint32_t *out);

#endif
