#include "guest_mem.h"
#include "hv_string.h"
#include "pager.h"

#define PAGE_SIZE 4096ull

bool guest_phys_in_ram(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	return gpa < vm->ram_bytes && len <= vm->ram_bytes - gpa;
}

/* Calls fn on each host-virtual piece of [gpa, gpa + len); false if any
 * page lies outside RAM. Pages not yet backed are populated first. */
static bool for_each_piece(struct vm *vm, uint64_t gpa, uint64_t len,
			   void (*fn)(void *host, uint64_t off, uint64_t n, void *arg), void *arg)
{
	if (!guest_phys_in_ram(vm, gpa, len))
		return false;
	for (uint64_t off = 0; off < len;) {
		struct stage2_mapping m;
		if (stage2_walk(&vm->stage2, gpa + off, &m) != STAGE2_OK) {
			pager_populate(vm, gpa + off);   /* first touch, on the guest's behalf */
			if (stage2_walk(&vm->stage2, gpa + off, &m) != STAGE2_OK)
				return false;
		}
		uint64_t n = PAGE_SIZE - ((gpa + off) & (PAGE_SIZE - 1));
		if (n > len - off)
			n = len - off;
		fn(vm->stage2.env.phys_to_virt(vm->stage2.env.ctx, m.hpa), off, n, arg);
		off += n;
	}
	return true;
}

static void copy_out(void *host, uint64_t off, uint64_t n, void *arg)
{
	memcpy((uint8_t *)arg + off, host, n);
}

static void copy_in(void *host, uint64_t off, uint64_t n, void *arg)
{
	memcpy(host, (const uint8_t *)arg + off, n);
}

bool guest_phys_read(void *vm, uint64_t gpa, void *buf, uint64_t len)
{
	return for_each_piece(vm, gpa, len, copy_out, buf);
}

/* The range is checked whole before the first byte, so a failure writes nothing. */
bool guest_phys_write(void *vm, uint64_t gpa, const void *buf, uint64_t len)
{
	return for_each_piece(vm, gpa, len, copy_in, (void *)buf);
}

struct guest_mem guest_mem_of(struct vm *vm)
{
	return (struct guest_mem){ guest_phys_read, vm };
}
