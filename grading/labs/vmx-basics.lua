-- VMX bring-up is given; students write the hypercall Print path and CPUID.
lab {
  name = "vmx-basics",
  title = "Hypercalls and CPUID on a running VMX guest",
  doc = "The handout boots the guest under VMX and already handles HaltCpu. Students write "
    .. "the Print hypercall (guest-virtual buffer checks and copy, contract section 5) and "
    .. "CPUID emulation (hide VMX, announce the hypervisor, contract section 7). Every probe "
    .. "prints through Print, so until it works only the cases that end before the guest "
    .. "runs (refused images and command lines, processors missing a required feature) pass.",
  source = "seed 001: KeV project 2 (hypercall_exit, hypercall_print, cpuid_leaf_0/1); "
    .. "JOS VMM lab 4 (VMX extension hidden from the guest)",
  cases = { "boot", "cpu", "vm_exits", "hypercall", "cpuid" },
  hidden = {
    "hypercall.print_1g_page", "hypercall.print_pae_2m_page",
    "cpuid.stable_leaf7", "boot.mem_option_kib",
  },
  regions = {
    { name = "hypercall_print",
      doc = "hc_print() in reference/core/exit_hypercall.c",
      -- every case whose guest gets to print (the probe runtime prints
      -- through Print); not the ones that end before the guest runs
      needs = { "hypercall", "cpuid", "probe:boot_state", "probe:boot_segments", "probe:gp_modes32",
                "probe:vm_exits", "probe:triple_fault", "probe:boot_tail_file", "probe:boot_tail_bss",
                "boot.exit_accounting" } },
    { name = "cpuid",
      doc = "handle_cpuid() in reference/core/exit_cpuid.c",
      -- hc_print_errors asks CPUID whether 1 GiB pages exist
      needs = { "cpuid", "probe:hc_print_errors" } },
  },
  editable = { "reference/core/exit_hypercall.c", "reference/core/exit_cpuid.c" },
}
