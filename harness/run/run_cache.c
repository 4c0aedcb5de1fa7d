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

/* What makes a run, in one place: every input of a boot except its time
 * limit. Two requests share one run exactly when these match; the key
 * hashes them (files by content), run_cache_same_run compares them (files
 * by path, within one suite run). */
#define RUN_TEXT_INPUTS 9
#define RUN_FILE_INPUTS 5
struct run_inputs {
	char mib[16];
	char disk_bytes[24];
	const char *text[RUN_TEXT_INPUTS];
	const char *file_what[RUN_FILE_INPUTS];
	const char *file_path[RUN_FILE_INPUTS]; /* NULL: no such file (no guest) */
};

static void run_inputs(const struct layout *l, const struct boot_request *req,
		       struct run_inputs *in)
{
	snprintf(in->mib, sizeof(in->mib), "%d", req->machine_mib);
	const struct boot_disk *d = &req->disk;
	snprintf(in->disk_bytes, sizeof(in->disk_bytes), "%lld", d->present ? d->bytes : 0);
	const char *disk_kind = !d->present ? "no disk" : d->image ? "disk file" : d->fill;
	const char *text[RUN_TEXT_INPUTS] = { req->engine->name, req->cpu, in->mib,
					      req->hv_cmdline, req->module_cmdline, disk_kind,
					      in->disk_bytes, d->present ? d->string : "",
					      d->present && d->first ? "disk first" : "disk last" };
	const char *what[RUN_FILE_INPUTS] = { "hypervisor image", "firmware loader",
					      "guest image", "second module image", "disk image" };
	const char *path[RUN_FILE_INPUTS] = { req->kernel, l->rom_loader, req->module,
					      req->extra_module, d->present ? d->image : NULL };
	memcpy(in->text, text, sizeof(text));
	memcpy(in->file_what, what, sizeof(what));
	memcpy(in->file_path, path, sizeof(path));
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool run_cache_same_run(const struct layout *l, const struct boot_request *a,
			const struct boot_request *b)
{
	struct run_inputs x, y;
	run_inputs(l, a, &x);
	run_inputs(l, b, &y);
	for (size_t i = 0; i < RUN_TEXT_INPUTS; i++)
		if (!same_text(x.text[i], y.text[i]))
			return false;
	for (size_t i = 0; i < RUN_FILE_INPUTS; i++)
		if (!same_text(x.file_path[i], y.file_path[i]))
			return false;
	return true;
}

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
	struct run_inputs in;
	run_inputs(l, req, &in);
	struct sha256 h;
	sha256_init(&h);
	for (size_t i = 0; i < RUN_TEXT_INPUTS; i++)
		hash_field(&h, in.text[i]);
	for (size_t i = 0; i < RUN_FILE_INPUTS; i++) {
		if (!in.file_path[i]) {
			hash_field(&h, "no file");
			hash_field(&h, in.file_what[i]);
		} else if (hash_file(&h, l, in.file_what[i], in.file_path[i], err) != 0) {
			return -1;
		}
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
