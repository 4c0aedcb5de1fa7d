/* Unit tests of bzimage: hand-made setup headers (offsets written out here
 * from boot.rst's header table, independently of bzimage.c), and the real
 * Debian kernel when /boot has one. */
#include <atf-c.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bzimage.h"

#define MiB (1024ull * 1024)
#define IMAGE_BYTES 0x10000
#define SETUP_SECTS 7                        /* real-mode part: 8 sectors */
#define KERNEL_OFFSET ((SETUP_SECTS + 1) * 512)
#define KERNEL_BYTES (IMAGE_BYTES - KERNEL_OFFSET)
#define RAM_LIMIT (64 * MiB)

static uint8_t image[IMAGE_BYTES];

static void put(unsigned off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		image[off + i] = (uint8_t)(v >> (8 * i));
}

/* A valid protocol 2.15 header describing a 64-bit relocatable kernel. */
static void valid(void)
{
	memset(image, 0, sizeof image);
	put(0x1f1, SETUP_SECTS, 1);
	put(0x1f4, KERNEL_BYTES / 16, 4);       /* syssize */
	put(0x1fe, 0xaa55, 2);
	put(0x200, 0xeb, 1);
	put(0x201, 0x6a, 1);                    /* header ends at 0x26c */
	memcpy(image + 0x202, "HdrS", 4);
	put(0x206, 0x020f, 2);
	put(0x211, 0x01, 1);                    /* LOADED_HIGH */
	put(0x214, 0x100000, 4);
	put(0x22c, 0x7fffffff, 4);
	put(0x230, 0x200000, 4);
	put(0x234, 1, 1);
	put(0x236, 0x7f, 2);
	put(0x238, 2047, 4);
	put(0x248, 0x2cc, 4);                   /* payload inside the kernel */
	put(0x24c, 0x1000, 4);
	put(0x258, 0x1000000, 8);
	put(0x260, 4 * MiB, 4);
}

static int parse(uint64_t size, struct bzimage_info *out)
{
	return bzimage_parse(image, size, RAM_LIMIT, out);
}

#define CHECK_ERR(want, size) do { \
	struct bzimage_info o_; \
	int e_ = parse((size), &o_); \
	ATF_CHECK_MSG(e_ == (want), "expected %s, got %s", \
		      bzimage_strerror(want), bzimage_strerror(e_)); \
} while (0)

ATF_TC_WITHOUT_HEAD(valid_header);
ATF_TC_BODY(valid_header, tc)
{
	valid();
	struct bzimage_info o;
	ATF_REQUIRE_EQ(parse(IMAGE_BYTES, &o), BZIMAGE_OK);
	ATF_CHECK_EQ(o.version, 0x020f);
	ATF_CHECK_EQ(o.setup_sects, SETUP_SECTS);
	ATF_CHECK_EQ(o.kernel_offset, KERNEL_OFFSET);
	ATF_CHECK_EQ(o.kernel_bytes, KERNEL_BYTES);
	ATF_CHECK_EQ(o.header_end, 0x26c);
	ATF_CHECK_EQ(o.loadflags, BZIMAGE_LOADED_HIGH);
	ATF_CHECK(o.xloadflags & BZIMAGE_XLF_KERNEL_64);
	ATF_CHECK_EQ(o.code32_start, 0x100000);
	ATF_CHECK_EQ(o.initrd_addr_max, 0x7fffffff);
	ATF_CHECK_EQ(o.kernel_alignment, 0x200000);
	ATF_CHECK_EQ(o.relocatable, 1);
	ATF_CHECK_EQ(o.cmdline_size, 2047);
	ATF_CHECK_EQ(o.pref_address, 0x1000000);
	ATF_CHECK_EQ(o.init_size, 4 * MiB);
}

ATF_TC_WITHOUT_HEAD(setup_sects_zero_means_four);
ATF_TC_BODY(setup_sects_zero_means_four, tc)
{
	valid();
	put(0x1f1, 0, 1);
	put(0x1f4, 0, 4);
	put(0x248, 0, 4);
	put(0x24c, 0, 4);
	struct bzimage_info o;
	ATF_REQUIRE_EQ(parse(IMAGE_BYTES, &o), BZIMAGE_OK);
	ATF_CHECK_EQ(o.setup_sects, 4);
	ATF_CHECK_EQ(o.kernel_offset, 5 * 512);
}

ATF_TC_WITHOUT_HEAD(truncated);
ATF_TC_BODY(truncated, tc)
{
	valid();
	CHECK_ERR(BZIMAGE_TRUNCATED, 0);
	CHECK_ERR(BZIMAGE_TRUNCATED, 0x205);
	CHECK_ERR(BZIMAGE_TRUNCATED, 0x263);     /* magic present, no init_size */
	/* syssize claims more protected-mode code than the file holds. */
	CHECK_ERR(BZIMAGE_TRUNCATED, IMAGE_BYTES - 16);
	valid();
	put(0x201, 0x10, 1);                    /* header ends before init_size */
	CHECK_ERR(BZIMAGE_TRUNCATED, IMAGE_BYTES);
}

ATF_TC_WITHOUT_HEAD(wrong_magic);
ATF_TC_BODY(wrong_magic, tc)
{
	valid();
	put(0x1fe, 0x55aa, 2);
	CHECK_ERR(BZIMAGE_BAD_BOOT_FLAG, IMAGE_BYTES);
	valid();
	memcpy(image + 0x202, "HdrT", 4);
	CHECK_ERR(BZIMAGE_BAD_MAGIC, IMAGE_BYTES);
	/* An ELF file is no bzImage. */
	memset(image, 0, sizeof image);
	memcpy(image, "\177ELF", 4);
	CHECK_ERR(BZIMAGE_BAD_BOOT_FLAG, IMAGE_BYTES);
}

ATF_TC_WITHOUT_HEAD(old_version);
ATF_TC_BODY(old_version, tc)
{
	valid();
	put(0x206, 0x020b, 2);
	CHECK_ERR(BZIMAGE_OLD_VERSION, IMAGE_BYTES);
	put(0x206, 0x020c, 2);
	CHECK_ERR(BZIMAGE_OK, IMAGE_BYTES);
}

ATF_TC_WITHOUT_HEAD(bad_setup_sects);
ATF_TC_BODY(bad_setup_sects, tc)
{
	valid();
	put(0x1f1, 0xff, 1);                    /* 128 KiB real-mode part */
	CHECK_ERR(BZIMAGE_BAD_SETUP_SECTS, IMAGE_BYTES);
	valid();
	CHECK_ERR(BZIMAGE_BAD_SETUP_SECTS, KERNEL_OFFSET); /* no kernel at all */
}

ATF_TC_WITHOUT_HEAD(bad_payload);
ATF_TC_BODY(bad_payload, tc)
{
	valid();
	put(0x24c, KERNEL_BYTES, 4);
	CHECK_ERR(BZIMAGE_BAD_PAYLOAD, IMAGE_BYTES);
	put(0x248, 0xffffffff, 4);              /* no 32-bit wrap-around */
	put(0x24c, 0xffffffff, 4);
	CHECK_ERR(BZIMAGE_BAD_PAYLOAD, IMAGE_BYTES);
}

ATF_TC_WITHOUT_HEAD(flags_and_alignment);
ATF_TC_BODY(flags_and_alignment, tc)
{
	valid();
	put(0x211, 0x80, 1);                    /* CAN_USE_HEAP but a zImage */
	CHECK_ERR(BZIMAGE_NOT_LOADED_HIGH, IMAGE_BYTES);
	valid();
	put(0x230, 0x300000, 4);
	CHECK_ERR(BZIMAGE_BAD_ALIGNMENT, IMAGE_BYTES);
	put(0x230, 0, 4);
	CHECK_ERR(BZIMAGE_BAD_ALIGNMENT, IMAGE_BYTES);
}

ATF_TC_WITHOUT_HEAD(too_large);
ATF_TC_BODY(too_large, tc)
{
	valid();
	put(0x260, RAM_LIMIT + 1, 4);
	CHECK_ERR(BZIMAGE_TOO_LARGE, IMAGE_BYTES);
	put(0x260, RAM_LIMIT, 4);
	CHECK_ERR(BZIMAGE_OK, IMAGE_BYTES);
	put(0x260, KERNEL_BYTES - 1, 4);
	CHECK_ERR(BZIMAGE_BAD_INIT_SIZE, IMAGE_BYTES);
}

ATF_TC_WITHOUT_HEAD(strerror_names_every_error);
ATF_TC_BODY(strerror_names_every_error, tc)
{
	for (int e = BZIMAGE_TRUNCATED; e <= BZIMAGE_TOO_LARGE; e++)
		ATF_CHECK(strcmp(bzimage_strerror(e), "unknown bzImage error") != 0);
	ATF_CHECK_STREQ(bzimage_strerror(BZIMAGE_TOO_LARGE + 1), "unknown bzImage error");
}

/* The first /boot/vmlinuz-* (Debian's linux-image-amd64), or NULL. */
/* The Linux guest make linux-guest unpacked next to this program's build
 * (<build>/linux/bzImage; the program is <build>/tests/unit/bzimage_test),
 * else an installed kernel in /boot. */
static char *find_debian_kernel(char *path, size_t n)
{
	char self[400];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len > 0) {
		self[len] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, n, "%s/../../linux/bzImage", self);
			if (access(path, R_OK) == 0)
				return path;
		}
	}
	DIR *d = opendir("/boot");
	if (!d)
		return NULL;
	struct dirent *e;
	char *found = NULL;
	while ((e = readdir(d)) && !found)
		if (strncmp(e->d_name, "vmlinuz-", 8) == 0) {
			snprintf(path, n, "/boot/%s", e->d_name);
			found = path;
		}
	closedir(d);
	return found;
}

ATF_TC_WITHOUT_HEAD(debian_kernel);
ATF_TC_BODY(debian_kernel, tc)
{
	char path[512];
	const char *env = getenv("HVSPEC_BZIMAGE");
	const char *file = env ? env : find_debian_kernel(path, sizeof path);
	if (!file)
		atf_tc_skip("no Debian kernel: neither <build>/linux/bzImage (make linux-guest) nor /boot/vmlinuz-*");
	FILE *f = fopen(file, "rb");
	ATF_REQUIRE_MSG(f, "cannot open %s", file);
	ATF_REQUIRE(fseek(f, 0, SEEK_END) == 0);
	long size = ftell(f);
	ATF_REQUIRE(size > 0);
	rewind(f);
	uint8_t *buf = malloc((size_t)size);
	ATF_REQUIRE(buf);
	ATF_REQUIRE_EQ(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);

	struct bzimage_info o;
	int err = bzimage_parse(buf, (uint64_t)size, 1024 * MiB, &o);
	ATF_REQUIRE_MSG(err == BZIMAGE_OK, "%s: %s", file, bzimage_strerror(err));
	ATF_CHECK(o.version >= BZIMAGE_MIN_VERSION);
	ATF_CHECK(o.xloadflags & BZIMAGE_XLF_KERNEL_64);
	ATF_CHECK(o.relocatable);
	ATF_CHECK(o.init_size >= o.kernel_bytes);
	ATF_CHECK_EQ(o.kernel_offset + o.kernel_bytes, (uint64_t)size);
	/* Truncating the real file by one paragraph past syssize is refused. */
	ATF_CHECK_EQ(bzimage_parse(buf, o.kernel_offset + 16, 1024 * MiB, &o), BZIMAGE_TRUNCATED);
	free(buf);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, valid_header);
	ATF_TP_ADD_TC(tp, setup_sects_zero_means_four);
	ATF_TP_ADD_TC(tp, truncated);
	ATF_TP_ADD_TC(tp, wrong_magic);
	ATF_TP_ADD_TC(tp, old_version);
	ATF_TP_ADD_TC(tp, bad_setup_sects);
	ATF_TP_ADD_TC(tp, bad_payload);
	ATF_TP_ADD_TC(tp, flags_and_alignment);
	ATF_TP_ADD_TC(tp, too_large);
	ATF_TP_ADD_TC(tp, strerror_names_every_error);
	ATF_TP_ADD_TC(tp, debian_kernel);
	return 0;
}
