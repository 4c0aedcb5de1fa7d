/* printf over the Print hypercall. One static buffer: probes are single
 * threaded and exception handlers only print on their way to HaltCpu. */
#include "console.h"
#include "format.h"
#include "hv_string.h"
#include "hypercall.h"
#include <stdarg.h>

static char line[CONSOLE_LINE_MAX];

long printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	return hv_print(line, n);
}

long print_str(const char *s)
{
	return hv_print(s, strlen(s));
}

void hv_halt(hc_word code)
{
	hc_result r = hypercall3(HC_HALT_CPU, code, 0, 0);
	/* A conforming hypervisor never gets here. */
	printf("runtime: HaltCpu returned rax=0x%lx\n", (unsigned long)r);
	for (;;)
		__asm__ volatile("cli; hlt");
}
