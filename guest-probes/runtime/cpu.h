/* Thin wrappers around single x86 instructions (control registers, flags,
 * CPUID, TLB). Valid in 32- and 64-bit code: register-sized values are
 * unsigned long. */
#ifndef GP_CPU_H
#define GP_CPU_H
#include "x86_insn.h" /* cpuid() */
#include <stdint.h>

static inline unsigned long read_cr0(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline unsigned long read_flags(void)
{
	unsigned long v;
	__asm__ volatile("pushf; pop %0" : "=r"(v));
	return v;
}

static inline void invlpg(unsigned long va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

struct __attribute__((packed)) descriptor_table_register {
	uint16_t limit;
	unsigned long base;
};

static inline void load_idt(const struct descriptor_table_register *r)
{
	__asm__ volatile("lidt %0" : : "m"(*r));
}

static inline void load_gdt(const struct descriptor_table_register *r)
{
	__asm__ volatile("lgdt %0" : : "m"(*r));
}

static inline void store_gdt(struct descriptor_table_register *r)
{
	__asm__ volatile("sgdt %0" : "=m"(*r));
}

/* A present, read/write, expand-up data segment descriptor, DPL 0, with a
 * byte-granular limit of at most 0xfffff (SDM vol. 3A 3.4.5, type 0x2). */
#define SEG_DATA_ACCESS_RW 0x92ull /* P, S, type read/write */
#define SEG_LIMIT_MAX 0xfffffu        /* the 20-bit limit field */
static inline uint64_t data_segment_descriptor(uint32_t base, uint32_t limit)
{
	return (uint64_t)(limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) |
	       (SEG_DATA_ACCESS_RW << 40) | ((uint64_t)((limit >> 16) & 0xfu) << 48) |
	       ((uint64_t)(base >> 24) << 56);
}

/* The same descriptor with the granularity flag set: the limit counts 4-KiB
 * units, so limit 0xfffff spans 4 GiB (SDM vol. 3A 3.4.5, flag G). */
#define SEG_FLAG_GRANULARITY (1ull << 55)
static inline uint64_t flat_data_segment_descriptor(uint32_t base)
{
	return data_segment_descriptor(base, SEG_LIMIT_MAX) | SEG_FLAG_GRANULARITY;
}

#endif
