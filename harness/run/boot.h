/* One probe run: ROM image, engine, time limit, transcript. */
#ifndef HVSPEC_HARNESS_BOOT_H
#define HVSPEC_HARNESS_BOOT_H

#include "engine/engine.h"
#include "run/disk_image.h"
#include "util/layout.h"
#include "util/sha256.h"
#include "util/strbuf.h"

#include <stddef.h>

#define BOOT_ROM_FILE "hv.rom"
#define BOOT_RESULT_FILE "result"
#define BOOT_GCOV_DIR "gcov"
/* <build>/dirty-ram/: the pattern files of non-zero RAM (dirty_ram.h). */
#define BOOT_DIRTY_RAM_DIR "dirty-ram"
/* What of the emulator's own output a start failure repeats. */
#define BOOT_ENGINE_OUTPUT_SHOWN 4096
#define BOOT_ENGINE_OUTPUT_LINES 5
/* A guest flooding the console cannot make the harness run out of memory. */
#define BOOT_TRANSCRIPT_MAX (16u << 20)

struct boot_request {
	const struct engine *engine;
	const char *cpu;
	const char *kernel;         /* hypervisor ELF */
	const char *hv_cmdline;
	const char *module;         /* guest probe ELF; NULL for none */
	const char *module_cmdline;
	const char *extra_module;   /* a second boot module; NULL for none */
	struct boot_disk disk;      /* the disk module (contract 14); .present false for none */
	int machine_mib;
	int timeout_s;
	/* COM1 on the terminal (debug_session_exec), for a person to type at
	 * the guest; the engine must support it (engine_run.interactive). */
	bool interactive;
};

enum boot_status {
	BOOT_EXITED,       /* the emulator ended by itself */
	BOOT_TIMEOUT,      /* killed at the time limit */
	BOOT_START_FAILED, /* the emulator never got the machine going */
};

struct boot_result {
	enum boot_status status;
	int wait_status;      /* the emulator's, as from waitpid() */
	double seconds;
	int timeout_s;        /* the limit this run had */
	char *detail;         /* why it failed to start; "" otherwise */
	char *transcript;     /* what the machine wrote to COM1 */
	size_t transcript_len;
	bool transcript_truncated;
	char *diagnostics;    /* engine log lines worth showing; "" if none */
	char *ending;         /* how the machine ended, in words; "" unknown */
	/* Coverage builds: .gcda files decoded into <work_dir>/gcov/ from the
	 * engine's output; gcov_error is the reason a stream was refused
	 * (NULL when there was none or it was whole). */
	int gcov_files;
	char *gcov_error;
	/* A run with a disk (contract 14): the sectors its write-back
	 * carried, applied to a copy of the image (DISK_IMAGE_OUT_FILE), or
	 * disk_error, the reason the stream was refused (NULL when fine). */
	bool disk;
	long disk_written;
	char *disk_error;
	/* SHA-256 of the hypervisor image as this run read it: every verdict
	 * names the exact bytes it judged. */
	char kernel_sha256[SHA256_HEX_LEN + 1];
};

/* Builds the ROM in work_dir and the engine's command line without
 * starting it (debug: the engine waits for a debugger). Returns 0, or -1
 * with the reason in err. */
int boot_prepare(const struct layout *l, const struct boot_request *req, const char *work_dir,
		 bool debug, char kernel_sha256[SHA256_HEX_LEN + 1], struct engine_argv *argv,
		 struct strbuf *err);
/* Builds the ROM in work_dir and boots it. Returns 0 when the engine ran
 * (see result->status), -1 with the reason in err when the run could not
 * be set up (missing image, mkrom failure, ...). */
int boot_run(const struct layout *l, const struct boot_request *req, const char *work_dir,
	     struct boot_result *result, struct strbuf *err);
/* Stores the result beside the run's files, and reads it back; load
 * returns -1 when there is no complete stored result. */
int boot_result_save(const struct boot_result *r, const char *work_dir);
int boot_result_load(const struct engine *engine, const char *work_dir,
		     struct boot_result *r);
void boot_result_free(struct boot_result *r);
/* "emulator exited after 0.21 s (exit status 1)", "timeout after 30 s", ...;
 * malloc'd. */
char *boot_describe(const struct boot_result *r);
/* The same without the wall time, for verdicts that must read the same on
 * every run: "emulator exited (exit status 1)". */
char *boot_describe_timeless(const struct boot_result *r);

#endif
