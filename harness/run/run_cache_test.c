/* Host tests of the run cache: the key that decides which cases share one
 * boot, and the stored result of a run. No emulator is started. */
#include "run/boot.h"
#include "engine/engine.h"
#include "util/fileutil.h"
#include "run/run_cache.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <stdlib.h>
#include <string.h>

static char *key_of(const struct layout *l, const struct boot_request *req)
{
	char *key;
	struct strbuf err = STRBUF_INIT;
	ATF_REQUIRE_MSG(run_cache_key(l, req, &key, &err) == 0, "%s", strbuf_str(&err));
	strbuf_release(&err);
	return key;
}

static void write_text(const char *path, const char *text)
{
	ATF_REQUIRE(write_file_atomic(path, text, strlen(text)) == 0);
}

ATF_TC_WITHOUT_HEAD(run_key_covers_every_input);
ATF_TC_BODY(run_key_covers_every_input, tc)
{
	ATF_REQUIRE(make_dirs("k") == 0 && make_dirs("p") == 0);
	write_text("k/hv.elf", "hypervisor one");
	write_text("k/other.elf", "hypervisor two");
	write_text("p/hc_halt.elf", "probe");
	write_text("loader.bin", "loader");
	struct layout l = { .build = "/nonexistent-build", .rom_loader = "loader.bin" };
	struct boot_request base = {
		.engine = &engine_bochs, .cpu = "vmx-ept", .kernel = "k/hv.elf",
		.hv_cmdline = "", .module = "p/hc_halt.elf", .module_cmdline = "a=1",
		.machine_mib = 160, .timeout_s = 30,
	};
	char *key = key_of(&l, &base);
	ATF_CHECK_MSG(strncmp(key, "hc_halt.bochs.vmx-ept.160m.", 27) == 0, "key %s", key);
	ATF_CHECK_EQ(27 + RUN_CACHE_KEY_HASH_HEX, strlen(key));

	struct boot_request same = base;
	same.timeout_s = 99; /* the time limit is not an input of the run */
	char *k2 = key_of(&l, &same);
	ATF_CHECK_STREQ(key, k2);
	free(k2);

	struct boot_request variants[6];
	for (int i = 0; i < 6; i++)
		variants[i] = base;
	variants[0].cpu = "no-ept";
	variants[1].kernel = "k/other.elf";
	variants[2].hv_cmdline = "mem=32M";
	variants[3].module_cmdline = "a=2";
	variants[4].machine_mib = 161;
	variants[5].module = NULL;
	for (int i = 0; i < 6; i++) {
		char *k = key_of(&l, &variants[i]);
		ATF_CHECK_MSG(strcmp(key, k) != 0, "variant %d has the same key %s", i, k);
		free(k);
	}
	/* Inputs are separated: moving a byte between fields changes the key. */
	struct boot_request a = base, b = base;
	a.hv_cmdline = "ab";
	a.module_cmdline = "c";
	b.hv_cmdline = "a";
	b.module_cmdline = "bc";
	char *ka = key_of(&l, &a), *kb = key_of(&l, &b);
	ATF_CHECK(strcmp(ka, kb) != 0);
	free(ka);
	free(kb);
	free(key);
}

/* The grading bug this prevents: a different image at the same path must
 * never reuse a stored run. The same holds for the probe and the loader. */
ATF_TC_WITHOUT_HEAD(run_key_follows_content_not_paths);
ATF_TC_BODY(run_key_follows_content_not_paths, tc)
{
	write_text("hv.elf", "student one");
	write_text("probe.elf", "probe");
	write_text("loader.bin", "loader");
	struct layout l = { .build = "/nonexistent-build", .rom_loader = "loader.bin" };
	struct boot_request req = {
		.engine = &engine_bochs, .cpu = "vmx-ept", .kernel = "hv.elf",
		.hv_cmdline = "", .module = "probe.elf", .module_cmdline = "",
		.machine_mib = 160, .timeout_s = 30,
	};
	char *first = key_of(&l, &req);
	const char *const files[] = { "hv.elf", "probe.elf", "loader.bin" };
	char *previous = first;
	for (size_t i = 0; i < 3; i++) {
		write_text(files[i], "replaced content");
		char *k = key_of(&l, &req);
		ATF_CHECK_MSG(strcmp(previous, k) != 0, "new content of %s kept key %s", files[i], k);
		if (previous != first)
			free(previous);
		previous = k;
	}
	/* Same content back at the path: the same key again. */
	write_text("hv.elf", "student one");
	write_text("probe.elf", "probe");
	write_text("loader.bin", "loader");
	char *again = key_of(&l, &req);
	ATF_CHECK_STREQ(first, again);
	free(again);
	free(previous);
	free(first);

	/* An image that cannot be read is an error that names it. */
	req.kernel = ".";
	char *key = NULL;
	struct strbuf err = STRBUF_INIT;
	ATF_CHECK(run_cache_key(&l, &req, &key, &err) == -1 && key == NULL);
	ATF_CHECK_MSG(strstr(strbuf_str(&err), "hypervisor image . : it is a folder") ||
		      strstr(strbuf_str(&err), "hypervisor image .: it is a folder"),
		      "message: %s", strbuf_str(&err));
	strbuf_release(&err);
}

/* The rule conformance uses to know which cases wait for one another's
 * boot is the key's own: every input but the time limit. */
ATF_TC_WITHOUT_HEAD(same_run_is_the_keys_rule);
ATF_TC_BODY(same_run_is_the_keys_rule, tc)
{
	ATF_REQUIRE(make_dirs("k") == 0);
	write_text("k/hv.elf", "hypervisor");
	write_text("k/probe.elf", "probe");
	write_text("k/other.elf", "other probe");
	write_text("loader.bin", "loader");
	struct layout l = { .build = "/nonexistent-build", .rom_loader = "loader.bin" };
	struct boot_request base = {
		.engine = &engine_bochs, .cpu = "vmx-ept", .kernel = "k/hv.elf",
		.hv_cmdline = "", .module = "k/probe.elf", .module_cmdline = "a=1",
		.machine_mib = 160, .timeout_s = 30,
	};
	struct boot_request same = base;
	same.timeout_s = 5;
	ATF_CHECK(run_cache_same_run(&l, &base, &same));
	char *k1 = key_of(&l, &base), *k2 = key_of(&l, &same);
	ATF_CHECK_STREQ(k1, k2);
	free(k1);
	free(k2);

	struct boot_request variants[7];
	for (int i = 0; i < 7; i++)
		variants[i] = base;
	variants[0].cpu = "no-ept";
	variants[1].engine = &engine_qemu_kvm;
	variants[2].hv_cmdline = "mem=32M";
	variants[3].module_cmdline = "a=2";
	variants[4].machine_mib = 161;
	variants[5].module = "k/other.elf";
	variants[6].module = NULL;
	for (int i = 0; i < 7; i++) {
		ATF_CHECK_MSG(!run_cache_same_run(&l, &base, &variants[i]),
			      "variant %d shares the run", i);
		char *k = key_of(&l, &variants[i]), *kb = key_of(&l, &base);
		ATF_CHECK_MSG(strcmp(k, kb) != 0, "variant %d has the same key", i);
		free(k);
		free(kb);
	}
}

ATF_TC_WITHOUT_HEAD(stored_result_round_trip);
ATF_TC_BODY(stored_result_round_trip, tc)
{
	ATF_REQUIRE(make_dirs("work") == 0);
	const char transcript[] = "[hv] end: halted code=0x0\n[hv] power off\n";
	ATF_REQUIRE(write_file_atomic("work/serial.txt", transcript, strlen(transcript)) == 0);
	struct boot_result r = {
		.status = BOOT_TIMEOUT, .wait_status = 9, .seconds = 1.5, .timeout_s = 7,
		.detail = "two\nlines",
	};
	memset(r.kernel_sha256, 'a', SHA256_HEX_LEN);
	ATF_REQUIRE(boot_result_save(&r, "work") == 0);
	struct boot_result back;
	ATF_REQUIRE(boot_result_load(&engine_bochs, "work", &back) == 0);
	ATF_CHECK_EQ(BOOT_TIMEOUT, back.status);
	ATF_CHECK_EQ(9, back.wait_status);
	ATF_CHECK_EQ(7, back.timeout_s);
	ATF_CHECK(back.seconds > 1.49 && back.seconds < 1.51);
	ATF_CHECK_STREQ("two lines", back.detail);
	ATF_CHECK_STREQ(r.kernel_sha256, back.kernel_sha256);
	ATF_CHECK_EQ(strlen(transcript), back.transcript_len);
	ATF_CHECK_STREQ(transcript, back.transcript);
	char *how = boot_describe(&back);
	ATF_CHECK_STREQ("timeout after 7 s", how);
	free(how);
	boot_result_free(&back);

	ATF_REQUIRE(write_file_atomic("work/result", "status=exited\n", 14) == 0);
	ATF_CHECK(boot_result_load(&engine_bochs, "work", &back) == -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, run_key_covers_every_input);
	ATF_TP_ADD_TC(tp, run_key_follows_content_not_paths);
	ATF_TP_ADD_TC(tp, same_run_is_the_keys_rule);
	ATF_TP_ADD_TC(tp, stored_result_round_trip);
	return atf_no_error();
}
