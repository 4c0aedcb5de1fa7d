/* mmio_bad: device-window accesses by instructions outside the contract's
 * MMIO list (section 9), each of which must end the VM with
 *   [hv] end: mmio: undecodable instruction rip=0x300000 bytes=<the bytes>
 * The instruction is copied to BLOB_PAGE (so its RIP is known) and aims at
 * the register test device's SCRATCH register. `test=` picks one:
 *   add_store  01 07      add %eax,(%rdi)        read-modify-write ALU op
 *   lock_add   f0 01 07   lock add %eax,(%rdi)   LOCK prefix
 *   cmp_load   80 3f 00   cmpb $0,(%rdi)         ALU read
 *   movs       a4         movsb (%rsi),(%rdi)    string move into the device
 *   xchg       87 07      xchg %eax,(%rdi)
 *   mov_sreg   8c 1f      mov %ds,(%rdi)         a MOV the list leaves out
 * The bytes after the instruction are RET then INT3 padding.
 *   nofetch    48 c7 06 00 00 00 00  movq $0,(%rsi); 8b 07  mov (%rdi),%eax
 * runs the blob through a 4-KiB alias at 0x8000000000 and first clears the
 * alias's own PTE (no INVLPG: the processor goes on fetching through its
 * TLB), then reads the device ID: the hypervisor cannot translate the RIP
 * of the MMIO instruction and must end the VM with
 *   [hv] end: mmio: cannot fetch instruction rip=0x8000000007 */
#include "../memlib/memlib.h"
#include "paging64.h"

#define SCRATCH_GPA (TESTDEV_BASE + TESTDEV_SCRATCH)
#define MOVS_SOURCE (BLOB_PAGE + 0x800) /* RAM inside the blob page */

struct bad_insn {
	const char *name;
	uint8_t bytes[4];
	size_t len; /* including the RET */
};

static const struct bad_insn insns[] = {
	{ "add_store", { 0x01, 0x07, OPCODE_RET }, 3 },
	{ "lock_add", { 0xf0, 0x01, 0x07, OPCODE_RET }, 4 },
	{ "cmp_load", { 0x80, 0x3f, 0x00, OPCODE_RET }, 4 },
	{ "movs", { 0xa4, OPCODE_RET }, 2 },
	{ "xchg", { 0x87, 0x07, OPCODE_RET }, 3 },
	{ "mov_sreg", { 0x8c, 0x1f, OPCODE_RET }, 3 },
};

#define NOFETCH_VA PROBE_MAP_BASE

static void nofetch(void)
{
	static const uint8_t code[] = {
		0x48, 0xc7, 0x06, 0x00, 0x00, 0x00, 0x00, /* movq $0,(%rsi): the PTE */
		0x8b, 0x07,                               /* mov (%rdi),%eax: MMIO */
		OPCODE_RET,
	};
	volatile uint8_t *page = (volatile uint8_t *)(uintptr_t)BLOB_PAGE;
	for (size_t i = 0; i < PAGE_SIZE_4K; i++)
		page[i] = i < sizeof(code) ? code[i] : OPCODE_INT3;
	map_page_4k(NOFETCH_VA, BLOB_PAGE);
	volatile uint64_t *pte = pt_entry(NOFETCH_VA, PT_LEVEL_PTE);
	uint64_t (*fn)(uint64_t, uint64_t) = (uint64_t(*)(uint64_t, uint64_t))NOFETCH_VA;
	fn(TESTDEV_BASE + TESTDEV_ID, (uint64_t)(uintptr_t)pte);
}

void probe_main(void)
{
	if (test_selected("nofetch")) {
		nofetch();
		printf("mmio_bad: survived test=nofetch\n");
		return;
	}
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		if (!test_selected(insns[i].name))
			continue;
		blob_run(insns[i].bytes, insns[i].len, SCRATCH_GPA, MOVS_SOURCE);
		printf("mmio_bad: survived test=%s\n", insns[i].name);
		return;
	}
	probe_error("unknown or missing test= value");
}
