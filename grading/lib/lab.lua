-- grading/lib/lab.lua: loads the lab tables (grading/labs/<name>.lua) in a
-- sandbox, in the style of spec/loader.lua, and resolves them against the
-- spec and the reference's solution regions.
--
-- Use: local lab = dofile(ROOT .. "/grading/lib/lab.lua")
--      local L = lab.load(ROOT, "vmx-basics")  -- raises "grading/labs/NAME.lua:LINE: problem"
--      lab.list(ROOT)                          -- { "memory", "pio-msr", "suite", ... }
--
-- A lab file holds exactly one lab { ... } with these fields (the schema is
-- in FIELDS below; grading/README.md explains it for course staff):
--   name        string, the file's name without .lua
--   title       one line; doc: a paragraph; source: which seed/course project
--   cases       selectors of the graded cases (see resolve_selector)
--   hidden      selectors of the lab's cases that are graded but not handed out
--   regions     { { name = "cpuid", needs = { selectors } }, ... }: the solution
--               regions the handout removes and the lab cases each one is needed by
--   editable    the whitelist: files (or folders, with a trailing "/") students may edit
--   units       { { program = "tests/unit/ept_test", points = 4, visibility = "public" } }
--   run_timeout, budget, build_timeout: seconds (DEFAULTS below)
--   vendor      "intel" (default: VMX, graded under Bochs' Intel models) or
--               "amd" (SVM): the processor vendor whose extension students
--               write for. A case whose cpu profile is the other vendor's
--               (spec/loader.lua CPU_PROFILE_VENDOR) is not part of the lab:
--               no engine of the lab's vendor can run it, and a skipped case
--               would cost every student its points. L.other_vendor lists them.
-- lab.load also gives L.needs[region] (the case ids that need it),
-- L.max_score and L.baseline (the declared score of the unmodified handout).
--   builds_on   another lab; cumulative = true also grades its cases and
--               keeps its whitelist (see M.load)

local M = {}

M.LABS_DIR = "grading/labs"
M.SUITE = "suite"

-- Documented defaults of the limits, in seconds.
M.DEFAULTS = {
  run_timeout = 30,     -- one boot: the spec's default case timeout, raised to the
                        -- longest time limit of the lab's cases
  budget = 900,         -- one submission's boots in total
  build_timeout = 300,  -- one submission's build
}
M.BOUNDS = {
  run_timeout = { 1, 600 },       -- spec/loader.lua's TIMEOUT_MAX
  budget = { 10, 86400 },
  build_timeout = { 10, 3600 },
}

-- A lab table is data: evaluating one may not take longer than this.
M.INSTRUCTION_LIMIT = 10000000

M.VISIBILITIES = { "public", "hidden" }
M.DEFAULT_VENDOR = "intel"
M.PROBE_PREFIX = "probe:"

local FIELDS = {
  "name", "title", "doc", "source", "vendor", "builds_on", "cumulative", "cases", "hidden",
  "regions", "editable", "units", "run_timeout", "budget", "build_timeout",
}
local REQUIRED = { "name", "title", "doc", "source", "cases", "editable" }
local REGION_FIELDS = { "name", "needs", "doc" }
local UNIT_FIELDS = { "program", "points", "visibility" }

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

local FIELD_SET, REGION_FIELD_SET, UNIT_FIELD_SET =
  set_of(FIELDS), set_of(REGION_FIELDS), set_of(UNIT_FIELDS)
local VISIBILITY_SET = set_of(M.VISIBILITIES)

local function fail(where, what)
  error(where .. ": " .. what, 0)
end

local function describe(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "number" then return tostring(v) end
  return type(v)
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

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

-- Names in a folder whose names match `pattern`, sorted.
local function list_dir(dir, pattern)
  local p = io.popen("ls -1 " .. shell_quote(dir) .. " 2>/dev/null")
  local names = {}
  for n in p:lines() do
    if n:match(pattern) then names[#names + 1] = n end
  end
  p:close()
  table.sort(names)
  return names
end

-- Linux lets io.open read a folder's handle; reading it fails with EISDIR.
local EISDIR = 21
local function path_kind(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local _, _, code = f:read(1)
  f:close()
  return code == EISDIR and "dir" or "file"
end
M.path_kind = path_kind

M.NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*$"

function M.list(root)
  local names = {}
  for _, f in ipairs(list_dir(root .. "/" .. M.LABS_DIR, "%.lua$")) do
    local n = f:sub(1, -5)
    if n:match(M.NAME_PATTERN) then names[#names + 1] = n end
  end
  return names
end

-- The spec, through the same loader the harness uses; cached per root.
local spec_cache = {}
function M.load_spec(root)
  if not spec_cache[root] then
    local loader = dofile(root .. "/spec/loader.lua")
    local set = loader.load_dir(root .. "/spec", list_dir(root .. "/spec", "%.lua$"))
    set.by_id, set.area_set = {}, {}
    for _, a in ipairs(set.areas) do set.area_set[a.name] = true end
    for _, c in ipairs(set.cases) do set.by_id[c.id] = c end
    spec_cache[root] = { set = set, loader = loader }
  end
  return spec_cache[root].set, spec_cache[root].loader
end

local region_cache = {}
local function scan_regions(root)
  if not region_cache[root] then
    local regions = dofile(root .. "/grading/handout/regions.lua")
    region_cache[root] = regions.scan_tree(root)
  end
  return region_cache[root]
end
M.scan_regions = scan_regions

-- The main-chunk line that led to this call (see spec/loader.lua).
local function caller_line(chunkname)
  local line = 0
  for level = 3, 200 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == chunkname and info.currentline > 0 then line = info.currentline end
  end
  return line
end

local function copy_table(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Evaluates grading/labs/NAME.lua; returns the raw lab{} table and where it is.
local function evaluate(root, name)
  local display = M.LABS_DIR .. "/" .. name .. ".lua"
  local f, ioerr = io.open(root .. "/" .. display, "rb")
  if not f then error(display .. ": cannot read: " .. tostring(ioerr), 0) end
  local text = f:read("a")
  f:close()
  local chunkname = "@" .. display
  local rec, where
  local env = {
    string = copy_table(string), table = copy_table(table), math = copy_table(math),
    utf8 = copy_table(utf8),
    ipairs = ipairs, pairs = pairs, next = next, select = select, type = type,
    tostring = tostring, tonumber = tonumber, error = error, assert = assert,
    rawequal = rawequal, rawlen = rawlen,
  }
  env.lab = function(t)
    local here = display .. ":" .. caller_line(chunkname)
    if type(t) ~= "table" then fail(here, "lab expects a table, got " .. type(t)) end
    if rec then fail(here, "second lab {} in this file (first at " .. where .. ")") end
    rec, where = t, here
  end
  local chunk, syntax_err = load(text, chunkname, "t", env)
  if not chunk then error(syntax_err, 0) end
  local co = coroutine.create(chunk)
  debug.sethook(co, function()
    error(display .. ": evaluation exceeded " .. M.INSTRUCTION_LIMIT .. " instructions", 0)
  end, "", M.INSTRUCTION_LIMIT)
  local ok, err = coroutine.resume(co)
  if not ok then
    if type(err) ~= "string" then err = display .. ": error() raised a " .. type(err) end
    error(err, 0)
  end
  if coroutine.status(co) ~= "dead" then
    error(display .. ": the table yielded instead of returning", 0)
  end
  if not rec then error(display .. ":1: no lab {} in this file", 0) end
  return rec, where
end

local function check_string(where, t, field, label)
  local v = t[field]
  if type(v) ~= "string" or v == "" then
    fail(where, string.format("field '%s' must be a non-empty string, got %s", label or field, describe(v)))
  end
  return v
end

local function check_list(where, v, label, allow_empty)
  if type(v) ~= "table" or not is_sequence(v) then
    fail(where, string.format("field '%s' must be a list, got %s", label, describe(v)))
  end
  if #v == 0 and not allow_empty then fail(where, string.format("field '%s' is empty", label)) end
  return v
end

local function check_string_list(where, v, label, allow_empty)
  check_list(where, v, label, allow_empty)
  for i, s in ipairs(v) do
    if type(s) ~= "string" or s == "" then
      fail(where, string.format("%s[%d] must be a non-empty string, got %s", label, i, describe(s)))
    end
  end
  return v
end

local function check_limit(where, t, field)
  local v = t[field]
  if v == nil then return M.DEFAULTS[field] end
  local lo, hi = M.BOUNDS[field][1], M.BOUNDS[field][2]
  if math.type(v) ~= "integer" or v < lo or v > hi then
    fail(where, string.format("field '%s' must be a whole number of seconds from %d to %d, got %s",
      field, lo, hi, describe(v)))
  end
  return v
end

-- The Lua pattern of a selector, anchored on whole ids; a leading "^" or a
-- trailing "$" the author wrote is accepted and not doubled.
local function anchored(p)
  if p:sub(1, 1) == "^" then p = p:sub(2) end
  if p:sub(-1) == "$" and p:sub(-2, -2) ~= "%" then p = p:sub(1, -2) end
  return "^" .. p .. "$"
end

-- A selector names cases: an area name ("cpuid"), an exact case id
-- ("cpuid.vmx_hidden"), "probe:NAME" (every case that boots that probe), or
-- a Lua pattern matched against whole ids ("pio%.queue_.*"). Returns the ids
-- among `cases` (in their order) that it selects; one that selects none is
-- an error naming it.
local function resolve_selector(where, label, sel, cases, spec)
  local out = {}
  if spec.area_set[sel] then
    for _, c in ipairs(cases) do if c.area == sel then out[#out + 1] = c.id end end
  elseif spec.by_id[sel] then
    for _, c in ipairs(cases) do if c.id == sel then out[#out + 1] = c.id end end
  elseif sel:sub(1, #M.PROBE_PREFIX) == M.PROBE_PREFIX then
    local probe = sel:sub(#M.PROBE_PREFIX + 1)
    for _, c in ipairs(cases) do if c.probe == probe then out[#out + 1] = c.id end end
  else
    local pat = anchored(sel)
    local ok, err = pcall(string.find, "", pat)
    if not ok then fail(where, string.format("%s: bad pattern %s: %s", label, describe(sel), tostring(err))) end
    for _, c in ipairs(cases) do
      local mok, m = pcall(string.find, c.id, pat)
      if not mok then fail(where, string.format("%s: bad pattern %s: %s", label, describe(sel), tostring(m))) end
      if m then out[#out + 1] = c.id end
    end
  end
  if #out == 0 then
    fail(where, string.format("%s: selector %s matches no case%s (a selector is an area name, a case id, "
      .. "probe:NAME, or a Lua pattern over whole ids such as \"pio%%.queue_.*\"; "
      .. "build/bin/hvrun --list prints the ids)", label, describe(sel),
      label:match("^cases%[") and "" or " of this lab"))
  end
  return out
end

-- Ids selected by a list of selectors, as a set.
local function resolve_all(where, label, sels, cases, spec)
  local set = {}
  for i, sel in ipairs(sels) do
    for _, id in ipairs(resolve_selector(where, string.format("%s[%d]", label, i), sel, cases, spec)) do
      set[id] = true
    end
  end
  return set
end

-- A whitelist entry: a path relative to the tree root, without "." or ".."
-- parts; a trailing "/" names a whole folder.
local function check_editable(where, root, i, e)
  local label = string.format("editable[%d] %s", i, describe(e))
  local is_dir = e:sub(-1) == "/"
  local path = is_dir and e:sub(1, -2) or e
  if path == "" or path:sub(1, 1) == "/" or path:find("//", 1, true) then
    fail(where, label .. ": must be a path relative to the tree root, e.g. \"reference/core/exit_io.c\" or \"reference/\"")
  end
  for part in path:gmatch("[^/]+") do
    if part == "." or part == ".." then fail(where, label .. ": '.' and '..' are not allowed") end
  end
  local kind = path_kind(root .. "/" .. path)
  if not kind then fail(where, label .. ": no such file or folder in the tree") end
  if is_dir and kind ~= "dir" then fail(where, label .. ": is a file; drop the trailing '/'") end
  if not is_dir and kind ~= "file" then fail(where, label .. ": is a folder; write it with a trailing '/'") end
  return e
end

-- Whether a whitelist covers a path.
function M.is_editable(editable, path)
  for _, e in ipairs(editable) do
    if e == path or (e:sub(-1) == "/" and path:sub(1, #e) == e) then return true end
  end
  return false
end

local function check_units(where, root, units)
  local out = {}
  check_list(where, units, "units", true)
  for i, u in ipairs(units) do
    local at = string.format("units[%d]", i)
    if type(u) ~= "table" then fail(where, at .. " must be a table, got " .. type(u)) end
    local bad = unknown_keys(u, UNIT_FIELD_SET)
    if #bad > 0 then fail(where, string.format("%s: unknown field '%s' (known: %s)", at, bad[1], table.concat(UNIT_FIELDS, ", "))) end
    local program = check_string(where, u, "program", at .. ".program")
    local test = program:match("^tests/unit/([a-z0-9_]+_test)$")
    if not test then
      fail(where, string.format("%s.program %s must be tests/unit/<name>_test (a host unit-test program)", at, describe(program)))
    end
    if path_kind(root .. "/tests/unit/" .. test .. ".c") ~= "file" then
      fail(where, string.format("%s.program %s: no tests/unit/%s.c in the tree", at, describe(program), test))
    end
    if math.type(u.points) ~= "integer" or u.points < 1 or u.points > 1000 then
      fail(where, string.format("%s.points must be an integer from 1 to 1000, got %s", at, describe(u.points)))
    end
    local vis = u.visibility == nil and "public" or u.visibility
    if not VISIBILITY_SET[vis] then
      fail(where, string.format("%s.visibility must be \"public\" or \"hidden\", got %s", at, describe(u.visibility)))
    end
    out[#out + 1] = { program = program, points = u.points, visibility = vis }
  end
  return out
end

local load_lab

-- Checks the raw table and resolves it; `chain` lists the labs being loaded
-- (builds_on cycles).
local function resolve(root, name, raw, where, chain)
  local bad = unknown_keys(raw, FIELD_SET)
  if #bad > 0 then
    fail(where, string.format("unknown field '%s' (known: %s)", bad[1], table.concat(FIELDS, ", ")))
  end
  for _, f in ipairs(REQUIRED) do
    if raw[f] == nil then fail(where, "missing required field '" .. f .. "'") end
  end
  local L = { file = where:match("^(.*):"), where = where }
  L.name = check_string(where, raw, "name")
  if L.name ~= name then
    fail(where, string.format("lab name %s does not match the file name '%s.lua'", describe(L.name), name))
  end
  L.title = check_string(where, raw, "title")
  if L.title:find("\n") then fail(where, "field 'title' must be one line") end
  L.doc = check_string(where, raw, "doc")
  L.source = check_string(where, raw, "source")
  for _, f in ipairs({ "run_timeout", "budget", "build_timeout" }) do L[f] = check_limit(where, raw, f) end
  L.units = check_units(where, root, raw.units == nil and {} or raw.units)

  local spec, loader = M.load_spec(root)
  L.vendor = raw.vendor == nil and M.DEFAULT_VENDOR or check_string(where, raw, "vendor")
  if not set_of(loader.VENDORS)[L.vendor] then
    fail(where, string.format("field 'vendor' must be one of %s, got %s",
      table.concat(loader.VENDORS, ", "), describe(L.vendor)))
  end

  -- builds_on: the base lab's solution regions are solved in this lab's
  -- handout. cumulative = true also grades the base's cases (with the base's
  -- visibility unless this lab's `hidden` hides more) and adds the base's
  -- whitelist and units.
  local base
  if raw.builds_on ~= nil then
    local b = check_string(where, raw, "builds_on")
    for _, seen in ipairs(chain) do
      if seen == b then
        fail(where, "builds_on cycle: " .. table.concat(chain, " -> ") .. " -> " .. b)
      end
    end
    local known = set_of(M.list(root))
    if not known[b] then
      fail(where, string.format("builds_on names an unknown lab %s (known: %s)", describe(b), table.concat(M.list(root), ", ")))
    end
    base = load_lab(root, b, chain)
  end
  L.builds_on = base and base.name or nil
  if raw.cumulative ~= nil and type(raw.cumulative) ~= "boolean" then
    fail(where, "field 'cumulative' must be true or false, got " .. describe(raw.cumulative))
  end
  if raw.cumulative ~= nil and not base then
    fail(where, "field 'cumulative' needs 'builds_on' (the lab it accumulates)")
  end
  L.cumulative = raw.cumulative == true

  -- Cases, in spec order.
  local selected = resolve_all(where, "cases", check_string_list(where, raw.cases, "cases"), spec.cases, spec)
  local base_vis = {}
  if base and L.cumulative then
    for _, c in ipairs(base.cases) do
      selected[c.id] = true
      base_vis[c.id] = c.visibility
    end
  end
  local lab_cases = {}
  L.other_vendor = {}
  for _, c in ipairs(spec.cases) do
    local vendor = loader.CPU_PROFILE_VENDOR[c.cpu]
    if selected[c.id] and vendor and vendor ~= L.vendor then
      L.other_vendor[#L.other_vendor + 1] = c.id
    elseif selected[c.id] then
      lab_cases[#lab_cases + 1] = c
    end
  end
  local hidden = {}
  if raw.hidden ~= nil then
    hidden = resolve_all(where, "hidden", check_string_list(where, raw.hidden, "hidden", true), lab_cases, spec)
  end
  L.cases = {}
  for _, c in ipairs(lab_cases) do
    local vis = (hidden[c.id] or base_vis[c.id] == "hidden") and "hidden" or "public"
    L.cases[#L.cases + 1] = {
      id = c.id, area = c.area, points = c.points, visibility = vis,
      probe = c.probe, spec = c.file .. ":" .. c.line,
    }
  end
  -- Without a run_timeout the cap is the longest time limit of the lab's
  -- cases, so it never cuts a case's own (a correct hypervisor must not
  -- lose a case that the spec gives 60 s to a 30 s cap on a loaded machine).
  if raw.run_timeout == nil then
    for _, c in ipairs(lab_cases) do
      local t = spec.by_id[c.id] and spec.by_id[c.id].timeout
      if t and t > L.run_timeout then L.run_timeout = t end
    end
  end
  local public = 0
  for _, c in ipairs(L.cases) do if c.visibility == "public" then public = public + 1 end end
  if public == 0 then fail(where, "every case of the lab is hidden: a handout needs public cases") end

  -- Regions and the cases that need them.
  local found = scan_regions(root)
  L.regions, L.needs = {}, {}
  local seen_regions = {}
  check_list(where, raw.regions == nil and {} or raw.regions, "regions", true)
  for i, r in ipairs(raw.regions or {}) do
    local at = string.format("regions[%d]", i)
    if type(r) ~= "table" then fail(where, at .. " must be a table { name = ..., needs = { ... } }, got " .. describe(r)) end
    local rbad = unknown_keys(r, REGION_FIELD_SET)
    if #rbad > 0 then fail(where, string.format("%s: unknown field '%s' (known: %s)", at, rbad[1], table.concat(REGION_FIELDS, ", "))) end
    local rname = check_string(where, r, "name", at .. ".name")
    if r.doc ~= nil then check_string(where, r, "doc", at .. ".doc") end
    if not found.by_name[rname] then
      fail(where, string.format("%s: region %s has no markers in reference/ (regions there: %s)",
        at, describe(rname), #found.names > 0 and table.concat(found.names, ", ") or "none"))
    end
    if seen_regions[rname] then fail(where, string.format("%s: region %s named twice", at, describe(rname))) end
    seen_regions[rname] = true
    if r.needs == nil then
      fail(where, string.format("%s: missing 'needs', the selectors of the lab's cases that cannot pass without region '%s'", at, rname))
    end
    local needs = resolve_all(where, at .. ".needs", check_string_list(where, r.needs, at .. ".needs"), L.cases, spec)
    local ids = {}
    for _, c in ipairs(L.cases) do if needs[c.id] then ids[#ids + 1] = c.id end end
    L.regions[#L.regions + 1] = rname
    L.needs[rname] = ids
  end

  -- The whitelist.
  L.editable = {}
  local seen_editable = {}
  if base and L.cumulative then
    for _, e in ipairs(base.editable) do
      L.editable[#L.editable + 1] = e
      seen_editable[e] = true
    end
  end
  for i, e in ipairs(check_string_list(where, raw.editable, "editable")) do
    check_editable(where, root, i, e)
    if not seen_editable[e] then
      L.editable[#L.editable + 1] = e
      seen_editable[e] = true
    end
  end
  for _, rname in ipairs(L.regions) do
    for _, b in ipairs(found.by_name[rname]) do
      if not M.is_editable(L.editable, b.file) then
        fail(where, string.format("region '%s' is in %s (line %d), which the whitelist 'editable' does not cover",
          rname, b.file, b.begin_line))
      end
    end
  end
  if base and L.cumulative then
    local units = {}
    for _, u in ipairs(base.units) do units[#units + 1] = u end
    for _, u in ipairs(L.units) do units[#units + 1] = u end
    L.units = units
  end

  L.max_score = 0
  for _, c in ipairs(L.cases) do L.max_score = L.max_score + c.points end
  for _, u in ipairs(L.units) do L.max_score = L.max_score + u.points end
  -- What the unmodified handout is declared to score: the cases that need no
  -- removed region, and every unit program (no region sits in reference/lib/).
  L.baseline = 0
  for _, c in ipairs(L.cases) do
    if #M.regions_needed(L, c.id) == 0 then L.baseline = L.baseline + c.points end
  end
  for _, u in ipairs(L.units) do L.baseline = L.baseline + u.points end
  return L
end

load_lab = function(root, name, chain)
  local sub = {}
  for i, n in ipairs(chain) do sub[i] = n end
  sub[#sub + 1] = name
  local raw, where = evaluate(root, name)
  return resolve(root, name, raw, where, sub)
end

function M.load(root, name)
  if type(name) ~= "string" or not name:match(M.NAME_PATTERN) then
    error(string.format("bad lab name %s (known labs: %s)", describe(name), table.concat(M.list(root), ", ")), 0)
  end
  local known = set_of(M.list(root))
  if not known[name] then
    error(string.format("unknown lab '%s' (known labs: %s)", name, table.concat(M.list(root), ", ")), 0)
  end
  return load_lab(root, name, {})
end

-- The regions of lab L that case `id` needs (names, in L.regions order).
function M.regions_needed(L, id)
  local out = {}
  for _, r in ipairs(L.regions) do
    for _, cid in ipairs(L.needs[r]) do
      if cid == id then out[#out + 1] = r break end
    end
  end
  return out
end

return M
