/* VMX instructions (SDM vol. 3 chapter 32). Each returns 0 on VMsucceed,
 * VMX_FAIL_INVALID or VMX_FAIL_VALID (31.2: CF or ZF set). */
#ifndef HV_VMX_INSN_H
#define HV_VMX_INSN_H
#include <stdint.h>

#define VMX_FAIL_INVALID 1
#define VMX_FAIL_VALID   2

#define VMX_STATUS_ASM "setc %b0; setz %b1"

static inline int vmx_status(uint8_t cf, uint8_t zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : 0;
}

static inline int vmxon(uint64_t pa)
{
	uint8_t cf, zf;
	__asm__ volatile("vmxon %2; " VMX_STATUS_ASM : "=q"(cf), "=q"(zf) : "m"(pa) : "cc", "memory");
	return vmx_status(cf, zf);
}

static inline int vmclear(uint64_t pa)
{
	uint8_t cf, zf;
	__asm__ volatile("vmclear %2; " VMX_STATUS_ASM : "=q"(cf), "=q"(zf) : "m"(pa) : "cc", "memory");
	return vmx_status(cf, zf);
}

static inline int vmptrld(uint64_t pa)
{
	uint8_t cf, zf;
	__asm__ volatile("vmptrld %2; " VMX_STATUS_ASM : "=q"(cf), "=q"(zf) : "m"(pa) : "cc", "memory");
	return vmx_status(cf, zf);
}

static inline uint64_t vmread(uint64_t field)
{
	uint64_t v;
	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static inline int vmwrite(uint64_t field, uint64_t v)
{
	uint8_t cf, zf;
	__asm__ volatile("vmwrite %3, %2; " VMX_STATUS_ASM : "=q"(cf), "=q"(zf) : "r"(field), "rm"(v) : "cc");
	return vmx_status(cf, zf);
}

/* INVEPT (SDM vol. 2 "INVEPT", vol. 3 29.4.3.1): type 1 single-context, type 2 all contexts. */
#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXTS   2
static inline void invept(uint64_t type, uint64_t eptp)
{
	struct { uint64_t eptp, zero; } desc = { eptp, 0 };
	__asm__ volatile("invept %0, %1" :: "m"(desc), "r"(type) : "cc", "memory");
}

#endif
