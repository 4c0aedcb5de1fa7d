-- Hypercall ABI (contract section 5): HaltCpu, Print, unknown numbers,
-- register preservation and Print's address translation and errors.
-- Expected values come from the contract and from the probes' own buffers
-- (guest-probes/hc_*, gp_modes32), never from a hypervisor's output.
area { name = "hypercall", doc = "Hypercall ABI: VMCALL (and VMMCALL on AMD) numbers, arguments and results, register preservation, Print's guest-page-table walk and its errors (contract section 5)." }

-- The contract statements (spec/contract.md ids) that each case made by a
-- helper or loop below judges; cases written out in full name theirs inline.
local JUDGES = {
  ["hypercall.halt_code"] = { "hc.halt", "end.halted" },
  ["hypercall.halt_code_all_ones"] = { "end.halted" },
  ["hypercall.halt_code_high_bits"] = { "hc.halt", "end.halted" },
  ["hypercall.halt_code_zero"] = { "end.halted" },
}

local ENOSYS, EFAULT, E2BIG, EINVAL = "-38", "-14", "-7", "-22"

-- Print returns the number of bytes printed: the length of the text.
local function len(text) return tostring(#text) end

------------------------------------------------------------------------------
-- HaltCpu

local function halt_case(name, code_arg, report, behavior, points)
  case {
    id = "hypercall." .. name,
    judges = JUDGES["hypercall." .. name],
    behavior = behavior,
    source = name == "halt_code" and "seed 001 (KeV hypercall_exit); contract 5" or "contract 3 and 5",
    probe = "hc_halt",
    cmdline = code_arg,
    expect = {
      lines = { "hc_halt: halting code=" .. report:match("0x%x+$") },
      report = report,
      forbid = { "^hc_halt: returned" },
    },
    points = points,
  }
end
halt_case("halt_code", "", "halted code=0xcafe",
  "HaltCpu (RAX=0) ends the VM with 'halted code=<RDI>'; it does not return.", 3)
halt_case("halt_code_zero", "code=0", "halted code=0x0",
  "HaltCpu(0) reports 'halted code=0x0' (lowercase hex, no leading zeroes).", 1)
halt_case("halt_code_all_ones", "code=0xffffffffffffffff", "halted code=0xffffffffffffffff",
  "HaltCpu reports all 64 bits of RDI.", 1)
halt_case("halt_code_high_bits", "code=0x100000000", "halted code=0x100000000",
  "HaltCpu reports RDI's bits 63:32 too (0x100000000 is not 0).", 1)

------------------------------------------------------------------------------
-- Print on ordinary buffers

local HELLO = "Hello guest os!\n"
local VERBATIM = "hc_print: verbatim tab=[\t] high=[\xc3\xa9]\n"

case {
  id = "hypercall.print_hello",
  judges = { "hc.print", "hc.abi.registers", "hc.abi.rip" },
  behavior = "Print (RAX=1, RDI=buffer, RSI=size) writes the bytes to the console and returns the size.",
  source = "seed 001 (KeV hypercall_print); contract 5",
  probe = "hc_print",
  expect = {
    lines = { "Hello guest os!", "hc_print: hello rax=" .. len(HELLO) },
    report = "halted code=0x0",
  },
  points = 3,
}

case {
  id = "hypercall.print_verbatim",
  judges = { "console.verbatim" },
  behavior = "Printed bytes reach the console verbatim, tabs and bytes >= 0x80 included.",
  source = "contract 3",
  probe = "hc_print",
  expect = {
    lines = { VERBATIM:sub(1, -2), "hc_print: verbatim rax=" .. len(VERBATIM) },
    report = "halted code=0x0",
  },
  points = 1,
}

-- The probe's line of control bytes (hc_print/main.c); the C harness keeps
-- expectations as C strings, so each byte is matched by a class that no
-- printable stand-in (a '?', a space, an escape sequence) fits.
local CONTROL_LEN = #"hc_print: control nul=[\0] soh=[\1] esc=[\27] del=[\127] ff=[\255] end\n"
local ONE_CONTROL_BYTE = "%[[^%w%p%s]%]"

case {
  id = "hypercall.print_control_bytes",
  judges = { "console.verbatim", "hc.print" },
  behavior = "Print copies its buffer byte for byte: NUL and other control bytes neither end nor change it, and the count includes them.",
  source = "contract 5 (Print's bytes reach the console verbatim)",
  probe = "hc_print",
  expect = {
    ordered = {
      "^hc_print: control nul=" .. ONE_CONTROL_BYTE .. " soh=" .. ONE_CONTROL_BYTE ..
        " esc=" .. ONE_CONTROL_BYTE .. " del=" .. ONE_CONTROL_BYTE .. " ff=" ..
        ONE_CONTROL_BYTE .. " end$",
      "^hc_print: control rax=" .. CONTROL_LEN .. "$",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

local function max_line(i)
  local head = string.format("hc_print: max line=%02d ", i)
  return head .. string.rep(".", 63 - #head)
end

case {
  id = "hypercall.print_max_size",
  judges = { "hc.print", "hc.error.e2big" },
  behavior = "Print accepts exactly HC_PRINT_MAX = 4096 bytes and prints them all.",
  source = "contract 5",
  probe = "hc_print",
  expect = {
    lines = { max_line(0), max_line(31), max_line(63), "hc_print: max rax=4096" },
    ordered = { "^hc_print: max line=00 ", "^hc_print: max line=63 ", "^hc_print: max rax=4096$" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.print_pieces",
  judges = { "console.verbatim" },
  behavior = "Several Prints without newlines build one console line.",
  source = "contract 3 and 5",
  probe = "hc_print",
  expect = {
    lines = { "hc_print: pieces one two", "hc_print: pieces rax=17,4,4" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.print_open_line",
  judges = { "console.hv-lines" },
  behavior = "When guest output leaves a line open, the hypervisor starts its next line on a new line.",
  source = "contract 3",
  probe = "hc_print",
  expect = {
    lines = { "hc_print: open line" },
    ordered = { "^hc_print: open line$", "^%[hv%] " },
    report = "halted code=0x0",
  },
  points = 1,
}

------------------------------------------------------------------------------
-- Unknown numbers and register preservation

case {
  id = "hypercall.unknown_number",
  judges = { "hc.error.enosys", "hc.abi.rip" },
  behavior = "An unknown hypercall number returns HC_ENOSYS (-38) and the guest goes on.",
  source = "contract 5",
  probe = "hc_unknown",
  expect = {
    lines = {
      "hc_unknown: nr=0x77 rax=" .. ENOSYS,
      "hc_unknown: nr=0x100 rax=" .. ENOSYS,
      "hc_unknown: still running",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.unknown_number_high_bits",
  judges = { "hc.error.enosys", "hc.abi.registers" },
  behavior = "The hypercall number is all 64 bits of RAX: 0x100000000 and 0x100000001 are unknown, not HaltCpu or Print.",
  source = "contract 5",
  probe = "hc_unknown",
  expect = {
    lines = {
      "hc_unknown: nr=0x100000000 rax=" .. ENOSYS,
      "hc_unknown: nr=0x100000001 rax=" .. ENOSYS,
      "hc_unknown: nr=0x8000000000000000 rax=" .. ENOSYS,
      "hc_unknown: nr=0xffffffffffffffff rax=" .. ENOSYS,
    },
    forbid = { "bait printed" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.ud2_is_no_hypercall",
  judges = { "hc.abi.other-ud", "arch.as-processor" },
  behavior = "UD2 with a Print request in RAX, RDI and RSI is no hypercall: it raises #UD in the guest with RIP at the UD2 and prints nothing, also where the hypervisor intercepts #UD to find VMCALL (AMD).",
  source = "contract 5; SDM vol. 2B UD; APM vol. 2 15.12 (exception intercepts)",
  probe = "hc_unknown",
  expect = {
    lines = { "hc_unknown: ud2 vector=6 rip_offset=0", "hc_unknown: still running" },
    forbid = { "ud2 bait printed" },
    report = "halted code=0x0",
  },
  points = 1,
}

local PRESERVE_MSG = "hc_preserve: printed by the probed Print\n"

case {
  id = "hypercall.preserve_registers",
  judges = { "hc.abi.preserved" },
  behavior = "A hypercall changes only RAX: RBX, RCX, RDX, RSI, RDI, RBP, RSP and R8-R15 keep their values, for a successful Print, an unknown number and a failing Print.",
  source = "contract 5",
  probe = "hc_preserve",
  expect = {
    lines = {
      "hc_preserve: call=print rax=" .. len(PRESERVE_MSG) .. " changed_count=0",
      "hc_preserve: call=unknown rax=" .. ENOSYS .. " changed_count=0",
      "hc_preserve: call=print_e2big rax=" .. E2BIG .. " changed_count=0",
    },
    forbid = { "^hc_preserve: call=%S+ changed reg=" },
    report = "halted code=0x0",
  },
  points = 3,
}

case {
  id = "hypercall.preserve_rflags",
  judges = { "hc.abi.preserved" },
  behavior = "A hypercall leaves RFLAGS (CF, PF, AF, ZF, SF, DF, OF) as it was.",
  source = "contract 5",
  probe = "hc_preserve",
  expect = {
    lines = {
      "hc_preserve: call=print rflags before=0xcd7 after=0xcd7",
      "hc_preserve: call=unknown rflags before=0xcd7 after=0xcd7",
      "hc_preserve: call=print_e2big rflags before=0xcd7 after=0xcd7",
    },
    report = "halted code=0x0",
  },
  points = 1,
}

------------------------------------------------------------------------------
-- Print errors, 4-level paging (hc_print_errors)

local function pe(name, rax) return "hc_print_errors: case=" .. name .. " rax=" .. rax end

case {
  id = "hypercall.print_efault_not_present",
  judges = { "hc.error.efault", "hc.print.4level" },
  behavior = "Print returns HC_EFAULT (-14) when the buffer's page is not present at any level of the guest's 4-level paging (PTE, PDE, PDPTE, PML4E).",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = {
    lines = {
      pe("not_present_pte", EFAULT), pe("not_present_pde", EFAULT),
      pe("not_present_pdpte", EFAULT), pe("not_present_pml4e", EFAULT),
    },
    report = "halted code=0x0",
  },
  points = 2,
}

-- A not-present entry whose other bits are a valid entry's (the address of a
-- table or frame that maps P0_TEXT, RW, US, A): P = 0 alone makes it not
-- present. Each level first prints P0_TEXT through the same walk with P = 1.
local P0_TEXT = "hc_print_errors: p0 walk while present\n"
local function p0(level) return pe(level .. "_while_present", len(P0_TEXT)) end

case {
  id = "hypercall.print_efault_p0_ignored_bits",
  judges = { "hc.error.efault", "hc.print.4level" },
  behavior = "An entry with P = 0 is not present whatever its other bits hold: at each level of 4-level paging (PTE, PDE, PDPTE, PML4E) an entry that is a valid one (address of a table or frame mapping a text, RW, US, A) except for P = 0 gives HC_EFAULT (-14) and the text is not printed; with P = 1 the same walk prints it.",
  source = "contract 5; SDM vol. 3A 4.5 (Tables 4-15 to 4-20: with P = 0 the processor ignores every other bit)",
  probe = "hc_print_errors",
  expect = {
    lines = {
      P0_TEXT:sub(1, -2),
      p0("p0_pte"), pe("p0_pte", EFAULT), p0("p0_pde"), pe("p0_pde", EFAULT),
      p0("p0_pdpte"), pe("p0_pdpte", EFAULT), p0("p0_pml4e"), pe("p0_pml4e", EFAULT),
    },
    forbid = { "NOTPRESENT%-LEAKED" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.print_efault_outside_ram",
  judges = { "hc.error.efault", "hc.error.prints-nothing" },
  behavior = "Print returns HC_EFAULT when a page of the buffer translates to a GPA outside guest RAM, even if only its second page does, and prints nothing.",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = {
    lines = { pe("outside_ram", EFAULT), pe("straddle_ram_end", EFAULT) },
    forbid = { "STRADDLE%-PRINT%-LEAKED" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.print_efault_device_window",
  judges = { "hc.error.efault", "hc.error.prints-nothing" },
  behavior = "A buffer translating into a device window (the doorbell, or the guest ROM the guest itself may read) is outside guest RAM: HC_EFAULT, nothing printed.",
  source = "contract 5 and 9",
  probe = "hc_print_errors",
  expect = {
    lines = { pe("device_window", EFAULT), pe("guest_rom", EFAULT) },
    forbid = { "hvspec%-guest%-rom" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.print_error_prints_nothing",
  judges = { "hc.error.prints-nothing" },
  behavior = "An erroring Print prints nothing, even when the first page of the buffer was fine.",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = {
    lines = { pe("partial_not_present", EFAULT) },
    forbid = { "PARTIAL%-PRINT%-LEAKED", "WRAP%-PRINT%-LEAKED", "EEEEEEEE" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.print_e2big",
  judges = { "hc.error.e2big" },
  behavior = "Print returns HC_E2BIG (-7) for a size above 4096, judging all 64 bits of RSI: a size of 2^32 + 16 prints nothing and returns an error that applies to it (-7, or -14 since the buffer also runs past mapped memory; contract 5 fixes no order between errors).",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = {
    lines = { pe("e2big", E2BIG), "hc_print_errors: case=e2big_high_bits documented_error=1" },
    forbid = { "EEEEEEEE" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.print_einval_wrap",
  judges = { "hc.error.einval" },
  behavior = "In long mode Print returns HC_EINVAL (-22) when gva + size wraps past 2^64, though every page is present.",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = { lines = { pe("einval_wrap", EINVAL) }, forbid = { "WRAP%-PRINT%-LEAKED" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "hypercall.print_size_zero",
  judges = { "hc.print.size-zero" },
  behavior = "Print with size 0 returns 0 and prints nothing.",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = { lines = { pe("size_zero", "0") }, report = "halted code=0x0" },
  points = 1,
}

local CROSS = "hc_print_errors: cross first=frameA second=frameB\n"

case {
  id = "hypercall.print_cross_page",
  judges = { "hc.print.cross-page", "hc.print.4level" },
  behavior = "Print translates each page of a buffer that crosses a page boundary: the bytes come from the two frames the pages map, not from the frame after the first.",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = {
    lines = { CROSS:sub(1, -2), pe("cross_page", len(CROSS)) },
    forbid = { "WRONG%-FRAME" },
    report = "halted code=0x0",
  },
  points = 3,
}

local VIA_2M = "hc_print_errors: via 2m page\n"
local VIA_1G = "hc_print_errors: via 1g page\n"

case {
  id = "hypercall.print_2m_page",
  judges = { "hc.print.4level-2m" },
  behavior = "Print translates through a 2-MiB page of the guest's 4-level paging.",
  source = "contract 5",
  probe = "hc_print_errors",
  expect = { lines = { VIA_2M:sub(1, -2), pe("page_2m", len(VIA_2M)) }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "hypercall.print_1g_page",
  judges = { "hc.print.4level-1g" },
  behavior = "Print translates through a 1-GiB page of the guest's 4-level paging.",
  source = "contract 5",
  probe = "hc_print_errors",
  requires = { "1g-pages" },
  expect = {
    lines = { VIA_1G:sub(1, -2), pe("page_1g", len(VIA_1G)) },
    forbid = { "page1gb unsupported" },
    report = "halted code=0x0",
  },
  points = 2,
}

local LOW_TOP = "hc_print_errors: ends at canonical low top\n"
local HIGH_TOP = "hc_print_errors: ends at canonical high top\n"

case {
  id = "hypercall.print_ends_at_canonical_tops",
  judges = { "hc.error.einval", "hc.print.4level" },
  behavior = "Under 4-level paging a buffer whose last byte is the last of a canonical half (0x7fffffffffff, gva + size = 2^47; 0xffffffffffffffff, gva + size = 2^64) does not overflow the address width: Print prints it and returns its size, not HC_EINVAL; so does a 1-byte Print of that last byte.",
  source = "contract 5 (HC_EINVAL only when gva + size overflows the mode's address width); SDM vol. 1 3.3.7.1 (canonical addressing), vol. 3A 4.5",
  probe = "hc_print_errors",
  expect = {
    lines = {
      LOW_TOP:sub(1, -2), pe("low_top_end", len(LOW_TOP)), pe("low_top_last_byte", "1"),
      HIGH_TOP:sub(1, -2), pe("high_top_end", len(HIGH_TOP)), pe("high_top_last_byte", "1"),
    },
    report = "halted code=0x0",
  },
  points = 1,
}

------------------------------------------------------------------------------
-- Print in the 32-bit modes (gp_modes32)

local function m32(mode, name, rax) return "modes32: mode=" .. mode .. " case=" .. name .. " rax=" .. rax end
local function cross32(mode) return "modes32: mode=" .. mode .. " cross first=frameA second=frameB\n" end
local LARGE = "modes32: via large page\n"

case {
  id = "hypercall.print_paging_off",
  judges = { "hc.print.paging-off", "hc.error.efault", "hc.error.e2big" },
  behavior = "With paging off Print takes RDI as a guest-physical address; past guest RAM it returns HC_EFAULT; above 4096 bytes HC_E2BIG.",
  source = "contract 5",
  probe = "gp_modes32",
  expect = {
    lines = {
      "modes32: mode=off hello",
      m32("off", "hello", len("modes32: mode=off hello\n")),
      m32("off", "outside_ram", EFAULT),
      m32("off", "e2big", E2BIG),
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.print_32bit_paging",
  judges = { "hc.print.32bit", "hc.print.cross-page", "hc.error.efault" },
  behavior = "Under 32-bit paging Print walks the guest's page directory and tables: a buffer crossing two 4-KiB pages reads both frames; non-present PDE/PTE and pages past RAM give HC_EFAULT.",
  source = "contract 5",
  probe = "gp_modes32",
  expect = {
    lines = {
      cross32("pse32"):sub(1, -2),
      m32("pse32", "cross_page", len(cross32("pse32"))),
      m32("pse32", "not_present_pte", EFAULT),
      m32("pse32", "not_present_pde", EFAULT),
      m32("pse32", "outside_ram", EFAULT),
      m32("pse32", "e2big", E2BIG),
      m32("pse32", "size_zero", "0"),
    },
    forbid = { "WRONG%-FRAME" },
    report = "halted code=0x0",
  },
  points = 2,
}

-- As hypercall.print_efault_p0_ignored_bits, in both 32-bit modes; a PAE
-- PDPTE's only other bits are its directory's address (SDM Table 4-8).
local P0_TEXT32 = "modes32: p0 walk while present\n"
local function p0_32(mode, level) return m32(mode, level .. "_while_present", len(P0_TEXT32)) end

case {
  id = "hypercall.print_efault_p0_ignored_bits_32bit",
  judges = { "hc.error.efault", "hc.print.32bit", "hc.print.pae" },
  behavior = "An entry with P = 0 is not present whatever its other bits hold: under 32-bit paging (PDE, PTE) and PAE paging (PDPTE, PDE, PTE) an entry that is a valid one (address of a table or frame mapping a text, and RW, US, A where the level has them) except for P = 0 gives HC_EFAULT (-14) and the text is not printed; with P = 1 the same walk prints it.",
  source = "contract 5; SDM vol. 3A 4.3, 4.4 (Tables 4-4 to 4-6 and 4-8 to 4-11: with P = 0 the processor ignores every other bit)",
  probe = "gp_modes32",
  expect = {
    lines = {
      P0_TEXT32:sub(1, -2),
      p0_32("pse32", "p0_pte"), m32("pse32", "p0_pte", EFAULT),
      p0_32("pse32", "p0_pde"), m32("pse32", "p0_pde", EFAULT),
      p0_32("pae", "p0_pte"), m32("pae", "p0_pte", EFAULT),
      p0_32("pae", "p0_pde"), m32("pae", "p0_pde", EFAULT),
      p0_32("pae", "p0_pdpte"), m32("pae", "p0_pdpte", EFAULT),
    },
    forbid = { "NOTPRESENT%-LEAKED" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.print_32bit_4m_page",
  judges = { "hc.print.32bit-4m" },
  behavior = "Under 32-bit paging with CR4.PSE Print translates through a 4-MiB page.",
  source = "contract 5",
  probe = "gp_modes32",
  expect = {
    ordered = { "^modes32: mode=pse32 case=cross_page ", "^modes32: via large page$", "^" .. m32("pse32", "large_page", len(LARGE)) .. "$" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.print_pae_paging",
  judges = { "hc.print.pae", "hc.print.cross-page", "hc.error.efault" },
  behavior = "Under PAE paging Print walks PDPTE, PDE and PTE: a buffer crossing two 4-KiB pages reads both frames; a non-present PDPTE/PDE/PTE and pages past RAM give HC_EFAULT.",
  source = "contract 5",
  probe = "gp_modes32",
  expect = {
    lines = {
      cross32("pae"):sub(1, -2),
      m32("pae", "cross_page", len(cross32("pae"))),
      m32("pae", "not_present_pte", EFAULT),
      m32("pae", "not_present_pde", EFAULT),
      m32("pae", "not_present_pdpte", EFAULT),
      m32("pae", "outside_ram", EFAULT),
      m32("pae", "e2big", E2BIG),
      m32("pae", "size_zero", "0"),
    },
    forbid = { "WRONG%-FRAME" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "hypercall.print_pae_2m_page",
  judges = { "hc.print.pae" },
  behavior = "Under PAE paging Print translates through a 2-MiB page, below 2 GiB (PDPT entry 1) and above it (0xc0000000, PDPT entry 3).",
  source = "contract 5",
  probe = "gp_modes32",
  expect = {
    ordered = { "^modes32: mode=pae case=cross_page ", "^modes32: via large page$", "^" .. m32("pae", "large_page", len(LARGE)) .. "$",
      "^modes32: via large page$", "^" .. m32("pae", "large_page_high", len(LARGE)) .. "$" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.print_einval_32bit",
  judges = { "hc.error.einval" },
  behavior = "In 32-bit modes the address width is 32 bits: a buffer wrapping past 4 GiB gives HC_EINVAL though its pages are present.",
  source = "contract 5",
  probe = "gp_modes32",
  expect = {
    lines = { m32("pse32", "einval_wrap", EINVAL), m32("pae", "einval_wrap", EINVAL) },
    report = "halted code=0x0",
  },
  points = 1,
}

local function top32(mode) return "modes32: mode=" .. mode .. " top page end\n" end

case {
  id = "hypercall.print_ends_at_4g_32bit",
  judges = { "hc.error.einval", "hc.print.32bit", "hc.print.pae" },
  behavior = "In 32-bit modes a buffer whose last byte is 0xffffffff (gva + size = 4 GiB) does not overflow the 32-bit address width: Print prints it and returns its size, not HC_EINVAL; so does a 1-byte Print at 0xffffffff.",
  source = "contract 5 (HC_EINVAL only when gva + size overflows the mode's address width); SDM vol. 3A 4.3, 4.4",
  probe = "gp_modes32",
  expect = {
    lines = {
      top32("pse32"):sub(1, -2),
      m32("pse32", "top_end", len(top32("pse32"))),
      m32("pse32", "last_byte", "1"),
      top32("pae"):sub(1, -2),
      m32("pae", "top_end", len(top32("pae"))),
      m32("pae", "last_byte", "1"),
    },
    report = "halted code=0x0",
  },
  points = 1,
}

------------------------------------------------------------------------------
-- AMD's hypercall instructions (svm-npt): VMCALL raises #UD there, which the
-- hypervisor takes for the hypercall; VMMCALL is a hypercall too.

case {
  id = "hypercall.vmcall_on_svm",
  judges = { "hc.abi.vmcall-svm", "hc.abi.preserved", "hc.abi.rip" },
  behavior = "On an AMD SVM processor, where VMCALL raises #UD, VMCALL still is the hypercall: Print, an unknown number and a failing Print return their results, RIP moves past the 3-byte VMCALL, and every other register and RFLAGS keep their values.",
  source = "contract 5; APM vol. 2 15.12 (exception intercepts)",
  probe = "hc_preserve",
  cpu = "svm-npt",
  expect = {
    lines = {
      "hc_preserve: call=print rax=" .. len(PRESERVE_MSG) .. " changed_count=0",
      "hc_preserve: call=unknown rax=" .. ENOSYS .. " changed_count=0",
      "hc_preserve: call=print_e2big rax=" .. E2BIG .. " changed_count=0",
      "hc_preserve: call=print rflags before=0xcd7 after=0xcd7",
    },
    forbid = { "^hc_preserve: call=%S+ changed reg=" },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "hypercall.vmmcall",
  judges = { "hc.abi.vmmcall", "hc.abi.rip", "hc.halt" },
  behavior = "On an AMD SVM processor VMMCALL (0F 01 D9) is a hypercall with VMCALL's ABI: a Print prints its line and returns its size (RIP moved past the 3-byte instruction), and HaltCpu ends the VM with its code.",
  source = "contract 5; APM vol. 3 VMMCALL",
  probe = "hc_halt",
  cmdline = "insn=vmmcall",
  cpu = "svm-npt",
  expect = {
    lines = { "hc_halt: printed through vmmcall", "hc_halt: vmmcall print rax=" .. len("hc_halt: printed through vmmcall\n") },
    ordered = { "^hc_halt: printed through vmmcall$", "^hc_halt: vmmcall print rax=", "^hc_halt: halting code=0xcafe$" },
    forbid = { "^hc_halt: returned" },
    report = "halted code=0xcafe",
  },
  points = 1,
}

-- The Print line exc_pf makes from ring 3 (guest-probes/exc_pf/main.c,
-- user_hypercall).
local USER_PRINT_MSG = "exc_pf: printed from ring 3\n"

case {
  id = "hypercall.print_from_ring3",
  judges = { "hc.abi.any-cpl", "hc.print", "hc.abi.rip", "hc.error.efault" },
  behavior = "A Print hypercall made at CPL 3 (VMCALL in a 64-bit ring-3 code segment, through the probe's own GDT and TSS) prints its line and returns its size, an absent page gives HC_EFAULT, and both times the guest goes on in ring 3 after the 3-byte VMCALL (the UD2 there raises #UD with CS 0x2b at that address).",
  source = "contract 5; SDM vol. 3C VMCALL (a VM exit in VMX non-root operation before any CPL check); APM vol. 2 15.12 (#UD intercept)",
  probe = "exc_pf",
  cmdline = "mode=user-hypercall",
  expect = {
    lines = {
      USER_PRINT_MSG:sub(1, -2),
      "exc: user_print result=" .. len(USER_PRINT_MSG) .. " size=" .. len(USER_PRINT_MSG),
      "exc: user_print_absent result=" .. EFAULT,
    },
    ordered = {
      "^exc_pf: printed from ring 3$",
      "^exc: user_print result=",
      "^exc: user_print_ud vector=6 error=0x0 rip_offset=0 cs=0x2b rflags=0x%x+ rsp_offset=0 ss=0x23 faults=1$",
      "^exc: user_print_absent result=",
      "^exc: user_print_absent_ud vector=6 error=0x0 rip_offset=0 cs=0x2b rflags=0x%x+ rsp_offset=0 ss=0x23 faults=1$",
    },
    report = "halted code=0x0",
  },
  points = 1,
}
