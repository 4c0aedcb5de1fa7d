-- spec/loader.lua: reads the area tables (spec/<area>.lua) in a sandbox and
-- checks every case against the schema. The harness (embedded in C) and the
-- catalogue generator (ci/catalogue) both load the tables through this file,
-- so a table that one accepts the other accepts too.
--
-- Use: local loader = dofile("spec/loader.lua")
--      local set = loader.load_dir("spec", { "hypercall.lua", ... })
-- On a malformed table load_dir raises "spec/<file>.lua:<line>: <problem>".

local M = {}

-- Defaults of the optional case fields.
M.DEFAULTS = {
  cmdline = "",
  hv_cmdline = "",
  cpu = "virt",
  machine_mib = 160,
  timeout = 30,
}

-- CPU profiles (field 'cpu'): the processor a case's machine has, and how
-- its firmware set it up. This table is the one list of profile names and
-- what each means (contract section 4 names the features). Each engine
-- driver (harness/engine/engine_bochs.c, engine_qemu.c) maps every name to
-- its own processor or says why it cannot (the case is then SKIPPED with
-- that reason); harness/engine/engine_test checks that every engine lists
-- exactly these names. Adding a profile: one line here, one per engine.
-- The default, virt, is the processor of the engine's own vendor; the
-- others name their vendor (vmx-*: GenuineIntel, svm-*: AuthenticAMD).
M.CPU_PROFILE_MEANING = {
  ["virt"] = "everything contract 4 requires, of the engine's vendor: VMX with EPT and "
    .. "unrestricted guest on an Intel engine, SVM with nested paging on an AMD engine",
  ["vmx-ept"] = "VMX with EPT, unrestricted guest and long mode: all that contract 4 requires",
  ["no-vmx"] = "long mode without VMX (CPUID.1:ECX.VMX = 0)",
  ["no-long-mode"] = "VMX without long mode (CPUID.80000001H:EDX.LM = 0), a 32-bit processor "
    .. "such as Core Duo; without secondary controls, EPT and unrestricted guest too",
  ["no-vmx-no-long-mode"] = "neither VMX nor long mode (a Pentium 4 Willamette)",
  ["vmx-locked-off"] = "the vmx-ept processor, its IA32_FEATURE_CONTROL locked by the "
    .. "firmware with VMX outside SMX off (VMX disabled in the firmware's setup)",
  ["vmx-locked-off-no-unrestricted-guest"] = "the no-unrestricted-guest processor, its "
    .. "IA32_FEATURE_CONTROL locked by the firmware with VMX outside SMX off",
  ["no-ept"] = "VMX with secondary controls but without EPT (so without unrestricted guest)",
  ["no-unrestricted-guest"] = "VMX with EPT but without unrestricted guest (Nehalem)",
  ["svm-npt"] = "AMD SVM with nested paging and long mode: all that contract 4 requires",
  ["no-svm"] = "AMD long mode without SVM (CPUID.80000001H:ECX.SVM = 0)",
  ["svm-locked-off"] = "the svm-npt processor, its VM_CR set by the firmware to SVMDIS=1 and "
    .. "LOCK=1 (SVM disabled in the firmware's setup)",
  ["no-npt"] = "AMD SVM without nested paging (CPUID.8000000AH:EDX.NP = 0)",
  ["cr4-features"] = "the virt processor, also announcing in CPUID every feature whose CR4 bit "
    .. "contract 13 (cr.cr4-features) names: leaf 7 FSGSBASE, SMEP, SMAP, UMIP and PKU, and "
    .. "XSAVE (leaf 1) where the engine has it",
}
M.CPU_PROFILES = {}
for name in pairs(M.CPU_PROFILE_MEANING) do M.CPU_PROFILES[#M.CPU_PROFILES + 1] = name end
table.sort(M.CPU_PROFILES)
-- The vendor each profile's processor has ("intel": GenuineIntel, VMX;
-- "amd": AuthenticAMD, SVM); the profiles in CPU_PROFILE_ANY_VENDOR have
-- the engine's own. A course lab
-- teaching one vendor's extension grades only the cases its processors
-- can run (grading/lib/lab.lua, field 'vendor').
M.CPU_PROFILE_VENDOR = {
  ["vmx-ept"] = "intel", ["no-vmx"] = "intel", ["no-long-mode"] = "intel",
  ["no-vmx-no-long-mode"] = "intel", ["vmx-locked-off"] = "intel",
  ["vmx-locked-off-no-unrestricted-guest"] = "intel", ["no-ept"] = "intel",
  ["no-unrestricted-guest"] = "intel",
  ["svm-npt"] = "amd", ["no-svm"] = "amd", ["svm-locked-off"] = "amd", ["no-npt"] = "amd",
}
M.VENDORS = { "intel", "amd" }
M.CPU_PROFILE_ANY_VENDOR = { ["virt"] = true, ["cr4-features"] = true }
for _, name in ipairs(M.CPU_PROFILES) do
  local v = M.CPU_PROFILE_VENDOR[name]
  assert(M.CPU_PROFILE_ANY_VENDOR[name] or v == "intel" or v == "amd",
    "spec/loader.lua: cpu profile " .. name .. " has no vendor in CPU_PROFILE_VENDOR")
end
for name in pairs(M.CPU_PROFILE_VENDOR) do
  assert(M.CPU_PROFILE_MEANING[name], "spec/loader.lua: CPU_PROFILE_VENDOR names an unknown profile " .. name)
end
-- Engines (field 'engines'; harness/engine/): bochs plays Intel processors
-- (VMX), bochs-amd AMD ones (SVM), qemu is QEMU's TCG (AMD: SVM with nested
-- paging), qemu-kvm the host's processor through KVM.
M.ENGINES = { "bochs", "bochs-amd", "qemu", "qemu-kvm" }
-- Optional processor features a case may require (field 'requires'): a case
-- is SKIPPED, never failed, where the engine's processor lacks one. The C
-- engine drivers know which of their processors have which.
--   1g-pages  1-GiB pages (CPUID.80000001H:EDX.Page1GB[bit 26], SDM 4.1.4)
M.FEATURES = { "1g-pages" }

-- The contract statements a case judges (field 'judges') are named by the
-- ids spec/contract.md gives them ({#area.topic.detail}): two or more
-- dot-separated words of [a-z0-9-], the first starting with a letter.
-- ci/catalogue checks that each one exists and that every case names at
-- least one; the loader checks only their shape, so a table without the
-- field (a test fixture) still loads.
function M.statement_id_problem(s)
  if type(s) ~= "string" then return "must be a string, got " .. type(s) end
  local words = 0
  for word in (s .. "."):gmatch("([^.]*)%.") do
    words = words + 1
    if not word:match("^[a-z0-9][a-z0-9-]*$") or word:match("%-$") then
      return string.format("%q is not a statement id: use dot-separated words of [a-z0-9-] (e.g. \"hc.print.size-zero\")", s)
    end
  end
  if words < 2 or not s:match("^[a-z]") then
    return string.format("%q is not a statement id: it needs at least two dot-separated words, the first starting with a letter (e.g. \"hc.print.size-zero\")", s)
  end
  return nil
end

-- Bounds that keep a typo from asking for an absurd machine or wait.
M.MACHINE_MIB_MIN = 16
M.MACHINE_MIB_MAX = 3072   -- stays below the 32-bit PCI hole
M.TIMEOUT_MAX = 600

-- Evaluating one table may not take longer than this many VM instructions:
-- a table is data, and an endless loop in one must not hang the harness.
M.INSTRUCTION_LIMIT = 50000000

-- A case with probe = "none" boots the hypervisor without a guest module
-- (contract 2: "no guest module"); every other probe names
-- build/guest-probes/<probe>.elf.
M.PROBE_NONE = "none"
-- probe = "linux" boots the Linux guest `make linux-guest` builds (contract
-- 16): build/linux/bzImage as the guest module and build/linux/
-- initramfs.cpio.gz as the next module (its initrd); a run without them is
-- skipped. Its ROM is larger than Bochs takes: such a case names engines.
M.PROBE_LINUX = "linux"

-- Field 'disk' (contract 14): the disk image a case attaches as the
-- Multiboot2 module whose string is `disk` (after the guest module), built
-- by the harness in the run's folder:
--   disk = { sectors = N, fill = "zero" | "pattern" }  N sectors of 512 bytes
--   disk = { bytes = N, fill = ... }    any size (a bad image: not 512 n)
--   disk = { from = "<case id>" }       the image that case's run left behind
--                                       (its write-back applied); that case
--                                       boots first and must pass
--   optional: string = "<module string>" (default "disk"), first = true (the
--   disk module comes before the guest's).
-- fill "pattern": byte k of sector s is s's k-th byte (little endian) for
-- k < 8, else (7 s + k) mod 256 (reference/lib/abi/disk.h, the one
-- definition the harness and the probes share).
M.DISK_FILLS = { "zero", "pattern" }
M.DISK_SECTOR_SIZE = 512
M.DISK_BYTES_MAX = 1 << 20   -- the ROM holding hypervisor, probe and disk is at most 2 MiB
M.DISK_DEFAULT_STRING = "disk"

-- The loader itself lives beside the tables but is not one.
M.NOT_AREA_FILES = { ["loader.lua"] = true }

local CASE_FIELDS = {
  "id", "behavior", "source", "probe", "cmdline", "hv_cmdline", "expect",
  "points", "cpu", "engines", "machine_mib", "timeout", "requires", "judges",
  "extra_module", "disk",
}
local CASE_REQUIRED = { "id", "behavior", "source", "probe", "expect", "points" }
local EXPECT_FIELDS = { "lines", "ordered", "forbid", "report" }
local AREA_FIELDS = { "name", "doc" }

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

local CASE_FIELD_SET = set_of(CASE_FIELDS)
local EXPECT_FIELD_SET = set_of(EXPECT_FIELDS)
local AREA_FIELD_SET = set_of(AREA_FIELDS)
local CPU_SET = set_of(M.CPU_PROFILES)
local ENGINE_SET = set_of(M.ENGINES)
local FEATURE_SET = set_of(M.FEATURES)

-- A problem found while evaluating a table: carries its own file:line.
local function fail(where, what)
  error(where .. ": " .. what, 0)
end

local function describe(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t == "number" then return tostring(v) end
  return t
end

-- Unknown keys, sorted so the first one reported does not depend on hashing.
local function unknown_keys(t, allowed)
  local bad = {}
  for k in pairs(t) do
    if not allowed[k] then bad[#bad + 1] = tostring(k) end
  end
  table.sort(bad)
  return bad
end

local function is_sequence(t)
  local n = #t
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end

-- Index just past the set that starts at p[i] == "[", as Lua's matcher
-- reads it (the first character, or the one after "^", may be "]"); nil
-- when the set is not closed.
local function set_end(p, i)
  local n = #p
  i = i + 1
  if p:sub(i, i) == "^" then i = i + 1 end
  repeat
    if i > n then return nil end
    local c = p:sub(i, i)
    i = i + 1
    if c == "%" and i <= n then i = i + 1 end
  until p:sub(i, i) == "]"
  return i + 1
end

-- Lua reports a malformed pattern only when matching reaches the bad part,
-- so a pattern that never matches would hide its error until judgement;
-- this walks the whole pattern the way lstrlib.c parses it. Returns Lua's
-- message for the first problem, or nil.
local function pattern_problem(p)
  -- string.find searches plainly for a pattern without these (lstrlib.c
  -- SPECIALS), so e.g. a lone ")" is just a character there.
  if not p:find("[%^%$%*%+%?%.%(%[%%%-]") then return nil end
  local n, i = #p, 1
  local open, closed, count = {}, {}, 0
  if p:sub(1, 1) == "^" then i = 2 end
  while i <= n do
    local c = p:sub(i, i)
    if c == "(" then
      count = count + 1
      if count > 32 then return "too many captures" end
      open[#open + 1] = count
      i = i + 1
    elseif c == ")" then
      if #open == 0 then return "invalid pattern capture" end
      closed[table.remove(open)] = true
      i = i + 1
    elseif c == "[" then
      i = set_end(p, i)
      if not i then return "malformed pattern (missing ']')" end
    elseif c == "%" then
      local d = p:sub(i + 1, i + 1)
      if d == "" then return "malformed pattern (ends with '%')" end
      if d == "b" then
        if i + 3 > n then return "malformed pattern (missing arguments to '%b')" end
        i = i + 4
      elseif d == "f" then
        if p:sub(i + 2, i + 2) ~= "[" then return "missing '[' after '%f' in pattern" end
        i = set_end(p, i + 2)
        if not i then return "malformed pattern (missing ']')" end
      elseif d:match("%d") then
        local k = tonumber(d)
        if k == 0 or not closed[k] then return "invalid capture index %" .. k end
        i = i + 2
      else
        i = i + 2
      end
    else
      i = i + 1 -- a plain character, quantifier or anchor: never an error
    end
  end
  if #open > 0 then return "unfinished capture" end
  local ok, err = pcall(string.find, "", p)
  if not ok then return tostring(err) end
  return nil
end

local function check_pattern(where, label, pat)
  local err = pattern_problem(pat)
  if err then
    fail(where, string.format("bad pattern %s in %s: %s", describe(pat), label, err))
  end
end

-- expect.lines / ordered / forbid: a non-empty list of strings.
local function check_string_list(where, label, v, patterns)
  if type(v) ~= "table" or not is_sequence(v) then
    fail(where, string.format("%s must be a list of strings, got %s", label, type(v)))
  end
  if #v == 0 then fail(where, label .. " is empty") end
  local out = {}
  for i, s in ipairs(v) do
    if type(s) ~= "string" then
      fail(where, string.format("%s[%d] must be a string, got %s", label, i, describe(s)))
    end
    if s:find("\0", 1, true) then
      -- The harness keeps expectations as C strings: a NUL would cut one
      -- short and weaken it silently.
      fail(where, string.format("%s[%d] contains a NUL byte; match it with a pattern class such as [^%%w%%p%%s]",
        label, i))
    end
    if patterns then check_pattern(where, string.format("%s[%d]", label, i), s) end
    out[i] = s
  end
  return out
end

local function check_expect(where, e)
  if type(e) ~= "table" then
    fail(where, "field 'expect' must be a table, got " .. type(e))
  end
  if next(e) == nil then fail(where, "expect is empty") end
  local bad = unknown_keys(e, EXPECT_FIELD_SET)
  if #bad > 0 then fail(where, "unknown field 'expect." .. bad[1] .. "'") end
  local out = {
    lines = e.lines ~= nil and check_string_list(where, "expect.lines", e.lines, false) or {},
    ordered = e.ordered ~= nil and check_string_list(where, "expect.ordered", e.ordered, true) or {},
    forbid = e.forbid ~= nil and check_string_list(where, "expect.forbid", e.forbid, true) or {},
  }
  local r = e.report
  if r == nil then fail(where, "missing required field 'expect.report'") end
  if type(r) == "string" then
    if r:find("\0", 1, true) then fail(where, "expect.report contains a NUL byte") end
    out.report, out.report_is_pattern = r, false
  elseif type(r) == "table" then
    local rbad = unknown_keys(r, { pattern = true })
    if #rbad > 0 then fail(where, "unknown field 'expect.report." .. rbad[1] .. "'") end
    if type(r.pattern) ~= "string" then
      fail(where, "expect.report.pattern must be a string, got " .. type(r.pattern))
    end
    check_pattern(where, "expect.report.pattern", r.pattern)
    out.report, out.report_is_pattern = r.pattern, true
  else
    fail(where, "expect.report must be a string or { pattern = ... }, got " .. type(r))
  end
  return out
end

local function check_string(where, c, field, nonempty)
  local v = c[field]
  if type(v) ~= "string" or (nonempty and v == "") then
    fail(where, string.format("field '%s' must be a %sstring, got %s",
      field, nonempty and "non-empty " or "", describe(v)))
  end
  if v:find("\0", 1, true) then
    fail(where, string.format("field '%s' contains a NUL byte", field))
  end
  return v
end

local function check_integer(where, c, field, lo, hi)
  local v = c[field]
  if math.type(v) ~= "integer" or v < lo or (hi and v > hi) then
    local range = hi and string.format("an integer from %d to %d", lo, hi)
      or (lo == 1 and "a positive integer" or string.format("an integer >= %d", lo))
    fail(where, string.format("field '%s' must be %s, got %s", field, range, describe(v)))
  end
  return v
end

local function check_name(where, set, list, kind, v)
  if not set[v] then
    fail(where, string.format("unknown %s %s (known: %s)", kind, describe(v), table.concat(list, ", ")))
  end
end

local DISK_FIELD_SET = set_of({ "sectors", "bytes", "fill", "from", "string", "first" })

-- disk = {...}: returns { bytes, fill, from, string, first } (bytes and
-- fill nil for a 'from' disk, whose source load_dir checks).
local function check_disk(at, d, out)
  if type(d) ~= "table" then fail(at, "field 'disk' must be a table, got " .. type(d)) end
  local bad = unknown_keys(d, DISK_FIELD_SET)
  if #bad > 0 then fail(at, "unknown field 'disk." .. bad[1] .. "'") end
  if out.probe == M.PROBE_NONE then
    fail(at, "field 'disk' needs a guest module: probe is \"" .. M.PROBE_NONE .. "\"")
  end
  if out.probe == M.PROBE_LINUX and d.first then
    fail(at, "field 'disk.first' cannot go with probe \"" .. M.PROBE_LINUX .. "\" (the disk follows kernel and initrd)")
  end
  if out.extra_module ~= nil then
    fail(at, "fields 'disk' and 'extra_module' cannot be combined (the disk is the second module)")
  end
  local r = { string = M.DISK_DEFAULT_STRING, first = false }
  local given = (d.sectors ~= nil and 1 or 0) + (d.bytes ~= nil and 1 or 0) + (d.from ~= nil and 1 or 0)
  if given ~= 1 then
    fail(at, "field 'disk' needs exactly one of 'sectors', 'bytes' and 'from'")
  end
  if d.from ~= nil then
    if d.fill ~= nil then fail(at, "disk.fill does not go with disk.from (the image is that case's)") end
    r.from = check_string(at, d, "from", true)
  else
    local max_sectors = M.DISK_BYTES_MAX // M.DISK_SECTOR_SIZE
    if d.sectors ~= nil then
      r.bytes = check_integer(at, d, "sectors", 1, max_sectors) * M.DISK_SECTOR_SIZE
    else
      r.bytes = check_integer(at, d, "bytes", 1, M.DISK_BYTES_MAX)
    end
    r.fill = d.fill == nil and "zero" or d.fill
    check_name(at, set_of(M.DISK_FILLS), M.DISK_FILLS, "disk.fill", r.fill)
  end
  if d.string ~= nil then
    r.string = check_string(at, d, "string", false)
    if r.string:find("[%c]") then fail(at, "disk.string must not hold control characters") end
  end
  if d.first ~= nil then
    if type(d.first) ~= "boolean" then fail(at, "disk.first must be true or false, got " .. describe(d.first)) end
    r.first = d.first
  end
  return r
end

-- Checks one case{} table; returns the case with defaults filled in.
local function check_case(where, area, c)
  local label = "case"
  if type(c.id) == "string" then label = "case '" .. c.id .. "'" end
  local at = where .. ": " .. label
  local bad = unknown_keys(c, CASE_FIELD_SET)
  if #bad > 0 then fail(at, "unknown field '" .. bad[1] .. "'") end
  for _, f in ipairs(CASE_REQUIRED) do
    if c[f] == nil then fail(at, "missing required field '" .. f .. "'") end
  end

  local id = check_string(at, c, "id", true)
  local id_area, id_name = id:match("^([a-z0-9_]+)%.([a-z0-9_]+)$")
  if not id_area then
    fail(at, "bad id: must be <area>.<name> using only [a-z0-9_]")
  end
  if id_area ~= area then
    fail(at, string.format("id is not in area '%s' (it names area '%s')", area, id_area))
  end

  local out = { id = id, name = id_name }
  out.behavior = check_string(at, c, "behavior", true)
  out.source = check_string(at, c, "source", true)
  out.probe = check_string(at, c, "probe", true)
  if not out.probe:match("^[A-Za-z0-9_%-]+$") then
    fail(at, "field 'probe' must name build/guest-probes/<probe>.elf using only [A-Za-z0-9_-], got "
      .. describe(out.probe))
  end
  -- extra_module: a second boot module (a probe image, string empty) after
  -- the guest's; contract 1 says a hypervisor ignores it.
  if c.extra_module ~= nil and out.probe == M.PROBE_LINUX then
    fail(at, "field 'extra_module' cannot go with probe \"" .. M.PROBE_LINUX .. "\" (its initrd is the second module)")
  end
  if c.extra_module ~= nil then
    out.extra_module = check_string(at, c, "extra_module", true)
    if not out.extra_module:match("^[A-Za-z0-9_%-]+$") or out.extra_module == M.PROBE_NONE then
      fail(at, "field 'extra_module' must name build/guest-probes/<probe>.elf using only [A-Za-z0-9_-], got "
        .. describe(out.extra_module))
    end
    if out.probe == M.PROBE_NONE then
      fail(at, "field 'extra_module' needs a first module: probe is \"" .. M.PROBE_NONE .. "\"")
    end
  end
  if c.disk ~= nil then
    out.disk = check_disk(at, c.disk, out)
  end
  for _, f in ipairs({ "cmdline", "hv_cmdline", "cpu" }) do
    if c[f] == nil then out[f] = M.DEFAULTS[f] else out[f] = check_string(at, c, f, false) end
  end
  check_name(at, CPU_SET, M.CPU_PROFILES, "cpu profile", out.cpu)
  out.expect = check_expect(at, c.expect)
  out.points = check_integer(at, c, "points", 1)
  out.machine_mib = c.machine_mib == nil and M.DEFAULTS.machine_mib
    or check_integer(at, c, "machine_mib", M.MACHINE_MIB_MIN, M.MACHINE_MIB_MAX)
  out.timeout = c.timeout == nil and M.DEFAULTS.timeout
    or check_integer(at, c, "timeout", 1, M.TIMEOUT_MAX)
  out.engines = {}
  if c.engines ~= nil then
    local e = c.engines
    if type(e) ~= "table" or not is_sequence(e) or #e == 0 then
      fail(at, "field 'engines' must be a non-empty list of engine names")
    end
    for i, name in ipairs(e) do
      check_name(at, ENGINE_SET, M.ENGINES, "engine", name)
      out.engines[i] = name
    end
  end
  out.judges = {}
  if c.judges ~= nil then
    local j = c.judges
    if type(j) ~= "table" or not is_sequence(j) or #j == 0 then
      fail(at, "field 'judges' must be a non-empty list of contract statement ids (spec/contract.md {#id})")
    end
    local seen = {}
    for i, s in ipairs(j) do
      local problem = M.statement_id_problem(s)
      if problem then fail(at, string.format("judges[%d]: %s", i, problem)) end
      if seen[s] then fail(at, string.format("judges names %q twice", s)) end
      seen[s] = true
      out.judges[i] = s
    end
  end
  out.requires = {}
  if c.requires ~= nil then
    local r = c.requires
    if type(r) ~= "table" or not is_sequence(r) or #r == 0 then
      fail(at, "field 'requires' must be a non-empty list of processor features")
    end
    for i, name in ipairs(r) do
      check_name(at, FEATURE_SET, M.FEATURES, "processor feature", name)
      out.requires[i] = name
    end
  end
  return out
end

local function copy_table(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- The line in the table file's main chunk that led to this call: for a
-- case{} made by a helper function defined in the file, that is the line
-- calling the helper, which tells the cases apart.
local function caller_line(chunkname)
  local line = 0
  for level = 3, 200 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == chunkname and info.currentline > 0 then line = info.currentline end
  end
  return line
end

-- Evaluates one table file; appends its area and cases to the set.
local function load_file(path, display, set, seen_ids)
  local f, ioerr = io.open(path, "rb")
  if not f then error(display .. ": cannot read: " .. tostring(ioerr), 0) end
  local text = f:read("a")
  f:close()

  local file_area = display:match("([^/]+)%.lua$")
  local chunkname = "@" .. display
  local area_rec
  local cases = {}

  local env = {
    string = copy_table(string), table = copy_table(table), math = copy_table(math),
    utf8 = copy_table(utf8),
    ipairs = ipairs, pairs = pairs, next = next, select = select, type = type,
    tostring = tostring, tonumber = tonumber, error = error, assert = assert,
    rawequal = rawequal, rawlen = rawlen,
  }
  -- No pcall: a table could swallow the loader's own complaints with it.

  env.area = function(a)
    local where = display .. ":" .. caller_line(chunkname)
    if type(a) ~= "table" then fail(where, "area expects a table, got " .. type(a)) end
    if area_rec then fail(where, "second area {} in this file (first at line " .. area_rec.line .. ")") end
    local bad = unknown_keys(a, AREA_FIELD_SET)
    if #bad > 0 then fail(where, "area: unknown field '" .. bad[1] .. "'") end
    for _, fld in ipairs(AREA_FIELDS) do
      if type(a[fld]) ~= "string" or a[fld] == "" then
        fail(where, string.format("area: field '%s' must be a non-empty string, got %s", fld, describe(a[fld])))
      end
    end
    if a.name ~= file_area then
      fail(where, string.format("area name '%s' does not match the file name '%s.lua'", a.name, file_area))
    end
    area_rec = { name = a.name, doc = a.doc, file = display, line = caller_line(chunkname), cases = cases }
  end

  env.case = function(c)
    local line = caller_line(chunkname)
    local where = display .. ":" .. line
    if type(c) ~= "table" then fail(where, "case expects a table, got " .. type(c)) end
    if not area_rec then fail(where, "case before area {}") end
    local out = check_case(where, area_rec.name, c)
    local first = seen_ids[out.id]
    if first then
      fail(where, string.format("case '%s': duplicate id (first at %s)", out.id, first))
    end
    seen_ids[out.id] = where
    out.file, out.line, out.area = display, line, area_rec.name
    cases[#cases + 1] = out
  end

  local chunk, syntax_err = load(text, chunkname, "t", env)
  if not chunk then error(syntax_err, 0) end

  local co = coroutine.create(chunk)
  debug.sethook(co, function()
    error(display .. ": evaluation exceeded " .. M.INSTRUCTION_LIMIT .. " instructions", 0)
  end, "", M.INSTRUCTION_LIMIT)
  local ok, err = coroutine.resume(co)
  if not ok then
    -- Errors raised inside the file by Lua itself already carry file:line.
    if type(err) ~= "string" then err = display .. ": error() raised a " .. type(err) end
    error(err, 0)
  end
  if coroutine.status(co) ~= "dead" then
    error(display .. ": the table yielded instead of returning", 0)
  end
  if not area_rec then error(display .. ":1: no area {} in this file", 0) end

  set.areas[#set.areas + 1] = area_rec
  for _, c in ipairs(cases) do set.cases[#set.cases + 1] = c end
end

-- Loads every area file among `names` (basenames inside spec_dir), sorted by
-- name. Returns { areas = { {name, doc, file, line, cases} }, cases = {...} }.
function M.load_dir(spec_dir, names)
  local files = {}
  for _, n in ipairs(names) do
    if n:match("^[^/]+%.lua$") and not M.NOT_AREA_FILES[n] then files[#files + 1] = n end
  end
  table.sort(files)
  local set = { areas = {}, cases = {} }
  local seen_ids = {}
  for _, n in ipairs(files) do
    load_file(spec_dir .. "/" .. n, "spec/" .. n, set, seen_ids)
  end
  -- disk.from names a case whose own disk is built, not taken from a third.
  local by_id = {}
  for _, c in ipairs(set.cases) do by_id[c.id] = c end
  for _, c in ipairs(set.cases) do
    local from = c.disk and c.disk.from
    if from then
      local at = c.file .. ":" .. c.line .. ": case '" .. c.id .. "'"
      local src = by_id[from]
      if not src then fail(at, "disk.from names no case: " .. describe(from)) end
      if from == c.id then fail(at, "disk.from names the case itself") end
      if not src.disk then fail(at, "disk.from names case '" .. from .. "', which has no disk") end
      if src.disk.from then
        fail(at, "disk.from names case '" .. from .. "', whose disk is itself taken from another case")
      end
    end
  end
  return set
end

return M
