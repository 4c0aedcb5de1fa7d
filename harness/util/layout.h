/* Where the harness finds the spec tables and the built images. */
#ifndef HVSPEC_HARNESS_LAYOUT_H
#define HVSPEC_HARNESS_LAYOUT_H

#include <stdbool.h>

/* Environment variable that overrides the compiled-in source root. */
#define LAYOUT_ROOT_ENV "HVSPEC_ROOT"

struct layout {
	char *root;           /* source tree: spec/ lives here */
	bool root_from_env;   /* root came from $HVSPEC_ROOT */
	char *build;          /* <root>/<build dir>: the images live here */
	char *spec_dir;       /* <root>/spec */
	char *spec_loader;    /* <root>/spec/loader.lua */
	char *mkrom;          /* <build>/bin/mkrom */
	char *rom_loader;     /* <build>/romboot/loader.bin */
	char *kernel;         /* hypervisor under test; <build>/reference/hvspec.elf by default */
	bool kernel_overridden;
	char *probes_dir;     /* <build>/guest-probes */
};

/* Fills the layout from $HVSPEC_ROOT or the root compiled in at build
 * time; kernel (may be NULL) replaces the reference hypervisor. */
void layout_init(struct layout *l, const char *kernel);
/* <probes_dir>/<probe>.elf, malloc'd. */
char *layout_probe_path(const struct layout *l, const char *probe);
void layout_free(struct layout *l);

#endif
