/* triple_fault: loads an IDT with limit 0 and executes INT3. Vector 3 lies
 * outside the IDT, so delivering it raises #GP, which lies outside too,
 * then #DF, and a fault while delivering #DF is a triple fault (6.15,
 * "Interrupt 8"). The VM must end with `triple fault rip=0x<hex>` (contract
 * 3). The probe prints the INT3 address before, for reading the report. */
#include "runtime.h"

extern const char int3_site[];

void probe_main(void)
{
	printf("triple_fault: int3 rip=0x%lx\n", (unsigned long)(uintptr_t)int3_site);
	struct descriptor_table_register empty = { .limit = 0, .base = 0 };
	load_idt(&empty);
	__asm__ volatile(".globl int3_site\nint3_site: int3");
	printf("triple_fault: survived int3\n");
}
