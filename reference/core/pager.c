#include "pager.h"
#include "frames.h"
#include "hv_string.h"
#include "vm_end.h"
#include "arch.h"

static uint64_t env_alloc(void *ctx) { (void)ctx; return frame_alloc(); }
static void env_free(void *ctx, uint64_t hpa) { (void)ctx; frame_free(hpa); }
static void *env_virt(void *ctx, uint64_t hpa) { (void)ctx; return (void *)hpa; }   /* identity map */
static void env_flush(void *ctx, uint64_t root) { (void)ctx; arch->stage2_flush(root); }

void pager_init(struct vm *vm, const struct arch_caps *caps)
{
	const struct stage2_env env = {
		.format = caps->stage2_format,
		.alloc_frame = env_alloc, .free_frame = env_free, .phys_to_virt = env_virt,
		.flush = env_flush, .caps = caps->stage2_caps, .phys_addr_bits = caps->phys_addr_bits,
	};
	vm->frames_baseline = frames_in_use();
	uint64_t bitmap_bytes = vm->ram_bytes / PAGER_PAGE_SIZE / 8;
	vm->populated = (uint64_t *)frames_alloc_contig(bitmap_bytes, PAGER_PAGE_SIZE);
	if (!vm->populated)
		vm_end("out of memory");
	memset(vm->populated, 0, (bitmap_bytes + PAGER_PAGE_SIZE - 1) & ~(PAGER_PAGE_SIZE - 1));
	int err = stage2_init(&vm->stage2, &env);
	if (err)
		vm_end("unsupported: %s (%s)", caps->stage2_format == STAGE2_FORMAT_NPT ? "nested paging" : "ept",
		       stage2_strerror(err));
}

bool pager_in_ram(const struct vm *vm, uint64_t gpa)
{
	return gpa < vm->ram_bytes;
}

/* Copies the file bytes of every segment overlapping [page, page + 4K). */
static void fill_from_image(const struct vm *vm, uint64_t page, uint8_t *frame)
{
	for (unsigned i = 0; i < vm->elf.nseg; i++) {
		const struct elf_guest_segment *s = &vm->elf.seg[i];
		uint64_t file_end = s->paddr + s->filesz;   /* bss beyond stays zero */
		uint64_t lo = s->paddr > page ? s->paddr : page;
		uint64_t hi = file_end < page + PAGER_PAGE_SIZE ? file_end : page + PAGER_PAGE_SIZE;
		if (lo < hi)
			memcpy(frame + (lo - page), vm->image + s->offset + (lo - s->paddr), hi - lo);
	}
}

void pager_populate(struct vm *vm, uint64_t gpa)
{
	uint64_t page = gpa & ~(PAGER_PAGE_SIZE - 1);
	uint64_t frame = frame_alloc();   /* zeroed */
	if (!frame)
		vm_end("out of memory");
	if (vm->image)
		fill_from_image(vm, page, (uint8_t *)frame);
	int err = stage2_map(&vm->stage2, page, frame, PAGER_PAGE_SIZE, STAGE2_READ | STAGE2_WRITE | STAGE2_EXEC, STAGE2_MT_WB);
	if (err == STAGE2_ENOMEM) {
		frame_free(frame);
		vm_end("out of memory");
	}
	if (err)
		vm_end("stage-2 map of gpa 0x%lx failed: %s", page, stage2_strerror(err));
	vm->pager.pages_populated++;
	vm->populated[page / PAGER_PAGE_SIZE / 64] |= 1ull << (page / PAGER_PAGE_SIZE % 64);
}

void pager_teardown(struct vm *vm)
{
	uint64_t pages = vm->ram_bytes / PAGER_PAGE_SIZE;
	for (uint64_t w = 0; w < (pages + 63) / 64; w++) {
		for (uint64_t bits = vm->populated[w]; bits; bits &= bits - 1) {
			uint64_t gpa = (w * 64 + (uint64_t)__builtin_ctzll(bits)) * PAGER_PAGE_SIZE;
			struct stage2_mapping m;
			if (stage2_walk(&vm->stage2, gpa, &m) == STAGE2_OK)
				frame_free(m.hpa);
		}
	}
	if (vm->rom_hpa)
		frame_free(vm->rom_hpa);
	if (vm->noexec_hpa)
		frame_free(vm->noexec_hpa);
	stage2_destroy(&vm->stage2);
	uint64_t bitmap_frames = (pages / 8 + PAGER_PAGE_SIZE - 1) / PAGER_PAGE_SIZE;
	for (uint64_t i = 0; i < bitmap_frames; i++)
		frame_free((uint64_t)vm->populated + i * PAGER_PAGE_SIZE);
}
