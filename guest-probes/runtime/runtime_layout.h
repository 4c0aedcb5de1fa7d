/* The runtime's own GDT layout, shared by the entry code and C. The GDT
 * itself is built in entry64.S / entry32.S from the descriptors in x86.h. */
#ifndef GP_RUNTIME_LAYOUT_H
#define GP_RUNTIME_LAYOUT_H

/* Selectors are byte offsets into the GDT (3.4.2): entry 0 is the null
 * descriptor. The 64-bit runtime's GDT holds code64, data, code32; the
 * 32-bit runtime's holds code32, data. */
#ifdef __x86_64__
#define RUNTIME_CODE_SELECTOR 0x08
#define RUNTIME_DATA_SELECTOR 0x10
#define RUNTIME_CODE32_SELECTOR 0x18
#define RUNTIME_GDT_ENTRIES 4
#else
#define RUNTIME_CODE_SELECTOR 0x08
#define RUNTIME_DATA_SELECTOR 0x10
#define RUNTIME_GDT_ENTRIES 3
#endif

/* Size of the boot stack every probe runs on. */
#define RUNTIME_STACK_SIZE 0x4000

/* HaltCpu code for a probe that cannot continue because its own setup
 * failed (the test is broken, not the hypervisor). */
#define HALT_PROBE_ERROR 0xe100

#endif
