/* bzboot: a synthetic Linux bzImage (contract 16). setup.S is its real-mode
 * part, a setup header only (bzboot.h's values); this protected-mode kernel
 * runs at whatever address the loader chose. At entry (entry.S records the
 * registers first) it reports, one fact per line, what a loader following
 * boot.rst's 32-bit boot protocol owes it: the entry state (linux.entry),
 * its load address against kernel_alignment, pref_address and the e820
 * RAM (linux.load), the zero page's header copy, type_of_loader and command
 * line (linux.load), the e820 map sorted and with adjacent ranges of one
 * type merged (linux.e820), and ramdisk_image/ramdisk_size with the
 * initrd's checksum (linux.initrd). It prints through the Print hypercall
 * (contract 5, paging off: addresses are guest-physical), observations
 * only; the cases in spec/linux.lua judge them. Ends with HaltCpu(0). */
#include <stdbool.h>
#include <stdint.h>
#include "bzboot.h"
#include "console.h"
#include "entry.h"
#include "hypercall.h"

/* struct boot_params (zero-page.rst) and the setup header inside it
 * (boot.rst "The Real-Mode Kernel Header"). */
#define ZP_BYTES 4096u
#define ZP_EXT_RAMDISK_IMAGE 0x0c0
#define ZP_EXT_RAMDISK_SIZE 0x0c4
#define ZP_E820_ENTRIES 0x1e8    /* 1 byte */
#define ZP_SETUP_SECTS 0x1f1
#define ZP_BOOT_FLAG 0x1fe
#define ZP_HEADER 0x202
#define ZP_VERSION 0x206
#define ZP_TYPE_OF_LOADER 0x210
#define ZP_RAMDISK_IMAGE 0x218
#define ZP_RAMDISK_SIZE 0x21c
#define ZP_CMD_LINE_PTR 0x228
#define ZP_INITRD_ADDR_MAX 0x22c
#define ZP_RELOCATABLE 0x234
#define ZP_CMDLINE_SIZE 0x238
#define ZP_PREF_ADDRESS 0x258
#define ZP_INIT_SIZE 0x260
#define ZP_E820_TABLE 0x2d0
#define E820_ENTRY_BYTES 20      /* packed: u64 addr, u64 size, u32 type */
#define E820_MAX 128             /* E820_MAX_ENTRIES_ZEROPAGE */
#define E820_RAM 1
#define E820_RESERVED 2

#define LOW_MEMORY_END 0x100000u /* the zero page lies below 1 MiB (boot.rst) */
#define BOOT_CS 0x10             /* boot.rst: __BOOT_CS, __BOOT_DS */
#define BOOT_DS 0x18

/* Segment descriptor fields (SDM vol. 3A 3.4.5, Figure 3-8). */
#define DESC_TYPE(d) ((uint32_t)((d) >> 40) & 0xf)
#define DESC_S(d) ((uint32_t)((d) >> 44) & 1)
#define DESC_P(d) ((uint32_t)((d) >> 47) & 1)
#define DESC_DB(d) ((uint32_t)((d) >> 54) & 1)
#define DESC_G(d) ((uint32_t)((d) >> 55) & 1)
#define DESC_BASE(d) ((uint32_t)((((d) >> 16) & 0xffffff) | (((d) >> 56) << 24)))
#define DESC_LIMIT(d) ((uint32_t)(((d) & 0xffff) | (((d) >> 32) & 0xf0000)))
#define DESC_LIMIT_FLAT 0xfffffu /* with G = 1: 4 GiB */
/* Type bits (SDM vol. 3A 3.4.5.1, Table 3-1). */
#define TYPE_CODE 0x8
#define TYPE_CODE_READ 0x2
#define TYPE_DATA_EXPAND_DOWN 0x4
#define TYPE_DATA_WRITE 0x2

struct range {
	uint64_t start, end;     /* [start, end) */
	uint32_t type;
};

static struct range map[E820_MAX];
static unsigned nmap;
static uint64_t ram_end;         /* end of the highest e820 RAM range */

static uint32_t rd32(uint32_t a) { return *(volatile uint32_t *)(uintptr_t)a; }
static uint16_t rd16(uint32_t a) { return *(volatile uint16_t *)(uintptr_t)a; }
static uint8_t rd8(uint32_t a) { return *(volatile uint8_t *)(uintptr_t)a; }
static uint64_t rd64(uint32_t a) { return rd32(a) | (uint64_t)rd32(a + 4) << 32; }

static const char *yes(bool b) { return b ? "yes" : "no"; }

/* Whether [start, start + size) lies in one e820 RAM range. */
static bool in_ram_range(uint64_t start, uint64_t size)
{
	for (unsigned i = 0; i < nmap; i++)
		if (map[i].type == E820_RAM && start >= map[i].start &&
		    size <= map[i].end - start)
			return true;
	return false;
}

/* The e820 map sorted by address, ranges of one type that touch merged:
 * the same map however a loader splits or orders it. */
static void read_e820(uint32_t zp)
{
	unsigned n = rd8(zp + ZP_E820_ENTRIES);
	printf("bzboot: e820 entries=%u\n", n);
	if (n > E820_MAX)
		n = E820_MAX;
	nmap = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t e = zp + ZP_E820_TABLE + i * E820_ENTRY_BYTES;
		struct range r = { rd64(e), rd64(e) + rd64(e + 8), rd32(e + 16) };
		if (r.end <= r.start)
			continue;
		unsigned j = nmap++;
		for (; j > 0 && map[j - 1].start > r.start; j--)
			map[j] = map[j - 1];
		map[j] = r;
	}
	unsigned m = 0;
	for (unsigned i = 0; i < nmap; i++) {
		if (m && map[m - 1].type == map[i].type && map[m - 1].end >= map[i].start) {
			if (map[i].end > map[m - 1].end)
				map[m - 1].end = map[i].end;
		} else {
			map[m++] = map[i];
		}
	}
	nmap = m;
	ram_end = 0;
	for (unsigned i = 0; i < nmap; i++) {
		const struct range *r = &map[i];
		if (r->type == E820_RAM)
			ram_end = r->end;
		if (r->type == E820_RAM || r->type == E820_RESERVED)
			printf("bzboot: e820 0x%llx-0x%llx %s\n", (unsigned long long)r->start,
			       (unsigned long long)r->end, r->type == E820_RAM ? "ram" : "reserved");
		else
			printf("bzboot: e820 0x%llx-0x%llx type=%u\n", (unsigned long long)r->start,
			       (unsigned long long)r->end, r->type);
	}
	printf("bzboot: e820 end\n");
}

static void check_entry_state(const struct bzboot_entry *e)
{
	printf("bzboot: entry cs=0x%x ds=0x%x es=0x%x ss=0x%x\n", e->cs, e->ds, e->es, e->ss);
	printf("bzboot: entry eflags=0x%x ebx=0x%x ebp=0x%x edi=0x%x\n", e->eflags, e->ebx,
	       e->ebp, e->edi);
	uint32_t base = e->gdtr_base, limit = e->gdtr_limit;
	bool gdt_in_ram = (uint64_t)base + limit < ram_end;
	printf("bzboot: gdtr base=0x%x limit=0x%x in_ram=%s\n", base, limit, yes(gdt_in_ram));
	if (!gdt_in_ram)
		return;
	const uint16_t sel[2] = { BOOT_CS, BOOT_DS };
	for (unsigned i = 0; i < 2; i++) {
		if (sel[i] + 7u > limit) {
			printf("bzboot: gdt 0x%x beyond the limit\n", sel[i]);
			continue;
		}
		uint64_t d = rd64(base + sel[i]);
		bool flat = DESC_BASE(d) == 0 && DESC_LIMIT(d) == DESC_LIMIT_FLAT && DESC_G(d) &&
			    DESC_S(d) && DESC_P(d) && DESC_DB(d);
		uint32_t t = DESC_TYPE(d);
		if (sel[i] == BOOT_CS)
			printf("bzboot: gdt 0x10 flat 32-bit execute/read=%s (0x%llx)\n",
			       yes(flat && (t & TYPE_CODE) && (t & TYPE_CODE_READ)),
			       (unsigned long long)d);
		else
			printf("bzboot: gdt 0x18 flat 32-bit read/write=%s (0x%llx)\n",
			       yes(flat && !(t & TYPE_CODE) && (t & TYPE_DATA_WRITE) &&
				   !(t & TYPE_DATA_EXPAND_DOWN)),
			       (unsigned long long)d);
	}
}

/* The fields a loader only reads (boot.rst "Details of Header Fields"),
 * copied from the file. */
static void check_header_copy(uint32_t zp)
{
	printf("bzboot: zeropage setup_sects=0x%x boot_flag=0x%x header=0x%x version=0x%x\n",
	       rd8(zp + ZP_SETUP_SECTS), rd16(zp + ZP_BOOT_FLAG), rd32(zp + ZP_HEADER),
	       rd16(zp + ZP_VERSION));
	printf("bzboot: zeropage initrd_addr_max=0x%x relocatable=0x%x cmdline_size=0x%x "
	       "pref_address=0x%llx init_size=0x%x\n",
	       rd32(zp + ZP_INITRD_ADDR_MAX), rd8(zp + ZP_RELOCATABLE), rd32(zp + ZP_CMDLINE_SIZE),
	       (unsigned long long)rd64(zp + ZP_PREF_ADDRESS), rd32(zp + ZP_INIT_SIZE));
	printf("bzboot: zeropage type_of_loader=0x%x\n", rd8(zp + ZP_TYPE_OF_LOADER));
}

static void check_cmdline(uint32_t zp)
{
	static char line[BZBOOT_CMDLINE_SIZE + 1];
	uint32_t p = rd32(zp + ZP_CMD_LINE_PTR);
	if (!in_ram_range(p, 1)) {
		printf("bzboot: cmd_line_ptr=0x%x not in RAM\n", p);
		return;
	}
	unsigned n = 0;
	while (n < sizeof line && in_ram_range(p + n, 1) && (line[n] = (char)rd8(p + n)))
		n++;
	if (n == sizeof line || line[n]) {
		printf("bzboot: cmd_line_ptr=0x%x no NUL within cmdline_size + 1 bytes of RAM\n", p);
		return;
	}
	printf("bzboot: cmdline \"%s\"\n", line);
}

static void check_load(uint32_t load)
{
	bool aligned = load % BZBOOT_KERNEL_ALIGNMENT == 0;
	printf("bzboot: load=0x%x at_pref_address=%s kernel_alignment_multiple=%s "
	       "init_size_in_ram=%s\n", load, yes(load == BZBOOT_PREF_ADDRESS), yes(aligned),
	       yes(in_ram_range(load, BZBOOT_INIT_SIZE)));
}

static void check_initrd(uint32_t zp, uint32_t load)
{
	uint32_t image = rd32(zp + ZP_RAMDISK_IMAGE), size = rd32(zp + ZP_RAMDISK_SIZE);
	uint32_t ext_image = rd32(zp + ZP_EXT_RAMDISK_IMAGE), ext_size = rd32(zp + ZP_EXT_RAMDISK_SIZE);
	printf("bzboot: initrd ramdisk_image=0x%x ramdisk_size=0x%x\n", image, size);
	if (ext_image || ext_size)
		printf("bzboot: initrd ext_ramdisk_image=0x%x ext_ramdisk_size=0x%x\n", ext_image,
		       ext_size);
	if (!size)
		return;
	if (!in_ram_range(image, size)) {
		printf("bzboot: initrd not in RAM\n");
		return;
	}
	/* Position-weighted: a shifted or reordered copy sums differently. */
	uint32_t sum = 0;
	for (uint32_t k = 0; k < size; k++)
		sum += rd8(image + k) * (k + 1);
	uint64_t end = (uint64_t)image + size;
	bool overlaps = image < (uint64_t)load + BZBOOT_INIT_SIZE && load < end;
	printf("bzboot: initrd sum=0x%x ends_at_or_below_initrd_addr_max=%s overlaps_init_size=%s\n",
	       sum, yes(end - 1 <= BZBOOT_INITRD_ADDR_MAX), yes(overlaps));
}

void bzboot_main(const struct bzboot_entry *e)
{
	printf("bzboot: entry esi=0x%x below_1mib=%s\n", e->esi,
	       yes(e->esi < LOW_MEMORY_END && e->esi + ZP_BYTES <= LOW_MEMORY_END));
	uint32_t zp = e->esi;
	/* Without the zero page there is no map to check anything against. */
	if (zp >= LOW_MEMORY_END || zp + ZP_BYTES > LOW_MEMORY_END) {
		hv_halt(0);
		return;
	}
	read_e820(zp);
	check_entry_state(e);
	check_header_copy(zp);
	check_cmdline(zp);
	check_load(e->eip);
	check_initrd(zp, e->eip);
	printf("bzboot: done\n");
	hv_halt(0);
}
