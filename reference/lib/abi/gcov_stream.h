/* The coverage stream a coverage build of the hypervisor writes on
 * BOCHS_DEBUG_PORT at the end of every VM (reference/cov/coverage_dump.c)
 * and the harness decodes (harness/engine/gcov_stream.c). One line each:
 *   hvspec-gcov: file <absolute .gcda path>
 *   hvspec-gcov: data <hex bytes>
 *   hvspec-gcov: end <byte count> <FNV-1a 32 of the bytes, 8 hex digits>
 *   hvspec-gcov: done <file count>
 * One definition for both ends. Pure. */
#ifndef HVSPEC_ABI_GCOV_STREAM_H
#define HVSPEC_ABI_GCOV_STREAM_H
#include <stdint.h>

#define GCOV_STREAM_PREFIX "hvspec-gcov: "
#define GCOV_STREAM_FILE "file "
#define GCOV_STREAM_DATA "data "
#define GCOV_STREAM_END "end "
#define GCOV_STREAM_DONE "done "

/* FNV-1a, 32 bits (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
#define FNV32_OFFSET 0x811c9dc5u
#define FNV32_PRIME 0x01000193u

static inline uint32_t fnv1a32_step(uint32_t hash, uint8_t byte)
{
	return (hash ^ byte) * FNV32_PRIME;
}

#endif
