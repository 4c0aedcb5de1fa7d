/* The spec cases, as the loader (spec/loader.lua) checked them. */
#ifndef HVSPEC_HARNESS_SPEC_H
#define HVSPEC_HARNESS_SPEC_H

#include <stdbool.h>
#include <stddef.h>

struct spec_list {
	char **items;
	size_t count;
};

struct spec_expect {
	struct spec_list lines;   /* each must appear as a whole line */
	struct spec_list ordered; /* Lua patterns matching lines in this order */
	struct spec_list forbid;  /* Lua patterns no line may match */
	char *report;             /* text after "[hv] end: ", or a pattern */
	bool report_is_pattern;
};

/* The probe name that boots the hypervisor with no guest module at all
 * (contract 2: "no guest module"); spec/loader.lua reserves it too. */
#define SPEC_PROBE_NONE "none"
/* spec/loader.lua PROBE_LINUX: the Linux guest of make linux-guest. */
#define SPEC_PROBE_LINUX "linux"
#define SPEC_LINUX_KERNEL "linux/bzImage"              /* below the build folder */
#define SPEC_LINUX_INITRD "linux/initramfs.cpio.gz"

/* The case's disk (field 'disk', contract 14): an image the harness builds
 * (bytes of fill) or the one case `from` left behind, attached as the
 * boot module whose string is `string`. */
struct spec_disk {
	long long bytes; /* 0 for a 'from' disk */
	char *fill;      /* "zero" or "pattern"; NULL for a 'from' disk */
	char *from;      /* the case whose run left the image; NULL when built */
	const struct spec_case *from_case; /* `from` in the same set */
	char *string;    /* the module's string, "disk" by default */
	bool first;      /* the disk module comes before the guest's */
};

struct spec_case {
	char *id;       /* "<area>.<name>" */
	char *area;
	char *behavior;
	char *source;
	char *probe;    /* build/guest-probes/<probe>.elf, or SPEC_PROBE_NONE */
	char *cmdline;  /* guest command line (module string) */
	char *extra_module; /* probe passed as a second boot module; NULL for none */
	struct spec_disk *disk; /* NULL for none */
	char *hv_cmdline;
	char *cpu;      /* cpu profile name */
	struct spec_list engines; /* empty: every engine */
	struct spec_list requires; /* processor features (spec/loader.lua FEATURES) */
	struct spec_list judges;   /* contract statement ids (spec/contract.md) */
	struct spec_expect expect;
	int points;
	int machine_mib;
	int timeout;    /* seconds */
	char *file;     /* "spec/<area>.lua" */
	int line;
};

struct spec_area {
	char *name;
	char *doc;
	char *file;
	size_t first_case; /* index into spec_set.cases */
	size_t case_count;
};

/* Bounds and defaults of the case fields, as spec/loader.lua defines them
 * (M.MACHINE_MIB_MIN/MAX, M.TIMEOUT_MAX, M.DEFAULTS): the one definition
 * hvrun's and the suite's own settings are checked against. */
struct spec_limits {
	int machine_mib_min, machine_mib_max;
	int timeout_max;          /* seconds; the least is 1 */
	int default_machine_mib;
	int default_timeout;      /* seconds */
};

struct spec_set {
	struct spec_case *cases;
	size_t count;
	struct spec_area *areas;
	size_t area_count;
	struct spec_limits limits;
};

/* Loads every spec_dir/<area>.lua through the Lua loader at loader_path.
 * Returns 0, or -1 with a malloc'd message in *error naming the file and
 * line of the first problem (or the folder that could not be read). */
int spec_load(const char *loader_path, const char *spec_dir, struct spec_set *set,
	      char **error);
/* Reads only the bounds and defaults from the loader. Returns 0, or -1 with
 * a malloc'd message in *error. */
int spec_limits_load(const char *loader_path, struct spec_limits *limits, char **error);
const struct spec_case *spec_find(const struct spec_set *set, const char *id);
/* True when the case lists no engines or names this one. */
bool spec_case_allows_engine(const struct spec_case *c, const char *engine);
void spec_free(struct spec_set *set);

#endif
