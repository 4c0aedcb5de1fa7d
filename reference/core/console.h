/* The COM1 console shared by the hypervisor's own lines and guest output. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H
#include <stddef.h>

void console_init(void);
/* Guest bytes, verbatim. */
void console_guest_write(const char *buf, size_t len);
/* One hypervisor line: "[hv] " + text + "\n", on a line of its own. */
void hv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Waits until the UART has sent everything (before power-off). */
void console_drain(void);

#endif
