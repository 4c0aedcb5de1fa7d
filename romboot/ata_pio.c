/* Polled PIO reads from the ATA primary master (ATA/ATAPI-6, T13/1410D:
 * 7.2 Command Block registers, 8.27 READ SECTORS, 9.5 PIO data-in
 * protocol), LBA28 addressing, interrupts off (nIEN): the firmware's way to
 * modules larger than the ROM. Nothing is left pending for the hypervisor:
 * every command ends with the status read that clears INTRQ, and the
 * Device Control register gets its reset value back. */
#include "ata_pio.h"
#include "port_io.h"

/* Primary channel, legacy addresses (ATA/ATAPI-6 7.2; the PC's 0x1F0/0x3F6). */
#define ATA_DATA           0x1F0u
#define ATA_SECTOR_COUNT   0x1F2u
#define ATA_LBA_LOW        0x1F3u
#define ATA_LBA_MID        0x1F4u
#define ATA_LBA_HIGH       0x1F5u
#define ATA_DEVICE         0x1F6u
#define ATA_STATUS         0x1F7u   /* read */
#define ATA_COMMAND        0x1F7u   /* write */
#define ATA_DEVICE_CONTROL 0x3F6u   /* write */

/* Device register (7.2.7): LBA (bit 6), DEV = 0 (master); bits 7 and 5
 * are obsolete and written as 1, as hosts have always done. LBA bits
 * 27:24 go to bits 3:0. */
#define ATA_DEVICE_LBA_MASTER 0xE0u
/* Device Control register (7.2.6): nIEN (bit 1) masks INTRQ. */
#define ATA_CONTROL_NIEN   0x02u
/* Status register (7.2.13). */
#define ATA_STATUS_BSY     0x80u
#define ATA_STATUS_DF      0x20u
#define ATA_STATUS_DRQ     0x08u
#define ATA_STATUS_ERR     0x01u
#define ATA_CMD_READ_SECTORS 0x20u  /* 8.27 */
#define ATA_SECTOR_WORDS   256u
#define ATA_MAX_PER_COMMAND 256u    /* a Sector Count of 0 means 256 */
#define ATA_LBA28_LIMIT    (1u << 28)
/* Polls before giving up on BSY: a present drive answers within a few
 * thousand emulated instructions (Bochs' seek delay); an absent one reads
 * 0xFF or 0 for ever. */
#define ATA_POLL_LIMIT     10000000u

static void insw(uint16_t port, void *dst, uint32_t words)
{
	__asm__ volatile("rep insw" : "+D"(dst), "+c"(words) : "d"(port) : "memory");
}

/* Waits until BSY clears; returns the status, or 0xFF on time-out (an
 * absent drive: the bus floats high). */
static uint8_t wait_not_busy(void)
{
	for (uint32_t i = 0; i < ATA_POLL_LIMIT; i++) {
		uint8_t s = inb(ATA_STATUS);
		if (s == 0xFF)
			return s;
		if (!(s & ATA_STATUS_BSY))
			return s;
	}
	return 0xFF;
}

static const char *read_command(uint32_t lba, uint32_t n, uint8_t *dst)
{
	if (wait_not_busy() == 0xFF)
		return "no drive answers on the ATA primary master";
	outb(ATA_DEVICE, (uint8_t)(ATA_DEVICE_LBA_MASTER | ((lba >> 24) & 0x0F)));
	outb(ATA_SECTOR_COUNT, (uint8_t)(n == ATA_MAX_PER_COMMAND ? 0 : n));
	outb(ATA_LBA_LOW, (uint8_t)lba);
	outb(ATA_LBA_MID, (uint8_t)(lba >> 8));
	outb(ATA_LBA_HIGH, (uint8_t)(lba >> 16));
	outb(ATA_COMMAND, ATA_CMD_READ_SECTORS);
	/* 9.5: per sector, wait for BSY = 0 with DRQ = 1, then read the data;
	 * the status read also clears a pending interrupt. */
	for (uint32_t i = 0; i < n; i++) {
		uint8_t s = wait_not_busy();
		if (s == 0xFF)
			return "the ATA drive stayed busy during READ SECTORS";
		if (s & (ATA_STATUS_ERR | ATA_STATUS_DF))
			return "the ATA drive reported an error on READ SECTORS";
		if (!(s & ATA_STATUS_DRQ))
			return "the ATA drive has no data for READ SECTORS (DRQ clear: no disk attached?)";
		insw(ATA_DATA, dst + i * (ATA_SECTOR_WORDS * 2), ATA_SECTOR_WORDS);
	}
	(void)inb(ATA_STATUS);
	return 0;
}

const char *ata_pio_read(uint32_t lba, uint32_t count, void *dst)
{
	if (lba >= ATA_LBA28_LIMIT || count > ATA_LBA28_LIMIT - lba)
		return "firmware disk read beyond LBA28";
	outb(ATA_DEVICE_CONTROL, ATA_CONTROL_NIEN);
	const char *err = 0;
	uint8_t *p = dst;
	while (count && !err) {
		uint32_t n = count < ATA_MAX_PER_COMMAND ? count : ATA_MAX_PER_COMMAND;
		err = read_command(lba, n, p);
		lba += n;
		count -= n;
		p += n * ATA_SECTOR_WORDS * 2;
	}
	outb(ATA_DEVICE_CONTROL, 0);  /* the register's reset value: INTRQ enabled */
	return err;
}
