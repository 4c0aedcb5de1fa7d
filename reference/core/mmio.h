/* Emulation of one guest instruction that touched a device window or
 * wrote the guest ROM: fetch through the guest's page tables, decode,
 * perform the access, advance RIP. */
#ifndef HV_MMIO_H
#define HV_MMIO_H
#include <stdint.h>
#include "devices.h"
#include "mmio_decode.h"
#include "vm.h"

/* Fetches and decodes the instruction at RIP; ends the VM with the
 * documented report when it cannot (contract section 9). */
void mmio_fetch_decode(struct vcpu *v, struct mmio_insn *insn);
/* Emulates the access at gpa against dev (NULL: a ROM write, dropped). */
void mmio_emulate(struct vcpu *v, uint64_t gpa, const struct mmio_device *dev);

#endif
