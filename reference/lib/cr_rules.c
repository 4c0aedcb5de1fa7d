/* Checks of control-register writes (cr_rules.h). */
#include "cr_rules.h"
#include "x86.h"

#define CR0_RESERVED_HIGH  0xFFFFFFFF00000000ull   /* SDM 2.5; vol. 2 MOV CR, 64-bit mode #GP */
#define CR4_PCIDE          (1ull << 17)            /* SDM 2.5 */
#define CR3_PCID_NOFLUSH   (1ull << 63)            /* SDM 4.10.4.1: not stored when CR4.PCIDE = 1 */

uint64_t cr_operand(const struct cr_context *c, uint64_t reg)
{
	return c->code64 ? reg : reg & 0xFFFFFFFFull;
}

bool cr0_write_ok(const struct cr_context *c, uint64_t value)
{
	if (value & CR0_RESERVED_HIGH)
		return false;
	if ((value & CR0_PG) && !(value & CR0_PE))
		return false;
	if ((value & CR0_NW) && !(value & CR0_CD))
		return false;
	/* Leaving long mode goes through compatibility mode (SDM 10.8.5.4; APM vol. 2 14.7). */
	if (c->code64 && !(value & CR0_PG))
		return false;
	/* Long mode needs PAE paging (SDM 10.8.5; APM vol. 2 14.6.1). */
	if ((value & CR0_PG) && !(c->cr0 & CR0_PG) && (c->efer & EFER_LME) && !(c->cr4 & CR4_PAE))
		return false;
	return true;
}

bool cr4_write_ok(const struct cr_context *c, uint64_t value)
{
	if (value & ~c->cr4_writable)
		return false;
	if ((c->efer & EFER_LMA) && !(value & CR4_PAE))
		return false;   /* SDM vol. 2 MOV CR: clearing PAE in IA-32e mode */
	return true;
}

bool cr3_write_ok(const struct cr_context *c, uint64_t value)
{
	if (!(c->efer & EFER_LMA))
		return true;    /* 32-bit operand: no bit above 31 to check */
	if (c->cr4 & CR4_PCIDE)
		value &= ~CR3_PCID_NOFLUSH;
	return c->phys_addr_bits >= 64 || !(value >> c->phys_addr_bits);
}

uint64_t cr0_stored(uint64_t value)
{
	return (value & CR0_DEFINED_BITS) | CR0_ET;
}

uint64_t cr0_after_clts(uint64_t cr0)
{
	return cr0 & ~CR0_TS;
}

uint64_t cr0_after_lmsw(uint64_t cr0, uint16_t msw)
{
	return (cr0 & ~(CR0_MSW_BITS & ~CR0_PE)) | (msw & CR0_MSW_BITS);
}

uint64_t cr3_stored(const struct cr_context *c, uint64_t value)
{
	return c->cr4 & CR4_PCIDE ? value & ~CR3_PCID_NOFLUSH : value;
}
