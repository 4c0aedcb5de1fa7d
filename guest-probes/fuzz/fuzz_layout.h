/* Addresses and sizes the fuzz probe's C and assembly share. */
#ifndef FUZZ_LAYOUT_H
#define FUZZ_LAYOUT_H

/* The code slot: one generated instruction, RET, INT3s. */
#define FUZZ_SLOT_SIZE 64

/* In the paging modes the alias table at 0x40000000 (modes64.c,
 * modes32.c) maps two frames in reverse physical order at SPLIT_VA and
 * SPLIT_VA + 4 KiB: a slot placed across the boundary between them makes
 * the hypervisor fetch an instruction from two non-adjacent frames and
 * advance RIP into the second page. */
#define FUZZ_ALIAS_VA 0x40000000
#define FUZZ_SPLIT_SLOT_FIRST 9 /* alias table slots 9 and 10 */
#define FUZZ_SPLIT_VA (FUZZ_ALIAS_VA + FUZZ_SPLIT_SLOT_FIRST * 0x1000)
#define FUZZ_SPLIT_BOUNDARY (FUZZ_SPLIT_VA + 0x1000)
#define FUZZ_SPLIT_END (FUZZ_SPLIT_VA + 0x2000 - 1) /* last byte */

#endif
