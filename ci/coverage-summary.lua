#!/usr/bin/env lua5.4
-- ci/coverage-summary.lua, the figures half of ci/coverage.sh:
--   summary ROOT/ REFERENCE.info SUITE.info UNIT.info HARNESS.info
--       prints line, function and branch coverage of reference/ (the suite
--       and the host unit tests together, then each alone) and of the
--       harness (its own tests), per directory and per file
--   exclusions ROOT/ [UNMARKED.info UNMARKED_ROOT/ HTML_OUT]   < source list
--       checks every lcov exclusion marker of the sources named on stdin
--       (one path a line, relative to ROOT/) and lists them as file:line,
--       instrumented lines excluded and reason; exit 1 on a marker without
--       a reason or a range left open. UNMARKED.info is the zero baseline
--       captured from a copy of the sources (under UNMARKED_ROOT/) whose
--       markers are disabled: it says which lines the compiler instrumented.
-- Marker forms (each in a C comment, the reason on the same line):
--   /* LCOV_EXCL_LINE: reason */   this line
--   /* LCOV_EXCL_START: reason */  ... /* LCOV_EXCL_STOP */   the lines between
-- Only lines reachable when the hardware misbehaves (or never reachable in
-- the reference) may be excluded; the reason says which.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local T = dofile(here .. "/coverage-tracefile.lua")

local function fail(msg, status)
  io.stderr:write("coverage-summary: ", msg, "\n")
  os.exit(status or 2)
end

local function dir_of(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local COLUMN = "%-40s %-22s %-20s %s"

local function row(name, c)
  return string.format(COLUMN, name, T.rate(c.lines), T.rate(c.functions), T.rate(c.branches))
end

-- Per directory (with a total), optionally per file, of the records under
-- root .. prefix.
local function table_of(out, files, root, prefix, per_file, total_label)
  local records = T.under(files, root .. prefix)
  local order, dirs = T.group_by(records, function(r) return dir_of(r.path:sub(#root + 1)) end)
  table.sort(order)
  out[#out + 1] = string.format(COLUMN, "", "lines", "functions", "branches")
  for _, d in ipairs(order) do
    out[#out + 1] = row("  " .. d .. "/", T.counts(dirs[d]))
  end
  out[#out + 1] = row("  " .. total_label, T.counts(records))
  if per_file then
    out[#out + 1] = "per file:"
    for _, r in ipairs(records) do
      out[#out + 1] = row("  " .. r.path:sub(#root + 1), T.counts({ r }))
    end
  end
  return records
end

local function summary(root, ref_path, suite_path, unit_path, harness_path)
  local ok, err = pcall(function()
    local out = {}
    local ref, suite, unit, harness = T.read(ref_path), T.read(suite_path), T.read(unit_path),
      T.read(harness_path)
    out[#out + 1] = "reference/, covered by the conformance suite and the host unit tests:"
    table_of(out, ref, root, "reference/", true, "all of reference/")
    out[#out + 1] = ""
    out[#out + 1] = "reference/, the conformance suite alone (in-hypervisor):"
    table_of(out, suite, root, "reference/", false, "all of reference/")
    out[#out + 1] = ""
    out[#out + 1] = "reference/, the host unit tests alone (tests/unit, the files they build):"
    table_of(out, unit, root, "reference/", false, "all the files they build")
    out[#out + 1] = ""
    out[#out + 1] = "harness/, covered by its own tests:"
    table_of(out, harness, root, "harness/", true, "all of harness/")
    print(table.concat(out, "\n"))
  end)
  if not ok then fail(tostring(err), 1) end
end

-- Markers ------------------------------------------------------------------

local KINDS = { LINE = true, START = true, STOP = true }

-- { file, first, last, reason } for each excluded range of one source.
local function markers_of(root, rel, problems)
  local f = io.open(root .. rel)
  if not f then
    problems[#problems + 1] = rel .. ": cannot read it"
    return {}
  end
  local ranges, open = {}, nil
  local n = 0
  for line in f:lines() do
    n = n + 1
    for kind, rest in line:gmatch("LCOV_EXCL_([%u_]+)([^\n]*)") do
      local where = string.format("%s:%d", rel, n)
      local reason = rest:match("^:%s*(.-)%s*%*/") or rest:match("^:%s*(.-)%s*$")
      if not KINDS[kind] then
        problems[#problems + 1] = where .. ": LCOV_EXCL_" .. kind .. ": use only LCOV_EXCL_LINE, "
          .. "LCOV_EXCL_START and LCOV_EXCL_STOP (ci/coverage-summary.lua)"
      elseif kind == "STOP" then
        if not open then
          problems[#problems + 1] = where .. ": LCOV_EXCL_STOP without an LCOV_EXCL_START above it"
        else
          open.last = n
          ranges[#ranges + 1] = open
          open = nil
        end
      elseif not reason or reason == "" then
        problems[#problems + 1] = where .. ": LCOV_EXCL_" .. kind .. " without a reason: write "
          .. "'LCOV_EXCL_" .. kind .. ": <why only misbehaving hardware reaches this>'"
      elseif kind == "START" and open then
        problems[#problems + 1] = where .. ": LCOV_EXCL_START inside the range opened at line "
          .. open.first .. ": close that one first"
      elseif kind == "START" then
        open = { file = rel, first = n, reason = reason }
      else
        ranges[#ranges + 1] = { file = rel, first = n, last = n, reason = reason }
      end
    end
  end
  f:close()
  if open then
    problems[#problems + 1] = string.format("%s:%d: LCOV_EXCL_START never closed: add "
      .. "/* LCOV_EXCL_STOP */ after the last excluded line", rel, open.first)
  end
  return ranges
end

local function exclusions(root, unmarked_path, unmarked_root, html_out)
  local problems, ranges = {}, {}
  for rel in io.lines() do
    if rel ~= "" then
      for _, r in ipairs(markers_of(root, rel, problems)) do ranges[#ranges + 1] = r end
    end
  end
  if #problems > 0 then
    for _, p in ipairs(problems) do io.stderr:write(p, "\n") end
    fail(string.format("%d malformed exclusion marker%s (above)", #problems,
      #problems == 1 and "" or "s"), 1)
  end
  local unmarked
  if unmarked_path then
    local ok, files = pcall(T.read, unmarked_path)
    if not ok then fail(tostring(files), 1) end
    unmarked = files
  end
  local total = 0
  for _, r in ipairs(ranges) do
    r.instrumented = 0
    local rec = unmarked and unmarked[unmarked_root .. r.file]
    if rec then
      for ln = r.first, r.last do
        if rec.lines[ln] then r.instrumented = r.instrumented + 1 end
      end
    end
    total = total + r.instrumented
  end
  print(string.format("excluded: %d range%s, %d instrumented line%s (lcov markers, each with its reason):",
    #ranges, #ranges == 1 and "" or "s", total, total == 1 and "" or "s"))
  for _, r in ipairs(ranges) do
    local where = r.first == r.last and string.format("%s:%d", r.file, r.first)
      or string.format("%s:%d-%d", r.file, r.first, r.last)
    print(string.format("  %s (%d line%s): %s", where, r.instrumented,
      r.instrumented == 1 and "" or "s", r.reason))
  end
  if html_out then
    local E = T.html_escape
    local h = { "<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
      "<title>hvspec: lines excluded from coverage</title>",
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        .. "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}th{background:#eee}</style>",
      "</head><body>", "<h1>Lines excluded from coverage</h1>",
      "<p><a href=\"index.html\">coverage report</a> · <a href=\"cases.html\">cases and functions</a></p>",
      string.format("<p>%d ranges, %d instrumented lines, excluded with lcov markers in the sources. "
        .. "Only lines that no conforming guest and no test can reach (misbehaving hardware, or code "
        .. "the reference never calls) may be excluded, each with its reason.</p>", #ranges, total),
      "<table><tr><th>where</th><th>instrumented lines</th><th>reason</th></tr>" }
    for _, r in ipairs(ranges) do
      -- genhtml's page of a source: its path under reference/ plus .gcov.html.
      local page = r.file:gsub("^reference/", "") .. ".gcov.html#" .. r.first
      h[#h + 1] = string.format("<tr><td><a href=\"%s\">%s:%d%s</a></td><td>%d</td><td>%s</td></tr>",
        E(page), E(r.file), r.first, r.first == r.last and "" or "-" .. r.last, r.instrumented,
        E(r.reason))
    end
    h[#h + 1] = "</table></body></html>"
    local ok, err = pcall(T.write, html_out, table.concat(h, "\n") .. "\n")
    if not ok then fail(tostring(err), 1) end
  end
end

local cmd = arg[1]
if cmd == "summary" and arg[6] then
  summary(arg[2], arg[3], arg[4], arg[5], arg[6])
elseif cmd == "exclusions" and arg[2] then
  exclusions(arg[2], arg[3], arg[4], arg[5])
else
  fail("usage: ci/coverage-summary.lua summary ROOT/ REFERENCE.info SUITE.info UNIT.info HARNESS.info\n"
    .. "       ci/coverage-summary.lua exclusions ROOT/ [UNMARKED.info UNMARKED_ROOT/ HTML_OUT] < source list")
end
