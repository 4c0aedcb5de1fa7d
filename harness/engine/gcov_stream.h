/* Decodes the coverage stream a coverage build of the reference writes to
 * the engine's output at the end of every VM (reference/cov/coverage_dump.c)
 * into .gcda files. A stream that is truncated or corrupt is refused as a
 * whole, with the reason: coverage data is never silently dropped. */
#ifndef HVSPEC_HARNESS_GCOV_STREAM_H
#define HVSPEC_HARNESS_GCOV_STREAM_H

#include "util/strbuf.h"
#include "abi/gcov_stream.h" /* the stream's lines, FNV-1a */

#include <stdbool.h>

/* True when the file holds a coverage stream at all. */
bool gcov_stream_present(const char *engine_output);
/* Writes each .gcda of the stream under dest_dir (its absolute path
 * appended). Returns the number of files, or -1 with the reason in err
 * (nothing is written then). */
int gcov_stream_extract(const char *engine_output, const char *dest_dir, struct strbuf *err);

#endif
