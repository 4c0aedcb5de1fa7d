/* The Bochs engines on any host (notes/engines.md): "bochs" plays Intel
 * processors (VMX with EPT), "bochs-amd" AMD ones (SVM with nested paging).
 * Both boot the same ROM with the same configuration; only the processor
 * each cpu profile names differs. */
#include "engine/engine.h"

#include "engine/dirty_ram.h"
#include "engine/rom.h"

#include "util/fileutil.h"
#include "abi/ports.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOCHS_CONFIG_FILE "bochsrc"
#define BOCHS_COMMANDS_FILE "bochs.cmd"
#define BOCHS_LOG_FILE "bochs.log"

/* Emulated instructions per emulated second; only sets how fast emulated
 * time (the UART's baud rate) passes. A low value makes each serial byte
 * cost fewer emulated instructions (about 350 instead of 4300 at 115200
 * baud): hc_print went from 20.8M to 3.0M ticks, 0.9 s to 0.35 s. Guest
 * RDTSC still counts instructions, so tick figures do not change. */
#define BOCHS_IPS 4000000

/* Bochs 2.7 refuses ROM images above 2 MiB ("ROM image too large",
 * measured); the image is mapped to end at 4 GiB. */
#define BOCHS_ROM_MAX (2u << 20)
#define FOUR_GIB 0x100000000ull

/* Bochs 2.7's processor models (its cpudb) and what each offers that the
 * suite cares about: 1-GiB pages (CPUID.80000001H:EDX bit 26). Measured with
 * harness/engine/fixtures/cpu_facts_kernel.asm (its "page1gb=" field) and,
 * for the Intel models the reference runs on, with the hc_print_errors
 * probe ("page1gb unsupported" or a print through a 1-GiB page;
 * ci/bochs-models.sh repeats it). */
struct bochs_model {
	const char *name;
	bool pages_1g;
};
static const struct bochs_model models[] = {
	{ "amd_k6_2_chomper", false },
	{ "athlon64_clawhammer", false },
	{ "athlon64_venice", false },
	{ "atom_n270", false },
	{ "broadwell_ult", true },
	{ "core2_penryn_t9600", false },
	{ "corei3_cnl", true },
	{ "corei5_arrandale_m520", false },
	{ "corei5_lynnfield_750", false },
	{ "corei7_haswell_4770", true },
	{ "corei7_icelake_u", true },
	{ "corei7_ivy_bridge_3770k", false },
	{ "corei7_sandy_bridge_2600k", false },
	{ "corei7_skylake_x", true },
	{ "p4_prescott_celeron_336", false },
	{ "p4_willamette", false },
	{ "phenom_8650_toliman", true },
	{ "ryzen", true },
	{ "tigerlake", true },
	{ "trinity_apu", true },
	{ "turion64_tyler", false },
	{ "zambezi", true },
};

/* One cpu profile (spec/loader.lua CPU_PROFILE_MEANING) on one Bochs
 * engine: a cpudb model, Bochs' configurable generic CPU (its cpuid:
 * options), or the reason the engine cannot play it. */
struct bochs_profile {
	const char *cpu;
	const char *model;         /* a cpudb model, or NULL */
	const char *generic_cpuid; /* the generic CPU's cpuid: options, or NULL */
	const char *unsupported;   /* why neither plays it, or NULL */
};

#define BOCHS_AMD_PROFILE "an AMD (SVM) profile: engine bochs plays Intel processors; engine " \
	"bochs-amd plays this one"
#define BOCHS_INTEL_PROFILE "an Intel (VMX) profile: engine bochs-amd plays AMD processors; " \
	"engine bochs plays this one"

/* Intel processors. Measured under Bochs 2.7 (CPUID.1:ECX bit 5 = VMX,
 * CPUID.80000001h:EDX bit 29 = long mode; the reference's refusal):
 * corei7_skylake_x  ECX=77faf3bf EDX=2c100000: VMX, EPT, long mode;
 * core2_penryn_t9600 ECX=0408e3fd EDX=20100000: VMX with secondary controls
 *   but no EPT (its IA32_VMX_EPT_VPID_CAP read raises #GP), long mode;
 * corei5_lynnfield_750: EPT without unrestricted guest ("unrestricted guest");
 * p4_prescott_celeron_336 ECX=0000651d EDX=20100000: no VMX, long mode;
 * p4_willamette ECX=00000000, no leaf 80000001h: neither VMX nor long mode;
 * generic x86_64=0, vmx=1 ECX=00000028 EDX(80000001h)=c1c3f3ff: VMX without
 *   long mode, and so (Bochs ties them to long mode) without secondary
 *   controls, EPT or unrestricted guest.
 * The vmx-locked-off profiles differ only in the firmware (engine.c). No
 * Bochs 2.7 processor lacks secondary controls but has long mode, or has
 * EPT without the 4-level walk, write-back or 2-MiB pages (its
 * IA32_VMX_EPT_VPID_CAP always has them): contract appendix. */
#define BOCHS_GENERIC_NO_LONG_MODE \
	"x86_64=0, vmx=1, vendor_string=\"GenuineIntel\", family=6, model=0x0e, stepping=8"
static const struct bochs_profile intel_profiles[] = {
	{ "virt", "corei7_skylake_x", NULL, NULL },
	{ "vmx-ept", "corei7_skylake_x", NULL, NULL },
	{ "no-vmx", "p4_prescott_celeron_336", NULL, NULL },
	{ "no-long-mode", NULL, BOCHS_GENERIC_NO_LONG_MODE, NULL },
	{ "no-vmx-no-long-mode", "p4_willamette", NULL, NULL },
	{ "vmx-locked-off", "corei7_skylake_x", NULL, NULL },
	{ "vmx-locked-off-no-unrestricted-guest", "corei5_lynnfield_750", NULL, NULL },
	{ "no-ept", "core2_penryn_t9600", NULL, NULL },
	{ "no-unrestricted-guest", "corei5_lynnfield_750", NULL, NULL },
	/* icelake_u announces all seven features of cr.cr4-features (measured
	 * with cr_regs); skylake_x, the virt model, lacks UMIP and PKU. */
	{ "cr4-features", "corei7_icelake_u", NULL, NULL },
	{ "svm-npt", NULL, NULL, BOCHS_AMD_PROFILE },
	{ "no-svm", NULL, NULL, BOCHS_AMD_PROFILE },
	{ "svm-locked-off", NULL, NULL, BOCHS_AMD_PROFILE },
	{ "no-npt", NULL, NULL, BOCHS_AMD_PROFILE },
};

/* AMD processors, measured under Bochs 2.7 with cpu_facts_kernel:
 * ryzen           AuthenticAMD svm=1 npt=1 lm=1 page1gb=1 (so do zambezi,
 *                 trinity_apu and phenom_8650_toliman; ryzen is the newest);
 * turion64_tyler  svm=1 npt=0 lm=1 page1gb=0: SVM without nested paging;
 * athlon64_venice svm=0 lm=1: long mode without SVM (so is
 *                 athlon64_clawhammer; amd_k6_2_chomper never reaches the
 *                 kernel).
 * Bochs 2.7 has no VM_CR (MSR C001_0114h; later Bochs sources do): its log
 * says "RDMSR: Unknown register 0xc0010114", reads give 0 and writes are
 * dropped, so the firmware's svm-locked-off option reads its write back
 * clear and refuses to boot. */
static const struct bochs_profile amd_profiles[] = {
	{ "virt", "ryzen", NULL, NULL },
	{ "vmx-ept", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "no-vmx", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "no-long-mode", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "no-vmx-no-long-mode", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "vmx-locked-off", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "vmx-locked-off-no-unrestricted-guest", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "no-ept", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "no-unrestricted-guest", NULL, NULL, BOCHS_INTEL_PROFILE },
	{ "svm-npt", "ryzen", NULL, NULL },
	{ "no-svm", "athlon64_venice", NULL, NULL },
	{ "svm-locked-off", NULL, NULL, "Bochs 2.7 has no VM_CR (MSR C001_0114h): it reads 0 "
	  "and drops writes, so no firmware can disable SVM; engine qemu-kvm on an AMD host "
	  "plays this profile" },
	{ "no-npt", "turion64_tyler", NULL, NULL },
	{ "cr4-features", NULL, NULL, "Bochs 2.7's AMD models predate UMIP and PKU: ryzen, the newest, "
	  "announces FSGSBASE, SMEP, SMAP and XSAVE only (measured with cr_regs); engine qemu "
	  "plays this profile" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct bochs_model *find_model(const char *name)
{
	for (size_t i = 0; i < COUNT(models); i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

bool engine_bochs_model_known(const char *model)
{
	return find_model(model) != NULL;
}

void engine_bochs_list_models(struct strbuf *out)
{
	for (size_t i = 0; i < COUNT(models); i++)
		strbuf_addf(out, "bochs:%s%s\n", models[i].name,
			    models[i].pages_1g ? "" : "  (no 1-GiB pages)");
}

/* A profile table with its length: the two engines differ only in it. */
struct bochs_table {
	const struct bochs_profile *profiles;
	size_t count;
};
static const struct bochs_table intel = { intel_profiles, COUNT(intel_profiles) };
static const struct bochs_table amd = { amd_profiles, COUNT(amd_profiles) };

static const struct bochs_profile *find_profile(const struct bochs_table *t, const char *cpu)
{
	for (size_t i = 0; i < t->count; i++)
		if (!strcmp(t->profiles[i].cpu, cpu))
			return &t->profiles[i];
	return NULL;
}

/* A "bochs:<model>" profile plays that model on either engine. */
static const struct bochs_model *model_of_profile(const struct bochs_table *t, const char *cpu)
{
	size_t n = strlen(ENGINE_BOCHS_MODEL_PREFIX);
	if (!strncmp(cpu, ENGINE_BOCHS_MODEL_PREFIX, n))
		return find_model(cpu + n);
	const struct bochs_profile *p = find_profile(t, cpu);
	return p && p->model ? find_model(p->model) : NULL;
}

/* The generic CPU's cpuid: options when the profile is played by it. */
static const char *generic_cpuid_of(const struct bochs_table *t, const char *cpu)
{
	const struct bochs_profile *p = find_profile(t, cpu);
	return p ? p->generic_cpuid : NULL;
}

static const char *profile_at(const struct bochs_table *t, size_t i)
{
	return i < t->count ? t->profiles[i].cpu : NULL;
}

static const char *lacks_feature(const struct bochs_table *t, const char *cpu,
				 const char *feature)
{
	const struct bochs_model *m = model_of_profile(t, cpu);
	if (!m && generic_cpuid_of(t, cpu))
		return "the profile's Bochs generic CPU has only what its cpuid: options name";
	if (!m)
		return "no Bochs cpu model for this profile";
	if (!strcmp(feature, "1g-pages"))
		return m->pages_1g ? NULL : "the Bochs model has no 1-GiB pages";
	return "a feature the Bochs engine does not know";
}

static const char *profile_unsupported(const struct bochs_table *t, const char *cpu)
{
	const struct bochs_profile *p = find_profile(t, cpu);
	if (p && p->unsupported)
		return p->unsupported;
	return model_of_profile(t, cpu) || generic_cpuid_of(t, cpu)
		       ? NULL : "no Bochs cpu model for this profile";
}

static char *bochs_host_unusable(void)
{
	return NULL; /* a pure emulator: runs anywhere */
}
static int prepare(const struct bochs_table *t, const struct engine_run *run,
		   struct engine_argv *argv, struct strbuf *err)
{
	const struct bochs_model *m = model_of_profile(t, run->cpu);
	const char *model = m ? m->name : NULL;
	const char *generic_cpuid = generic_cpuid_of(t, run->cpu);
	if (run->interactive) {
		strbuf_adds(err, "the Bochs engines write COM1 to a file only: --interactive "
				 "needs --engine qemu");
		return -1;
	}
	if (!model && !generic_cpuid) {
		strbuf_addf(err, "no Bochs cpu model for profile '%s'", run->cpu);
		return -1;
	}
	char *rom = path_join(run->work_dir, run->rom);
	struct stat st;
	int rc = stat(rom, &st);
	free(rom);
	if (rc != 0) {
		strbuf_addf(err, "ROM image %s/%s: %s", run->work_dir, run->rom, strerror(errno));
		return -1;
	}
	if (st.st_size <= 0 || (unsigned long long)st.st_size > BOCHS_ROM_MAX) {
		strbuf_addf(err, "ROM image is %lld bytes; Bochs 2.7 maps at most %u",
			    (long long)st.st_size, BOCHS_ROM_MAX);
		return -1;
	}

	/* Relative file names: Bochs runs in the work folder, whose path may
	 * hold characters its config parser splits on. Nothing else is cut:
	 * turning off the optional plugins or PCI, or another ips, moved an
	 * empty boot by less than the noise (ci/bench-engines.sh); its cost is
	 * Bochs' start (about 0.55 s under load) and loading the dirty RAM
	 * (about 0.8 s at 160 MiB), which contract 1 needs. */
	struct strbuf rc_text = STRBUF_INIT;
	strbuf_addf(&rc_text, "# Generated by the hvspec harness for one run.\nmegs: %d\n",
		    run->machine_mib);
	/* Without a model Bochs plays its generic CPU, shaped by cpuid:. */
	if (model)
		strbuf_addf(&rc_text, "cpu: model=%s, count=1, ips=%d, reset_on_triple_fault=0\n",
			    model, BOCHS_IPS);
	else
		strbuf_addf(&rc_text, "cpu: count=1, ips=%d, reset_on_triple_fault=0\ncpuid: %s\n",
			    BOCHS_IPS, generic_cpuid);
	strbuf_addf(&rc_text,
		    "romimage: file=%s, address=0x%llx\n"
		    "com1: enabled=1, mode=file, dev=%s\n"
		    "com2: enabled=1, mode=file, dev=%s\n"
		    "clock: sync=none, time0=local\n"
		    "log: %s\n"
		    "panic: action=fatal\n"
		    "display_library: term\n"
		    "port_e9_hack: enabled=1\n",
		    run->rom,
		    FOUR_GIB - (unsigned long long)st.st_size, ENGINE_SERIAL_FILE, ENGINE_COM2_FILE,
		    BOCHS_LOG_FILE);
	/* Non-zero RAM: Bochs copies these files into memory at start-up;
	 * links with plain names keep the work folder's path out of the
	 * config (its parser splits on some characters). */
	if (run->dirty_low && run->dirty_high) {
		const char *const names[] = { "dirty_low.ram", "dirty_high.ram" };
		const char *const targets[] = { run->dirty_low, run->dirty_high };
		for (size_t i = 0; i < 2; i++) {
			char *link = path_join(run->work_dir, names[i]);
			unlink(link);
			int made = symlink(targets[i], link);
			free(link);
			if (made != 0) {
				strbuf_addf(err, "cannot link %s in %s: %s", names[i], run->work_dir,
					    strerror(errno));
				strbuf_release(&rc_text);
				return -1;
			}
		}
		strbuf_addf(&rc_text, "optramimage1: file=%s, address=0x%x\n"
				      "optramimage2: file=%s, address=0x%x\n",
			    names[0], DIRTY_LOW_BASE, names[1], DIRTY_HIGH_BASE);
	}
	/* Modules too large for the ROM: the firmware reads them from this
	 * disk (romboot/ata_pio.c); Bochs takes its geometry from its size. */
	char *disk = path_join(run->work_dir, ROM_DISK_FILE);
	if (is_regular_file(disk))
		strbuf_addf(&rc_text, "ata0-master: type=disk, mode=flat, path=%s\n", ROM_DISK_FILE);
	free(disk);
	rc = engine_write_text(run->work_dir, BOCHS_CONFIG_FILE, strbuf_str(&rc_text), err);
	strbuf_release(&rc_text);
	/* The Debian build includes the debugger; "c" starts the machine
	 * instead of waiting at its prompt. A debug run stays at the prompt,
	 * with the hypervisor's symbols loaded when there are any. */
	char *symbols = path_join(run->work_dir, ENGINE_SYMBOLS_FILE);
	const char *commands = !run->debug ? "c\n"
			       : is_regular_file(symbols) ? "ldsym global \"" ENGINE_SYMBOLS_FILE "\"\n"
			       : "";
	free(symbols);
	if (rc == 0)
		rc = engine_write_text(run->work_dir, BOCHS_COMMANDS_FILE, commands, err);
	if (rc != 0)
		return -1;
	char *log = path_join(run->work_dir, BOCHS_LOG_FILE);
	unlink(log); /* a stale log would show another run's diagnostics */
	free(log);

	engine_argv_add(argv, "bochs");
	engine_argv_add(argv, "-q");
	engine_argv_add(argv, "-f");
	engine_argv_add(argv, BOCHS_CONFIG_FILE);
	engine_argv_add(argv, "-rc");
	engine_argv_add(argv, BOCHS_COMMANDS_FILE);
	return 0;
}

/* Bochs validates VM entry like hardware and names the broken field
 * (VMX: "VMENTER FAIL", "VMFAIL"; SVM: "VMRUN: ..." lines such as "VMRUN:
 * VMRUN intercept bit is not set!"); "3rd ... exception with no
 * resolution" is its word for a host triple fault. */
static const char *const bochs_markers[] = {
	"VMENTER FAIL", "VMFAIL", "VMABORT", "VMRUN:", ">>PANIC<<", "triple fault",
	"exception with no resolution", NULL,
};
/* How every run ends: the hypervisor wrote "Shutdown" to BOCHS_SHUTDOWN_PORT. */
static const char *const bochs_normal[] = { "Shutdown port: shutdown requested", NULL };

static void bochs_diagnose(const char *work_dir, struct strbuf *out)
{
	char *log = path_join(work_dir, BOCHS_LOG_FILE);
	engine_scan_log(log, bochs_markers, bochs_normal, 20, out);
	free(log);
}

static bool bochs_log_says(const char *work_dir, const char *text)
{
	char *log = path_join(work_dir, BOCHS_LOG_FILE);
	bool found = engine_log_contains(log, text);
	free(log);
	return found;
}

/* Bochs logs the reset of the emulated processor once the machine is built:
 * after it, anything that goes wrong happened inside the machine. */
static bool bochs_machine_started(const char *work_dir)
{
	return bochs_log_says(work_dir, "cpu hardware reset");
}

static char *bochs_describe_end(const char *work_dir, int wait_status)
{
	(void)wait_status; /* Bochs exits with 1 for a power-off and a panic alike */
	if (bochs_log_says(work_dir, "Shutdown port: shutdown requested"))
		return xasprintf("the machine powered off through the Bochs shutdown port %#x",
				 BOCHS_SHUTDOWN_PORT);
	if (bochs_log_says(work_dir, "exception with no resolution"))
		return xstrdup("the processor triple-faulted and Bochs stopped the machine");
	return NULL;
}

/* The engines' table-bound entry points: struct engine's callbacks take
 * no engine, so each engine has its own. */
#define BOCHS_ENGINE_CALLBACKS(prefix, table)                                              \
	static const char *prefix##_profile_at(size_t i)                                  \
	{                                                                                  \
		return profile_at(&table, i);                                              \
	}                                                                                  \
	static const char *prefix##_profile_unsupported(const char *cpu)                  \
	{                                                                                  \
		return profile_unsupported(&table, cpu);                                   \
	}                                                                                  \
	static const char *prefix##_lacks_feature(const char *cpu, const char *feature)   \
	{                                                                                  \
		return lacks_feature(&table, cpu, feature);                                \
	}                                                                                  \
	static int prefix##_prepare(const struct engine_run *run, struct engine_argv *argv, \
				    struct strbuf *err)                                    \
	{                                                                                  \
		return prepare(&table, run, argv, err);                                    \
	}
BOCHS_ENGINE_CALLBACKS(bochs, intel)
BOCHS_ENGINE_CALLBACKS(bochs_amd, amd)

const struct engine engine_bochs = {
	.name = "bochs",
	.program = "bochs",
	.host_unusable = bochs_host_unusable,
	.profile_at = bochs_profile_at,
	.profile_unsupported = bochs_profile_unsupported,
	.lacks_feature = bochs_lacks_feature,
	.prepare = bochs_prepare,
	.diagnose = bochs_diagnose,
	.machine_started = bochs_machine_started,
	.describe_end = bochs_describe_end,
};

const struct engine engine_bochs_amd = {
	.name = "bochs-amd",
	.program = "bochs",
	.host_unusable = bochs_host_unusable,
	.profile_at = bochs_amd_profile_at,
	.profile_unsupported = bochs_amd_profile_unsupported,
	.lacks_feature = bochs_amd_lacks_feature,
	.prepare = bochs_amd_prepare,
	.diagnose = bochs_diagnose,
	.machine_started = bochs_machine_started,
	.describe_end = bochs_describe_end,
};
