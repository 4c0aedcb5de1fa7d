/* build/bin/hvrun: boots one spec case (or one probe, raw) by hand and
 * shows what happened; the harness's rerun hints point here. */
#include "report/batch_json.h"
#include "run/boot.h"
#include "run/case_batch.h"
#include "run/case_run.h"
#include "spec/case_select.h"
#include "run/debug_session.h"
#include "engine/engine.h"
#include "util/fileutil.h"
#include "engine/image_check.h"
#include "judge/message.h"
#include "util/layout.h"
#include "engine/process.h"
#include "util/sha256.h"
#include "spec/spec.h"
#include "util/strbuf.h"
#include "judge/transcript.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_CANNOT_RUN = 2, EXIT_ALL_SKIPPED = 77 };

/* --machine-mib, --timeout and --run-timeout are checked against the
 * bounds spec/loader.lua puts on case fields (struct spec_limits), once the
 * loader is read. */
#define DEFAULT_JOBS 2
/* A day: a budget beyond it is a typo. */
#define BUDGET_MAX_S 86400

/* A printf format: DEFAULT_JOBS, BATCH_JOBS_MAX, BUDGET_MAX_S. */
#define USAGE_TEXT \
	"usage: hvrun [--engine E] [--kernel FILE] [--keep DIR] CASE_ID\n" \
	"       hvrun [--results FILE] [--jobs N] [--run-dir DIR] [--run-timeout S] [--budget S]\n" \
	"             [--engine E] [--kernel FILE] CASE_OR_PATTERN...\n" \
	"       hvrun --probe NAME [--cmdline S] [--hv-cmdline S] [--cpu P] [--machine-mib N]\n" \
	"             [--timeout N] [--disk FILE] [--initrd FILE] [--interactive] [--engine E]\n" \
	"             [--kernel FILE] [--keep DIR]\n" \
	"       hvrun [--engine E] --list [CASE_OR_PATTERN...]\n" \
	"       hvrun [--kernel FILE] --check-image\n" \
	"       hvrun --debug [--engine E] [--kernel FILE] [--keep DIR] CASE_ID | --probe NAME ...\n" \
	"\n" \
	"CASE_ID  boots that spec case once, prints the transcript, then the judgement.\n" \
	"--probe  boots build/guest-probes/NAME.elf (or NAME itself when it contains '/',\n" \
	"         no module at all for 'none') with no judgement; prints the transcript.\n" \
	"--list   prints every case id (or those selected) with its spec file and line.\n" \
	"--check-image  checks that the hypervisor image is something the firmware boots\n" \
	"         (x86 ELF, Multiboot2 header, segments at or above 1 MiB); exit 0 or 2.\n" \
	"CASE_OR_PATTERN...  (several, a Lua pattern over whole ids such as 'hypercall%%..*',\n" \
	"         or any of the options below) runs the cases N at a time and prints one\n" \
	"         line each and a closing line; no transcripts.\n" \
	"--results   writes every case's verdict, reason, details, rerun command and the\n" \
	"            image's SHA-256 to FILE (JSON, schema " BATCH_JSON_SCHEMA ").\n" \
	"--jobs      parallel boots (default %d, at most %d).\n" \
	"--run-dir   keeps the shared runs in DIR (default: a temporary folder, removed).\n" \
	"--run-timeout  caps every boot's time limit (default: each case's own; at most\n" \
	"            spec/loader.lua's TIMEOUT_MAX, as --timeout).\n" \
	"--budget    no case starts after S seconds (at most %d); the rest are 'not run'\n" \
	"            (default: none).\n" \
	"--engine bochs (default; Intel models, VMX), bochs-amd (AMD models, SVM), qemu\n" \
	"         (QEMU TCG: AMD, SVM) or qemu-kvm (the host's processor, VMX or SVM).\n" \
	"--cpu    virt (default: all contract 4 requires, of the engine's vendor), another\n" \
	"         cpu profile of spec/loader.lua (CPU_PROFILE_MEANING), or bochs:MODEL (one\n" \
	"         Bochs processor model; hvrun --list-models).\n" \
	"--bochs-model MODEL  that Bochs model plays the virt profile of every case\n" \
	"         (cases that require a feature the model lacks are skipped).\n" \
	"--kernel the hypervisor under test (default build/reference/hvspec.elf).\n" \
	"--keep   keeps the run's files (ROM, engine config and logs) in DIR.\n" \
	"--machine-mib, --timeout  default and bounds as for a spec case (spec/loader.lua).\n" \
	"--disk   attaches FILE (a multiple of 512 bytes) as the guest's disk, the boot\n" \
	"         module 'disk' (contract 14); the run's folder is kept and holds\n" \
	"         disk.out.img, FILE with the run's write-back applied (path printed).\n" \
	"--initrd attaches FILE as a second boot module after the guest's: a Linux\n" \
	"         bzImage guest's initrd (contract 1); a --disk then comes third.\n" \
	"--interactive  (qemu) COM1 on this terminal instead of a transcript: type at\n" \
	"         the guest; no time limit, no judgement (make linux). Ctrl-A X quits.\n" \
	"--debug  boots with the engine's debugger attached (Bochs' prompt, QEMU's gdb\n" \
	"         stub) instead of judging; files stay in DIR or <build>/debug/<name>.\n" \
	"Verdicts: pass; fail (the hypervisor reported and broke the spec); crash (no\n" \
	"          '[hv] end:' line: reset, triple fault, power-off); timeout (the time\n" \
	"          limit was hit); error (the suite or its set-up is broken); skip; not_run\n" \
	"          (the budget was spent).\n" \
	"Exit status: 0 pass (raw: the run ended with an '[hv] end:' line; several cases:\n" \
	"             every case passed or was skipped), 1 fail, crash or timeout (several\n" \
	"             cases: any other verdict), 2 could not run (bad usage, error, skip),\n" \
	"             77 several cases and every one of them skipped (nothing was judged).\n"

struct options {
	const char *case_id;   /* the first of the positional arguments */
	char **selectors;      /* every positional argument */
	size_t selector_count;
	const char *results;
	const char *run_dir;
	int jobs;
	int run_timeout;
	int budget;
	int batch;             /* several cases: one line each, no transcripts */
	int check_image;
	int debug;
	int list_models;
	const char *vmx_ept_cpu; /* --bochs-model: "bochs:<model>" plays virt */
	const char *probe;
	const char *cmdline;
	const char *hv_cmdline;
	const char *cpu;
	const char *engine;
	const char *kernel;
	const char *keep;
	const char *disk;
	const char *initrd;
	int interactive;
	const char *machine_mib; /* checked against the loader's bounds in main */
	const char *timeout;
	const char *run_timeout_arg;
	int machine_mib_value;
	int timeout_value;
	int list;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("hvrun: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(hvrun --help shows the usage)\n", stderr);
	return EXIT_CANNOT_RUN;
}

/* A bound in the message: "--jobs wants an integer from 1 to %d, got '%s'". */
static int usage_error_bound(const char *fmt, int bound, const char *arg)
{
	fputs("hvrun: ", stderr);
	fprintf(stderr, fmt, bound, arg);
	fputs("\n(hvrun --help shows the usage)\n", stderr);
	return EXIT_CANNOT_RUN;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { O_CMDLINE = 256, O_HV_CMDLINE, O_CPU, O_ENGINE, O_KERNEL, O_KEEP, O_MIB,
	       O_TIMEOUT, O_PROBE, O_LIST, O_HELP, O_RESULTS, O_JOBS, O_RUN_DIR, O_RUN_TIMEOUT,
	       O_BUDGET, O_CHECK_IMAGE, O_DEBUG, O_BOCHS_MODEL, O_LIST_MODELS, O_DISK,
	       O_INITRD, O_INTERACTIVE };
	static const struct option longopts[] = {
		{ "probe", required_argument, NULL, O_PROBE },
		{ "cmdline", required_argument, NULL, O_CMDLINE },
		{ "hv-cmdline", required_argument, NULL, O_HV_CMDLINE },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "engine", required_argument, NULL, O_ENGINE },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "keep", required_argument, NULL, O_KEEP },
		{ "disk", required_argument, NULL, O_DISK },
		{ "initrd", required_argument, NULL, O_INITRD },
		{ "interactive", no_argument, NULL, O_INTERACTIVE },
		{ "machine-mib", required_argument, NULL, O_MIB },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "list", no_argument, NULL, O_LIST },
		{ "results", required_argument, NULL, O_RESULTS },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "run-dir", required_argument, NULL, O_RUN_DIR },
		{ "run-timeout", required_argument, NULL, O_RUN_TIMEOUT },
		{ "budget", required_argument, NULL, O_BUDGET },
		{ "check-image", no_argument, NULL, O_CHECK_IMAGE },
		{ "debug", no_argument, NULL, O_DEBUG },
		{ "bochs-model", required_argument, NULL, O_BOCHS_MODEL },
		{ "list-models", no_argument, NULL, O_LIST_MODELS },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int raw_only = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_PROBE: o->probe = optarg; break;
		case O_CMDLINE: o->cmdline = optarg; raw_only = 1; break;
		case O_HV_CMDLINE: o->hv_cmdline = optarg; raw_only = 1; break;
		case O_CPU: o->cpu = optarg; raw_only = 1; break;
		case O_ENGINE: o->engine = optarg; break;
		case O_KERNEL: o->kernel = optarg; break;
		case O_KEEP: o->keep = optarg; break;
		case O_DISK: o->disk = optarg; raw_only = 1; break;
		case O_INITRD: o->initrd = optarg; raw_only = 1; break;
		case O_INTERACTIVE: o->interactive = 1; raw_only = 1; break;
		case O_MIB: raw_only = 1; o->machine_mib = optarg; break;
		case O_TIMEOUT: raw_only = 1; o->timeout = optarg; break;
		case O_LIST: o->list = 1; break;
		case O_CHECK_IMAGE: o->check_image = 1; break;
		case O_DEBUG: o->debug = 1; break;
		case O_LIST_MODELS: o->list_models = 1; break;
		case O_BOCHS_MODEL:
			if (!engine_bochs_model_known(optarg))
				return usage_error("unknown Bochs model '%s' (hvrun --list-models shows "
						   "them)", optarg);
			o->vmx_ept_cpu = xasprintf(ENGINE_BOCHS_MODEL_PREFIX "%s", optarg);
			break;
		case O_RESULTS: o->results = optarg; o->batch = 1; break;
		case O_RUN_DIR: o->run_dir = optarg; o->batch = 1; break;
		case O_JOBS:
			o->batch = 1;
			if (parse_int(optarg, 1, BATCH_JOBS_MAX, &o->jobs))
				return usage_error_bound("--jobs wants an integer from 1 to %d, "
							 "got '%s'", BATCH_JOBS_MAX, optarg);
			break;
		case O_RUN_TIMEOUT: o->batch = 1; o->run_timeout_arg = optarg; break;
		case O_BUDGET:
			o->batch = 1;
			if (parse_int(optarg, 1, BUDGET_MAX_S, &o->budget))
				return usage_error_bound("--budget wants seconds from 1 to %d, got "
							 "'%s'", BUDGET_MAX_S, optarg);
			break;
		case 'h':
		case O_HELP:
			printf(USAGE_TEXT, DEFAULT_JOBS, BATCH_JOBS_MAX, BUDGET_MAX_S);
			exit(EXIT_PASS);
		default:
			return usage_error("%s", "bad option");
		}
	}
	if (optind < argc) {
		o->case_id = argv[optind];
		o->selectors = argv + optind;
		o->selector_count = (size_t)(argc - optind);
	}
	if (o->list_models) {
		struct strbuf sb = STRBUF_INIT;
		engine_bochs_list_models(&sb);
		fputs(strbuf_str(&sb), stdout);
		strbuf_release(&sb);
		exit(EXIT_PASS);
	}
	if (o->check_image) {
		if (o->case_id || o->probe || o->list || o->batch)
			return usage_error("%s", "--check-image takes only --kernel");
		return -1;
	}
	if (o->debug && (o->list || o->batch))
		return usage_error("%s", "--debug goes with one CASE_ID or --probe NAME");
	if (o->list && o->batch)
		return usage_error("%s", "--list takes only --engine, --kernel and patterns");
	if (o->list)
		o->case_id = NULL; /* --list PATTERN...: the selectors filter the list */
	else if (o->selector_count > 1)
		o->batch = 1;
	if (o->list + !!o->probe + !!o->case_id != 1)
		return usage_error("%s", "give exactly one of CASE_ID..., --probe NAME, --list");
	if (o->batch && !o->case_id)
		return usage_error("%s", "--results, --jobs, --run-dir, --run-timeout and --budget "
					 "go with CASE_OR_PATTERN...");
	if (o->batch && o->keep)
		return usage_error("%s", "--keep goes with one CASE_ID or --probe; several cases "
					 "keep their runs with --run-dir DIR");
	if (raw_only && !o->probe)
		return usage_error("%s", "--cmdline, --hv-cmdline, --cpu, --machine-mib, "
					 "--timeout, --disk, --initrd and --interactive go with --probe "
					 "(a case has its own)");
	if (o->initrd && !is_regular_file(o->initrd))
		return usage_error("--initrd %s: no such file", o->initrd);
	if (o->initrd && o->probe && !strcmp(o->probe, SPEC_PROBE_NONE))
		return usage_error("%s", "--initrd needs a guest: --probe none boots no module");
	if (o->interactive && o->debug)
		return usage_error("%s", "--interactive and --debug cannot be combined");
	if (o->disk && !is_regular_file(o->disk))
		return usage_error("--disk %s: no such file", o->disk);
	if (o->disk && o->probe && !strcmp(o->probe, SPEC_PROBE_NONE))
		return usage_error("%s", "--disk needs a guest: --probe none boots no module");
	if (o->cpu && !engine_profile_known(o->cpu)) {
		char *known = xasprintf("unknown cpu profile '%s' (known: %s)", o->cpu,
					engine_known_profiles());
		int status = usage_error("%s", known);
		free(known);
		return status;
	}
	if (o->engine && !engine_find(o->engine)) {
		char *known = xasprintf("unknown engine '%s' (known: %s)", o->engine,
					engine_known_names());
		int status = usage_error("%s", known);
		free(known);
		return status;
	}
	return -1;
}

/* The run's folder: --keep DIR, or a temporary one removed afterwards. */
static char *work_folder(const struct options *o)
{
	if (o->keep) {
		if (make_dirs(o->keep) != 0) {
			fprintf(stderr, "hvrun: cannot create %s: %s\n", o->keep, strerror(errno));
			return NULL;
		}
		return xstrdup(o->keep);
	}
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/hvrun.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "hvrun: cannot create %s: %s\n", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	process_remove_on_signal(dir); /* Ctrl-C leaves nothing behind */
	return dir;
}

static void drop_folder(const struct options *o, char *dir)
{
	if (!o->keep) {
		process_remove_on_signal(NULL);
		remove_tree(dir); /* a two-boot case keeps its first boot below */
	}
	free(dir);
}

static void print_files_note(const struct options *o, const char *dir)
{
	if (o->keep)
		printf("---- hvrun: the run's files are in %s\n", dir);
}

/* Hands the terminal to the engine's debugger; returns only on failure. */
static int debug_run(const struct layout *l, const struct options *o,
		     const struct boot_request *req, const char *name)
{
	char *dir;
	if (o->keep) {
		dir = xstrdup(o->keep);
	} else {
		char *flat = xstrdup(name);
		for (char *p = flat; *p; p++)
			if (*p == '/')
				*p = '_'; /* a probe given as a path */
		dir = xasprintf("%s/debug/%s", l->build, flat);
		free(flat);
	}
	struct strbuf err = STRBUF_INIT;
	debug_session_exec(l, req, name, dir, &err);
	fprintf(stderr, "hvrun: %s\n", strbuf_str(&err));
	strbuf_release(&err);
	free(dir);
	return EXIT_CANNOT_RUN;
}

static int load_spec(const struct layout *l, struct spec_set *set)
{
	char *error = NULL;
	if (spec_load(l->spec_loader, l->spec_dir, set, &error) == 0)
		return 0;
	fprintf(stderr, "hvrun: %s\n", error);
	free(error);
	return -1;
}

/* Every case, or those the selectors name (the same rule as running). */
static int list_cases(const struct layout *l, const struct options *o)
{
	struct spec_set set;
	if (load_spec(l, &set) != 0)
		return EXIT_CANNOT_RUN;
	const struct spec_case **cases = NULL;
	size_t count = 0;
	struct strbuf err = STRBUF_INIT;
	int status = EXIT_PASS;
	if (!o->selector_count) {
		for (size_t i = 0; i < set.count; i++)
			printf("%s\t%s:%d\n", set.cases[i].id, set.cases[i].file, set.cases[i].line);
	} else if (case_select(&set, o->selectors, o->selector_count, &cases, &count, &err) != 0) {
		fprintf(stderr, "hvrun: %s\n", strbuf_str(&err));
		status = EXIT_CANNOT_RUN;
	} else {
		for (size_t i = 0; i < count; i++)
			printf("%s\t%s:%d\n", cases[i]->id, cases[i]->file, cases[i]->line);
	}
	free(cases);
	strbuf_release(&err);
	spec_free(&set);
	return status;
}

/* The image is something the firmware boots, and its hash; on failure the
 * reason is on stderr. */
static int bootable_image(const struct layout *l, char sha[SHA256_HEX_LEN + 1])
{
	struct strbuf err = STRBUF_INIT;
	int rc = 0;
	if (image_check(l->kernel, &err) != 0 || sha256_file(l->kernel, sha) != 0) {
		fprintf(stderr, "hvrun: %s\n", err.len ? strbuf_str(&err) : strerror(errno));
		rc = -1;
	}
	strbuf_release(&err);
	return rc;
}

static int check_image(const struct layout *l)
{
	char sha[SHA256_HEX_LEN + 1];
	if (bootable_image(l, sha) != 0)
		return EXIT_CANNOT_RUN;
	printf("image: %s (sha256 %s): a bootable hypervisor image\n", l->kernel, sha);
	return EXIT_PASS;
}

/* The hvrun binary that is running, for the rerun commands. */
static char *self_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return xstrdup("hvrun");
	self[n] = '\0';
	return xstrdup(self);
}

struct batch_tally {
	int counts[VERDICT_COUNT];
	int points, max_points;
};

static void print_case_line(const struct spec_case *c, const struct case_report *r,
			    enum verdict verdict, void *arg)
{
	struct batch_tally *t = arg;
	int earned = verdict == VERDICT_PASS ? c->points : 0;
	t->counts[(unsigned)verdict < VERDICT_COUNT ? verdict : VERDICT_ERROR]++;
	t->points += earned;
	t->max_points += c->points;
	struct strbuf line = STRBUF_INIT;
	message_case_line(&line, c->id, verdict, earned, c->points);
	printf("%s\n", strbuf_str(&line));
	strbuf_release(&line);
	if (verdict != VERDICT_PASS && r->reason)
		printf("    %s\n", r->reason);
	fflush(stdout);
}

static int run_batch(const struct layout *l, const struct options *o)
{
	struct spec_set set;
	if (load_spec(l, &set) != 0)
		return EXIT_CANNOT_RUN;
	const struct spec_case **cases = NULL;
	size_t count = 0;
	struct strbuf err = STRBUF_INIT;
	char image_sha[SHA256_HEX_LEN + 1];
	int status = EXIT_CANNOT_RUN;
	char *tmp = NULL, *run_dir = NULL, *self = NULL;
	struct batch_entry *entries = NULL;
	if (case_select(&set, o->selectors, o->selector_count, &cases, &count, &err) != 0) {
		fprintf(stderr, "hvrun: %s\n", strbuf_str(&err));
		goto out;
	}
	if (bootable_image(l, image_sha) != 0)
		goto out;
	const char *tmp_root = getenv("TMPDIR");
	tmp = xasprintf("%s/hvrun.XXXXXX", tmp_root && *tmp_root ? tmp_root : "/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "hvrun: cannot create %s: %s\n", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	run_dir = o->run_dir ? xstrdup(o->run_dir) : path_join(tmp, "runs");
	if (make_dirs(run_dir) != 0) {
		fprintf(stderr, "hvrun: cannot create the run folder %s: %s\n", run_dir,
			strerror(errno));
		goto out;
	}
	self = self_path();
	struct batch_tally tally;
	memset(&tally, 0, sizeof(tally));
	struct batch_options bo = {
		.engine = o->engine,
		.run_dir = run_dir,
		.records_dir = tmp,
		.hvrun = self,
		.jobs = o->jobs ? o->jobs : DEFAULT_JOBS,
		.run_timeout = o->run_timeout,
		.budget_s = o->budget,
		.files_not_kept = o->run_dir ? NULL : "--run-dir DIR keeps them",
		.vmx_ept_cpu = o->vmx_ept_cpu,
		.on_done = print_case_line,
		.arg = &tally,
	};
	entries = xcalloc(count, sizeof(*entries));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int sig = case_batch_run(l, cases, count, &bo, entries);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (sig) {
		fprintf(stderr, "hvrun: stopped by signal %d (%s); no results written\n", sig,
			strsignal(sig));
		remove_tree(tmp);
		signal(sig, SIG_DFL);
		raise(sig);
		goto out;
	}
	/* Every verdict must have judged the image named in the results. */
	size_t changed = 0;
	for (size_t i = 0; i < count; i++)
		if (*entries[i].r.image_sha256 && strcmp(entries[i].r.image_sha256, image_sha))
			changed++;
	struct batch_summary sum = {
		.image_path = l->kernel,
		.image_sha256 = image_sha,
		.engine = o->engine ? o->engine : ENGINE_DEFAULT,
		.budget_s = o->budget,
		.run_timeout = o->run_timeout,
		.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	};
	if (o->results) {
		char *json = batch_results_json(&sum, entries, count);
		int rc = write_file_atomic(o->results, json, strlen(json));
		free(json);
		if (rc != 0) {
			fprintf(stderr, "hvrun: cannot write %s: %s\n", o->results, strerror(errno));
			goto out;
		}
	}
	printf("image: %s (sha256 %s)\n", l->kernel, image_sha);
	struct strbuf summary = STRBUF_INIT;
	message_summary(&summary, tally.counts, tally.points, tally.max_points);
	printf("%s\n", strbuf_str(&summary));
	strbuf_release(&summary);
	if (changed) {
		fprintf(stderr, "hvrun: the image %s changed while the cases ran (%zu verdicts "
				"judged other bytes); judge it again\n", l->kernel, changed);
		status = EXIT_CANNOT_RUN;
	} else if (count > 0 && tally.counts[VERDICT_SKIP] == (int)count) {
		/* Nothing was judged: not a success (kvm-unit-tests' 77). */
		printf("%s\n", MESSAGE_ALL_SKIPPED);
		status = EXIT_ALL_SKIPPED;
	} else {
		status = tally.counts[VERDICT_PASS] + tally.counts[VERDICT_SKIP] == (int)count
				 ? EXIT_PASS : EXIT_FAILED;
	}
out:
	if (entries)
		for (size_t i = 0; i < count; i++)
			batch_entry_free(&entries[i]);
	free(entries);
	if (tmp)
		remove_tree(tmp);
	free(tmp);
	free(run_dir);
	free(self);
	free(cases);
	strbuf_release(&err);
	spec_free(&set);
	return status;
}

static int run_case(const struct layout *l, const struct options *o)
{
	struct spec_set set;
	if (load_spec(l, &set) != 0)
		return EXIT_CANNOT_RUN;
	const struct spec_case *c = spec_find(&set, o->case_id);
	if (!c) {
		/* Not an id: a pattern, run like several cases. */
		spec_free(&set);
		return run_batch(l, o);
	}
	if (o->debug) {
		const struct engine *engine = engine_find(o->engine ? o->engine : ENGINE_DEFAULT);
		struct boot_request req;
		struct case_options debug_opts = { .vmx_ept_cpu = o->vmx_ept_cpu };
		char *module = case_boot_request(l, c, &debug_opts, engine, &req);
		int status = debug_run(l, o, &req, c->id);
		free(module);
		spec_free(&set);
		return status;
	}
	char *dir = work_folder(o);
	if (!dir) {
		spec_free(&set);
		return EXIT_CANNOT_RUN;
	}
	struct case_options opts = {
		.engine = o->engine,
		.vmx_ept_cpu = o->vmx_ept_cpu,
		.work_dir = dir,
		.files_not_kept = o->keep ? NULL : "--keep DIR keeps them",
	};
	struct case_report r;
	case_run(l, c, &opts, &r);
	if (r.transcript)
		fwrite(r.transcript, 1, r.transcript_len, stdout);
	if (r.transcript_len && r.transcript[r.transcript_len - 1] != '\n')
		putchar('\n');
	printf("---- hvrun: %s %s\n%s", c->id, message_label(r.verdict), r.details);
	if (r.verdict != VERDICT_PASS)
		printf("summary: %s\n", r.reason);
	print_files_note(o, dir);
	int status = r.verdict == VERDICT_PASS	      ? EXIT_PASS
		     : verdict_is_failure(r.verdict) ? EXIT_FAILED
						     : EXIT_CANNOT_RUN;
	case_report_free(&r);
	drop_folder(o, dir);
	spec_free(&set);
	return status;
}

static int run_raw(const struct layout *l, const struct options *o)
{
	const struct engine *engine = engine_find(o->engine ? o->engine : ENGINE_DEFAULT);
	const char *cpu = o->cpu ? o->cpu : ENGINE_DEFAULT_CPU;
	char *skip = engine_skip_reason(engine, cpu);
	if (skip) {
		fprintf(stderr, "hvrun: cannot run here: %s\n", skip);
		free(skip);
		return EXIT_CANNOT_RUN;
	}
	char *module = !strcmp(o->probe, SPEC_PROBE_NONE) ? NULL
		       : strchr(o->probe, '/') ? xstrdup(o->probe)
		       : layout_probe_path(l, o->probe);
	/* mkrom runs in the run's folder: a relative path would miss. */
	char *initrd = o->initrd ? realpath(o->initrd, NULL) : NULL;
	char *dir = o->debug || o->interactive ? NULL : work_folder(o);
	if (!dir && !o->debug && !o->interactive) {
		free(initrd);
		free(module);
		return EXIT_CANNOT_RUN;
	}
	struct boot_request req = {
		.engine = engine,
		.cpu = cpu,
		.kernel = l->kernel,
		.hv_cmdline = o->hv_cmdline ? o->hv_cmdline : "",
		.module = module,
		.module_cmdline = o->cmdline ? o->cmdline : "",
		.machine_mib = o->machine_mib_value,
		.timeout_s = o->timeout_value,
		.disk = { .present = o->disk != NULL, .image = o->disk, .string = "disk" },
		.extra_module = initrd,
		.interactive = o->interactive,
	};
	if (o->debug || o->interactive) {
		int status = debug_run(l, o, &req, o->probe);
		free(initrd);
		free(module);
		return status;
	}
	struct boot_result b;
	struct strbuf err = STRBUF_INIT;
	int status = EXIT_CANNOT_RUN;
	if (boot_run(l, &req, dir, &b, &err) != 0) {
		fprintf(stderr, "hvrun: %s\n", strbuf_str(&err));
	} else {
		fwrite(b.transcript, 1, b.transcript_len, stdout);
		if (b.transcript_len && b.transcript[b.transcript_len - 1] != '\n')
			putchar('\n');
		struct transcript t;
		transcript_split(b.transcript, b.transcript_len, &t);
		int reported = 0;
		for (size_t i = 0; i < t.count; i++)
			reported |= transcript_line_starts(&t.lines[i], TRANSCRIPT_END_PREFIX);
		transcript_free(&t);
		char *how = boot_describe(&b);
		printf("---- hvrun: %s; %s\n", how,
		       reported ? "the run reported" : "no '[hv] end:' line");
		printf("image: %s (sha256 %s)\n", l->kernel, b.kernel_sha256);
		if (*b.diagnostics)
			printf("engine diagnostics:\n%s", b.diagnostics);
		print_files_note(o, dir);
		free(how);
		status = reported && b.status == BOOT_EXITED ? EXIT_PASS : EXIT_FAILED;
		if (b.disk_error) {
			printf("hvrun: the disk write-back is refused: %s\n", b.disk_error);
			status = EXIT_FAILED;
		} else if (b.disk) {
			printf("disk: %ld sector%s written back; the image after the run: %s/%s\n",
			       b.disk_written, b.disk_written == 1 ? "" : "s", dir,
			       DISK_IMAGE_OUT_FILE);
		}
		boot_result_free(&b);
	}
	strbuf_release(&err);
	if (o->disk && !o->keep) {
		/* The updated image is what the user asked for: keep it. */
		process_remove_on_signal(NULL);
		free(dir);
		dir = NULL;
	}
	if (dir)
		drop_folder(o, dir);
	free(initrd);
	free(module);
	return status;
}

/* The numbers whose bounds and defaults spec/loader.lua defines. Returns
 * -1 when they are fine, or the exit status. */
static int check_bounds(const struct layout *l, struct options *o)
{
	struct spec_limits lim;
	char *error = NULL;
	if (spec_limits_load(l->spec_loader, &lim, &error) != 0) {
		fprintf(stderr, "hvrun: %s\n", error);
		free(error);
		return EXIT_CANNOT_RUN;
	}
	o->machine_mib_value = lim.default_machine_mib;
	o->timeout_value = lim.default_timeout;
	if (o->machine_mib &&
	    parse_int(o->machine_mib, lim.machine_mib_min, lim.machine_mib_max, &o->machine_mib_value)) {
		fprintf(stderr, "hvrun: --machine-mib wants an integer from %d to %d "
				"(spec/loader.lua), got '%s'\n(hvrun --help shows the usage)\n",
			lim.machine_mib_min, lim.machine_mib_max, o->machine_mib);
		return EXIT_CANNOT_RUN;
	}
	const char *const names[] = { "--timeout", "--run-timeout" };
	const char *const args[] = { o->timeout, o->run_timeout_arg };
	int *const values[] = { &o->timeout_value, &o->run_timeout };
	for (size_t i = 0; i < 2; i++) {
		if (args[i] && parse_int(args[i], 1, lim.timeout_max, values[i])) {
			fprintf(stderr, "hvrun: %s wants seconds from 1 to %d (spec/loader.lua "
					"TIMEOUT_MAX), got '%s'\n(hvrun --help shows the usage)\n",
				names[i], lim.timeout_max, args[i]);
			return EXIT_CANNOT_RUN;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof(o));
	int rc = parse_options(argc, argv, &o);
	if (rc >= 0)
		return rc;
	struct layout l;
	layout_init(&l, o.kernel);
	if (o.probe || o.batch || o.run_timeout_arg) {
		rc = check_bounds(&l, &o);
		if (rc >= 0) {
			layout_free(&l);
			return rc;
		}
	}
	if (o.check_image)
		rc = check_image(&l);
	else if (o.list)
		rc = list_cases(&l, &o);
	else if (o.probe)
		rc = run_raw(&l, &o);
	else if (o.batch)
		rc = run_batch(&l, &o);
	else
		rc = run_case(&l, &o);
	layout_free(&l);
	return rc;
}
