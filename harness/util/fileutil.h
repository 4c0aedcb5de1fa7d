/* Small file-system helpers for the harness. */
#ifndef HVSPEC_HARNESS_FILEUTIL_H
#define HVSPEC_HARNESS_FILEUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a file, or its first max_len bytes when it is longer (then
 * *truncated, if given, is set). Returns a NUL-terminated buffer and its
 * length, or NULL with errno set. */
char *read_file(const char *path, size_t max_len, size_t *len);
char *read_file_head(const char *path, size_t max_len, size_t *len, bool *truncated);
/* Writes a file through a temporary name and rename(), so a reader never
 * sees it half written. Returns 0, or -1 with errno set. */
int write_file_atomic(const char *path, const char *data, size_t len);
bool is_regular_file(const char *path);
bool is_directory(const char *path);
/* mkdir -p. Returns 0, or -1 with errno set. */
int make_dirs(const char *path);
/* Removes the regular files directly inside dir, then dir itself. */
int remove_flat_dir(const char *dir);
/* rm -rf: removes dir and everything below it, never following symbolic
 * links. Returns 0, or -1 when something could not be removed. */
int remove_tree(const char *dir);
/* Full path of an executable found in $PATH (or the name itself when it
 * contains a '/'), malloc'd; NULL when there is none. */
char *find_program(const char *name);
/* Joins two path parts with one '/'; malloc'd. */
char *path_join(const char *a, const char *b);

#endif
