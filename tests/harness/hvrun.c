/* build/bin/hvrun: boots one spec case (or one probe, raw) by hand and
 * shows what happened; the harness's rerun hints point here. */
#include "boot.h"
#include "case_run.h"
#include "engine.h"
#include "fileutil.h"
#include "layout.h"
#include "spec.h"
#include "strbuf.h"
#include "transcript.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_CANNOT_RUN = 2 };

/* Same bounds as spec/loader.lua puts on case fields. */
#define MACHINE_MIB_MIN 16
#define MACHINE_MIB_MAX 3072
#define TIMEOUT_MAX_S 600
#define DEFAULT_MACHINE_MIB 160
#define DEFAULT_TIMEOUT_S 30

static const char usage_text[] =
	"usage: hvrun [--engine E] [--kernel FILE] [--keep DIR] CASE_ID\n"
	"       hvrun --probe NAME [--cmdline S] [--hv-cmdline S] [--cpu P] [--machine-mib N]\n"
	"             [--timeout N] [--engine E] [--kernel FILE] [--keep DIR]\n"
	"       hvrun --list\n"
	"\n"
	"CASE_ID  boots that spec case once, prints the transcript, then the judgement.\n"
	"--probe  boots build/guest-probes/NAME.elf (or NAME itself when it contains '/',\n"
	"         no module at all for 'none') with no judgement; prints the transcript.\n"
	"--list   prints every case id with its spec file and line.\n"
	"--engine bochs (default) or qemu-kvm; --cpu vmx-ept (default), no-ept, no-vmx.\n"
	"--kernel the hypervisor under test (default build/reference/hvspec.elf).\n"
	"--keep   keeps the run's files (ROM, engine config and logs) in DIR.\n"
	"Exit status: 0 pass (raw: the run ended with an '[hv] end:' line),\n"
	"             1 fail or broken run, 2 could not run (bad usage, error, skip).\n";

struct options {
	const char *case_id;
	const char *probe;
	const char *cmdline;
	const char *hv_cmdline;
	const char *cpu;
	const char *engine;
	const char *kernel;
	const char *keep;
	int machine_mib;
	int timeout;
	int list;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("hvrun: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n\n", stderr);
	fputs(usage_text, stderr);
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
	       O_TIMEOUT, O_PROBE, O_LIST, O_HELP };
	static const struct option longopts[] = {
		{ "probe", required_argument, NULL, O_PROBE },
		{ "cmdline", required_argument, NULL, O_CMDLINE },
		{ "hv-cmdline", required_argument, NULL, O_HV_CMDLINE },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "engine", required_argument, NULL, O_ENGINE },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "keep", required_argument, NULL, O_KEEP },
		{ "machine-mib", required_argument, NULL, O_MIB },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "list", no_argument, NULL, O_LIST },
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
		case O_MIB:
			raw_only = 1;
			if (parse_int(optarg, MACHINE_MIB_MIN, MACHINE_MIB_MAX, &o->machine_mib))
				return usage_error("--machine-mib wants an integer from 16 to 3072, "
						   "got '%s'", optarg);
			break;
		case O_TIMEOUT:
			raw_only = 1;
			if (parse_int(optarg, 1, TIMEOUT_MAX_S, &o->timeout))
				return usage_error("--timeout wants seconds from 1 to 600, got '%s'",
						   optarg);
			break;
		case O_LIST: o->list = 1; break;
		case 'h':
		case O_HELP:
			fputs(usage_text, stdout);
			exit(EXIT_PASS);
		default:
			return usage_error("%s", "bad option");
		}
	}
	if (optind < argc)
		o->case_id = argv[optind++];
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (o->list + !!o->probe + !!o->case_id != 1)
		return usage_error("%s", "give exactly one of CASE_ID, --probe NAME, --list");
	if (raw_only && !o->probe)
		return usage_error("%s", "--cmdline, --hv-cmdline, --cpu, --machine-mib and "
					 "--timeout go with --probe (a case has its own)");
	if (o->cpu && !engine_profile_known(o->cpu))
		return usage_error("unknown cpu profile '%s' (known: vmx-ept, no-ept, no-vmx)",
				   o->cpu);
	if (o->engine && !engine_find(o->engine))
		return usage_error("unknown engine '%s' (known: bochs, qemu-kvm)", o->engine);
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
	return dir;
}

static void drop_folder(const struct options *o, char *dir)
{
	if (!o->keep)
		remove_flat_dir(dir);
	free(dir);
}

static void print_files_note(const struct options *o, const char *dir)
{
	if (o->keep)
		printf("---- hvrun: the run's files are in %s\n", dir);
	else
		printf("---- hvrun: the run's files were removed (--keep DIR keeps them)\n");
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

static int list_cases(const struct layout *l)
{
	struct spec_set set;
	if (load_spec(l, &set) != 0)
		return EXIT_CANNOT_RUN;
	for (size_t i = 0; i < set.count; i++)
		printf("%s\t%s:%d\n", set.cases[i].id, set.cases[i].file, set.cases[i].line);
	spec_free(&set);
	return EXIT_PASS;
}

static int run_case(const struct layout *l, const struct options *o)
{
	struct spec_set set;
	if (load_spec(l, &set) != 0)
		return EXIT_CANNOT_RUN;
	const struct spec_case *c = spec_find(&set, o->case_id);
	if (!c) {
		fprintf(stderr, "hvrun: no spec case '%s' (hvrun --list shows them)\n", o->case_id);
		spec_free(&set);
		return EXIT_CANNOT_RUN;
	}
	char *dir = work_folder(o);
	if (!dir) {
		spec_free(&set);
		return EXIT_CANNOT_RUN;
	}
	struct case_options opts = { .engine = o->engine, .work_dir = dir };
	struct case_report r;
	case_run(l, c, &opts, &r);
	if (r.transcript)
		fwrite(r.transcript, 1, r.transcript_len, stdout);
	if (r.transcript_len && r.transcript[r.transcript_len - 1] != '\n')
		putchar('\n');
	static const char *const names[] = { "PASS", "FAIL", "SKIP", "ERROR" };
	printf("---- hvrun: %s %s\n%s", c->id, names[r.outcome], r.details);
	if (r.outcome != CASE_PASS)
		printf("summary: %s\n", r.reason);
	print_files_note(o, dir);
	int status = r.outcome == CASE_PASS ? EXIT_PASS
		   : r.outcome == CASE_FAIL ? EXIT_FAILED : EXIT_CANNOT_RUN;
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
	char *dir = work_folder(o);
	if (!dir) {
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
		.machine_mib = o->machine_mib ? o->machine_mib : DEFAULT_MACHINE_MIB,
		.timeout_s = o->timeout ? o->timeout : DEFAULT_TIMEOUT_S,
	};
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
		if (*b.diagnostics)
			printf("engine diagnostics:\n%s", b.diagnostics);
		print_files_note(o, dir);
		free(how);
		status = reported && b.status == BOOT_EXITED ? EXIT_PASS : EXIT_FAILED;
		boot_result_free(&b);
	}
	strbuf_release(&err);
	drop_folder(o, dir);
	free(module);
	return status;
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
	if (o.list)
		rc = list_cases(&l);
	else if (o.probe)
		rc = run_raw(&l, &o);
	else
		rc = run_case(&l, &o);
	layout_free(&l);
	return rc;
}
