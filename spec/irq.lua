-- The local APIC and interrupts (contract section 11, with the hypervisor
-- option apic=x2apic of section 1). One probe, irq_timer, boots once for
-- all its default-mode cases; its modes end in HLT or run without the
-- option. Expected values come from the contract and the SDM (vol. 3A
-- chapter 11), never from a hypervisor's output. Timing facts are bounds
-- on the guest's own TSC (one count per divisor ticks), so they hold on
-- every engine whose TSC the guest's instructions drive.
area { name = "irq", doc = "Local APIC in x2APIC mode and interrupt delivery: registers, one-shot, periodic and TSC-deadline timer, STI shadow, TPR and priority, EOI, HLT waking on an interrupt or ending the VM (contract sections 1, 3 and 11)." }

local APIC = "apic=x2apic"

local function irq_case(t)
  t.probe = "irq_timer"
  if t.hv_cmdline == nil then t.hv_cmdline = APIC end
  t.source = t.source or "contract 11; SDM vol. 3A chapter 11"
  if t.expect.report == nil then t.expect.report = "halted code=0x0" end
  case(t)
end

irq_case {
  id = "irq.cpuid_bits",
  judges = { "irq.cpuid" },
  behavior = "CPUID leaf 1 announces the APIC, x2APIC and the TSC-deadline timer, initial APIC ID 0.",
  expect = { lines = { "irq: cpuid apic=1 x2apic=1 tsc_deadline=1 apic_id=0" } },
  points = 1,
}

irq_case {
  id = "irq.identity_registers",
  judges = { "irq.apic-base", "irq.reg.id", "irq.reg.version", "irq.reg.ldr", "irq.reg.tpr", "irq.reg.lvt-timer", "irq.reg.svr" },
  behavior = "IA32_APIC_BASE reads 0xFEE00D00 (x2APIC mode), ID 0, version 0x30014, LDR 1; after SVR := 0x1FF it reads back, TPR and the LVT timer hold their reset values.",
  expect = { lines = { "irq: apic_base=0xfee00d00 id=0x0 version=0x30014 ldr=0x1 svr=0x1ff tpr=0x0 lvt_timer=0x10000" } },
  points = 1,
}

irq_case {
  id = "irq.register_round_trips",
  judges = { "irq.reg.lvt-other", "irq.reg.divide", "irq.reg.isr-irr" },
  behavior = "LINT0, LINT1 and the error LVT entry keep their writable bits, the divide configuration reads back, TMR reads 0.",
  expect = { lines = { "irq: registers lint0=0x1a7f1 lint1=0xa741 error=0x10033 divide=0x9 tmr=0x0" } },
  points = 1,
}

irq_case {
  id = "irq.svr_disable_masks",
  judges = { "irq.reg.svr", "irq.reg.lvt-timer", "irq.reg.lvt-other" },
  behavior = "Clearing SVR bit 8 sets the mask bit of every LVT entry (timer, LINT0, LINT1, error), keeping their other bits, and a write that clears a mask while SVR bit 8 is clear leaves it set; setting bit 8 again lets them be unmasked.",
  source = "contract 11; SDM vol. 3A 11.4.7.2",
  expect = {
    lines = {
      "irq: svr_lvt disabled lint0=0x1a7f1 lint1=0x1a741 error=0x10033 rewritten lint0=0x1a7f1 lint1=0x1a741 error=0x10033",
      "irq: svr disabled_timer=0x10040 write_while_disabled=0x10040 enabled_timer=0x40 lint1=0x1a741",
    },
  },
  points = 1,
}

irq_case {
  id = "irq.one_shot_pending_while_if0",
  judges = { "irq.timer.fire", "irq.reg.current-count", "irq.reg.isr-irr", "irq.reg.initial-count" },
  behavior = "A one-shot timer counts down, then, with IF=0 and the guest spinning without exits, its vector waits in IRR and is not taken; the current count reads 0.",
  expect = { lines = { "irq: one_shot counting=1 irr_while_if0=1 taken_while_if0=0 current_after=0" } },
  points = 2,
}

irq_case {
  id = "irq.sti_shadow",
  judges = { "irq.deliver", "irq.shadow", "arch.as-processor" },
  behavior = "A vector pending at 'sti; nop' is delivered once, after the NOP: the handler's return address is the instruction after it; the same after 'sti; mov' whose store touches a fresh page (on a lazily backed guest a stage-2 exit inside the STI shadow).",
  expect = {
    lines = {
      "irq: one_shot taken=1 vector=0x40 after_sti_shadow=1",
      -- Delivering an interrupt does not touch DR6 (SDM vol. 3B 18.2.3):
      -- a hypervisor that single-steps the shadow's instruction must put
      -- the guest's DR6 back.
      "irq: one_shot dr6_after=0xffff0ff0",
      "irq: sti_exit taken=1 vector=0x47 after_store=1 stored=1",
    },
  },
  points = 2,
}

irq_case {
  id = "irq.eoi_ends_service",
  judges = { "irq.reg.eoi", "irq.reg.isr-irr", "irq.deliver" },
  behavior = "The delivered vector moves from IRR to ISR; EOI clears it from ISR.",
  expect = { lines = { "irq: eoi isr_before=1 irr_before=0 isr_after=0" } },
  points = 1,
}

irq_case {
  id = "irq.one_shot_fires_once",
  judges = { "irq.timer.clock" },
  behavior = "A one-shot timer that fired does not fire again, however long the guest waits.",
  expect = { lines = { "irq: one_shot_once taken=1" } },
  points = 1,
}

irq_case {
  id = "irq.divide_by_16",
  judges = { "irq.reg.divide", "irq.timer.clock", "irq.reg.initial-count" },
  behavior = "With divide by 16 a one-shot of 1000 counts fires at least 16000 and fewer than 32000 TSC ticks after it started; the initial count reads back.",
  expect = { lines = { "irq: divide initial=1000 taken=1 not_before=1 not_after_double=1" } },
  points = 1,
}

irq_case {
  id = "irq.sti_hlt_wakes",
  judges = { "irq.hlt-wakes" },
  behavior = "'sti; hlt' with a one-shot timer armed wakes with the timer's interrupt, returning to the instruction after HLT, with the TSC past the expiry.",
  source = "contract 11; issue 13 (KeV round-robin scheduler)",
  expect = { lines = { "irq: sti_hlt taken=1 vector=0x42 after_hlt=1 tsc_past_expiry=1" } },
  points = 2,
}

irq_case {
  id = "irq.periodic",
  judges = { "irq.timer.clock", "irq.hlt-wakes", "irq.reg.lvt-timer" },
  behavior = "A periodic timer of 20000 counts (divide by 1) wakes three HLTs in a row, each interrupt at least one period and less than two after the previous one.",
  source = "contract 11; issue 13 (KeV round-robin scheduler)",
  expect = { lines = { "irq: periodic taken=3 vectors=0x41,0x41,0x41 spacing_ok=1" } },
  points = 2,
}

irq_case {
  id = "irq.lvt_rewrite_keeps_timer",
  judges = { "irq.reg.lvt-timer", "irq.reg.current-count", "irq.timer.clock", "irq.timer.fire" },
  behavior = "Writing the LVT timer without changing its mode (masked, then unmasked with another vector 0x4A) while a one-shot counts leaves it armed: the current count stays non-zero and keeps falling, and the timer expires with the new vector.",
  source = "contract 11; SDM vol. 3A 11.5.4.1",
  expect = { lines = { "irq: lvt_rewrite counting=1 decreasing=1 irr=1 taken=1 vector=0x4a current_after=0" } },
  points = 1,
}

irq_case {
  id = "irq.tsc_deadline",
  judges = { "irq.reg.tsc-deadline", "irq.hlt-wakes" },
  behavior = "In TSC-deadline mode IA32_TSC_DEADLINE reads the armed value, HLT wakes with the timer's vector once the TSC reached it, and the MSR then reads 0.",
  expect = { lines = { "irq: tsc_deadline armed=1 taken=1 vector=0x50 on_time=1 after=0x0" } },
  points = 2,
}

irq_case {
  id = "irq.lvt_rewrite_keeps_deadline",
  judges = { "irq.reg.lvt-timer", "irq.reg.tsc-deadline", "irq.timer.fire" },
  behavior = "In TSC-deadline mode, with a deadline armed far ahead and IF=0, writing the LVT timer without changing its mode (masked, then unmasked with another vector 0x4C) leaves the deadline armed: IA32_TSC_DEADLINE still reads it after each write and nothing is pending before it; once the TSC passed it the new vector 0x4C (not the old 0x4B) is pending and taken, and the MSR reads 0.",
  source = "contract 11; SDM vol. 3A 11.5.4.1",
  expect = { lines = { "irq: lvt_rewrite_deadline kept_masked=1 kept_unmasked=1 before_deadline=1 irr=1 irr_old=0 taken=1 vector=0x4c after=0x0" } },
  points = 1,
}

irq_case {
  id = "irq.mode_change_stops_deadline",
  judges = { "irq.reg.lvt-timer", "irq.reg.tsc-deadline" },
  behavior = "A write of the LVT timer that changes its mode from TSC-deadline to one-shot stops an armed deadline: IA32_TSC_DEADLINE reads 0 in one-shot mode and no interrupt comes when the old deadline passes; switching back to TSC-deadline mode, itself a mode change, arms nothing, so still no interrupt comes (what the MSR reads then, shown as back=, is not judged: the contract does not say whether a disarmed deadline reads 0).",
  source = "contract 11; SDM vol. 3A 11.5.4.1 (a write that changes the timer mode disarms the timer)",
  expect = { ordered = { "^irq: mode_change_deadline armed=1 one_shot=0x0 before_deadline=1 irr=0 back=0x%x+ irr_back=0 taken=0$" } },
  points = 1,
}

irq_case {
  id = "irq.mode_change_stops_count",
  judges = { "irq.reg.lvt-timer", "irq.reg.initial-count" },
  behavior = "A write of the LVT timer that changes its mode from one-shot to periodic while a count of 0x12345 runs stops the timer: no interrupt comes in four times the count. The initial-count register then reads either the count written (kept) or 0 (cleared by the change): the contract allows both, and nothing else.",
  source = "contract 11; SDM vol. 3A 11.5.4, 11.5.4.1 (a write that changes the timer mode disarms the timer)",
  expect = {
    ordered = { "^irq: mode_change_count initial=%a+ %(0x%x+%) irr=0 taken=0$" },
    forbid = { "^irq: mode_change_count initial=OTHER" },
  },
  points = 1,
}

irq_case {
  id = "irq.timer_reaches_spinning_guest",
  judges = { "irq.timer.no-exit" },
  behavior = "A guest spinning with IF=1 on RDTSC and PAUSE, which cause no exit, still takes the one-shot timer's interrupt.",
  expect = { lines = { "irq: spin taken=1 vector=0x43" } },
  points = 2,
}

irq_case {
  id = "irq.tpr_holds_and_releases",
  judges = { "irq.priority", "irq.reg.tpr", "irq.reg.ppr", "irq.reg.self-ipi" },
  behavior = "A self IPI of vector 0x45 waits while TPR is 0x50 and 0x40 (PPR reads 0x40, the vector in IRR) and is delivered right after the WRMSR that lowers TPR to 0x3F.",
  expect = {
    lines = {
      "irq: tpr held_at_0x50=1 held_at_0x40=1 ppr=0x40 irr=1",
      "irq: tpr released taken=1 vector=0x45 after_wrmsr=1",
    },
  },
  points = 2,
}

irq_case {
  id = "irq.priority_order",
  judges = { "irq.priority", "irq.reg.eoi", "irq.reg.ppr", "irq.reg.self-ipi" },
  behavior = "Of two pending vectors 0x41 and 0x52 the higher is delivered first; PPR then reads 0x50 and 0x41 waits until the EOI of 0x52.",
  expect = { lines = { "irq: priority first=0x52 taken_before_eoi=1 ppr=0x50 second=0x41 taken=2" } },
  points = 2,
}

irq_case {
  id = "irq.nesting",
  judges = { "irq.priority", "irq.reg.eoi" },
  behavior = "In the handler of vector 0x41 (class 4), with IF=1 again, a self IPI of 0x62 (class 6) interrupts it at once; one of 0x48 (class 4) waits until that handler's EOI, then comes; ISR ends empty.",
  source = "contract 11; SDM vol. 3A 11.8.3",
  expect = { lines = { "irq: nesting higher_nested=1 equal_waited=1 order=0x41,0x62,0x48 taken=3 isr_empty=1" } },
  points = 2,
}

irq_case {
  id = "irq.movss_shadow",
  judges = { "irq.shadow", "irq.deliver" },
  behavior = "A one-shot timer expiring while the guest runs 16 pairs 'mov %eax,%ss; store to a fresh page' with IF=1 (24 trials, the expiry moved along the block; on a lazily backed guest each store's stage-2 exit comes inside the MOV SS shadow) is taken once per trial, never between a MOV SS and the store after it.",
  source = "contract 11; SDM vol. 3A 6.8.3",
  expect = { lines = { "irq: movss_shadow taken=24 in_shadow=0 not_boundary=0" } },
  points = 2,
}

irq_case {
  id = "irq.register_rules_gp",
  judges = { "irq.msr-gp", "irq.apic-base" },
  behavior = "#GP(0) for reading EOI and SELF IPI, writing ID and version, a reserved TPR bit, a non-zero EOI, the absent ICR, timer mode 11b and an APIC_BASE write that clears EXTD.",
  expect = { lines = { "irq: gp rd_eoi=13 rd_self_ipi=13 wr_id=13 wr_version=13 wr_tpr_reserved=13 wr_eoi_nonzero=13 icr=13 lvt_mode3=13 base_clear_extd=13" } },
  points = 1,
}

irq_case {
  id = "irq.esr_illegal_vectors",
  judges = { "irq.reg.esr", "irq.reg.lvt-other", "irq.reg.self-ipi" },
  behavior = "A self IPI of vector 5 sets ESR bit 5 and a timer firing with vector 5 sets bit 6; each raises the error LVT entry's vector 0x33; writing ESR latches and clears.",
  expect = { lines = { "irq: esr send_illegal=0x20 error_irq=1/0x33 receive_illegal=0x40 error_irq=1/0x33 cleared=0x0" } },
  points = 1,
}

irq_case {
  id = "irq.self_ipi_vector16",
  judges = { "irq.reg.esr", "irq.reg.self-ipi" },
  behavior = "Vector 16 is the first legal vector: a self IPI of it is delivered once, through IDT gate 16, and sets no ESR bit (vectors 0-15 are illegal, SDM vol. 3A 11.5.2).",
  expect = { lines = { "irq: self_ipi16 taken=1 via_gate16=1 esr=0x0" } },
  points = 1,
}

for _, m in ipairs({
  { "hlt-if0", "HLT with IF=0 ends the VM: no maskable interrupt can wake it, local APIC or not." },
  { "hlt-idle", "HLT with IF=1 but nothing pending and no timer armed ends the VM." },
  { "hlt-masked", "HLT with IF=1 and only a masked periodic timer running ends the VM: a masked timer makes nothing pending." },
  { "hlt-tpr", "HLT with IF=1 and a periodic timer whose vector class (4) TPR holds back (class 15) ends the VM: its interrupt can never be delivered." },
}) do
  irq_case {
    id = "irq." .. m[1]:gsub("-", "_") .. "_ends",
    judges = { "end.hlt", "irq.hlt-wakes" },
    behavior = m[2],
    source = "contract 3 and 11",
    cmdline = "mode=" .. m[1],
    expect = {
      lines = { "irq: " .. m[1] .. " halting" },
      forbid = { "^irq: " .. m[1] .. " woke" },
      report = { pattern = "^hlt rip=0x%x+$" },
    },
    points = 1,
  }
end

irq_case {
  id = "irq.no_apic_by_default",
  judges = { "host.cmdline.apic" },
  behavior = "Without apic=x2apic the APIC's MSRs (APIC_BASE, SVR, TPR, ID, TSC_DEADLINE, SELF IPI) inject #GP like every unlisted MSR.",
  source = "contract 1 and 8",
  hv_cmdline = "",
  cmdline = "mode=none",
  expect = { lines = { "irq: none apic_base=13 svr=13 tpr=13 id=13 tsc_deadline=13 self_ipi=13" } },
  points = 1,
}
