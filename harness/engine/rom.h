/* Packs the hypervisor, one probe and their command lines into a ROM image
 * with the project's firmware (build/bin/mkrom, see romboot/). */
#ifndef HVSPEC_HARNESS_ROM_H
#define HVSPEC_HARNESS_ROM_H

#include "util/layout.h"
#include "util/strbuf.h"

#include <stdbool.h>

/* mkrom only copies files: a minute means it is stuck. */
#define ROM_BUILD_TIMEOUT_S 60
#define ROM_BUILD_OUTPUT_FILE "mkrom.out"
/* The firmware disk (romboot/rom_format.h) an engine without a large ROM
 * attaches when mkrom put modules there; absent when everything fits. */
#define ROM_DISK_FILE "firmware.disk"

struct rom_request {
	const char *kernel;         /* hypervisor ELF */
	const char *hv_cmdline;     /* "" for none */
	const char *module;         /* guest image; NULL for none */
	const char *module_cmdline; /* "" for none */
	const char *extra_module;   /* a second boot module; NULL for none */
	/* The disk (contract 14): an image inside work_dir, attached as a
	 * boot module with disk_string, after the guest's or (disk_first)
	 * before it; with extra_module, third, after both (disk_first not
	 * then). NULL for none. */
	const char *disk_image;
	const char *disk_string;
	bool disk_first;
	int machine_mib;
	const char *firmware_option; /* romboot option (mkrom -f); NULL for none */
	/* The engine takes HVROM_MAX_SIZE_LARGE (mkrom -L); otherwise modules
	 * that do not fit go to work_dir/ROM_DISK_FILE (mkrom -d). */
	bool large_rom;
};

/* Writes work_dir/rom_name. Returns 0, or -1 with the reason in err. */
int rom_build(const struct layout *l, const struct rom_request *req, const char *work_dir,
	      const char *rom_name, struct strbuf *err);

#endif
