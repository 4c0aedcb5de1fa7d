/* The QEMU engines: "qemu" is QEMU's TCG, an AMD processor with SVM and
 * nested paging on any host (it emulates no VMX); "qemu-kvm" the host's own
 * processor through KVM, on hosts with nested virtualization (VMX or SVM).
 * Both boot the project's ROM through -bios and power off through
 * isa-debug-exit (notes/engines.md). */
#include "engine/engine.h"

#include "engine/dirty_ram.h"

#include "util/fileutil.h"
#include "util/shell_quote.h"
#include "abi/ports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KVM_DEVICE "/dev/kvm"
#define CPUINFO "/proc/cpuinfo"
#define CPUINFO_MAX (16u << 20)

/* The contract's QEMU power-off: a write to isa-debug-exit (abi/ports.h). */
#define QEMU_DEBUG_EXIT_STR_(x) #x
#define QEMU_DEBUG_EXIT_STR(x) QEMU_DEBUG_EXIT_STR_(x)
#define QEMU_DEBUG_EXIT "isa-debug-exit,iobase=" QEMU_DEBUG_EXIT_STR(QEMU_DEBUG_EXIT_PORT) \
	",iosize=" QEMU_DEBUG_EXIT_STR(QEMU_DEBUG_EXIT_SIZE)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* True when a "flags" line of /proc/cpuinfo lists the flag. */
static int cpuinfo_has_flag(const char *flag)
{
	char *info = read_file(CPUINFO, CPUINFO_MAX, NULL);
	if (!info)
		return 0;
	int found = 0;
	size_t flen = strlen(flag);
	char *save = NULL;
	for (char *line = strtok_r(info, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		for (char *p = strstr(line, flag); p; p = strstr(p + 1, flag))
			if (p > line && p[-1] == ' ' && (p[flen] == ' ' || p[flen] == '\0'))
				found = 1;
	}
	free(info);
	return found;
}

/* Which processors a profile describes: its vendor's virtualization
 * extension (spec/loader.lua CPU_PROFILE_MEANING). */
enum profile_vendor { EITHER_VENDOR, INTEL_VMX, AMD_SVM };

/* One cpu profile on one QEMU engine: a -cpu value, or why it cannot be. */
struct qemu_profile {
	const char *cpu;
	enum profile_vendor vendor;
	const char *option;      /* -cpu value, or NULL */
	const char *unsupported; /* why there is none, or NULL */
};

/* QEMU 7.2's TCG, measured with harness/engine/fixtures/cpu_facts_kernel:
 * qemu64 is an AuthenticAMD processor with long mode and SVM but without
 * nested paging or 1-GiB pages; +npt and +pdpe1gb add them (no warning:
 * TCG implements both). -cpu max and the EPYC models have all four too, but
 * max changes with every QEMU release and EPYC asks for features TCG lacks
 * (it warns about rdseed, nrip-save, xsavec and more): naming each feature
 * on qemu64 keeps the processor the same on every QEMU. No profile drops
 * 1-GiB pages, so 1g-pages cases run on every one. */
#define QEMU_TCG_SVM_NPT "qemu64,+svm,+npt,+pdpe1gb"
/* cr4-features: QEMU 7.2's TCG offers each of these without a warning
 * (measured; it warns "TCG doesn't support requested feature:
 * CPUID.01H:ECX.pcid", so PCID stays out). +xsaveopt comes with +xsave:
 * TCG treats CR4.OSXSAVE as reserved unless leaf 0DH subleaf 1 announces
 * something (target/i386/cpu.h cr4_reserved_bits tests FEAT_XSAVE), and
 * with +xsave alone VMRUN refused a guest CR4 with OSXSAVE (measured). */
#define QEMU_TCG_CR4_FEATURES QEMU_TCG_SVM_NPT ",+fsgsbase,+smep,+smap,+umip,+pku,+xsave,+xsaveopt"
#define QEMU_TCG_NO_VMX "QEMU's TCG emulates no VMX (QEMU 7.2 warns that TCG does not support " \
	"CPUID.01H:ECX.vmx and the guest sees VMX=0); engine bochs plays Intel processors"
static const struct qemu_profile tcg_profiles[] = {
	{ "virt", AMD_SVM, QEMU_TCG_SVM_NPT, NULL },
	{ "vmx-ept", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "no-vmx", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "no-long-mode", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "no-vmx-no-long-mode", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "vmx-locked-off", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "vmx-locked-off-no-unrestricted-guest", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "no-ept", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "no-unrestricted-guest", INTEL_VMX, NULL, QEMU_TCG_NO_VMX },
	{ "svm-npt", AMD_SVM, QEMU_TCG_SVM_NPT, NULL },
	{ "no-svm", AMD_SVM, "qemu64,-svm,-npt,+pdpe1gb", NULL },
	/* target/i386/tcg/sysemu/misc_helper.c has no VM_CR case: WRMSR
	 * drops the value, RDMSR returns 0 (measured: the firmware's
	 * svm-locked-off option reads its write back clear). */
	{ "svm-locked-off", AMD_SVM, NULL, "QEMU 7.2's TCG ignores writes to VM_CR (MSR "
	  "C001_0114h) and reads it as 0, so no firmware can disable SVM; engine qemu-kvm on "
	  "an AMD host plays this profile" },
	{ "no-npt", AMD_SVM, "qemu64,+svm,-npt,+pdpe1gb", NULL },
	{ "cr4-features", AMD_SVM, QEMU_TCG_CR4_FEATURES, NULL },
};

/* KVM: the host's processor less the named features (QEMU 7.2 hides each
 * vmx-* capability bit from the guest; without EPT it also drops
 * unrestricted guest). The locked-off profiles differ only in the firmware
 * (engine.c); KVM keeps VM_CR as the guest writes it. Not measured here:
 * this machine has no usable KVM. */
static const struct qemu_profile kvm_profiles[] = {
	{ "virt", EITHER_VENDOR, "host", NULL },
	{ "vmx-ept", INTEL_VMX, "host", NULL },
	{ "no-vmx", INTEL_VMX, "host,-vmx", NULL },
	{ "no-long-mode", INTEL_VMX, "host,-lm", NULL },
	{ "no-vmx-no-long-mode", INTEL_VMX, "host,-vmx,-lm", NULL },
	{ "vmx-locked-off", INTEL_VMX, "host", NULL },
	{ "vmx-locked-off-no-unrestricted-guest", INTEL_VMX, "host,-vmx-unrestricted-guest", NULL },
	{ "no-ept", INTEL_VMX, "host,-vmx-ept", NULL },
	{ "no-unrestricted-guest", INTEL_VMX, "host,-vmx-unrestricted-guest", NULL },
	{ "svm-npt", AMD_SVM, "host", NULL },
	{ "no-svm", AMD_SVM, "host,-svm", NULL },
	{ "svm-locked-off", AMD_SVM, "host", NULL },
	{ "no-npt", AMD_SVM, "host,-npt", NULL },
	{ "cr4-features", EITHER_VENDOR, "host", NULL },
};

struct qemu_table {
	const struct qemu_profile *profiles;
	size_t count;
};
static const struct qemu_table tcg = { tcg_profiles, COUNT(tcg_profiles) };
static const struct qemu_table kvm = { kvm_profiles, COUNT(kvm_profiles) };

static const struct qemu_profile *find_profile(const struct qemu_table *t, const char *cpu)
{
	for (size_t i = 0; i < t->count; i++)
		if (!strcmp(t->profiles[i].cpu, cpu))
			return &t->profiles[i];
	return NULL;
}

static const char *profile_at(const struct qemu_table *t, size_t i)
{
	return i < t->count ? t->profiles[i].cpu : NULL;
}

static const char *profile_unsupported(const struct qemu_table *t, const char *cpu)
{
	if (!strncmp(cpu, ENGINE_BOCHS_MODEL_PREFIX, strlen(ENGINE_BOCHS_MODEL_PREFIX)))
		return "it names a Bochs processor model";
	const struct qemu_profile *p = find_profile(t, cpu);
	if (!p)
		return "unknown profile";
	return p->unsupported;
}

static char *kvm_host_unusable(void)
{
	int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return xasprintf("cannot open %s: %s", KVM_DEVICE, strerror(errno));
	close(fd);
	/* A paravirtual /dev/kvm without VMX or SVM underneath cannot run a
	 * hypervisor as its guest. */
	if (!cpuinfo_has_flag("vmx") && !cpuinfo_has_flag("svm"))
		return xasprintf("%s lists neither 'vmx' nor 'svm' (no virtualization extension "
				 "to nest)", CPUINFO);
	return NULL;
}

static char *tcg_host_unusable(void)
{
	return NULL; /* an emulator: runs anywhere */
}

/* KVM plays a vendor's profiles only on that vendor's host. */
static const char *kvm_profile_unsupported(const char *cpu)
{
	const char *why = profile_unsupported(&kvm, cpu);
	if (why)
		return why;
	enum profile_vendor v = find_profile(&kvm, cpu)->vendor;
	if (v == INTEL_VMX && !cpuinfo_has_flag("vmx"))
		return "an Intel (VMX) profile, and this host's processor has no VMX (" CPUINFO ")";
	if (v == AMD_SVM && !cpuinfo_has_flag("svm"))
		return "an AMD (SVM) profile, and this host's processor has no SVM (" CPUINFO ")";
	return NULL;
}

static const char *tcg_profile_unsupported(const char *cpu)
{
	return profile_unsupported(&tcg, cpu);
}

static const char *kvm_profile_at(size_t i)
{
	return profile_at(&kvm, i);
}

static const char *tcg_profile_at(size_t i)
{
	return profile_at(&tcg, i);
}

/* KVM passes the host's processor through: whatever the case requires,
 * the host has or the guest will say so. */
static const char *kvm_lacks_feature(const char *cpu, const char *feature)
{
	(void)cpu;
	(void)feature;
	return NULL;
}

/* Every TCG profile has 1-GiB pages (+pdpe1gb). */
static const char *tcg_lacks_feature(const char *cpu, const char *feature)
{
	(void)cpu;
	return strcmp(feature, "1g-pages") ? "a feature the qemu engine does not know" : NULL;
}

/* The command line of the run, one shell line, in the work folder. */
#define QEMU_COMMAND_FILE "qemu.cmd"

/* The memory backend that holds the machine's RAM. */
#define QEMU_RAM_ID "hvspec-ram"

/* QEMU's option parser splits on ','; a value writes it as ",,". */
static void add_option_value(struct strbuf *sb, const char *value)
{
	for (; *value; value++) {
		if (*value == ',')
			strbuf_adds(sb, ",,");
		else
			strbuf_add(sb, value, 1);
	}
}

/* The command line both engines share, after the accelerator's options.
 * -nodefaults drops the default VGA, network card, floppy, CD-ROM,
 * parallel port and monitor: nothing the suite's machines use, and about a
 * quarter of an empty boot under TCG (0.35 to 0.25 s, ci/bench-engines.sh). */
static int prepare(const struct qemu_table *t, const char *const *accel,
		   const struct engine_run *run, struct engine_argv *argv, struct strbuf *err)
{
	const struct qemu_profile *p = find_profile(t, run->cpu);
	if (!p || !p->option) {
		strbuf_addf(err, "no QEMU -cpu value for profile '%s'", run->cpu);
		return -1;
	}
	engine_argv_add(argv, "qemu-system-x86_64");
	for (; *accel; accel++)
		engine_argv_add(argv, *accel);
	engine_argv_add(argv, "-cpu");
	engine_argv_add(argv, p->option);
	engine_argv_add(argv, "-m");
	engine_argv_addf(argv, "%d", run->machine_mib);
	engine_argv_add(argv, "-bios");
	engine_argv_addf(argv, "./%s", run->rom);
	engine_argv_add(argv, "-nodefaults");
	engine_argv_add(argv, "-display");
	engine_argv_add(argv, "none");
	engine_argv_add(argv, "-serial");
	/* Interactive: COM1 shares the terminal with QEMU's monitor (Ctrl-A C),
	 * Ctrl-A X quits, Ctrl-C reaches the guest. */
	engine_argv_add(argv, run->interactive ? "mon:stdio" : "file:" ENGINE_SERIAL_FILE);
	engine_argv_add(argv, "-serial"); /* COM2: the disk's write-back */
	engine_argv_add(argv, "file:" ENGINE_COM2_FILE);
	if (!run->interactive) {
		engine_argv_add(argv, "-monitor");
		engine_argv_add(argv, "none");
	}
	engine_argv_add(argv, "-no-reboot");
	engine_argv_add(argv, "-device");
	engine_argv_add(argv, QEMU_DEBUG_EXIT);
	/* Port 0xE9 (BOCHS_DEBUG_PORT, isa-debugcon's default) to stdout, so a
	 * coverage build's counters (abi/gcov_stream.h) reach the engine
	 * output as they do from Bochs' port_e9_hack. */
	engine_argv_add(argv, "-debugcon");
	engine_argv_add(argv, run->interactive ? "file:" ENGINE_OUTPUT_FILE : "stdio");
	/* Non-zero RAM (dirty_ram.h): the machine's RAM is a private mapping
	 * of a file that holds the pattern. */
	if (run->dirty_low && run->dirty_high) {
		char *whole = dirty_ram_whole_file(run->dirty_high, run->machine_mib, err);
		if (!whole) {
			engine_argv_free(argv);
			return -1;
		}
		struct strbuf opt = STRBUF_INIT;
		strbuf_addf(&opt, "memory-backend-file,id=" QEMU_RAM_ID ",size=%dM,share=off,"
			    "mem-path=", run->machine_mib);
		add_option_value(&opt, whole);
		free(whole);
		engine_argv_add(argv, "-object");
		engine_argv_add(argv, strbuf_str(&opt));
		strbuf_release(&opt);
		engine_argv_add(argv, "-machine");
		engine_argv_add(argv, "pc,memory-backend=" QEMU_RAM_ID);
	}
	if (run->debug) {
		/* Stopped at the first instruction, waiting for gdb. */
		engine_argv_add(argv, "-gdb");
		engine_argv_addf(argv, "tcp::%d", ENGINE_GDB_PORT);
		engine_argv_add(argv, "-S");
	}
	/* QEMU has no configuration file: the command line is kept instead,
	 * so a kept run can be booted again by hand (sh qemu.cmd). */
	struct strbuf cmd = STRBUF_INIT;
	for (size_t i = 0; i < argv->n; i++) {
		if (i)
			strbuf_adds(&cmd, " ");
		shell_quote(&cmd, argv->v[i]);
	}
	strbuf_adds(&cmd, "\n");
	int rc = engine_write_text(run->work_dir, QEMU_COMMAND_FILE, strbuf_str(&cmd), err);
	strbuf_release(&cmd);
	if (rc != 0)
		engine_argv_free(argv);
	return rc;
}

static int kvm_prepare(const struct engine_run *run, struct engine_argv *argv,
		       struct strbuf *err)
{
	static const char *const accel[] = { "-enable-kvm", NULL };
	return prepare(&kvm, accel, run, argv, err);
}

static int tcg_prepare(const struct engine_run *run, struct engine_argv *argv,
		       struct strbuf *err)
{
	/* -icount shift=0,sleep=off: the guest's TSC and the APIC timer count
	 * executed instructions, one tick each, as under Bochs, so timer
	 * results repeat from run to run (measured: a probe's RDTSC deltas
	 * 147187 and 217302 in two runs without it, 994 twice with it, the
	 * bochs-amd figure; wall time unchanged; spec/events-design.md). */
	static const char *const accel[] = { "-accel", "tcg", "-icount", "shift=0,sleep=off", NULL };
	return prepare(&tcg, accel, run, argv, err);
}

static const char *const qemu_markers[] = { "qemu-system", "KVM", "kvm", "error", NULL };

static void qemu_diagnose(const char *work_dir, struct strbuf *out)
{
	char *log = path_join(work_dir, ENGINE_OUTPUT_FILE);
	engine_scan_log(log, qemu_markers, NULL, 20, out);
	free(log);
}

/* QEMU creates the serial file while it builds the machine. */
static bool qemu_machine_started(const char *work_dir)
{
	char *serial = path_join(work_dir, ENGINE_SERIAL_FILE);
	bool started = is_regular_file(serial);
	free(serial);
	return started;
}

/* isa-debug-exit turns a write of N into exit status (N << 1) | 1. */
static char *qemu_describe_end(const char *work_dir, int wait_status)
{
	(void)work_dir;
	if (!WIFEXITED(wait_status))
		return NULL;
	int status = WEXITSTATUS(wait_status);
	if (status == 0)
		return xstrdup("the machine powered off (QEMU exited normally)");
	if (status & 1)
		return xasprintf("the machine powered off through isa-debug-exit (value %d)",
				 status >> 1);
	return NULL;
}

const struct engine engine_qemu = {
	.name = "qemu",
	.program = "qemu-system-x86_64",
	.large_rom = true,
	.host_unusable = tcg_host_unusable,
	.profile_at = tcg_profile_at,
	.profile_unsupported = tcg_profile_unsupported,
	.lacks_feature = tcg_lacks_feature,
	.prepare = tcg_prepare,
	.diagnose = qemu_diagnose,
	.machine_started = qemu_machine_started,
	.describe_end = qemu_describe_end,
};

const struct engine engine_qemu_kvm = {
	.name = "qemu-kvm",
	.program = "qemu-system-x86_64",
	.large_rom = true,
	.host_unusable = kvm_host_unusable,
	.profile_at = kvm_profile_at,
	.profile_unsupported = kvm_profile_unsupported,
	.lacks_feature = kvm_lacks_feature,
	.prepare = kvm_prepare,
	.diagnose = qemu_diagnose,
	.machine_started = qemu_machine_started,
	.describe_end = qemu_describe_end,
};
