/* Execution engines: how one ROM image is booted under an emulator. */
#ifndef HVSPEC_HARNESS_ENGINE_H
#define HVSPEC_HARNESS_ENGINE_H

#include "util/strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* Files every engine writes into the run's work folder. */
#define ENGINE_SERIAL_FILE "serial.txt" /* what the machine wrote to COM1 */
#define ENGINE_OUTPUT_FILE "engine.out" /* the emulator's stdout and stderr */
/* What the machine wrote to COM2: the disk's write-back (abi/disk.h). */
#define ENGINE_COM2_FILE "com2.txt"

#define ENGINE_DEFAULT "bochs"
/* The processor of the engine's own vendor (spec/loader.lua DEFAULTS.cpu). */
#define ENGINE_DEFAULT_CPU "virt"

#define ENGINE_ARGV_MAX 40

struct engine_argv {
	char *v[ENGINE_ARGV_MAX + 1]; /* NULL-terminated, malloc'd strings */
	size_t n;
};

struct engine_run {
	const char *work_dir; /* the engine runs here; its files go here */
	const char *rom;      /* ROM image inside work_dir, ends at 4 GiB */
	const char *cpu;      /* cpu profile */
	int machine_mib;
	/* The machine waits for a person at a debugger instead of running:
	 * Bochs stops at its prompt (with the kernel's symbols from
	 * ENGINE_SYMBOLS_FILE when it exists), QEMU at its gdb stub. */
	bool debug;
	/* COM1 is the terminal the engine runs on (a person types at the
	 * guest) instead of ENGINE_SERIAL_FILE; only QEMU offers it. */
	bool interactive;
	/* Pattern files the engine loads into RAM before the first
	 * instruction (dirty_ram.h); NULL for zeroed RAM. */
	const char *dirty_low;
	const char *dirty_high;
};

/* "address name" lines of the hypervisor's symbols, in the work folder. */
#define ENGINE_SYMBOLS_FILE "symbols.txt"
/* QEMU's gdb stub (-s). */
#define ENGINE_GDB_PORT 1234

struct engine {
	const char *name;
	const char *program; /* emulator binary, looked up in $PATH */
	/* Boots a ROM up to HVROM_MAX_SIZE_LARGE (QEMU's -bios); else up to
	 * HVROM_MAX_SIZE (Bochs 2.7's romimage). */
	bool large_rom;
	/* Why the engine cannot run on this host at all; NULL when it can. */
	char *(*host_unusable)(void);
	/* The i-th cpu profile the engine knows, NULL past the last: every
	 * engine lists exactly spec/loader.lua's CPU_PROFILES (engine_test),
	 * each mapped to a processor or unsupported with a reason. */
	const char *(*profile_at)(size_t i);
	/* Why the cpu profile cannot be expressed; NULL when it can. */
	const char *(*profile_unsupported)(const char *cpu);
	/* Why the processor of this profile lacks a feature a case requires
	 * (spec/loader.lua FEATURES); NULL when it has it. */
	const char *(*lacks_feature)(const char *cpu, const char *feature);
	/* Writes the engine's config into work_dir and builds its command
	 * line. Returns 0, or -1 with the reason in err. */
	int (*prepare)(const struct engine_run *run, struct engine_argv *argv,
		       struct strbuf *err);
	/* Appends the lines of the engine's own logs that explain a failure. */
	void (*diagnose)(const char *work_dir, struct strbuf *out);
	/* True when the emulated machine came out of reset (it may have
	 * written nothing before it died). */
	bool (*machine_started)(const char *work_dir);
	/* How the machine ended, in words ("powered off through ...", "the
	 * processor triple-faulted"); malloc'd, NULL when the logs do not say. */
	char *(*describe_end)(const char *work_dir, int wait_status);
};

extern const struct engine engine_bochs;     /* Bochs, Intel models: VMX */
extern const struct engine engine_bochs_amd; /* Bochs, AMD models: SVM */
extern const struct engine engine_qemu;      /* QEMU TCG: AMD, SVM with nested paging */
extern const struct engine engine_qemu_kvm;  /* QEMU+KVM: the host's processor */

/* The cpu profiles a case may ask for (spec/loader.lua CPU_PROFILES), and
 * for hvrun and sweeps also "bochs:<model>": one Bochs processor model. */
#define ENGINE_BOCHS_MODEL_PREFIX "bochs:"
const char *engine_known_profiles(void);
bool engine_profile_known(const char *cpu);
/* The firmware option (romboot, mkrom -f) that sets the profile's
 * processor up, the same on every engine; NULL for none. */
const char *engine_profile_firmware_option(const char *cpu);
/* The model part of a "bochs:<model>" profile, when Bochs knows it. */
bool engine_bochs_model_known(const char *model);
/* Bochs' processor models, one per line, with their facts. */
void engine_bochs_list_models(struct strbuf *out);
/* NULL for an unknown name. */
const struct engine *engine_find(const char *name);
/* "bochs, bochs-amd, qemu, qemu-kvm": spec/loader.lua ENGINES */
const char *engine_known_names(void);
/* Why a case on this engine and profile must be skipped here (missing
 * binary, unusable host, profile not expressible); NULL when it can run.
 * malloc'd. */
char *engine_skip_reason(const struct engine *e, const char *cpu);
/* The same, and also when the profile's processor lacks one of the
 * features (count of them) a case requires. */
char *engine_skip_reason_for(const struct engine *e, const char *cpu, char *const *features,
			     size_t count);

/* Writes text to the file name in dir; 0, or -1 with the reason in err. */
int engine_write_text(const char *dir, const char *name, const char *text, struct strbuf *err);

void engine_argv_add(struct engine_argv *a, const char *s);
void engine_argv_addf(struct engine_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void engine_argv_free(struct engine_argv *a);

/* Appends to out (as "  <line>\n") every line of the file that contains one
 * of the markers and none of the ignored texts, at most max_lines of them. */
void engine_scan_log(const char *path, const char *const *markers, const char *const *ignore,
		     size_t max_lines, struct strbuf *out);
/* True when the file (read up to the scan limit) contains text. */
bool engine_log_contains(const char *path, const char *text);

#endif
