/* Port I/O helpers (vol. 2: IN, OUT, INS, OUTS): every width, the DX form
 * and the imm8 form (a macro, since the port must be a compile-time
 * constant for the "N" constraint), and string forms with or without REP
 * in either direction. */
#ifndef GP_PIO_H
#define GP_PIO_H
#include "abi/ports.h" /* the ports the contract gives a behavior */
#include "port_io.h"   /* inb() ... outl(): the compiler picks the form */
#include <stdbool.h>
#include <stdint.h>

/* The "Nd" constraints of port_io.h let GCC choose either form; these force one. */
static inline uint8_t inb_dx(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %%dx, %0" : "=a"(v) : "d"(port));
	return v;
}

static inline uint16_t inw_dx(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %%dx, %0" : "=a"(v) : "d"(port));
	return v;
}

static inline uint32_t inl_dx(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %%dx, %0" : "=a"(v) : "d"(port));
	return v;
}

static inline void outb_dx(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %%dx" : : "a"(v), "d"(port));
}

static inline void outw_dx(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %%dx" : : "a"(v), "d"(port));
}

static inline void outl_dx(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %%dx" : : "a"(v), "d"(port));
}

#define inb_imm8(port)                                                   \
	({                                                               \
		uint8_t v_;                                              \
		__asm__ volatile("inb %1, %0" : "=a"(v_) : "N"(port));   \
		v_;                                                      \
	})
#define inw_imm8(port)                                                   \
	({                                                               \
		uint16_t v_;                                             \
		__asm__ volatile("inw %1, %0" : "=a"(v_) : "N"(port));   \
		v_;                                                      \
	})
#define inl_imm8(port)                                                   \
	({                                                               \
		uint32_t v_;                                             \
		__asm__ volatile("inl %1, %0" : "=a"(v_) : "N"(port));   \
		v_;                                                      \
	})
#define outb_imm8(port, v)                                                 \
	__asm__ volatile("outb %0, %1" : : "a"((uint8_t)(v)), "N"(port))
#define outw_imm8(port, v)                                                 \
	__asm__ volatile("outw %0, %1" : : "a"((uint16_t)(v)), "N"(port))
#define outl_imm8(port, v)                                                 \
	__asm__ volatile("outl %0, %1" : : "a"((uint32_t)(v)), "N"(port))

/* String I/O. The register state goes in and comes back out, so probes can
 * check how the hypervisor advanced RDI/RSI and RCX. width is 1, 2 or 4;
 * backward runs with DF=1. Any other width does nothing. */
struct string_io {
	unsigned long addr;  /* RDI for INS, RSI for OUTS */
	unsigned long count; /* RCX */
};

#define PIO_STRING_OP(insn, areg)                                           \
	__asm__ volatile("pushf\n\t"                                        \
			 "test %[back], %[back]\n\t"                        \
			 "jz 1f\n\t"                                        \
			 "std\n"                                            \
			 "1:\t" insn "\n\t"                                 \
			 "popf"                                             \
			 : "+" areg(s->addr), "+c"(s->count)                \
			 : "d"(port), [back] "r"((unsigned long)backward)   \
			 : "memory", "cc")

static inline void ins_string(unsigned width, uint16_t port, bool rep,
			      bool backward, struct string_io *s)
{
	switch (width * 2 + rep) {
	case 2: PIO_STRING_OP("insb", "D"); break;
	case 3: PIO_STRING_OP("rep insb", "D"); break;
	case 4: PIO_STRING_OP("insw", "D"); break;
	case 5: PIO_STRING_OP("rep insw", "D"); break;
	case 8: PIO_STRING_OP("insl", "D"); break;
	case 9: PIO_STRING_OP("rep insl", "D"); break;
	default: break;
	}
}

static inline void outs_string(unsigned width, uint16_t port, bool rep,
			       bool backward, struct string_io *s)
{
	switch (width * 2 + rep) {
	case 2: PIO_STRING_OP("outsb", "S"); break;
	case 3: PIO_STRING_OP("rep outsb", "S"); break;
	case 4: PIO_STRING_OP("outsw", "S"); break;
	case 5: PIO_STRING_OP("rep outsw", "S"); break;
	case 8: PIO_STRING_OP("outsl", "S"); break;
	case 9: PIO_STRING_OP("rep outsl", "S"); break;
	default: break;
	}
}

#endif
