-- Memory virtualization devices on top of the lazy pager, which the handout
-- keeps (without it no guest runs). Builds on pio-msr (its regions are
-- solved here) but does not grade its cases again.
lab {
  name = "memory",
  title = "Memory virtualization: MMIO emulation, the doorbell device, pager statistics",
  doc = "The handout maps guest RAM lazily through EPT and ends the VM on accesses outside "
    .. "RAM. Students write the MMIO path (fetch and decode the faulting instruction, "
    .. "dispatch it to the device, skip it; contract section 9), the doorbell print device "
    .. "and the MemStats hypercall the pager cases read (contract section 10). The host unit "
    .. "tests of the EPT and MMIO-decoder modules are graded too. The isolation cases are hidden.",
  source = "seed 001: KeV project 3 (ept::simple, ept::complicate, mmio_print, gkeos lazy pager)",
  builds_on = "pio-msr",
  cumulative = false,
  cases = { "ept", "pager", "mmio", "isolation" },
  hidden = { "isolation" },
  regions = {
    { name = "mmio_emulate", doc = "mmio_emulate() in reference/core/mmio.c",
      -- the permission run of ept_perms (not its fatal-access runs) and
      -- isolation_print read the test device as well
      needs = { "mmio", "ept%.ram_.*", "ept%.rom_.*", "ept.noexec_read_write", "probe:isolation_print",
                "isolation%.doorbell_.*", "isolation%.cross_.*",
                -- an operand that runs from RAM-like pages into a window
                "isolation%.into_virtio_.*", "isolation%..*_into_virtio_load",
                "isolation%..*_into_virtio_store", "isolation.rom_store_cross",
                "isolation.virtio_end_load" } },
    { name = "doorbell", doc = "ring() in reference/core/dev_doorbell.c",
      needs = { "mmio%.doorbell_.*", "isolation%.doorbell_.*" } },
    { name = "mem_stats", doc = "hc_mem_stats() in reference/core/exit_hypercall.c",
      -- the out-of-memory cases end before they read a statistic
      needs = { "probe:pager_counts", "probe:pager_elf" } },
  },
  editable = {
    "reference/core/mmio.c", "reference/core/dev_doorbell.c", "reference/core/exit_hypercall.c",
    "reference/lib/stage2.c", "reference/lib/mmio_decode.c",
  },
  units = {
    { program = "tests/unit/ept_test", points = 5 },
    { program = "tests/unit/mmio_decode_test", points = 5 },
  },
  run_timeout = 60,
}
