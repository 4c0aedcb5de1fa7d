/* The hypervisor's own command line (contract section 1). */
#ifndef HV_OPTIONS_H
#define HV_OPTIONS_H
#include <stdbool.h>
#include <stdint.h>

#define HV_GUEST_RAM_DEFAULT (64ull << 20)
#define HV_GUEST_RAM_MIN     (4ull << 20)
#define HV_GUEST_RAM_MAX     (1ull << 30)
#define HV_GUEST_RAM_ALIGN   (2ull << 20)   /* one 2 MiB EPT page (SDM 29.3.2) */

/* Faults the suite injects into the reference to check its own reporting
 * (contract section 1): never set in normal runs. */
enum hv_inject {
	HV_INJECT_NONE,
	HV_INJECT_BAD_GUEST_STATE,   /* VM entry fails with exit reason 33 */
	HV_INJECT_BAD_CONTROLS,      /* VMLAUNCH fails with VMfailValid */
};

struct hv_options {
	uint64_t guest_ram;
	enum hv_inject inject;
	bool apic;   /* apic=x2apic: the guest's local APIC (contract section 11) */
	bool intercept_pf;   /* intercept=pf: guest page faults exit and are re-injected (contract section 12) */
	bool platform_pc;   /* platform=pc: the legacy PC devices of contract section 15 */
};

/* Returns 0 on success; else copies the offending option into bad (NUL-terminated). */
int hv_options_parse(const char *cmdline, struct hv_options *out, char *bad, unsigned bad_cap);

#endif
