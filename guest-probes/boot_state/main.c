/* boot_state: the guest's view of its boot (contract section 2). Prints the
 * registers the entry code recorded before touching anything (EAX, EBX and
 * the other GPRs, EFLAGS, CR0, selectors, the EIP it started at), where the
 * Multiboot2 information lies relative to the image, every tag it holds
 * (loader name, command line, mem_lower/mem_upper, each mmap entry), what
 * the map says about a few probe addresses, whether initialized data and
 * zero-filled bss arrived intact, and EFER after the switch to long mode. */
#include "runtime.h"

#define DATA_MARKER 0x5eed1234u

extern char _start[];

/* Never written: the loader must zero-fill p_memsz beyond p_filesz. */
static volatile uint8_t untouched_bss[8192];
/* Initialized data: the loader must copy p_filesz bytes from the file. */
static volatile uint32_t data_marker = DATA_MARKER;

/* Guest-physical addresses whose memory-map type the cases check: both
 * sides of the 16 MiB and 64 MiB RAM ends and of the device windows. */
static const uint64_t mmap_probes[] = {
	0x0,       0x9f000,   0x100000,   0xfff000,   0x1000000,
	0x3fff000, 0x4000000, 0xcafdf000, 0xcafe0000, 0xcafe1000,
	0xcafe2000, 0xcafe3000, 0xcafe4000, 0xcafe5000,
};

static void print_registers(void)
{
	printf("boot: eax=0x%x\n", boot_eax);
	printf("boot: ebx=0x%x\n", boot_ebx);
	printf("boot: gprs ecx=0x%x edx=0x%x esi=0x%x edi=0x%x ebp=0x%x "
	       "esp=0x%x\n",
	       boot_ecx, boot_edx, boot_esi, boot_edi, boot_ebp, boot_esp);
	printf("boot: eflags=0x%x\n", boot_eflags);
	printf("boot: cr0=0x%x\n", boot_cr0);
	printf("boot: cr4=0x%x\n", boot_cr4);
	printf("boot: selectors cs=0x%x ds=0x%x es=0x%x fs=0x%x gs=0x%x "
	       "ss=0x%x\n",
	       boot_cs, boot_ds, boot_es, boot_fs, boot_gs, boot_ss);
	printf("boot: entry eip=0x%x elf_entry=0x%lx\n", boot_entry_eip,
	       (unsigned long)(uintptr_t)_start);
	printf("boot: efer_initial=0x%x\n", boot_efer_lo);
}

static void print_image(void)
{
	unsigned nonzero = 0;
	for (size_t i = 0; i < sizeof(untouched_bss); i++)
		nonzero += untouched_bss[i] != 0;
	printf("boot: bss nonzero_bytes=%u\n", nonzero);
	printf("boot: data marker=0x%x\n", data_marker);

	uint64_t ebx = boot_ebx;
	uint64_t image_end = (uintptr_t)__image_end;
	printf("boot: info aligned8=%d page_aligned=%d above_image=%d\n",
	       ebx % 8 == 0, ebx % PAGE_SIZE_4K == 0, ebx >= image_end);
	/* The image's last segment ends on a page boundary (link64.ld), the
	 * case where rounding up must not add a page. */
	printf("boot: info at_image_end=%d\n", ebx == image_end);
}

static void print_tag(const struct mb2_tag_view *tag, void *arg)
{
	(void)arg;
	printf("mb2: tag type=%u size=%u\n", tag->type, tag->size);
}

static void print_mmap(const struct mb2_info *mi)
{
	printf("mb2: mmap entry_size=%u entry_version=%u entries=%u\n",
	       mi->mmap_entry_size, mi->mmap_entry_version, mi->mmap_count);
	uint64_t available = 0;
	uint32_t reserved_nonzero = 0;   /* MB2 3.6.8: every entry's reserved field is 0 */
	for (uint32_t i = 0; i < mi->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_entry(mi, i);
		printf("mb2: mmap base=0x%llx length=0x%llx type=%u reserved=%u\n",
		       (unsigned long long)e.base_addr,
		       (unsigned long long)e.length, e.type, e.reserved);
		if (e.reserved != 0)
			reserved_nonzero++;
		if (e.type == MB2_MEMORY_AVAILABLE)
			available += e.length;
	}
	printf("mb2: mmap available_total=0x%llx\n",
	       (unsigned long long)available);
	printf("mb2: mmap entries_with_reserved_nonzero=%u\n", reserved_nonzero);
	for (size_t i = 0; i < sizeof(mmap_probes) / sizeof(mmap_probes[0]);
	     i++)
		printf("mb2: mmap_at gpa=0x%llx type=%u\n",
		       (unsigned long long)mmap_probes[i],
		       mb2_mmap_type_at(mi, mmap_probes[i]));
}

static void print_info(void)
{
	const struct mb2_info *mi = boot_info();
	if (boot_eax != MB2_BOOTLOADER_MAGIC) {
		printf("mb2: error=%s\n", mi->error);
		return;
	}
	const char *walk_error = mb2_for_each_tag(boot_ebx, print_tag, NULL);
	if (mi->error || walk_error)
		printf("mb2: error=%s\n", mi->error ? mi->error : walk_error);
	printf("mb2: total_size=%u tags=%u end_tag=%d\n", mi->total_size,
	       mi->tag_count, mi->have_end_tag);
	if (mi->loader_name)
		printf("mb2: loader_name=\"%s\"\n", mi->loader_name);
	else
		printf("mb2: loader_name absent\n");
	if (mi->cmdline)
		printf("mb2: cmdline=\"%s\"\n", mi->cmdline);
	else
		printf("mb2: cmdline absent\n");
	if (mi->have_meminfo)
		printf("mb2: meminfo mem_lower=%u mem_upper=%u\n",
		       mi->mem_lower, mi->mem_upper);
	else
		printf("mb2: meminfo absent\n");
	if (mi->mmap)
		print_mmap(mi);
	else
		printf("mb2: mmap absent\n");
}

void probe_main(void)
{
	print_registers();
	print_image();
	print_info();
	uint64_t efer = rdmsr(MSR_IA32_EFER);
	printf("runtime: long mode active efer=0x%llx\n",
	       (unsigned long long)efer);
	printf("runtime: efer lme=%d lma=%d\n", (efer & EFER_LME) != 0,
	       (efer & EFER_LMA) != 0);
}
