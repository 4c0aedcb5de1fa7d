/* The firmware disk reader: polled PIO reads from the ATA primary
 * channel's master device (romboot/ata_pio.c). */
#ifndef ROMBOOT_ATA_PIO_H
#define ROMBOOT_ATA_PIO_H
#include <stdint.h>

/* Reads count sectors of 512 bytes from sector lba on into dst. Returns
 * NULL, or what went wrong (a fixed string). */
const char *ata_pio_read(uint32_t lba, uint32_t count, void *dst);

#endif
