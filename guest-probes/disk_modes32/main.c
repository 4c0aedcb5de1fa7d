/* disk_modes32: an ELF32 probe that checks the DiskRead/DiskWrite buffer is
 * translated like Print's in each 32-bit paging mode (contract 14,
 * {#disk.hc.buffer}): paging off, 32-bit paging with 4-KiB pages and with
 * 4-MiB pages (CR4.PSE), PAE with 4-KiB pages and with 2-MiB pages. In each
 * mode it writes two sectors from a buffer that crosses a page boundary
 * into a lower, non-adjacent frame (decoy bytes in the frames adjacent to
 * the first), reads them back through a buffer of its own, then reads them
 * into the crossing buffer again. One line per check:
 *   `disk_modes32: mode=<m> case=<write|read> rax=<result> data=ok`
 * or `data=bad at=<offset> got=<byte> want=<byte>`. Every mode uses its own
 * sectors, so a mode that moves nothing cannot pass on an earlier mode's
 * bytes. The disk is the harness's fill "pattern" (abi/disk.h), >= 16
 * sectors. */
#include "abi/disk.h"
#include "runtime.h"
#include "../shared/modes32_paging.h"

#define SECTOR DISK_SECTOR_BYTES
#define SECTORS_PER_MODE 2
#define BUF_BYTES (SECTORS_PER_MODE * SECTOR)
#define FIRST_PIECE 300u          /* bytes of the buffer before the page boundary */
#define SENTINEL 0xee
#define DECOY 0x5a
#define GUEST_RAM_END 0x4000000u  /* default mem=64M (contract 1) */
#define LARGE_32 (1u << PDE_SHIFT_32)
#define LARGE_PAE (1u << PDE_SHIFT_PAE)

/* Large-page tests: VA_LARGE -> LARGE_HIGH_GPA, the next large page ->
 * LARGE_LOW_GPA (both aligned to 4 MiB, inside RAM, above the probe). */
#define VA32_LARGE 0x80000000u
#define VAPAE_LARGE 0x40400000u   /* PDPT[1] -> PD1[2], PD1[3] */
#define LARGE_HIGH_GPA 0x2000000u
#define LARGE_LOW_GPA 0x1800000u

/* 4-KiB test pages: VA_TEST -> frame A, VA_TEST + 4 KiB -> frame B. */
static struct modes32_paging paging;
static uint8_t check[BUF_BYTES];

static uint8_t *at(uint32_t gpa) { return (uint8_t *)(uintptr_t)gpa; }

/* Not the fill "pattern": what each mode writes. */
static uint8_t written_byte(uint32_t s, unsigned k) { return (uint8_t)(s * 29 + k * 7 + 0x13); }

/* Where the crossing buffer's bytes lie: the tail of one page and the head
 * of another, decoy = the bytes a linear copy from the first would use. */
struct crossing {
	const char *mode;
	uint32_t va;            /* the buffer's first byte */
	uint8_t *first, *second, *decoy;
	uint32_t sector;
};

static void print_data(const uint8_t *p, uint32_t lba)
{
	for (unsigned i = 0; i < BUF_BYTES; i++) {
		uint8_t want = written_byte(lba + i / SECTOR, i % SECTOR);
		if (p[i] != want) {
			printf(" data=bad at=%u got=0x%x want=0x%x\n", i, p[i], want);
			return;
		}
	}
	printf(" data=ok\n");
}

static void gather(const struct crossing *c)
{
	memcpy(check, c->first, FIRST_PIECE);
	memcpy(check + FIRST_PIECE, c->second, BUF_BYTES - FIRST_PIECE);
}

static void run(const struct crossing *c)
{
	for (unsigned i = 0; i < BUF_BYTES; i++)
		check[i] = written_byte(c->sector + i / SECTOR, i % SECTOR);
	memcpy(c->first, check, FIRST_PIECE);
	memcpy(c->second, check + FIRST_PIECE, BUF_BYTES - FIRST_PIECE);
	memset(c->decoy, DECOY, BUF_BYTES - FIRST_PIECE);
	hc_result r = hypercall3(HC_DISK_WRITE, c->sector, SECTORS_PER_MODE, c->va);
	printf("disk_modes32: mode=%s case=write rax=%ld", c->mode, r);
	memset(check, SENTINEL, sizeof check);
	hc_result back = hypercall3(HC_DISK_READ, c->sector, SECTORS_PER_MODE, phys32(check));
	if (back != SECTORS_PER_MODE)
		printf(" readback_rax=%ld\n", back);
	else
		print_data(check, c->sector);

	memset(c->first, SENTINEL, FIRST_PIECE);
	memset(c->second, SENTINEL, BUF_BYTES - FIRST_PIECE);
	memset(c->decoy, SENTINEL, BUF_BYTES - FIRST_PIECE);
	r = hypercall3(HC_DISK_READ, c->sector, SECTORS_PER_MODE, c->va);
	printf("disk_modes32: mode=%s case=read rax=%ld", c->mode, r);
	gather(c);
	print_data(check, c->sector);
}

/* A buffer crossing from frame A into frame B at 4-KiB page VA_TEST + 4 KiB. */
static void small_pages(const char *mode, uint32_t sector)
{
	struct crossing c = {
		.mode = mode, .va = VA_TEST + PAGE_SIZE_4K - FIRST_PIECE,
		.first = paging.frames[FRAME_A] + PAGE_SIZE_4K - FIRST_PIECE,
		.second = paging.frames[FRAME_B], .decoy = paging.frames[FRAME_AFTER_A], .sector = sector,
	};
	run(&c);
}

/* A buffer crossing from the large page at va (-> LARGE_HIGH_GPA) into the
 * next one (-> LARGE_LOW_GPA). */
static void large_pages(const char *mode, uint32_t va, uint32_t size, uint32_t sector)
{
	struct crossing c = {
		.mode = mode, .va = va + size - FIRST_PIECE,
		.first = at(LARGE_HIGH_GPA + size - FIRST_PIECE),
		.second = at(LARGE_LOW_GPA), .decoy = at(LARGE_HIGH_GPA + size), .sector = sector,
	};
	run(&c);
}

static void paging_off(void)
{
	/* Physically contiguous: frame A's tail, then the frame after it. */
	struct crossing c = {
		.mode = "off", .va = phys32(paging.frames[FRAME_A]) + PAGE_SIZE_4K - FIRST_PIECE,
		.first = paging.frames[FRAME_A] + PAGE_SIZE_4K - FIRST_PIECE,
		.second = paging.frames[FRAME_AFTER_A], .decoy = paging.frames[FRAME_AFTER_B], .sector = 2,
	};
	run(&c);
}

static void paging32(void)
{
	modes32_build_paging32(&paging, GUEST_RAM_END);
	paging.pd32[VA32_LARGE >> PDE_SHIFT_32] = LARGE_HIGH_GPA | PTE_P | PTE_RW | PTE_PS;
	paging.pd32[(VA32_LARGE >> PDE_SHIFT_32) + 1] = LARGE_LOW_GPA | PTE_P | PTE_RW | PTE_PS;
	modes32_enable_paging32(&paging);
	small_pages("pse32", 4);
	large_pages("pse32_4m", VA32_LARGE, LARGE_32, 6);
}

static void pae(void)
{
	modes32_build_pae(&paging, GUEST_RAM_END);
	unsigned large = (VAPAE_LARGE >> PDE_SHIFT_PAE) & (ENTRIES_PER_TABLE_64 - 1);
	paging.pae_pd1[large] = LARGE_HIGH_GPA | PTE_P | PTE_RW | PTE_PS;
	paging.pae_pd1[large + 1] = LARGE_LOW_GPA | PTE_P | PTE_RW | PTE_PS;
	modes32_enable_pae(&paging);
	small_pages("pae", 8);
	large_pages("pae_2m", VAPAE_LARGE, LARGE_PAE, 10);
}

void probe_main(void)
{
	paging_off();
	paging32();
	pae();
	printf("disk_modes32: done\n");
}
