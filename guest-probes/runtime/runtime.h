/* What a probe includes. A probe defines probe_main(); the runtime calls it
 * after the switch to long mode (or, for the 32-bit runtime, after its own
 * GDT and IDT are loaded) and sends HaltCpu(0) when it returns. */
#ifndef GP_RUNTIME_H
#define GP_RUNTIME_H
#include "boot_facts.h"
#include "console.h"
#include "cpu.h"
#include "fault.h"
#include "format.h"
#include "hypercall.h"
#include "mb2_info.h"
#include "msr.h"
#include "pio.h"
#include "hv_string.h"
#include "runtime_layout.h"
#include "x86.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void probe_main(void);

/* The boot information the entry code found in EBX, parsed once before
 * probe_main runs. info->error says whether it was well formed. */
const struct mb2_info *boot_info(void);

/* The guest command line ("" when the tag is missing or malformed). */
const char *boot_cmdline(void);

/* Ends a probe whose own setup failed (the test is broken, not the
 * hypervisor): prints `runtime: error <what>` and HaltCpu(HALT_PROBE_ERROR). */
__attribute__((noreturn)) void probe_error(const char *what);

/* Loads the GDT of `entries` descriptors at `gdt`: the runtime's own
 * (copied into the first RUNTIME_GDT_ENTRIES), then the probe's, whose
 * selectors start at RUNTIME_GDT_ENTRIES * 8. */
void gdt_extend(uint64_t *gdt, size_t entries);

#endif
