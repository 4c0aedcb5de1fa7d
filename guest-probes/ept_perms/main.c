/* ept_perms: the access rights the guest sees in guest-physical memory
 * (contract 9).
 *
 * Without `test=` the probe checks what must work and prints one line per
 * fact:
 *   ept_perms: ram fetch result=0x<rdi+rsi>      code written to a fresh RAM
 *                                                page at BLOB_PAGE runs there
 *   ept_perms: ram read_first value=0x0 written=0xa5 fetch=0x<..>
 *                                                a page first touched by a
 *                                                read is zero, writable and
 *                                                executable
 *   ept_perms: rom signature=<16 bytes>          ROM bytes 0..15
 *   ept_perms: rom pattern mismatches=0 first=none
 *                                                ROM byte i (i >= 16) = i & 0xff
 *   ept_perms: rom qword offset=0x.. value=0x..  8-byte reads of the ROM
 *   ept_perms: rom fetch ecx=0x.. esi=0x..       a call into the ROM at 0xb9
 *                                                runs its bytes b9.. c3 as
 *                                                `mov $imm,%ecx; mov $imm,%esi;
 *                                                ret`
 *   ept_perms: rom write <form> offset=0x.. before=0x.. after=0x..
 *                                                writes are dropped, the
 *                                                guest goes on
 *   ept_perms: noexec zero_bytes=4096 written=0x0123456789abcdef
 *                                                the no-execute page reads
 *                                                zero at start and keeps
 *                                                what is written
 *   ept_perms: done
 *
 * With `test=NAME` it makes one access the contract ends the VM for, from
 * code at BLOB_PAGE (so the report's rip is known): hole_read, hole_write,
 * hole_fetch (an unbacked hole), testdev_fetch and doorbell_fetch
 * (instruction fetch from a device window), noexec_fetch (a jump to a RET
 * the probe wrote into the no-execute page), apic_read (the local APIC
 * page is no guest memory either) and high_read (a GPA above 4 GiB,
 * reached through a test mapping). */
#include "../memlib/memlib.h"
#include "paging64.h"

/* An unbacked guest-physical hole (contract 9: "anything else"); the page
 * offset makes the reported gpa show it is not rounded. */
#define HOLE_GPA 0xd0000abcull
#define APIC_DEFAULT_BASE 0xfee00000ull /* IA32_APIC_BASE reset value, 10.4.4 */
#define HIGH_GPA 0x100000000ull         /* 4 GiB */
#define HIGH_GPA_OFFSET 0x10ull

#define NOEXEC_TEST_OFFSET 0x100u
#define NOEXEC_TEST_VALUE 0x0123456789abcdefull
#define NOEXEC_RET_OFFSET 0x10u

/* A fresh RAM page for the read-first test, above BLOB_PAGE. */
#define READ_FIRST_PAGE (BLOB_PAGE + 0x80000ull)

/* ROM offset where the bytes b9 ba bb bc bd be bf c0 c1 c2 c3 decode as
 * mov $0xbdbcbbba,%ecx; mov $0xc2c1c0bf,%esi; ret (vol. 2, MOV B8+rd id and
 * RET C3). */
#define ROM_CODE_OFFSET 0xb9u

/* Code bytes (vol. 2): each a complete function ending in RET. */
static const uint8_t read_byte_code[] = { 0x8a, 0x07, OPCODE_RET }; /* mov (%rdi),%al */
static const uint8_t write_byte_code[] = { 0x88, 0x07, OPCODE_RET }; /* mov %al,(%rdi) */
static const uint8_t jump_code[] = { 0xff, 0xe7 };                  /* jmp *%rdi */
/* lea (%rdi,%rsi,1),%rax; ret */
static const uint8_t add_code[] = { 0x48, 0x8d, 0x04, 0x37, OPCODE_RET };

static void ram_checks(void)
{
	const uint64_t a = 0x1111000000000000ull, b = 0x2222;
	uint64_t r = blob_run(add_code, sizeof(add_code), a, b);
	printf("ept_perms: ram fetch result=0x%llx\n", (unsigned long long)r);

	volatile uint8_t *page = (volatile uint8_t *)(uintptr_t)READ_FIRST_PAGE;
	uint8_t first = page[0x123];
	page[0x123] = 0xa5;
	uint8_t written = page[0x123];
	for (size_t i = 0; i < sizeof(add_code); i++)
		page[i] = add_code[i];
	uint64_t (*fn)(uint64_t, uint64_t) =
		(uint64_t(*)(uint64_t, uint64_t))(uintptr_t)READ_FIRST_PAGE;
	r = fn(a, b);
	printf("ept_perms: ram read_first value=0x%x written=0x%x fetch=0x%llx\n",
	       first, written, (unsigned long long)r);
}

static void rom_reads(void)
{
	const volatile uint8_t *rom = (const volatile uint8_t *)(uintptr_t)GUEST_ROM_BASE;
	char sig[GUEST_ROM_SIGNATURE_LEN + 1];
	for (unsigned i = 0; i < GUEST_ROM_SIGNATURE_LEN; i++) {
		uint8_t c = rom[i];
		sig[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	sig[GUEST_ROM_SIGNATURE_LEN] = '\0';
	printf("ept_perms: rom signature=%s\n", sig);

	unsigned mismatches = 0, first = 0;
	for (unsigned i = GUEST_ROM_SIGNATURE_LEN; i < DEVICE_WINDOW_SIZE; i++) {
		if (rom[i] != (uint8_t)i) {
			if (!mismatches)
				first = i;
			mismatches++;
		}
	}
	if (mismatches)
		printf("ept_perms: rom pattern mismatches=%u first=0x%x\n",
		       mismatches, first);
	else
		printf("ept_perms: rom pattern mismatches=0 first=none\n");

	static const unsigned offsets[] = { 0x10, 0x100, 0xff8 };
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++)
		printf("ept_perms: rom qword offset=0x%x value=0x%llx\n",
		       offsets[i],
		       (unsigned long long)mmio_read64(GUEST_ROM_BASE + offsets[i]));
}

static void rom_fetch(void)
{
	uint64_t target = GUEST_ROM_BASE + ROM_CODE_OFFSET;
	uint64_t rcx = 0, rsi = 0;
	__asm__ volatile("call *%2"
			 : "+c"(rcx), "+S"(rsi)
			 : "r"(target)
			 : "memory", "cc");
	printf("ept_perms: rom fetch ecx=0x%llx esi=0x%llx\n",
	       (unsigned long long)rcx, (unsigned long long)rsi);
}

static void rom_write_report(const char *form, unsigned offset, uint64_t before)
{
	printf("ept_perms: rom write %s offset=0x%x before=0x%llx after=0x%llx\n",
	       form, offset, (unsigned long long)before,
	       (unsigned long long)mmio_read64(GUEST_ROM_BASE + offset));
}

static void rom_writes(void)
{
	const unsigned off_byte = 0x20, off_dword = 0x40, off_qword = 0x80;
	uint64_t rom = GUEST_ROM_BASE;

	uint64_t before = mmio_read64(rom + off_byte);
	__asm__ volatile("movb $0, (%0)" : : "r"(rom + off_byte) : "memory");
	rom_write_report("imm8", off_byte, before);

	before = mmio_read64(rom + off_dword);
	__asm__ volatile("movl %0, (%1)"
			 : : "r"(0xdeadbeefu), "r"(rom + off_dword) : "memory");
	rom_write_report("reg32", off_dword, before);

	before = mmio_read64(rom + off_qword);
	mmio_write64(rom + off_qword, 0);
	rom_write_report("reg64", off_qword, before);
}

static void noexec_page(void)
{
	const volatile uint8_t *page = (const volatile uint8_t *)(uintptr_t)NOEXEC_PAGE_BASE;
	size_t zero = first_byte_not(page, PAGE_SIZE_4K, 0);
	mmio_write64(NOEXEC_PAGE_BASE + NOEXEC_TEST_OFFSET, NOEXEC_TEST_VALUE);
	printf("ept_perms: noexec zero_bytes=%llu written=0x%llx\n",
	       (unsigned long long)zero,
	       (unsigned long long)mmio_read64(NOEXEC_PAGE_BASE + NOEXEC_TEST_OFFSET));
}

static void fatal_access(void)
{
	if (test_selected("hole_read")) {
		blob_run(read_byte_code, sizeof(read_byte_code), HOLE_GPA, 0);
	} else if (test_selected("hole_write")) {
		blob_run(write_byte_code, sizeof(write_byte_code), HOLE_GPA, 0);
	} else if (test_selected("hole_fetch")) {
		blob_run(jump_code, sizeof(jump_code), HOLE_GPA, 0);
	} else if (test_selected("testdev_fetch")) {
		blob_run(jump_code, sizeof(jump_code), TESTDEV_BASE + TESTDEV_READS, 0);
	} else if (test_selected("doorbell_fetch")) {
		blob_run(jump_code, sizeof(jump_code), DOORBELL_BASE, 0);
	} else if (test_selected("noexec_fetch")) {
		*(volatile uint8_t *)(uintptr_t)(NOEXEC_PAGE_BASE + NOEXEC_RET_OFFSET) = OPCODE_RET;
		blob_run(jump_code, sizeof(jump_code), NOEXEC_PAGE_BASE + NOEXEC_RET_OFFSET, 0);
	} else if (test_selected("apic_read")) {
		blob_run(read_byte_code, sizeof(read_byte_code), APIC_DEFAULT_BASE, 0);
	} else if (test_selected("high_read")) {
		map_page_4k(PROBE_MAP_BASE, HIGH_GPA);
		blob_run(read_byte_code, sizeof(read_byte_code),
			 PROBE_MAP_BASE + HIGH_GPA_OFFSET, 0);
	} else {
		probe_error("unknown test= value");
	}
	/* A conforming hypervisor ended the VM at the access. */
	printf("ept_perms: survived forbidden access\n");
}

void probe_main(void)
{
	if (any_test_selected()) {
		fatal_access();
		return;
	}
	ram_checks();
	rom_reads();
	rom_fetch();
	rom_writes();
	noexec_page();
	printf("ept_perms: done\n");
}
