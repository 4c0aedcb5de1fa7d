/* Multiboot2 header (Multiboot2 specification 3.1), so GRUB can boot a probe
 * as well. Placed first in the image by the linker scripts; it must lie in
 * the first 32 KiB of the file, 8-byte aligned. */
#define MB2_HEADER_MAGIC 0xe85250d6 /* Multiboot2 spec 3.1.1 */
#define MB2_ARCH_I386 0             /* 32-bit protected mode, spec 3.1.1 */
#define MB2_HEADER_TAG_END 0        /* spec 3.1.3 */

	.section .multiboot2, "a"
	.balign 8
mb2_header_start:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header_start
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header_start))
	.balign 8
	.short MB2_HEADER_TAG_END
	.short 0
	.long 8
mb2_header_end:
