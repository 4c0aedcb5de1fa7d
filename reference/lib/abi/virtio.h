/* The virtio facts of the hvspec virtio block device (contract section 14,
 * "Virtio block device"): the virtio-mmio register layout, device status,
 * feature bits, split-virtqueue layout and block requests. Section numbers
 * are those of the OASIS "Virtual I/O Device (VIRTIO) Version 1.2" spec.
 * The one definition the hypervisor and the probes share. */
#ifndef HVSPEC_ABI_VIRTIO_H
#define HVSPEC_ABI_VIRTIO_H

/* Where the device window lies (contract 9, {#map.virtio-blk}). */
#define VIRTIO_BLK_MMIO_BASE 0xcafe4000ull

/* virtio-mmio registers, 32-bit, byte offsets in the window (4.2.2). */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100          /* device-specific configuration (4.2.2) */

#define VIRTIO_MMIO_MAGIC 0x74726976u     /* "virt" little endian (4.2.2) */
#define VIRTIO_MMIO_VERSION_MODERN 2u     /* non-legacy virtio-mmio (4.2.2) */
#define VIRTIO_ID_NONE 0u                 /* a window without a device (4.2.3.1.1) */
#define VIRTIO_ID_BLOCK 2u                /* device ID of a block device (5) */
#define VIRTIO_VENDOR_HVSPEC 0x70737668u  /* "hvsp": any value is allowed (4.2.2) */

/* InterruptStatus / InterruptACK bits (4.2.2). */
#define VIRTIO_MMIO_INT_VRING 0x1u        /* used buffer notification */
#define VIRTIO_MMIO_INT_CONFIG 0x2u       /* configuration change notification */

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED 128u

/* Feature bit numbers (2.2; 6 reserved bits; 5.2.3 block bits). */
#define VIRTIO_F_VERSION_1 32u
#define VIRTIO_BLK_F_FLUSH 9u

/* Split virtqueue layout (2.7). Alignments from the table in 2.7. */
#define VIRTQ_DESC_SIZE 16u               /* struct virtq_desc (2.7.5) */
#define VIRTQ_DESC_ALIGN 16u
#define VIRTQ_AVAIL_ALIGN 2u
#define VIRTQ_USED_ALIGN 4u
#define VIRTQ_DESC_F_NEXT 1u              /* 2.7.5 */
#define VIRTQ_DESC_F_WRITE 2u             /* device-writable (2.7.5) */
#define VIRTQ_DESC_F_INDIRECT 4u          /* 2.7.5.3; not offered by hvspec */
#define VIRTQ_AVAIL_RING_OFFSET 4u        /* flags, idx, ring[] (2.7.6) */
#define VIRTQ_AVAIL_ENTRY_SIZE 2u
#define VIRTQ_USED_RING_OFFSET 4u         /* flags, idx, ring[] (2.7.8) */
#define VIRTQ_USED_ENTRY_SIZE 8u          /* struct virtq_used_elem: le32 id, le32 len */
#define VIRTQ_RING_TAIL 2u                /* used_event / avail_event after ring[] */
#define VIRTQ_SIZE_MAX 32768u             /* 2.7: Queue Size at most 32768, a power of 2 */

/* Block requests (5.2.6): le32 type, le32 reserved, le64 sector, data, u8 status. */
#define VIRTIO_BLK_REQ_HEADER_SIZE 16u
#define VIRTIO_BLK_SECTOR_SIZE 512u       /* capacity and sector are in 512-byte units (5.2.4) */
#define VIRTIO_BLK_CONFIG_CAPACITY 0x00u  /* le64 in the configuration space (5.2.4) */
#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_T_GET_ID 8u
#define VIRTIO_BLK_ID_BYTES 20u           /* GET_ID's device ID string (5.2.6) */
#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u
#define VIRTIO_BLK_S_UNSUPP 2u

/* hvspec's choices (contract 14): one queue of at most 16 entries, and the
 * GET_ID string (NUL-padded to VIRTIO_BLK_ID_BYTES). */
#define HVSPEC_VIRTIO_QUEUE_NUM_MAX 16u
#define HVSPEC_VIRTIO_BLK_ID "hvspec-virtio-blk"

#endif
