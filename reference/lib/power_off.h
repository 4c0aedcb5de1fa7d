/* Powering the machine off the ways the suite's engines and GRUB machines
 * accept (contract section 3, {#end.power-off}). */
#ifndef HV_POWER_OFF_H
#define HV_POWER_OFF_H
#include <stdint.h>

/* Bochs' shutdown port, QEMU's isa-debug-exit with qemu_exit_value (QEMU
 * exits with status (value << 1) | 1), the ACPI PM1a ports of q35 and
 * PIIX4; halts with interrupts off if the machine is still running. */
__attribute__((noreturn)) void machine_power_off(uint8_t qemu_exit_value);

#endif
