/* pio_dx_port: the FIFO queue at port 0xBB through the DX forms of IN and
 * OUT (`in al, dx` ... `out dx, eax`): same-width round trips, FIFO order,
 * mixed widths (little endian), reads from an empty or short queue (0xFF
 * per missing byte) and the 4096-byte capacity (contract 6; KeV
 * pio_dx_port). Sequence: shared/queue_sequence.h. */
#include "runtime.h"

#define QUEUE_FORM "dx"
#define QUEUE_IN8() inb_dx(PORT_QUEUE)
#define QUEUE_IN16() inw_dx(PORT_QUEUE)
#define QUEUE_IN32() inl_dx(PORT_QUEUE)
#define QUEUE_OUT8(v) outb_dx(PORT_QUEUE, (v))
#define QUEUE_OUT16(v) outw_dx(PORT_QUEUE, (v))
#define QUEUE_OUT32(v) outl_dx(PORT_QUEUE, (v))
#include "../shared/queue_sequence.h"

void probe_main(void)
{
	queue_sequence();
}
