/* The suite's fast boot path: runs from ROM right after reset and enters
 * the hypervisor exactly as a Multiboot2 loader (GRUB) would, without a
 * BIOS or a disk. Layout of the ROM: rom_format.h. */
#include <stdint.h>
#include "rom_format.h"
#include "ata_pio.h"
#include "mb2_build.h"
#include "elf_guest.h"
#include "mb2_header.h"
#include "hv_string.h"
#include "power_off.h"
#include "uart.h"
#include "x86.h"

#define QEMU_EXIT_LOADER_FAILED 1  /* QEMU exit status (1 << 1) | 1 = 3 */
#define LOW_MEMORY_TOP       0x9F000u   /* conventional memory reported as available */
#define PAGE_SIZE            0x1000u
#define INFO_MAX             0x4000u

static __attribute__((noreturn)) void fail(const char *why)
{
	uart_puts("[romboot] ");
	uart_puts(why);
	uart_puts("\n");
	machine_power_off(QEMU_EXIT_LOADER_FAILED);
}

static uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) & ~(a - 1); }

static const void *blob(const struct hvrom_blob *b)
{
	return (const void *)(uintptr_t)b->addr;
}

/* Firmware option vmx-locked-off: what real firmware does when VMX is
 * turned off in its setup. Refuses (rather than boots a machine with
 * VMX on) when the processor cannot be put in that state. */
static void lock_vmx_off(void)
{
	uint32_t ecx = cpuid(CPUID_FEATURES, 0).ecx;
	if (!(ecx & (CPUID_1_ECX_VMX | CPUID_1_ECX_SMX)))
		fail("vmx-locked-off: no IA32_FEATURE_CONTROL (the processor has neither VMX nor SMX)");
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (fc & FEATURE_CONTROL_LOCK) {
		if (fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)
			fail("vmx-locked-off: IA32_FEATURE_CONTROL is already locked with VMX on");
		return;
	}
	wrmsr(MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCK);
}

/* AMD APM vol. 2, 15.30.1 (VM_CR) and vol. 3, appendix E.4.2 (CPUID
 * Fn8000_0001 ECX bit 2: SVM). */
#define AMD_CPUID_EXT_MAX      0x80000000u  /* EAX: the highest extended leaf */
#define AMD_CPUID_EXT_FEATURES 0x80000001u
#define AMD_CPUID_EXT_ECX_SVM  (1u << 2)
#define AMD_MSR_VM_CR          0xC0010114u
#define AMD_VM_CR_LOCK         (1ull << 3)
#define AMD_VM_CR_SVMDIS       (1ull << 4)

/* Firmware option svm-locked-off: what real firmware does when SVM is
 * turned off in its setup. Refuses (rather than boots a machine with SVM
 * usable) when the processor cannot be put in that state: an emulator that
 * ignores VM_CR (QEMU 7.2's TCG) reads the write back as 0. */
static void lock_svm_off(void)
{
	if (cpuid(AMD_CPUID_EXT_MAX, 0).eax < AMD_CPUID_EXT_FEATURES ||
	    !(cpuid(AMD_CPUID_EXT_FEATURES, 0).ecx & AMD_CPUID_EXT_ECX_SVM))
		fail("svm-locked-off: no VM_CR (the processor has no SVM)");
	uint64_t want = AMD_VM_CR_SVMDIS | AMD_VM_CR_LOCK;
	uint64_t vm_cr = rdmsr(AMD_MSR_VM_CR);
	if ((vm_cr & AMD_VM_CR_LOCK) && !(vm_cr & AMD_VM_CR_SVMDIS))
		fail("svm-locked-off: VM_CR is already locked with SVM on");
	if (!(vm_cr & AMD_VM_CR_LOCK))
		wrmsr(AMD_MSR_VM_CR, vm_cr | want);
	if ((rdmsr(AMD_MSR_VM_CR) & want) != want)
		fail("svm-locked-off: the processor ignored the write to VM_CR (SVMDIS and LOCK "
		     "read back clear)");
}

static uint32_t load_kernel(const struct hvrom_header *h, uint32_t ram, uint32_t *entry)
{
	static struct elf_guest_image img;   /* .bss: too big for the small stack */
	const struct guest_layout layout = { .ram_bytes = ram };
	if (!h->kernel.size)
		fail("no kernel in ROM");
	if (mb2_header_find(blob(&h->kernel), h->kernel.size) < 0)
		fail("kernel has no Multiboot2 header");
	int err = elf_guest_parse(blob(&h->kernel), h->kernel.size, &layout, &img);
	if (err) {
		uart_puts("[romboot] kernel: ");
		fail(elf_guest_strerror(err));
	}
	for (unsigned i = 0; i < img.nseg; i++) {
		const struct elf_guest_segment *s = &img.seg[i];
		if (s->paddr < KERNEL_MIN_ADDR)
			fail("kernel segment below 1 MiB");
		uint8_t *dst = (uint8_t *)(uintptr_t)s->paddr;
		memcpy(dst, (const uint8_t *)blob(&h->kernel) + s->offset, (uint32_t)s->filesz);
		memset(dst + s->filesz, 0, (uint32_t)(s->memsz - s->filesz));
	}
	*entry = (uint32_t)img.entry;
	return (uint32_t)img.end;
}

static uint8_t disk_sector[HVROM_DISK_SECTOR];   /* .bss, not zeroed: RAM is dirty */

static __attribute__((noreturn)) void disk_failed(const char *err)
{
	uart_puts("[romboot] firmware disk: ");
	uart_puts(err);
	uart_puts("\n");
	machine_power_off(QEMU_EXIT_LOADER_FAILED);
}

/* The ATA primary master must be the disk mkrom wrote for this ROM. */
static void check_firmware_disk(void)
{
	const char *err = ata_pio_read(0, 1, disk_sector);
	if (err)
		disk_failed(err);
	if (memcmp(disk_sector, HVROM_DISK_MAGIC, sizeof HVROM_DISK_MAGIC - 1))
		disk_failed("the ATA primary master is not a firmware disk (no " HVROM_DISK_MAGIC
			    " in sector 0)");
}

/* Reads size bytes from the firmware disk, sector lba on, to dst; the
 * tail of the last sector goes through a buffer, so not a byte after the
 * module changes. */
static void read_from_disk(uint32_t lba, uint32_t size, uint8_t *dst)
{
	uint32_t whole = size / HVROM_DISK_SECTOR, rest = size % HVROM_DISK_SECTOR;
	const char *err = ata_pio_read(lba, whole, dst);
	if (!err && rest) {
		err = ata_pio_read(lba + whole, 1, disk_sector);
		if (!err)
			memcpy(dst + whole * HVROM_DISK_SECTOR, disk_sector, rest);
	}
	if (err)
		disk_failed(err);
}

/* Copies module i (size 0: none) from the ROM or the firmware disk to
 * *next, moves *next to the page after it and returns its end; fails with
 * too_big when RAM ends first. */
static uint32_t place_module(const struct hvrom_header *h, unsigned i, const struct hvrom_blob *m,
			     uint32_t ram, uint32_t *next, const char *too_big)
{
	uint32_t start = *next, end = start + m->size;
	if (!m->size)
		return end;
	if (end > ram || end < start)
		fail(too_big);
	if (h->modules_on_disk & (1u << i))
		read_from_disk(h->module_lba[i], m->size, (uint8_t *)(uintptr_t)start);
	else
		memcpy((void *)(uintptr_t)start, blob(m), m->size);
	*next = align_up(end, PAGE_SIZE);
	return end;
}

void loader_main(void)
{
	const struct hvrom_header *h = (const void *)HVROM_HEADER_ADDR;
	uart_init();
	if (memcmp(h->magic, HVROM_MAGIC, sizeof h->magic) || h->version != HVROM_VERSION)
		fail("bad ROM header");
	if (h->modules_on_disk >> HVROM_MODULES)
		fail("unknown module on the firmware disk in ROM header");
	if (h->firmware_options & ~HVROM_FW_KNOWN)
		fail("unknown firmware option in ROM header");
	if (h->firmware_options & HVROM_FW_VMX_LOCKED_OFF)
		lock_vmx_off();
	if (h->firmware_options & HVROM_FW_SVM_LOCKED_OFF)
		lock_svm_off();
	if (h->modules_on_disk)
		check_firmware_disk();
	uint32_t ram = h->machine_ram_mib << 20;
	uint32_t entry;
	uint32_t next = align_up(load_kernel(h, ram, &entry), PAGE_SIZE);

	uint32_t mod_start = next;
	uint32_t mod_end = place_module(h, 0, &h->module, ram, &next, "module does not fit in RAM");
	uint32_t extra_start = next;
	uint32_t extra_end = place_module(h, 1, &h->extra_module, ram, &next,
					  "second module does not fit in RAM");
	uint32_t third_start = next;
	uint32_t third_end = place_module(h, 2, &h->third_module, ram, &next,
					  "third module does not fit in RAM");

	const struct mb2_mmap_entry map[] = {
		{ 0, LOW_MEMORY_TOP, MB2_MEMORY_AVAILABLE, 0 },
		{ LOW_MEMORY_TOP, KERNEL_MIN_ADDR - LOW_MEMORY_TOP, MB2_MEMORY_RESERVED, 0 },
		{ KERNEL_MIN_ADDR, ram - KERNEL_MIN_ADDR, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000000ull - h->rom_size, h->rom_size, MB2_MEMORY_RESERVED, 0 },
	};
	if (next + INFO_MAX > ram)
		fail("no room for boot information");
	struct mb2_builder b;
	mb2_build_begin(&b, (void *)(uintptr_t)next, INFO_MAX);
	mb2_build_string(&b, MB2_TAG_LOADER_NAME, "hvspec-romboot");
	mb2_build_string(&b, MB2_TAG_CMDLINE, h->kernel_cmdline.size ? blob(&h->kernel_cmdline) : "");
	if (h->module.size)
		mb2_build_module(&b, mod_start, mod_end, h->module_cmdline.size ? blob(&h->module_cmdline) : "");
	if (h->extra_module.size)
		mb2_build_module(&b, extra_start, extra_end,
				 h->extra_module_cmdline.size ? blob(&h->extra_module_cmdline) : "");
	if (h->third_module.size)
		mb2_build_module(&b, third_start, third_end,
				 h->third_module_cmdline.size ? blob(&h->third_module_cmdline) : "");
	mb2_build_meminfo(&b, LOW_MEMORY_TOP / 1024, (ram - KERNEL_MIN_ADDR) / 1024);
	mb2_build_mmap(&b, map, sizeof map / sizeof map[0]);
	if (!mb2_build_end(&b))
		fail("boot information overflow");

	/* Multiboot2 machine state (spec 3.3): flat 32-bit segments (ours),
	 * paging off, EAX = magic, EBX = information structure. */
	__asm__ volatile("jmp *%2" :: "a"(MB2_BOOTLOADER_MAGIC), "b"(next), "r"(entry) : "memory");
	__builtin_unreachable();
}
