/* Machine RAM that is not zero (contract 1): real firmware leaves memory
 * holding whatever was there, so the suite's machines start with every byte
 * the firmware does not load set to DIRTY_RAM_BYTE. A hypervisor that hands
 * the guest memory it did not clear, or builds tables in frames it never
 * zeroed, is caught instead of passing on lucky zeroes. The engines load
 * these files into RAM before the first instruction (Bochs optramimage,
 * QEMU's generic loader), which costs far less than a fill by the firmware
 * (measured: 1.3 s of emulated stores per 160 MiB boot). */
#ifndef HVSPEC_HARNESS_DIRTY_RAM_H
#define HVSPEC_HARNESS_DIRTY_RAM_H

#include "util/strbuf.h"

#include <stdint.h>

#define DIRTY_RAM_BYTE 0xa5
/* Below the firmware's own .bss and stack at 0x80000 (romboot/loader.ld,
 * reset.S), and from 1 MiB to the top of the machine's RAM. */
#define DIRTY_LOW_BASE 0x0u
#define DIRTY_LOW_SIZE 0x80000u
#define DIRTY_HIGH_BASE 0x100000u

struct dirty_ram {
	char *low_path;   /* DIRTY_LOW_SIZE bytes, loaded at DIRTY_LOW_BASE */
	char *high_path;  /* the rest of RAM above 1 MiB, loaded at DIRTY_HIGH_BASE */
};

/* The two files for a machine of machine_mib MiB, made once in cache_dir
 * (safe when several runs make them at once). Returns 0, or -1 with the
 * reason in err. */
int dirty_ram_files(const char *cache_dir, int machine_mib, struct dirty_ram *out,
		    struct strbuf *err);
void dirty_ram_free(struct dirty_ram *d);

/* The whole RAM of a machine of machine_mib MiB as one file, made once
 * beside high_path: the pattern, and zero from DIRTY_LOW_SIZE to
 * DIRTY_HIGH_BASE as the two files leave it. QEMU maps it as the
 * machine's RAM (a private mapping, read as pages are touched), where
 * its loader device copied the two files in for 1.4 s a boot (160 MiB,
 * measured). malloc'd path, or NULL with the reason in err. */
char *dirty_ram_whole_file(const char *high_path, int machine_mib, struct strbuf *err);

#endif
