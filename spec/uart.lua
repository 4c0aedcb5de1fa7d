-- COM1 as a 16550A UART with the hypervisor option platform=pc (contract
-- section 15, "16550A UART"). One probe, pc_uart, boots once for every
-- case and drives the UART the way Linux's 8250 driver detects and uses
-- it. Expected values come from the contract and the PC16550D data sheet
-- (section 8), never from a hypervisor's output. Keyboard input from the
-- host's serial line cannot be judged here (the engines' serial input is
-- a file nobody writes); received data is judged through loopback.
area { name = "uart", doc = "COM1 as a 16550A with platform=pc: reset state, IER, scratch, divisor latch, FIFO control and IIR, MCR loopback and modem status, receive FIFO, interrupt identification and THRE, console output (contract section 15)." }

local function uart_case(t)
  t.probe = "pc_uart"
  t.hv_cmdline = "platform=pc"
  t.source = t.source or "contract 15; PC16550D data sheet section 8; Linux drivers/tty/serial/8250/8250_port.c"
  t.expect.report = "halted code=0x0"
  case(t)
end

uart_case {
  id = "uart.reset_state",
  judges = { "pc.uart.reset" },
  behavior = "Before the guest touches it, COM1 reads IER 0, IIR 0x01 (nothing pending, FIFOs off), LCR 0, MCR 0, LSR 0x60 (transmitter idle) and no MSR delta bits.",
  expect = { lines = { "pc_uart: reset ier=0x0 iir=0x1 lcr=0x0 mcr=0x0 lsr=0x60 msr_deltas=0x0" } },
  points = 1,
}

uart_case {
  id = "uart.ier_and_scratch",
  judges = { "pc.uart.ier", "pc.uart.scr" },
  behavior = "IER keeps bits 3:0 and reads 0 in bits 7:4 (the 8250 driver's existence test writes 0 and 0x0F); the scratch register reads back 0x55, 0xAA, 0x00, 0xFF, 0x3C.",
  expect = { lines = {
    "pc_uart: ier wrote=0x0,0xf,0xff got=0x0,0xf,0xf",
    "pc_uart: scratch got=0x55,0xaa,0x0,0xff,0x3c",
  } },
  points = 2,
}

uart_case {
  id = "uart.divisor_latch",
  judges = { "pc.uart.dlab", "pc.uart.lcr" },
  behavior = "With LCR bit 7 (DLAB) set, ports 0x3F8/0x3F9 are the divisor latch (0x0C, 0x01 read back) and IER keeps its value; LCR reads back 0x83 and 0x03.",
  expect = { lines = { "pc_uart: dlab lcr=0x83 dll=0xc dlm=0x1 then lcr=0x3 ier=0x1 then dll=0xc dlm=0x1" } },
  points = 2,
}

uart_case {
  id = "uart.fifo_identification",
  judges = { "pc.uart.fcr", "pc.uart.iir" },
  behavior = "IIR bits 7:6 read 00b with FCR bit 0 clear and 11b with it set (the 8250 driver's 16550A test), also with LCR = 0xBF.",
  expect = { lines = { "pc_uart: fifo iir_off=0x1 iir_on=0xc1 iir_on_lcr_bf=0xc1" } },
  points = 2,
}

uart_case {
  id = "uart.loopback_modem_lines",
  judges = { "pc.uart.mcr", "pc.uart.loopback", "pc.uart.msr" },
  behavior = "MCR keeps bits 4:0; in loopback DTR, RTS, OUT1, OUT2 appear as DSR, CTS, RI, DCD (LOOP|OUT2|RTS gives MSR bits 7:4 = 1001b, the 8250 driver's test).",
  expect = { lines = {
    "pc_uart: mcr wrote=0xff got=0x1f loop_0x1a_msr_high=0x90",
    "pc_uart: loop inputs=0x20,0x10,0x40,0x80",
  } },
  points = 2,
}

uart_case {
  id = "uart.msr_deltas",
  judges = { "pc.uart.msr", "pc.uart.loopback" },
  behavior = "In loopback, raising all four MCR outputs sets DCTS, DDSR and DDCD (a rising RI sets no TERI); a read of MSR clears the deltas; writing the same MCR again changes no input, so it sets no delta (RI staying 1 sets no TERI); lowering OUT1 alone sets TERI only, raising it again nothing; lowering all four sets all four deltas.",
  expect = { lines = { "pc_uart: msr rise=0xfb again=0xf0 same=0xf0 ri_fall=0xb4 ri_rise=0xf0 fall=0xf again=0x0" } },
  points = 2,
}

uart_case {
  id = "uart.loopback_data",
  judges = { "pc.uart.loopback", "pc.uart.lsr", "pc.uart.thr" },
  behavior = "Bytes written to THR in loopback are received in order (LSR 0x61 while they wait, 0x60 once read) and never reach the console.",
  expect = {
    lines = { "pc_uart: loop_rx lsr=0x61 got=0x4c,0x70,0x42,0x6b,0x21,0x3f lsr_after=0x60" },
    forbid = { "LpBk" },
  },
  points = 3,
}

uart_case {
  id = "uart.receive_fifo",
  judges = { "pc.uart.fifo", "pc.uart.fcr" },
  behavior = "With the FIFOs on, the receiver holds 16 looped-back bytes in order; FCR bit 1 empties it (LSR.DR falls).",
  expect = { lines = {
    "pc_uart: fifo16 received=16 in_order=16",
    "pc_uart: fcr_clear dr_before=1 dr_after=0",
  } },
  points = 2,
}

uart_case {
  id = "uart.rx_interrupt",
  judges = { "pc.uart.rx-interrupt", "pc.uart.iir" },
  behavior = "With IER bit 0 and a trigger level of 1 byte, IIR reads 0xC4 while a received byte waits and 0xC1 once RBR is read.",
  expect = { lines = { "pc_uart: iir idle=0xc1 rx=0xc4 after_rbr=0xc1" } },
  points = 2,
}

uart_case {
  id = "uart.thre_interrupt",
  judges = { "pc.uart.thre", "pc.uart.iir" },
  behavior = "Setting IER bit 1 with THR empty makes IIR read 0xC2; that read acknowledges it (0xC1 next); clearing and setting the bit again raises it again (the 8250 driver's THRE test); so does THR emptying after a write.",
  expect = { lines = { "pc_uart: thre enable=0xc2 read_again=0xc1 reenable=0xc2 after_thr=0xc2" } },
  points = 3,
}

uart_case {
  id = "uart.interrupt_priority",
  judges = { "pc.uart.iir-priority", "pc.uart.thre", "pc.uart.msr" },
  behavior = "With received data, THRE and a modem-status change pending at once, IIR reports received data (0xC4), then after RBR is read THRE (0xC2, acknowledged by that read), then modem status (0xC0) until MSR is read, then nothing (0xC1).",
  expect = { lines = { "pc_uart: priority iir=0xc4,0xc2,0xc0,0xc1 msr=0x22" } },
  points = 2,
}

uart_case {
  id = "uart.thr_console",
  judges = { "pc.uart.thr", "console.verbatim" },
  behavior = "Outside loopback, with FIFOs on and the modem lines set, bytes written to THR after polling LSR.THRE reach the console verbatim.",
  expect = { lines = { "pc_uart: thr reaches the console", "pc_uart: done" } },
  points = 2,
}

case {
  id = "uart.irq4_delivery",
  judges = { "pc.uart.irq", "pc.irq-lines" },
  behavior = "With the 8259A pair at vectors 0x20/0x28 and only IRQ 4 unmasked, a pending THRE interrupt reaches the guest as vector 0x24 only while MCR.OUT2 is set: none with OUT2 clear, one when THRE is enabled with OUT2 set (the handler's IIR read sees 0xC2), one more after a THR write.",
  source = "contract 15; PC16550D data sheet 8.6, 8.8; Linux 8250 driver (OUT2 gates the ISA line)",
  probe = "pc_uart",
  cmdline = "mode=irq",
  hv_cmdline = "platform=pc",
  expect = {
    ordered = { "^pc_uart: irq4 out2_clear=0 iir=0xc2 out2_set=1 handler_iir=0xc2 after_thr=1 other=%d+$" },
    report = "halted code=0x0",
  },
  points = 3,
}
