/* Host tests of the engine plumbing: the process runner (time limit,
 * process-group cleanup, exec failures) and the engines' configuration. No
 * emulator is started. */
#include "engine/engine.h"
#include "engine/dirty_ram.h"
#include "util/fileutil.h"
#include "util/layout.h"
#include "engine/process.h"
#include "util/layout.h"
#include "util/strbuf.h"

#include <atf-c.h>
#include <lauxlib.h>
#include <lualib.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *read_text(const char *path)
{
	char *text = read_file(path, 1 << 20, NULL);
	ATF_REQUIRE_MSG(text != NULL, "cannot read %s: %s", path, strerror(errno));
	return text;
}

/* A process that is gone or a zombie (dead, waiting for init to reap it). */
static bool process_dead(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return true;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

ATF_TC_WITHOUT_HEAD(run_captures_output_and_status);
ATF_TC_BODY(run_captures_output_and_status, tc)
{
	ATF_REQUIRE(make_dirs("work") == 0);
	char *const argv[] = { "sh", "-c", "pwd; echo oops >&2; read x || echo eof; exit 3", NULL };
	struct process_result r;
	ATF_REQUIRE(process_run(argv, "work", "out.txt", 10, &r) == 0);
	ATF_CHECK(r.started);
	ATF_CHECK(!r.timed_out);
	ATF_CHECK(WIFEXITED(r.wait_status) && WEXITSTATUS(r.wait_status) == 3);
	char cwd[PATH_MAX];
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	char *expected = xasprintf("%s/work\noops\neof\n", cwd);
	char *out = read_text("out.txt");
	ATF_CHECK_STREQ(expected, out);
	free(out);
	free(expected);
	char *status = process_describe_status(r.wait_status);
	ATF_CHECK_STREQ("exit status 3", status);
	free(status);
}

ATF_TC_WITHOUT_HEAD(missing_program_is_not_started);
ATF_TC_BODY(missing_program_is_not_started, tc)
{
	char *const argv[] = { "hvspec-no-such-program", NULL };
	struct process_result r;
	ATF_REQUIRE(process_run(argv, ".", "out.txt", 10, &r) == 0);
	ATF_CHECK(!r.started);
	ATF_CHECK_EQ(ENOENT, r.exec_errno);
}

ATF_TC(timeout_kills_the_whole_group);
ATF_TC_HEAD(timeout_kills_the_whole_group, tc)
{
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(timeout_kills_the_whole_group, tc)
{
	/* The shell leaves a grandchild behind, as an emulator's helper might. */
	char *const argv[] = { "sh", "-c", "sleep 300 & echo $! > bg.pid; sleep 300", NULL };
	struct process_result r;
	ATF_REQUIRE(process_run(argv, ".", "out.txt", 1, &r) == 0);
	ATF_CHECK(r.started);
	ATF_CHECK(r.timed_out);
	ATF_CHECK_MSG(r.seconds >= 1.0 && r.seconds < 10.0, "took %.2f s", r.seconds);
	ATF_CHECK(WIFSIGNALED(r.wait_status) && WTERMSIG(r.wait_status) == SIGKILL);
	char *text = read_text("bg.pid");
	pid_t bg = (pid_t)atoi(text);
	free(text);
	ATF_REQUIRE(bg > 0);
	for (int i = 0; i < 100 && !process_dead(bg); i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	ATF_CHECK_MSG(process_dead(bg), "background process %d survived", (int)bg);
}

ATF_TC(child_dies_with_the_harness);
ATF_TC_HEAD(child_dies_with_the_harness, tc)
{
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(child_dies_with_the_harness, tc)
{
	/* A helper process plays the harness and is SIGKILLed mid-run: no
	 * handler runs, so only PR_SET_PDEATHSIG can take the child along. */
	pid_t harness = fork();
	ATF_REQUIRE(harness >= 0);
	if (harness == 0) {
		char *const argv[] = { "sh", "-c", "echo $$ > child.pid; exec sleep 300", NULL };
		struct process_result r;
		process_run(argv, ".", "out.txt", 120, &r);
		_exit(0);
	}
	pid_t child = 0;
	for (int i = 0; i < 250 && child <= 0; i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		char *text = read_file("child.pid", 64, NULL);
		if (text && *text && strchr(text, '\n'))
			child = (pid_t)atoi(text);
		free(text);
	}
	ATF_REQUIRE_MSG(child > 0, "the child never started");
	kill(harness, SIGKILL);
	waitpid(harness, NULL, 0);
	for (int i = 0; i < 100 && !process_dead(child); i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	ATF_CHECK_MSG(process_dead(child), "child %d outlived its harness", (int)child);
}

ATF_TC_WITHOUT_HEAD(bochs_config);
ATF_TC_BODY(bochs_config, tc)
{
	ATF_REQUIRE(make_dirs("work") == 0);
	/* A 64 KiB image ends at 4 GiB: it starts at 0xffff0000. */
	static char rom[65536];
	ATF_REQUIRE(write_file_atomic("work/hv.rom", rom, sizeof(rom)) == 0);
	struct engine_run run = { .work_dir = "work", .rom = "hv.rom", .cpu = "no-ept",
				  .machine_mib = 96 };
	struct engine_argv argv = { .n = 0 };
	struct strbuf err = STRBUF_INIT;
	ATF_REQUIRE_MSG(engine_bochs.prepare(&run, &argv, &err) == 0, "%s", strbuf_str(&err));
	ATF_REQUIRE_EQ(6, argv.n);
	ATF_CHECK_STREQ("bochs", argv.v[0]);
	ATF_CHECK_STREQ("-f", argv.v[2]);
	ATF_CHECK(argv.v[6] == NULL);
	char *rc = read_text("work/bochsrc");
	ATF_CHECK(strstr(rc, "\nmegs: 96\n") != NULL);
	ATF_CHECK(strstr(rc, "cpu: model=core2_penryn_t9600, count=1, ips=4000000, "
			     "reset_on_triple_fault=0\n") != NULL);
	ATF_CHECK(strstr(rc, "romimage: file=hv.rom, address=0xffff0000\n") != NULL);
	ATF_CHECK(strstr(rc, "com1: enabled=1, mode=file, dev=serial.txt\n") != NULL);
	ATF_CHECK(strstr(rc, "com2: enabled=1, mode=file, dev=com2.txt\n") != NULL);
	ATF_CHECK(strstr(rc, "panic: action=fatal\n") != NULL);
	ATF_CHECK(strstr(rc, "cpuid:") == NULL);
	free(rc);
	char *cmd = read_text("work/bochs.cmd");
	ATF_CHECK_STREQ("c\n", cmd);
	free(cmd);
	engine_argv_free(&argv);

	/* A profile no cpudb model plays: the generic CPU, shaped by cpuid:. */
	run.cpu = "no-long-mode";
	ATF_REQUIRE_MSG(engine_bochs.prepare(&run, &argv, &err) == 0, "%s", strbuf_str(&err));
	rc = read_text("work/bochsrc");
	ATF_CHECK(strstr(rc, "\ncpu: count=1, ips=4000000, reset_on_triple_fault=0\n"
			     "cpuid: x86_64=0, vmx=1, ") != NULL);
	ATF_CHECK(strstr(rc, "cpu: model=") == NULL);
	free(rc);
	engine_argv_free(&argv);
	run.cpu = "no-ept";

	/* Bochs 2.7 cannot map a ROM above 2 MiB: refused before it starts. */
	static char big[(2 << 20) + 65536];
	ATF_REQUIRE(write_file_atomic("work/hv.rom", big, sizeof(big)) == 0);
	strbuf_reset(&err);
	ATF_CHECK(engine_bochs.prepare(&run, &argv, &err) == -1);
	ATF_CHECK(strstr(strbuf_str(&err), "Bochs 2.7 maps at most") != NULL);
	engine_argv_free(&argv);
	strbuf_release(&err);
}

ATF_TC_WITHOUT_HEAD(bochs_diagnostics);
ATF_TC_BODY(bochs_diagnostics, tc)
{
	const char log[] =
		"00000000000i[CPU0  ] CPU is in real mode\n"
		"00000012345e[VMX   ] VMENTER FAIL: VMCS guest CS.TYPE\n"
		"00000012346i[VMX   ] VMFAIL: VMCS link pointer incorrect revision ID 0 != 43\n"
		"00000012347e[CPU0  ] VMRUN: VMRUN intercept bit is not set!\n"
		"00000099999p[UNMAP ] >>PANIC<< Shutdown port: shutdown requested\n";
	ATF_REQUIRE(make_dirs("work") == 0);
	ATF_REQUIRE(write_file_atomic("work/bochs.log", log, strlen(log)) == 0);
	struct strbuf out = STRBUF_INIT;
	engine_bochs.diagnose("work", &out);
	ATF_CHECK_STREQ("  00000012345e[VMX   ] VMENTER FAIL: VMCS guest CS.TYPE\n"
			"  00000012346i[VMX   ] VMFAIL: VMCS link pointer incorrect revision ID 0 "
			"!= 43\n"
			"  00000012347e[CPU0  ] VMRUN: VMRUN intercept bit is not set!\n",
			strbuf_str(&out));
	strbuf_release(&out);
}

/* The command line as one string, for comparison. */
static char *joined(const struct engine_argv *argv)
{
	struct strbuf line = STRBUF_INIT;
	for (size_t i = 0; i < argv->n; i++)
		strbuf_addf(&line, "%s%s", i ? " " : "", argv->v[i]);
	return strbuf_detach(&line);
}

ATF_TC_WITHOUT_HEAD(qemu_kvm_profiles);
ATF_TC_BODY(qemu_kvm_profiles, tc)
{
	ATF_CHECK(engine_qemu_kvm.profile_unsupported("bochs:tigerlake") != NULL);
	ATF_CHECK(engine_qemu_kvm.profile_unsupported("no-such-profile") != NULL);
	struct engine_run run = { .work_dir = ".", .rom = "hv.rom", .cpu = "no-vmx",
				  .machine_mib = 160 };
	struct engine_argv argv = { .n = 0 };
	struct strbuf err = STRBUF_INIT;
	ATF_REQUIRE(engine_qemu_kvm.prepare(&run, &argv, &err) == 0);
	char *line = joined(&argv);
	ATF_CHECK_STREQ("qemu-system-x86_64 -enable-kvm -cpu host,-vmx -m 160 -bios ./hv.rom "
			"-nodefaults -display none -serial file:serial.txt -serial file:com2.txt -monitor none -no-reboot "
			"-device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon stdio",
			line);
	free(line);
	strbuf_release(&err);
	engine_argv_free(&argv);

	run.cpu = "no-ept";
	ATF_REQUIRE(engine_qemu_kvm.prepare(&run, &argv, &err) == 0);
	ATF_CHECK_STREQ("host,-vmx-ept", argv.v[3]);
	engine_argv_free(&argv);
	run.cpu = "no-npt";
	ATF_REQUIRE(engine_qemu_kvm.prepare(&run, &argv, &err) == 0);
	ATF_CHECK_STREQ("host,-npt", argv.v[3]);
	engine_argv_free(&argv);
	run.cpu = "virt";
	ATF_REQUIRE(engine_qemu_kvm.prepare(&run, &argv, &err) == 0);
	ATF_CHECK_STREQ("host", argv.v[3]);
	engine_argv_free(&argv);

	char *skip = engine_skip_reason(&engine_qemu_kvm, "bochs:tigerlake");
	ATF_CHECK(skip != NULL); /* on every host: missing, unusable or not expressible */
	free(skip);
}

/* QEMU's TCG plays AMD processors: SVM with or without nested paging, or
 * none; every Intel profile and svm-locked-off are skipped with the reason. */
ATF_TC_WITHOUT_HEAD(qemu_tcg_profiles);
ATF_TC_BODY(qemu_tcg_profiles, tc)
{
	ATF_CHECK_STREQ("qemu", engine_qemu.name);
	/* The RAM file is made beside the dirty-RAM files, its path's commas
	 * doubled for QEMU's option parser. */
	ATF_REQUIRE(make_dirs("d,1") == 0);
	struct engine_run run = { .work_dir = ".", .rom = "hv.rom", .cpu = "virt",
				  .machine_mib = 16, .dirty_low = "d,1/low.ram",
				  .dirty_high = "d,1/high.ram" };
	struct engine_argv argv = { .n = 0 };
	struct strbuf err = STRBUF_INIT;
	ATF_REQUIRE_MSG(engine_qemu.prepare(&run, &argv, &err) == 0, "%s", strbuf_str(&err));
	char *line = joined(&argv);
	ATF_CHECK_STREQ("qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -cpu qemu64,+svm,+npt,+pdpe1gb -m 16 "
			"-bios ./hv.rom -nodefaults -display none -serial file:serial.txt -serial file:com2.txt "
			"-monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 "
			"-debugcon stdio -object memory-backend-file,id=hvspec-ram,size=16M,share=off,"
			"mem-path=d,,1/whole-16m.ram -machine pc,memory-backend=hvspec-ram", line);
	free(line);
	engine_argv_free(&argv);
	/* The pattern, but zero where the firmware keeps its stack and data. */
	size_t len = 0;
	unsigned char *ram = (unsigned char *)read_file("d,1/whole-16m.ram", 32u << 20, &len);
	ATF_REQUIRE(ram != NULL);
	ATF_CHECK_EQ((size_t)16 << 20, len);
	ATF_CHECK_EQ(0xa5, ram[0]);
	ATF_CHECK_EQ(0xa5, ram[DIRTY_LOW_SIZE - 1]);
	ATF_CHECK_EQ(0, ram[DIRTY_LOW_SIZE]);
	ATF_CHECK_EQ(0, ram[DIRTY_HIGH_BASE - 1]);
	ATF_CHECK_EQ(0xa5, ram[DIRTY_HIGH_BASE]);
	ATF_CHECK_EQ(0xa5, ram[len - 1]);
	free(ram);
	const char *const cpus[][2] = {
		{ "svm-npt", "qemu64,+svm,+npt,+pdpe1gb" },
		{ "no-svm", "qemu64,-svm,-npt,+pdpe1gb" },
		{ "no-npt", "qemu64,+svm,-npt,+pdpe1gb" },
		{ "cr4-features", "qemu64,+svm,+npt,+pdpe1gb,+fsgsbase,+smep,+smap,+umip,+pku,+xsave,+xsaveopt" },
	};
	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		run.cpu = cpus[i][0];
		ATF_CHECK(engine_qemu.profile_unsupported(run.cpu) == NULL);
		ATF_REQUIRE(engine_qemu.prepare(&run, &argv, &err) == 0);
		ATF_CHECK_STREQ(cpus[i][1], argv.v[6]);   /* after -accel tcg -icount shift=0,sleep=off -cpu */
		engine_argv_free(&argv);
	}
	const char *const intel[] = { "vmx-ept", "no-vmx", "no-long-mode", "no-ept" };
	for (size_t i = 0; i < sizeof(intel) / sizeof(intel[0]); i++) {
		const char *why = engine_qemu.profile_unsupported(intel[i]);
		ATF_CHECK_MSG(why && strstr(why, "TCG emulates no VMX"), "%s: %s", intel[i],
			      why ? why : "(mapped)");
	}
	const char *why = engine_qemu.profile_unsupported("svm-locked-off");
	ATF_CHECK(why && strstr(why, "ignores writes to VM_CR"));
	/* A profile without a mapping never reaches a command line. */
	run.cpu = "svm-locked-off";
	strbuf_reset(&err);
	ATF_CHECK(engine_qemu.prepare(&run, &argv, &err) == -1);
	ATF_CHECK_STREQ("no QEMU -cpu value for profile 'svm-locked-off'", strbuf_str(&err));
	ATF_CHECK(engine_qemu.profile_unsupported("bochs:ryzen") != NULL);
	/* Every profile it plays has 1-GiB pages. */
	char *one_g[] = { "1g-pages" };
	ATF_CHECK(engine_qemu.lacks_feature("no-npt", one_g[0]) == NULL);
	char *skip = engine_skip_reason_for(&engine_qemu, "vmx-ept", one_g, 1);
	ATF_CHECK(skip != NULL); /* missing program or no VMX: skipped either way */
	free(skip);
	strbuf_release(&err);
}

/* Bochs plays Intel and AMD processors as two engines: each skips the
 * other vendor's profiles, naming the engine that plays them. */
ATF_TC_WITHOUT_HEAD(bochs_amd_profiles);
ATF_TC_BODY(bochs_amd_profiles, tc)
{
	ATF_REQUIRE(make_dirs("work") == 0);
	static char rom[65536];
	ATF_REQUIRE(write_file_atomic("work/hv.rom", rom, sizeof(rom)) == 0);
	const char *const models[][2] = {
		{ "virt", "ryzen" },
		{ "svm-npt", "ryzen" },
		{ "no-svm", "athlon64_venice" },
		{ "no-npt", "turion64_tyler" },
		{ "bochs:zambezi", "zambezi" },
	};
	struct engine_run run = { .work_dir = "work", .rom = "hv.rom", .machine_mib = 64 };
	struct engine_argv argv = { .n = 0 };
	struct strbuf err = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		run.cpu = models[i][0];
		ATF_REQUIRE_MSG(engine_bochs_amd.prepare(&run, &argv, &err) == 0, "%s",
				strbuf_str(&err));
		ATF_CHECK_STREQ("bochs", argv.v[0]);
		char *rc = read_text("work/bochsrc");
		char *want = xasprintf("\ncpu: model=%s, count=1,", models[i][1]);
		ATF_CHECK_MSG(strstr(rc, want) != NULL, "%s: no '%s' in bochsrc", run.cpu, want + 1);
		free(want);
		free(rc);
		engine_argv_free(&argv);
	}
	const char *const intel[] = { "vmx-ept", "no-vmx", "vmx-locked-off", "no-long-mode" };
	for (size_t i = 0; i < sizeof(intel) / sizeof(intel[0]); i++) {
		const char *why = engine_bochs_amd.profile_unsupported(intel[i]);
		ATF_CHECK_MSG(why && strstr(why, "engine bochs plays this one"), "%s", intel[i]);
	}
	const char *const amd[] = { "svm-npt", "no-svm", "svm-locked-off", "no-npt" };
	for (size_t i = 0; i < sizeof(amd) / sizeof(amd[0]); i++) {
		const char *why = engine_bochs.profile_unsupported(amd[i]);
		ATF_CHECK_MSG(why && strstr(why, "engine bochs-amd plays this one"), "%s", amd[i]);
	}
	const char *why = engine_bochs_amd.profile_unsupported("svm-locked-off");
	ATF_CHECK(why && strstr(why, "Bochs 2.7 has no VM_CR"));
	/* No Bochs AMD model has UMIP or PKU; icelake_u (Intel) has all. */
	why = engine_bochs_amd.profile_unsupported("cr4-features");
	ATF_CHECK(why && strstr(why, "predate UMIP and PKU"));
	ATF_CHECK(engine_bochs.profile_unsupported("cr4-features") == NULL);
	ATF_CHECK(engine_bochs.profile_unsupported("virt") == NULL);
	/* turion64_tyler, the SVM processor without nested paging, has no
	 * 1-GiB pages either: a case that requires them is skipped there. */
	char *one_g[] = { "1g-pages" };
	ATF_CHECK(engine_skip_reason_for(&engine_bochs_amd, "virt", one_g, 1) == NULL);
	char *skip = engine_skip_reason_for(&engine_bochs_amd, "no-npt", one_g, 1);
	ATF_CHECK(skip && strstr(skip, "the Bochs model has no 1-GiB pages"));
	free(skip);
	strbuf_release(&err);
}

/* spec/loader.lua's CPU_PROFILES is the one list of profile names: every
 * engine lists each of them once, mapped to a processor or unsupported
 * with a reason, and no other. */
ATF_TC_WITHOUT_HEAD(profiles_match_spec_loader);
ATF_TC_BODY(profiles_match_spec_loader, tc)
{
	struct layout l;
	layout_init(&l, NULL);
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	ATF_REQUIRE_MSG(luaL_dofile(L, l.spec_loader) == LUA_OK, "%s", lua_tostring(L, -1));
	ATF_REQUIRE(lua_getfield(L, -1, "CPU_PROFILES") == LUA_TTABLE);
	lua_Integer listed = luaL_len(L, -1);
	const struct engine *const engines[] = { &engine_bochs, &engine_bochs_amd, &engine_qemu,
						 &engine_qemu_kvm };
	for (size_t e = 0; e < sizeof(engines) / sizeof(engines[0]); e++) {
		size_t mapped = 0;
		for (const char *name; (name = engines[e]->profile_at(mapped)); mapped++) {
			int found = 0;
			for (lua_Integer i = 1; i <= listed; i++) {
				lua_geti(L, -1, i);
				found += !strcmp(lua_tostring(L, -1), name);
				lua_pop(L, 1);
			}
			ATF_CHECK_MSG(found == 1, "engine %s lists cpu profile '%s', which %s "
				      "CPU_PROFILES lists %d times", engines[e]->name, name,
				      l.spec_loader, found);
			/* Unsupported needs a reason; a host-dependent engine
			 * (qemu-kvm) may say either, so it is not checked. */
			const char *why = engines[e]->profile_unsupported(name);
			ATF_CHECK_MSG(!why || *why, "engine %s: empty reason for '%s'",
				      engines[e]->name, name);
		}
		ATF_CHECK_MSG(mapped == (size_t)listed, "engine %s lists %zu cpu profiles, %s "
			      "CPU_PROFILES lists %lld: list each one in the engine's profile table "
			      "(mapped, or unsupported with the reason)",
			      engines[e]->name, mapped, l.spec_loader, (long long)listed);
	}
	lua_close(L);
	layout_free(&l);
	ATF_CHECK(engine_profile_known("no-long-mode"));
	ATF_CHECK(!engine_profile_known("no-such-profile"));
}

/* The firmware sets the locked-off profiles up, on every engine. */
ATF_TC_WITHOUT_HEAD(profile_firmware_options);
ATF_TC_BODY(profile_firmware_options, tc)
{
	ATF_CHECK_STREQ("vmx-locked-off", engine_profile_firmware_option("vmx-locked-off"));
	ATF_CHECK_STREQ("vmx-locked-off",
			engine_profile_firmware_option("vmx-locked-off-no-unrestricted-guest"));
	ATF_CHECK(engine_profile_firmware_option("vmx-ept") == NULL);
	ATF_CHECK_STREQ("svm-locked-off", engine_profile_firmware_option("svm-locked-off"));
	ATF_CHECK(engine_profile_firmware_option("virt") == NULL);
	ATF_CHECK(engine_profile_firmware_option("bochs:tigerlake") == NULL);
}

/* A case that requires a processor feature is skipped, with the reason,
 * where the engine's processor lacks it (measured: Ivy Bridge has no 1-GiB
 * pages, Skylake has them). */
ATF_TC_WITHOUT_HEAD(feature_requirements_skip);
ATF_TC_BODY(feature_requirements_skip, tc)
{
	char *one_g[] = { "1g-pages" };
	ATF_CHECK(engine_profile_known("bochs:corei7_ivy_bridge_3770k"));
	ATF_CHECK(!engine_profile_known("bochs:corei9_nonexistent"));
	ATF_CHECK(!engine_profile_known("bochs:"));
	char *why = engine_skip_reason_for(&engine_bochs, "bochs:corei7_ivy_bridge_3770k", one_g, 1);
	ATF_REQUIRE(why != NULL);
	ATF_CHECK_STREQ("the case requires 1g-pages, which the processor of engine bochs, cpu profile "
			"'bochs:corei7_ivy_bridge_3770k' lacks: the Bochs model has no 1-GiB pages", why);
	free(why);
	ATF_CHECK(engine_skip_reason_for(&engine_bochs, "vmx-ept", one_g, 1) == NULL);
	ATF_CHECK(engine_skip_reason_for(&engine_bochs, "bochs:tigerlake", one_g, 1) == NULL);
	ATF_CHECK(engine_skip_reason_for(&engine_bochs, "bochs:corei7_ivy_bridge_3770k", NULL, 0) ==
		  NULL);
}

/* spec/loader.lua's list of engine names (what a case may name) is the
 * engines this harness has, in the same order. */
ATF_TC_WITHOUT_HEAD(engines_match_the_loader);
ATF_TC_BODY(engines_match_the_loader, tc)
{
	struct layout l;
	layout_init(&l, NULL);
	char *cmd = xasprintf("lua5.4 -e 'print(table.concat(dofile(\"%s\").ENGINES, \", \"))'",
			      l.spec_loader);
	layout_free(&l);
	FILE *p = popen(cmd, "r");
	ATF_REQUIRE(p != NULL);
	char names[256] = "";
	ATF_REQUIRE(fgets(names, sizeof(names), p) != NULL);
	pclose(p);
	free(cmd);
	names[strcspn(names, "\n")] = '\0';
	ATF_CHECK_STREQ(names, engine_known_names());
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, engines_match_the_loader);
	ATF_TP_ADD_TC(tp, run_captures_output_and_status);
	ATF_TP_ADD_TC(tp, missing_program_is_not_started);
	ATF_TP_ADD_TC(tp, timeout_kills_the_whole_group);
	ATF_TP_ADD_TC(tp, child_dies_with_the_harness);
	ATF_TP_ADD_TC(tp, bochs_config);
	ATF_TP_ADD_TC(tp, bochs_diagnostics);
	ATF_TP_ADD_TC(tp, qemu_kvm_profiles);
	ATF_TP_ADD_TC(tp, qemu_tcg_profiles);
	ATF_TP_ADD_TC(tp, bochs_amd_profiles);
	ATF_TP_ADD_TC(tp, profiles_match_spec_loader);
	ATF_TP_ADD_TC(tp, profile_firmware_options);
	ATF_TP_ADD_TC(tp, feature_requirements_skip);
	return atf_no_error();
}
