-- Port I/O and MSRs, on top of vmx-basics (whose regions are solved in this
-- handout); cumulative: vmx-basics' cases are graded again as regressions.
lab {
  name = "pio-msr",
  title = "Port I/O and MSR emulation",
  doc = "Students write the port map of IN/OUT (port 3 log, the 0xBB queue device, COM1), "
    .. "string I/O (INS/OUTS with REP, direction flag, page crossings; contract section 6) "
    .. "and the MSR table of RDMSR/WRMSR: SYSENTER_CS/ESP/EIP, FS/GS base, KERNEL_GS_BASE and "
    .. "the 0xABC scratch MSR (contract section 8; EFER and #GP(0) for the rest are given). "
    .. "The string I/O cases are hidden.",
  source = "seed 001: KeV project 2 (pio_print, pio_dx_port, pio_imm8_port, pio_mem, msr); "
    .. "JOS VMM lab 4 (I/O and EFER exits)",
  builds_on = "vmx-basics",
  cumulative = true,
  cases = { "pio", "msr" },
  hidden = { "pio%.string_.*", "msr.real_msrs_not_passed" },
  regions = {
    { name = "pio_ports", doc = "port_in() and port_out() in reference/core/exit_io.c",
      needs = { "pio" } },
    { name = "pio_string", doc = "string_io() in reference/core/exit_io.c",
      needs = { "pio%.string_.*" } },
    { name = "msr", doc = "the emulated MSR set in msr_slot(), reference/core/exit_msr.c",
      -- EFER stays given (every probe enters long mode through it); the msr
      -- probe checks the scratch MSR first, so each of its cases needs this,
      -- except the platform=pc ones (msr.platform_pc_*: mode=pc skips the
      -- scratch check, and those MSRs are the platform's, not msr_slot()'s)
      needs = { "msr%.scratch_.*", "msr.read_zeroes_upper", "msr.index_from_ecx", "msr%.efer_.*",
                "msr.sysenter_round_trip", "msr%.segment_base_.*", "msr.unknown_gp",
                "msr.real_msrs_not_passed", "msr.svm_msrs_gp", "msr.hypervisor_range_gp" } },
  },
  editable = { "reference/core/exit_io.c", "reference/core/exit_msr.c" },
}
