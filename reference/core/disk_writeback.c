/* Sends the write-back stream of abi/disk.h: begin, one line per dirty
 * sector in increasing order, end with the count and the stream check. */
#include "disk_writeback.h"
#include "abi/disk.h"
#include "disk.h"
#include "format.h"
#include "uart.h"

static void send(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uart_putc_at(DISK_WB_PORT, s[i]);
}

static void send_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void send_line(const char *fmt, ...)
{
	char line[96];
	va_list ap;
	va_start(ap, fmt);
	size_t n = vformat(line, sizeof line, fmt, ap);
	va_end(ap);
	send(line, n);
}

static void send_sector(uint64_t lba, uint32_t *stream_hash)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t record[8 + DISK_SECTOR_BYTES];
	for (unsigned i = 0; i < 8; i++)
		record[i] = (uint8_t)(lba >> (8 * i));
	const uint8_t *bytes = disk_sector(lba);
	for (unsigned i = 0; i < DISK_SECTOR_BYTES; i++)
		record[8 + i] = bytes[i];
	*stream_hash = disk_fnv1a32(*stream_hash, record, sizeof record);
	send_line(DISK_WB_PREFIX DISK_WB_SECTOR "%lu ", lba);
	char hex[2 * DISK_SECTOR_BYTES];
	for (unsigned i = 0; i < DISK_SECTOR_BYTES; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	send(hex, sizeof hex);
	send_line(" %08x\n", disk_fnv1a32(DISK_FNV32_OFFSET, record, sizeof record));
}

void disk_writeback_send(void)
{
	if (!disk_present())
		return;
	uart_init_at(DISK_WB_PORT);
	uint64_t sectors = disk_sector_count(), records = 0;
	uint32_t stream_hash = DISK_FNV32_OFFSET;
	send_line(DISK_WB_PREFIX DISK_WB_BEGIN "%lu\n", sectors);
	for (uint64_t lba = disk_next_dirty(0); lba < sectors; lba = disk_next_dirty(lba + 1)) {
		send_sector(lba, &stream_hash);
		records++;
	}
	send_line(DISK_WB_PREFIX DISK_WB_END "%lu %08x\n", records, stream_hash);
	uart_drain_at(DISK_WB_PORT);
}
