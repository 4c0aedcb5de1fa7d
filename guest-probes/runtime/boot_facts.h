/* The machine state at the probe's entry, recorded by the entry code
 * (boot_facts.S) before it changed any of it. */
#ifndef GP_BOOT_FACTS_H
#define GP_BOOT_FACTS_H
#include <stdint.h>

extern uint32_t boot_eax, boot_ebx, boot_ecx, boot_edx, boot_esi, boot_edi;
extern uint32_t boot_ebp, boot_esp, boot_eflags, boot_cr0, boot_cr4;
/* IA32_EFER as RDMSR returned it before the runtime set LME (64-bit
 * runtime only). */
extern uint32_t boot_efer_lo, boot_efer_hi;
/* EIP the entry code observed for its first instruction (call/pop), which
 * with flat segments equals e_entry. */
extern uint32_t boot_entry_eip;
extern uint16_t boot_cs, boot_ds, boot_es, boot_fs, boot_gs, boot_ss;

/* First and one-past-last byte of the loaded image (linker script). */
extern char __image_start[], __image_end[];

#endif
