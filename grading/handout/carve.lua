#!/usr/bin/env lua5.4
-- grading/handout/carve.lua: the Lua half of mkhandout.
--   carve.lua check ROOT LAB        loads the lab (and checks every region
--                                   marker of reference/); exit 2 on a problem
--   carve.lua apply ROOT LAB TREE   turns TREE, a plain copy of ROOT's shipped
--                                   files, into the lab's handout
-- Messages go to stderr as "mkhandout: <problem>".

local function die(msg, code)
  io.stderr:write("mkhandout: ", tostring(msg), "\n")
  os.exit(code or 2)
end

local mode, root, name, tree = arg[1], arg[2], arg[3], arg[4]
if not (mode == "check" and root and name) and not (mode == "apply" and root and name and tree) then
  die("usage: carve.lua check ROOT LAB | carve.lua apply ROOT LAB TREE")
end

local here = root .. "/grading/handout/"
local lab = dofile(root .. "/grading/lib/lab.lua")
local regions = dofile(here .. "regions.lua")

-- Every lab, so a marker whose name no lab uses (a typo) is an error.
local function load_all()
  local labs, used = {}, {}
  for _, n in ipairs(lab.list(root)) do
    local ok, L = pcall(lab.load, root, n)
    if not ok then die(L) end
    labs[n] = L
    for _, r in ipairs(L.regions) do used[r] = true end
  end
  return labs, used
end

local ok_target, L = pcall(lab.load, root, name)
if not ok_target then die(L) end
local ok_scan, found = pcall(regions.scan_tree, root)
if not ok_scan then die(found) end
local _, used = load_all()
for _, b in ipairs(found.blocks) do
  if not used[b.name] then
    local names = {}
    for n in pairs(used) do names[#names + 1] = n end
    table.sort(names)
    die(string.format("%s:%d: unknown region '%s': no lab in grading/labs/ removes it (regions the labs name: %s)",
      b.file, b.begin_line, b.name, table.concat(names, ", ")))
  end
end
if mode == "check" then os.exit(0) end

local function write_file(path, text)
  local f, err = io.open(path, "wb")
  if not f then die("cannot write " .. path .. ": " .. tostring(err), 1) end
  f:write(text)
  f:close()
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end


-- 1. Solution regions: the lab's become stubs, every other keeps its
--    solution; no marker is left in the tree.
local remove = {}
for _, r in ipairs(L.regions) do remove[r] = true end
local files_with_markers = {}
for _, b in ipairs(found.blocks) do files_with_markers[b.file] = true end
for f in pairs(files_with_markers) do
  local path = tree .. "/" .. f
  local ok, text = pcall(regions.read_file, path)
  if not ok then die(text, 1) end
  local ok2, out = pcall(regions.apply, text, f, remove, L.name)
  if not ok2 then die(out) end
  write_file(path, out)
end

-- 2. Spec tables: the lab's public cases only.
local spec, loader = lab.load_spec(root)
local public, hidden_ids, public_cases = {}, {}, {}
for _, c in ipairs(L.cases) do
  if c.visibility == "public" then
    public[c.id] = true
    public_cases[#public_cases + 1] = c
  else
    hidden_ids[c.id] = true
  end
end
for _, a in ipairs(spec.areas) do
  os.remove(tree .. "/" .. a.file)
end
local writer = dofile(here .. "spec_writer.lua")
local function header(area)
  return {
    string.format("The public cases of area '%s' for the hvspec lab '%s', generated", area, L.name),
    "from hvspec's spec tables by grading/handout/mkhandout (schema: spec/loader.lua).",
  }
end
local ok_spec, err_spec = pcall(function()
  local written = writer.write(tree .. "/spec", spec, public, loader, header)
  local n_public = 0
  for _ in pairs(public) do n_public = n_public + 1 end
  -- the whole folder, as the harness will load it: nothing else is left there
  local names = {}
  local p = io.popen("ls -1 " .. shell_quote(tree .. "/spec"))
  for n in p:lines() do names[#names + 1] = n end
  p:close()
  local again = loader.load_dir(tree .. "/spec", names)
  if #again.cases ~= n_public or #again.areas ~= #written then
    error(string.format("the handout's spec holds %d cases, expected the %d public ones", #again.cases, n_public), 0)
  end
end)
if not ok_spec then die(err_spec, 1) end

-- 3. Probes booted only by hidden cases (no other spec case boots them,
-- as its guest or as its extra_module).
local needed_probe, hidden_probe = {}, {}
for _, c in ipairs(spec.cases) do
  local into = hidden_ids[c.id] and hidden_probe or needed_probe
  into[c.probe] = true
  if c.extra_module then into[c.extra_module] = true end
end
local gone = {}
for p in pairs(hidden_probe) do
  if not needed_probe[p] and p ~= loader.PROBE_NONE then gone[#gone + 1] = p end
end
table.sort(gone)
local prune = dofile(here .. "probe_prune.lua")
local ok_prune, err_prune = pcall(prune.remove, tree, gone)
if not ok_prune then die(err_prune, 1) end

-- 4. Build files: the handout has no grading/ folder.
local function drop_line(file, line)
  local path = tree .. "/" .. file
  local text = regions.read_file(path)
  local out, n = {}, 0
  for l in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    if l == line then n = n + 1 else out[#out + 1] = l end
  end
  if n ~= 1 then
    die(string.format("%s: expected the line %q exactly once (found %d); update grading/handout/carve.lua",
      file, line, n), 1)
  end
  write_file(path, table.concat(out, "\n") .. "\n")
end
drop_line("Makefile", "include grading/build.mk")
-- The handout's `make check`: the lab's public cases and the host unit tests
-- of reference/. The harness's own tests and the GRUB ISO boot test are left
-- out: they check hvspec's tools against the complete reference, which a
-- handout is not (its stubs make them fail).
local conformance = 'atf_test_program{name="conformance"}'
if not regions.read_file(tree .. "/tests/Kyuafile"):find(conformance, 1, true) then
  die("tests/Kyuafile no longer names " .. conformance .. "; update grading/handout/carve.lua", 1)
end
if not lab.path_kind(tree .. "/tests/unit/Kyuafile") then
  die("tests/unit/Kyuafile is missing; update grading/handout/carve.lua", 1)
end
write_file(tree .. "/Kyuafile", table.concat({
  "-- The hvspec lab " .. L.name .. ": the lab's public cases (tests/conformance) and",
  "-- the host unit tests of reference/ (tests/unit). Run from the tree's root:",
  "--   make check   or   kyua test --build-root=build",
  "syntax(2)", "", 'test_suite("hvspec")', "",
  'include("tests/Kyuafile")', 'include("tests/unit/Kyuafile")', "" }, "\n"))
write_file(tree .. "/tests/Kyuafile", table.concat({
  "-- The conformance suite of this lab: one test case per public spec case.",
  "syntax(2)", "", 'test_suite("hvspec")', "", conformance, "" }, "\n"))

-- 5. The whitelist and the student README.
write_file(tree .. "/EDITABLE", table.concat(L.editable, "\n") .. "\n")
local readme = dofile(here .. "student_readme.lua")
local n_hidden = 0
for _ in pairs(hidden_ids) do n_hidden = n_hidden + 1 end
write_file(tree .. "/README.md", readme.render(L, found.by_name, public_cases, n_hidden))

-- What mkhandout reports.
io.stdout:write(string.format("lab %s: %d public cases, %d hidden (not in the handout), regions removed: %s, probes removed: %s\n",
  L.name, #public_cases, n_hidden, #L.regions > 0 and table.concat(L.regions, ", ") or "none",
  #gone > 0 and table.concat(gone, ", ") or "none"))
