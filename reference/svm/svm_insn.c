/* The guest instruction behind an intercept, read from guest memory: the
 * processor reports no length without NRIPS (QEMU TCG) and no string-I/O
 * segment without decode assists. */
#include "svm.h"
#include "guest_mem.h"
#include "insn_scan.h"


/* Copies up to 15 bytes at the guest's CS:RIP; returns how many (0: the
 * first byte does not translate). */
static unsigned fetch(struct vcpu *v, uint8_t *bytes)
{
	struct guest_cpu_state s;
	svm_cpu_state(v, &s);
	struct guest_mem m = guest_mem_of(v->vm);
	uint64_t linear = svm_segment_base(v, SEGMENT_CS) + svm_rip(v);
	if (svm_code_bits(v) != 64)
		linear &= 0xFFFFFFFFull;
	uint64_t gpa, in_page;
	if (guest_translate(&m, &s, linear, &gpa, &in_page) != GUEST_XLATE_OK)
		return 0;
	/* All 15 bytes when the next page translates, else up to the page end. */
	if (guest_copy_from_virt(&m, &s, linear, bytes, X86_MAX_INSN_LENGTH) == GUEST_XLATE_OK)
		return X86_MAX_INSN_LENGTH;
	unsigned n = in_page < X86_MAX_INSN_LENGTH ? (unsigned)in_page : X86_MAX_INSN_LENGTH;
	return guest_copy_from_virt(&m, &s, linear, bytes, n) == GUEST_XLATE_OK ? n : 0;
}

int svm_insn_length(struct vcpu *v, const uint8_t *opcode, unsigned n)
{
	uint8_t bytes[X86_MAX_INSN_LENGTH];
	unsigned avail = fetch(v, bytes);
	if (!avail)
		return SVM_INSN_UNREADABLE;
	return (int)insn_length_of(bytes, avail, svm_code_bits(v), opcode, n);
}

void svm_insn_string_io(struct vcpu *v, unsigned *segment, unsigned *addr_bits)
{
	uint8_t bytes[X86_MAX_INSN_LENGTH];
	unsigned bits = svm_code_bits(v);
	struct insn_prefixes p;
	insn_scan_prefixes(bytes, fetch(v, bytes), bits, &p);
	*segment = p.segment;
	*addr_bits = insn_address_bits(bits, p.address_size);
}

unsigned svm_insn_fetch(struct vcpu *v, uint8_t *bytes)
{
	return fetch(v, bytes);
}
