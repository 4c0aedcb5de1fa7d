#include "engine/rom.h"

#include "engine/engine.h"
#include "util/fileutil.h"
#include "engine/process.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How much of mkrom's own output a failure message repeats. */
#define ROM_OUTPUT_SHOWN 2000

static int require_file(const struct layout *l, const char *what, const char *path,
			struct strbuf *err)
{
	if (is_regular_file(path))
		return 0;
	strbuf_addf(err, "%s %s is missing", what, path);
	if (!strncmp(path, l->build, strlen(l->build)))
		strbuf_adds(err, " (run 'make all' first)");
	return -1;
}

int rom_build(const struct layout *l, const struct rom_request *req, const char *work_dir,
	      const char *rom_name, struct strbuf *err)
{
	if (require_file(l, "ROM packer", l->mkrom, err) ||
	    require_file(l, "firmware loader", l->rom_loader, err) ||
	    require_file(l, "hypervisor image", req->kernel, err) ||
	    (req->module && require_file(l, "probe image", req->module, err)) ||
	    (req->extra_module && require_file(l, "second module image", req->extra_module, err)))
		return -1;

	char *rom = path_join(work_dir, rom_name);
	char *output = path_join(work_dir, ROM_BUILD_OUTPUT_FILE);
	char *disk = path_join(work_dir, ROM_DISK_FILE);
	struct engine_argv argv = { .n = 0 };
	engine_argv_add(&argv, l->mkrom);
	engine_argv_add(&argv, "-o");
	engine_argv_add(&argv, rom_name); /* mkrom runs inside work_dir */
	engine_argv_add(&argv, "-l");
	engine_argv_add(&argv, l->rom_loader);
	engine_argv_add(&argv, "-k");
	engine_argv_add(&argv, req->kernel);
	if (req->hv_cmdline && *req->hv_cmdline) {
		engine_argv_add(&argv, "-c");
		engine_argv_add(&argv, req->hv_cmdline);
	}
	/* The disk takes the second place, or the third after a second
	 * module (a Linux guest's initrd). */
	const char *first = req->module, *first_string = req->module_cmdline;
	const char *second = req->extra_module, *second_string = "";
	const char *third = NULL, *third_string = "";
	if (req->module && req->disk_image && req->extra_module) {
		third = req->disk_image;
		third_string = req->disk_string;
	} else if (req->module && req->disk_image) {
		second = req->disk_image;
		second_string = req->disk_string;
		if (req->disk_first) {
			second = first;
			second_string = first_string;
			first = req->disk_image;
			first_string = req->disk_string;
		}
	}
	/* mkrom's options of the first, second and third module and their
	 * strings; each needs the one before it. */
	const char *const image_opt[] = { "-m", "-x", "-y" }, *const string_opt[] = { "-a", "-X", "-Y" };
	const char *const image[] = { first, first ? second : NULL, first && second ? third : NULL };
	const char *const string[] = { first_string, second_string, third_string };
	for (size_t i = 0; i < 3 && image[i]; i++) {
		engine_argv_add(&argv, image_opt[i]);
		engine_argv_add(&argv, image[i]);
		if (string[i] && *string[i]) {
			engine_argv_add(&argv, string_opt[i]);
			engine_argv_add(&argv, string[i]);
		}
	}
	engine_argv_add(&argv, "-r");
	engine_argv_addf(&argv, "%d", req->machine_mib);
	if (req->large_rom) {
		engine_argv_add(&argv, "-L");
	} else {
		engine_argv_add(&argv, "-d");
		engine_argv_add(&argv, ROM_DISK_FILE);
	}
	if (req->firmware_option) {
		engine_argv_add(&argv, "-f");
		engine_argv_add(&argv, req->firmware_option);
	}

	unlink(rom);
	unlink(disk); /* a stale disk would be attached to a ROM that does not want it */
	struct process_result pr;
	int rc = -1;
	if (process_run(argv.v, work_dir, output, ROM_BUILD_TIMEOUT_S, &pr) != 0) {
		strbuf_addf(err, "cannot run %s: %s", l->mkrom, strerror(errno));
	} else if (!pr.started) {
		strbuf_addf(err, "cannot execute %s: %s", l->mkrom, strerror(pr.exec_errno));
	} else if (pr.timed_out) {
		strbuf_addf(err, "%s did not finish within %d s", l->mkrom, ROM_BUILD_TIMEOUT_S);
	} else if (pr.wait_status != 0 || !is_regular_file(rom)) {
		char *status = process_describe_status(pr.wait_status);
		size_t len = 0;
		char *text = read_file(output, ROM_OUTPUT_SHOWN, &len);
		strbuf_addf(err, "%s failed (%s)", l->mkrom, status);
		if (pr.wait_status == 0)
			strbuf_addf(err, " without writing %s", rom);
		while (len && (text[len - 1] == '\n'))
			len--;
		if (text && len) {
			strbuf_adds(err, ": ");
			for (size_t i = 0; i < len; i++) {
				if (text[i] == '\n')
					strbuf_adds(err, "; ");
				else
					strbuf_add_printable(err, text + i, 1);
			}
		}
		free(text);
		free(status);
	} else {
		rc = 0;
	}
	engine_argv_free(&argv);
	free(rom);
	free(disk);
	free(output);
	return rc;
}
