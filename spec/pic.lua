-- The 8259A interrupt controller pair of the legacy PC platform (contract
-- section 15, with the hypervisor option platform=pc of section 1), its
-- delivery through the guest's IDT and HLT, and the platform's ports and
-- lines. One probe, pc_pic, boots once (with a disk, for the virtio block
-- device's IRQ 5) for all its default-mode cases; its modes end in HLT or
-- run without the option. Expected values come from the contract and the
-- 8259A data sheet, never from a hypervisor's output.
area { name = "pic", doc = "Legacy PC platform (platform=pc): the 8259A pair (ICW/OCW, IRR/ISR, priority, EOI, AEOI, poll, ELCR), interrupt delivery and HLT, IRQ 0 from the 8254 and IRQ 5 from the virtio disk, the option and the ports it keeps (contract sections 1, 3, 6, 14 and 15)." }

local PC = "platform=pc"
local DISK = { sectors = 16, fill = "zero" }

local function pic_case(t)
  t.probe = "pc_pic"
  if t.hv_cmdline == nil then t.hv_cmdline = PC end
  if t.disk == nil and t.cmdline == nil then t.disk = DISK end
  t.source = t.source or "contract 15; Intel 8259A data sheet"
  if t.expect.report == nil then t.expect.report = "halted code=0x0" end
  t.timeout = t.timeout or 60
  case(t)
end

pic_case {
  id = "pic.reset_state",
  judges = { "pic.reset" },
  behavior = "Before any ICW1 both IMRs read 0xFF, and no interrupt comes even after the master's IMR is written 0 while the 8254 runs in mode 2 and the guest spins with IF=1.",
  expect = { lines = { "pic: reset imr_master=0xff imr_slave=0xff taken_before_icw=0" } },
  points = 1,
}

pic_case {
  id = "pic.icw_and_imr",
  judges = { "pic.icw", "pic.ocw3" },
  behavior = "The ICW1-ICW4 sequence (0x11, base, cascade, 0x01) on both controllers clears IMR (it was 0x5A) and ISR; afterwards the data ports set and read IMR (OCW1).",
  expect = { lines = { "pic: icw imr_after_icw=0x0,0x0 isr=0x0 ocw1 master=0xa5 slave=0x5a" } },
  points = 1,
}

pic_case {
  id = "pic.masked_line_waits",
  judges = { "pic.irr", "pic.deliver", "pic.ocw3", "pic.eoi" },
  behavior = "An IRQ 0 edge while IRQ 0 is masked sets IRR bit 0 and is not taken; unmasking it with IF=1 delivers vector 0x20 at once; in the handler ISR bit 0 is set and IRR bit 0 clear; the non-specific EOI clears ISR.",
  expect = { lines = { "pic: masked irr_while_masked=0x1 taken_while_masked=0 taken_after_unmask=1 vector=0x20 isr_in_handler=0x1 irr_in_handler=0x0 isr_after_eoi=0x0" } },
  points = 2,
}

pic_case {
  id = "pic.priority_fixed",
  judges = { "pic.priority", "pic.deliver", "pic.eoi" },
  behavior = "With IRQ 0 and IRQ 5 both pending, IRQ 0 (vector 0x20) comes first; without its EOI, IRQ 5 waits even with IF=1; after the EOI IRQ 5 (vector 0x25) comes.",
  expect = { lines = { "pic: priority first=0x20 lower_waited_for_eoi=1 second=0x25 taken=2" } },
  points = 2,
}

pic_case {
  id = "pic.nesting_and_eoi",
  judges = { "pic.priority", "pic.eoi", "pic.ocw3" },
  behavior = "IRQ 5 in service (ISR 0x20) is interrupted by IRQ 0 (ISR 0x21); a non-specific EOI clears the highest-priority bit (ISR 0x20), a specific EOI for line 5 the other (ISR 0).",
  expect = { lines = { "pic: eoi order=0x25,0x20 isr_one=0x20 isr_both=0x21 after_nonspecific=0x20 after_specific=0x0" } },
  points = 2,
}

pic_case {
  id = "pic.auto_eoi",
  judges = { "pic.aeoi", "pit.irq0" },
  behavior = "With ICW4 = 0x03 (AEOI) an IRQ 0 taken while the guest spins with IF=1 leaves ISR 0 in its handler.",
  expect = { lines = { "pic: aeoi taken=1 isr_in_handler=0x0" } },
  points = 1,
}

pic_case {
  id = "pic.poll",
  judges = { "pic.poll" },
  behavior = "With IF=0 and IRQ 0 pending, OCW3 with P set makes the next command port read 0x80 (line 0) and puts line 0 in service; after its EOI a poll reads 0.",
  expect = { lines = { "pic: poll word=0x80 isr_after=0x1 empty=0x0" } },
  points = 1,
}

pic_case {
  id = "pic.vector_base",
  judges = { "pic.icw", "pic.deliver" },
  behavior = "ICW2 = 0x37 gives vector base 0x30 (bits 7:3 only): IRQ 0 arrives as vector 0x30.",
  expect = { lines = { "pic: vector_base icw2=0x37 taken=1 vector=0x30" } },
  points = 1,
}

pic_case {
  id = "pic.elcr",
  judges = { "pic.elcr" },
  behavior = "Writing 0xFF to the ELCRs at 0x4D0 and 0x4D1 leaves their writable bits: 0xF8 and 0xDE.",
  expect = { lines = { "pic: elcr master=0xf8 slave=0xde" } },
  points = 1,
}

pic_case {
  id = "pic.edge_and_level",
  judges = { "pic.irr", "pic.elcr", "pic.icw", "pc.virtio-line" },
  behavior = "IRQ 5, masked, edge triggered: a virtio completion sets IRR bit 5 and it stays set after InterruptACK lowers the line; level triggered (ELCR bit 5): IRR bit 5 follows the line, stays set across a new ICW1 (which clears only requests latched from edges) while the line is high, and clears with the ACK.",
  expect = { lines = { "pic: trigger edge_irr=1 edge_irr_after_ack=1 level_irr=1 level_irr_after_icw1=1 level_irr_after_ack=0" } },
  points = 2,
}

pic_case {
  id = "pic.virtio_irq5",
  judges = { "pc.irq-lines", "pc.virtio-line", "pic.deliver" },
  behavior = "A virtio FLUSH request's completion (InterruptStatus bit 0) raises IRQ 5: with only IRQ 5 unmasked and IF=1 vector 0x25 comes right after the QueueNotify write; the request itself completed (status 0, used idx 1).",
  source = "contract 14 and 15",
  expect = { lines = { "pc: virtio_irq taken=1 vector=0x25 interrupt_status=0x1 status_byte=0x0 used_idx=1" } },
  points = 2,
}

pic_case {
  id = "pic.ports_kept",
  judges = { "pc.ports", "pio.fifo", "pio.port3" },
  behavior = "With platform=pc the ports section 15 does not list keep section 6's behavior: the 0xBB FIFO queue gives back a byte and a word in order, port 3 reads all-ones and logs the access.",
  source = "contract 6 and 15",
  expect = { lines = { "pc: ports fifo=1 port3=0xff", "[hv] port 3 direction InbAl" } },
  points = 1,
}

pic_case {
  id = "pic.no_platform_by_default",
  judges = { "host.cmdline.platform", "pio.other" },
  behavior = "Without platform=pc the 8259A, 8254, port 0x61 and ELCR ports are ordinary unlisted ports: they read 0xFF.",
  source = "contract 1 and 6",
  hv_cmdline = "",
  cmdline = "mode=none",
  expect = { lines = { "pc: none pic=0xff pic_slave=0xff pit=0xff port61=0xff elcr=0xff" } },
  points = 1,
}

pic_case {
  id = "pic.platform_with_x2apic_refused",
  judges = { "host.cmdline.platform", "host.cmdline.refused" },
  behavior = "platform=pc together with apic=x2apic (two interrupt controllers) is refused naming 'platform=pc'.",
  source = "contract 1",
  hv_cmdline = "apic=x2apic platform=pc",
  cmdline = "mode=none",
  expect = { report = "refused: bad command line: platform=pc", forbid = { "^%[hv%] guest: " } },
  points = 1,
}

for _, m in ipairs({
  { "hlt-if0", "HLT with IF=0 ends the VM even with the 8254 running and IRQ 0 unmasked." },
  { "hlt-idle", "HLT with IF=1, every line unmasked but no counter programmed, ends the VM: nothing can ever raise a line." },
  { "hlt-masked", "HLT with IF=1 and the 8254 periodic but IRQ 0 masked ends the VM: its edges wait in IRR forever." },
}) do
  pic_case {
    id = "pic." .. m[1]:gsub("-", "_") .. "_ends",
    judges = { "end.hlt", "pc.hlt-wakes" },
    behavior = m[2],
    source = "contract 3 and 15",
    cmdline = "mode=" .. m[1],
    expect = {
      lines = { "pc: " .. m[1] .. " halting" },
      forbid = { "^pc: " .. m[1] .. " woke" },
      report = { pattern = "^hlt rip=0x%x+$" },
    },
    points = 1,
  }
end

-- Vector 0 is as good an external interrupt vector as any other (the
-- 8259A's ICW2 takes any base with bits 2:0 clear; SDM vol. 3A 6.2-6.3):
-- a hypervisor whose HLT or injection path treats vector 0 as "nothing
-- pending" never wakes the guest.
pic_case {
  id = "pic.vector_zero_wakes_hlt",
  judges = { "pic.icw", "pic.deliver", "pc.hlt-wakes", "pic.eoi" },
  behavior = "ICW2 = 0x00 (slave base 0x28), only IRQ 0 unmasked, the 8254 counter 0 in mode 0, then STI; HLT: IRQ 0 arrives once as vector 0 through IDT gate 0 with RIP just after the HLT and ISR bit 0 set in the handler (so it is the timer, not a #DE: the probe never divides); its EOI clears ISR and the guest goes on to HaltCpu(0).",
  source = "contract 15; Intel 8259A data sheet (ICW2); Intel SDM vol. 3A 6.2-6.3",
  cmdline = "mode=vector0",
  expect = {
    lines = { "pic: vector0 halting", "pic: vector0 icw2=0x0 taken=1 vector=0x0 from_hlt=1 isr_in_handler=0x1 isr_after_eoi=0x0" },
  },
  points = 1,
}

-- The interrupt window for vector 0: a hypervisor that treats vector 0 as
-- "nothing pending" never asks for an exit when STI opens the window, so
-- the interrupt waits for some unrelated exit.
pic_case {
  id = "pic.vector_zero_after_sti_shadow",
  judges = { "pic.deliver", "pic.icw", "irq.shadow", "arch.as-processor" },
  behavior = "ICW2 = 0x00, IRQ 0 from an 8254 mode-0 count pending as vector 0 while IF = 0 (its IRR bit read through OCW3), then `sti; nop` and a loop that counts without exits: vector 0 is delivered once, right after the NOP (its return address the instruction after it, the loop's count still 0), not at some later exit.",
  source = "contract 15; Intel 8259A data sheet (ICW2, OCW3); Intel SDM vol. 3A 6.8.3 and STI",
  cmdline = "mode=vector0",
  expect = {
    lines = { "pic: vector0_sti irr_before=1 taken=1 vector=0x0 after_nop=1 count_at_delivery=0" },
  },
  points = 1,
}
