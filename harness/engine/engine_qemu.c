/* The QEMU+KVM engine: hardware VMX, on Intel hosts with nested
 * virtualization only (QEMU's TCG has no VMX; notes/engines.md). */
#include "engine/engine.h"

#include "engine/dirty_ram.h"

#include "util/fileutil.h"
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

static char *qemu_host_unusable(void)
{
	int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return xasprintf("cannot open %s: %s", KVM_DEVICE, strerror(errno));
	close(fd);
	/* A paravirtual /dev/kvm without VMX underneath cannot run a VMX
	 * hypervisor as its guest. */
	if (!cpuinfo_has_flag("vmx"))
		return xasprintf("%s lists no 'vmx' flag (no Intel VMX to nest)", CPUINFO);
	return NULL;
}

/* The suite's cpu profiles (spec/loader.lua CPU_PROFILE_MEANING) as QEMU
 * -cpu values: the host's processor less the named features (QEMU 7.2
 * hides each vmx-* capability bit from the guest; without EPT it also
 * drops unrestricted guest). The vmx-locked-off profiles differ only in
 * the firmware (engine.c). Not measured here: this machine has no KVM. */
static const struct {
	const char *cpu;
	const char *option;
} profiles[] = {
	{ "vmx-ept", "host" },
	{ "no-vmx", "host,-vmx" },
	{ "no-long-mode", "host,-lm" },
	{ "no-vmx-no-long-mode", "host,-vmx,-lm" },
	{ "vmx-locked-off", "host" },
	{ "vmx-locked-off-no-unrestricted-guest", "host,-vmx-unrestricted-guest" },
	{ "no-ept", "host,-vmx-ept" },
	{ "no-unrestricted-guest", "host,-vmx-unrestricted-guest" },
};

static const char *qemu_profile_at(size_t i)
{
	return i < sizeof(profiles) / sizeof(profiles[0]) ? profiles[i].cpu : NULL;
}

static const char *cpu_option(const char *cpu)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].cpu, cpu))
			return profiles[i].option;
	return NULL;
}

/* KVM passes the host's processor through: whatever the case requires,
 * the host has or the guest will say so. */
static const char *qemu_lacks_feature(const char *cpu, const char *feature)
{
	(void)cpu;
	(void)feature;
	return NULL;
}

static const char *qemu_profile_unsupported(const char *cpu)
{
	if (!strncmp(cpu, ENGINE_BOCHS_MODEL_PREFIX, strlen(ENGINE_BOCHS_MODEL_PREFIX)))
		return "it names a Bochs processor model";
	return cpu_option(cpu) ? NULL : "unknown profile";
}

static int qemu_prepare(const struct engine_run *run, struct engine_argv *argv,
			struct strbuf *err)
{
	const char *cpu = cpu_option(run->cpu);
	if (!cpu) {
		strbuf_addf(err, "no QEMU -cpu value for profile '%s'", run->cpu);
		return -1;
	}
	engine_argv_add(argv, "qemu-system-x86_64");
	engine_argv_add(argv, "-enable-kvm");
	engine_argv_add(argv, "-cpu");
	engine_argv_add(argv, cpu);
	engine_argv_add(argv, "-m");
	engine_argv_addf(argv, "%d", run->machine_mib);
	engine_argv_add(argv, "-bios");
	engine_argv_addf(argv, "./%s", run->rom);
	engine_argv_add(argv, "-display");
	engine_argv_add(argv, "none");
	engine_argv_add(argv, "-serial");
	engine_argv_add(argv, "file:" ENGINE_SERIAL_FILE);
	engine_argv_add(argv, "-monitor");
	engine_argv_add(argv, "none");
	engine_argv_add(argv, "-no-reboot");
	engine_argv_add(argv, "-device");
	engine_argv_add(argv, QEMU_DEBUG_EXIT);
	/* Non-zero RAM (dirty_ram.h) through QEMU's generic loader. */
	if (run->dirty_low && run->dirty_high) {
		engine_argv_add(argv, "-device");
		engine_argv_addf(argv, "loader,file=%s,addr=0x%x,force-raw=on", run->dirty_low,
				 DIRTY_LOW_BASE);
		engine_argv_add(argv, "-device");
		engine_argv_addf(argv, "loader,file=%s,addr=0x%x,force-raw=on", run->dirty_high,
				 DIRTY_HIGH_BASE);
	}
	if (run->debug) {
		/* Stopped at the first instruction, waiting for gdb. */
		engine_argv_add(argv, "-gdb");
		engine_argv_addf(argv, "tcp::%d", ENGINE_GDB_PORT);
		engine_argv_add(argv, "-S");
	}
	return 0;
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

const struct engine engine_qemu_kvm = {
	.name = "qemu-kvm",
	.program = "qemu-system-x86_64",
	.host_unusable = qemu_host_unusable,
	.profile_at = qemu_profile_at,
	.profile_unsupported = qemu_profile_unsupported,
	.lacks_feature = qemu_lacks_feature,
	.prepare = qemu_prepare,
	.diagnose = qemu_diagnose,
	.machine_started = qemu_machine_started,
	.describe_end = qemu_describe_end,
};
