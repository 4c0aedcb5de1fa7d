/* pio_print: KeV's pio_print. `in al, 3` must make the hypervisor log
 * `[hv] port 3 direction InbAl` (and read all-ones), then a message written
 * byte by byte with `out dx, al` to COM1 (port 0x3F8) must reach the
 * console verbatim (contract 3 and 6). */
#include "runtime.h"

#define LOG_PORT 3

static const char message[] = "pio_print: Hello, port I/O!\n";

void probe_main(void)
{
	uint8_t v = inb_imm8(LOG_PORT);
	printf("pio_print: in al,3 got=0x%x\n", v);
	for (size_t i = 0; i + 1 < sizeof(message); i++)
		outb_dx(PORT_COM1_THR, (uint8_t)message[i]);
}
