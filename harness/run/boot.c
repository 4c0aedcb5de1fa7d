#include "run/boot.h"

#include "engine/dirty_ram.h"
#include "util/fileutil.h"
#include "engine/gcov_stream.h"
#include "engine/process.h"
#include "engine/rom.h"
#include "judge/transcript.h"
#include "run/disk_writeback.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const status_names[] = {
	[BOOT_EXITED] = "exited",
	[BOOT_TIMEOUT] = "timeout",
	[BOOT_START_FAILED] = "start-failed",
};

/* An emulator that stops before the machine runs usually says why on its
 * own output; the last lines of it join the diagnostics. */
static void add_engine_output(const char *work_dir, struct boot_result *r)
{
	char *path = path_join(work_dir, ENGINE_OUTPUT_FILE);
	size_t len = 0;
	char *text = read_file_head(path, BOOT_ENGINE_OUTPUT_SHOWN, &len, NULL);
	free(path);
	if (!text)
		return;
	const char *lines[BOOT_ENGINE_OUTPUT_LINES];
	size_t count = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!*line)
			continue;
		if (count == BOOT_ENGINE_OUTPUT_LINES) {
			memmove(lines, lines + 1, sizeof(lines) - sizeof(lines[0]));
			count--;
		}
		lines[count++] = line;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, r->diagnostics);
	for (size_t i = 0; i < count; i++) {
		strbuf_adds(&sb, "  engine output: ");
		strbuf_add_printable(&sb, lines[i], strlen(lines[i]));
		strbuf_adds(&sb, "\n");
	}
	free(r->diagnostics);
	r->diagnostics = strbuf_detach(&sb);
	free(text);
}

/* A hypervisor that reported an outcome other than a refusal with a disk
 * module attached must have sent its write-back (contract 14). */
static bool writeback_required(const char *work_dir, const struct boot_result *r)
{
	if (!disk_image_names_disk(work_dir))
		return false;
	struct transcript t;
	transcript_split(r->transcript, r->transcript_len, &t);
	bool required = false;
	for (size_t i = 0; i < t.count; i++)
		if (transcript_line_starts(&t.lines[i], TRANSCRIPT_END_PREFIX))
			required = !transcript_line_starts(&t.lines[i], TRANSCRIPT_END_PREFIX "refused:");
	transcript_free(&t);
	return required;
}

/* Reads the transcript and the engine's diagnostics after a run. */
static void collect(const struct engine *engine, const char *work_dir, struct boot_result *r)
{
	char *serial = path_join(work_dir, ENGINE_SERIAL_FILE);
	r->transcript = read_file_head(serial, BOOT_TRANSCRIPT_MAX, &r->transcript_len,
				       &r->transcript_truncated);
	if (!r->transcript) {
		r->transcript = xstrdup("");
		r->transcript_len = 0;
	}
	free(serial);
	struct strbuf diag = STRBUF_INIT;
	engine->diagnose(work_dir, &diag);
	r->diagnostics = strbuf_detach(&diag);
	char *ending = r->status == BOOT_EXITED ? engine->describe_end(work_dir, r->wait_status)
						: NULL;
	r->ending = ending ? ending : xstrdup("");
	if (r->status == BOOT_START_FAILED)
		add_engine_output(work_dir, r);
	char *output = path_join(work_dir, ENGINE_OUTPUT_FILE);
	if (gcov_stream_present(output)) {
		char *dest = path_join(work_dir, BOOT_GCOV_DIR);
		struct strbuf err = STRBUF_INIT;
		remove_tree(dest);
		r->gcov_files = gcov_stream_extract(output, dest, &err);
		if (r->gcov_files < 0)
			r->gcov_error = strbuf_detach(&err);
		strbuf_release(&err);
		free(dest);
	}
	free(output);
	char *disk = path_join(work_dir, DISK_IMAGE_FILE);
	r->disk = is_regular_file(disk);
	free(disk);
	if (r->disk) {
		struct strbuf err = STRBUF_INIT;
		r->disk_written = disk_writeback_apply(work_dir, writeback_required(work_dir, r), &err);
		if (r->disk_written < 0)
			r->disk_error = strbuf_detach(&err);
		strbuf_release(&err);
	}
}

int boot_prepare(const struct layout *l, const struct boot_request *req, const char *work_dir,
		 bool debug, char kernel_sha256[SHA256_HEX_LEN + 1], struct engine_argv *argv,
		 struct strbuf *err)
{
	argv->n = 0;
	if (make_dirs(work_dir) != 0) {
		strbuf_addf(err, "cannot create %s: %s", work_dir, strerror(errno));
		return -1;
	}
	char *stale[] = { path_join(work_dir, ENGINE_SERIAL_FILE),
			  path_join(work_dir, BOOT_RESULT_FILE),
			  path_join(work_dir, ENGINE_COM2_FILE),
			  path_join(work_dir, DISK_IMAGE_FILE),
			  path_join(work_dir, DISK_IMAGE_OUT_FILE),
			  path_join(work_dir, DISK_STRING_FILE) };
	for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		unlink(stale[i]);
		free(stale[i]);
	}

	/* Hashed before the ROM is packed from it, so the verdict names the
	 * bytes that were booted. */
	if (sha256_file(req->kernel, kernel_sha256) != 0) {
		int saved = errno;
		strbuf_addf(err, "cannot read the hypervisor image %s: %s", req->kernel,
			    saved == EISDIR ? "it is a folder, not a file" : strerror(saved));
		return -1;
	}

	if (req->disk.present && disk_image_build(&req->disk, work_dir, err) != 0)
		return -1;
	struct rom_request rom = {
		.kernel = req->kernel,
		.hv_cmdline = req->hv_cmdline,
		.module = req->module,
		.module_cmdline = req->module_cmdline,
		.extra_module = req->extra_module,
		.disk_image = req->disk.present ? DISK_IMAGE_FILE : NULL,
		.disk_string = req->disk.string,
		.disk_first = req->disk.first,
		.machine_mib = req->machine_mib,
		.firmware_option = engine_profile_firmware_option(req->cpu),
		.large_rom = req->engine->large_rom,
	};
	if (rom_build(l, &rom, work_dir, BOOT_ROM_FILE, err) != 0)
		return -1;

	struct dirty_ram dirty;
	char *cache = path_join(l->build, BOOT_DIRTY_RAM_DIR);
	int made = dirty_ram_files(cache, req->machine_mib, &dirty, err);
	free(cache);
	if (made != 0)
		return -1;
	struct engine_run run = {
		.work_dir = work_dir,
		.rom = BOOT_ROM_FILE,
		.cpu = req->cpu,
		.machine_mib = req->machine_mib,
		.debug = debug,
		.interactive = req->interactive,
		.dirty_low = dirty.low_path,
		.dirty_high = dirty.high_path,
	};
	int rc = req->engine->prepare(&run, argv, err);
	dirty_ram_free(&dirty);
	if (rc != 0) {
		engine_argv_free(argv);
		return -1;
	}
	return 0;
}

int boot_run(const struct layout *l, const struct boot_request *req, const char *work_dir,
	     struct boot_result *r, struct strbuf *err)
{
	memset(r, 0, sizeof(*r));
	struct engine_argv argv = { .n = 0 };
	if (boot_prepare(l, req, work_dir, false, r->kernel_sha256, &argv, err) != 0)
		return -1;
	char *output = path_join(work_dir, ENGINE_OUTPUT_FILE);
	struct process_result pr;
	int rc = process_run(argv.v, work_dir, output, req->timeout_s, &pr);
	int saved = errno;
	free(output);
	engine_argv_free(&argv);
	if (rc != 0) {
		strbuf_addf(err, "cannot start %s: %s", req->engine->program, strerror(saved));
		return -1;
	}

	r->wait_status = pr.wait_status;
	r->seconds = pr.seconds;
	r->timeout_s = req->timeout_s;
	char *serial = path_join(work_dir, ENGINE_SERIAL_FILE);
	if (!pr.started) {
		r->status = BOOT_START_FAILED;
		r->detail = xasprintf("cannot execute %s: %s", req->engine->program,
				      strerror(pr.exec_errno));
	} else if (pr.timed_out) {
		r->status = BOOT_TIMEOUT;
	} else if (!is_regular_file(serial) && !req->engine->machine_started(work_dir)) {
		/* Engines open the serial file while setting the machine up. */
		char *how = process_describe_status(pr.wait_status);
		r->status = BOOT_START_FAILED;
		r->detail = xasprintf("%s ended (%s) before the machine came out of reset",
				      req->engine->program, how);
		free(how);
	} else {
		r->status = BOOT_EXITED;
	}
	free(serial);
	if (!r->detail)
		r->detail = xstrdup("");
	collect(req->engine, work_dir, r);
	return 0;
}

int boot_result_save(const struct boot_result *r, const char *work_dir)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "status=%s\nwait_status=%d\nseconds=%.3f\ntimeout=%d\nkernel_sha256=%s\n"
		    "detail=", status_names[r->status], r->wait_status, r->seconds, r->timeout_s,
		    r->kernel_sha256);
	for (const char *p = r->detail; *p; p++)
		strbuf_add(&sb, *p == '\n' ? " " : p, 1);
	strbuf_adds(&sb, "\n");
	char *path = path_join(work_dir, BOOT_RESULT_FILE);
	int rc = write_file_atomic(path, sb.data, sb.len);
	free(path);
	strbuf_release(&sb);
	return rc;
}

int boot_result_load(const struct engine *engine, const char *work_dir, struct boot_result *r)
{
	memset(r, 0, sizeof(*r));
	char *path = path_join(work_dir, BOOT_RESULT_FILE);
	char *text = read_file(path, 65536, NULL);
	free(path);
	if (!text)
		return -1;
	int fields = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		const char *v = eq + 1;
		if (!strcmp(line, "status")) {
			for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
				if (!strcmp(v, status_names[i])) {
					r->status = (enum boot_status)i;
					fields |= 1;
				}
		} else if (!strcmp(line, "wait_status")) {
			r->wait_status = atoi(v);
			fields |= 2;
		} else if (!strcmp(line, "seconds")) {
			r->seconds = strtod(v, NULL);
			fields |= 4;
		} else if (!strcmp(line, "timeout")) {
			r->timeout_s = atoi(v);
			fields |= 8;
		} else if (!strcmp(line, "detail")) {
			r->detail = xstrdup(v);
			fields |= 16;
		} else if (!strcmp(line, "kernel_sha256") && strlen(v) == SHA256_HEX_LEN) {
			memcpy(r->kernel_sha256, v, SHA256_HEX_LEN + 1);
			fields |= 32;
		}
	}
	free(text);
	if (fields != 63) {
		free(r->detail);
		memset(r, 0, sizeof(*r));
		return -1;
	}
	collect(engine, work_dir, r);
	return 0;
}

void boot_result_free(struct boot_result *r)
{
	free(r->detail);
	free(r->transcript);
	free(r->diagnostics);
	free(r->ending);
	free(r->gcov_error);
	free(r->disk_error);
	memset(r, 0, sizeof(*r));
}

static char *describe(const struct boot_result *r, bool with_time)
{
	switch (r->status) {
	case BOOT_TIMEOUT:
		return xasprintf("timeout after %d s", r->timeout_s);
	case BOOT_START_FAILED:
		return xasprintf("emulator failed to start: %s", r->detail);
	case BOOT_EXITED:
	default: {
		if (r->ending && *r->ending)
			return with_time ? xasprintf("%s after %.2f s", r->ending, r->seconds)
					 : xstrdup(r->ending);
		char *how = process_describe_status(r->wait_status);
		char *s = with_time ? xasprintf("emulator exited after %.2f s (%s)", r->seconds, how)
				    : xasprintf("emulator exited (%s)", how);
		free(how);
		return s;
	}
	}
}

char *boot_describe(const struct boot_result *r)
{
	return describe(r, true);
}

char *boot_describe_timeless(const struct boot_result *r)
{
	return describe(r, false);
}
