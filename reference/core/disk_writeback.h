/* The disk's write-back (contract 14): at the end of the VM, every sector
 * the guest wrote goes to the host as the stream of abi/disk.h on COM2. */
#ifndef HV_DISK_WRITEBACK_H
#define HV_DISK_WRITEBACK_H

/* Sends the stream; nothing when there is no disk. */
void disk_writeback_send(void);

#endif
