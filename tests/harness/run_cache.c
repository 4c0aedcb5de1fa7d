#include "run_cache.h"

#include "fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* FNV-1a, 64 bit: a stable hash with no dependency; collisions only
 * matter within one suite run. */
#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

static uint64_t fnv_add(uint64_t h, const char *s)
{
	/* Each input ends with a NUL, so "a"+"bc" and "ab"+"c" differ. */
	do {
		h ^= (unsigned char)*s;
		h *= FNV64_PRIME;
	} while (*s++);
	return h;
}

static void add_name_part(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		char c = *s;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '-';
		strbuf_add(sb, ok ? &c : "_", 1);
	}
}

char *run_cache_key(const struct boot_request *req)
{
	char mib[16];
	snprintf(mib, sizeof(mib), "%d", req->machine_mib);
	uint64_t h = FNV64_OFFSET;
	h = fnv_add(h, req->engine->name);
	h = fnv_add(h, req->cpu);
	h = fnv_add(h, mib);
	h = fnv_add(h, req->kernel);
	h = fnv_add(h, req->hv_cmdline);
	h = fnv_add(h, req->module ? req->module : "");
	h = fnv_add(h, req->module_cmdline);

	struct strbuf sb = STRBUF_INIT;
	const char *probe = req->module ? strrchr(req->module, '/') : NULL;
	probe = probe ? probe + 1 : (req->module ? req->module : "no-module");
	size_t n = strlen(probe);
	char *base = xstrdup(probe);
	if (n > 4 && !strcmp(base + n - 4, ".elf"))
		base[n - 4] = '\0';
	add_name_part(&sb, base);
	free(base);
	strbuf_adds(&sb, ".");
	add_name_part(&sb, req->engine->name);
	strbuf_adds(&sb, ".");
	add_name_part(&sb, req->cpu);
	strbuf_addf(&sb, ".%dm.%016llx", req->machine_mib, (unsigned long long)h);
	return strbuf_detach(&sb);
}

int run_cache_boot(const struct layout *l, const struct boot_request *req, const char *run_dir,
		   struct boot_result *result, bool *reused, char **work_dir, struct strbuf *err)
{
	*reused = false;
	*work_dir = NULL;
	if (make_dirs(run_dir) != 0) {
		strbuf_addf(err, "cannot create run folder %s: %s", run_dir, strerror(errno));
		return -1;
	}
	char *key = run_cache_key(req);
	char *dir = path_join(run_dir, key);
	char *lock_path = xasprintf("%s.lock", dir);
	free(key);

	int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "cannot open %s: %s", lock_path, strerror(errno));
		goto fail;
	}
	/* Whoever holds the lock is booting this run; wait for its result. */
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			strbuf_addf(err, "cannot lock %s: %s", lock_path, strerror(errno));
			close(fd);
			goto fail;
		}
	}
	int rc = 0;
	if (boot_result_load(req->engine, dir, result) == 0 &&
	    !(result->status == BOOT_TIMEOUT && result->timeout_s < req->timeout_s)) {
		*reused = true;
	} else {
		boot_result_free(result);
		rc = boot_run(l, req, dir, result, err);
		if (rc == 0 && boot_result_save(result, dir) != 0)
			fprintf(stderr, "hvspec harness: cannot store the result in %s: %s\n", dir,
				strerror(errno));
	}
	close(fd); /* releases the lock */
	free(lock_path);
	*work_dir = dir;
	return rc;
fail:
	free(lock_path);
	free(dir);
	return -1;
}
