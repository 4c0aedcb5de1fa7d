/* The guest ROM window (contract section 9): one page the guest may read
 * and execute but not change. */
#include "devices.h"
#include "frames.h"
#include "hv_string.h"
#include "vm_end.h"

#define GUEST_ROM_SIGNATURE "hvspec-guest-rom"   /* bytes 0..15; byte i >= 16 holds i & 0xff */
#define GUEST_ROM_SIGNATURE_LEN 16

void guest_rom_init(struct vm *vm)
{
	uint8_t *rom = (uint8_t *)frame_alloc();
	if (!rom)
		vm_end("out of memory");
	memcpy(rom, GUEST_ROM_SIGNATURE, GUEST_ROM_SIGNATURE_LEN);
	for (unsigned i = GUEST_ROM_SIGNATURE_LEN; i < DEVICE_WINDOW_SIZE; i++)
		rom[i] = (uint8_t)i;
	vm->rom_hpa = (uint64_t)rom;
	int err = ept_map(&vm->ept, GUEST_ROM_BASE, (uint64_t)rom, DEVICE_WINDOW_SIZE,
			  EPT_READ | EPT_EXEC, EPT_MT_WB);
	if (err)
		vm_end(err == EPT_ENOMEM ? "out of memory" : "ept map of the guest ROM failed");
}
