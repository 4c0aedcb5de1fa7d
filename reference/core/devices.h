/* The guest-physical device windows (contract section 2 and 9) and their
 * register models. Windows lie outside guest RAM and are never EPT-mapped,
 * except the ROM, which is mapped read/execute-only. */
#ifndef HV_DEVICES_H
#define HV_DEVICES_H
#include <stdint.h>
#include "vm.h"

#define DOORBELL_BASE     0xcafe0000ull   /* KeV's mmio_print device */
#define TESTDEV_BASE      0xcafe1000ull
#define GUEST_ROM_BASE    0xcafe2000ull
#define NOEXEC_PAGE_BASE  0xcafe3000ull   /* read/write RAM page that may not be executed */
#define DEVICE_WINDOW_SIZE 0x1000ull

struct mmio_device {
	const char *name;
	uint64_t base, size;
	/* Register accesses of 1, 2, 4 or 8 bytes at byte offset off. */
	uint64_t (*read)(struct vm *vm, uint64_t off, unsigned width);
	void (*write)(struct vm *vm, uint64_t off, unsigned width, uint64_t value);
};

extern const struct mmio_device doorbell_device, testdev_device, virtio_blk_device;
/* The device whose window holds gpa, or NULL. */
const struct mmio_device *mmio_device_at(uint64_t gpa);
/* All windows (MMIO devices and the ROM), for the memory map and ELF checks. */
extern const struct gpa_range device_windows[];
extern const unsigned device_window_count;

/* Maps the guest ROM (read/execute) and the no-execute page (read/write). */
void guest_rom_init(struct vm *vm);

#endif
