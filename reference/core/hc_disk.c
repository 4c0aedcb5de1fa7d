/* The block hypercalls over the disk's backing store (contract 14). An
 * erroring call changes neither guest memory nor the disk: every argument
 * and every page of the buffer is checked before the first byte moves. */
#include "hc_disk.h"
#include "disk.h"
#include "guest_mem.h"
#include "hypercall.h"

/* One call's sectors, in host memory between the disk and the guest. */
static uint8_t transfer[HC_DISK_MAX_SECTORS * DISK_SECTOR_SIZE];

int64_t hc_disk_info(uint64_t selector)
{
	if (!disk_present())
		return HC_ENODEV;
	switch (selector) {
	case HC_DISK_INFO_SECTORS: return (int64_t)disk_sector_count();
	case HC_DISK_INFO_SECTOR_SIZE: return DISK_SECTOR_SIZE;
	}
	return HC_EINVAL;
}

/* The checks both transfers share, in the contract's table order; 0 when
 * the sectors and the whole buffer (every page present and in guest RAM)
 * are good. */
static int64_t check_transfer(struct vcpu *v, const struct guest_cpu_state *s, uint64_t lba,
			      uint64_t count, uint64_t gva)
{
	if (!disk_present())
		return HC_ENODEV;
	if (count > HC_DISK_MAX_SECTORS)
		return HC_E2BIG;
	uint64_t sectors = disk_sector_count();
	if (lba >= sectors || count > sectors - lba)
		return HC_ERANGE;
	uint64_t len = count * DISK_SECTOR_SIZE;
	if (!guest_range_valid(s, gva, len))
		return HC_EINVAL;
	struct guest_mem m = guest_mem_of(v->vm);
	while (len > 0) {
		uint64_t gpa, left;
		if (guest_translate(&m, s, gva, &gpa, &left) != GUEST_XLATE_OK)
			return HC_EFAULT;
		uint64_t chunk = len < left ? len : left;
		if (!guest_phys_in_ram(v->vm, gpa, chunk))
			return HC_EFAULT;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}

/* Count 0, or the checks; *done is set when the call's result is known
 * without moving a byte. */
static int64_t start_transfer(struct vcpu *v, struct guest_cpu_state *s, uint64_t lba,
			      uint64_t count, uint64_t gva, bool *done)
{
	*done = true;
	if (count == 0)
		return disk_present() ? 0 : HC_ENODEV;
	vcpu_cpu_state(v, s);
	int64_t err = check_transfer(v, s, lba, count, gva);
	*done = err != 0;
	return err;
}

int64_t hc_disk_read(struct vcpu *v, uint64_t lba, uint64_t count, uint64_t gva)
{
	struct guest_cpu_state s;
	bool done;
	int64_t result = start_transfer(v, &s, lba, count, gva, &done);
	if (done)
		return result;
	if (!disk_read(lba, count, transfer))
		return HC_ERANGE;
	struct guest_mem_rw m = { guest_mem_of(v->vm), guest_phys_write };
	if (guest_copy_to_virt(&m, &s, gva, transfer, count * DISK_SECTOR_SIZE) != GUEST_XLATE_OK)
		return HC_EFAULT;   /* not reached: check_transfer saw every page */
	return (int64_t)count;
}

int64_t hc_disk_write(struct vcpu *v, uint64_t lba, uint64_t count, uint64_t gva)
{
	struct guest_cpu_state s;
	bool done;
	int64_t result = start_transfer(v, &s, lba, count, gva, &done);
	if (done)
		return result;
	struct guest_mem m = guest_mem_of(v->vm);
	if (guest_copy_from_virt(&m, &s, gva, transfer, count * DISK_SECTOR_SIZE) != GUEST_XLATE_OK)
		return HC_EFAULT;   /* not reached: check_transfer saw every page */
	if (!disk_write(lba, count, transfer))
		return HC_ERANGE;
	return (int64_t)count;
}
