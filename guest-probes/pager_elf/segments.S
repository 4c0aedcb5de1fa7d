/* The pattern bytes and bss of pager_elf's extra segments (see link.ld).
 * Word k of a region holds (k * PATTERN_MULTIPLIER + seed) mod 2^32, so a
 * byte copied to the wrong place or from the wrong file offset shows. */
#include "pattern.h"

/* Emits `count` 32-bit pattern words with the given seed. */
	.macro pattern_words count, seed
	.set k, 0
	.rept \count
	.long ((k * PATTERN_MULTIPLIER + \seed) & 0xffffffff)
	.set k, k + 1
	.endr
	.endm

	.section .pager_data, "aw", @progbits
	pattern_words (PAGER_DATA_BYTES / 4), PAGER_DATA_SEED

	.section .pager_bss, "aw", @nobits
	.skip PAGER_BSS_BYTES

	.section .pager_a, "aw", @progbits
	pattern_words (SEG_A_BYTES / 4), SEG_A_SEED

	.section .pager_b, "aw", @progbits
	pattern_words (SEG_B_FILE_BYTES / 4), SEG_B_SEED

	.section .pager_b_bss, "aw", @nobits
	.skip SEG_B_BSS_BYTES
