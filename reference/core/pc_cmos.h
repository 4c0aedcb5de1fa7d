/* The CMOS clock with platform=pc (contract section 15, "CMOS clock"):
 * lib/cmos_rtc.c at ports 0x70 (index) and 0x71 (data). */
#ifndef HV_PC_CMOS_H
#define HV_PC_CMOS_H
#include <stdint.h>
#include "vm.h"

#define PC_CMOS_INDEX_PORT 0x70
#define PC_CMOS_DATA_PORT  0x71

uint32_t pc_cmos_in(struct vcpu *v, uint16_t port, unsigned width);
void pc_cmos_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);

#endif
