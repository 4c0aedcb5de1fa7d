/* Validates a Linux x86 bzImage against the boot protocol and produces what a
 * loader needs (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header" and "Details of Header Fields"). Pure: reads the image, writes
 * only *out. */
#ifndef HV_BZIMAGE_H
#define HV_BZIMAGE_H
#include <stdint.h>

/* Oldest protocol accepted: 2.12 brought xloadflags (XLF_KERNEL_64) that
 * says whether the 64-bit entry exists (boot.rst, "Protocol 2.12"). */
#define BZIMAGE_MIN_VERSION 0x020c

/* loadflags bits (boot.rst, field "loadflags"). */
#define BZIMAGE_LOADED_HIGH (1u << 0)
#define BZIMAGE_KASLR_FLAG (1u << 1)
#define BZIMAGE_QUIET_FLAG (1u << 5)
#define BZIMAGE_KEEP_SEGMENTS (1u << 6)
#define BZIMAGE_CAN_USE_HEAP (1u << 7)

/* xloadflags bits (boot.rst, field "xloadflags"). */
#define BZIMAGE_XLF_KERNEL_64 (1u << 0)
#define BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define BZIMAGE_XLF_EFI_HANDOVER_32 (1u << 2)
#define BZIMAGE_XLF_EFI_HANDOVER_64 (1u << 3)
#define BZIMAGE_XLF_EFI_KEXEC (1u << 4)

/* The 64-bit entry is this far past the start of the protected-mode kernel
 * (boot.rst, "64-bit Boot Protocol"). */
#define BZIMAGE_ENTRY64_OFFSET 0x200

struct bzimage_info {
	uint16_t version;       /* 0x0206: protocol, major << 8 | minor */
	uint8_t setup_sects;    /* 0x01f1, 0 already replaced by 4 */
	uint8_t loadflags;      /* 0x0211 */
	uint16_t xloadflags;    /* 0x0236 */
	uint32_t code32_start;  /* 0x0214: 32-bit entry for the default load */
	uint32_t initrd_addr_max; /* 0x022c: highest byte an initrd may use */
	uint32_t kernel_alignment; /* 0x0230 */
	uint8_t relocatable;    /* 0x0234 */
	uint32_t cmdline_size;  /* 0x0238: longest command line, without NUL */
	uint64_t pref_address;  /* 0x0258: preferred load address */
	uint32_t init_size;     /* 0x0260: bytes from the load address it needs */
	uint64_t setup_bytes;   /* (setup_sects + 1) * 512: the real-mode part */
	uint64_t kernel_offset; /* file offset of the protected-mode kernel */
	uint64_t kernel_bytes;  /* its size: the rest of the file */
	uint64_t header_end;    /* 0x0202 + byte at 0x0201: end of setup header */
};

enum bzimage_error {
	BZIMAGE_OK = 0,
	BZIMAGE_TRUNCATED,      /* shorter than the setup header */
	BZIMAGE_BAD_BOOT_FLAG,  /* 0x01fe is not 0xaa55 */
	BZIMAGE_BAD_MAGIC,      /* 0x0202 is not "HdrS" */
	BZIMAGE_OLD_VERSION,    /* protocol below 2.12 */
	BZIMAGE_BAD_SETUP_SECTS, /* real-mode part reaches past the file */
	BZIMAGE_BAD_PAYLOAD,    /* payload_offset + payload_length past the kernel */
	BZIMAGE_NOT_LOADED_HIGH, /* a zImage, loaded at 0x10000 */
	BZIMAGE_BAD_ALIGNMENT,  /* kernel_alignment not a power of two */
	BZIMAGE_BAD_INIT_SIZE,  /* init_size smaller than the kernel */
	BZIMAGE_TOO_LARGE,      /* init_size past the RAM the caller allows */
};

/* Returns BZIMAGE_OK and fills *out, or the first bzimage_error found.
 * max_init_bytes bounds init_size (the guest RAM the kernel may claim from
 * its load address). The image may be unaligned. */
int bzimage_parse(const void *image, uint64_t size, uint64_t max_init_bytes,
		  struct bzimage_info *out);

/* A short reason for err ("no HdrS magic", ...); "unknown bzImage error"
 * for a value that is no bzimage_error. */
const char *bzimage_strerror(int err);

#endif
