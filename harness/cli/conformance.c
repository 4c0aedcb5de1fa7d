/* build/tests/conformance: the atf-c test program with one test case per
 * spec case, made at run time from the spec tables.
 *
 * Config variables (kyua -v test_suites.hvspec.NAME=VALUE):
 *   engine       engine to boot with (default bochs; engine_known_names())
 *   run_dir      absolute folder where runs are shared between cases
 *   kernel       absolute path of the hypervisor under test
 *                (default build/reference/hvspec.elf)
 *   run_timeout  seconds: caps every boot's time limit (default: the case's)
 *   bochs_model  a Bochs processor model that plays the default (virt) profile
 * Any other variable is refused: every case fails naming it, so a typo can
 * never fall back to judging the reference.
 * Test case idents are the spec ids unchanged: atf-c and kyua accept '.'. */
#include "engine/engine.h"
#include "engine/rom.h"
#include "judge/message.h"
#include "run/case_run.h"
#include "run/run_cache.h"
#include "spec/spec.h"
#include "util/fileutil.h"
#include "util/layout.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The one test case listed when there are no spec cases to list: it fails
 * with the loader's message when the tables are broken or missing, and
 * skips when the spec folder simply holds no area tables yet (kyua counts
 * a test program without test cases as broken). Spec ids always contain a
 * '.', so this name cannot clash with one. */
#define SPEC_TABLES_CASE "spec_tables"

/* Time on top of the boot itself: building the ROM and starting up. */
#define CASE_TIMEOUT_SLACK_S (ROM_BUILD_TIMEOUT_S + 30)

/* Where a case keeps its run when runs are not shared: kyua gives every
 * test case a fresh work folder and removes it afterwards. */
#define PRIVATE_RUN_DIR "run"

/* The suite's own variables, and those kyua and atf hand every test
 * program. */
static const char *const known_config_vars[] = { "engine", "kernel", "run_dir", "run_timeout",
						 "bochs_model" };
static const char *const runner_config_vars[] = { "srcdir", "unprivileged-user" };

static struct layout layout;
static struct spec_set spec;
static char *load_error;
/* Why this run's configuration cannot be used; NULL when it can. */
static char *config_error;

static bool name_in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Names every unknown variable, with the known ones. */
static char *check_config_names(char **config)
{
	struct strbuf unknown = STRBUF_INIT;
	size_t count = 0;
	for (char **p = config; p[0] && p[1]; p += 2) {
		if (name_in(p[0], known_config_vars, COUNT(known_config_vars)) ||
		    name_in(p[0], runner_config_vars, COUNT(runner_config_vars)))
			continue;
		strbuf_addf(&unknown, "%s'%s'", count ? ", " : "", p[0]);
		count++;
	}
	if (!count) {
		strbuf_release(&unknown);
		return NULL;
	}
	struct strbuf known = STRBUF_INIT;
	for (size_t i = 0; i < COUNT(known_config_vars); i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", known_config_vars[i]);
	char *reason = message_refused("unknown configuration variable%s %s of test suite hvspec "
				       "(known: %s)", count > 1 ? "s" : "", strbuf_str(&unknown),
				       strbuf_str(&known));
	strbuf_release(&unknown);
	strbuf_release(&known);
	return reason;
}

/* Longest boot among the cases that share this case's run (the run
 * cache's own rule); a case may wait for that boot before its own
 * judgement. */
static int longest_shared_timeout(const atf_tc_t *tc, const struct spec_case *c)
{
	const struct engine *engine =
		engine_find(atf_tc_get_config_var_wd(tc, "engine", ENGINE_DEFAULT));
	if (!engine)
		engine = engine_find(ENGINE_DEFAULT); /* the body refuses the name */
	struct case_options opts = { 0 };
	struct boot_request mine, other;
	char *my_module = case_boot_request(&layout, c, &opts, engine, &mine);
	int longest = 0;
	for (size_t i = 0; i < spec.count; i++) {
		const struct spec_case *o = &spec.cases[i];
		char *module = case_boot_request(&layout, o, &opts, engine, &other);
		if (o->timeout > longest && run_cache_same_run(&layout, &mine, &other))
			longest = o->timeout;
		free(module);
	}
	free(my_module);
	return longest;
}

/* Metadata values are one line each in the list kyua reads; a behavior
 * written as a [[long string]] may hold newlines. */
static char *one_line(const char *s)
{
	char *copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return copy;
}

static void spec_case_head(atf_tc_t *tc)
{
	const struct spec_case *c = spec_find(&spec, atf_tc_get_ident(tc));
	if (!c)
		return;
	char *behavior = one_line(c->behavior), *source = one_line(c->source);
	atf_tc_set_md_var(tc, "descr", "%s", behavior);
	int timeout = c->timeout + longest_shared_timeout(tc, c) + CASE_TIMEOUT_SLACK_S;
	if (c->disk && c->disk->from_case) /* its first boot runs before it */
		timeout += c->disk->from_case->timeout +
			   longest_shared_timeout(tc, c->disk->from_case);
	atf_tc_set_md_var(tc, "timeout", "%d", timeout);
	atf_tc_set_md_var(tc, "X-points", "%d", c->points);
	atf_tc_set_md_var(tc, "X-source", "%s", source);
	atf_tc_set_md_var(tc, "X-spec", "%s:%d", c->file, c->line);
	free(behavior);
	free(source);
}

/* hvrun is built beside us: <build>/tests/conformance, <build>/bin/hvrun. */
static char *hvrun_path(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return xasprintf("%s/bin/hvrun", layout.build);
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	*slash = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	return xasprintf("%s/bin/hvrun", self);
}

/* Ends the test case with a refused setting's reason. */
static void fail_refused(char *reason) __attribute__((noreturn));
static void fail_refused(char *reason)
{
	atf_tc_fail("%s", reason);
}

static const char *config_path(const atf_tc_t *tc, const char *name)
{
	if (!atf_tc_has_config_var(tc, name))
		return NULL;
	const char *v = atf_tc_get_config_var(tc, name);
	/* An empty value is a mistake too (a shell variable that was not
	 * set): never fall back to the default. */
	if (!*v)
		fail_refused(message_refused("config variable %s is empty; give an absolute path or "
					     "leave the variable out", name));
	/* Test cases run in a temporary folder: a relative path would point
	 * into it. */
	if (v[0] != '/')
		fail_refused(message_refused("config variable %s must be an absolute path, got "
					     "'%s'", name, v));
	/* A folder the harness would create: its parent must exist, so a
	 * typo in the path is not made into a new tree. */
	if (!strcmp(name, "run_dir") && !is_directory(v)) {
		char *parent = xstrdup(v);
		char *slash = strrchr(parent, '/');
		slash[slash == parent ? 1 : 0] = '\0';
		if (!is_directory(parent))
			fail_refused(message_refused("config variable run_dir=%s: its parent folder "
						     "%s does not exist; create it or fix the path",
						     v, parent));
		free(parent);
	}
	return v;
}

/* run_timeout: whole seconds from 1 to the loader's TIMEOUT_MAX; 0 when
 * unset. */
static int config_run_timeout(const atf_tc_t *tc)
{
	if (!atf_tc_has_config_var(tc, "run_timeout"))
		return 0;
	const char *v = atf_tc_get_config_var(tc, "run_timeout");
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 1 || n > spec.limits.timeout_max)
		fail_refused(message_refused("config variable run_timeout wants whole seconds from "
					     "1 to %d (spec/loader.lua TIMEOUT_MAX), got '%s'",
					     spec.limits.timeout_max, v));
	return (int)n;
}

static void spec_case_body(const atf_tc_t *tc)
{
	const char *id = atf_tc_get_ident(tc);
	if (config_error) {
		fprintf(stderr, "%s\n", config_error);
		atf_tc_fail("%s", config_error);
	}
	const struct spec_case *c = spec_find(&spec, id);
	if (!c)
		atf_tc_fail("no spec case '%s' in %s", id, layout.spec_dir);
	const char *engine = atf_tc_get_config_var_wd(tc, "engine", ENGINE_DEFAULT);
	const char *run_dir = config_path(tc, "run_dir");
	const char *kernel = config_path(tc, "kernel");
	int run_timeout = config_run_timeout(tc);
	if (kernel) {
		layout_free(&layout);
		layout_init(&layout, kernel);
	}

	char *hvrun = hvrun_path();
	char *vmx_ept_cpu = NULL;
	if (atf_tc_has_config_var(tc, "bochs_model")) {
		const char *model = atf_tc_get_config_var(tc, "bochs_model");
		if (!engine_bochs_model_known(model))
			fail_refused(message_refused("config variable bochs_model: unknown Bochs "
						     "model '%s' (build/bin/hvrun --list-models "
						     "shows them)", model));
		vmx_ept_cpu = xasprintf(ENGINE_BOCHS_MODEL_PREFIX "%s", model);
	}
	char *rerun = case_rerun_command(&layout, hvrun, engine, kernel, vmx_ept_cpu, id);
	free(hvrun);
	struct case_options opts = {
		.engine = engine,
		.run_dir = run_dir,
		.work_dir = PRIVATE_RUN_DIR,
		.rerun = rerun,
		.run_timeout = run_timeout,
		.vmx_ept_cpu = vmx_ept_cpu,
		.files_not_kept = run_dir ? NULL : "kyua removes each case's work folder; the suite "
						   "variable run_dir keeps runs",
	};
	struct case_report r;
	case_run(&layout, c, &opts, &r);
	free(rerun);

	/* kyua keeps both streams with the result: the whole transcript on
	 * stdout, the full explanation on stderr. */
	if (r.transcript)
		fwrite(r.transcript, 1, r.transcript_len, stdout);
	fflush(stdout);
	fputs(r.details, stderr);
	fflush(stderr);

	/* kyua knows passed, skipped and failed: CRASH, TIMEOUT and ERROR fail
	 * too, and their reason starts with the verdict's label. */
	switch (r.verdict) {
	case VERDICT_PASS:
		case_report_free(&r);
		atf_tc_pass();
	case VERDICT_SKIP:
		atf_tc_skip("%s", r.reason);
	default:
		atf_tc_fail("%s", r.reason);
	}
}

static void spec_tables_head(atf_tc_t *tc)
{
	atf_tc_set_md_var(tc, "descr", "The spec tables in %s load", layout.spec_dir);
}

static void spec_tables_body(const atf_tc_t *tc)
{
	(void)tc;
	if (load_error) {
		fprintf(stderr, "%s\n", load_error);
		atf_tc_fail("%s", one_line(load_error));
	}
	atf_tc_skip("no spec cases: %s holds no area tables yet", layout.spec_dir);
}

static atf_error_t add_case(atf_tp_t *tp, char **config, const char *ident,
			    atf_tc_head_t head, atf_tc_body_t body)
{
	/* Test cases live as long as the program. */
	atf_tc_t *tc = xcalloc(1, sizeof(*tc));
	atf_error_t err = atf_tc_init(tc, ident, head, body, NULL, (const char *const *)config);
	if (atf_is_error(err))
		return err;
	return atf_tp_add_tc(tp, tc);
}

ATF_TP_ADD_TCS(tp)
{
	char **config = atf_tp_get_config(tp);
	if (!config)
		return atf_no_memory_error();
	layout_init(&layout, NULL);
	config_error = check_config_names(config);
	atf_error_t err = atf_no_error();
	if (spec_load(layout.spec_loader, layout.spec_dir, &spec, &load_error) != 0 ||
	    spec.count == 0)
		err = add_case(tp, config, SPEC_TABLES_CASE, spec_tables_head, spec_tables_body);
	for (size_t i = 0; i < spec.count && !atf_is_error(err); i++)
		err = add_case(tp, config, spec.cases[i].id, spec_case_head, spec_case_body);
	atf_utils_free_charpp(config);
	return err;
}
