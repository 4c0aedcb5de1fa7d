#include "engine/dirty_ram.h"

#include "util/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes size bytes of the pattern, zero in [hole_start, hole_end), to path
 * through a temporary name, so a run never loads half a file; an existing
 * file of the right size is kept. */
static int make_pattern_file(const char *path, uint64_t size, uint64_t hole_start,
			     uint64_t hole_end, struct strbuf *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size)
		return 0;
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	static char block[1 << 16], zero[1 << 16];
	memset(block, DIRTY_RAM_BYTE, sizeof(block));
	uint64_t left = size;
	while (left > 0) {
		uint64_t at = size - left;
		bool in_hole = at >= hole_start && at < hole_end;
		uint64_t run_end = in_hole ? hole_end : at < hole_start ? hole_start : size;
		uint64_t want = run_end - at;
		size_t n = want < sizeof(block) ? (size_t)want : sizeof(block);
		ssize_t w = write(fd, in_hole ? zero : block, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			strbuf_addf(err, "cannot write %s: %s", tmp, strerror(w < 0 ? errno : ENOSPC));
			close(fd);
			unlink(tmp);
			free(tmp);
			return -1;
		}
		left -= (uint64_t)w;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		strbuf_addf(err, "cannot finish %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int dirty_ram_files(const char *cache_dir, int machine_mib, struct dirty_ram *out,
		    struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	if ((uint64_t)machine_mib << 20 <= DIRTY_HIGH_BASE) {
		strbuf_addf(err, "a machine of %d MiB has no RAM above 1 MiB", machine_mib);
		return -1;
	}
	if (make_dirs(cache_dir) != 0) {
		strbuf_addf(err, "cannot create %s: %s", cache_dir, strerror(errno));
		return -1;
	}
	out->low_path = xasprintf("%s/low-%uk.ram", cache_dir, DIRTY_LOW_SIZE >> 10);
	out->high_path = xasprintf("%s/high-%dm.ram", cache_dir, machine_mib);
	uint64_t high = ((uint64_t)machine_mib << 20) - DIRTY_HIGH_BASE;
	if (make_pattern_file(out->low_path, DIRTY_LOW_SIZE, 0, 0, err) != 0 ||
	    make_pattern_file(out->high_path, high, 0, 0, err) != 0) {
		dirty_ram_free(out);
		return -1;
	}
	return 0;
}

char *dirty_ram_whole_file(const char *high_path, int machine_mib, struct strbuf *err)
{
	const char *slash = strrchr(high_path, '/');
	int dir_len = slash ? (int)(slash - high_path) : 1;
	char *path = xasprintf("%.*s/whole-%dm.ram", dir_len, slash ? high_path : ".",
			       machine_mib);
	if (make_pattern_file(path, (uint64_t)machine_mib << 20, DIRTY_LOW_SIZE, DIRTY_HIGH_BASE,
			      err) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

void dirty_ram_free(struct dirty_ram *d)
{
	free(d->low_path);
	free(d->high_path);
	memset(d, 0, sizeof(*d));
}
