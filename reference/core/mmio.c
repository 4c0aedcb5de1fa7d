#include "mmio.h"
#include "format.h"
#include "guest_mem.h"
#include "vm_end.h"

#define X86_MAX_INSN_LENGTH 15   /* SDM vol. 2 2.3.11 */

/* hvspec-solution begin: mmio_emulate */
static enum mmio_cpu_mode decoder_mode(unsigned bits)
{
	return bits == 64 ? MMIO_MODE_64 : bits == 32 ? MMIO_MODE_32 : MMIO_MODE_16;
}

/* Fetches and decodes the instruction at RIP; ends the VM with the
 * documented report when it cannot (contract section 9). */
static void mmio_fetch_decode(struct vcpu *v, const struct guest_cpu_state *s,
			      const struct guest_mem *m, struct mmio_insn *insn)
{
	uint8_t bytes[X86_MAX_INSN_LENGTH];
	uint64_t rip = vcpu_rip(v);
	uint64_t linear = vcpu_segment_base(v, SEGMENT_CS) + rip;
	unsigned bits = vcpu_code_bits(v);
	if (bits != 64)
		linear &= 0xFFFFFFFFull;

	/* Fetch what the first page holds; the next page only if needed, so an
	 * instruction at the end of the last mapped page still decodes. */
	uint64_t gpa, in_page;
	int rc = guest_translate(m, s, linear, &gpa, &in_page);
	unsigned avail = in_page < X86_MAX_INSN_LENGTH ? (unsigned)in_page : X86_MAX_INSN_LENGTH;
	if (rc == GUEST_XLATE_OK && !guest_copy_from_virt(m, s, linear, bytes, avail)) {
		rc = mmio_decode(bytes, avail, decoder_mode(bits), insn);
		if (rc == MMIO_DECODE_TRUNCATED && avail < X86_MAX_INSN_LENGTH &&
		    !guest_copy_from_virt(m, s, linear, bytes, X86_MAX_INSN_LENGTH)) {
			avail = X86_MAX_INSN_LENGTH;
			rc = mmio_decode(bytes, avail, decoder_mode(bits), insn);
		}
		if (rc == MMIO_DECODE_OK)
			return;
	} else {
		vm_end("mmio: cannot fetch instruction rip=0x%lx", rip);
	}
	char hex[3 * X86_MAX_INSN_LENGTH + 1] = "";
	for (unsigned i = 0, n = 0; i < avail; i++)
		n += (unsigned)format(hex + n, sizeof hex - n, i ? " %02x" : "%02x", bytes[i]);
	vm_end("mmio: undecodable instruction rip=0x%lx bytes=%s", rip, hex);
}

/* The guest-physical address of the operand's first byte, through the
 * guest's own segments and page tables; false when it does not translate. */
static bool operand_gpa(struct vcpu *v, const struct guest_cpu_state *s, const struct guest_mem *m,
			const struct mmio_insn *insn, uint64_t *gpa)
{
	unsigned bits = vcpu_code_bits(v);
	uint64_t linear = mmio_operand_offset(insn, &v->regs, vcpu_rip(v) + insn->length);
	/* 64-bit mode uses only the FS and GS bases (SDM vol. 1 3.3.7.1). */
	if (bits != 64 || insn->segment == SEGMENT_FS || insn->segment == SEGMENT_GS)
		linear += vcpu_segment_base(v, insn->segment);
	if (bits != 64)
		linear &= 0xFFFFFFFFull;
	uint64_t in_page;
	return guest_translate(m, s, linear, gpa, &in_page) == GUEST_XLATE_OK;
}

static void crosses(struct vcpu *v, uint64_t gpa, unsigned width)
{
	vm_end("mmio: access crosses window end gpa=0x%lx width=%u rip=0x%lx", gpa, width, vcpu_rip(v));
}

void mmio_emulate(struct vcpu *v, uint64_t gpa, const struct mmio_device *dev)
{
	/* Read once: both translations need the same paging state. Zeroed first,
	 * so nothing here ever depends on what the stack held before. */
	struct guest_cpu_state s = { 0 };
	vcpu_cpu_state(v, &s);
	struct guest_mem m = guest_mem_of(v->vm);
	struct mmio_insn insn;
	mmio_fetch_decode(v, &s, &m, &insn);
	/* The stage-2 fault names the first byte that faulted: an operand that
	 * starts on the page before (RAM-like, such as the no-execute page)
	 * and runs into this window does not fit in it (contract 3, 9). */
	uint64_t start;
	if (operand_gpa(v, &s, &m, &insn, &start) && start < gpa && gpa - start < insn.access_width)
		crosses(v, start, insn.access_width);
	uint64_t base = dev ? dev->base : GUEST_ROM_BASE;
	uint64_t size = dev ? dev->size : DEVICE_WINDOW_SIZE;
	if (insn.access_width > size - (gpa - base))
		crosses(v, gpa, insn.access_width);
	if (dev) {
		uint64_t off = gpa - dev->base;
		if (insn.op == MMIO_OP_STORE) {
			dev->write(v->vm, off, insn.access_width, mmio_store_value(&insn, &v->regs));
		} else {
			mmio_complete_load(&insn, &v->regs, dev->read(v->vm, off, insn.access_width));
		}
	}
	vcpu_set_rip(v, vcpu_rip(v) + insn.length);
}
/* hvspec-solution stub: mmio_emulate
void mmio_emulate(struct vcpu *v, uint64_t gpa, const struct mmio_device *dev)
{
	(void)v;
	(void)gpa;
	(void)dev;
	vm_end_not_implemented("mmio_emulate");
}
hvspec-solution end: mmio_emulate */
