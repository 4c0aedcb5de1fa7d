/* vm_exits: the exits that end or steer the VM outside the hypercall and
 * device paths (contract sections 3 and 4). `test=` selects one:
 *   invd     INVD exits unconditionally (exit reason 13, SDM 26.1.2) and
 *            the reference has no handler: one FATAL line, then the end
 *            report names the reason.
 *   hlt      HLT exits (HLT exiting is on); nothing can wake the vCPU, so
 *            the VM ends with `hlt rip=...`.
 *   cr0      writes to CR0.CD/NW (bits the hypervisor owns) exit; the guest
 *            reads back what it wrote (the read shadow) and goes on.
 *   none     nothing: the probe halts normally (used with the hypervisor's
 *            self-test options, whose VM entry never succeeds). */
#include "cmdline.h"
#include "runtime.h"

#define CR0_NW (1ul << 29)   /* SDM vol. 3 2.5 */
#define CR0_CD (1ul << 30)

static bool selected(const char *name)
{
	const char *v;
	size_t len;
	return cmdline_find(boot_cmdline(), "test", &v, &len) &&
	       len == strlen(name) && !memcmp(v, name, len);
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
	}
}
