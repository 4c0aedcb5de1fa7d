-- The 8254 timer and port 0x61 of the legacy PC platform (contract section
-- 15, platform=pc). The probe is pc_pic (one boot shared with spec/pic.lua).
-- Timing facts are bands around the contract's 1676 guest TSC ticks per
-- input pulse (1600 to 1760), so every hypervisor that derives the clock
-- sanely from the guest TSC passes.
area { name = "pit", doc = "Legacy PC platform (platform=pc): the 8254's counters 0 and 2 in modes 0, 2, 3 and 4, the counter latch, IRQ 0 waking HLT, counter 2's gate and OUT on port 0x61 (contract section 15)." }

local function pit_case(t)
  t.probe = "pc_pic"
  t.hv_cmdline = "platform=pc"
  t.disk = { sectors = 16, fill = "zero" }
  t.source = t.source or "contract 15; Intel 8254 data sheet"
  t.expect.report = "halted code=0x0"
  t.timeout = 60
  case(t)
end

for _, m in ipairs({ { 2, "rate generator" }, { 3, "square wave" } }) do
  pit_case {
    id = "pit.counter0_mode" .. m[1],
    judges = { "pit.control", "pit.mode" .. m[1], "pit.irq0", "pit.clock", "pc.hlt-wakes", "pc.irq-lines" },
    behavior = "Counter 0 in mode " .. m[1] .. " (" .. m[2] .. ") with count 2000 and only IRQ 0 unmasked wakes three HLTs in a row with vector 0x20, the interrupts 2000 input pulses apart (1600 to 1760 TSC ticks each).",
    expect = { lines = { string.format("pit: mode%d taken=3 vectors=0x20,0x20,0x20 period_ok=1", m[1]) } },
    points = 2,
  }
end

pit_case {
  id = "pit.counter0_mode4_once",
  judges = { "pit.mode4", "pit.irq0", "pit.clock", "pc.hlt-wakes" },
  behavior = "Counter 0 in mode 4 (software triggered strobe) with count 1000 wakes HLT once, 1001 input pulses after the count was written (OUT rises after its low pulse at 0), and never again while the guest spins with IF=1 for 3000 more.",
  expect = { lines = { "pit: mode4 taken=1 vector=0x20 on_time=1" } },
  points = 2,
}

pit_case {
  id = "pit.counter0_mode0_once",
  judges = { "pit.mode0", "pit.irq0", "pit.clock", "pc.hlt-wakes" },
  behavior = "Counter 0 in mode 0 with count 1000 wakes HLT once, 1000 input pulses after the count was written, and never again while the guest spins with IF=1 for 3000 more.",
  expect = { lines = { "pit: mode0 taken=1 vector=0x20 on_time=1" } },
  points = 2,
}

pit_case {
  id = "pit.port61_bits",
  judges = { "pit.port61" },
  behavior = "Port 0x61 reads back bits 3:0 as written (0xE), reads 0 in bits 7:6, and its bit 4 (refresh) takes both values; sampled in a tight loop, each of 8 successive levels of bit 4 lasts 12 to 26 input pulses (18, widened for the time one IN takes and the 5% clock band).",
  expect = {
    lines = { "pit: port61 stored=0xe high_bits=0x0 refresh_toggles=1" },
    ordered = { "^pit: refresh intervals=[%d,]+ pulses %(sample gap up to %d+ ticks%) in_12_to_26=8/8$" },
  },
  points = 1,
}

pit_case {
  id = "pit.counter2_gate",
  judges = { "pit.gate", "pit.mode0", "pit.port61", "pit.clock" },
  behavior = "Counter 2 in mode 0 with count 5000 and its gate (port 0x61 bit 0) low: OUT2 (port 0x61 bit 5) stays low however long; once the gate is high it rises after 5000 input pulses.",
  expect = { lines = { "pit: channel2 out_at_start=0 out_while_gated=0 rose=1 on_time=1" } },
  points = 2,
}

pit_case {
  id = "pit.counter_latch",
  judges = { "pit.read", "pit.control", "pit.clock" },
  behavior = "Counter 2 in mode 2: two latched reads 20000 pulses apart fall at one count per 1600 to 1760 TSC ticks; a latched count is held (read 5000 pulses later it is still the old value, above a live read).",
  expect = { lines = { "pit: latch falling=1 rate_ok=1 held=1" } },
  points = 2,
}

pit_case {
  id = "pit.counter2_square_wave",
  judges = { "pit.mode3", "pit.port61", "pit.clock" },
  behavior = "Counter 2 in mode 3 with count 10000: OUT2 on port 0x61 bit 5 has a period of 10000 pulses and is high for 45% to 55% of it.",
  expect = { lines = { "pit: square period_ok=1 high_half=1" } },
  points = 2,
}

pit_case {
  id = "pit.counter2_rate_out",
  judges = { "pit.mode2", "pit.port61", "pit.control" },
  behavior = "Counter 2 in mode 2 (rate generator) with count 4 and its gate high: OUT2 (port 0x61 bit 5), sampled in a tight loop for 50 periods, falls at least 10 times (low for one input pulse every 4 pulses) and is high in more than half of the samples.",
  expect = {
    lines = { "pit: rate falls_often=1 mostly_high=1" },
    ordered = { "^pit: rate falls=%d+ lows=%d+ samples=%d+ %(sample gap up to %d+ ticks%)$" },
  },
  points = 1,
}
