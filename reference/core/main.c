/* hv_main: from the Multiboot2 hand-off to the guest's first instruction. */
#include "arch.h"
#include "boot_info.h"
#include "console.h"
#include "devices.h"
#include "disk.h"
#include "frames.h"
#include "guest_boot.h"
#include "pager.h"
#include "pc_pic.h"
#include "pc_pit.h"
#include "host_cpu.h"
#include "hv_options.h"
#include "vm.h"
#include "vm_end.h"

extern char hv_image_start[], hv_image_end[];   /* hv.ld */

static struct vm the_vm;
static struct vcpu the_vcpu;

/* Returns every frame of the VM and reports what, if anything, leaked. */
static void teardown(void)
{
	uint64_t held = frames_in_use() - the_vm.frames_baseline;
	pager_teardown(&the_vm);
	hv_log("teardown: frames_held=%lu leaked=%ld", held,
	       (int64_t)(frames_in_use() - the_vm.frames_baseline));
}

void hv_main(uint32_t magic, uint64_t info)
{
	console_init();
	host_cpu_init();
	hv_log("hvspec reference hypervisor");

	struct boot_info bi;
	const char *bad_boot = boot_info_parse(magic, info, &bi);
	if (bad_boot)
		vm_end("refused: %s", bad_boot);
	frames_init(&bi, (uint64_t)hv_image_start, (uint64_t)hv_image_end);

	struct hv_options opt;
	char bad[64];
	if (hv_options_parse(bi.cmdline, &opt, bad, sizeof bad))
		vm_end("refused: bad command line: %s", bad);

	/* Contract section 4: long mode was checked by entry.S; the vendor
	 * layer checks the rest in the contract's order. */
	const char *missing = arch_choose();
	struct arch_caps caps;
	if (!missing)
		missing = arch->enable(&caps);
	if (missing)
		vm_end("unsupported: %s", missing);

	struct vm *vm = &the_vm;
	vm->ram_bytes = opt.guest_ram;
	vm->windows = device_windows;
	vm->nwindows = device_window_count;
	io_queue_init(&vm->queue);
	vm->platform_pc = opt.platform_pc;
	pc_pic_init(vm);
	pc_pit_init(vm);
	irq_init(&the_vcpu, opt.apic);
	if (!bi.has_module)
		vm_end("refused: no guest module");
	/* Before pager_init: the dirty-sector map is not one of the VM's frames. */
	const char *bad_disk = disk_init(bi.has_disk ? (const void *)bi.disk_start : 0,
					 bi.disk_end - bi.disk_start);
	if (bad_disk)
		vm_end("refused: %s", bad_disk);
	pager_init(vm, &caps);
	vm_end_set_teardown(teardown);
	guest_rom_init(vm);

	const struct guest_modules modules = {
		.image = (const void *)bi.module_start,
		.size = bi.module_end - bi.module_start,
		.cmdline = bi.module_string ? bi.module_string : "",
		.initrd = bi.has_initrd ? (const void *)bi.initrd_start : 0,
		.initrd_size = bi.has_initrd ? bi.initrd_end - bi.initrd_start : 0,
	};
	struct guest_entry entry;
	const char *refusal = guest_boot_load(vm, &modules, &entry);
	if (refusal)
		vm_end("refused: %s", refusal);
	hv_log("guest: ram=0x%lx entry=0x%lx", vm->ram_bytes, entry.rip);

	arch->guest_init(vm, &entry.start, opt.inject);
	struct vcpu *v = &the_vcpu;
	exceptions_init(v, opt.intercept_pf);
	v->vm = vm;
	v->regs.gpr[GPR_RAX] = entry.rax;
	v->regs.gpr[GPR_RBX] = entry.rbx;
	v->regs.gpr[GPR_RSI] = entry.rsi;
	arch->run(v);
}
