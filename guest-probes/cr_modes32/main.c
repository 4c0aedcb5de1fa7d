/* cr_modes32: an ELF32 probe that stays in 32-bit protected mode with
 * paging off (contract 13): CR0/CR4 at entry, MOV to and from CR0, CR3,
 * CR4 through each of the 8 general-purpose registers, the CR0 bits a
 * hypervisor may keep for itself (NE, NW, CD) read back as written, writes
 * the processor refuses (CR4 reserved bit, VMXE, NW without CD, PG without
 * PE) raise #GP(0) at the MOV and change nothing, CLTS, LMSW and SMSW.
 * Lines `cr: ... mode=32 ...` (shared/cr_checks.h). */
#include "boot_facts.h"
#define CR_MODE "32"
#define CR_GPR_COUNT 8
static const char *const cr_gpr_names[CR_GPR_COUNT] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};
#include "../shared/cr_checks.h"

void probe_main(void)
{
	printf("cr: start mode=32 cr0=0x%x cr4=0x%x\n", boot_cr0, boot_cr4);
	cr_every_register();
	cr0_owned_bits();
	cr_refused_common();
	cr_msw();
}
