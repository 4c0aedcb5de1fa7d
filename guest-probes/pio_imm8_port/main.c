/* pio_imm8_port: the FIFO queue at port 0xBB through the imm8 forms of IN
 * and OUT (`in al, 0xbb` ... `out 0xbb, eax`), the same sequence as
 * pio_dx_port (contract 6; KeV pio_imm8_port). Sequence:
 * shared/queue_sequence.h. */
#include "runtime.h"

#define QUEUE_FORM "imm8"
#define QUEUE_IN8() inb_imm8(PORT_QUEUE)
#define QUEUE_IN16() inw_imm8(PORT_QUEUE)
#define QUEUE_IN32() inl_imm8(PORT_QUEUE)
#define QUEUE_OUT8(v) outb_imm8(PORT_QUEUE, (v))
#define QUEUE_OUT16(v) outw_imm8(PORT_QUEUE, (v))
#define QUEUE_OUT32(v) outl_imm8(PORT_QUEUE, (v))
#include "../shared/queue_sequence.h"

void probe_main(void)
{
	queue_sequence();
}
