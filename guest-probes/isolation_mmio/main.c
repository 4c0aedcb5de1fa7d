/* isolation_mmio: device and memory accesses at the edges of what the guest
 * owns (contract 9 and 10). Runs with hv cmdline mem=16M.
 *
 * Without `test=`, doorbell rings whose buffer is not inside guest RAM; each
 * must set STATUS to an error, print nothing, and let the guest go on:
 *   isolation_mmio: ring=<name> status=<n>
 *     past_ram      BUFFER = the first byte past RAM, LENGTH 1      -14
 *     ends_past_ram 5 bytes, the last one past RAM                  -14
 *     ends_at_ram   5 bytes ending at the last byte of RAM          5 (prints EDGE)
 *     host_memory   BUFFER = RAM end + 16 MiB (host RAM)            -14
 *     wraps         BUFFER = 2^64 - 8, LENGTH 16                    -14
 *     testdev       BUFFER = the register test device (reads_delta=1:
 *                   the ring read no device register)              -14
 *     rom           BUFFER = the guest ROM                          -14
 *     noexec        BUFFER = the no-execute page (guest-writable, but
 *                   not guest RAM)                                  -14
 *     length_2_32   LENGTH 2^32 + 12 (a 32-bit LENGTH would print)  -7
 *   isolation_mmio: survived
 * With `test=NAME` one access that must end the VM, from code at
 * BLOB_PAGE (rip=0x300000):
 *   cross_store     8-byte store at 0xcafe1ffc   mmio: access crosses window end
 *   cross_load      8-byte load at 0xcafe1ffc    mmio: access crosses window end
 *   cross_doorbell  4-byte store at 0xcafe0ffe   mmio: access crosses window end
 *   doorbell_end_load 8-byte load at 0xcafe0ffc (into the test device)
 *                   mmio: access crosses window end
 *   rom_store_cross 8-byte store at 0xcafe2ffc (ROM, then the no-execute page)
 *                   mmio: access crosses window end
 *   into_virtio_load, into_virtio_store  8-byte load, store at 0xcafe3ffc (the
 *                   no-execute page, then the virtio window; only the window
 *                   part faults) mmio: access crosses window end gpa=0xcafe3ffc
 *   fs_into_virtio_load, gs_into_virtio_load  the same load as FS:0xffc
 *                   (GS:0xffc) with the FS (GS) base 0xcafe3000 set by
 *                   WRMSR: the same report
 *   ds_base_into_virtio_load  the same load through DS loaded with a
 *                   descriptor whose base is DS_DESCRIPTOR_BASE: 64-bit
 *                   mode ignores it (SDM vol. 1 3.3.7.1), the same report
 *   compat_ds_into_virtio_load  in compatibility mode, a 4-byte load at
 *                   DS:EDI whose base + EDI wraps past 2^32 to 0xcafe3ffe
 *                   (rip=0x300000): mmio: access crosses window end
 *                   gpa=0xcafe3ffe width=4
 *   rip_relative_into_virtio_load, rip_relative_into_virtio_store  4-byte
 *                   load, store written [rip+disp32] from code at RIPREL_VA
 *                   (rip=0x8000000000, the blob page mapped there): the
 *                   operand is RIPREL_VA + 0x1ffe, mapped to 0xcafe3ffe
 *                   with the virtio window's page after it
 *                   mmio: access crosses window end gpa=0xcafe3ffe width=4
 *   virtio_end_load 8-byte load at 0xcafe4ffc   mmio: access crosses window end
 *   past_windows    8-byte load at 0xcafe5000    ept violation at 0xcafe5000
 *                   (the first byte after the last window, virtio block)
 *   below_window    8-byte load at 0xcafdfffc    ept violation at 0xcafdfffc
 *   host_read       1-byte load at RAM end + 16 MiB          ept violation
 *   past_ram_write  1-byte store at the first byte past RAM  ept violation */
#include "../memlib/memlib.h"
#include "abi/virtio.h"
#include "../shared/compat_mode.h"
#include "paging64.h"

#define FAR_PAST_RAM 0x1000000ull
/* Operand addresses near window edges: the tests' 8- and 4-byte operands
 * starting there run past the edge. */
#define TESTDEV_LAST_4 (TESTDEV_BASE + DEVICE_WINDOW_SIZE - 4)
#define DOORBELL_LAST_2 (DOORBELL_BASE + DEVICE_WINDOW_SIZE - 2)
#define DOORBELL_LAST_4 (DOORBELL_BASE + DEVICE_WINDOW_SIZE - 4)
#define ROM_LAST_4 (GUEST_ROM_BASE + DEVICE_WINDOW_SIZE - 4)
#define NOEXEC_LAST_4 (NOEXEC_PAGE_BASE + DEVICE_WINDOW_SIZE - 4)
#define VIRTIO_LAST_4 (VIRTIO_BLK_MMIO_BASE + DEVICE_WINDOW_SIZE - 4)
#define PAST_LAST_WINDOW (VIRTIO_BLK_MMIO_BASE + DEVICE_WINDOW_SIZE)
#define BELOW_DOORBELL_4 (DOORBELL_BASE - 4)
#define WRAPPING_GPA 0xfffffffffffffff8ull
#define LENGTH_2_32 (0x100000000ull + 12)

/* Code bytes (vol. 2), each ending in RET. */
static const uint8_t store8_code[] = { 0x48, 0x89, 0x37, OPCODE_RET }; /* mov %rsi,(%rdi) */
static const uint8_t load8_code[] = { 0x48, 0x8b, 0x07, OPCODE_RET };  /* mov (%rdi),%rax */
/* mov %fs:(%rdi),%rax: FS keeps its base in 64-bit mode (SDM vol. 1 3.3.7.1) */
static const uint8_t fs_load8_code[] = { 0x64, 0x48, 0x8b, 0x07, OPCODE_RET };
static const uint8_t gs_load8_code[] = { 0x65, 0x48, 0x8b, 0x07, OPCODE_RET };

/* The runtime's GDT plus a data segment whose base 64-bit mode must
 * ignore: a hypervisor that adds it sees the operand 256 MiB higher,
 * nowhere near a window edge. */
#define DS_DESCRIPTOR_BASE 0x10000000u
#define DS_DESCRIPTOR_LIMIT 0xfffffu
#define DS_BASED_SELECTOR (RUNTIME_GDT_ENTRIES * 8u)
static uint64_t gdt[RUNTIME_GDT_ENTRIES + 1] __attribute__((aligned(8)));

static void load_based_ds(void)
{
	gdt_extend(gdt, sizeof gdt / sizeof gdt[0]);
	gdt[RUNTIME_GDT_ENTRIES] = data_segment_descriptor(DS_DESCRIPTOR_BASE, DS_DESCRIPTOR_LIMIT);
	__asm__ volatile("mov %0, %%ds" : : "r"(DS_BASED_SELECTOR) : "memory");
}

/* Compatibility mode (long mode, CS.L = 0): DS keeps its base and linear
 * addresses are 32 bits (SDM vol. 3A 3.2.4, vol. 1 3.4.2.1; APM vol. 2
 * 4.5.3). A 4-byte load at DS:EDI with base COMPAT_DS_BASE and EDI =
 * 0xcafe3ffe - base (mod 2^32): base + EDI passes 2^32 and wraps to
 * 0xcafe3ffe, two bytes before the virtio window. A hypervisor that drops
 * the base, or keeps bit 32, sees no operand crossing into the window. */
#define COMPAT_DS_BASE 0xf0000000u
#define NOEXEC_LAST_2 (NOEXEC_PAGE_BASE + DEVICE_WINDOW_SIZE - 2)
/* mov (%edi),%eax (8B /r, 32-bit code), then the far return to 64-bit mode */
static const uint8_t compat_load4_code[] = { 0x8b, 0x07, OPCODE_FAR_RET };

static void compat_ds_load4(void)
{
	gdt_extend(gdt, sizeof gdt / sizeof gdt[0]);
	gdt[RUNTIME_GDT_ENTRIES] = flat_data_segment_descriptor(COMPAT_DS_BASE);
	blob_place(compat_load4_code, sizeof compat_load4_code);
	unsigned long rdi = (uint32_t)(NOEXEC_LAST_2 - COMPAT_DS_BASE);
	__asm__ volatile("movl %[sel], %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 COMPAT_MODE_CALL("pushq %[entry]\n\t")
			 "movl %[flat], %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 : "+D"(rdi)
			 : [sel] "i"(DS_BASED_SELECTOR), [flat] "i"(RUNTIME_DATA_SELECTOR),
			   [entry] "i"(BLOB_PAGE)
			 : "rax", "r10", "r11", "memory");
}

/* RIP-relative operands (SDM vol. 2A 2.2.1.6): in 64-bit mode ModR/M
 * mod=00 r/m=101 means [RIP + disp32], RIP being the address of the NEXT
 * instruction. disp32 reaches only +-2 GiB, so the code and the operand
 * are mapped side by side in PML4 slot 1: the blob page at RIPREL_VA, the
 * no-execute page after it and the virtio window's page after that. The
 * 4-byte operand starts 2 bytes before the window's page; a hypervisor
 * that adds anything but the next instruction's address to disp32 sees
 * an operand wholly inside the no-execute page or the window. */
#define RIPREL_VA PROBE_MAP_BASE
#define RIPREL_OPERAND_VA (RIPREL_VA + 2 * PAGE_SIZE_4K - 2)
#define MODRM_RIP_EAX 0x05u /* mod=00 reg=EAX r/m=101: [RIP + disp32] */
#define MODRM_RIP_ESI 0x35u /* mod=00 reg=ESI r/m=101 */
#define RIPREL_INSN_LEN 6u  /* opcode, ModR/M, disp32 */

/* 8B /r mov eax,[rip+disp32] (load) or 89 /r mov [rip+disp32],esi (store),
 * run at RIPREL_VA with the operand at RIPREL_OPERAND_VA. */
static void rip_relative_into_virtio(bool store)
{
	int32_t disp = (int32_t)(RIPREL_OPERAND_VA - (RIPREL_VA + RIPREL_INSN_LEN));
	uint8_t code[RIPREL_INSN_LEN + 1] = { store ? 0x89 : 0x8b,
					      store ? MODRM_RIP_ESI : MODRM_RIP_EAX };
	memcpy(&code[2], &disp, sizeof disp);
	code[RIPREL_INSN_LEN] = OPCODE_RET;
	blob_place(code, sizeof code);
	map_page_4k(RIPREL_VA, BLOB_PAGE);
	map_page_4k(RIPREL_VA + PAGE_SIZE_4K, NOEXEC_PAGE_BASE);
	map_page_4k(RIPREL_VA + 2 * PAGE_SIZE_4K, VIRTIO_BLK_MMIO_BASE);
	uint64_t (*fn)(uint64_t, uint64_t) = (uint64_t(*)(uint64_t, uint64_t))RIPREL_VA;
	fn(0, 0x5a5a5a5a);
}
static const uint8_t store4_code[] = { 0x89, 0x37, OPCODE_RET };       /* mov %esi,(%rdi) */
static const uint8_t load1_code[] = { 0x8a, 0x07, OPCODE_RET };        /* mov (%rdi),%al */
static const uint8_t store1_code[] = { 0x40, 0x88, 0x37, OPCODE_RET }; /* mov %sil,(%rdi) */

static const char leaked[] = "isolation_mmio: LEAKED\n";

static uint64_t testdev_reads(void)
{
	return mmio_read64(TESTDEV_BASE + TESTDEV_READS);
}

static int64_t ring(uint64_t buffer, uint64_t length)
{
	mmio_write64(DOORBELL_BASE + DOORBELL_BUFFER, buffer);
	mmio_write64(DOORBELL_BASE + DOORBELL_LENGTH, length);
	mmio_write64(DOORBELL_BASE + DOORBELL_RING, 1);
	return (int64_t)mmio_read64(DOORBELL_BASE + DOORBELL_STATUS);
}

static void report(const char *name, int64_t status)
{
	printf("isolation_mmio: ring=%s status=%lld\n", name, (long long)status);
}

static void doorbell_edges(uint64_t ram_end)
{
	report("past_ram", ring(ram_end, 1));
	char *tail = (char *)(uintptr_t)(ram_end - 5);
	memcpy(tail, "LEAK!", 5);
	report("ends_past_ram", ring(ram_end - 4, 5));
	memcpy(tail, "EDGE\n", 5);
	report("ends_at_ram", ring(ram_end - 5, 5));
	report("host_memory", ring(ram_end + FAR_PAST_RAM, 8));
	report("wraps", ring(WRAPPING_GPA, 16));

	uint64_t before = testdev_reads();
	int64_t status = ring(TESTDEV_BASE, 8);
	printf("isolation_mmio: ring=testdev status=%lld reads_delta=%llu\n",
	       (long long)status, (unsigned long long)(testdev_reads() - before));
	report("rom", ring(GUEST_ROM_BASE, 8));
	memcpy((char *)(uintptr_t)NOEXEC_PAGE_BASE, "LEAKED!\n", 8);
	report("noexec", ring(NOEXEC_PAGE_BASE, 8));
	report("length_2_32", ring((uint64_t)(uintptr_t)leaked, LENGTH_2_32));
}

static void fatal_access(uint64_t ram_end)
{
	if (test_selected("cross_store"))
		blob_run(store8_code, sizeof(store8_code), TESTDEV_LAST_4, 0);
	else if (test_selected("cross_load"))
		blob_run(load8_code, sizeof(load8_code), TESTDEV_LAST_4, 0);
	else if (test_selected("cross_doorbell"))
		blob_run(store4_code, sizeof(store4_code), DOORBELL_LAST_2, 0);
	else if (test_selected("doorbell_end_load"))
		blob_run(load8_code, sizeof(load8_code), DOORBELL_LAST_4, 0);
	else if (test_selected("rom_store_cross"))
		blob_run(store8_code, sizeof(store8_code), ROM_LAST_4, 0);
	else if (test_selected("into_virtio_load"))
		blob_run(load8_code, sizeof(load8_code), NOEXEC_LAST_4, 0);
	else if (test_selected("into_virtio_store"))
		blob_run(store8_code, sizeof(store8_code), NOEXEC_LAST_4, 0);
	else if (test_selected("fs_into_virtio_load")) {
		wrmsr(MSR_IA32_FS_BASE, NOEXEC_PAGE_BASE);
		blob_run(fs_load8_code, sizeof(fs_load8_code), DEVICE_WINDOW_SIZE - 4, 0);
	} else if (test_selected("gs_into_virtio_load")) {
		wrmsr(MSR_IA32_GS_BASE, NOEXEC_PAGE_BASE);
		blob_run(gs_load8_code, sizeof(gs_load8_code), DEVICE_WINDOW_SIZE - 4, 0);
	} else if (test_selected("ds_base_into_virtio_load")) {
		load_based_ds();
		blob_run(load8_code, sizeof(load8_code), NOEXEC_LAST_4, 0);
	}
	else if (test_selected("compat_ds_into_virtio_load"))
		compat_ds_load4();
	else if (test_selected("rip_relative_into_virtio_load"))
		rip_relative_into_virtio(false);
	else if (test_selected("rip_relative_into_virtio_store"))
		rip_relative_into_virtio(true);
	else if (test_selected("virtio_end_load"))
		blob_run(load8_code, sizeof(load8_code), VIRTIO_LAST_4, 0);
	else if (test_selected("past_windows"))
		blob_run(load8_code, sizeof(load8_code), PAST_LAST_WINDOW, 0);
	else if (test_selected("below_window"))
		blob_run(load8_code, sizeof(load8_code), BELOW_DOORBELL_4, 0);
	else if (test_selected("host_read"))
		blob_run(load1_code, sizeof(load1_code), ram_end + FAR_PAST_RAM, 0);
	else if (test_selected("past_ram_write"))
		blob_run(store1_code, sizeof(store1_code), ram_end, 0x5a);
	else
		probe_error("unknown test= value");
	printf("isolation_mmio: survived forbidden access\n");
}

void probe_main(void)
{
	uint64_t ram_end = ram_end_from_mmap();
	if (any_test_selected()) {
		fatal_access(ram_end);
		return;
	}
	doorbell_edges(ram_end);
	printf("isolation_mmio: survived\n");
}
