-- Port I/O (contract section 6): COM1, the FIFO queue at 0xBB, the logging
-- port 3 and unknown ports, in every width, DX and imm8 forms and the
-- string forms. Expected values come from the contract and the x86
-- architecture, never from a hypervisor's output.
area { name = "pio", doc = "Port I/O: COM1, the 0xBB FIFO queue, logging port 3, unknown ports; IN/OUT in every width and form, INS/OUTS with and without REP (contract section 6)." }

------------------------------------------------------------------------------
-- KeV pio_print: port 3 and COM1

case {
  id = "pio.port3_inb_log",
  judges = { "pio.port3" },
  behavior = "'in al, 3' logs '[hv] port 3 direction InbAl' and reads 0xFF.",
  source = "seed 001 (KeV pio_print); contract 6",
  probe = "pio_print",
  expect = {
    ordered = { "^%[hv%] port 3 direction InbAl$", "^pio_print: in al,3 got=0xff$" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.com1_out_dx",
  judges = { "pio.com1.thr", "console.verbatim" },
  behavior = "Bytes written with 'out dx, al' to COM1 (0x3F8) reach the console verbatim.",
  source = "seed 001 (KeV pio_print); contract 3 and 6",
  probe = "pio_print",
  expect = { lines = { "pio_print: Hello, port I/O!" }, report = "halted code=0x0" },
  points = 2,
}

------------------------------------------------------------------------------
-- The FIFO queue at 0xBB, DX and imm8 forms (KeV pio_dx_port, pio_imm8_port)

local function q(form, step, got) return "pio_queue: form=" .. form .. " step=" .. step .. " got=" .. got end

for _, form in ipairs({ "dx", "imm8" }) do
  local src = "seed 001 (KeV pio_" .. form .. "_port); contract 6"
  local probe = "pio_" .. form .. "_port"
  local how = form == "dx" and "through the DX port form" or "through the imm8 port form"

  case {
    id = "pio.queue_" .. form .. "_round_trip",
    judges = { "pio.fifo", "pio.forms", "pio.widths" },
    behavior = "Port 0xBB " .. how .. ": an OUT of 8, 16 or 32 bits is read back by an IN of the same width.",
    source = src,
    probe = probe,
    expect = {
      lines = {
        q(form, "out8_in8", "0x5a"), q(form, "out16_in16", "0xbeef"), q(form, "out32_in32", "0xdeadbeef"),
      },
      report = "halted code=0x0",
    },
    points = 3,
  }

  case {
    id = "pio.queue_" .. form .. "_order",
    judges = { "pio.fifo", "pio.forms" },
    behavior = "Port 0xBB " .. how .. " is first-in first-out and holds bytes little endian, so widths mix.",
    source = src,
    probe = probe,
    expect = {
      lines = {
        "pio_queue: form=" .. form .. " step=fifo_order got=0x11,0x22,0x33",
        "pio_queue: form=" .. form .. " step=out32_in8x4 got=0x11,0x22,0x33,0x44",
        q(form, "out8x2_in16", "0xbbaa"), q(form, "out16x2_in32", "0x44332211"),
      },
      report = "halted code=0x0",
    },
    points = 2,
  }

  case {
    id = "pio.queue_" .. form .. "_empty",
    judges = { "pio.fifo", "pio.forms" },
    behavior = "Port 0xBB " .. how .. ": each byte popped from an empty queue reads 0xFF.",
    source = "contract 6",
    probe = probe,
    expect = {
      lines = {
        q(form, "empty_in8", "0xff"), q(form, "out8_in16", "0xff12"),
        q(form, "out16_in32", "0xffff3456"), q(form, "empty_in32", "0xffffffff"),
      },
      report = "halted code=0x0",
    },
    points = 1,
  }

  case {
    id = "pio.queue_" .. form .. "_capacity",
    judges = { "pio.fifo", "pio.forms" },
    behavior = "Port 0xBB " .. how .. " holds 4096 bytes; a push beyond that is dropped.",
    source = "contract 6",
    probe = probe,
    expect = {
      lines = { "pio_queue: form=" .. form .. " step=capacity matched_dwords=1024 after=0xff" },
      report = "halted code=0x0",
    },
    points = 1,
  }
end

------------------------------------------------------------------------------
-- String I/O (KeV pio_mem)

local function s(step, data, delta, rcx)
  return "pio_mem: step=" .. step .. " data=" .. data .. " delta=" .. delta .. " rcx=" .. rcx
end

case {
  id = "pio.string_rep",
  judges = { "pio.string.rep" },
  behavior = "REP OUTSB/OUTSW/OUTSD and REP INSB/INSW/INSD move RCX elements between memory and port 0xBB in memory order, advance RSI/RDI by the bytes moved and leave RCX = 0.",
  source = "seed 001 (KeV pio_mem); contract 6",
  probe = "pio_mem",
  expect = {
    lines = {
      s("rep_outsb", "ABCDEFGH", "8", "0"), s("rep_outsw", "ABCDEFGH", "8", "0"),
      s("rep_outsd", "ABCDEFGH", "8", "0"), s("rep_insb", "ABCDEFGH", "8", "0"),
      s("rep_insw", "ABCDEFGH", "8", "0"), s("rep_insd", "ABCDEFGH", "8", "0"),
    },
    report = "halted code=0x0",
  },
  points = 3,
}

case {
  id = "pio.string_single",
  judges = { "pio.string.rep" },
  behavior = "INS/OUTS without REP move one element each, advance RSI/RDI by its width and neither use nor change RCX (0x1234 = 4660 stays).",
  source = "contract 6; SDM vol. 2 INS/OUTS",
  probe = "pio_mem",
  expect = {
    lines = {
      s("outs_b_b_w_d_norep", "ABCDEFGH", "8", "4660"),
      s("ins_d_w_b_b_norep", "ABCDEFGH", "8", "4660"),
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.string_df_set",
  judges = { "pio.string.df" },
  behavior = "With DF = 1 string I/O walks memory downwards element by element: RSI/RDI decrease by the bytes moved.",
  source = "contract 6; SDM vol. 2 INS/OUTS",
  probe = "pio_mem",
  expect = {
    lines = {
      s("rep_outsb_df1", "HGFEDCBA", "-8", "0"), s("rep_outsw_df1", "GHEFCDAB", "-8", "0"),
      s("rep_insb_df1", "HGFEDCBA", "-8", "0"), s("rep_insd_df1", "EFGHABCD", "-8", "0"),
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.string_rep_zero",
  judges = { "pio.string.rep" },
  behavior = "REP INS/OUTS with RCX = 0 move nothing and leave RDI/RSI unchanged.",
  source = "SDM vol. 2 REP; contract 6",
  probe = "pio_mem",
  expect = { lines = { s("rep_count0", "AB\\xff", "0", "0") }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "pio.string_cross_page",
  judges = { "pio.string.translate" },
  behavior = "A string I/O buffer crossing into a page mapped to another frame is translated page by page (the physically adjacent frames stay untouched).",
  source = "contract 6 (translated like Print)",
  probe = "pio_mem",
  expect = {
    lines = {
      s("rep_insb_cross_page", "ABCDEFGH........", "8", "0"),
      s("rep_outsb_cross_page", "wxyz1234", "8", "0"),
    },
    report = "halted code=0x0",
  },
  points = 2,
}

-- A string buffer that does not translate (contract 6): #GP(0) at the
-- instruction (RIP not advanced: offset 0), RCX/RDI/RSI counting only the
-- elements done. Which FIFO byte an INS consumed for the faulting element
-- is not judged; OUTS must send exactly the bytes before the fault.
local GP = " vector=13 error=0x0 offset=0"
case {
  id = "pio.string_fault",
  judges = { "pio.string.fault" },
  behavior = "REP INSB/OUTSB of 8 bytes starting 4 bytes before a page that is not present moves the 4 bytes of the present page, then raises #GP(0) at the instruction with RCX = 4 and RDI/RSI advanced by 4 (OUTSB sends no other byte); a single INSB into the absent page, and REP OUTSB from a page mapping a GPA outside guest RAM, raise #GP(0) having moved nothing.",
  source = "contract 6",
  probe = "pio_mem",
  expect = {
    lines = {
      s("rep_insb_not_present", "ABCD", "4", "4") .. GP,
      s("insb_not_present", "", "0", "0") .. GP,
      s("rep_outsb_not_present", "wxyz\\xff\\xff\\xff\\xff", "4", "4") .. GP,
      s("rep_outsb_outside_ram", "\\xff", "0", "8") .. GP,
    },
    forbid = { "^exception:", "^runtime: error" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.string_segment_override",
  judges = { "pio.string.translate", "pio.string.rep", "msr.fs-base", "msr.gs-base" },
  behavior = "In 64-bit mode REP OUTSB with an FS: or GS: segment override reads its bytes from the base the guest set by WRMSR IA32_FS_BASE / IA32_GS_BASE plus RSI, not from RSI alone.",
  source = "contract 6 and 7; SDM vol. 3A 3.4.4, vol. 2 OUTS",
  probe = "pio_mem",
  expect = {
    lines = { s("rep_outsb_fs", "FSfsFSfs", "8", "0"), s("rep_outsb_gs", "GSgsGSgs", "8", "0") },
    forbid = { "^exception:", "^runtime: error" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "pio.string_addr32",
  judges = { "pio.string.address-size", "pio.string.rep" },
  behavior = "In 64-bit mode, REP OUTSB with the address-size prefix 67 and RSI, RCX = 2^32 + the buffer's address, 2^32 + 8 uses ESI and ECX: it sends the 8 bytes at the buffer, and leaves RSI = the buffer + 8 and RCX = 0 (32-bit register writes clear bits 63:32).",
  source = "contract 6; SDM vol. 2 OUTS and REP (address size), vol. 1 3.4.1.1",
  probe = "pio_mem",
  expect = {
    lines = { s("rep_outsb_addr32", "A32a32A3", "8", "0") },
    forbid = { "^exception:", "^runtime: error" },
    report = "halted code=0x0",
  },
  points = 1,
}

-- guest-probes/pio_mem, compat_mode_segments: long mode with CS.L = 0. The
-- offset alone names a decoy slot; only base + offset (mod 2^32) names the
-- slot whose bytes must move. The _wrap steps pass 2^32.
case {
  id = "pio.string_compat_segment_base",
  judges = { "pio.string.translate", "pio.string.address-size", "pio.string.rep" },
  behavior = "In compatibility mode (long mode, CS.L = 0, CS.D = 1) the DS base applies to REP OUTSB and the ES base to REP INSB: the bytes come from and go to DS/ES base + ESI/EDI truncated to 32 bits, not to ESI/EDI alone (that address holds a decoy: 'lowDSlow' where 'HIGHdsHI' is expected, or the wrong half of the INSB buffer), and a base + offset past 2^32 wraps to the low 4 GiB instead of faulting.",
  source = "contract 6; SDM vol. 3A 3.2.4 and 5.2.1, vol. 1 3.4.2.1; APM vol. 2 4.5.3",
  probe = "pio_mem",
  cmdline = "mode=compat",
  expect = {
    lines = {
      s("compat_rep_outsb_ds", "HIGHdsHI", "8", "0"),
      s("compat_rep_outsb_ds_wrap", "lowDSlow", "8", "0"),
      s("compat_rep_insb_es", "........insESins", "8", "0"),
      s("compat_rep_insb_es_wrap", "wrapESwr........", "8", "0"),
    },
    forbid = { "^exception:", "^runtime: error" },
    report = "halted code=0x0",
  },
  points = 2,
}

-- guest-probes/addr16_modes32: 32-bit code, paging off, ES/FS base = a
-- 64-KiB window; SI/DI start at 0xfffe with bits set above bit 15.
case {
  id = "pio.string_addr16",
  judges = { "pio.string.address-size", "pio.string.rep", "pio.string.translate" },
  behavior = "In 32-bit mode, REP OUTSB (FS: override) and REP INSB with the address-size prefix 67 use CX as the count and SI/DI as the offset: CX = 4 moves 4 bytes whatever ECX's upper half holds, SI/DI wrap from 0xffff to 0 within the segment, and the upper halves of ECX, ESI and EDI stay.",
  source = "contract 6; SDM vol. 2 INS/OUTS and REP (address size), vol. 1 3.7.5",
  probe = "addr16_modes32",
  expect = {
    lines = {
      "addr16: outs data=ABCD esi=0x30002 ecx=0x50000 extra=0xff",
      "addr16: ins data=wxyz edi=0x70002 ecx=0x90000 past_wrap=0x2e",
    },
    forbid = { "^exception:", "^runtime: error" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.string_com1",
  judges = { "pio.string.rep", "pio.com1.thr" },
  behavior = "REP OUTSB to COM1 puts the whole buffer on the console.",
  source = "contract 6",
  probe = "pio_mem",
  expect = { lines = { "pio_mem: rep outsb reached com1" }, report = "halted code=0x0" },
  points = 1,
}

------------------------------------------------------------------------------
-- Other ports (pio_other)

case {
  id = "pio.unknown_port",
  judges = { "pio.other", "pio.exits", "pio.forms" },
  behavior = "An unknown port reads all-ones of the access width (a byte or word IN changes only AL or AX) and ignores writes, in DX and imm8 forms.",
  source = "contract 6",
  probe = "pio_other",
  expect = {
    lines = {
      "pio_other: unknown form=dx port=0x1234 in8=0xff in16=0xffff in32=0xffffffff",
      "pio_other: unknown form=imm8 port=0x42 in8=0xff in16=0xffff in32=0xffffffff",
      -- RAX preloaded with 0x1122334455667788: a byte or word IN sets only
      -- the bits of its width.
      "pio_other: unknown form=dx rax_in8=0x11223344556677ff rax_in16=0x112233445566ffff",
      "pio_other: unknown form=imm8 rax_in8=0x11223344556677ff rax_in16=0x112233445566ffff",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.in_partial_register",
  judges = { "pio.widths", "arch.as-processor" },
  behavior = "IN AL/AX writes only AL/AX and keeps the rest of RAX; IN EAX zero-extends into RAX.",
  source = "SDM vol. 1 3.4.1.1; contract 6",
  probe = "pio_other",
  expect = {
    lines = {
      "pio_other: rax_after in8=0x11223344556677ff in16=0x112233445566ffff in32=0xffffffff",
      "pio_other: rax_after queue_in8=0x112233445566775a",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "pio.com1_registers",
  judges = { "pio.com1.lsr", "pio.com1.other" },
  behavior = "COM1's line status register (0x3FD) reads 0x60; its other registers (0x3F9-0x3FC, 0x3FE-0x3FF) read 0 and ignore writes.",
  source = "contract 6",
  probe = "pio_other",
  expect = {
    lines = {
      "pio_other: com1 lsr=0x60",
      "pio_other: com1 port=0x3f9 in8=0x0", "pio_other: com1 port=0x3fa in8=0x0",
      "pio_other: com1 port=0x3fb in8=0x0", "pio_other: com1 port=0x3fc in8=0x0",
      "pio_other: com1 port=0x3fe in8=0x0", "pio_other: com1 port=0x3ff in8=0x0",
    },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "pio.com1_wide_out",
  judges = { "pio.com1.thr", "pio.widths" },
  behavior = "A 16- or 32-bit OUT to COM1 sends only its low byte to the console.",
  source = "contract 6",
  probe = "pio_other",
  expect = { lines = { "pio_other: wide=OK" }, forbid = { "^pio_other: wide=.*X" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "pio.queue_empty_widths",
  judges = { "pio.fifo", "pio.widths" },
  behavior = "The empty queue reads 0xFF, 0xFFFF and 0xFFFFFFFF at the three widths.",
  source = "contract 6",
  probe = "pio_other",
  expect = { lines = { "pio_other: empty_queue in8=0xff in16=0xffff in32=0xffffffff" }, report = "halted code=0x0" },
  points = 1,
}

local PORT3 = { "InbAl", "InwAx", "IndEax", "OutbAl", "OutwAx", "OutdEax" }
local port3_order = { "^pio_other: port3 begin$" }
for _, form in ipairs({ "imm8", "dx" }) do
  for _, d in ipairs(PORT3) do port3_order[#port3_order + 1] = "^%[hv%] port 3 direction " .. d .. "$" end
  port3_order[#port3_order + 1] = "^pio_other: port3 form=" .. form .. " in8=0xff in16=0xffff in32=0xffffffff$"
end

case {
  id = "pio.port3_every_access",
  judges = { "pio.port3", "pio.forms", "pio.widths" },
  behavior = "Every access to port 3 logs '[hv] port 3 direction <dir><reg>' naming its width and direction, in both port forms; IN reads all-ones.",
  source = "seed 001 (KeV pio_print); contract 6",
  probe = "pio_other",
  expect = { ordered = port3_order, report = "halted code=0x0" },
  points = 2,
}
