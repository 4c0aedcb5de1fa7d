/* boot_tail: an image whose highest PT_LOAD segment ends one byte past a
 * page boundary (boot_tail.h; two images, boot_tail_file and
 * boot_tail_bss). Prints the segment's edges as linked, how many of its
 * file bytes differ from what the file holds, how many of its bss bytes are
 * not zero, its last byte, and where EBX says the Multiboot2 information
 * is (contract 2: the first page boundary at or after the segment's end,
 * never over the image). Line `boot: tail ...`. */
#include "runtime.h"
#include "boot_facts.h"
#include "boot_tail.h"

extern volatile uint8_t __tail_start[], __tail_file_end[], __tail_end[];

void probe_main(void)
{
	uintptr_t start = (uintptr_t)__tail_start, file_end = (uintptr_t)__tail_file_end;
	uintptr_t end = (uintptr_t)__tail_end;
	unsigned mismatched = 0, bss_nonzero = 0;
	for (uintptr_t a = start; a < file_end; a++) {
		uint8_t want = a - start < TAIL_FILL_BYTES ? TAIL_FILL : TAIL_LAST_BYTE;
		mismatched += *(volatile uint8_t *)a != want;
	}
	for (uintptr_t a = file_end; a < end; a++)
		bss_nonzero += *(volatile uint8_t *)a != 0;
	printf("boot: tail start=0x%lx file_end=0x%lx end=0x%lx mismatched=%u bss_nonzero=%u last=0x%x info=0x%x\n",
	       (unsigned long)start, (unsigned long)file_end, (unsigned long)end, mismatched,
	       bss_nonzero, *(volatile uint8_t *)(end - 1), boot_ebx);
}
