/* memmem() */
#define _GNU_SOURCE
#include "engine/engine.h"

#include "util/fileutil.h"

#include "rom_format.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Engine logs can be large (Bochs logs every device); diagnostics only
 * need a look at a bounded prefix. */
#define ENGINE_LOG_SCAN_MAX (64u << 20)

/* In spec/loader.lua ENGINES' order (engine_test). */
static const struct engine *const engines[] = { &engine_bochs, &engine_bochs_amd, &engine_qemu,
						&engine_qemu_kvm };

const struct engine *engine_find(const char *name)
{
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i];
	return NULL;
}

/* Every engine lists the same profiles (engine_test), so Bochs' list is
 * the list. */
const char *engine_known_profiles(void)
{
	static struct strbuf names = STRBUF_INIT;
	if (!names.len) {
		for (size_t i = 0; engine_bochs.profile_at(i); i++)
			strbuf_addf(&names, "%s, ", engine_bochs.profile_at(i));
		strbuf_adds(&names, ENGINE_BOCHS_MODEL_PREFIX "<model> (hvrun --list-models)");
	}
	return strbuf_str(&names);
}

bool engine_profile_known(const char *cpu)
{
	for (size_t i = 0; engine_bochs.profile_at(i); i++)
		if (!strcmp(engine_bochs.profile_at(i), cpu))
			return true;
	size_t n = strlen(ENGINE_BOCHS_MODEL_PREFIX);
	return !strncmp(cpu, ENGINE_BOCHS_MODEL_PREFIX, n) && engine_bochs_model_known(cpu + n);
}

const char *engine_profile_firmware_option(const char *cpu)
{
	if (!strcmp(cpu, "vmx-locked-off") || !strcmp(cpu, "vmx-locked-off-no-unrestricted-guest"))
		return HVROM_FW_VMX_LOCKED_OFF_NAME;
	if (!strcmp(cpu, "svm-locked-off"))
		return HVROM_FW_SVM_LOCKED_OFF_NAME;
	return NULL;
}

const char *engine_known_names(void)
{
	static struct strbuf names = STRBUF_INIT;
	if (!names.len)
		for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
			strbuf_addf(&names, "%s%s", i ? ", " : "", engines[i]->name);
	return strbuf_str(&names);
}

char *engine_skip_reason(const struct engine *e, const char *cpu)
{
	char *path = find_program(e->program);
	if (!path)
		return xasprintf("engine %s: program '%s' not found in PATH", e->name, e->program);
	free(path);
	char *why = e->host_unusable();
	if (why) {
		char *msg = xasprintf("engine %s is not usable on this host: %s", e->name, why);
		free(why);
		return msg;
	}
	const char *no = e->profile_unsupported(cpu);
	if (no)
		return xasprintf("engine %s cannot express cpu profile '%s': %s", e->name, cpu, no);
	return NULL;
}

char *engine_skip_reason_for(const struct engine *e, const char *cpu, char *const *features,
			     size_t count)
{
	char *why = engine_skip_reason(e, cpu);
	for (size_t i = 0; !why && i < count; i++) {
		const char *lack = e->lacks_feature(cpu, features[i]);
		if (lack)
			why = xasprintf("the case requires %s, which the processor of engine %s, cpu "
					"profile '%s' lacks: %s", features[i], e->name, cpu, lack);
	}
	return why;
}

int engine_write_text(const char *dir, const char *name, const char *text, struct strbuf *err)
{
	char *path = path_join(dir, name);
	int rc = write_file_atomic(path, text, strlen(text));
	if (rc != 0)
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

void engine_argv_add(struct engine_argv *a, const char *s)
{
	if (a->n == ENGINE_ARGV_MAX) {
		fputs("hvspec harness: engine command line too long\n", stderr);
		abort();
	}
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

void engine_argv_addf(struct engine_argv *a, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, again);
	va_end(again);
	engine_argv_add(a, s);
	free(s);
}

void engine_argv_free(struct engine_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
	a->v[0] = NULL;
}

static int contains_any(const char *line, const char *const *texts)
{
	for (; texts && *texts; texts++)
		if (strstr(line, *texts))
			return 1;
	return 0;
}

void engine_scan_log(const char *path, const char *const *markers, const char *const *ignore,
		     size_t max_lines, struct strbuf *out)
{
	size_t len = 0;
	char *data = read_file(path, ENGINE_LOG_SCAN_MAX, &len);
	if (!data)
		return;
	size_t found = 0;
	char *save = NULL;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!contains_any(line, markers) || contains_any(line, ignore))
			continue;
		if (found++ == max_lines) {
			strbuf_adds(out, "  (more lines in the log)\n");
			break;
		}
		strbuf_adds(out, "  ");
		strbuf_add_printable(out, line, strlen(line));
		strbuf_adds(out, "\n");
	}
	free(data);
}

bool engine_log_contains(const char *path, const char *text)
{
	size_t len = 0;
	char *data = read_file(path, ENGINE_LOG_SCAN_MAX, &len);
	if (!data)
		return false;
	bool found = memmem(data, len, text, strlen(text)) != NULL;
	free(data);
	return found;
}
