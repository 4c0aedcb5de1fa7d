/* vm_exits: the exits that end or steer the VM outside the hypercall and
 * device paths (contract sections 3 and 4). `test=` selects one:
 *   invd     INVD exits unconditionally (exit reason 13, SDM 26.1.2) and
 *            the reference has no handler: one FATAL line, then the end
 *            report names the reason.
 *   hlt      HLT exits (HLT exiting is on); nothing can wake the vCPU, so
 *            the VM ends with `hlt rip=...`.
 *   cr0      writes to CR0.CD/NW (bits the hypervisor owns) exit; the guest
 *            reads back what it wrote (the read shadow) and goes on.
 *   cr0_wp   one MOV to CR0 changes CD together with WP (a bit the guest
 *            owns): both read back, and WP takes effect at once (a ring-0
 *            write to a read-only page faults with #PF; after WP and CD
 *            are cleared again in one MOV, the write succeeds).
 *   none     nothing: the probe halts normally (used with the hypervisor's
 *            self-test options, whose VM entry never succeeds). */
#include "cmdline.h"
#include "fault.h"
#include "paging64.h"
#include "runtime.h"
#include "x86.h"

#define CR0_NW (1ul << 29)   /* SDM vol. 3 2.5 */
#define CR0_CD (1ul << 30)

static bool selected(const char *name)
{
	const char *v;
	size_t len;
	return cmdline_find(boot_cmdline(), "test", &v, &len) &&
	       len == strlen(name) && !memcmp(v, name, len);
}

/* A page of the probe's own, mapped read-only at READ_ONLY_VA (4.6.1). */
#define READ_ONLY_VA PROBE_MAP_BASE
static uint8_t read_only_target[4096] __attribute__((aligned(4096)));

/* Writes one byte at va from ring 0; returns the vector it raised or
 * FAULT_NONE. */
static int write_byte_caught(uint64_t va)
{
	fault_reset();
	__asm__ volatile("1: movb $0x5a, (%0)\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 : : "r"(va) : "memory");
	return last_fault.vector;
}

static void cr0_wp_with_cd(void)
{
	map_page_4k(READ_ONLY_VA, (uintptr_t)read_only_target);
	*pt_entry(READ_ONLY_VA, PT_LEVEL_PTE) &= ~(uint64_t)PTE_RW;
	invlpg(READ_ONLY_VA);
	unsigned long base = read_cr0() & ~(CR0_WP | CR0_CD | CR0_NW);
	write_cr0(base);
	unsigned long wrote = base | CR0_WP | CR0_CD;
	write_cr0(wrote);   /* one MOV: CD (hypervisor's) and WP (guest's) */
	unsigned long read = read_cr0();
	int vector = write_byte_caught(READ_ONLY_VA);
	unsigned long error = last_fault.error_code;
	write_cr0(base);    /* one MOV clears both again */
	unsigned long read_cleared = read_cr0();
	int vector_cleared = write_byte_caught(READ_ONLY_VA);
	printf("vm_exits: cr0_wp wrote=0x%lx read=0x%lx readonly_write_vector=%d error=0x%lx\n",
	       wrote, read, vector, error);
	printf("vm_exits: cr0_wp cleared wrote=0x%lx read=0x%lx readonly_write_vector=%d byte=0x%x\n",
	       base, read_cleared, vector_cleared, read_only_target[0]);
}

void probe_main(void)
{
	if (selected("invd")) {
		printf("vm_exits: executing invd\n");
		__asm__ volatile("invd" ::: "memory");
		printf("vm_exits: invd returned\n");
	} else if (selected("hlt")) {
		printf("vm_exits: executing hlt\n");
		__asm__ volatile("cli; hlt" ::: "memory");
		printf("vm_exits: hlt returned\n");
	} else if (selected("cr0")) {
		unsigned long before = read_cr0();
		write_cr0(before | CR0_CD | CR0_NW);
		unsigned long set = read_cr0();
		write_cr0(before);
		unsigned long cleared = read_cr0();
		printf("vm_exits: cr0 before=0x%lx with_cd_nw=0x%lx restored=0x%lx\n",
		       before, set, cleared);
	} else if (selected("cr0_wp")) {
		cr0_wp_with_cd();
	}
}
