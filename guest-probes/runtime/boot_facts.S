/* Machine state the entry code records before changing anything, for the
 * probes that report the initial state (contract section 2). Shared by the
 * 32- and 64-bit runtimes. */
	.section .data
	.balign 4
	.globl boot_eax, boot_ebx, boot_ecx, boot_edx, boot_esi, boot_edi
	.globl boot_ebp, boot_esp, boot_eflags, boot_cr0, boot_cr4, boot_efer_lo
	.globl boot_efer_hi, boot_entry_eip
	.globl boot_cs, boot_ds, boot_es, boot_fs, boot_gs, boot_ss
boot_eax:	.long 0
boot_ebx:	.long 0
boot_ecx:	.long 0
boot_edx:	.long 0
boot_esi:	.long 0
boot_edi:	.long 0
boot_ebp:	.long 0
boot_esp:	.long 0
boot_eflags:	.long 0
boot_cr0:	.long 0
boot_cr4:	.long 0
boot_efer_lo:	.long 0
boot_efer_hi:	.long 0
boot_entry_eip:	.long 0
boot_cs:	.short 0
boot_ds:	.short 0
boot_es:	.short 0
boot_fs:	.short 0
boot_gs:	.short 0
boot_ss:	.short 0
