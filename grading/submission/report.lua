-- grading/submission/report.lua: writes a grade record (interface E) in
-- every output format: results.json, gradescope/results.json, autolab.txt,
-- junit.xml, summary.txt (the terminal table), feedback.md and feedback.html.
-- Everything but the time fields is a function of the record, so grading the
-- same submission twice writes the same files.

local util = require("util")
local json = require("json")

local M = {}

M.SCHEMA = "hvspec-grade-1"
-- Key order of results.json, for people reading it; the rest is sorted.
-- One rank for every object: the top level, cases, units and the image
-- each read in their own order through it.
M.KEY_ORDER = { "schema", "submission", "id", "name", "lab", "area", "visibility", "status",
  "status_reason", "outcome", "image", "score", "points", "max_score", "max_points", "areas",
  "reason", "details", "rerun", "ignored_files", "cases", "units", "intake", "timing",
  "graded_at", "seconds",
  "image_sha256", "path", "sha256" }
M.UNITS_AREA = "units"
M.FEEDBACK_LOG_LINES = 40     -- build-log lines shown to the student
M.FEEDBACK_IGNORED_MAX = 50   -- ignored files named in the feedback

-- The command a student runs in their own handout tree to see one case
-- (the handout's README explains it).
function M.student_rerun(id)
  return "make && build/bin/hvrun " .. id
end

local VERDICT = { pass = "pass", fail = "FAIL", crash = "CRASH", timeout = "TIMEOUT", error = "ERROR",
  skip = "skip", not_run = "not run" }

-- Gradescope's names for the two visibilities.
local GRADESCOPE_VISIBILITY = { public = "visible", hidden = "after_published" }

---------------------------------------------------------------------------
-- results.json and the machine formats
---------------------------------------------------------------------------

function M.results_json(rec)
  return json.encode(rec, { indent = 2, key_order = M.KEY_ORDER }) .. "\n"
end

-- The Autolab line: {"scores": {...}} with one entry per area.
function M.autolab_line(rec)
  local scores = json.object()
  for area, a in pairs(rec.areas) do scores[area] = a.score end
  return json.encode({ scores = scores })
end

local function case_output(c)
  if c.visibility == "hidden" then
    return "hidden case: " .. (c.outcome == "pass" and "passed" or "not passed")
  end
  local parts = { c.reason ~= "" and c.reason or VERDICT[c.outcome] }
  if c.outcome ~= "pass" and c.details and c.details ~= "" then parts[#parts + 1] = c.details end
  if c.outcome ~= "pass" then
    parts[#parts + 1] = "Rerun in your handout: " .. M.student_rerun(c.id)
  end
  return table.concat(parts, "\n")
end

function M.gradescope_json(rec, top_output)
  local tests = json.array()
  for _, c in ipairs(rec.cases) do
    tests[#tests + 1] = {
      name = c.id, score = c.points, max_score = c.max_points,
      output = case_output(c), visibility = GRADESCOPE_VISIBILITY[c.visibility],
    }
  end
  for _, u in ipairs(rec.units) do
    tests[#tests + 1] = {
      name = "unit tests: " .. u.name, score = u.points, max_score = u.max_points,
      output = u.visibility == "hidden" and ("hidden unit tests: " ..
        (u.outcome == "pass" and "passed" or "not passed")) or (VERDICT[u.outcome] .. ": " .. u.reason),
      visibility = GRADESCOPE_VISIBILITY[u.visibility],
    }
  end
  return json.encode({ score = rec.score, output = top_output, tests = tests },
    { indent = 2, key_order = { "name", "score", "max_score", "visibility", "output", "tests" } }) .. "\n"
end

local function xml_escape(s)
  s = tostring(s or "")
  -- XML 1.0 forbids most control characters even as references.
  s = s:gsub("[%z\1-\8\11\12\14-\31]", "?")
  return (s:gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;", ["'"] = "&apos;" }))
end

function M.junit_xml(rec)
  local tests, failures, errors, skipped = 0, 0, 0, 0
  local body = {}
  local function add(classname, name, outcome, reason, details, seconds)
    tests = tests + 1
    local open = string.format('    <testcase classname="%s" name="%s" time="%.3f"',
      xml_escape(classname), xml_escape(name), seconds or 0)
    if outcome == "pass" then
      body[#body + 1] = open .. "/>"
      return
    end
    body[#body + 1] = open .. ">"
    if outcome == "fail" or outcome == "crash" or outcome == "timeout" then
      failures = failures + 1
      body[#body + 1] = string.format('      <failure message="%s">%s</failure>', xml_escape(reason), xml_escape(details))
    elseif outcome == "error" then
      errors = errors + 1
      body[#body + 1] = string.format('      <error message="%s">%s</error>', xml_escape(reason), xml_escape(details))
    else
      skipped = skipped + 1
      body[#body + 1] = string.format('      <skipped message="%s"/>', xml_escape(reason))
    end
    body[#body + 1] = "    </testcase>"
  end
  for _, c in ipairs(rec.cases) do
    add(c.area, c.id, c.outcome, c.reason, c.details .. (c.rerun ~= "" and ("\nrerun: " .. c.rerun) or ""),
      c.seconds)
  end
  for _, u in ipairs(rec.units) do add(M.UNITS_AREA, u.name, u.outcome, u.reason, u.reason, 0) end
  local props = {
    { "submission", rec.submission }, { "lab", rec.lab }, { "status", rec.status },
    { "status_reason", rec.status_reason },
    { "image.path", rec.image ~= json.null and rec.image.path or "" },
    { "image.sha256", rec.image ~= json.null and rec.image.sha256 or "" },
    { "score", rec.score }, { "max_score", rec.max_score },
  }
  local out = { '<?xml version="1.0" encoding="UTF-8"?>',
    string.format('<testsuites name="hvspec-grade" tests="%d" failures="%d" errors="%d" skipped="%d">',
      tests, failures, errors, skipped),
    string.format('  <testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">',
      xml_escape("hvspec." .. rec.lab .. "." .. rec.id), tests, failures, errors, skipped, rec.seconds),
    "    <properties>" }
  for _, p in ipairs(props) do
    out[#out + 1] = string.format('      <property name="%s" value="%s"/>', xml_escape(p[1]), xml_escape(p[2]))
  end
  out[#out + 1] = "    </properties>"
  for _, l in ipairs(body) do out[#out + 1] = "  " .. l end
  out[#out + 1] = "  </testsuite>"
  out[#out + 1] = "</testsuites>"
  return table.concat(out, "\n") .. "\n"
end

---------------------------------------------------------------------------
-- The terminal table
---------------------------------------------------------------------------

-- Areas in the order the lab's cases first name them, then units.
function M.area_order(rec)
  local order, seen = {}, {}
  for _, c in ipairs(rec.cases) do
    if not seen[c.area] then
      seen[c.area] = true
      order[#order + 1] = c.area
    end
  end
  if #rec.units > 0 then order[#order + 1] = M.UNITS_AREA end
  return order
end

local function pad(s, n)
  s = tostring(s)
  if #s >= n then return s end
  return s .. string.rep(" ", n - #s)
end

function M.summary_text(rec)
  local out = {}
  out[#out + 1] = string.format("grade: %s, lab %s: %s%s", rec.id, rec.lab, rec.status,
    rec.status_reason ~= "" and (" (" .. rec.status_reason .. ")") or "")
  if rec.image ~= json.null then
    out[#out + 1] = "image: " .. rec.image.path .. " sha256 " .. rec.image.sha256
  else
    out[#out + 1] = "image: none"
  end
  if #rec.ignored_files > 0 then
    out[#out + 1] = string.format("ignored (not whitelisted): %d file%s: %s", #rec.ignored_files,
      #rec.ignored_files == 1 and "" or "s", table.concat(rec.ignored_files, " ", 1, math.min(#rec.ignored_files, 10)) ..
      (#rec.ignored_files > 10 and " ..." or ""))
  end
  local width = 4
  for _, c in ipairs(rec.cases) do width = math.max(width, #c.id) end
  for _, u in ipairs(rec.units) do width = math.max(width, #u.name) end
  out[#out + 1] = ""
  out[#out + 1] = pad("case", width) .. "  " .. pad("verdict", 8) .. pad("points", 8) .. "reason"
  for _, c in ipairs(rec.cases) do
    out[#out + 1] = pad(c.id, width) .. "  " .. pad(VERDICT[c.outcome], 8) ..
      pad(c.points .. "/" .. c.max_points, 8) .. (c.outcome == "pass" and "" or c.reason)
  end
  for _, u in ipairs(rec.units) do
    out[#out + 1] = pad(u.name, width) .. "  " .. pad(VERDICT[u.outcome], 8) ..
      pad(u.points .. "/" .. u.max_points, 8) .. (u.outcome == "pass" and "" or u.reason)
  end
  out[#out + 1] = ""
  out[#out + 1] = string.format("score: %d/%d", rec.score, rec.max_score)
  for _, area in ipairs(M.area_order(rec)) do
    local a = rec.areas[area]
    out[#out + 1] = string.format("score %s: %d/%d", area, a.score, a.max_score)
  end
  return table.concat(out, "\n") .. "\n"
end

---------------------------------------------------------------------------
-- Student feedback: one list of blocks, rendered as Markdown and HTML
---------------------------------------------------------------------------

-- Blocks: {"h1"|"h2"|"h3"|"p"|"pre", text} and {"list", {items}},
-- {"table", {header}, {{row}...}}. Text is plain; the renderers escape it.
local function feedback_blocks(rec, extra)
  local b = {}
  local function add(...) b[#b + 1] = { ... } end
  add("h1", "hvspec feedback: " .. rec.id)
  add("p", string.format("Lab: %s (%s). Score: %d/%d.", rec.lab, extra.lab_title or rec.lab,
    rec.score, rec.max_score))
  if rec.status ~= "graded" then
    add("p", "Status: " .. rec.status .. ". " .. rec.status_reason)
  elseif rec.status_reason ~= "" then
    add("p", rec.status_reason)
  end
  if rec.image ~= json.null then
    add("p", "Judged image SHA-256: " .. rec.image.sha256)
  end
  if extra.build_log_tail and extra.build_log_tail ~= "" then
    add("h2", "Build output (last lines)")
    add("pre", extra.build_log_tail)
  end
  if #rec.ignored_files > 0 then
    add("h2", "Ignored files")
    add("p", "Only the files the lab lets you edit are graded (" .. table.concat(extra.editable, ", ") ..
      "). These files of your submission differ from the handout and were not used:")
    local items = {}
    for i = 1, math.min(#rec.ignored_files, M.FEEDBACK_IGNORED_MAX) do items[i] = rec.ignored_files[i] end
    if #rec.ignored_files > M.FEEDBACK_IGNORED_MAX then
      items[#items + 1] = string.format("... and %d more", #rec.ignored_files - M.FEEDBACK_IGNORED_MAX)
    end
    add("list", items)
  end
  if extra.missing and #extra.missing > 0 then
    add("p", "Not in your submission (the handout's version was used): " .. table.concat(extra.missing, ", "))
  end
  local rows = {}
  for _, area in ipairs(M.area_order(rec)) do
    local a = rec.areas[area]
    rows[#rows + 1] = { area, a.score .. "/" .. a.max_score }
  end
  add("h2", "Score per area")
  add("table", { "area", "points" }, rows)

  local failed, passed, hidden = {}, {}, {}
  for _, c in ipairs(rec.cases) do
    if c.visibility == "hidden" then hidden[#hidden + 1] = c
    elseif c.outcome == "pass" then passed[#passed + 1] = c
    else failed[#failed + 1] = c end
  end
  if #failed > 0 then
    add("h2", string.format("Cases not passed (%d)", #failed))
    for _, c in ipairs(failed) do
      add("h3", string.format("%s: %s, 0/%d", c.id, VERDICT[c.outcome], c.max_points))
      if c.reason ~= "" then add("p", c.reason) end
      if c.details ~= "" then add("pre", c.details) end
      add("cmd", "Rerun it in your handout:", M.student_rerun(c.id))
    end
  end
  if #passed > 0 then
    local items = {}
    for _, c in ipairs(passed) do items[#items + 1] = string.format("%s (%d/%d)", c.id, c.points, c.max_points) end
    add("h2", string.format("Cases passed (%d)", #passed))
    add("list", items)
  end
  if #hidden > 0 then
    local items = {}
    for _, c in ipairs(hidden) do items[#items + 1] = c.id .. ": hidden" end
    add("h2", string.format("Hidden cases (%d)", #hidden))
    add("p", "These are graded but not part of your handout; their results are not shown.")
    add("list", items)
  end
  if #rec.units > 0 then
    local r2 = {}
    for _, u in ipairs(rec.units) do
      if u.visibility == "hidden" then
        r2[#r2 + 1] = { u.name, "hidden", "" }
      else
        r2[#r2 + 1] = { u.name, VERDICT[u.outcome] .. " " .. u.points .. "/" .. u.max_points, u.reason }
      end
    end
    add("h2", "Unit tests")
    add("table", { "program", "result", "reason" }, r2)
  end
  return b
end

local function md_inline(s)
  return (tostring(s):gsub("([\\`*_%[%]<>#|])", "\\%1"))
end

function M.feedback_md(rec, extra)
  local out = {}
  for _, blk in ipairs(feedback_blocks(rec, extra)) do
    local k = blk[1]
    if k == "h1" then out[#out + 1] = "# " .. md_inline(blk[2])
    elseif k == "h2" then out[#out + 1] = "## " .. md_inline(blk[2])
    elseif k == "h3" then out[#out + 1] = "### " .. md_inline(blk[2])
    elseif k == "p" then out[#out + 1] = md_inline(blk[2])
    elseif k == "cmd" then out[#out + 1] = md_inline(blk[2]) .. " `" .. blk[3]:gsub("`", "") .. "`"
    elseif k == "pre" then
      -- A fence longer than any backtick run inside.
      local longest = 2
      for run in blk[2]:gmatch("`+") do longest = math.max(longest, #run) end
      local fence = string.rep("`", longest + 1)
      out[#out + 1] = fence .. "\n" .. blk[2]:gsub("\n$", "") .. "\n" .. fence
    elseif k == "list" then
      local items = {}
      for i, it in ipairs(blk[2]) do items[i] = "- " .. md_inline(it) end
      out[#out + 1] = table.concat(items, "\n")
    elseif k == "table" then
      local lines = { "| " .. table.concat(blk[2], " | ") .. " |", "|" .. string.rep("---|", #blk[2]) }
      for _, row in ipairs(blk[3]) do
        local cells = {}
        for i, cell in ipairs(row) do cells[i] = md_inline(cell) end
        lines[#lines + 1] = "| " .. table.concat(cells, " | ") .. " |"
      end
      out[#out + 1] = table.concat(lines, "\n")
    end
  end
  return table.concat(out, "\n\n") .. "\n"
end

local function html_escape(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

function M.feedback_html(rec, extra)
  local out = { "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
    "<title>" .. html_escape("hvspec feedback: " .. rec.id) .. "</title>",
    "<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}" ..
    "pre{background:#f4f4f4;padding:.5em;overflow-x:auto}table{border-collapse:collapse}" ..
    "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}</style>",
    "</head>", "<body>" }
  for _, blk in ipairs(feedback_blocks(rec, extra)) do
    local k = blk[1]
    if k == "h1" or k == "h2" or k == "h3" or k == "p" then
      out[#out + 1] = string.format("<%s>%s</%s>", k, html_escape(blk[2]), k)
    elseif k == "cmd" then
      out[#out + 1] = "<p>" .. html_escape(blk[2]) .. " <code>" .. html_escape(blk[3]) .. "</code></p>"
    elseif k == "pre" then
      out[#out + 1] = "<pre>" .. html_escape(blk[2]) .. "</pre>"
    elseif k == "list" then
      out[#out + 1] = "<ul>"
      for _, it in ipairs(blk[2]) do out[#out + 1] = "<li>" .. html_escape(it) .. "</li>" end
      out[#out + 1] = "</ul>"
    elseif k == "table" then
      out[#out + 1] = "<table>"
      local head = {}
      for i, h in ipairs(blk[2]) do head[i] = "<th>" .. html_escape(h) .. "</th>" end
      out[#out + 1] = "<tr>" .. table.concat(head) .. "</tr>"
      for _, row in ipairs(blk[3]) do
        local cells = {}
        for i, cell in ipairs(row) do cells[i] = "<td>" .. html_escape(cell) .. "</td>" end
        out[#out + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
      end
      out[#out + 1] = "</table>"
    end
  end
  out[#out + 1] = "</body>"
  out[#out + 1] = "</html>"
  return table.concat(out, "\n") .. "\n"
end

-- The top-level Gradescope output: the status and, for a failed build,
-- the log's tail.
local function top_output(rec, extra)
  local parts = { string.format("hvspec lab %s: %s, score %d/%d.", rec.lab, rec.status, rec.score, rec.max_score) }
  if rec.status_reason ~= "" then parts[#parts + 1] = rec.status_reason end
  if rec.image ~= json.null then parts[#parts + 1] = "Judged image SHA-256: " .. rec.image.sha256 end
  if #rec.ignored_files > 0 then
    parts[#parts + 1] = "Ignored (not whitelisted): " ..
      table.concat(rec.ignored_files, ", ", 1, math.min(#rec.ignored_files, M.FEEDBACK_IGNORED_MAX))
  end
  if extra.build_log_tail and extra.build_log_tail ~= "" then
    parts[#parts + 1] = "Build output (last lines):\n" .. extra.build_log_tail
  end
  return table.concat(parts, "\n")
end

-- Writes every output into dir; results.json goes last, so its presence
-- means the set is complete. `extra`: lab_title, editable, missing,
-- build_log_tail (feedback only; not part of the record).
function M.write_all(dir, rec, extra)
  util.mkdir_p(dir .. "/gradescope")
  util.write_atomic(dir .. "/gradescope/results.json", M.gradescope_json(rec, top_output(rec, extra)))
  util.write_atomic(dir .. "/autolab.txt", M.autolab_line(rec) .. "\n")
  util.write_atomic(dir .. "/junit.xml", M.junit_xml(rec))
  util.write_atomic(dir .. "/summary.txt", M.summary_text(rec))
  util.write_atomic(dir .. "/feedback.md", M.feedback_md(rec, extra))
  util.write_atomic(dir .. "/feedback.html", M.feedback_html(rec, extra))
  util.write_atomic(dir .. "/results.json", M.results_json(rec))
end

-- The tail of a build log for students: its last lines.
function M.log_tail(log, n)
  local lines = util.lines(log or "")
  local first = math.max(1, #lines - (n or M.FEEDBACK_LOG_LINES) + 1)
  return table.concat(lines, "\n", first, #lines)
end

return M
