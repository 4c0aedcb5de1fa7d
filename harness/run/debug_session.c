#include "run/debug_session.h"

#include "util/fileutil.h"
#include "engine/process.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* nm's "ADDRESS TYPE NAME" lines of code and data symbols become the
 * "ADDRESS NAME" lines Bochs' ldsym reads. Returns how many were written;
 * 0 for a stripped image. */
static int write_symbols(const char *kernel, const char *work_dir)
{
	char *nm_out = path_join(work_dir, "nm.out");
	char *argv[] = { "nm", "--defined-only", (char *)kernel, NULL };
	struct process_result pr;
	int count = 0;
	if (process_run(argv, work_dir, nm_out, 30, &pr) == 0 && pr.started && !pr.timed_out) {
		char *text = read_file(nm_out, 16u << 20, NULL);
		struct strbuf sb = STRBUF_INIT;
		char *save = NULL;
		for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			char addr[32], type, name[256];
			if (sscanf(line, "%31s %c %255s", addr, &type, name) == 3 &&
			    strchr("TtDdBbRr", type)) {
				strbuf_addf(&sb, "%s %s\n", addr, name);
				count++;
			}
		}
		if (count) {
			char *path = path_join(work_dir, ENGINE_SYMBOLS_FILE);
			if (write_file_atomic(path, sb.data, sb.len) != 0)
				count = 0;
			free(path);
		}
		strbuf_release(&sb);
		free(text);
	}
	unlink(nm_out);
	free(nm_out);
	return count;
}

static void print_guide(const struct boot_request *req, const char *what, const char *work_dir,
			int symbols)
{
	printf("hvrun --debug: %s, hypervisor %s\n", what, req->kernel);
	printf("  the run's files stay in %s (serial output: %s/%s)\n", work_dir, work_dir,
	       ENGINE_SERIAL_FILE);
	if (!strcmp(req->engine->program, "bochs")) { /* bochs and bochs-amd */
		printf("  Bochs stops before the first instruction. Useful commands:\n"
		       "    c               run (Ctrl-C stops again)\n"
		       "    pb ADDR / lb ADDR   breakpoint at a physical / linear address\n"
		       "    s, n            step one instruction, step over\n"
		       "    r, sreg, creg   registers, segment registers, control registers\n"
		       "    x /8gx ADDR     examine memory (linear)\n"
		       "    vmexitbp        stop at every VM exit (again: stop doing so)\n"
		       "    q               quit\n");
		if (symbols)
			printf("  %d symbols of the hypervisor are loaded: addresses show as "
			       "name+offset.\n", symbols);
		else
			printf("  the image has no symbols (stripped): addresses stay numbers.\n");
		printf("  A failed VM entry: Bochs names the field it refused in %s/bochs.log "
		       "(VMFAIL / VMENTER FAIL); stop at your VMLAUNCH with pb and step over it.\n",
		       work_dir);
	} else {
		printf("  QEMU waits for gdb on port %d. In another terminal:\n"
		       "    gdb -ex 'target remote :%d' -ex 'symbol-file %s'\n",
		       ENGINE_GDB_PORT, ENGINE_GDB_PORT, req->kernel);
	}
	fflush(stdout);
}

int debug_session_exec(const struct layout *l, const struct boot_request *req,
		       const char *what, const char *work_dir, struct strbuf *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		strbuf_adds(err, req->interactive
				 ? "--interactive needs a terminal (COM1 reads from it)"
				 : "--debug needs a terminal (the debugger reads commands from it)");
		return -1;
	}
	if (make_dirs(work_dir) != 0) {
		strbuf_addf(err, "cannot create %s: %s", work_dir, strerror(errno));
		return -1;
	}
	int symbols = write_symbols(req->kernel, work_dir);
	char sha[SHA256_HEX_LEN + 1];
	struct engine_argv argv = { .n = 0 };
	if (boot_prepare(l, req, work_dir, !req->interactive, sha, &argv, err) != 0)
		return -1;
	if (req->interactive)
		printf("hvrun --interactive: %s, hypervisor %s\n  COM1 is this terminal; "
		       "Ctrl-A X quits QEMU. The run's files stay in %s\n",
		       what, req->kernel, work_dir);
	else
		print_guide(req, what, work_dir, symbols);
	fflush(stdout);
	if (chdir(work_dir) != 0) {
		strbuf_addf(err, "cannot enter %s: %s", work_dir, strerror(errno));
		engine_argv_free(&argv);
		return -1;
	}
	/* The engine takes over this process: it owns the terminal, and
	 * Ctrl-C reaches its debugger instead of ending a harness. */
	execvp(argv.v[0], argv.v);
	strbuf_addf(err, "cannot start %s: %s", argv.v[0], strerror(errno));
	engine_argv_free(&argv);
	return -1;
}
