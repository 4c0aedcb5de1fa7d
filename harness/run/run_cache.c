#include "run/run_cache.h"

#include "util/fileutil.h"
#include "util/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Adds one input to the hash, with its length first, so "a"+"bc" and
 * "ab"+"c" differ. */
static void hash_field(struct sha256 *h, const char *s)
{
	char len[32];
	snprintf(len, sizeof(len), "%zu:", strlen(s));
	sha256_update(h, len, strlen(len));
	sha256_update(h, s, strlen(s));
}

/* Adds a file's content (by its own SHA-256) under a name. */
static int hash_file(struct sha256 *h, const struct layout *l, const char *what,
		     const char *path, struct strbuf *err)
{
	char hex[SHA256_HEX_LEN + 1];
	if (sha256_file(path, hex) != 0) {
		int saved = errno;
		strbuf_addf(err, "cannot read the %s %s: %s", what, path,
			    saved == EISDIR ? "it is a folder, not a file" : strerror(saved));
		if (saved == ENOENT && !strncmp(path, l->build, strlen(l->build)))
			strbuf_adds(err, " (run 'make all' first)");
		return -1;
	}
	hash_field(h, what);
	hash_field(h, hex);
	return 0;
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

int run_cache_key(const struct layout *l, const struct boot_request *req, char **key,
		  struct strbuf *err)
{
	*key = NULL;
	char mib[16];
	snprintf(mib, sizeof(mib), "%d", req->machine_mib);
	struct sha256 h;
	sha256_init(&h);
	hash_field(&h, req->engine->name);
	hash_field(&h, req->cpu);
	hash_field(&h, mib);
	hash_field(&h, req->hv_cmdline);
	hash_field(&h, req->module_cmdline);
	if (hash_file(&h, l, "hypervisor image", req->kernel, err) != 0 ||
	    hash_file(&h, l, "firmware loader", l->rom_loader, err) != 0)
		return -1;
	if (req->module) {
		if (hash_file(&h, l, "guest image", req->module, err) != 0)
			return -1;
	} else {
		hash_field(&h, "no guest image");
	}
	unsigned char digest[SHA256_DIGEST_BYTES];
	char hex[SHA256_HEX_LEN + 1];
	sha256_final(&h, digest);
	sha256_hex(digest, hex);
	hex[RUN_CACHE_KEY_HASH_HEX] = '\0';

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
	strbuf_addf(&sb, ".%dm.%s", req->machine_mib, hex);
	*key = strbuf_detach(&sb);
	return 0;
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
	char *key;
	if (run_cache_key(l, req, &key, err) != 0)
		return -1;
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
	/* The key already covers the image's content; comparing the stored
	 * hash with the file as it is now also catches an image replaced
	 * after the key was made. */
	char now[SHA256_HEX_LEN + 1];
	if (boot_result_load(req->engine, dir, result) == 0 &&
	    !(result->status == BOOT_TIMEOUT && result->timeout_s < req->timeout_s) &&
	    sha256_file(req->kernel, now) == 0 && !strcmp(now, result->kernel_sha256)) {
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
