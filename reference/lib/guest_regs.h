/* Guest general-purpose registers as the VM-exit stub saves them. */
#ifndef HV_GUEST_REGS_H
#define HV_GUEST_REGS_H
#include <stdint.h>

/* Indexed by the x86 register encoding (ModRM.reg/rm with REX extension,
 * SDM vol. 2 section 2.1.5), so instruction decoders index this array
 * directly. gpr[GPR_RSP] mirrors the VMCS guest RSP field. */
enum gpr_index {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	GPR_COUNT
};

struct guest_regs {
	uint64_t gpr[GPR_COUNT];
};

#endif
