/* KeV's doorbell print device (contract section 9): the guest writes a
 * buffer GPA, a length, then rings the doorbell to print the buffer. */
#include "devices.h"
#include "console.h"
#include "guest_mem.h"
#include "hypercall.h"
#include "mmio_reg.h"
#include "vm_end.h"

#define DOORBELL_REG_BUFFER 0x00
#define DOORBELL_REG_LENGTH 0x08
#define DOORBELL_REG_RING   0x10
#define DOORBELL_REG_STATUS 0x18   /* bytes printed by the last ring, or a negative HC_E* */

static struct {
	uint64_t buffer, length;
	int64_t status;
} doorbell;

static uint64_t doorbell_read(struct vm *vm, uint64_t off, unsigned width)
{
	(void)vm;
	switch (off & ~7ull) {
	case DOORBELL_REG_BUFFER: return mmio_reg_read(doorbell.buffer, off, width);
	case DOORBELL_REG_LENGTH: return mmio_reg_read(doorbell.length, off, width);
	case DOORBELL_REG_STATUS: return mmio_reg_read((uint64_t)doorbell.status, off, width);
	}
	return 0;
}

static void ring(struct vm *vm)
{
	/* hvspec-solution begin: doorbell */
	static char buf[HC_PRINT_MAX];
	if (doorbell.length > HC_PRINT_MAX) {
		doorbell.status = HC_E2BIG;
		return;
	}
	if (!guest_phys_read(vm, doorbell.buffer, buf, doorbell.length)) {   /* checks RAM bounds */
		doorbell.status = HC_EFAULT;
		return;
	}
	console_guest_write(buf, doorbell.length);
	doorbell.status = (int64_t)doorbell.length;
	/* hvspec-solution stub: doorbell
	(void)vm;
	vm_end_not_implemented("doorbell");
	hvspec-solution end: doorbell */
}

static void doorbell_write(struct vm *vm, uint64_t off, unsigned width, uint64_t value)
{
	switch (off & ~7ull) {
	case DOORBELL_REG_BUFFER: mmio_reg_write(&doorbell.buffer, off, width, value); break;
	case DOORBELL_REG_LENGTH: mmio_reg_write(&doorbell.length, off, width, value); break;
	case DOORBELL_REG_RING: ring(vm); break;
	}
}

const struct mmio_device doorbell_device = {
	"doorbell", DOORBELL_BASE, DEVICE_WINDOW_SIZE, doorbell_read, doorbell_write,
};
