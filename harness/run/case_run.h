/* Runs one spec case: boot (or reuse a shared run), judge, explain. */
#ifndef HVSPEC_HARNESS_CASE_RUN_H
#define HVSPEC_HARNESS_CASE_RUN_H

#include "judge/verdict.h"
#include "run/boot.h"
#include "util/layout.h"
#include "util/sha256.h"
#include "spec/spec.h"

#include <stddef.h>

/* How many transcript lines a failure message repeats. */
#define CASE_TAIL_LINES 10

struct case_options {
	const char *engine;   /* NULL: ENGINE_DEFAULT */
	const char *run_dir;  /* NULL: boot in work_dir, sharing nothing */
	const char *work_dir; /* the run's files when there is no run_dir */
	const char *rerun;    /* shell command that reruns the case by hand */
	int run_timeout;      /* > 0: caps the case's own time limit (seconds) */
	/* Non-NULL: the cpu profile that plays "virt" (e.g. "bochs:tigerlake"
	 * for a sweep over processor models). */
	const char *vmx_ept_cpu;
	/* Set when the run's files are removed afterwards: the report says
	 * this instead of naming a folder that will not exist. */
	const char *files_not_kept;
};

struct case_report {
	enum verdict verdict;  /* never VERDICT_NOT_RUN: the case was taken up */
	char *reason;          /* one line: "<LABEL>: what went wrong", for the test result */
	char *details;         /* several lines: expected vs seen, engine
				* diagnostics, the transcript's last lines, rerun */
	char *transcript;      /* NULL when nothing ran */
	size_t transcript_len;
	char *work_dir;        /* the run's files; NULL when nothing ran */
	double seconds;        /* the boot's wall time; 0 when nothing ran */
	/* The hypervisor image judged: its path and SHA-256 ("" when it could
	 * not be read). Every result names them. */
	char *image_path;
	char image_sha256[SHA256_HEX_LEN + 1];
};

/* The boot a case asks for (its probe, command lines, cpu, memory, time
 * limit), with the options' run_timeout cap and vmx_ept_cpu. Returns one
 * malloc'd block holding the probe paths req->module and req->extra_module
 * point into (NULL for no module); the caller frees it. */
char *case_boot_request(const struct layout *l, const struct spec_case *c,
			const struct case_options *o, const struct engine *engine,
			struct boot_request *req);
void case_run(const struct layout *l, const struct spec_case *c, const struct case_options *o,
	      struct case_report *r);
void case_report_free(struct case_report *r);
/* The shell command that reruns one case by hand with these settings:
 * [HVSPEC_ROOT=...] HVRUN [--engine E] [--kernel K] [--bochs-model M] ID;
 * engine NULL or the default, kernel NULL and vmx_ept_cpu NULL are left
 * out. malloc'd. */
char *case_rerun_command(const struct layout *l, const char *hvrun, const char *engine,
			 const char *kernel, const char *vmx_ept_cpu, const char *id);

#endif
