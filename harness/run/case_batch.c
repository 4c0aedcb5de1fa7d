#include "run/case_batch.h"

#include "engine/engine.h"
#include "judge/message.h"
#include "util/fileutil.h"
#include "util/strbuf.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORD_MAGIC "hvspec-record 1"
/* A record holds one case's reason and details: far below this. */
#define RECORD_MAX (4u << 20)

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *record_path(const struct batch_options *o, size_t index)
{
	return xasprintf("%s/%zu.rec", o->records_dir, index);
}

static void add_block(struct strbuf *sb, const char *name, const char *text)
{
	strbuf_addf(sb, "%s %zu\n", name, strlen(text));
	strbuf_adds(sb, text);
	strbuf_adds(sb, "\n");
}

static int write_record(const char *path, const struct case_report *r)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, RECORD_MAGIC "\nverdict %s\nseconds %.3f\nsha256 %s\n",
		    verdict_name(r->verdict), r->seconds, *r->image_sha256 ? r->image_sha256 : "-");
	add_block(&sb, "reason", r->reason ? r->reason : "");
	add_block(&sb, "details", r->details ? r->details : "");
	int rc = write_file_atomic(path, sb.data, sb.len);
	strbuf_release(&sb);
	return rc;
}

/* Reads "<name> <len>\n<len bytes>\n" at *p; NULL when malformed. */
static char *read_block(const char **p, const char *end, const char *name)
{
	size_t n = strlen(name);
	if ((size_t)(end - *p) < n + 2 || strncmp(*p, name, n) || (*p)[n] != ' ')
		return NULL;
	char *stop;
	errno = 0;
	unsigned long long len = strtoull(*p + n + 1, &stop, 10);
	if (errno || stop == *p + n + 1 || *stop != '\n' || len > (size_t)(end - stop - 1))
		return NULL;
	const char *text = stop + 1;
	if (text + len >= end || text[len] != '\n')
		return NULL;
	char *s = xmalloc(len + 1);
	memcpy(s, text, len);
	s[len] = '\0';
	*p = text + len + 1;
	return s;
}

/* Fills r from a worker's record; -1 when it is missing or malformed. */
static int read_record(const char *path, struct case_report *r)
{
	size_t len;
	char *text = read_file(path, RECORD_MAX, &len);
	if (!text)
		return -1;
	const char *p = text, *end = text + len;
	char name[16];
	enum verdict verdict;
	double seconds;
	char sha[SHA256_HEX_LEN + 2];
	int used = 0;
	if (sscanf(p, RECORD_MAGIC "\nverdict %15s\nseconds %lf\nsha256 %65s\n%n", name,
		   &seconds, sha, &used) != 3 || used == 0 || !verdict_from_name(name, &verdict) ||
	    verdict == VERDICT_NOT_RUN) {
		free(text);
		return -1;
	}
	p += used;
	char *reason = read_block(&p, end, "reason");
	char *details = reason ? read_block(&p, end, "details") : NULL;
	free(text);
	if (!details) {
		free(reason);
		return -1;
	}
	r->verdict = verdict;
	r->seconds = seconds;
	if (strlen(sha) == SHA256_HEX_LEN)
		memcpy(r->image_sha256, sha, sizeof(r->image_sha256));
	r->reason = reason;
	r->details = details;
	return 0;
}

/* The worker: one case, its record, nothing else. */
static void run_worker(const struct layout *l, const struct spec_case *c, size_t index,
		       const struct batch_options *o, pid_t parent)
{
	/* A batch that is killed takes its workers along, and they their
	 * emulators (process.c turns SIGTERM into a kill of the group). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	static const int reset[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
		signal(reset[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	char *work = xasprintf("%s/%zu.work", o->records_dir, index);
	char *rerun = case_rerun_command(l, o->hvrun, o->engine,
					 l->kernel_overridden ? l->kernel : NULL, o->vmx_ept_cpu, c->id);
	struct case_options opts = {
		.engine = o->engine,
		.run_dir = o->run_dir,
		.work_dir = work,
		.rerun = rerun,
		.run_timeout = o->run_timeout,
		.files_not_kept = o->files_not_kept,
		.vmx_ept_cpu = o->vmx_ept_cpu,
	};
	struct case_report r;
	case_run(l, c, &opts, &r);
	char *path = record_path(o, index);
	int rc = write_record(path, &r);
	fflush(NULL);
	_exit(rc == 0 ? 0 : 1);
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define STOP_SIGNALS (sizeof(stop_signals) / sizeof(stop_signals[0]))

/* No SA_RESTART: waitpid() returns EINTR, so the loop sees the signal. */
static void catch_stop_signals(struct sigaction old[STOP_SIGNALS])
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
}

static void restore_stop_signals(const struct sigaction old[STOP_SIGNALS])
{
	for (size_t i = 0; i < STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}

/* An entry that has no case report: the verdict, its reason and the
 * details that repeat it. */
static void set_unreported(struct batch_entry *e, enum verdict verdict, const char *why)
{
	struct strbuf reason = STRBUF_INIT, d = STRBUF_INIT;
	message_reason_start(&reason, verdict);
	strbuf_adds(&reason, why);
	message_case_header(&d, e->c->id, e->c->file, e->c->line, e->c->behavior);
	message_verdict(&d, verdict);
	strbuf_addf(&d, "  %s\n", why);
	e->verdict = verdict;
	e->r.verdict = verdict;
	e->r.reason = strbuf_detach(&reason);
	e->r.details = strbuf_detach(&d);
}

/* A worker ended: take its record, or say why there is none. */
static void collect(const struct batch_options *o, struct batch_entry *e, size_t index,
		    int status)
{
	char *path = record_path(o, index);
	if (read_record(path, &e->r) == 0) {
		e->verdict = e->r.verdict;
	} else {
		char *how = WIFSIGNALED(status) ? xasprintf("killed by signal %d", WTERMSIG(status))
						: xasprintf("exit status %d", WEXITSTATUS(status));
		char *why = xasprintf("the harness worker for this case ended (%s) without a "
				      "result", how);
		set_unreported(e, VERDICT_ERROR, why);
		free(why);
		free(how);
	}
	unlink(path);
	free(path);
}

int case_batch_run(const struct layout *l, const struct spec_case *const *cases, size_t count,
		   const struct batch_options *o, struct batch_entry *entries)
{
	pid_t *pids = xcalloc(count ? count : 1, sizeof(*pids));
	for (size_t i = 0; i < count; i++) {
		memset(&entries[i], 0, sizeof(entries[i]));
		entries[i].c = cases[i];
		entries[i].rerun = case_rerun_command(l, o->hvrun, o->engine,
						      l->kernel_overridden ? l->kernel : NULL,
						      o->vmx_ept_cpu, cases[i]->id);
	}
	struct sigaction old[STOP_SIGNALS];
	stop_signal = 0;
	catch_stop_signals(old);
	double start = now_seconds();
	size_t next = 0, running = 0, done = 0;
	while (done < count && !stop_signal) {
		while (running < (size_t)o->jobs && next < count && !stop_signal) {
			if (o->budget_s > 0 && now_seconds() - start >= (double)o->budget_s) {
				char *why = xasprintf("the time budget of %d s for this "
						      "hypervisor was spent before the case could "
						      "start", o->budget_s);
				for (; next < count; next++, done++) {
					set_unreported(&entries[next], VERDICT_NOT_RUN, why);
					if (o->on_done)
						o->on_done(entries[next].c, &entries[next].r,
							   VERDICT_NOT_RUN, o->arg);
				}
				free(why);
				break;
			}
			fflush(NULL);
			pid_t parent = getpid();
			pid_t pid = fork();
			if (pid < 0) {
				char *why = xasprintf("cannot start a worker: %s", strerror(errno));
				set_unreported(&entries[next], VERDICT_ERROR, why);
				free(why);
				if (o->on_done)
					o->on_done(entries[next].c, &entries[next].r, VERDICT_ERROR,
						   o->arg);
				next++;
				done++;
				continue;
			}
			if (pid == 0)
				run_worker(l, cases[next], next, o, parent);
			pids[next++] = pid;
			running++;
		}
		if (running == 0)
			continue;
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0)
			continue; /* EINTR: the loop condition looks at stop_signal */
		for (size_t i = 0; i < next; i++) {
			if (pids[i] != pid)
				continue;
			pids[i] = 0;
			running--;
			done++;
			collect(o, &entries[i], i, status);
			if (o->on_done)
				o->on_done(entries[i].c, &entries[i].r, entries[i].verdict, o->arg);
		}
	}
	int sig = stop_signal;
	if (sig) {
		for (size_t i = 0; i < next; i++)
			if (pids[i] > 0)
				kill(pids[i], SIGTERM);
		for (size_t i = 0; i < next; i++)
			if (pids[i] > 0)
				while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
					;
	}
	restore_stop_signals(old);
	free(pids);
	return sig;
}

void batch_entry_free(struct batch_entry *e)
{
	case_report_free(&e->r);
	free(e->rerun);
	memset(e, 0, sizeof(*e));
}
