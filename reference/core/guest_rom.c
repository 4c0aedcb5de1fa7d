/* The two EPT-mapped windows with restricted rights (contract section 9):
 * the guest ROM (read/execute, writes dropped) and the no-execute page
 * (read/write; a fetch ends the VM). */
#include "devices.h"
#include "frames.h"
#include "hv_string.h"
#include "vm_end.h"

#define GUEST_ROM_SIGNATURE "hvspec-guest-rom"   /* bytes 0..15; byte i >= 16 holds i & 0xff */
#define GUEST_ROM_SIGNATURE_LEN 16

static void map_window(struct vm *vm, uint64_t gpa, uint64_t hpa, unsigned perms)
{
	int err = stage2_map(&vm->stage2, gpa, hpa, DEVICE_WINDOW_SIZE, perms, STAGE2_MT_WB);
	if (err == STAGE2_ENOMEM)
		vm_end("out of memory");
	if (err)
		vm_end("stage-2 map of gpa 0x%lx failed: %s", gpa, stage2_strerror(err));
}

void guest_rom_init(struct vm *vm)
{
	uint8_t *rom = (uint8_t *)frame_alloc();
	if (!rom)
		vm_end("out of memory");
	memcpy(rom, GUEST_ROM_SIGNATURE, GUEST_ROM_SIGNATURE_LEN);
	for (unsigned i = GUEST_ROM_SIGNATURE_LEN; i < DEVICE_WINDOW_SIZE; i++)
		rom[i] = (uint8_t)i;
	vm->rom_hpa = (uint64_t)rom;
	map_window(vm, GUEST_ROM_BASE, vm->rom_hpa, STAGE2_READ | STAGE2_EXEC);
	vm->noexec_hpa = frame_alloc();
	if (!vm->noexec_hpa)
		vm_end("out of memory");
	map_window(vm, NOEXEC_PAGE_BASE, vm->noexec_hpa, STAGE2_READ | STAGE2_WRITE);
}
