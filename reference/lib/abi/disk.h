/* Facts of the hvspec disk (spec/contract.md section 14) that the
 * hypervisor, the probes and the harness share: the "pattern" fill of the
 * images the harness builds (spec/loader.lua field 'disk') and the
 * write-back stream the hypervisor sends on COM2 at the end of the VM,
 * which the harness applies to a copy of the image. Pure. */
#ifndef HVSPEC_ABI_DISK_H
#define HVSPEC_ABI_DISK_H
#include <stdint.h>

#define DISK_SECTOR_BYTES 512u

/* Fill "pattern": byte k of sector s is byte k of s (little endian) for
 * k < 8, else (7 s + k) mod 256: every sector differs from every other and
 * says which it is. */
static inline uint8_t disk_pattern_byte(uint64_t sector, unsigned k)
{
	return k < 8 ? (uint8_t)(sector >> (8 * k)) : (uint8_t)(7 * sector + k);
}

/* The write-back stream: ASCII lines on COM2 (I/O port 0x2F8, a 16550
 * like COM1), sent when the VM ends (contract 14, {#disk.writeback.*}):
 *   hvspec-disk: begin <sector count, decimal>
 *   hvspec-disk: sector <lba, decimal> <1024 lowercase hex digits: the
 *                sector's 512 bytes> <check, 8 lowercase hex digits>
 *   hvspec-disk: end <number of sector lines, decimal> <stream check>
 * one line per sector the guest wrote, each once, in increasing lba order,
 * holding its bytes at the end of the VM. A record's check is FNV-1a 32
 * over the lba as 8 bytes little endian followed by the 512 bytes; the
 * stream check is FNV-1a 32 over the same bytes of every record in order
 * (one hash continued through the stream). Lines end with "\n". */
#define DISK_WB_PORT 0x2F8u   /* COM2's base (the PC's standard second UART) */
#define DISK_WB_PREFIX "hvspec-disk: "
#define DISK_WB_BEGIN "begin "
#define DISK_WB_SECTOR "sector "
#define DISK_WB_END "end "

/* FNV-1a, 32 bits (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
#define DISK_FNV32_OFFSET 0x811c9dc5u
#define DISK_FNV32_PRIME 0x01000193u

static inline uint32_t disk_fnv1a32(uint32_t hash, const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		hash = (hash ^ p[i]) * DISK_FNV32_PRIME;
	return hash;
}

#endif
