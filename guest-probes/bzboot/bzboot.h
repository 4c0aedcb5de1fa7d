/* bzboot: the setup-header values of the synthetic bzImage (setup.S writes
 * them into the image, main.c checks the loader against them). Offsets and
 * meanings: Linux Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header" and "Details of Header Fields". Plain #defines: setup.S includes
 * this file too; the values a variant overrides (bzboot.mk) are #ifndef. */
#ifndef GP_BZBOOT_H
#define GP_BZBOOT_H

/* Real-mode part: (setup_sects + 1) * 512 bytes; the protected-mode kernel
 * follows it in the file and is padded to exactly BZBOOT_KERNEL_BYTES
 * (pack.sh refuses a larger one), so syssize is a constant. */
#define BZBOOT_SETUP_SECTS 4
#define BZBOOT_KERNEL_BYTES 0x8000
#define BZBOOT_SYSSIZE (BZBOOT_KERNEL_BYTES / 16)  /* 16-byte paragraphs */

/* Protocol 2.12: the oldest the contract's loaders take (xloadflags);
 * its header ends after init_size, at 0x264. */
#define BZBOOT_VERSION 0x020c
#define BZBOOT_LOADFLAGS 0x01            /* LOADED_HIGH: a bzImage */
#define BZBOOT_CODE32_START 0x100000
/* Highest byte an initrd may use: 28 MiB - 1, below the end of a 32-MiB
 * guest, so a loader that ignores it puts the initrd too high. */
#define BZBOOT_INITRD_ADDR_MAX 0x1bfffff
/* 1 MiB; the variant bzboot_align4m (bzboot.mk) overrides both. */
#ifndef BZBOOT_KERNEL_ALIGNMENT
#define BZBOOT_KERNEL_ALIGNMENT 0x100000
#endif
#ifndef BZBOOT_MIN_ALIGNMENT
#define BZBOOT_MIN_ALIGNMENT 20           /* log2 of kernel_alignment */
#endif
#define BZBOOT_RELOCATABLE 1
#define BZBOOT_XLOADFLAGS 0               /* no 64-bit entry: 32-bit protocol only */
#define BZBOOT_CMDLINE_SIZE 255
/* The kernel wants [16 MiB, 24 MiB): it fits a guest of 24 MiB or more;
 * with 20 MiB, pref_address is in RAM but init_size runs past its end.
 * The variant bzboot_init_exact (bzboot.mk) sets init_size to exactly the
 * file's protected-mode part, BZBOOT_KERNEL_BYTES (pack.sh checks it in
 * the packed image): the least a loader may be asked for. */
#define BZBOOT_PREF_ADDRESS 0x1000000
#ifndef BZBOOT_INIT_SIZE
#define BZBOOT_INIT_SIZE 0x800000
#endif

/* The initrds the cases pass (initrd.S): byte k is
 * (k * BZBOOT_INITRD_MUL + BZBOOT_INITRD_ADD) mod 256. bzboot_initrd has
 * 5000 bytes, not a page multiple; bzboot_initrd_pages sets the size to two
 * whole pages, so a loader that places it at the top of the allowed range
 * ends it exactly at initrd_addr_max. */
#ifndef BZBOOT_INITRD_BYTES
#define BZBOOT_INITRD_BYTES 5000
#endif
#define BZBOOT_INITRD_MUL 7
#define BZBOOT_INITRD_ADD 3

#endif
