/* pio_other: the rest of the port map (contract 6). An unknown port reads
 * all-ones at each width and ignores writes, in DX and imm8 forms; IN of
 * 8 or 16 bits leaves the rest of RAX alone and IN of 32 bits zeroes bits
 * 63:32 (vol. 1 section 3.4.1.1), so the hypervisor must not write the
 * whole of RAX; COM1's other registers read 0 and its line status 0x60;
 * OUT of 16 or 32 bits to COM1 sends the low byte; the empty queue reads
 * all-ones at each width; port 3 logs every access, each width and
 * direction, and reads all-ones. */
#include "runtime.h"

#define UNKNOWN_PORT_DX 0x1234
#define UNKNOWN_PORT_IMM8 0x42
#define LOG_PORT 3
#define RAX_PATTERN 0x1122334455667788ull

static const uint16_t com1_zero_ports[] = { 0x3f9, 0x3fa, 0x3fb, 0x3fc,
					    0x3fe, 0x3ff };

/* Narrow INs from an unknown port with RAX preloaded: all-ones of the
 * width lands in AL/AX and nothing above it (vol. 1 3.4.1.1). */
static void unknown_narrow(void)
{
	uint64_t d8 = RAX_PATTERN, d16 = RAX_PATTERN, i8 = RAX_PATTERN, i16 = RAX_PATTERN;
	__asm__ volatile("inb %%dx, %%al" : "+a"(d8) : "d"(UNKNOWN_PORT_DX));
	__asm__ volatile("inw %%dx, %%ax" : "+a"(d16) : "d"(UNKNOWN_PORT_DX));
	__asm__ volatile("inb %1, %%al" : "+a"(i8) : "N"(UNKNOWN_PORT_IMM8));
	__asm__ volatile("inw %1, %%ax" : "+a"(i16) : "N"(UNKNOWN_PORT_IMM8));
	printf("pio_other: unknown form=dx rax_in8=0x%llx rax_in16=0x%llx\n",
	       (unsigned long long)d8, (unsigned long long)d16);
	printf("pio_other: unknown form=imm8 rax_in8=0x%llx rax_in16=0x%llx\n",
	       (unsigned long long)i8, (unsigned long long)i16);
}

static void unknown_ports(void)
{
	outb_dx(UNKNOWN_PORT_DX, 0x00);
	outw_dx(UNKNOWN_PORT_DX, 0x0000);
	outl_dx(UNKNOWN_PORT_DX, 0x00000000);
	printf("pio_other: unknown form=dx port=0x%x in8=0x%x in16=0x%x "
	       "in32=0x%x\n",
	       UNKNOWN_PORT_DX, inb_dx(UNKNOWN_PORT_DX), inw_dx(UNKNOWN_PORT_DX),
	       inl_dx(UNKNOWN_PORT_DX));
	outb_imm8(UNKNOWN_PORT_IMM8, 0x00);
	outw_imm8(UNKNOWN_PORT_IMM8, 0x0000);
	outl_imm8(UNKNOWN_PORT_IMM8, 0x00000000);
	uint32_t b = inb_imm8(UNKNOWN_PORT_IMM8);
	uint32_t w = inw_imm8(UNKNOWN_PORT_IMM8);
	uint32_t l = inl_imm8(UNKNOWN_PORT_IMM8);
	printf("pio_other: unknown form=imm8 port=0x%x in8=0x%x in16=0x%x "
	       "in32=0x%x\n",
	       UNKNOWN_PORT_IMM8, b, w, l);
}

/* IN with RAX preloaded: only the destination width may change. */
static void partial_registers(void)
{
	uint64_t r8 = RAX_PATTERN, r16 = RAX_PATTERN, r32 = RAX_PATTERN;
	__asm__ volatile("inb %%dx, %%al" : "+a"(r8) : "d"(UNKNOWN_PORT_DX));
	__asm__ volatile("inw %%dx, %%ax" : "+a"(r16) : "d"(UNKNOWN_PORT_DX));
	__asm__ volatile("inl %%dx, %%eax" : "+a"(r32) : "d"(UNKNOWN_PORT_DX));
	printf("pio_other: rax_after in8=0x%llx in16=0x%llx in32=0x%llx\n",
	       (unsigned long long)r8, (unsigned long long)r16,
	       (unsigned long long)r32);

	uint64_t q = RAX_PATTERN;
	outb_dx(PORT_QUEUE, 0x5a);
	__asm__ volatile("inb %%dx, %%al" : "+a"(q) : "d"(PORT_QUEUE));
	printf("pio_other: rax_after queue_in8=0x%llx\n", (unsigned long long)q);
}

static void com1(void)
{
	printf("pio_other: com1 lsr=0x%x\n", inb_dx(PORT_COM1_LSR));
	for (size_t i = 0; i < sizeof(com1_zero_ports) / sizeof(com1_zero_ports[0]);
	     i++) {
		uint16_t port = com1_zero_ports[i];
		outb_dx(port, 0xa5); /* ignored */
		printf("pio_other: com1 port=0x%x in8=0x%x\n", port,
		       inb_dx(port));
	}
	/* "pio_other: wide=OK\n", some bytes sent with 16/32-bit OUTs
	 * whose upper bytes must not reach the console. */
	print_str("pio_other: wide=");
	outw_dx(PORT_COM1_THR, 0x5800 | 'O');
	outl_dx(PORT_COM1_THR, 0x58585800u | 'K');
	outl_dx(PORT_COM1_THR, 0x58585800u | '\n');
}

static void empty_queue(void)
{
	uint32_t b = inb_dx(PORT_QUEUE);
	uint32_t w = inw_dx(PORT_QUEUE);
	uint32_t l = inl_dx(PORT_QUEUE);
	printf("pio_other: empty_queue in8=0x%x in16=0x%x in32=0x%x\n", b, w, l);
}

static void log_port(void)
{
	print_str("pio_other: port3 begin\n");
	uint32_t b = inb_imm8(LOG_PORT);
	uint32_t w = inw_imm8(LOG_PORT);
	uint32_t l = inl_imm8(LOG_PORT);
	outb_imm8(LOG_PORT, 0x01);
	outw_imm8(LOG_PORT, 0x0203);
	outl_imm8(LOG_PORT, 0x04050607);
	printf("pio_other: port3 form=imm8 in8=0x%x in16=0x%x in32=0x%x\n", b,
	       w, l);
	b = inb_dx(LOG_PORT);
	w = inw_dx(LOG_PORT);
	l = inl_dx(LOG_PORT);
	outb_dx(LOG_PORT, 0x01);
	outw_dx(LOG_PORT, 0x0203);
	outl_dx(LOG_PORT, 0x04050607);
	printf("pio_other: port3 form=dx in8=0x%x in16=0x%x in32=0x%x\n", b, w,
	       l);
}

void probe_main(void)
{
	unknown_ports();
	unknown_narrow();
	partial_registers();
	com1();
	empty_queue();
	log_port();
}
