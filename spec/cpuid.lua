-- CPUID (contract section 7): VMX and SVM hidden, hypervisor bit and
-- leaves, pass through and stable results. Expected values come from the
-- contract and the architecture, never from a hypervisor's output. A case
-- whose answer depends on the processor's vendor names the Intel
-- (vmx-ept) or AMD (svm-npt) processor it expects; every other case holds
-- on both.
area { name = "cpuid", doc = "CPUID: VMX and SVM hidden, hypervisor-present bit, the 0x40000000 leaves, pass-through and stable results (contract section 7)." }

case {
  id = "cpuid.leaf0_vendor",
  judges = { "cpuid.passthrough" },
  behavior = "Leaf 0 passes through: an Intel VMX processor's vendor string 'GenuineIntel' (EBX = 'Genu').",
  source = "seed 001 (KeV cpuid_leaf_0); contract 7",
  probe = "cpuid_leaves",
  cpu = "vmx-ept",
  expect = { ordered = { "^cpuid: leaf=0x0 max=0x%x+ vendor=GenuineIntel$" }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "cpuid.vmx_hidden",
  judges = { "cpuid.leaf1.vmx" },
  behavior = "Leaf 1 ECX bit 5 (VMX) reads 0 in the guest.",
  source = "contract 7; anchor: JOS VMM 'VMX extension hidden from guest'",
  probe = "cpuid_leaves",
  expect = { lines = { "cpuid: leaf=0x1 vmx=0" }, report = "halted code=0x0" },
  points = 3,
}

case {
  id = "cpuid.svm_hidden",
  judges = { "cpuid.leaf80000001.svm" },
  behavior = "Leaf 0x80000001 ECX bit 2 (SVM) reads 0 in the guest, on both vendors.",
  source = "contract 7; APM vol. 3 appendix E (CPUID Fn8000_0001_ECX)",
  probe = "cpuid_leaves",
  expect = { lines = { "cpuid: leaf=0x80000001 svm=0" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "cpuid.hypervisor_bit",
  judges = { "cpuid.leaf1.hypervisor" },
  behavior = "Leaf 1 ECX bit 31 (hypervisor present) reads 1 in the guest.",
  source = "contract 7",
  probe = "cpuid_leaves",
  expect = { lines = { "cpuid: leaf=0x1 hypervisor=1" }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "cpuid.hypervisor_leaf",
  judges = { "cpuid.hv-leaf" },
  behavior = "Leaf 0x40000000 returns EAX = 0x40000000 and EBX:ECX:EDX = 'hvspecrefvmm'.",
  source = "contract 7",
  probe = "cpuid_leaves",
  expect = { lines = { "cpuid: leaf=0x40000000 max=0x40000000 signature=hvspecrefvmm" }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "cpuid.hypervisor_range_zero",
  judges = { "cpuid.hv-range" },
  behavior = "Leaves 0x40000001-0x4FFFFFFF return all zero.",
  source = "contract 7",
  probe = "cpuid_leaves",
  expect = {
    lines = {
      "cpuid: leaf=0x40000001 eax=0x0 ebx=0x0 ecx=0x0 edx=0x0",
      "cpuid: leaf=0x40000100 eax=0x0 ebx=0x0 ecx=0x0 edx=0x0",
      "cpuid: leaf=0x4fffffff eax=0x0 ebx=0x0 ecx=0x0 edx=0x0",
    },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "cpuid.passthrough_long_mode",
  judges = { "cpuid.passthrough" },
  behavior = "Leaf 0x80000001 passes through: EDX bit 29 (long mode) reads 1, as the processor the guest runs in long mode on says.",
  source = "contract 4 and 7",
  probe = "cpuid_leaves",
  expect = { lines = { "cpuid: leaf=0x80000001 lm=1" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "cpuid.leaf_from_eax",
  judges = { "arch.as-processor", "cpuid.passthrough" },
  behavior = "CPUID takes the leaf from EAX only and zeroes bits 63:32 of RAX, RBX, RCX and RDX, whatever they held.",
  source = "SDM vol. 2A CPUID; contract 7",
  probe = "cpuid_leaves",
  expect = {
    lines = { "cpuid: upper_garbage leaf=0x40000000 rax=0x40000000 rbx_upper=0x0 rcx_upper=0x0 rdx_upper=0x0" },
    report = "halted code=0x0",
  },
  points = 1,
}

for _, leaf in ipairs({ "0x0", "0x1", "0x7" }) do
  case {
    id = "cpuid.stable_leaf" .. leaf:sub(3),
    judges = { "cpuid.stable" },
    behavior = "0x100 consecutive CPUID calls of leaf " .. leaf .. " return identical results.",
    source = leaf == "0x1" and "seed 001 (KeV cpuid_leaf_1); contract 7" or "contract 7",
    probe = "cpuid_leaves",
    expect = { lines = { "cpuid: repeat leaf=" .. leaf .. " calls=256 differing=0" }, report = "halted code=0x0" },
    points = leaf == "0x1" and 2 or 1,
  }
end

-- ECX selects the subleaf of a passed-through leaf (contract 7 "every other
-- leaf/subleaf passes through"). Expected values are architectural (SDM
-- vol. 2A, CPUID leaves 04H and 0BH), true of every Intel processor that
-- meets contract 4: leaf 0BH exists since Nehalem, before unrestricted
-- guest. AMD reserves leaf 4, and AMD processors that meet contract 4
-- long lacked leaf 0BH, so both cases run on the Intel processor.
case {
  id = "cpuid.subleaf_cache_params",
  judges = { "cpuid.passthrough", "arch.as-processor" },
  behavior = "Leaf 4 passes through with the subleaf ECX names: subleaf 0 describes a cache (type in EAX[4:0] not 0) and subleaf 0x40, past the last cache, reads all zero.",
  source = "contract 7; SDM vol. 2A, CPUID leaf 04H",
  probe = "cpuid_leaves",
  cpu = "vmx-ept",
  expect = {
    lines = {
      "cpuid: subleaf leaf=0x4 sub=0x0 type_nonzero=1",
      "cpuid: subleaf leaf=0x4 sub=0x40 eax=0x0 ebx=0x0 ecx=0x0 edx=0x0",
    },
    report = "halted code=0x0",
  },
  points = 1,
}

case {
  id = "cpuid.subleaf_topology",
  judges = { "cpuid.passthrough", "arch.as-processor" },
  behavior = "Leaf 0xB passes through with the subleaf ECX names: ECX[7:0] of the result echoes the subleaf (0, 1, 2 and 0x5a).",
  source = "contract 7; SDM vol. 2A, CPUID leaf 0BH",
  probe = "cpuid_leaves",
  cpu = "vmx-ept",
  expect = {
    lines = {
      "cpuid: subleaf leaf=0xb sub=0x0 level=0x0",
      "cpuid: subleaf leaf=0xb sub=0x1 level=0x1",
      "cpuid: subleaf leaf=0xb sub=0x2 level=0x2",
      "cpuid: subleaf leaf=0xb sub=0x5a level=0x5a",
    },
    report = "halted code=0x0",
  },
  points = 1,
}

-- The AMD side of the vendor-dependent answers (svm-npt).
case {
  id = "cpuid.leaf0_vendor_amd",
  judges = { "cpuid.passthrough" },
  behavior = "Leaf 0 passes through: an AMD SVM processor's vendor string 'AuthenticAMD'.",
  source = "contract 7; APM vol. 3 appendix E (CPUID Fn0000_0000)",
  probe = "cpuid_leaves",
  cpu = "svm-npt",
  expect = { ordered = { "^cpuid: leaf=0x0 max=0x%x+ vendor=AuthenticAMD$" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "cpuid.svm_leaf_zero",
  judges = { "cpuid.leaf8000000a.zero" },
  behavior = "On an AMD SVM processor leaf 0x8000000A (SVM revision and features: nested paging, ASIDs) reads all zero in the guest, which sees no SVM.",
  source = "contract 7; APM vol. 3 appendix E (CPUID Fn8000_000A)",
  probe = "cpuid_leaves",
  cpu = "svm-npt",
  expect = { lines = { "cpuid: leaf=0x8000000a eax=0x0 ebx=0x0 ecx=0x0 edx=0x0" }, report = "halted code=0x0" },
  points = 1,
}
