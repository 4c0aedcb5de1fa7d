/* The block hypercalls DiskInfo, DiskRead and DiskWrite (contract 5, 14). */
#ifndef HV_HC_DISK_H
#define HV_HC_DISK_H
#include <stdint.h>
#include "vm.h"

int64_t hc_disk_info(uint64_t selector);
int64_t hc_disk_read(struct vcpu *v, uint64_t lba, uint64_t count, uint64_t gva);
int64_t hc_disk_write(struct vcpu *v, uint64_t lba, uint64_t count, uint64_t gva);

#endif
