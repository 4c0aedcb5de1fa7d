#!/usr/bin/env lua5.4
-- ci/coverage-map.lua, the bookkeeping half of ci/coverage.sh:
--   compare NORMAL.json COVERAGE.json
--       cases whose verdict differs between the normal and the coverage
--       build (exit 1)
--   map CASES.json INFO_DIR REFERENCE.info UNIT.info OUT_DIR ROOT/
--       which files and functions of reference/ each case's run reaches,
--       and which cases reach each function: OUT_DIR/cases.md,
--       OUT_DIR/html/cases.html (beside genhtml's report) and
--       OUT_DIR/cases.tsv (for ci/catalogue --coverage-map)
-- The JSON files are hvrun --results records (schema hvspec-run-1 or -2); each
-- case's details name its run folder, whose tracefile is INFO_DIR/<run>.info.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/../grading/lib/?.lua;" .. package.path
local json = require("json")
local T = dofile(here .. "/coverage-tracefile.lua")

local function fail(msg)
  io.stderr:write("coverage-map: ", msg, "\n")
  os.exit(2)
end

local function load_run(path)
  local ok, rec = pcall(json.read_file, path)
  if not ok then fail(path .. ": " .. tostring(rec)) end
  if type(rec) ~= "table" or (rec.schema ~= "hvspec-run-1" and rec.schema ~= "hvspec-run-2")
    or type(rec.cases) ~= "table" then
    fail(path .. " is not an hvrun results file")
  end
  return rec
end

local function compare(normal_path, cov_path)
  local normal, cov = load_run(normal_path), load_run(cov_path)
  local by_id = {}
  for _, c in ipairs(normal.cases) do by_id[c.id] = c end
  local differ = 0
  for _, c in ipairs(cov.cases) do
    local n = by_id[c.id]
    if not n then
      io.stderr:write(string.format("  %s: judged on the coverage build only\n", c.id))
      differ = differ + 1
    elseif n.outcome ~= c.outcome then
      io.stderr:write(string.format("  %s: %s on the normal build, %s on the coverage build: %s\n",
        c.id, n.outcome, c.outcome, c.reason ~= "" and c.reason or n.reason))
      differ = differ + 1
    end
    by_id[c.id] = nil
  end
  for id in pairs(by_id) do
    io.stderr:write(string.format("  %s: judged on the normal build only\n", id))
    differ = differ + 1
  end
  if differ > 0 then
    io.stderr:write(string.format("coverage-map: %d case%s judged differently\n", differ,
      differ == 1 and "" or "s"))
    os.exit(1)
  end
  print(string.format("  the same verdict on both builds for all %d cases", #cov.cases))
end

local function read_info(path)
  local ok, files = pcall(T.read, path)
  if not ok then fail(tostring(files)) end
  return files
end

-- { ["file\tfunction"] = true } of the functions a tracefile saw run.
local function reached(files, root)
  local out = {}
  for path, r in pairs(files) do
    local rel = path:sub(1, #root) == root and path:sub(#root + 1) or path
    for name, fn in pairs(r.functions) do
      if fn.hits > 0 then out[rel .. "\t" .. name] = true end
    end
  end
  return out
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- genhtml's page of a source under reference/ (genhtml runs with --prefix
-- ROOT/reference), anchored at a line.
local function source_page(file, line)
  return file:gsub("^reference/", "") .. ".gcov.html" .. (line and "#" .. line or "")
end

-- cases_paths: one hvrun results file per engine, separated by commas (all
-- runs' tracefiles in info_dir); a case's reach is the union of its runs'.
local function map(cases_paths, info_dir, ref_path, unit_path, out_dir, root)
  -- Every function of reference/ with its line, and whether the unit tests reach it.
  local all, unit_hit = {}, reached(read_info(unit_path), root)
  for path, r in pairs(read_info(ref_path)) do
    local rel = path:sub(1, #root) == root and path:sub(#root + 1) or path
    if rel:sub(1, 10) == "reference/" then
      for name, fn in pairs(r.functions) do all[rel .. "\t" .. name] = fn.line end
    end
  end
  local per_case, by_id, cache = {}, {}, {}
  for cases_path in cases_paths:gmatch("[^,]+") do
    for _, c in ipairs(load_run(cases_path).cases) do
      local run = type(c.details) == "string" and c.details:match("files in [^\n]*/runs/([^/\n ]+)")
      local funcs = run and cache[run]
      if run and not funcs then
        local path = info_dir .. "/" .. run .. ".info"
        local f = io.open(path)
        if f then
          f:close()
          funcs = reached(read_info(path), root)
        else
          funcs = {}
        end
        cache[run] = funcs
      end
      local entry = by_id[c.id]
      if not entry then
        entry = { id = c.id, reach = {} }
        by_id[c.id] = entry
        per_case[#per_case + 1] = entry
      end
      entry.outcome = entry.outcome and (entry.outcome .. ", " .. tostring(c.outcome)) or c.outcome
      if run then entry.run = entry.run and (entry.run .. ", " .. run) or run end
      for key in pairs(funcs or {}) do entry.reach[key] = true end
    end
  end
  local by_function = {}
  for _, c in ipairs(per_case) do
    c.keys = sorted_keys(c.reach)
    for _, key in ipairs(c.keys) do
      by_function[key] = by_function[key] or {}
      table.insert(by_function[key], c.id)
    end
  end
  local names = sorted_keys(all)
  local unreached, unit_only = {}, 0
  for _, key in ipairs(names) do
    if not by_function[key] then
      unreached[#unreached + 1] = key
      if unit_hit[key] then unit_only = unit_only + 1 end
    end
  end

  -- cases.tsv: one line per case and file: case, file, its functions reached.
  local tsv = { "# ci/coverage.sh: case<TAB>file<TAB>functions of that file the case's run reached (comma-separated)" }
  for _, c in ipairs(per_case) do
    local files, by_file = T.group_by(c.keys, function(key) return key:match("^(.-)\t") end)
    for _, file in ipairs(files) do
      local names = {}
      for _, key in ipairs(by_file[file]) do names[#names + 1] = key:match("\t(.*)$") end
      tsv[#tsv + 1] = c.id .. "\t" .. file .. "\t" .. table.concat(names, ",")
    end
    if #files == 0 then tsv[#tsv + 1] = c.id .. "\t\t" end
  end

  -- cases.md
  local md = { "# Which cases reach which code of reference/", "",
    "Generated by `make coverage` (ci/coverage.sh) from the coverage build's runs; "
      .. "the same as `html/cases.html`.", "",
    string.format("%d functions, %d reached by no case (%d of them reached by the host unit tests): %s",
      #names, #unreached, unit_only, #unreached == 0 and "none" or (function()
        local l = {}
        for _, key in ipairs(unreached) do
          local file, name = key:match("^(.-)\t(.*)$")
          l[#l + 1] = string.format("`%s` (%s%s)", name, file, unit_hit[key] and ", unit tests" or "")
        end
        return table.concat(l, ", ")
      end)()), "",
    "## Functions and the cases that reach them", "",
    "| function | file | cases |", "|---|---|---|" }
  for _, key in ipairs(names) do
    local file, name = key:match("^(.-)\t(.*)$")
    local ids = by_function[key] or {}
    md[#md + 1] = string.format("| `%s` | %s | %s |", name, file,
      #ids == 0 and (unit_hit[key] and "**none** (the host unit tests reach it)" or "**none**")
        or string.format("%d: %s", #ids, table.concat(ids, ", ")))
  end
  md[#md + 1] = ""
  md[#md + 1] = "## Cases and how many functions their run reaches"
  md[#md + 1] = ""
  md[#md + 1] = "| case | functions | run |"
  md[#md + 1] = "|---|---|---|"
  for _, c in ipairs(per_case) do
    md[#md + 1] = string.format("| `%s` | %d | %s |", c.id, #c.keys, c.run or "(no run)")
  end

  -- html/cases.html
  local E = T.html_escape
  local h = { "<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
    "<title>hvspec: which cases reach which code of reference/</title>",
    "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      .. "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}th{background:#eee}"
      .. ".none{color:#b00;font-weight:bold}code{font-size:90%}</style>",
    "</head><body>", "<h1>Which cases reach which code of reference/</h1>",
    "<p><a href=\"index.html\">coverage report</a> · <a href=\"exclusions.html\">excluded lines</a> · "
      .. "<a href=\"#functions\">functions and their cases</a> · <a href=\"#cases\">cases and what they reach</a></p>",
    string.format("<p>Generated by <code>make coverage</code> (ci/coverage.sh) from the coverage build's "
      .. "runs. %d cases, %d functions, %d reached by no case (%d of them reached by the host unit tests). "
      .. "Search this page with the browser's find: a function's name finds its row and every case "
      .. "that reaches it; a case id finds its section.</p>", #per_case, #names, #unreached, unit_only),
    "<h2 id=\"functions\">Functions and the cases that reach them</h2>",
    "<table><tr><th>function</th><th>file</th><th>cases</th></tr>" }
  for _, key in ipairs(names) do
    local file, name = key:match("^(.-)\t(.*)$")
    local ids = by_function[key] or {}
    local links = {}
    for _, id in ipairs(ids) do
      links[#links + 1] = string.format("<a href=\"#case-%s\">%s</a>", E(id), E(id))
    end
    h[#h + 1] = string.format("<tr id=\"fn-%s\"><td><code>%s</code></td><td><a href=\"%s\">%s</a></td><td>%s</td></tr>",
      E(file .. ":" .. name), E(name), E(source_page(file, all[key])), E(file),
      #ids == 0 and ("<span class=\"none\">none</span>" .. (unit_hit[key] and " (the host unit tests reach it)" or ""))
        or string.format("%d: %s", #ids, table.concat(links, ", ")))
  end
  h[#h + 1] = "</table>"
  h[#h + 1] = "<h2 id=\"cases\">Cases and the files and functions their run reaches</h2>"
  for _, c in ipairs(per_case) do
    h[#h + 1] = string.format("<h3 id=\"case-%s\">%s</h3><p>%s; %d functions; run %s</p>", E(c.id),
      E(c.id), E(c.outcome or "?"), #c.keys, E(c.run or "(none)"))
    if #c.keys > 0 then
      h[#h + 1] = "<ul>"
      local i = 1
      while i <= #c.keys do
        local file = c.keys[i]:match("^(.-)\t")
        local fns = {}
        while i <= #c.keys and c.keys[i]:match("^(.-)\t") == file do
          local name = c.keys[i]:match("\t(.*)$")
          fns[#fns + 1] = string.format("<a href=\"#fn-%s\">%s</a>", E(file .. ":" .. name), E(name))
          i = i + 1
        end
        h[#h + 1] = string.format("<li><a href=\"%s\">%s</a>: %s</li>", E(source_page(file)),
          E(file), table.concat(fns, ", "))
      end
      h[#h + 1] = "</ul>"
    end
  end
  h[#h + 1] = "</body></html>"

  local ok, err = pcall(function()
    T.write(out_dir .. "/cases.md", table.concat(md, "\n") .. "\n")
    T.write(out_dir .. "/cases.tsv", table.concat(tsv, "\n") .. "\n")
    T.write(out_dir .. "/html/cases.html", table.concat(h, "\n") .. "\n")
  end)
  if not ok then fail(tostring(err)) end
  print(string.format("  %d functions, %d reached by no case (%d of them by the host unit tests)",
    #names, #unreached, unit_only))
end

local cmd = arg[1]
if cmd == "compare" and arg[3] then
  compare(arg[2], arg[3])
elseif cmd == "map" and arg[7] then
  map(arg[2], arg[3], arg[4], arg[5], arg[6], arg[7])
else
  fail("usage: ci/coverage-map.lua compare NORMAL.json COVERAGE.json\n"
    .. "       ci/coverage-map.lua map CASES.json INFO_DIR REFERENCE.info UNIT.info OUT_DIR ROOT/")
end
