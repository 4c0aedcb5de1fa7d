#include "power.h"
#include "coverage.h"
#include "x86.h"

#define BOCHS_SHUTDOWN_PORT   0x8900   /* Bochs: the string "Shutdown" */
#define QEMU_DEBUG_EXIT_PORT  0xF4     /* QEMU isa-debug-exit, when configured */
#define QEMU_DEBUG_EXIT_VALUE 0        /* exit status (0 << 1) | 1 */
#define ACPI_PM1A_Q35         0x604    /* QEMU q35 PM1a control */
#define ACPI_PM1A_PIIX4       0xB004   /* QEMU/Bochs PIIX4 PM1a control */
#define ACPI_SLP_S5           0x2000   /* SLP_EN with the S5 type these firmwares use */

void power_off(void)
{
	/* Coverage builds: the counters of everything that ran, sent last on a
	 * channel of their own (reference/cov/coverage.h). */
	coverage_dump();
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	outb(QEMU_DEBUG_EXIT_PORT, QEMU_DEBUG_EXIT_VALUE);
	outw(ACPI_PM1A_Q35, ACPI_SLP_S5);
	outw(ACPI_PM1A_PIIX4, ACPI_SLP_S5);
	for (;;)
		__asm__ volatile("cli; hlt");
}
