/* hc_print: the Print hypercall on ordinary buffers (contract 3 and 5).
 * Prints KeV's "Hello guest os!\n", reports RAX (the byte count), sends a
 * line containing a tab and bytes >= 0x80 (console output is verbatim),
 * a line of control bytes (NUL, SOH, ESC, DEL, 0xff: Print is not a C
 * string function), one Print of exactly HC_PRINT_MAX bytes (64 lines of 64 bytes), a line
 * assembled from several Prints, and finally a line left open (no newline)
 * right before HaltCpu, so the hypervisor must start its own report lines
 * on a fresh line. */
#include "runtime.h"

#define MAX_LINE_BYTES 64u
#define MAX_LINES (HC_PRINT_MAX / MAX_LINE_BYTES)

static const char hello[] = "Hello guest os!\n";
static const char verbatim[] = "hc_print: verbatim tab=[\t] high=[\xc3\xa9]\n";
static const char control[] = "hc_print: control nul=[\0] soh=[\x01] esc=[\x1b] del=[\x7f] "
			      "ff=[\xff] end\n";
static char max_buffer[HC_PRINT_MAX];

/* Fills max_buffer with lines "hc_print: max line=NN " padded with '.'
 * to 63 bytes plus '\n'. */
static void fill_max_buffer(void)
{
	for (unsigned i = 0; i < MAX_LINES; i++) {
		char *line = max_buffer + i * MAX_LINE_BYTES;
		size_t n = format(line, MAX_LINE_BYTES, "hc_print: max line=%02u ",
				  i);
		memset(line + n, '.', MAX_LINE_BYTES - 1 - n);
		line[MAX_LINE_BYTES - 1] = '\n';
	}
}

void probe_main(void)
{
	hc_result r = hv_print(hello, sizeof(hello) - 1);
	printf("hc_print: hello rax=%ld\n", r);

	r = hv_print(verbatim, sizeof(verbatim) - 1);
	printf("hc_print: verbatim rax=%ld\n", r);

	r = hv_print(control, sizeof(control) - 1);
	printf("hc_print: control rax=%ld\n", r);

	fill_max_buffer();
	r = hv_print(max_buffer, sizeof(max_buffer));
	printf("hc_print: max rax=%ld\n", r);

	long a = print_str("hc_print: pieces ");
	long b = print_str("one ");
	long c = print_str("two\n");
	printf("hc_print: pieces rax=%ld,%ld,%ld\n", a, b, c);

	print_str("hc_print: open line");
}
