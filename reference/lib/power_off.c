#include "power_off.h"
#include "abi/ports.h"
#include "port_io.h"

#define ACPI_PM1A_Q35   0x604  /* QEMU q35 PM1a control */
#define ACPI_PM1A_PIIX4 0xB004 /* QEMU/Bochs PIIX4 PM1a control */
#define ACPI_SLP_S5     0x2000 /* SLP_EN with the S5 type these firmwares use */

void machine_power_off(uint8_t qemu_exit_value)
{
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	outb(QEMU_DEBUG_EXIT_PORT, qemu_exit_value);
	outw(ACPI_PM1A_Q35, ACPI_SLP_S5);
	outw(ACPI_PM1A_PIIX4, ACPI_SLP_S5);
	for (;;)
		__asm__ volatile("cli; hlt");
}
