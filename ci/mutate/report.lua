#!/usr/bin/env lua5.4
-- ci/mutate/report.lua: mutants.json and report.md from ci/mutate.sh's
-- results (one mutant a line: id, status, how its cases were chosen,
-- seconds, killing cases; tab-separated).
--
-- usage: report.lua --root TREE --results RESULTS.tsv --equivalent EQUIVALENT.txt
--                   --json OUT.json --markdown OUT.md [--commit C] [--seed N]
--                   [--count N] [--seconds S] [--unjudged N] [--selection TEXT] [--warning TEXT]
-- Statuses: killed, survived, unreached (survived: no case executes the line),
-- same-image (equivalent: the loaded image equals the original's), stillborn
-- (does not build), error (the harness could not judge it). A survivor listed
-- in EQUIVALENT.txt ("ID  reason") counts as equivalent by review; an entry
-- that matches no mutant of this run and names a line that no longer holds
-- its original text is reported stale.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/../../grading/lib/?.lua;" .. here .. "/?.lua;" .. package.path
local json = require("json")
local generate = require("generate")

local function fail(msg)
  io.stderr:write("mutate/report: ", msg, "\n")
  os.exit(2)
end

local opt = {}
local k = 1
while k <= #arg do
  local name = arg[k]:match("^%-%-([%w-]+)$")
  if not name or arg[k + 1] == nil then fail("bad argument '" .. tostring(arg[k]) .. "' (see the usage in this file)") end
  opt[name] = arg[k + 1]
  k = k + 2
end
for _, need in ipairs({ "root", "results", "equivalent", "json", "markdown" }) do
  if not opt[need] then fail("--" .. need .. " is required") end
end

-- The reviewed equivalents: { [id] = reason }, in file order.
local reviewed, reviewed_order = {}, {}
local ef = io.open(opt.equivalent)
if ef then
  local n = 0
  for l in ef:lines() do
    n = n + 1
    if not l:match("^%s*#") and l:match("%S") then
      local id, reason = l:match("^(%S+)%s+(.+)$")
      if not id then fail(opt.equivalent .. ":" .. n .. ": want 'MUTANT_ID  reason', got: " .. l) end
      reviewed[id] = reason
      reviewed_order[#reviewed_order + 1] = id
    end
  end
  ef:close()
end

-- Source lines, for the report.
local sources = {}
local function source_line(file, line)
  if not sources[file] then
    local lines = {}
    local f = io.open(opt.root .. "/" .. file)
    if f then for l in f:lines() do lines[#lines + 1] = l end f:close() end
    sources[file] = lines
  end
  return (sources[file][line] or ""):gsub("^%s+", "")
end

local mutants, seen = {}, {}
for l in io.lines(opt.results) do
  local id, status, how, seconds, killers = l:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
  if not id then fail(opt.results .. ": bad line: " .. l) end
  local file, line, col, class, from, to = id:match("^([^:]+):(%d+):(%d+):([^:]+):(.*)%->(.*)$")
  if not file then fail(opt.results .. ": bad mutant id " .. id) end
  line = tonumber(line)
  local m = { id = id, file = file, dir = file:match("^(.*)/[^/]*$"), line = line, column = tonumber(col),
    class = class, from = from, to = to, status = status, cases = how,
    seconds = tonumber(seconds), source = source_line(file, line) }
  if killers ~= "" then m.killed_by = killers end
  if (status == "survived" or status == "unreached") and reviewed[id] then
    m.status, m.reason = "equivalent", reviewed[id]
  end
  mutants[#mutants + 1] = m
  seen[id] = true
end

-- Stale entries: reviewed ids whose site is gone from the sources.
local stale = {}
local sites_of = {}
for _, id in ipairs(reviewed_order) do
  if not seen[id] then
    local file = id:match("^([^:]+):")
    if file and not sites_of[file] then
      local f = io.open(opt.root .. "/" .. file)
      local set = {}
      if f then
        local ok, list = pcall(generate.sites, f:read("a"), file)
        f:close()
        if ok then for _, s in ipairs(list) do set[s.id] = true end end
      end
      sites_of[file] = set
    end
    if not (file and sites_of[file][id]) then stale[#stale + 1] = id end
  end
end

-- Counts per directory and overall.
local STATUSES = { "killed", "survived", "unreached", "equivalent", "same-image", "stillborn", "error" }
local dirs, order = {}, {}
local function count(key, status)
  if not dirs[key] then
    dirs[key] = {}
    for _, s in ipairs(STATUSES) do dirs[key][s] = 0 end
    order[#order + 1] = key
  end
  dirs[key][status] = (dirs[key][status] or 0) + 1
end
for _, m in ipairs(mutants) do
  count(m.dir, m.status)
  count("all", m.status)
end
table.sort(order, function(x, y)
  if x == "all" or y == "all" then return y == "all" and x ~= "all" end
  return x < y
end)
local function score(c)
  local judged = c.killed + c.survived + c.unreached
  if judged == 0 then return nil end
  return 100 * c.killed / judged
end

local total_seconds = tonumber(opt.seconds) or 0
local summary = {}
for _, key in ipairs(order) do
  local c = dirs[key]
  summary[key] = json.object({ killed = c.killed, survived = c.survived, unreached = c.unreached,
    equivalent = c.equivalent, same_image = c["same-image"], stillborn = c.stillborn, error = c.error,
    score = score(c) or json.null })
end
local records = {}
for _, m in ipairs(mutants) do records[#records + 1] = json.object(m) end
json.write_file(opt.json, json.object({
  schema = "hvspec-mutants-1", commit = opt.commit or json.null,
  seed = tonumber(opt.seed) or json.null, count = tonumber(opt.count) or json.null,
  seconds = total_seconds, selection = opt.selection or json.null,
  unjudged = tonumber(opt.unjudged) or 0,
  summary = json.object(summary), mutants = json.array(records),
  stale_equivalents = json.array(stale),
}), { indent = 1 })

-- The Markdown report.
local md = {}
local function w(...) md[#md + 1] = table.concat({ ... }) end
local all = dirs.all or { killed = 0, survived = 0, unreached = 0 }
w("# Mutation score of the reference hypervisor")
w("")
w(string.format("Commit %s, seed %s, %d mutants (sample of %s, stratified by file), cases chosen by %s.",
  opt.commit or "?", opt.seed or "?", #mutants, opt.count or "?", opt.selection or "?"))
w(string.format("Wall time %d s (%.1f s per mutant).", total_seconds,
  #mutants > 0 and total_seconds / #mutants or 0))
if (tonumber(opt.unjudged) or 0) > 0 then
  w(string.format("The time limit stopped the run: %d mutants of the sample were not judged.", tonumber(opt.unjudged)))
end
if opt.warning and opt.warning ~= "" then w(""); w("**Warning:** ", opt.warning) end
w("")
w("score = killed / (killed + survived + unreached); equivalents (same image, or reviewed in",
  " ci/mutate/equivalent.txt), stillborn mutants and harness errors are not counted.")
w("")
w("| directory | score | killed | survived | unreached | equivalent (reviewed) | same image | stillborn | error |")
w("|---|---|---|---|---|---|---|---|---|")
for _, key in ipairs(order) do
  local c = dirs[key]
  local s = score(c)
  w(string.format("| %s | %s | %d | %d | %d | %d | %d | %d | %d |", key == "all" and "**all**" or key,
    s and string.format("%.1f%%", s) or "-", c.killed, c.survived, c.unreached, c.equivalent,
    c["same-image"], c.stillborn, c.error))
end
local s_all = score(all)
w("")
w(string.format("Overall: %s (%d killed of %d judged).", s_all and string.format("%.1f%%", s_all) or "-",
  all.killed, all.killed + all.survived + all.unreached))
local by_class = {}
for _, m in ipairs(mutants) do
  local c = by_class[m.class] or { killed = 0, judged = 0 }
  by_class[m.class] = c
  if m.status == "killed" then c.killed = c.killed + 1 end
  if m.status == "killed" or m.status == "survived" or m.status == "unreached" then c.judged = c.judged + 1 end
end
local classes = {}
for name in pairs(by_class) do classes[#classes + 1] = name end
table.sort(classes)
local parts = {}
for _, name in ipairs(classes) do
  parts[#parts + 1] = string.format("%s %d/%d", name, by_class[name].killed, by_class[name].judged)
end
w("By operator (killed/judged): ", table.concat(parts, ", "), ".")

local function listing(title, pick, extra)
  local rows = {}
  for _, m in ipairs(mutants) do if pick(m) then rows[#rows + 1] = m end end
  w("")
  w(string.format("## %s (%d)", title, #rows))
  if #rows == 0 then return end
  w("")
  for _, m in ipairs(rows) do
    w(string.format("- `%s:%d` %s `%s` -> `%s`%s  ", m.file, m.line, m.class, m.from, m.to, extra and extra(m) or ""))
    w(string.format("  `%s`", (m.source:gsub("`", "'"))))
  end
end
listing("Survivors", function(m) return m.status == "survived" end)
listing("Survivors no case reaches", function(m) return m.status == "unreached" end)
listing("Equivalent by review (ci/mutate/equivalent.txt)", function(m) return m.status == "equivalent" end,
  function(m) return ": " .. m.reason end)
listing("Harness errors", function(m) return m.status == "error" end,
  function(m) return ": " .. (m.killed_by or "") end)
if #stale > 0 then
  w("")
  w(string.format("## Stale entries of ci/mutate/equivalent.txt (%d)", #stale))
  w("")
  w("They name no mutant of the current sources: remove or update them.")
  w("")
  for _, id in ipairs(stale) do w("- `", id, "`") end
end
local f = assert(io.open(opt.markdown, "w"))
f:write(table.concat(md, "\n"), "\n")
f:close()
print(string.format("mutate: score %s: %d killed, %d survived, %d unreached, %d equivalent by review, " ..
  "%d same image, %d stillborn, %d errors", s_all and string.format("%.1f%%", s_all) or "-",
  all.killed, all.survived, all.unreached, all.equivalent or 0, all["same-image"] or 0,
  all.stillborn or 0, all.error or 0))
if #stale > 0 then print(string.format("mutate: %d stale entries in ci/mutate/equivalent.txt", #stale)) end
