/* CR0, CR3 and CR4 loads for core/exit_cr.c on top of the VMCS (contract
 * 13). The guest/host masks hold the bits the hypervisor keeps (vmx.c:
 * CR0.NE, NW, CD; CR4.VMXE): the guest reads them from the read shadows
 * (25.6.6), the processor keeps using the values the VMCS guest fields
 * hold, which VMX requires (26.3.1.1, A.7, A.8) or the hypervisor chose. */
#include "guest_mem.h"
#include "vm.h"
#include "vmcs_fields.h"
#include "vmx.h"
#include "vmx_caps.h"
#include "vmx_insn.h"
#include "x86.h"

static void set_cr0(uint64_t value)
{
	uint64_t old = vmread(GUEST_CR0), mask = vmread(CR0_GUEST_HOST_MASK);
	uint64_t real = (value & ~mask) | (old & mask);
	vmcs_write(CR0_READ_SHADOW, value);
	vmcs_write(GUEST_CR0, real);
	/* Paging turned on or off with EFER.LME: LMA follows (SDM 9.8.5); the
	 * dispatcher sets the "IA-32e mode guest" entry control from LMA. */
	uint64_t efer = vmread(GUEST_IA32_EFER);
	if ((old ^ real) & CR0_PG && efer & EFER_LME)
		vmcs_write(GUEST_IA32_EFER, real & CR0_PG ? efer | EFER_LMA : efer & ~EFER_LMA);
}

static void set_cr4(uint64_t value)
{
	uint64_t mask = vmread(CR4_GUEST_HOST_MASK);
	vmcs_write(CR4_READ_SHADOW, value & mask);
	vmcs_write(GUEST_CR4, (value & ~mask) | (vmread(GUEST_CR4) & mask));
}

#define PAE_PDPTES          4
#define PAE_PDPT_ADDR_MASK  0xFFFFFFE0ull   /* CR3[31:5] with PAE paging (4.4.1) */

/* With EPT, VM entry takes the four PDPTEs of PAE paging from the VMCS
 * (27.3.2.4), not from memory: a CR3 or CR0 load the hypervisor emulates
 * loads them as the processor's MOV would (4.4.1). (Bochs 2.7 reads them
 * from memory anyway, so no probe on it can tell.) */
static void load_pdptes(struct vcpu *v)
{
	uint64_t cr0 = vmread(CR0_READ_SHADOW), cr4 = vmread(GUEST_CR4);
	if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) || vmread(GUEST_IA32_EFER) & EFER_LMA)
		return;
	uint64_t pdpte[PAE_PDPTES] = { 0 };
	guest_phys_read(v->vm, vmread(GUEST_CR3) & PAE_PDPT_ADDR_MASK, pdpte, sizeof pdpte);
	for (unsigned i = 0; i < PAE_PDPTES; i++)
		vmcs_write(GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

void vmx_set_cr(struct vcpu *v, unsigned cr, uint64_t value)
{
	if (cr == 0)
		set_cr0(value);
	else if (cr == 4)
		set_cr4(value);
	else
		vmcs_write(GUEST_CR3, value);
	load_pdptes(v);
}

/* IA32_VMX_CR4_FIXED1 (A.8) has every CR4 bit this processor supports;
 * VMXE is the hypervisor's, and the guest sees no VMX (contract 7). */
void vmx_cr_limits(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits)
{
	(void)v;
	const struct vmx_caps *caps = vmx_current_caps();
	*cr4_writable = caps->cr4_fixed1 & ~CR4_VMXE;
	*phys_addr_bits = caps->phys_addr_bits;
}
