/* The register test device (contract section 9): known reset values for
 * checking every access width and offset, a scratch register, counters. */
#include "devices.h"
#include "mmio_reg.h"

#define TESTDEV_REG_ID          0x00   /* read-only */
#define TESTDEV_REG_SCRATCH     0x08   /* read/write, reset 0 */
#define TESTDEV_REG_READS       0x10   /* read-only: reads completed before this one */
#define TESTDEV_REG_WRITES      0x18   /* read-only: writes completed */
#define TESTDEV_ID_VALUE        0x1122334455667788ull   /* distinct bytes reveal width/offset errors */

static struct {
	uint64_t scratch, reads, writes;
} testdev;

static uint64_t testdev_read(struct vm *vm, uint64_t off, unsigned width)
{
	(void)vm;
	uint64_t reg = 0;
	switch (off & ~7ull) {
	case TESTDEV_REG_ID: reg = TESTDEV_ID_VALUE; break;
	case TESTDEV_REG_SCRATCH: reg = testdev.scratch; break;
	case TESTDEV_REG_READS: reg = testdev.reads; break;
	case TESTDEV_REG_WRITES: reg = testdev.writes; break;
	}
	testdev.reads++;
	return mmio_reg_read(reg, off, width);
}

static void testdev_write(struct vm *vm, uint64_t off, unsigned width, uint64_t value)
{
	(void)vm;
	testdev.writes++;
	if ((off & ~7ull) != TESTDEV_REG_SCRATCH)
		return;
	mmio_reg_write(&testdev.scratch, off, width, value);
}

const struct mmio_device testdev_device = {
	"testdev", TESTDEV_BASE, DEVICE_WINDOW_SIZE, testdev_read, testdev_write,
};
