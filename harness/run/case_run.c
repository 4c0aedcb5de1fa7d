#include "run/case_run.h"

#include "run/boot.h"
#include "engine/engine.h"
#include "engine/image_check.h"
#include "judge/judge.h"
#include "judge/message.h"
#include "spec/pattern.h"
#include "run/run_cache.h"
#include "util/fileutil.h"
#include "util/shell_quote.h"
#include "util/strbuf.h"
#include "judge/transcript.h"

#include <stdlib.h>
#include <string.h>

/* A test result is one line; keep it readable in kyua's listing. */
#define CASE_REASON_MAX 1500

/* The lines every report of a case starts with. */
static void add_header(struct strbuf *d, const struct spec_case *c, const struct case_report *r)
{
	message_case_header(d, c->id, c->file, c->line, c->behavior);
	message_image(d, r->image_path, r->image_sha256);
}

/* The profile this run boots the case with. */
static const char *effective_cpu(const struct spec_case *c, const struct case_options *o)
{
	return o->vmx_ept_cpu && !strcmp(c->cpu, ENGINE_DEFAULT_CPU) ? o->vmx_ept_cpu : c->cpu;
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
static void finish(struct case_report *r, enum verdict verdict, struct strbuf *reason,
		   struct strbuf *details, const char *rerun)
{
	r->verdict = verdict;
	struct strbuf line = STRBUF_INIT;
	char *short_reason = one_line(strbuf_str(reason));
	strbuf_adds(&line, short_reason);
	free(short_reason);
	if (verdict != VERDICT_PASS && verdict != VERDICT_SKIP)
		message_reason_rerun(&line, rerun);
	r->reason = strbuf_detach(&line);
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
	/* XTF's split: TIMEOUT and CRASH when the run gave no report to judge,
	 * ERROR when the emulator never ran the machine, FAIL when the
	 * hypervisor reported and the report breaks the spec. */
	enum verdict verdict = b->status == BOOT_TIMEOUT	? VERDICT_TIMEOUT
			       : b->status == BOOT_START_FAILED ? VERDICT_ERROR
								  : j.verdict;
	message_reason_start(&reason, verdict);
	switch (verdict) {
	case VERDICT_TIMEOUT:
		strbuf_adds(&reason, how);
		add_last_line(&reason, &t);
		break;
	case VERDICT_ERROR:
		strbuf_addf(&reason, "the emulator failed to start: %s", b->detail);
		break;
	case VERDICT_CRASH:
		strbuf_addf(&reason, "no '%s' line; %s", TRANSCRIPT_END_PREFIX, how);
		add_last_line(&reason, &t);
		break;
	default:
		for (size_t i = 0; i < j.problems.count; i++)
			strbuf_addf(&reason, "%s%s", i ? "; " : "", j.problems.items[i]);
		break;
	}
	if (verdict != VERDICT_PASS)
		add_first_diagnostic(&reason, b->diagnostics);

	add_header(&d, c, r);
	message_verdict(&d, verdict);
	if (b->status == BOOT_START_FAILED)
		strbuf_addf(&d, "  %s\n", how); /* the transcript says nothing then */
	else
		for (size_t i = 0; i < j.problems.count; i++)
			strbuf_addf(&d, "  %s\n", j.problems.items[i]);
	bool report_shown = false;
	for (size_t i = 0; i < j.problems.count; i++)
		report_shown |= !strncmp(j.problems.items[i], "report:", 7);
	if (j.report_seen && verdict != VERDICT_PASS && !report_shown)
		strbuf_addf(&d, "  (report seen: '%s')\n", j.report_seen);
	strbuf_addf(&d, "run: engine %s, cpu %s, %d MiB, probe %s, %s%s; ", engine->name,
		    effective_cpu(c, o),
		    c->machine_mib, c->probe, how, reused ? " (shared with an earlier case)" : "");
	message_files(&d, work_dir, o->files_not_kept);
	strbuf_adds(&d, "\n");
	if (b->disk_error)
		strbuf_addf(&d, "disk: the write-back is refused (no case here judges it): %s\n",
			    b->disk_error);
	else if (b->disk && o->files_not_kept)
		strbuf_addf(&d, "disk: %ld sector%s written back\n", b->disk_written,
			    b->disk_written == 1 ? "" : "s");
	else if (b->disk)
		strbuf_addf(&d, "disk: %ld sector%s written back; the image the run leaves: %s/%s\n",
			    b->disk_written, b->disk_written == 1 ? "" : "s", work_dir,
			    DISK_IMAGE_OUT_FILE);
	if (*b->diagnostics)
		strbuf_addf(&d, "engine diagnostics:\n%s", b->diagnostics);
	if (verdict != VERDICT_PASS)
		add_tail(&d, &t, b->transcript_truncated);
	message_rerun(&d, o->rerun);

	free(how);
	judgement_free(&j);
	transcript_free(&t);
	finish(r, verdict, &reason, &d, o->rerun);
}

char *case_boot_request(const struct layout *l, const struct spec_case *c,
			const struct case_options *o, const struct engine *engine,
			struct boot_request *req)
{
	int run_timeout = o->run_timeout;
	char *module = NULL, *extra = NULL;
	if (strcmp(c->probe, SPEC_PROBE_NONE)) {
		/* One block for both paths, so callers free one pointer. */
		bool linux_guest = !strcmp(c->probe, SPEC_PROBE_LINUX);
		char *first = linux_guest ? path_join(l->build, SPEC_LINUX_KERNEL)
					  : layout_probe_path(l, c->probe);
		char *second = linux_guest ? path_join(l->build, SPEC_LINUX_INITRD)
			       : c->extra_module ? layout_probe_path(l, c->extra_module) : NULL;
		module = xasprintf("%s%c%s", first, '\0', second ? second : "");
		extra = second ? module + strlen(first) + 1 : NULL;
		free(first);
		free(second);
	}
	*req = (struct boot_request){
		.engine = engine,
		.cpu = effective_cpu(c, o),
		.kernel = l->kernel,
		.hv_cmdline = c->hv_cmdline,
		.module = module,
		.module_cmdline = c->cmdline,
		.extra_module = extra,
		.machine_mib = c->machine_mib,
		/* A 'from' disk has no image until its first case ran
		 * (case_run sets it). */
		.disk = { .present = c->disk != NULL,
			  .fill = c->disk && !c->disk->from ? c->disk->fill : NULL,
			  .bytes = c->disk ? c->disk->bytes : 0,
			  .string = c->disk ? c->disk->string : NULL,
			  .first = c->disk && c->disk->first },
		.timeout_s = run_timeout > 0 && run_timeout < c->timeout ? run_timeout : c->timeout,
	};
	return module;
}

/* The Linux guest is no build product of make all (it comes from a Debian
 * mirror): without it the case is skipped, saying how to make it. */
static void linux_guest_missing(const struct layout *l, struct strbuf *why)
{
	const char *parts[] = { SPEC_LINUX_KERNEL, SPEC_LINUX_INITRD };
	for (size_t i = 0; i < 2; i++) {
		char *path = path_join(l->build, parts[i]);
		bool present = is_regular_file(path);
		free(path);
		if (!present) {
			strbuf_addf(why, "no Linux guest: %s/%s is missing (make linux-guest makes it)",
				    l->build, parts[i]);
			return;
		}
	}
}

/* A verdict reached without judging a transcript (a skip, or an ERROR that
 * booted nothing): the reason is `why` (after the label; kyua labels a skip
 * itself), the details repeat it under the verdict line. */
static void finish_unjudged(struct case_report *r, const struct spec_case *c, enum verdict v,
			    const char *what, const char *why, const char *rerun)
{
	struct strbuf reason = STRBUF_INIT, d = STRBUF_INIT;
	if (v != VERDICT_SKIP)
		message_reason_start(&reason, v);
	strbuf_adds(&reason, why);
	add_header(&d, c, r);
	message_verdict(&d, v);
	strbuf_addf(&d, "  %s%s\n", what, why);
	message_rerun(&d, rerun);
	finish(r, v, &reason, &d, rerun);
}

/* The statements of the disk's write-back (contract 14): a case judging
 * one needs the stream whole. */
#define WRITEBACK_IDS "disk.writeback."

static bool judges_writeback(const struct spec_case *c)
{
	for (size_t i = 0; i < c->judges.count; i++)
		if (!strncmp(c->judges.items[i], WRITEBACK_IDS, strlen(WRITEBACK_IDS)))
			return true;
	return false;
}

/* A two-boot case (disk.from): runs the first case, which must pass, and
 * returns the image its run left in *image. Otherwise the verdict for
 * this case (SKIP when the first is skipped, else ERROR) with the reason
 * in why, naming the first case. */
static enum verdict first_boot(const struct layout *l, const struct spec_case *c,
			       const struct case_options *o, char **image, struct strbuf *why)
{
	const struct spec_case *first = c->disk->from_case;
	struct case_options fo = *o;
	char *sub = NULL;
	if (!o->run_dir) { /* a run of its own, beside this case's */
		sub = path_join(o->work_dir ? o->work_dir : ".", "first-boot");
		fo.work_dir = sub;
	}
	struct case_report fr;
	case_run(l, first, &fo, &fr);
	enum verdict v = VERDICT_PASS;
	if (fr.verdict == VERDICT_SKIP) {
		v = VERDICT_SKIP;
		strbuf_addf(why, "its first boot, case %s, is skipped: %s", first->id, fr.reason);
	} else if (fr.verdict != VERDICT_PASS || !fr.work_dir) {
		v = VERDICT_ERROR;
		strbuf_addf(why, "its first boot, case %s, did not pass, so there is no disk image to "
			    "boot with: %s", first->id, fr.reason);
	} else {
		*image = path_join(fr.work_dir, DISK_IMAGE_OUT_FILE);
	}
	case_report_free(&fr);
	free(sub);
	return v;
}

void case_run(const struct layout *l, const struct spec_case *c, const struct case_options *o,
	      struct case_report *r)
{
	memset(r, 0, sizeof(*r));
	r->image_path = xstrdup(l->kernel);
	if (sha256_file(l->kernel, r->image_sha256) != 0)
		r->image_sha256[0] = '\0';
	struct strbuf why = STRBUF_INIT;
	const char *engine_name = o->engine ? o->engine : ENGINE_DEFAULT;
	const struct engine *engine = engine_find(engine_name);
	if (!engine) {
		strbuf_addf(&why, "unknown engine '%s' (known: %s)", engine_name,
			    engine_known_names());
		finish_unjudged(r, c, VERDICT_ERROR, "", strbuf_str(&why), NULL);
		strbuf_release(&why);
		return;
	}
	char *skip = engine_skip_reason_for(engine, effective_cpu(c, o), c->requires.items,
					    c->requires.count);
	if (!spec_case_allows_engine(c, engine->name)) {
		strbuf_addf(&why, "case runs only on engine%s", c->engines.count > 1 ? "s" : "");
		for (size_t i = 0; i < c->engines.count; i++)
			strbuf_addf(&why, "%s%s", i ? ", " : " ", c->engines.items[i]);
		strbuf_addf(&why, "; this run uses %s", engine->name);
	} else if (skip) {
		strbuf_adds(&why, skip);
	} else if (!strcmp(c->probe, SPEC_PROBE_LINUX)) {
		linux_guest_missing(l, &why);
	}
	free(skip);
	if (why.len) {
		finish_unjudged(r, c, VERDICT_SKIP, "", strbuf_str(&why), NULL);
		strbuf_release(&why);
		return;
	}
	if (image_check(l->kernel, &why) != 0) {
		finish_unjudged(r, c, VERDICT_ERROR, "nothing was booted: ", strbuf_str(&why), NULL);
		strbuf_release(&why);
		return;
	}

	struct boot_request req;
	char *module = case_boot_request(l, c, o, engine, &req);
	char *from_image = NULL;
	if (c->disk && c->disk->from_case) {
		enum verdict v = first_boot(l, c, o, &from_image, &why);
		if (v != VERDICT_PASS) {
			free(module);
			finish_unjudged(r, c, v, "", strbuf_str(&why), v == VERDICT_SKIP ? NULL : o->rerun);
			strbuf_release(&why);
			return;
		}
		req.disk.image = from_image;
	}
	struct boot_result b;
	bool reused = false;
	char *work_dir = NULL;
	int rc;
	if (o->run_dir) {
		rc = run_cache_boot(l, &req, o->run_dir, &b, &reused, &work_dir, &why);
	} else {
		work_dir = xstrdup(o->work_dir ? o->work_dir : ".");
		rc = boot_run(l, &req, work_dir, &b, &why);
	}
	free(module);
	free(from_image);
	r->work_dir = work_dir;
	if (rc != 0) {
		finish_unjudged(r, c, VERDICT_ERROR, "the run could not be set up: ",
				strbuf_str(&why), o->rerun);
		strbuf_release(&why);
		return;
	}
	strbuf_release(&why);
	/* The boot's own hash wins: it is what was booted. */
	memcpy(r->image_sha256, b.kernel_sha256, sizeof(r->image_sha256));
	r->seconds = b.seconds;
	if (b.gcov_error) {
		/* A coverage run whose counters did not arrive whole: its
		 * verdict may stand, but its coverage would silently lie. */
		strbuf_addf(&why, "the coverage stream of run %s is refused: %s", work_dir,
			    b.gcov_error);
		boot_result_free(&b);
		finish_unjudged(r, c, VERDICT_ERROR, "", strbuf_str(&why), o->rerun);
		strbuf_release(&why);
		return;
	}
	if (b.disk_error && b.status == BOOT_EXITED && judges_writeback(c)) {
		/* A write the guest made and the host never got: the second
		 * boot of a two-boot case would judge a stale image. Cases
		 * that judge only the transcript go on (judge_run notes it). */
		strbuf_addf(&why, "the disk write-back of run %s is refused: %s", work_dir,
			    b.disk_error);
		boot_result_free(&b);
		finish_unjudged(r, c, VERDICT_ERROR, "", strbuf_str(&why), o->rerun);
		strbuf_release(&why);
		return;
	}
	judge_run(c, o, engine, &b, reused, work_dir, r);
	r->transcript = b.transcript;
	r->transcript_len = b.transcript_len;
	b.transcript = NULL;
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
