/* bzImage setup-header validation. Offsets are those of boot.rst's table in
 * "The Real-Mode Kernel Header" (file offsets; the same offsets inside
 * struct boot_params, zero-page.rst). The image is untrusted: every field is
 * read only after the size check that covers it, every sum is overflow-free. */
#include <stdbool.h>
#include <stddef.h>
#include "bzimage.h"

#define HDR_SETUP_SECTS 0x01f1
#define HDR_SYSSIZE 0x01f4        /* protected-mode code size / 16 (2.04+) */
#define HDR_BOOT_FLAG 0x01fe
#define HDR_JUMP_OFFSET 0x0201    /* second byte of the jump at 0x0200 */
#define HDR_MAGIC 0x0202
#define HDR_VERSION 0x0206
#define HDR_LOADFLAGS 0x0211
#define HDR_CODE32_START 0x0214
#define HDR_INITRD_ADDR_MAX 0x022c
#define HDR_KERNEL_ALIGNMENT 0x0230
#define HDR_RELOCATABLE 0x0234
#define HDR_XLOADFLAGS 0x0236
#define HDR_CMDLINE_SIZE 0x0238
#define HDR_PAYLOAD_OFFSET 0x0248 /* compressed payload, from kernel start */
#define HDR_PAYLOAD_LENGTH 0x024c
#define HDR_PREF_ADDRESS 0x0258
#define HDR_INIT_SIZE 0x0260
#define HDR_END_2_12 0x0264       /* first byte past init_size */

#define BOOT_FLAG 0xaa55
#define HDRS_MAGIC 0x53726448u    /* "HdrS" little-endian */
#define SECTOR_BYTES 512
#define SETUP_SECTS_LEGACY 4      /* what setup_sects == 0 means */
#define SYSSIZE_UNIT 16

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static int check(const uint8_t *im, uint64_t size, uint64_t max_init_bytes,
		 struct bzimage_info *o)
{
	if (size < HDR_VERSION)
		return BZIMAGE_TRUNCATED;
	if (le(im + HDR_BOOT_FLAG, 2) != BOOT_FLAG)
		return BZIMAGE_BAD_BOOT_FLAG;
	if (le(im + HDR_MAGIC, 4) != HDRS_MAGIC)
		return BZIMAGE_BAD_MAGIC;
	if (size < HDR_END_2_12)
		return BZIMAGE_TRUNCATED;
	o->version = (uint16_t)le(im + HDR_VERSION, 2);
	if (o->version < BZIMAGE_MIN_VERSION)
		return BZIMAGE_OLD_VERSION;
	o->header_end = HDR_MAGIC + (uint64_t)im[HDR_JUMP_OFFSET];
	if (o->header_end < HDR_END_2_12)
		return BZIMAGE_TRUNCATED;

	o->setup_sects = im[HDR_SETUP_SECTS] ? im[HDR_SETUP_SECTS] : SETUP_SECTS_LEGACY;
	o->setup_bytes = ((uint64_t)o->setup_sects + 1) * SECTOR_BYTES;
	/* At least 5 sectors: always past the header (0x0202 + 0xff at most). */
	if (o->setup_bytes >= size)
		return BZIMAGE_BAD_SETUP_SECTS;
	o->kernel_offset = o->setup_bytes;
	o->kernel_bytes = size - o->setup_bytes;
	if (le(im + HDR_SYSSIZE, 4) * SYSSIZE_UNIT > o->kernel_bytes)
		return BZIMAGE_TRUNCATED;
	uint64_t payload_end = le(im + HDR_PAYLOAD_OFFSET, 4) + le(im + HDR_PAYLOAD_LENGTH, 4);
	if (payload_end > o->kernel_bytes)
		return BZIMAGE_BAD_PAYLOAD;

	o->loadflags = im[HDR_LOADFLAGS];
	if (!(o->loadflags & BZIMAGE_LOADED_HIGH))
		return BZIMAGE_NOT_LOADED_HIGH;
	o->xloadflags = (uint16_t)le(im + HDR_XLOADFLAGS, 2);
	o->code32_start = (uint32_t)le(im + HDR_CODE32_START, 4);
	o->initrd_addr_max = (uint32_t)le(im + HDR_INITRD_ADDR_MAX, 4);
	o->kernel_alignment = (uint32_t)le(im + HDR_KERNEL_ALIGNMENT, 4);
	if (!o->kernel_alignment || (o->kernel_alignment & (o->kernel_alignment - 1)))
		return BZIMAGE_BAD_ALIGNMENT;
	o->relocatable = im[HDR_RELOCATABLE];
	o->cmdline_size = (uint32_t)le(im + HDR_CMDLINE_SIZE, 4);
	o->pref_address = le(im + HDR_PREF_ADDRESS, 8);
	o->init_size = (uint32_t)le(im + HDR_INIT_SIZE, 4);
	if (o->init_size < o->kernel_bytes)
		return BZIMAGE_BAD_INIT_SIZE;
	if (o->init_size > max_init_bytes)
		return BZIMAGE_TOO_LARGE;
	return BZIMAGE_OK;
}

int bzimage_parse(const void *image, uint64_t size, uint64_t max_init_bytes,
		  struct bzimage_info *out)
{
	struct bzimage_info o = { 0 };
	int err = check(image, size, max_init_bytes, &o);
	if (err == BZIMAGE_OK)
		*out = o;
	return err;
}

const char *bzimage_strerror(int err)
{
	switch (err) {
	case BZIMAGE_OK: return "valid bzImage";
	case BZIMAGE_TRUNCATED: return "truncated bzImage";
	case BZIMAGE_BAD_BOOT_FLAG: return "no 0xaa55 boot flag";
	case BZIMAGE_BAD_MAGIC: return "no HdrS magic";
	case BZIMAGE_OLD_VERSION: return "boot protocol older than 2.12";
	case BZIMAGE_BAD_SETUP_SECTS: return "bad setup_sects";
	case BZIMAGE_BAD_PAYLOAD: return "payload outside the kernel";
	case BZIMAGE_NOT_LOADED_HIGH: return "not a bzImage (LOADED_HIGH clear)";
	case BZIMAGE_BAD_ALIGNMENT: return "kernel_alignment not a power of two";
	case BZIMAGE_BAD_INIT_SIZE: return "init_size smaller than the kernel";
	case BZIMAGE_TOO_LARGE: return "kernel too large for guest RAM";
	default: return "unknown bzImage error";
	}
}
