#ifndef HV_POWER_H
#define HV_POWER_H
/* Turns the machine off on every engine we know; halts forever otherwise. */
__attribute__((noreturn)) void power_off(void);
#endif
