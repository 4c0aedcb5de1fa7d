/* The hypercall ABI of the hvspec contract (spec/contract.md section 5):
 * numbers, MemStats selectors, error results and the Print limit.
 * The one definition the hypervisor, the probes and the harness share. */
#ifndef HVSPEC_ABI_HYPERCALL_H
#define HVSPEC_ABI_HYPERCALL_H

/* Numbers, in RAX (contract 5, {#hc.halt} {#hc.print} {#hc.memstats}). */
#define HC_HALT_CPU 0u
#define HC_PRINT 1u
#define HC_MEM_STATS 2u
/* Block hypercalls over the disk (contract 5 and 14, {#hc.disk-info}
 * {#hc.disk-read} {#hc.disk-write}). */
#define HC_DISK_INFO 3u
#define HC_DISK_READ 4u
#define HC_DISK_WRITE 5u

/* DiskInfo selectors, in RDI (contract 14). */
#define HC_DISK_INFO_SECTORS 0u     /* sectors on the disk */
#define HC_DISK_INFO_SECTOR_SIZE 1u /* bytes per sector: 512 */
#define HC_DISK_INFO_COUNT 2u       /* selectors at or above it: HC_EINVAL */

/* MemStats selectors, in RDI (contract 5). */
#define HC_STAT_PAGES_POPULATED 0u  /* guest RAM pages backed by a host frame */
#define HC_STAT_FAULTS_SERVED 1u    /* EPT violations the lazy pager served */
#define HC_STAT_EPT_TABLE_FRAMES 2u /* frames holding EPT paging structures */
#define HC_STAT_HOST_FRAMES 3u      /* every host frame the VM holds (RAM, tables, ROM) */
#define HC_STAT_COUNT 4u            /* selectors at or above it: HC_EINVAL */

/* Error results: negated Linux errno values in RAX, read as signed
 * (contract 5, {#hc.error.*}). */
#define HC_ENOSYS (-38) /* unknown hypercall number */
#define HC_EFAULT (-14) /* a buffer page does not translate to guest RAM */
#define HC_E2BIG (-7)   /* Print size above HC_PRINT_MAX */
#define HC_EINVAL (-22) /* a range overflows the address width; bad selector */
#define HC_ENODEV (-19) /* a disk hypercall without a disk */
#define HC_ERANGE (-34) /* sectors not inside the disk */

/* Largest size Print accepts (contract 5, {#hc.error.e2big}). */
#define HC_PRINT_MAX 4096

/* Most sectors one DiskRead or DiskWrite moves (contract 14,
 * {#disk.hc.e2big}): 8 KiB, a buffer over up to three pages. */
#define HC_DISK_MAX_SECTORS 16

#endif
