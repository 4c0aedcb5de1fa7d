#include "pc_acpi_tables.h"
#include "abi/virtio.h"
#include "acpi_tables.h"
#include "guest_mem.h"
#include "pc_irq.h"

uint64_t pc_acpi_tables_place(struct vm *vm)
{
	static uint8_t tables[ACPI_TABLES_MAX] __attribute__((aligned(16)));
	size_t n = acpi_tables_build(tables, sizeof tables, ACPI_TABLES_GPA, VIRTIO_BLK_MMIO_BASE,
				     PC_IRQ_VIRTIO);
	if (!n || !guest_phys_write(vm, ACPI_TABLES_GPA, tables, n))
		return 0;
	return ACPI_TABLES_GPA;   /* the RSDP is at offset 0 */
}
