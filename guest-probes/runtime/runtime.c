/* C side of the runtime start-up, shared by the 32- and 64-bit runtimes. */
#include "runtime.h"

static struct mb2_info parsed_info;

const struct mb2_info *boot_info(void)
{
	return &parsed_info;
}

const char *boot_cmdline(void)
{
	return parsed_info.cmdline ? parsed_info.cmdline : "";
}

void probe_error(const char *what)
{
	printf("runtime: error %s\n", what);
	hv_halt(HALT_PROBE_ERROR);
}

void gdt_extend(uint64_t *gdt, size_t entries)
{
	struct descriptor_table_register old;
	store_gdt(&old);
	if (old.limit + 1u != RUNTIME_GDT_ENTRIES * sizeof gdt[0] || entries < RUNTIME_GDT_ENTRIES)
		probe_error("gdt_extend: the runtime's GDT is not the one runtime_layout.h describes");
	memcpy(gdt, (const void *)old.base, RUNTIME_GDT_ENTRIES * sizeof gdt[0]);
	struct descriptor_table_register r = { (uint16_t)(entries * sizeof gdt[0] - 1), (unsigned long)gdt };
	load_gdt(&r);
}

void runtime_start(void);
void runtime_start(void)
{
	idt_init();
	/* Only trust EBX when EAX carried the Multiboot2 magic. */
	if (boot_eax == MB2_BOOTLOADER_MAGIC)
		mb2_parse(boot_ebx, &parsed_info);
	else
		parsed_info.error = "EAX did not hold the Multiboot2 magic";
	probe_main();
	hv_halt(0);
}
