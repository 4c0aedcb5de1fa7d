#include "devices.h"
#include "abi/virtio.h"

const struct gpa_range device_windows[] = {
	{ DOORBELL_BASE, DEVICE_WINDOW_SIZE },
	{ TESTDEV_BASE, DEVICE_WINDOW_SIZE },
	{ GUEST_ROM_BASE, DEVICE_WINDOW_SIZE },
	{ NOEXEC_PAGE_BASE, DEVICE_WINDOW_SIZE },
	{ VIRTIO_BLK_MMIO_BASE, DEVICE_WINDOW_SIZE },
};
const unsigned device_window_count = sizeof device_windows / sizeof device_windows[0];

static const struct mmio_device *const mmio_devices[] = { &doorbell_device, &testdev_device, &virtio_blk_device };

const struct mmio_device *mmio_device_at(uint64_t gpa)
{
	for (unsigned i = 0; i < sizeof mmio_devices / sizeof mmio_devices[0]; i++) {
		const struct mmio_device *d = mmio_devices[i];
		if (gpa >= d->base && gpa - d->base < d->size)
			return d;
	}
	return 0;
}
