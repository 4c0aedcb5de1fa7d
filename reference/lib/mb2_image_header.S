/* The Multiboot2 header of every kernel image this project builds (the
 * hypervisor and the probes; Multiboot2 specification 3.1): magic, i386
 * architecture, length, checksum and the end tag. The linker scripts place
 * .multiboot2 first, inside the first 32 KiB, 8-byte aligned. */
#include "mb2.h"

	.section .multiboot2, "a"
	.balign MB2_HEADER_ALIGN
mb2_header_start:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header_start
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header_start))
	.balign MB2_TAG_ALIGN
	.short MB2_HEADER_TAG_END
	.short 0
	.long 8
mb2_header_end:
