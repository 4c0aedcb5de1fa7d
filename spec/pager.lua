-- The lazy pager and its MemStats counters (contract sections 2, 5 and 10):
-- frames only for touched pages, one stage-2 fault (EPT violation or nested
-- page fault) per fresh page, zero fill, ELF file bytes and bss filled per
-- page, a bounded host footprint,
-- and "out of memory" when host frames run out. Probes:
-- guest-probes/pager_counts, pager_elf, pager_oom (perf_mem's figures are a
-- benchmark: ci/bench-memory.sh). Expected
-- counts follow from what each probe touches (see its doc comment) and from
-- pager_elf's layout (guest-probes/pager_elf/pattern.h and link.ld).
area { name = "pager", doc = "Lazy pager: MemStats counts, zero fill, lazy ELF loading of file bytes and bss, host footprint, out of memory (contract sections 2, 5 and 10)." }

-- The contract statements (spec/contract.md ids) that each case made by a
-- helper or loop below judges; cases written out in full name theirs inline.
local JUDGES = {
  ["pager.elf_bss_lazy_zero"] = { "pager.untouched", "pager.fill" },
  ["pager.elf_bss_tail"] = { "pager.fill", "guest.elf.load" },
  ["pager.elf_file_bytes"] = { "guest.elf.load", "pager.fill" },
  ["pager.elf_file_pages_lazy"] = { "pager.first-touch", "pager.fill" },
  ["pager.elf_partial_page_bss"] = { "pager.fill", "guest.elf.load" },
  ["pager.elf_shared_page"] = { "pager.fill", "guest.elf.load" },
  ["pager.elf_unaligned_segment"] = { "pager.fill", "guest.elf.load" },
  ["pager.footprint_1024"] = { "pager.footprint", "hc.memstats.host-frames", "hc.memstats.ept-tables" },
  ["pager.footprint_256"] = { "pager.footprint", "hc.memstats.host-frames", "hc.memstats.ept-tables" },
  ["pager.hypervisor_touch_populates"] = { "pager.first-touch", "pio.string.translate" },
  ["pager.lazy_at_start"] = { "pager.lazy-start", "hc.memstats.populated" },
  ["pager.read_populates_zeroed"] = { "pager.first-touch", "pager.fill", "host.ram.not-zero" },
  ["pager.same_page_twice"] = { "pager.first-touch", "hc.memstats.populated", "hc.memstats.ept-violations" },
  ["pager.stats_bad_selector"] = { "hc.memstats.bad-selector", "hc.memstats" },
  ["pager.stats_touch_nothing"] = { "hc.memstats.populated", "hc.memstats.ept-violations" },
  ["pager.write_populates_each_page"] = { "pager.first-touch", "hc.memstats.populated", "hc.memstats.ept-violations" },
}

local EINVAL = "-22"

------------------------------------------------------------------------------
-- MemStats counts (pager_counts, one boot)

-- expect_lines: exact lines; patterns (optional): Lua patterns that must
-- match, in order, before the final line.
local function counts_case(name, behavior, expect_lines, points, source, patterns)
  local ordered = {}
  for _, p in ipairs(patterns or {}) do ordered[#ordered + 1] = p end
  ordered[#ordered + 1] = "^pager_counts: done$"
  case {
    id = "pager." .. name,
    judges = JUDGES["pager." .. name],
    behavior = behavior,
    source = source or "contract 5 and 10",
    probe = "pager_counts",
    expect = {
      lines = #expect_lines > 0 and expect_lines or nil,
      ordered = ordered,
      forbid = { "^runtime: error", "^exception:" },
      report = "halted code=0x0",
    },
    points = points,
  }
end

counts_case("stats_bad_selector",
  "MemStats with a selector other than 0-3 returns HC_EINVAL (-22).",
  { "pager_counts: invalid selector=0x4 rax=" .. EINVAL,
    "pager_counts: invalid selector=0xffffffffffffffff rax=" .. EINVAL }, 1)
counts_case("lazy_at_start",
  "When the probe starts, no more guest pages are populated than its image and boot information span: the rest of RAM has no frames.",
  {}, 2, "contract 10",
  { "^pager_counts: at_start pages=%d+ image_pages=%d+ info_pages=%d+ within_image=yes$" })
counts_case("stats_touch_nothing",
  "Reading the MemStats counters populates no page and serves no fault.",
  { "pager_counts: touch kind=none pages=0 populated=0 faults=0" }, 1)
counts_case("write_populates_each_page",
  "Writing one byte to each of 64 fresh pages populates exactly 64 pages through exactly 64 stage-2 faults.",
  { "pager_counts: touch kind=write pages=64 populated=64 faults=64" }, 2, "seed 000 (KeV project 3, lazy pager); contract 10")
counts_case("same_page_twice",
  "Touching one fresh page several times (write, read, write) costs one frame and one stage-2 fault.",
  { "pager_counts: touch kind=twice pages=1 populated=1 faults=1" }, 2)
counts_case("read_populates_zeroed",
  "Reading 64 fresh pages populates each once, and every byte reads zero (the machine's RAM is not zero: the hypervisor cleared them).",
  { "pager_counts: touch kind=read pages=64 populated=64 faults=64 nonzero_pages=0" }, 2)
counts_case("hypervisor_touch_populates",
  "A page the hypervisor writes on the guest's behalf (REP INSB from the FIFO port) gets its frame without a guest stage-2 fault, and holds the bytes.",
  { "pager_counts: hv_touch pages=1 populated=1 faults=0 bytes=match" }, 1, "contract 6 and 10")

-- ram_frames = host_frames delta - stage-2 table delta must equal N (selector 3
-- is RAM pages + stage-2 tables + ROM); the bound N + ceil(N/512) + 2 allows
-- one stage-2 page table per 2 MiB (SDM 29.3.2; APM vol. 2 15.25) and two upper-level tables.
local function footprint_case(n, bound, points)
  case {
    id = "pager.footprint_" .. n,
    judges = JUDGES["pager.footprint_" .. n],
    behavior = string.format("Touching %d fresh pages adds exactly %d populated pages and %d RAM frames to the VM's host frames, and at most %d frames in all (N + ceil(N/512) + 2 stage-2 tables).", n, n, n, bound),
    source = "contract 5 and 10; SDM 29.3.2; APM vol. 2 15.25",
    probe = "pager_counts",
    expect = {
      ordered = {
        "^pager_counts: footprint n=" .. n .. " pages=%d+ host_frames=%d+$",
        "^pager_counts: footprint n=" .. n .. " pages_delta=" .. n .. " ram_frames=" .. n
          .. " tables_delta=%d+ bound=" .. bound .. " within_bound=yes$",
      },
      report = "halted code=0x0",
    },
    points = points,
  }
end
footprint_case(256, 256 + 1 + 2, 2)
footprint_case(1024, 1024 + 2 + 2, 2)

------------------------------------------------------------------------------
-- Lazy ELF loading (pager_elf, one boot). Layout: pattern.h / link.ld.

local function elf_case(name, behavior, expect_lines, points)
  case {
    id = "pager." .. name,
    judges = JUDGES["pager." .. name],
    behavior = behavior,
    source = "contract 2 and 10; seed 000 (KeV project 3, gKeOS paged in lazily)",
    probe = "pager_elf",
    expect = {
      lines = expect_lines,
      ordered = { "^pager_elf: done$" },
      forbid = { "^runtime: error", "^exception:" },
      report = "halted code=0x0",
    },
    points = points,
  }
end

elf_case("elf_file_bytes",
  "Every byte of a PT_LOAD segment's file part (0x2a00 bytes of a known pattern) reads as in the image.",
  { "pager_elf: data bytes=0x2a00 mismatches=0" }, 2)
elf_case("elf_file_pages_lazy",
  "File-backed pages nobody touched before get their frames on first touch: 3 pages, 3 stage-2 faults.",
  { "pager_elf: data pages=3 populated=3 faults=3" }, 1)
elf_case("elf_partial_page_bss",
  "In the page where a segment's file bytes end (page offset 0xa00) the remaining 0x600 bss bytes read zero, though the image file continues there.",
  { "pager_elf: partial_page file_bytes=0xa00 bss_bytes=0x600 nonzero=0" }, 2)
elf_case("elf_bss_lazy_zero",
  "A 1 MiB bss costs no frames until touched: reading its 255 whole pages populates exactly 255 pages, all zero.",
  { "pager_elf: bss pages=255 populated=255 nonzero_pages=0" }, 2)
elf_case("elf_bss_tail",
  "The last page of a segment is zero both in its bss part (0xa00 bytes) and past p_memsz (0x600 bytes), and bss is writable.",
  { "pager_elf: tail_page bss_bytes=0xa00 beyond_bytes=0x600 nonzero=0",
    "pager_elf: bss write readback=0x5a" }, 1)
elf_case("elf_unaligned_segment",
  "A segment starting at page offset 0xa00 holds its file bytes exactly, and the 0xa00 bytes of its first page before it read zero.",
  { "pager_elf: seg_a lead_bytes=0xa00 nonzero=0 bytes=0x1800 mismatches=0" }, 2)
elf_case("elf_shared_page",
  "A page holding the end of one segment (0x200 bytes) and the start of the next (0x400 file bytes, 0xa00 bss) is filled from both, bss zero.",
  { "pager_elf: shared_page a_bytes=0x200 b_file_bytes=0x400 b_bss_bytes=0xa00 mismatches=0 nonzero=0" }, 2)

------------------------------------------------------------------------------
-- Out of memory (pager_oom): 256 MiB of guest RAM on the default 160 MiB
-- machine. Where a hypervisor runs out depends on the memory it keeps for
-- itself, which is its own choice (contract 1): {#host.ram.budget} only
-- promises 64 MiB of guest pages, so the probe (touching from 4 MiB up) must
-- get past 64 MiB, and no further point is judged.

local OOM_MEM = "mem=256M"
case {
  id = "pager.out_of_memory",
  judges = { "pager.out-of-memory", "end.out-of-memory", "host.ram.budget" },
  behavior = "When the guest touches more RAM (256 MiB) than the host has frames for, the VM ends with 'out of memory' after serving at least the 64 MiB of guest pages the contract's budget promises on a 160 MiB machine (the probe's 'touched mib=64'); where exactly it runs out is the hypervisor's choice.",
  source = "contract 1 and 10",
  probe = "pager_oom",
  hv_cmdline = OOM_MEM,
  expect = {
    ordered = { "^pager_oom: touched mib=64$" },
    forbid = { "^pager_oom: touched all", "^runtime: error", "^exception:" },
    report = "out of memory",
  },
  points = 3,
}

------------------------------------------------------------------------------
-- Teardown after heavy paging (contract 3): every frame comes back.

local TEARDOWN = "^%[hv%] teardown: frames_held=%d+ leaked=0$"
case {
  id = "pager.teardown_after_paging",
  judges = { "console.teardown" },
  behavior = "After the guest populated some 1400 pages, teardown frees every frame the VM held: 'leaked=0'.",
  source = "contract 3 and 10",
  probe = "pager_counts",
  expect = { ordered = { "^pager_counts: done$", TEARDOWN }, report = "halted code=0x0" },
  points = 1,
}
case {
  id = "pager.teardown_after_oom",
  judges = { "console.teardown" },
  behavior = "A VM that ran out of host frames still frees every frame it held before the 'out of memory' report: 'leaked=0'.",
  source = "contract 3 and 10",
  probe = "pager_oom",
  hv_cmdline = OOM_MEM,
  expect = { ordered = { "^pager_oom: touched mib=64$", TEARDOWN }, report = "out of memory" },
  points = 1,
}

-- Out of memory while the pager also needs a new stage-2 page table (pager_oom
-- dense=<pages>, doc comment): after <pages> pages the probe touches one
-- page per fresh 2 MiB region, so each touch needs a page frame and a stage-2
-- table frame, and the frames run out on one or the other. Which one
-- depends on the memory the hypervisor keeps for itself (its own choice),
-- so each window of <pages> runs with both parities, and the 1 GiB guest
-- on a 16 MiB machine makes the window cover hypervisors that keep up to
-- about 7 MiB. Below the contract's budget (16 MiB, not 160) a hypervisor
-- may run out before the guest even starts, so no line is required: only
-- a teardown line that reports a leak, or a guest that got everything, fails.
for _, dense in ipairs({ 2200, 2201, 3200, 3201 }) do
  case {
    id = "pager.teardown_oom_table_" .. dense,
    judges = { "console.teardown", "pager.out-of-memory" },
    behavior = string.format("A 1 GiB guest on a 16 MiB machine touches %d pages, then one page in every fresh 2 MiB region (a page frame and a new stage-2 table each) until the host runs dry: the VM ends with 'out of memory' and, if it got that far, teardown reports 'leaked=0' whichever allocation failed (a frame taken for the page must be given back when its stage-2 table cannot be).", dense),
    source = "contract 3 and 10; SDM 29.3.2; APM vol. 2 15.25",
    probe = "pager_oom",
    cmdline = "dense=" .. dense,
    hv_cmdline = "mem=1G",
    machine_mib = 16,
    expect = {
      forbid = { "^%[hv%] teardown: frames_held=%d+ leaked=[1-9]", "^pager_oom: touched all",
        "^runtime: error", "^exception:" },
      report = "out of memory",
    },
    points = 1,
  }
end
