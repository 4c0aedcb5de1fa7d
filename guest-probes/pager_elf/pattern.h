/* Sizes and pattern of pager_elf's extra segments, shared by segments.S
 * (which emits them) and main.c (which checks them). */
#ifndef PAGER_ELF_PATTERN_H
#define PAGER_ELF_PATTERN_H

#define PATTERN_MULTIPLIER 0x9e3779b1 /* odd: distinct words for distinct k */
#define PAGER_DATA_SEED 0x7f4a7c15
#define SEG_A_SEED 0x3c6ef372
#define SEG_B_SEED 0x5851f42d

#define PAGER_DATA_BYTES 0x2a00 /* 2 pages + 0xa00: the file part ends mid-page */
#define PAGER_BSS_BYTES 0x100000
#define SEG_A_BYTES 0x1800      /* from page offset 0xa00 to page offset 0x200 */
#define SEG_B_FILE_BYTES 0x400  /* starts at page offset 0x200 of the same page */
#define SEG_B_BSS_BYTES 0xa00   /* up to the end of that page */

#endif
