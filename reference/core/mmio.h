/* Emulation of one guest instruction that touched a device window or
 * wrote the guest ROM: fetch through the guest's page tables, decode,
 * perform the access, advance RIP. */
#ifndef HV_MMIO_H
#define HV_MMIO_H
#include <stdint.h>
#include "devices.h"
#include "mmio_decode.h"
#include "vm.h"

/* Emulates the access at gpa against dev (NULL: a ROM write, dropped). */
void mmio_emulate(struct vcpu *v, uint64_t gpa, const struct mmio_device *dev);

#endif
