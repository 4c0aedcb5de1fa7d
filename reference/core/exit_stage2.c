/* Stage-2 faults (EPT violations, NPT faults): lazy paging inside guest RAM, MMIO emulation in device
 * windows, dropped writes to the guest ROM, a fault report anywhere else. */
#include "vm.h"
#include "devices.h"
#include "mmio.h"
#include "pager.h"
#include "vm_end.h"

static const char *const access_names[] = {
	[STAGE2_ACCESS_READ] = "read", [STAGE2_ACCESS_WRITE] = "write", [STAGE2_ACCESS_FETCH] = "fetch",
};

static bool in_rom(uint64_t gpa)
{
	return gpa >= GUEST_ROM_BASE && gpa - GUEST_ROM_BASE < DEVICE_WINDOW_SIZE;
}

void handle_stage2_fault(struct vcpu *v, uint64_t gpa, enum stage2_access access)
{
	if (pager_in_ram(v->vm, gpa)) {
		pager_populate(v->vm, gpa);
		v->vm->pager.faults_served++;
		return;   /* the guest retries the same instruction */
	}
	if (access != STAGE2_ACCESS_FETCH) {
		if (in_rom(gpa) && access == STAGE2_ACCESS_WRITE)
			return mmio_emulate(v, gpa, 0);   /* ROM ignores writes */
		const struct mmio_device *dev = mmio_device_at(gpa);
		if (dev)
			return mmio_emulate(v, gpa, dev);
	}
	vm_end("ept violation gpa=0x%lx access=%s rip=0x%lx", gpa, access_names[access], vcpu_rip(v));
}
