-- The CMOS clock at ports 0x70/0x71 with the hypervisor option platform=pc
-- (contract section 15, "CMOS clock"). One probe, pc_cmos, boots once for
-- every case. The instant the clock shows, and whether it advances, are
-- the hypervisor's own: the cases judge only that it is a valid date and
-- time in the format status B announces, and that a clock the guest sets
-- reads back (seconds allowed to advance). Expected values come from the
-- contract and the MC146818A data sheet, never from a hypervisor's output.
area { name = "cmos", doc = "The CMOS clock with platform=pc: status registers, a valid date and time in BCD or binary, setting the clock, the 114 bytes of RAM, the index port's NMI bit (contract section 15)." }

local function cmos_case(t)
  t.probe = "pc_cmos"
  t.hv_cmdline = "platform=pc"
  t.source = t.source or "contract 15; MC146818A data sheet"
  t.expect.report = "halted code=0x0"
  case(t)
end

cmos_case {
  id = "cmos.status_registers",
  judges = { "pc.cmos.format", "pc.cmos.status-d", "pc.cmos.uip", "pc.cmos.century" },
  behavior = "Status A's UIP bit reads 0 within a bounded wait; status B announces BCD (bit 2 = 0), 24-hour (bit 1 = 1) and a running clock (SET = 0); status D reads 0x80 (valid RAM and time); register 0x32 holds the century 0x20.",
  expect = { lines = { "pc_cmos: status uip_clears=1 b_binary=0 b_24h=1 b_set=0 d=0x80 century=0x20" } },
  points = 2,
}

cmos_case {
  id = "cmos.time_valid",
  judges = { "pc.cmos.time-valid", "pc.cmos.index", "pc.cmos.data" },
  behavior = "Registers 0, 2, 4, 6, 7, 8 and 9 read as Linux reads them form a valid date and time in BCD: seconds and minutes 0-59, hours 0-23, day of week 1-7, a day that exists in its month, month 1-12, year 0-99.",
  expect = { ordered = { "^pc_cmos: now raw=%x%x%-%x%x%-%x%x %x%x:%x%x:%x%x wday=%x coded=1 in_range=1$" } },
  points = 2,
}

cmos_case {
  id = "cmos.set_bcd",
  judges = { "pc.cmos.set", "pc.cmos.time-valid" },
  behavior = "With SET, the clock written in BCD as 2031-07-15 21:43:16 (Tuesday) reads back so once SET is clear, the seconds at most 3 later.",
  expect = { lines = {
    "pc_cmos: set mode=bcd read=31-7-15 21:43 wday=3 sec_16_to_19=1",
  }, ordered = { "^pc_cmos: set_bcd raw=31%-07%-15 21:43:1[6-9] wday=3 coded=1 in_range=1$" } },
  points = 2,
}

cmos_case {
  id = "cmos.set_12_hour",
  judges = { "pc.cmos.set", "pc.cmos.time-valid" },
  behavior = "In 12-hour BCD mode (status B bit 1 clear), hours written with SET read back as written once SET is clear: 0x09 (9 AM), 0x89 (9 PM), 0x12 (12 AM, midnight) and 0x92 (12 PM, noon).",
  source = "contract 15; MC146818A data sheet (hours 1-12, bit 7 PM in 12-hour mode)",
  expect = { lines = { "pc_cmos: set12 am9=0x09 pm9=0x89 am12=0x12 pm12=0x92" } },
  points = 1,
}

cmos_case {
  id = "cmos.set_binary",
  judges = { "pc.cmos.set", "pc.cmos.time-valid" },
  behavior = "With status B bit 2 set (binary), the clock written in binary as 2031-07-15 21:43:16 reads back in binary, the seconds at most 3 later.",
  expect = { lines = { "pc_cmos: set mode=binary read=31-7-15 21:43 wday=3 sec_16_to_19=1" } },
  points = 2,
}

cmos_case {
  id = "cmos.ram_and_nmi_bit",
  judges = { "pc.cmos.ram", "pc.cmos.index" },
  behavior = "The 114 bytes at 0x0E-0x7F read back what was written; an index with bit 7 (NMI disable) set selects the same register.",
  expect = { lines = { "pc_cmos: ram bytes=114 matched=114 nmi_bit_read=0xc3", "pc_cmos: done" } },
  points = 2,
}
