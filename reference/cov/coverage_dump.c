/* The gcov stream of a coverage build (see coverage.h). GCC's
 * -fprofile-info-section puts a pointer to every object's gcov_info into the
 * .gcov_info section; libgcov's __gcov_info_to_gcda turns each into the
 * bytes of its .gcda file through our callbacks. The stream's lines:
 * reference/lib/abi/gcov_stream.h; harness/engine/gcov_stream.c decodes it and refuses a truncated or corrupt
 * one. This file itself is built without instrumentation. */
#include "coverage.h"
#include "x86.h"
#include "abi/gcov_stream.h"
#include "abi/ports.h"
#include <stddef.h>
#include <stdint.h>

#define DATA_BYTES_PER_LINE 48
/* __gcov_info_to_gcda asks for scratch memory for value profiles only;
 * -fprofile-arcs has none, this is a safety margin. */
#define SCRATCH_BYTES 4096

struct gcov_info;
void __gcov_info_to_gcda(const struct gcov_info *info,
			 void (*filename_fn)(const char *, void *),
			 void (*dump_fn)(const void *, unsigned, void *),
			 void *(*allocate_fn)(unsigned, void *), void *arg);

/* From the linker script (reference/boot/hv.ld). */
extern const struct gcov_info *const __gcov_info_start[];
extern const struct gcov_info *const __gcov_info_end[];

struct stream {
	uint32_t bytes;
	uint32_t hash;
	unsigned line_used; /* data bytes on the open data line */
};

static void put(char c)
{
	outb(BOCHS_DEBUG_PORT, (uint8_t)c); /* port_e9_hack: to the emulator's stdout */
}

static void put_str(const char *s)
{
	while (*s)
		put(*s++);
}

static void put_hex(uint32_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	for (int i = digits - 1; i >= 0; i--)
		put(hex[(v >> (4 * i)) & 15]);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put(buf[--n]);
}

static void end_data_line(struct stream *s)
{
	if (s->line_used) {
		put('\n');
		s->line_used = 0;
	}
}

static void on_filename(const char *name, void *arg)
{
	struct stream *s = arg;
	s->bytes = 0;
	s->hash = FNV32_OFFSET;
	s->line_used = 0;
	put_str(GCOV_STREAM_PREFIX GCOV_STREAM_FILE);
	put_str(name);
	put('\n');
}

static void on_data(const void *data, unsigned length, void *arg)
{
	struct stream *s = arg;
	const uint8_t *p = data;
	for (unsigned i = 0; i < length; i++) {
		if (s->line_used == 0)
			put_str(GCOV_STREAM_PREFIX GCOV_STREAM_DATA);
		put_hex(p[i], 2);
		s->hash = fnv1a32_step(s->hash, p[i]);
		s->bytes++;
		if (++s->line_used == DATA_BYTES_PER_LINE)
			end_data_line(s);
	}
}

static void *on_allocate(unsigned length, void *arg)
{
	(void)arg;
	static uint8_t scratch[SCRATCH_BYTES];
	static unsigned used;
	if (length > SCRATCH_BYTES - used)
		return NULL;
	void *p = scratch + used;
	used += (length + 15) & ~15u;
	return p;
}

void coverage_dump(void)
{
	struct stream s = { 0, FNV32_OFFSET, 0 };
	uint32_t files = 0;
	for (const struct gcov_info *const *i = __gcov_info_start; i < __gcov_info_end; i++) {
		__gcov_info_to_gcda(*i, on_filename, on_data, on_allocate, &s);
		end_data_line(&s);
		put_str(GCOV_STREAM_PREFIX GCOV_STREAM_END);
		put_dec(s.bytes);
		put(' ');
		put_hex(s.hash, 8);
		put('\n');
		files++;
	}
	put_str(GCOV_STREAM_PREFIX GCOV_STREAM_DONE);
	put_dec(files);
	put('\n');
}

/* What libgcov's object links against; none is reached on this path. */
void abort(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)
{
	(void)addr; (void)length; (void)prot; (void)flags; (void)fd; (void)offset;
	return (void *)-1; /* MAP_FAILED */
}

void __gcov_merge_add(void *counters, unsigned n)
{
	(void)counters;
	(void)n;
}
