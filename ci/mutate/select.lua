#!/usr/bin/env lua5.4
-- ci/mutate/select.lua: which cases judge each mutant, from the coverage
-- data of make coverage (ci/coverage.sh), for ci/mutate.sh.
--
-- usage: select.lua [--results NAME] [--spec DIR] COVERAGE_DIR SOURCE_ROOT MUTANTS.tsv CASE_IDS.txt [DIFF]
--   --results     the results file of COVERAGE_DIR to read (default
--                 cases.json, the bochs runs; cases-qemu.json: the qemu runs)
--   --spec        the spec folder of the cases (its loader.lua): a case whose
--                 disk is the image another case's run left (disk.from) is
--                 judged with that case, since what its own run executes
--                 says nothing of the writes it reads back
--   COVERAGE_DIR  build-cov/coverage: cases.json (hvrun --results of the
--                 coverage build: each case's details name its run folder)
--                 and info/<run>.info (one lcov tracefile per run)
--   SOURCE_ROOT   the tree the tracefiles name (their SF: paths start with it)
--   MUTANTS.tsv   generate.lua's lines (id, file, line, column, class,
--                 function, first line, last line)
--   CASE_IDS.txt  every case id of the suite now, one a line
--   DIFF          git diff -U0 from the sources the coverage data measured to
--                 the mutated ones: lines are mapped through it, and a line
--                 the diff changed counts as not instrumented
-- Output: per mutant "id<TAB>how<TAB>first cases<TAB>other cases" (ids
-- blank-separated; the first are those of the FIRST_RUNS runs that judge the
-- most selected cases, so that most mutants die after a few boots), where how is
--   line         the cases whose run executed the mutated line
--   function     the line is not instrumented (a declaration, a continuation
--                line): the cases whose run executed any line of its function
--   everything   outside any function (data, initializers): every case
--   unreached    no run executed it: no case (the mutant survives unjudged)
-- Cases the coverage data does not know (added since) join every selection
-- that is not empty; a line on stderr says how many.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/../../grading/lib/?.lua;" .. package.path
local json = require("json")

local function fail(msg)
  io.stderr:write("mutate/select: ", msg, "\n")
  os.exit(2)
end

local args, results_name, spec_dir = {}, "cases.json", nil
do
  local i = 1
  while i <= #arg do
    if arg[i] == "--results" then
      results_name = arg[i + 1] or fail("--results wants a file name")
      if not results_name:match("^[%w._-]+%.json$") then
        fail("--results wants a .json file name in COVERAGE_DIR, not '" .. results_name .. "'")
      end
      i = i + 2
    elseif arg[i] == "--spec" then
      spec_dir = arg[i + 1] or fail("--spec wants a folder")
      i = i + 2
    else
      args[#args + 1] = arg[i]; i = i + 1
    end
  end
end
if #args ~= 4 and #args ~= 5 then
  fail("usage: select.lua [--results NAME] [--spec DIR] COVERAGE_DIR SOURCE_ROOT MUTANTS.tsv CASE_IDS.txt [DIFF]")
end
local cov_dir, root, mutants_path, ids_path, diff_path = args[1], args[2], args[3], args[4], args[5]

-- Hunks of the diff per file (new-side path): { old, old_n, new, new_n }.
local hunks = {}
if diff_path then
  local file
  for l in io.lines(diff_path) do
    local f = l:match("^%+%+%+ b/(.*)$")
    if f then file = f; hunks[file] = hunks[file] or {} end
    local a, b, c, d = l:match("^@@ %-(%d+),?(%d*) %+(%d+),?(%d*) @@")
    if a and file then
      table.insert(hunks[file], { old = tonumber(a), old_n = b == "" and 1 or tonumber(b),
        new = tonumber(c), new_n = d == "" and 1 or tonumber(d) })
    end
  end
end
-- The line of the measured source that line n of the mutated file was, and
-- whether the diff changed it.
local function old_line(file, n)
  local shift = 0
  for _, h in ipairs(hunks[file] or {}) do
    if h.new_n > 0 and n >= h.new and n < h.new + h.new_n then
      return h.old + math.min(n - h.new, math.max(h.old_n - 1, 0)), true
    end
    if (h.new_n == 0 and n > h.new) or (h.new_n > 0 and n >= h.new + h.new_n) then
      shift = shift + h.new_n - h.old_n
    end
  end
  return n - shift, false
end
if root:sub(-1) ~= "/" then root = root .. "/" end

-- { [file] = { [line] = true } } of the lines one tracefile executed, and
-- every instrumented line into `instrumented`.
local instrumented = {}
local function read_tracefile(path)
  local f = io.open(path)
  if not f then return nil end
  local hit, file = {}, nil
  for l in f:lines() do
    local sf = l:match("^SF:(.*)$")
    if sf then
      file = sf:sub(1, #root) == root and sf:sub(#root + 1) or sf
      hit[file] = hit[file] or {}
      instrumented[file] = instrumented[file] or {}
    else
      local line, count = l:match("^DA:(%d+),(%d+)")
      if line and file then
        line = tonumber(line)
        instrumented[file][line] = true
        if tonumber(count) > 0 then hit[file][line] = true end
      end
    end
  end
  f:close()
  return hit
end

local ok, rec = pcall(json.read_file, cov_dir .. "/" .. results_name)
if not ok or type(rec) ~= "table" or type(rec.cases) ~= "table" then
  fail(cov_dir .. "/" .. results_name .. " is missing or not an hvrun results file; run make coverage first")
end

-- The suite's cases now.
local current, current_list = {}, {}
for id in io.lines(ids_path) do
  if id ~= "" then current[id] = true; current_list[#current_list + 1] = id end
end

local runs, case_run, known = {}, {}, {}
for _, c in ipairs(rec.cases) do
  local key = type(c.details) == "string" and c.details:match("files in [^\n]*/runs/([^/\n ]+)")
  if key and current[c.id] then
    if runs[key] == nil then
      runs[key] = read_tracefile(cov_dir .. "/info/" .. key .. ".info") or false
    end
    if runs[key] then case_run[#case_run + 1] = { id = c.id, run = key } end
  end
  known[c.id] = true
end
read_tracefile(cov_dir .. "/info/zero-baseline.info.base")
local unknown = {}
for _, id in ipairs(current_list) do
  if not known[id] then unknown[#unknown + 1] = id end
end
if #unknown > 0 then
  io.stderr:write(string.format("mutate/select: %d case(s) are newer than the coverage data " ..
    "(first: %s); they judge every reached mutant (make coverage maps them)\n", #unknown, unknown[1]))
end

-- { [source case] = { cases whose disk.from names it } }, from the spec.
local dependents = {}
if spec_dir then
  local loaded, loader = pcall(dofile, spec_dir .. "/loader.lua")
  if not loaded then fail("cannot load " .. spec_dir .. "/loader.lua: " .. tostring(loader)) end
  local names, ls = {}, io.popen("ls -1 '" .. spec_dir:gsub("'", "'\\''") .. "'")
  for n in ls:lines() do names[#names + 1] = n end
  ls:close()
  local ok, set = pcall(loader.load_dir, spec_dir, names)
  if not ok then fail("the spec of " .. spec_dir .. " does not load: " .. tostring(set)) end
  for _, c in ipairs(set.cases) do
    local from = c.disk and c.disk.from
    if from and current[c.id] then
      dependents[from] = dependents[from] or {}
      table.insert(dependents[from], c.id)
    end
  end
end

-- ids with, after each, the cases that read the disk its run left; none twice.
local function with_dependents(ids, seen)
  local out = {}
  for _, id in ipairs(ids) do
    if not seen[id] then seen[id] = true; out[#out + 1] = id end
    for _, d in ipairs(dependents[id] or {}) do
      if not seen[d] then seen[d] = true; out[#out + 1] = d end
    end
  end
  return out
end

local FIRST_RUNS = 3

-- The cases whose run meets pred, split into those of the FIRST_RUNS runs
-- with the most of them, and the rest.
local function cases_where(pred)
  local by_run, order = {}, {}
  for _, cr in ipairs(case_run) do
    if pred(runs[cr.run]) then
      if not by_run[cr.run] then by_run[cr.run] = {}; order[#order + 1] = cr.run end
      table.insert(by_run[cr.run], cr.id)
    end
  end
  table.sort(order, function(x, y)
    if #by_run[x] ~= #by_run[y] then return #by_run[x] > #by_run[y] end
    return x < y
  end)
  local first, rest = {}, {}
  for n, run in ipairs(order) do
    local into = n <= FIRST_RUNS and first or rest
    table.move(by_run[run], 1, #by_run[run], #into + 1, into)
  end
  local seen = {}
  first = with_dependents(first, seen)
  return first, with_dependents(rest, seen)
end

for l in io.lines(mutants_path) do
  local id, file, line, _, _, _, first, last = l:match(
    "^([^\t]+)\t([^\t]+)\t(%d+)\t(%d+)\t([^\t]+)\t([^\t]+)\t(%d+)\t(%d+)$")
  if not id then fail(mutants_path .. ": not a generate.lua line: " .. l) end
  line, first, last = tonumber(line), tonumber(first), tonumber(last)
  local changed
  line, changed = old_line(file, line)
  if first > 0 then first, last = old_line(file, first), old_line(file, last) end
  local how, ids, rest = nil, {}, {}
  if not changed and instrumented[file] and instrumented[file][line] then
    how = "line"
    ids, rest = cases_where(function(hit) return hit[file] and hit[file][line] end)
  end
  -- A line no run counted, in a function some run entered, is judged by the
  -- function's cases: counts of optimised code are not exact (an inlined
  -- helper's line reads 0), and the lines after coverage_dump() never count.
  if #ids == 0 and first > 0 then
    how = "function"
    ids, rest = cases_where(function(hit)
      local h = hit[file]
      if not h then return false end
      for n = first, last do if h[n] then return true end end
      return false
    end)
  elseif not how then
    how = "everything"
    ids, rest = cases_where(function() return true end)
  end
  if #ids == 0 then
    how = "unreached"
  else
    table.move(unknown, 1, #unknown, #rest + 1, rest)
  end
  io.write(id, "\t", how, "\t", table.concat(ids, " "), "\t", table.concat(rest, " "), "\n")
end
