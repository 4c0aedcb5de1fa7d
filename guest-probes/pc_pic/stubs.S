/* The interrupt gates' entry stubs for vectors 32-255: the same 16-byte
 * slots as irq_timer's (one copy, included, not duplicated). */
#include "../irq_timer/stubs.S"
