/* bzboot: the real-mode part of the synthetic bzImage, (setup_sects + 1)
 * sectors holding only the setup header (boot.rst, "The Real-Mode Kernel
 * Header"; offsets are file offsets). No real-mode code: the contract's
 * loaders use the 32-bit boot protocol and never run it. Assembled into a
 * flat binary (bzboot.mk) and followed by the protected-mode kernel. */
#include "bzboot.h"

#define SECTOR_BYTES 512
#define HDR_SETUP_SECTS 0x1f1
#define HDR_END 0x264            /* first byte past init_size (2.12) */
#define JUMP_OPCODE 0xeb         /* jmp rel8 at 0x200: its target is the header's end */

	.section .setup, "a"
	.globl bzboot_setup
bzboot_setup:
	.org HDR_SETUP_SECTS
	.byte BZBOOT_SETUP_SECTS         /* 0x1f1 setup_sects */
	.word 0                          /* 0x1f2 root_flags */
	.long BZBOOT_SYSSIZE             /* 0x1f4 syssize */
	.word 0                          /* 0x1f8 ram_size */
	.word 0                          /* 0x1fa vid_mode */
	.word 0                          /* 0x1fc root_dev */
	.word 0xaa55                     /* 0x1fe boot_flag */
	.byte JUMP_OPCODE, HDR_END - 0x202 /* 0x200 jump */
	.ascii "HdrS"                    /* 0x202 header */
	.word BZBOOT_VERSION             /* 0x206 version */
	.long 0                          /* 0x208 realmode_swtch */
	.word 0                          /* 0x20c start_sys_seg */
	.word 0                          /* 0x20e kernel_version */
	.byte 0                          /* 0x210 type_of_loader */
	.byte BZBOOT_LOADFLAGS           /* 0x211 loadflags */
	.word 0                          /* 0x212 setup_move_size */
	.long BZBOOT_CODE32_START        /* 0x214 code32_start */
	.long 0                          /* 0x218 ramdisk_image */
	.long 0                          /* 0x21c ramdisk_size */
	.long 0                          /* 0x220 bootsect_kludge */
	.word 0                          /* 0x224 heap_end_ptr */
	.byte 0                          /* 0x226 ext_loader_ver */
	.byte 0                          /* 0x227 ext_loader_type */
	.long 0                          /* 0x228 cmd_line_ptr */
	.long BZBOOT_INITRD_ADDR_MAX     /* 0x22c initrd_addr_max */
	.long BZBOOT_KERNEL_ALIGNMENT    /* 0x230 kernel_alignment */
	.byte BZBOOT_RELOCATABLE         /* 0x234 relocatable_kernel */
	.byte BZBOOT_MIN_ALIGNMENT       /* 0x235 min_alignment */
	.word BZBOOT_XLOADFLAGS          /* 0x236 xloadflags */
	.long BZBOOT_CMDLINE_SIZE        /* 0x238 cmdline_size */
	.long 0                          /* 0x23c hardware_subarch */
	.quad 0                          /* 0x240 hardware_subarch_data */
	.long 0                          /* 0x248 payload_offset */
	.long 0                          /* 0x24c payload_length */
	.quad 0                          /* 0x250 setup_data */
	.quad BZBOOT_PREF_ADDRESS        /* 0x258 pref_address */
	.long BZBOOT_INIT_SIZE           /* 0x260 init_size */
	.org HDR_END                     /* fails if the fields above ran past it */
	.org (BZBOOT_SETUP_SECTS + 1) * SECTOR_BYTES
