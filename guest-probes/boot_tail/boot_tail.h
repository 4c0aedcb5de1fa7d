/* The tail segment of the boot_tail images (link.ld, tail.S): the highest
 * PT_LOAD segment, at TAIL_BASE, ending one byte past a 4-KiB boundary, so
 * the Multiboot2 information belongs on the next page (contract 2) and a
 * loader that rounds the end down puts it over the image's last byte.
 *   boot_tail_file: TAIL_FILL_BYTES of TAIL_FILL, then TAIL_LAST_BYTE, all
 *                   from the file (p_filesz = p_memsz = 0x1001);
 *   boot_tail_bss:  TAIL_FILL_BYTES of TAIL_FILL from the file, then
 *                   TAIL_BSS_BYTES of bss, whose last byte must read 0.
 * guest-probes/boot_tail.mk checks the linked layout (check_layout.sh). */
#ifndef BOOT_TAIL_H
#define BOOT_TAIL_H

#define TAIL_BASE 0x200000       /* above the runtime's image, page aligned */
#define TAIL_FILL_BYTES 0x1000   /* one whole page of file bytes */
#define TAIL_FILL 0x5a
#define TAIL_LAST_BYTE 0xc3      /* the file variant's byte at TAIL_BASE + 0x1000 */
#define TAIL_BSS_BYTES 0x1001    /* one page and one byte */

#endif
