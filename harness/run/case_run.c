#include "run/case_run.h"

#include "run/boot.h"
#include "engine/engine.h"
#include "engine/image_check.h"
#include "judge/judge.h"
#include "spec/pattern.h"
#include "run/run_cache.h"
#include "util/shell_quote.h"
#include "util/strbuf.h"
#include "judge/transcript.h"

#include <stdlib.h>
#include <string.h>

/* A test result is one line; keep it readable in kyua's listing. */
#define CASE_REASON_MAX 1500

static void add_header(struct strbuf *d, const struct spec_case *c)
{
	strbuf_addf(d, "case %s (%s:%d)\n  behavior: %s\n", c->id, c->file, c->line, c->behavior);
}

static void add_image(struct strbuf *d, const struct case_report *r)
{
	strbuf_addf(d, "image: %s (sha256 %s)\n", r->image_path,
		    *r->image_sha256 ? r->image_sha256 : "unreadable");
}

/* The profile this run boots the case with. */
static const char *effective_cpu(const struct spec_case *c, const struct case_options *o)
{
	return o->vmx_ept_cpu && !strcmp(c->cpu, ENGINE_DEFAULT_CPU) ? o->vmx_ept_cpu : c->cpu;
}

static void add_rerun(struct strbuf *d, const struct case_options *o)
{
	if (o->rerun)
		strbuf_addf(d, "rerun: %s\n", o->rerun);
}

static char *one_line(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (; *s && sb.len < CASE_REASON_MAX; s++)
		strbuf_add(&sb, *s == '\n' || *s == '\r' ? " " : s, 1);
	if (*s)
		strbuf_adds(&sb, " ...");
	return strbuf_detach(&sb);
}

/* The rerun hint goes after the shortening, so a long list of problems
 * cannot push it out of the one-line reason. */
static void finish(struct case_report *r, enum case_outcome outcome, struct strbuf *reason,
		   struct strbuf *details, const char *rerun)
{
	r->outcome = outcome;
	char *line = one_line(strbuf_str(reason));
	if (rerun && (outcome == CASE_FAIL || outcome == CASE_ERROR)) {
		r->reason = xasprintf("%s (rerun: %s)", line, rerun);
		free(line);
	} else {
		r->reason = line;
	}
	r->details = strbuf_detach(details);
	strbuf_release(reason);
}

static void add_tail(struct strbuf *d, const struct transcript *t, bool truncated)
{
	if (t->count == 0) {
		strbuf_adds(d, "transcript: empty (the machine wrote nothing to COM1)\n");
		return;
	}
	size_t from = t->count > CASE_TAIL_LINES ? t->count - CASE_TAIL_LINES : 0;
	strbuf_addf(d, "last %zu transcript lines%s:\n", t->count - from,
		    truncated ? " (of its first " "16 MiB)" : "");
	for (size_t i = from; i < t->count; i++) {
		strbuf_adds(d, "  | ");
		strbuf_add_printable(d, t->lines[i].text, t->lines[i].len);
		strbuf_adds(d, "\n");
	}
}

/* The first diagnostic line, trimmed, for the one-line reason. */
static void add_first_diagnostic(struct strbuf *reason, const char *diagnostics)
{
	const char *p = diagnostics;
	while (*p == ' ')
		p++;
	if (!*p)
		return;
	const char *nl = strchr(p, '\n');
	strbuf_adds(reason, "; engine: ");
	strbuf_add(reason, p, nl ? (size_t)(nl - p) : strlen(p));
}

static void add_last_line(struct strbuf *reason, const struct transcript *t)
{
	if (t->count == 0) {
		strbuf_adds(reason, "; no output on COM1");
		return;
	}
	const struct transcript_line *l = &t->lines[t->count - 1];
	strbuf_adds(reason, "; last line '");
	strbuf_add_printable(reason, l->text, l->len > 200 ? 200 : l->len);
	strbuf_adds(reason, "'");
}

/* Judges a finished run and writes the verdict. */
static void judge_run(const struct spec_case *c, const struct case_options *o,
		      const struct engine *engine, const struct boot_result *b, bool reused,
		      const char *work_dir, struct case_report *r)
{
	struct strbuf reason = STRBUF_INIT, d = STRBUF_INIT;
	struct transcript t;
	transcript_split(b->transcript, b->transcript_len, &t);
	struct pattern_matcher *m = pattern_matcher_new();
	struct judgement j;
	judge_transcript(&c->expect, &t, m, &j);
	pattern_matcher_free(m);

	char *how = boot_describe_timeless(b);
	enum case_outcome outcome = CASE_FAIL;
	/* XTF's split: BROKEN when the run gave nothing to judge, FAIL when
	 * the hypervisor reported and the report breaks the spec. */
	const char *verdict;
	if (b->status == BOOT_TIMEOUT) {
		verdict = "BROKEN (timeout): the machine did not power off in time";
		strbuf_addf(&reason, "BROKEN (timeout): %s", how);
		add_last_line(&reason, &t);
	} else if (b->status == BOOT_START_FAILED) {
		verdict = "BROKEN (emulator failed to start)";
		strbuf_addf(&reason, "BROKEN (emulator failed to start): %s", b->detail);
	} else if (j.verdict == JUDGE_CRASH) {
		verdict = "BROKEN (crash): the run ended without a report line";
		strbuf_addf(&reason, "BROKEN (crash): no '%s' line; %s", TRANSCRIPT_END_PREFIX, how);
		add_last_line(&reason, &t);
	} else if (j.verdict == JUDGE_FAIL) {
		verdict = "FAIL: the run ended with a report and broke the spec";
		strbuf_adds(&reason, "FAIL: ");
		for (size_t i = 0; i < j.problems.count; i++)
			strbuf_addf(&reason, "%s%s", i ? "; " : "", j.problems.items[i]);
	} else {
		verdict = "PASS";
		outcome = CASE_PASS;
	}
	if (outcome != CASE_PASS)
		add_first_diagnostic(&reason, b->diagnostics);

	add_header(&d, c);
	add_image(&d, r);
	strbuf_addf(&d, "verdict: %s\n", verdict);
	if (b->status == BOOT_START_FAILED)
		strbuf_addf(&d, "  %s\n", how); /* the transcript says nothing then */
	else
		for (size_t i = 0; i < j.problems.count; i++)
			strbuf_addf(&d, "  %s\n", j.problems.items[i]);
	bool report_shown = false;
	for (size_t i = 0; i < j.problems.count; i++)
		report_shown |= !strncmp(j.problems.items[i], "report:", 7);
	if (j.report_seen && outcome != CASE_PASS && !report_shown)
		strbuf_addf(&d, "  (report seen: '%s')\n", j.report_seen);
	strbuf_addf(&d, "run: engine %s, cpu %s, %d MiB, probe %s, %s%s; ", engine->name,
		    effective_cpu(c, o),
		    c->machine_mib, c->probe, how, reused ? " (shared with an earlier case)" : "");
	if (o->files_not_kept)
		strbuf_addf(&d, "files not kept (%s)\n", o->files_not_kept);
	else
		strbuf_addf(&d, "files in %s\n", work_dir);
	if (*b->diagnostics)
		strbuf_addf(&d, "engine diagnostics:\n%s", b->diagnostics);
	if (outcome != CASE_PASS)
		add_tail(&d, &t, b->transcript_truncated);
	add_rerun(&d, o);

	free(how);
	judgement_free(&j);
	transcript_free(&t);
	finish(r, outcome, &reason, &d, o->rerun);
}

char *case_boot_request(const struct layout *l, const struct spec_case *c,
			const struct case_options *o, const struct engine *engine,
			struct boot_request *req)
{
	int run_timeout = o->run_timeout;
	char *module = strcmp(c->probe, SPEC_PROBE_NONE) ? layout_probe_path(l, c->probe) : NULL;
	*req = (struct boot_request){
		.engine = engine,
		.cpu = effective_cpu(c, o),
		.kernel = l->kernel,
		.hv_cmdline = c->hv_cmdline,
		.module = module,
		.module_cmdline = c->cmdline,
		.machine_mib = c->machine_mib,
		.timeout_s = run_timeout > 0 && run_timeout < c->timeout ? run_timeout : c->timeout,
	};
	return module;
}

void case_run(const struct layout *l, const struct spec_case *c, const struct case_options *o,
	      struct case_report *r)
{
	memset(r, 0, sizeof(*r));
	r->image_path = xstrdup(l->kernel);
	if (sha256_file(l->kernel, r->image_sha256) != 0)
		r->image_sha256[0] = '\0';
	struct strbuf reason = STRBUF_INIT, d = STRBUF_INIT;
	const char *engine_name = o->engine ? o->engine : ENGINE_DEFAULT;
	const struct engine *engine = engine_find(engine_name);
	if (!engine) {
		strbuf_addf(&reason, "ERROR: unknown engine '%s' (known: %s)", engine_name,
			    engine_known_names());
		add_header(&d, c);
		add_image(&d, r);
		strbuf_addf(&d, "%s\n", strbuf_str(&reason));
		finish(r, CASE_ERROR, &reason, &d, NULL);
		return;
	}
	if (!spec_case_allows_engine(c, engine->name)) {
		strbuf_addf(&reason, "case runs only on engine%s", c->engines.count > 1 ? "s" : "");
		for (size_t i = 0; i < c->engines.count; i++)
			strbuf_addf(&reason, "%s%s", i ? ", " : " ", c->engines.items[i]);
		strbuf_addf(&reason, "; this run uses %s", engine->name);
		add_header(&d, c);
		add_image(&d, r);
		strbuf_addf(&d, "skipped: %s\n", strbuf_str(&reason));
		finish(r, CASE_SKIP, &reason, &d, NULL);
		return;
	}
	char *skip = engine_skip_reason_for(engine, effective_cpu(c, o), c->requires.items,
					    c->requires.count);
	if (skip) {
		strbuf_adds(&reason, skip);
		free(skip);
		add_header(&d, c);
		add_image(&d, r);
		strbuf_addf(&d, "skipped: %s\n", strbuf_str(&reason));
		finish(r, CASE_SKIP, &reason, &d, NULL);
		return;
	}

	struct strbuf bad_image = STRBUF_INIT;
	if (image_check(l->kernel, &bad_image) != 0) {
		strbuf_addf(&reason, "ERROR: %s", strbuf_str(&bad_image));
		add_header(&d, c);
		add_image(&d, r);
		strbuf_addf(&d, "verdict: ERROR: nothing was booted\n  %s\n", strbuf_str(&bad_image));
		strbuf_release(&bad_image);
		finish(r, CASE_ERROR, &reason, &d, NULL);
		return;
	}
	strbuf_release(&bad_image);

	struct boot_request req;
	char *module = case_boot_request(l, c, o, engine, &req);
	struct boot_result b;
	struct strbuf err = STRBUF_INIT;
	bool reused = false;
	char *work_dir = NULL;
	int rc;
	if (o->run_dir) {
		rc = run_cache_boot(l, &req, o->run_dir, &b, &reused, &work_dir, &err);
	} else {
		work_dir = xstrdup(o->work_dir ? o->work_dir : ".");
		rc = boot_run(l, &req, work_dir, &b, &err);
	}
	free(module);
	if (rc != 0) {
		strbuf_addf(&reason, "ERROR: %s", strbuf_str(&err));
		add_header(&d, c);
		add_image(&d, r);
		strbuf_addf(&d, "verdict: ERROR: the run could not be set up\n  %s\n",
			    strbuf_str(&err));
		add_rerun(&d, o);
		strbuf_release(&err);
		r->work_dir = work_dir;
		finish(r, CASE_ERROR, &reason, &d, o->rerun);
		return;
	}
	strbuf_release(&err);
	strbuf_release(&reason);
	strbuf_release(&d);
	/* The boot's own hash wins: it is what was booted. */
	memcpy(r->image_sha256, b.kernel_sha256, sizeof(r->image_sha256));
	r->seconds = b.seconds;
	if (b.gcov_error) {
		/* A coverage run whose counters did not arrive whole: its
		 * verdict may stand, but its coverage would silently lie. */
		strbuf_addf(&reason, "ERROR: the coverage stream of run %s is refused: %s", work_dir,
			    b.gcov_error);
		add_header(&d, c);
		add_image(&d, r);
		strbuf_addf(&d, "verdict: %s\n", strbuf_str(&reason));
		r->work_dir = work_dir;
		boot_result_free(&b);
		finish(r, CASE_ERROR, &reason, &d, o->rerun);
		return;
	}
	judge_run(c, o, engine, &b, reused, work_dir, r);
	r->transcript = b.transcript;
	r->transcript_len = b.transcript_len;
	b.transcript = NULL;
	r->work_dir = work_dir;
	boot_result_free(&b);
}

void case_report_free(struct case_report *r)
{
	free(r->reason);
	free(r->details);
	free(r->transcript);
	free(r->work_dir);
	free(r->image_path);
	memset(r, 0, sizeof(*r));
}

char *case_rerun_command(const struct layout *l, const char *hvrun, const char *engine,
			 const char *kernel, const char *vmx_ept_cpu, const char *id)
{
	struct strbuf sb = STRBUF_INIT;
	if (l->root_from_env) {
		strbuf_adds(&sb, LAYOUT_ROOT_ENV "=");
		shell_quote(&sb, l->root);
		strbuf_adds(&sb, " ");
	}
	shell_quote(&sb, hvrun);
	if (engine && strcmp(engine, ENGINE_DEFAULT) != 0) {
		strbuf_adds(&sb, " --engine ");
		shell_quote(&sb, engine);
	}
	if (kernel) {
		strbuf_adds(&sb, " --kernel ");
		shell_quote(&sb, kernel);
	}
	size_t prefix = strlen(ENGINE_BOCHS_MODEL_PREFIX);
	if (vmx_ept_cpu && !strncmp(vmx_ept_cpu, ENGINE_BOCHS_MODEL_PREFIX, prefix)) {
		strbuf_adds(&sb, " --bochs-model ");
		shell_quote(&sb, vmx_ept_cpu + prefix);
	}
	strbuf_adds(&sb, " ");
	shell_quote(&sb, id);
	return strbuf_detach(&sb);
}
