-- Isolation (contract sections 5, 9 and 10): a guest reaches nothing
-- outside its RAM and its device windows, whatever page tables, buffer
-- addresses or operand placements it uses; the hypervisor answers every
-- non-fatal case with a result and goes on. Probes:
-- guest-probes/isolation_print, isolation_mmio (hv cmdline mem=16M, so
-- guest RAM ends at 0x1000000 and RAM end + 16 MiB is host memory of the
-- 160 MiB machine).
area { name = "isolation", doc = "Isolation: Print through hostile page tables, doorbell buffers outside RAM, operands crossing window ends, accesses past RAM (contract sections 5, 9 and 10)." }

-- The contract statements (spec/contract.md ids) that each case made by a
-- helper or loop below judges; cases written out in full name theirs inline.
local JUDGES = {
  ["isolation.below_first_window"] = { "map.hole", "end.ept-violation" },
  ["isolation.cross_doorbell_end"] = { "end.mmio-crosses-window" },
  ["isolation.doorbell_end_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window" },
  ["isolation.into_virtio_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window" },
  ["isolation.fs_into_virtio_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window", "mmio.prefixes", "msr.fs-base" },
  ["isolation.gs_into_virtio_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window", "mmio.prefixes", "msr.gs-base" },
  ["isolation.ds_base_into_virtio_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window", "arch.as-processor" },
  ["isolation.compat_ds_into_virtio_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window", "arch.as-processor" },
  ["isolation.into_virtio_store"] = { "end.mmio-crosses-window", "dev.operand-in-one-window" },
  ["isolation.rip_relative_into_virtio_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window" },
  ["isolation.rip_relative_into_virtio_store"] = { "end.mmio-crosses-window", "dev.operand-in-one-window" },
  ["isolation.rom_store_cross"] = { "end.mmio-crosses-window", "dev.operand-in-one-window", "map.rom" },
  ["isolation.virtio_end_load"] = { "end.mmio-crosses-window", "dev.operand-in-one-window" },
  ["isolation.cross_window_load"] = { "end.mmio-crosses-window" },
  ["isolation.cross_window_store"] = { "end.mmio-crosses-window" },
  ["isolation.doorbell_host_memory"] = { "dev.doorbell.efault" },
  ["isolation.doorbell_length_high_bits"] = { "dev.doorbell.e2big" },
  ["isolation.doorbell_ram_end"] = { "dev.doorbell.efault", "dev.doorbell.status" },
  ["isolation.doorbell_window_buffers"] = { "dev.doorbell.efault", "dev.testdev.reads" },
  ["isolation.doorbell_wrapping_buffer"] = { "dev.doorbell.efault" },
  ["isolation.host_memory_read"] = { "map.hole", "end.ept-violation" },
  ["isolation.past_last_window"] = { "map.hole", "end.ept-violation" },
  ["isolation.past_ram_write"] = { "map.hole", "end.ept-violation" },
  ["isolation.print_1g_page_past_ram"] = { "hc.error.efault", "hc.print.4level-1g" },
  ["isolation.print_huge_sizes"] = { "hc.error.e2big" },
  ["isolation.print_leaf_device"] = { "hc.error.efault", "dev.testdev.reads" },
  ["isolation.print_leaf_noexec"] = { "hc.error.efault" },
  ["isolation.print_leaf_past_ram"] = { "hc.error.efault", "hc.error.prints-nothing" },
  ["isolation.print_leaf_rom"] = { "hc.error.efault" },
  ["isolation.print_pml4_loop"] = { "hc.print.4level" },
  ["isolation.print_ram_end"] = { "hc.error.efault", "map.ram" },
  ["isolation.print_table_in_device"] = { "hc.error.efault", "dev.testdev.reads" },
  ["isolation.print_table_outside_ram"] = { "hc.error.efault" },
  ["isolation.print_wrap"] = { "hc.error.einval" },
}

local MEM = "mem=16M"
local EFAULT, E2BIG, EINVAL = "-14", "-7", "-22"
local BLOB_RIP = "0x300000"

------------------------------------------------------------------------------
-- Print through the guest's page tables (isolation_print, one boot)

local function print_case(name, behavior, lines, points, source, requires)
  case {
    id = "isolation." .. name,
    judges = JUDGES["isolation." .. name],
    behavior = behavior,
    source = source or "contract 5",
    probe = "isolation_print",
    hv_cmdline = MEM,
    expect = {
      lines = lines,
      ordered = { "^isolation_print: survived$" },
      forbid = { "LEAKED", "^runtime: error", "^exception:" },
      report = "halted code=0x0",
    },
    points = points,
    requires = requires,
  }
end
local function rax(name, value) return "isolation_print: case=" .. name .. " rax=" .. value end

print_case("print_leaf_past_ram",
  "Print through a page-table entry pointing past guest RAM (the first page past it, and host memory 16 MiB further) returns -14 and prints nothing.",
  { rax("leaf_past_ram", EFAULT), rax("leaf_far_past_ram", EFAULT) }, 2)
print_case("print_leaf_rom",
  "Print from the guest ROM returns -14: the ROM is guest-readable but not guest RAM.",
  { rax("leaf_rom", EFAULT) }, 1)
print_case("print_leaf_device",
  "Print through a mapping of the register test device returns -14 without reading a device register (READS advances only by the probe's own read).",
  { rax("leaf_testdev", EFAULT) .. " reads_delta=1" }, 2)
print_case("print_leaf_noexec",
  "Print from the no-execute page returns -14: it is guest-writable but not guest RAM.",
  { rax("leaf_noexec", EFAULT) }, 1)
print_case("print_1g_page_past_ram",
  "Print through a 1-GiB page that maps GPA 1 GiB (past a 16 MiB RAM) returns -14.",
  { rax("leaf_1g_past_ram", EFAULT) }, 1, nil, { "1g-pages" })
print_case("print_table_outside_ram",
  "Print whose walk meets a paging structure outside RAM (a page table at an unbacked GPA, a PDPT at the first GPA past RAM) returns -14.",
  { rax("pt_outside_ram", EFAULT), rax("pdpt_past_ram", EFAULT) }, 2)
print_case("print_table_in_device",
  "Print whose walk meets a paging structure in a device window (a page table in the test device, a PDPT in the ROM) returns -14 without reading a device register.",
  { rax("pt_testdev", EFAULT) .. " reads_delta=1", rax("pdpt_rom", EFAULT) }, 2)

-- (2,2,2,3): PML4[2] -> PML4 is used as PDPT, PD and PT; PT[3] = PML4[3]
-- is the text page. 48 = length of the probe's text.
print_case("print_pml4_loop",
  "Print through a PML4 entry that points at the PML4 itself walks exactly four levels like the processor: the text the guest reaches at that address prints and the result is its length.",
  { "isolation_print: printed through a looping PML4", rax("pml4_loop", "48"),
    "isolation_print: case=pml4_loop guest_read=i" }, 2, "contract 5; SDM 4.5")
print_case("print_ram_end",
  "A Print buffer ending at the last byte of RAM prints; one ending a byte past RAM returns -14 and prints nothing.",
  { "RAMEND!", rax("ram_end_exact", "8"), rax("ram_end_plus_one", EFAULT) }, 2)
print_case("print_huge_sizes",
  "Print of size 4097 returns -7 (HC_E2BIG); size 2^63 returns one of the errors that apply to it "
    .. "(-7 HC_E2BIG, -22 HC_EINVAL: it overflows the address width, or -14 HC_EFAULT), as contract 5 "
    .. "fixes no order between errors; neither prints.",
  { rax("size_4097", E2BIG), "isolation_print: case=size_2_63 documented_error=1" }, 1)
print_case("print_wrap",
  "A Print buffer wrapping past 2^64 (gva 2^64-1, size 2, both pages present) returns -22 (HC_EINVAL).",
  { rax("wrap", EINVAL) }, 1)

------------------------------------------------------------------------------
-- Doorbell buffers outside RAM (isolation_mmio, one boot)

local function ring_case(name, behavior, lines, points)
  case {
    id = "isolation." .. name,
    judges = JUDGES["isolation." .. name],
    behavior = behavior,
    source = "contract 9",
    probe = "isolation_mmio",
    hv_cmdline = MEM,
    expect = {
      lines = lines,
      ordered = { "^isolation_mmio: survived$" },
      forbid = { "LEAK", "^runtime: error", "^exception:" },
      report = "halted code=0x0",
    },
    points = points,
  }
end
local function status(name, value) return "isolation_mmio: ring=" .. name .. " status=" .. value end

ring_case("doorbell_ram_end",
  "A doorbell buffer at or ending one byte past the end of RAM gives STATUS -14 and prints nothing; one ending at the last byte of RAM prints.",
  { status("past_ram", EFAULT), status("ends_past_ram", EFAULT), "EDGE", status("ends_at_ram", "5") }, 2)
ring_case("doorbell_host_memory",
  "A doorbell buffer in host memory past guest RAM gives STATUS -14.",
  { status("host_memory", EFAULT) }, 2)
ring_case("doorbell_wrapping_buffer",
  "A doorbell buffer whose address plus length wraps past 2^64 gives STATUS -14.",
  { status("wraps", EFAULT) }, 1)
ring_case("doorbell_window_buffers",
  "Doorbell buffers in the test device, the ROM or the no-execute page give STATUS -14, and no device register is read.",
  { status("testdev", EFAULT) .. " reads_delta=1", status("rom", EFAULT), status("noexec", EFAULT) }, 2)
ring_case("doorbell_length_high_bits",
  "A doorbell LENGTH of 2^32 + 12 gives STATUS -7: all 64 bits of LENGTH count.",
  { status("length_2_32", E2BIG) }, 1)

------------------------------------------------------------------------------
-- Accesses that end the VM (isolation_mmio, one boot each)

local function fatal_case(name, test, report, behavior, points)
  case {
    id = "isolation." .. name,
    judges = JUDGES["isolation." .. name],
    behavior = behavior,
    source = "contract 3 and 9",
    probe = "isolation_mmio",
    cmdline = "test=" .. test,
    hv_cmdline = MEM,
    expect = {
      forbid = { "^isolation_mmio: survived", "^runtime: error" },
      report = report,
    },
    points = points,
  }
end

fatal_case("cross_window_store", "cross_store",
  "mmio: access crosses window end gpa=0xcafe1ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte store at 0xcafe1ffc, 4 bytes before the test device's window ends, ends the VM with 'mmio: access crosses window end'.", 2)
fatal_case("cross_window_load", "cross_load",
  "mmio: access crosses window end gpa=0xcafe1ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte load at 0xcafe1ffc ends the VM with 'mmio: access crosses window end' (the ROM after it is readable, so only the device part faults).", 1)
fatal_case("cross_doorbell_end", "cross_doorbell",
  "mmio: access crosses window end gpa=0xcafe0ffe width=4 rip=" .. BLOB_RIP,
  "A 4-byte store 2 bytes before the doorbell window's end ends the VM with 'mmio: access crosses window end ... width=4'.", 1)
fatal_case("doorbell_end_load", "doorbell_end_load",
  "mmio: access crosses window end gpa=0xcafe0ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte load at 0xcafe0ffc, 4 bytes before the doorbell window ends and the test device's begins, ends the VM with 'mmio: access crosses window end gpa=0xcafe0ffc width=8'.", 1)
fatal_case("rom_store_cross", "rom_store_cross",
  "mmio: access crosses window end gpa=0xcafe2ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte store at 0xcafe2ffc, 4 bytes before the ROM ends and the no-execute page begins, is a ROM write that does not fit in the ROM: it ends the VM with 'mmio: access crosses window end gpa=0xcafe2ffc width=8' (not a dropped write the guest survives).", 1)
fatal_case("into_virtio_load", "into_virtio_load",
  "mmio: access crosses window end gpa=0xcafe3ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte load at 0xcafe3ffc starts in the no-execute page (readable, so only the part at 0xcafe4000 faults) and runs into the virtio window: it ends the VM with 'mmio: access crosses window end' naming the operand's first byte 0xcafe3ffc, not a device read at 0xcafe4000.", 2)
fatal_case("into_virtio_store", "into_virtio_store",
  "mmio: access crosses window end gpa=0xcafe3ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte store at 0xcafe3ffc (no-execute page, then the virtio window) ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffc width=8', not a device write at 0xcafe4000.", 1)
-- The FS base (WRMSR) places the operand: a hypervisor that leaves it out
-- sees an operand at 0xffc, not one running into the window.
fatal_case("fs_into_virtio_load", "fs_into_virtio_load",
  "mmio: access crosses window end gpa=0xcafe3ffc width=8 rip=" .. BLOB_RIP,
  "The same 8-byte load written as FS:0xffc with the FS base 0xcafe3000 (WRMSR IA32_FS_BASE, 64-bit mode) starts at 0xcafe3ffc: it ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffc width=8', not a device read at 0xcafe4000.", 1)
fatal_case("gs_into_virtio_load", "gs_into_virtio_load",
  "mmio: access crosses window end gpa=0xcafe3ffc width=8 rip=" .. BLOB_RIP,
  "The same 8-byte load written as GS:0xffc with the GS base 0xcafe3000 (WRMSR IA32_GS_BASE, 64-bit mode) starts at 0xcafe3ffc: it ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffc width=8', not a device read at 0xcafe4000.", 1)
-- 64-bit mode ignores the DS base even when the descriptor loaded into DS
-- has one (SDM vol. 1 3.3.7.1): a hypervisor that adds it sees the
-- operand 256 MiB higher and lets a device read at 0xcafe4000 through.
fatal_case("ds_base_into_virtio_load", "ds_base_into_virtio_load",
  "mmio: access crosses window end gpa=0xcafe3ffc width=8 rip=" .. BLOB_RIP,
  "In 64-bit mode, with DS loaded from a descriptor whose base is 0x10000000, the 8-byte load at DS:0xcafe3ffc still starts at 0xcafe3ffc (64-bit mode ignores the DS base): it ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffc width=8'.", 1)
-- Compatibility mode (long mode, CS.L = 0) adds the DS base and wraps at
-- 4 GiB (SDM vol. 3A 3.2.4): DS base 0xf0000000 + EDI 0xdafe3ffe is
-- 0xcafe3ffe. A hypervisor that drops the base (or keeps bit 32) places
-- the operand nowhere near the window and lets a device read through.
fatal_case("compat_ds_into_virtio_load", "compat_ds_into_virtio_load",
  "mmio: access crosses window end gpa=0xcafe3ffe width=4 rip=" .. BLOB_RIP,
  "In compatibility mode (long mode, CS.L = 0), a 4-byte load at DS:EDI with the DS base 0xf0000000 and EDI = 0xdafe3ffe starts at 0xcafe3ffe (base + EDI, truncated to 32 bits), 2 bytes before the virtio window: it ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffe width=4', not a device read at 0xcafe4000 the guest survives.", 1)
-- A [rip+disp32] operand (SDM vol. 2A 2.2.1.6) is disp32 plus the address
-- of the NEXT instruction. The probe maps its code page at 0x8000000000 and
-- the no-execute page and the virtio window's page right after it, so the
-- operand 0x8000001ffe (GPA 0xcafe3ffe) is within reach of disp32. A
-- hypervisor that adds the instruction's own address, or subtracts its
-- length, sees an operand wholly inside one page and lets a device access
-- at 0xcafe4000 through.
local RIPREL_RIP = "0x8000000000"
fatal_case("rip_relative_into_virtio_load", "rip_relative_into_virtio_load",
  "mmio: access crosses window end gpa=0xcafe3ffe width=4 rip=" .. RIPREL_RIP,
  "A 4-byte load written mov eax,[rip+disp32], run at 0x8000000000, whose operand (disp32 plus the next instruction's address) is the linear address 0x8000001ffe, mapped to GPA 0xcafe3ffe, 2 bytes before the virtio window (mapped on the next page): it ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffe width=4', the guest-physical address of the operand's first byte, not a device read at 0xcafe4000.", 1)
fatal_case("rip_relative_into_virtio_store", "rip_relative_into_virtio_store",
  "mmio: access crosses window end gpa=0xcafe3ffe width=4 rip=" .. RIPREL_RIP,
  "The same operand written by the 4-byte store mov [rip+disp32],esi ends the VM with 'mmio: access crosses window end gpa=0xcafe3ffe width=4', not a device write at 0xcafe4000.", 1)
fatal_case("virtio_end_load", "virtio_end_load",
  "mmio: access crosses window end gpa=0xcafe4ffc width=8 rip=" .. BLOB_RIP,
  "An 8-byte load at 0xcafe4ffc, 4 bytes before the virtio window ends, ends the VM with 'mmio: access crosses window end gpa=0xcafe4ffc width=8'.", 1)
fatal_case("past_last_window", "past_windows",
  "ept violation gpa=0xcafe5000 access=read rip=" .. BLOB_RIP,
  "An 8-byte load at 0xcafe5000, the first byte after the last device window (the virtio block device), ends the VM with an 'ept violation' report there.", 1)
fatal_case("below_first_window", "below_window",
  "ept violation gpa=0xcafdfffc access=read rip=" .. BLOB_RIP,
  "An 8-byte load at 0xcafdfffc starts in the hole below the doorbell: the VM ends with an 'ept violation' report at its first byte.", 1)
fatal_case("host_memory_read", "host_read",
  "ept violation gpa=0x2000000 access=read rip=" .. BLOB_RIP,
  "Reading host memory past guest RAM (GPA 32 MiB with mem=16M on a 160 MiB machine) ends the VM with an 'ept violation' report: the guest never sees host memory.", 2)
fatal_case("past_ram_write", "past_ram_write",
  "ept violation gpa=0x1000000 access=write rip=" .. BLOB_RIP,
  "Writing the first byte past guest RAM ends the VM with an 'access=write' 'ept violation' report.", 2)
