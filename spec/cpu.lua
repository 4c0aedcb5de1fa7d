-- Processor requirements (contract section 4): on a processor that lacks a
-- required feature the hypervisor ends the run with 'unsupported: <feature>'
-- before any guest code runs, naming the first missing feature in the
-- contract's order (long mode, then the rows of the vendor's extension:
-- VMX on Intel, SVM on AMD). Each case boots one CPU profile (spec/loader.lua,
-- CPU_PROFILE_MEANING); an engine that cannot build that processor skips the
-- case with the reason. The probe is never meant to run: its 'guest:' line
-- would mean the hypervisor started a guest it cannot run.
area { name = "cpu", doc = "Processor requirements: each missing feature ends the run with 'unsupported: <feature>', the first missing one in the contract's order (contract section 4)." }

-- A case whose run ends with 'unsupported: <c.feature>' before the guest is
-- loaded (the probe is only there so that a missing check would show).
local function refusal(c)
  c.probe = "hc_halt"
  c.expect = { report = "unsupported: " .. c.feature, forbid = { "^%[hv%] guest: " } }
  c.feature = nil
  case(c)
end

refusal {
  id = "cpu.no_long_mode",
  judges = { "cpu.long-mode", "cpu.order", "end.unsupported" },
  behavior = "On a VMX processor without long mode (which also lacks secondary controls, EPT and unrestricted guest) the run ends with 'unsupported: long mode', the first feature of the contract's list.",
  source = "contract 4; 32-bit VMX processors such as Core Duo",
  cpu = "no-long-mode",
  feature = "long mode",
  points = 1,
}

refusal {
  id = "cpu.long_mode_before_vmx",
  judges = { "cpu.order", "cpu.long-mode", "end.unsupported" },
  behavior = "On a processor with neither long mode nor VMX the run ends with 'unsupported: long mode', which comes before 'vmx' in the contract's list.",
  source = "contract 4",
  cpu = "no-vmx-no-long-mode",
  feature = "long mode",
  points = 1,
}

refusal {
  id = "cpu.no_vmx",
  judges = { "cpu.vmx", "cpu.vendor-choice", "end.unsupported" },
  behavior = "On an Intel processor without VMX (CPUID.1:ECX.VMX = 0) or SVM the run ends with 'unsupported: vmx', the extension of the processor's vendor, before any guest code runs.",
  source = "contract 4; anchor: JOS VMM vmx_check_support",
  cpu = "no-vmx",
  feature = "vmx",
  points = 2,
}

refusal {
  id = "cpu.vmx_locked_off",
  judges = { "cpu.vmx-firmware", "end.unsupported" },
  behavior = "When the firmware locked IA32_FEATURE_CONTROL with VMX outside SMX off, the run ends with 'unsupported: vmx disabled by firmware'.",
  source = "contract 4; SDM vol. 3 24.7 (IA32_FEATURE_CONTROL)",
  cpu = "vmx-locked-off",
  feature = "vmx disabled by firmware",
  points = 1,
}

refusal {
  id = "cpu.vmx_locked_off_before_capabilities",
  judges = { "cpu.order", "cpu.vmx-firmware", "end.unsupported" },
  behavior = "With VMX locked off by the firmware on a processor that also lacks unrestricted guest, the run names the firmware lock, which comes first in the contract's list (the VMX capability MSRs read fine while VMX is locked off).",
  source = "contract 4",
  cpu = "vmx-locked-off-no-unrestricted-guest",
  feature = "vmx disabled by firmware",
  points = 1,
}

refusal {
  id = "cpu.no_ept",
  judges = { "cpu.ept", "cpu.order", "end.unsupported" },
  behavior = "On a VMX processor without EPT (and so without unrestricted guest) the run ends with 'unsupported: ept', the first of the two in the contract's list.",
  source = "contract 4; anchor: JOS VMM vmx_check_ept",
  cpu = "no-ept",
  feature = "ept",
  points = 2,
}

refusal {
  id = "cpu.no_unrestricted_guest",
  judges = { "cpu.unrestricted-guest", "end.unsupported" },
  behavior = "On a VMX processor with EPT but without unrestricted guest (Nehalem) the run ends with 'unsupported: unrestricted guest'.",
  source = "contract 4; SDM vol. 3 A.3.3",
  cpu = "no-unrestricted-guest",
  feature = "unrestricted guest",
  points = 1,
}

-- Secondary controls and the three EPT capability rows have no case: no
-- engine of the suite builds such a processor on a machine without hardware
-- VMX (the contract's appendix says why and what would).

-- AMD (contract 4): with SVM the rows after long mode are svm, svm disabled
-- by firmware and nested paging.
refusal {
  id = "cpu.no_svm",
  judges = { "cpu.svm", "cpu.vendor-choice", "end.unsupported" },
  behavior = "On an AMD processor with long mode but without SVM (CPUID.80000001H:ECX.SVM = 0) or VMX, the run ends with 'unsupported: svm', the extension of the processor's vendor, before any guest code runs.",
  source = "contract 4; APM vol. 2 15.4",
  cpu = "no-svm",
  feature = "svm",
  points = 1,
}

-- Neither Bochs 2.7 nor QEMU's TCG models VM_CR (it reads 0, writes are
-- dropped), so only qemu-kvm on an AMD host plays svm-locked-off; elsewhere
-- the case is skipped with that reason.
refusal {
  id = "cpu.svm_locked_off",
  judges = { "cpu.svm-firmware", "end.unsupported" },
  behavior = "When the firmware set VM_CR.SVMDIS and locked VM_CR (LOCK), the run ends with 'unsupported: svm disabled by firmware'.",
  source = "contract 4; APM vol. 2 15.4, 15.30.1 (VM_CR)",
  cpu = "svm-locked-off",
  feature = "svm disabled by firmware",
  points = 1,
}

refusal {
  id = "cpu.no_npt",
  judges = { "cpu.nested-paging", "cpu.order", "end.unsupported" },
  behavior = "On an AMD processor with SVM but without nested paging (CPUID.8000000AH:EDX.NP = 0) the run ends with 'unsupported: nested paging'.",
  source = "contract 4; APM vol. 2 15.25",
  cpu = "no-npt",
  feature = "nested paging",
  points = 1,
}
