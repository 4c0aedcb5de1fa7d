/* bzboot: what entry.S records before it changes any register, for main.c.
 * ENTRY_* are the byte offsets entry.S stores at (checked below). */
#ifndef GP_BZBOOT_ENTRY_H
#define GP_BZBOOT_ENTRY_H

#define ENTRY_EIP 0      /* the address of the kernel's first byte: where it started */
#define ENTRY_ESI 4
#define ENTRY_EBX 8
#define ENTRY_EBP 12
#define ENTRY_EDI 16
#define ENTRY_EFLAGS 20
#define ENTRY_CS 24      /* 16-bit selectors */
#define ENTRY_DS 26
#define ENTRY_ES 28
#define ENTRY_SS 30
#define ENTRY_GDTR 32    /* SGDT's 6 bytes: limit, then base */
#define ENTRY_BYTES 40

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct bzboot_entry {
	uint32_t eip, esi, ebx, ebp, edi, eflags;
	uint16_t cs, ds, es, ss;
	uint16_t gdtr_limit;
	uint32_t gdtr_base;
} __attribute__((packed, aligned(4)));

_Static_assert(offsetof(struct bzboot_entry, eflags) == ENTRY_EFLAGS &&
	       offsetof(struct bzboot_entry, ss) == ENTRY_SS &&
	       offsetof(struct bzboot_entry, gdtr_limit) == ENTRY_GDTR &&
	       sizeof(struct bzboot_entry) <= ENTRY_BYTES, "entry.S's offsets");

/* The probe's body, called by entry.S on its own stack. */
void bzboot_main(const struct bzboot_entry *e);
#endif
#endif
