/* pc_uart: COM1 as a 16550A with the hypervisor option platform=pc
 * (contract section 15, "16550A UART"), driven the way Linux's 8250 driver
 * probes and uses it: the registers' state after reset, the IER and scratch
 * tests, the divisor latch behind LCR.DLAB, FCR and IIR's FIFO bits, MCR
 * with loopback (MCR outputs on MSR's inputs, delta bits, transmitted
 * bytes received instead of sent), the 16-byte receive FIFO, FCR's receive
 * clear, the interrupt identification (received data, THRE raised by
 * enabling it and acknowledged by reading IIR, modem status, and their
 * priority), and THR output reaching the console. Received bytes print as
 * hex: the loopback bytes must never appear on the console as text.
 * With mode=irq it sets up the 8259A pair and checks that THRE reaches
 * the guest as IRQ 4 only while MCR.OUT2 is set (irq_stub.S handles it).
 * Every wait for the UART is bounded. */
#include "runtime.h"
#include "cmdline.h"

#define COM1 COM1_PORT   /* abi/ports.h */
#define RBR (COM1 + 0)
#define THR (COM1 + 0)
#define DLL (COM1 + 0)
#define IER (COM1 + 1)
#define DLM (COM1 + 1)
#define IIR (COM1 + 2)
#define FCR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)

/* PC16550D data sheet, section 8. */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RDA 0x01
#define IER_THRE 0x02
#define IER_ALL 0x0F
#define FIFO_BYTES 16

#define POLL_LIMIT 1000000u
/* The bytes sent in loopback: never expected on the console. */
static const uint8_t loop_bytes[] = { 'L', 'p', 'B', 'k', '!', '?' };

/* Waits (bounded) until LSR shows all of bits; returns whether it did. */
static bool wait_lsr(uint8_t bits)
{
	for (unsigned i = 0; i < POLL_LIMIT; i++)
		if ((inb(LSR) & bits) == bits)
			return true;
	return false;
}

static void send(uint8_t byte)
{
	wait_lsr(LSR_THRE);
	outb(THR, byte);
}

/* Empties the receiver: reads RBR while LSR.DR (at most 64 bytes). */
static void drain_rx(void)
{
	for (unsigned i = 0; i < 4 * FIFO_BYTES && (inb(LSR) & LSR_DR); i++)
		inb(RBR);
}

static void reset_state(void)
{
	uint8_t ier = inb(IER), iir = inb(IIR), lcr = inb(LCR), mcr = inb(MCR);
	uint8_t lsr = inb(LSR), msr = inb(MSR);
	printf("pc_uart: reset ier=0x%x iir=0x%x lcr=0x%x mcr=0x%x lsr=0x%x msr_deltas=0x%x\n",
	       ier, iir, lcr, mcr, lsr, msr & 0x0F);
}

/* autoconfig's existence test, then the upper IER bits. */
static void ier_and_scratch(void)
{
	outb(IER, 0);
	uint8_t zero = inb(IER);
	outb(IER, IER_ALL);
	uint8_t all = inb(IER);
	outb(IER, 0xFF);
	uint8_t ff = inb(IER);
	outb(IER, 0);
	printf("pc_uart: ier wrote=0x0,0xf,0xff got=0x%x,0x%x,0x%x\n", zero, all, ff);
	static const uint8_t pattern[] = { 0x55, 0xAA, 0x00, 0xFF, 0x3C };
	printf("pc_uart: scratch got=");
	for (size_t i = 0; i < sizeof(pattern); i++) {
		outb(SCR, pattern[i]);
		printf("%s0x%x", i ? "," : "", inb(SCR));
	}
	printf("\n");
}

static void divisor_latch(void)
{
	outb(LCR, LCR_8N1);
	outb(IER, IER_RDA);
	outb(LCR, LCR_DLAB | LCR_8N1);
	uint8_t lcr_dlab = inb(LCR);
	outb(DLL, 0x0C);
	outb(DLM, 0x01);
	uint8_t dll = inb(DLL), dlm = inb(DLM);
	outb(LCR, LCR_8N1);
	uint8_t ier = inb(IER), lcr = inb(LCR);
	outb(LCR, LCR_DLAB | LCR_8N1);
	uint8_t dll2 = inb(DLL), dlm2 = inb(DLM);
	outb(DLL, 0x01);   /* 115200 baud again */
	outb(DLM, 0x00);
	outb(LCR, LCR_8N1);
	outb(IER, 0);
	printf("pc_uart: dlab lcr=0x%x dll=0x%x dlm=0x%x then lcr=0x%x ier=0x%x then dll=0x%x dlm=0x%x\n",
	       lcr_dlab, dll, dlm, lcr, ier, dll2, dlm2);
}

/* FCR bit 0 decides IIR bits 7:6, whatever LCR holds (autoconfig reads
 * IIR with LCR = 0xBF and 0x80 looking for other chips' EFR). */
static void fifo_bits(void)
{
	outb(FCR, 0);
	uint8_t off = inb(IIR);
	outb(FCR, FCR_ENABLE);
	uint8_t on = inb(IIR);
	outb(LCR, 0xBF);
	uint8_t on_bf = inb(IIR);
	outb(LCR, LCR_8N1);
	printf("pc_uart: fifo iir_off=0x%x iir_on=0x%x iir_on_lcr_bf=0x%x\n", off, on, on_bf);
}

static void loopback_modem(void)
{
	outb(MCR, 0xFF);
	uint8_t mcr = inb(MCR);
	outb(MCR, MCR_LOOP | MCR_OUT2 | MCR_RTS);   /* the 8250 driver's test */
	uint8_t linux_test = inb(MSR) & 0xF0;
	static const uint8_t outputs[] = { MCR_DTR, MCR_RTS, MCR_OUT1, MCR_OUT2 };
	printf("pc_uart: mcr wrote=0xff got=0x%x loop_0x1a_msr_high=0x%x\n", mcr, linux_test);
	printf("pc_uart: loop inputs=");
	for (size_t i = 0; i < sizeof(outputs); i++) {
		outb(MCR, MCR_LOOP | outputs[i]);
		printf("%s0x%x", i ? "," : "", inb(MSR) & 0xF0);
	}
	printf("\n");
	/* Deltas: all four inputs up (RI rising sets no delta), then down.
	 * In between, inputs that stay 1 are no change: the same MCR written
	 * again sets no delta (RI 1 -> 1: no TERI either); lowering OUT1 alone
	 * sets TERI only, raising it again nothing. */
	const uint8_t all_up = MCR_LOOP | MCR_DTR | MCR_RTS | MCR_OUT1 | MCR_OUT2;
	outb(MCR, MCR_LOOP);
	inb(MSR);
	outb(MCR, all_up);
	uint8_t rise = inb(MSR), rise_again = inb(MSR);
	outb(MCR, all_up);
	uint8_t same = inb(MSR);
	outb(MCR, (uint8_t)(all_up & ~MCR_OUT1));
	uint8_t ri_fall = inb(MSR);
	outb(MCR, all_up);
	uint8_t ri_rise = inb(MSR);
	outb(MCR, MCR_LOOP);
	uint8_t fall = inb(MSR), fall_again = inb(MSR);
	printf("pc_uart: msr rise=0x%x again=0x%x same=0x%x ri_fall=0x%x ri_rise=0x%x fall=0x%x again=0x%x\n",
	       rise, rise_again, same, ri_fall, ri_rise, fall, fall_again);
}

static void loopback_data(void)
{
	outb(FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
	outb(MCR, MCR_LOOP);
	drain_rx();
	for (size_t i = 0; i < sizeof(loop_bytes); i++)
		send(loop_bytes[i]);
	wait_lsr(LSR_TEMT | LSR_DR);
	uint8_t lsr = inb(LSR);
	printf("pc_uart: loop_rx lsr=0x%x got=", lsr);
	for (unsigned i = 0; i < 4 * FIFO_BYTES && (inb(LSR) & LSR_DR); i++)
		printf("%s0x%x", i ? "," : "", inb(RBR));
	printf(" lsr_after=0x%x\n", inb(LSR));

	/* The receive FIFO holds 16 bytes, in order. */
	for (unsigned i = 0; i < FIFO_BYTES; i++)
		send((uint8_t)(0x30 + i));
	wait_lsr(LSR_TEMT);
	unsigned n = 0, in_order = 0;
	for (; n < 4 * FIFO_BYTES && (inb(LSR) & LSR_DR); n++)
		if (inb(RBR) == 0x30 + n)
			in_order++;
	printf("pc_uart: fifo16 received=%u in_order=%u\n", n, in_order);

	/* FCR bit 1 empties the receive FIFO. */
	for (unsigned i = 0; i < 3; i++)
		send((uint8_t)(0x40 + i));
	wait_lsr(LSR_TEMT | LSR_DR);
	uint8_t before = inb(LSR) & LSR_DR;
	outb(FCR, FCR_ENABLE | FCR_CLEAR_RX);
	uint8_t after = inb(LSR) & LSR_DR;
	printf("pc_uart: fcr_clear dr_before=%u dr_after=%u\n", before, after);
	drain_rx();
	outb(MCR, 0);
}

/* Interrupt identification, FIFOs on with the 1-byte trigger level. */
static void interrupts(void)
{
	outb(IER, 0);
	outb(FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
	outb(MCR, MCR_LOOP);
	drain_rx();
	inb(MSR);
	uint8_t idle = inb(IIR);

	/* Received data: reported while the byte waits, gone once read. */
	outb(IER, IER_RDA);
	send('r');
	wait_lsr(LSR_TEMT | LSR_DR);
	uint8_t rx = inb(IIR);
	inb(RBR);
	uint8_t rx_read = inb(IIR);
	outb(IER, 0);
	printf("pc_uart: iir idle=0x%x rx=0x%x after_rbr=0x%x\n", idle, rx, rx_read);

	/* THRE, as the 8250 driver's startup tests it (UART_BUG_THRE). */
	wait_lsr(LSR_THRE | LSR_TEMT);
	outb(IER, IER_THRE);
	uint8_t t1 = inb(IIR), t1_again = inb(IIR);
	outb(IER, 0);
	outb(IER, IER_THRE);
	uint8_t t2 = inb(IIR);
	send('t');             /* in loopback: THR empties again */
	wait_lsr(LSR_THRE | LSR_TEMT);
	uint8_t t3 = inb(IIR);
	outb(IER, 0);
	drain_rx();
	printf("pc_uart: thre enable=0x%x read_again=0x%x reenable=0x%x after_thr=0x%x\n",
	       t1, t1_again, t2, t3);

	/* Priority: received data, THRE, modem status all pending at once. */
	inb(MSR);
	outb(MCR, MCR_LOOP | MCR_DTR);   /* DSR changes: DDSR */
	send('p');
	wait_lsr(LSR_THRE | LSR_TEMT | LSR_DR);
	outb(IER, IER_ALL);
	uint8_t p1 = inb(IIR);
	inb(RBR);
	uint8_t p2 = inb(IIR);           /* THRE: acknowledged by this read */
	uint8_t p3 = inb(IIR);
	uint8_t msr = inb(MSR);
	uint8_t p4 = inb(IIR);
	outb(IER, 0);
	outb(MCR, 0);
	printf("pc_uart: priority iir=0x%x,0x%x,0x%x,0x%x msr=0x%x\n", p1, p2, p3, p4, msr);
}

static void console_output(void)
{
	static const char line[] = "pc_uart: thr reaches the console\n";
	outb(LCR, LCR_8N1);
	outb(FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
	outb(MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	for (size_t i = 0; i + 1 < sizeof(line); i++)
		send((uint8_t)line[i]);
	wait_lsr(LSR_TEMT);
	outb(MCR, 0);
}

/* mode=irq: IRQ 4 through the 8259A pair (contract 15, {#pc.uart.irq}).
 * The 8259As get the PC's usual setup (8259A data sheet, ICW1-ICW4):
 * master vectors 0x20-0x27, slave 0x28-0x2F on the master's input 2, only
 * IRQ 4 unmasked. */
#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD 0xA0
#define PIC_SLAVE_DATA 0xA1
#define PIC_ICW1 0x11            /* edge triggered, cascade, ICW4 follows */
#define PIC_ICW4_8086 0x01
#define PIC_MASTER_BASE 0x20
#define PIC_SLAVE_BASE 0x28
#define PIC_CASCADE_INPUT 0x04   /* master: the slave on input 2 */
#define PIC_SLAVE_ID 0x02
#define PIC_ONLY_IRQ4 0xEF
#define PIC_ALL_MASKED 0xFF
#define COM1_VECTOR (PIC_MASTER_BASE + 4)
#define IRQ_GATES (PIC_SLAVE_BASE + 8)
#define GATE_INTERRUPT64 0x8Eu   /* present, DPL 0, 64-bit interrupt gate (SDM 6.14.1) */
#define IRQ_WAIT_SPINS 200000u   /* with IF=1: ample for an exit and an injection */

struct gate64 {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

volatile unsigned com1_irq_count, other_irq_count;
volatile uint8_t com1_irq_iir;
extern const char com1_irq_entry[], other_irq_entry[];
static struct gate64 irq_idt[IRQ_GATES] __attribute__((aligned(16)));

static struct gate64 gate_to(const char *entry)
{
	uint64_t a = (uint64_t)entry;
	return (struct gate64){ (uint16_t)a, RUNTIME_CODE_SELECTOR, 0, GATE_INTERRUPT64,
				(uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
}

static void irq_setup(void)
{
	struct descriptor_table_register old;
	__asm__ volatile("sidt %0" : "=m"(old));
	memcpy(irq_idt, (const void *)old.base, EXCEPTION_VECTORS * sizeof irq_idt[0]);
	for (unsigned v = PIC_MASTER_BASE; v < IRQ_GATES; v++)
		irq_idt[v] = gate_to(v == COM1_VECTOR ? com1_irq_entry : other_irq_entry);
	struct descriptor_table_register r = { sizeof irq_idt - 1, (unsigned long)irq_idt };
	load_idt(&r);
	outb(PIC_MASTER_CMD, PIC_ICW1);
	outb(PIC_MASTER_DATA, PIC_MASTER_BASE);
	outb(PIC_MASTER_DATA, PIC_CASCADE_INPUT);
	outb(PIC_MASTER_DATA, PIC_ICW4_8086);
	outb(PIC_SLAVE_CMD, PIC_ICW1);
	outb(PIC_SLAVE_DATA, PIC_SLAVE_BASE);
	outb(PIC_SLAVE_DATA, PIC_SLAVE_ID);
	outb(PIC_SLAVE_DATA, PIC_ICW4_8086);
	outb(PIC_MASTER_DATA, PIC_ONLY_IRQ4);
	outb(PIC_SLAVE_DATA, PIC_ALL_MASKED);
}

/* Interrupts on for a while: a pending IRQ 4 is taken in that window. */
static void irq_window(void)
{
	__asm__ volatile("sti" ::: "memory");
	for (unsigned i = 0; i < IRQ_WAIT_SPINS; i++)
		__asm__ volatile("pause" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
}

static void irq_delivery(void)
{
	irq_setup();
	outb(LCR, LCR_8N1);
	outb(FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
	outb(IER, 0);
	wait_lsr(LSR_THRE | LSR_TEMT);

	/* THRE pending with OUT2 clear: the line stays low. */
	outb(MCR, MCR_DTR | MCR_RTS);
	outb(IER, IER_THRE);
	irq_window();
	unsigned gated = com1_irq_count;
	uint8_t iir_gated = inb(IIR);   /* acknowledges it */
	outb(IER, 0);

	/* OUT2 set, then THRE enabled: one interrupt, whose handler's IIR
	 * read acknowledges it. */
	outb(MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	outb(IER, IER_THRE);
	irq_window();
	unsigned enabled = com1_irq_count - gated;
	uint8_t handler_iir = com1_irq_iir;

	/* A THR write empties THR again: one more. */
	send('\n');
	wait_lsr(LSR_THRE | LSR_TEMT);
	irq_window();
	unsigned after_thr = com1_irq_count - gated - enabled;
	outb(IER, 0);
	outb(MCR, 0);
	printf("pc_uart: irq4 out2_clear=%u iir=0x%x out2_set=%u handler_iir=0x%x after_thr=%u other=%u\n",
	       gated, iir_gated, enabled, handler_iir, after_thr, other_irq_count);
}

void probe_main(void)
{
	const char *mode;
	size_t len;
	if (cmdline_find(boot_cmdline(), "mode", &mode, &len) && len == 3 && !memcmp(mode, "irq", 3)) {
		irq_delivery();
		printf("pc_uart: done\n");
		return;
	}
	reset_state();
	ier_and_scratch();
	divisor_latch();
	fifo_bits();
	loopback_modem();
	loopback_data();
	interrupts();
	console_output();
	printf("pc_uart: done\n");
}
