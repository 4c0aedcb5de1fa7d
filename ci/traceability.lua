-- ci/traceability.lua: the statements of spec/contract.md and which spec
-- cases judge them. ci/catalogue loads it (dofile) and writes what it
-- returns as the traceability matrix.
--
-- A statement is a {#id} anchor in the contract (outside code spans and
-- fenced code): the text before it, back to the previous anchor or the
-- start of its paragraph, list item or table row, is what it says. The
-- appendix "## Appendix: statements no case judges" holds one item per
-- statement no case judges:
--   - `id`: not judged: <why no conforming case can judge it>
--   - `id`: not judged yet: <the case that would judge it>   (a hole)
--
-- Use: local T = dofile("ci/traceability.lua")
--      local contract, problems = T.parse_contract(text, "spec/contract.md", loader.statement_id_problem)
--      local m, problems = T.match(contract, set.cases)
--      T.uncovered(m) -> statements with neither a case nor a marker
--      T.markdown(m, contract_display), T.html(m, contract_display) -> text

local M = {}

M.APPENDIX_HEADING = "## Appendix: statements no case judges"
local NOT_JUDGED, HOLE = "not judged", "not judged yet"
M.NOT_JUDGED, M.HOLE = NOT_JUDGED, HOLE

-- Statement text as the matrix shows it: one line, markup kept short.
local EXCERPT_MAX = 160
local function excerpt(s)
  -- the block's list marker and the punctuation left over from the
  -- previous statement's sentence go
  s = s:gsub("%*%*", ""):gsub("%s+", " "):gsub("^%s*%- ", ""):gsub("^[%s%):;,]+", ""):gsub("[%s%(:;,]+$", "")
  if #s > EXCERPT_MAX then s = s:sub(1, EXCERPT_MAX - 3):gsub("%s+%S*$", "") .. "..." end
  return s
end

-- The cells of a table row, without the outer pipes; "\|" stays in a cell.
local function row_cells(line)
  local body = line:gsub("^%s*|", ""):gsub("|%s*$", "")
  local cells, cur, i = {}, {}, 1
  while i <= #body do
    local c = body:sub(i, i)
    if c == "\\" and body:sub(i + 1, i + 1) == "|" then
      cur[#cur + 1] = "|"
      i = i + 2
    else
      if c == "|" then
        cells[#cells + 1] = table.concat(cur)
        cur = {}
      else
        cur[#cur + 1] = c
      end
      i = i + 1
    end
  end
  cells[#cells + 1] = table.concat(cur)
  for k, v in ipairs(cells) do cells[k] = v:gsub("^%s+", ""):gsub("%s+$", "") end
  return cells
end

-- Reads the contract's text. Returns { statements = { {id, line, section,
-- text} } in document order, by_id = {}, markers = { id -> {kind, reason,
-- line} } } and a list of problems ("FILE:LINE: what"), empty when none.
function M.parse_contract(text, display, id_problem)
  local contract = { statements = {}, by_id = {}, markers = {} }
  local problems = {}
  local function problem(line, what) problems[#problems + 1] = display .. ":" .. line .. ": " .. what end

  local section, in_fence, in_appendix = "", false, false
  local pending = {}       -- text of the current block since its last anchor
  local item               -- the appendix item being read: {id, kind, reason, line}

  local function end_block() pending = {} end
  local function add_statement(id, n, text_before)
    local bad = id_problem(id)
    if bad then problem(n, "bad anchor {#" .. id .. "}: " .. bad) return end
    local first = contract.by_id[id]
    if first then problem(n, string.format("statement id '%s' is given twice (first at line %d)", id, first.line)) return end
    local st = { id = id, line = n, section = section, text = excerpt(text_before) }
    contract.statements[#contract.statements + 1] = st
    contract.by_id[id] = st
  end
  local function end_item()
    if item then
      item.reason = excerpt(item.reason)
      if item.reason == "" then problem(item.line, "appendix item '" .. item.id .. "' gives no reason") end
      contract.markers[item.id] = item
      item = nil
    end
  end

  -- Walks one line's text outside code spans, calling on_anchor for each
  -- {#id} with the text before it; returns that text's tail (no anchor yet).
  local function scan(s, n, before)
    local out, i = before, 1
    while i <= #s do
      local tick, open = s:find("`", i, true), s:find("{#", i, true)
      if open and (not tick or open < tick) then
        local close = s:find("}", open, true)
        if not close then problem(n, "unclosed anchor '{#' (write {#area.topic.detail})") return out end
        out[#out + 1] = s:sub(i, open - 1)
        add_statement(s:sub(open + 2, close - 1), n, table.concat(out))
        out = {}
        i = close + 1
      elseif tick then
        local tick_end = s:find("`", tick + 1, true) or #s
        out[#out + 1] = s:sub(i, tick_end)
        i = tick_end + 1
      else
        out[#out + 1] = s:sub(i)
        break
      end
    end
    return out
  end

  local n = 0
  for line in (text:sub(-1) == "\n" and text or text .. "\n"):gmatch("(.-)\r?\n") do
    n = n + 1
    if line:match("^%s*```") then
      in_fence = not in_fence
      end_block()
    elseif in_fence then
      -- code: no anchors
    elseif line:match("^#+ ") then
      end_block()
      end_item()
      section = line:gsub("^#+%s*", "")
      in_appendix = line == M.APPENDIX_HEADING
    elseif in_appendix then
      if line:gsub("`[^`]*`", ""):find("{#", 1, true) then
        problem(n, "an anchor in the appendix: statements go in the sections above it, the appendix only lists ids")
      end
      local id, rest = line:match("^%- `([^`]+)`:%s*(.*)$")
      if id then
        end_item()
        local kind, reason
        if rest:sub(1, #HOLE + 1) == HOLE .. ":" then
          kind, reason = HOLE, rest:sub(#HOLE + 2)
        elseif rest:sub(1, #NOT_JUDGED + 1) == NOT_JUDGED .. ":" then
          kind, reason = NOT_JUDGED, rest:sub(#NOT_JUDGED + 2)
        else
          problem(n, "appendix item '" .. id .. "' must say 'not judged: <reason>' or 'not judged yet: <the case that would judge it>'")
        end
        if kind then
          if contract.markers[id] then
            problem(n, string.format("statement '%s' is listed twice in the appendix (first at line %d)", id, contract.markers[id].line))
          end
          item = { id = id, kind = kind, reason = reason, line = n }
        end
      elseif item and line:match("^%s+%S") then
        item.reason = item.reason .. " " .. line
      elseif line:match("%S") then
        end_item()
        if line:match("^%- ") then
          problem(n, "appendix item must read: - `statement.id`: not judged: <reason> (or: not judged yet: <case>)")
        end
      else
        end_item()
      end
    elseif line:match("^%s*$") then
      end_block()
    elseif line:match("^%s*|") then
      end_block()
      if not line:match("^%s*|[%s%-:|]+|%s*$") then -- not the separator row
        local cells, kept = row_cells(line), {}
        for _, c in ipairs(cells) do
          if not c:match("^{#[^}]*}$") and c ~= "" then kept[#kept + 1] = c end
        end
        for id in table.concat(cells, " "):gsub("`[^`]*`", ""):gmatch("{#([^}]*)}") do
          add_statement(id, n, table.concat(kept, "; "))
        end
        if line:gsub("`[^`]*`", ""):find("{#", 1, true) and not line:find("}", 1, true) then
          problem(n, "unclosed anchor '{#' in a table row")
        end
      end
    else
      if line:match("^%s*%- ") then end_block() end
      pending = scan(line .. " ", n, pending)
    end
  end
  end_item()

  for id, mk in pairs(contract.markers) do
    if not contract.by_id[id] then
      problem(mk.line, string.format("the appendix names '%s', which no {#%s} anchor defines", id, id))
    end
  end
  table.sort(problems)
  return contract, problems
end

-- Joins the contract with the cases: every statement gets the cases that
-- judge it, in spec order. Problems: a case without 'judges', a case naming
-- an id the contract does not define, a statement the appendix lists although
-- a case judges it.
function M.match(contract, cases)
  local m = { contract = contract, cases = cases, judged_by = {} }
  local problems = {}
  for _, st in ipairs(contract.statements) do m.judged_by[st.id] = {} end
  for _, c in ipairs(cases) do
    local where = string.format("%s:%d: case '%s'", c.file, c.line, c.id)
    if #c.judges == 0 then
      problems[#problems + 1] = where .. ": missing field 'judges': name the spec/contract.md statements it judges, e.g. judges = { \"hc.print.size-zero\" }"
    end
    for _, id in ipairs(c.judges) do
      if m.judged_by[id] then
        table.insert(m.judged_by[id], c)
      else
        problems[#problems + 1] = string.format("%s: judges unknown statement '%s' (spec/contract.md has no {#%s})", where, id, id)
      end
    end
  end
  for _, st in ipairs(contract.statements) do
    local mk = contract.markers[st.id]
    if mk and #m.judged_by[st.id] > 0 then
      problems[#problems + 1] = string.format("spec/contract.md:%d: the appendix says '%s' is %s, but case '%s' judges it; remove the appendix line",
        mk.line, st.id, mk.kind, m.judged_by[st.id][1].id)
    end
  end
  return m, problems
end

-- Statements with neither a case nor an appendix line.
function M.uncovered(m)
  local out = {}
  for _, st in ipairs(m.contract.statements) do
    if #m.judged_by[st.id] == 0 and not m.contract.markers[st.id] then out[#out + 1] = st end
  end
  return out
end

-- The counts the matrix opens with.
function M.counts(m)
  local c = { statements = #m.contract.statements, judged = 0, not_judged = 0, holes = 0, uncovered = 0 }
  for _, st in ipairs(m.contract.statements) do
    local mk = m.contract.markers[st.id]
    if #m.judged_by[st.id] > 0 then c.judged = c.judged + 1
    elseif not mk then c.uncovered = c.uncovered + 1
    elseif mk.kind == HOLE then c.holes = c.holes + 1
    else c.not_judged = c.not_judged + 1 end
  end
  return c
end

-- The matrix as a list of blocks both renderers below share:
-- {h=level, text}, {p=text}, {table={header...}, rows={{cell...}}}.
-- A cell is a string, {statement=id}, {case=id}, {statements={id...}} or
-- {cases={id...}}.
local function blocks(m, display)
  local out = {}
  local function h(level, text) out[#out + 1] = { h = level, text = text } end
  local function p(text) out[#out + 1] = { p = text } end
  local function tbl(header, rows) out[#out + 1] = { table = header, rows = rows } end
  local c = M.counts(m)
  h(1, "hvspec traceability matrix")
  p(string.format("Generated by ci/catalogue from %s and spec/*.lua; do not edit. %d statements: "
    .. "%d judged by at least one case, %d not judged (with a reason), %d holes (not judged yet), "
    .. "%d without a case or a reason. %d cases.",
    display, c.statements, c.judged, c.not_judged, c.holes, c.uncovered, #m.cases))

  local function statement_rows(kind_filter)
    local rows = {}
    for _, st in ipairs(m.contract.statements) do
      local mk = m.contract.markers[st.id]
      if #m.judged_by[st.id] == 0 and ((mk and mk.kind) or "none") == kind_filter then
        rows[#rows + 1] = { { statement = st.id }, st.text, mk and mk.reason or "" }
      end
    end
    return rows
  end
  h(2, "Statements no case judges")
  local none = statement_rows("none")
  if #none > 0 then
    h(3, "Without a case or a reason (make check fails)")
    for _, r in ipairs(none) do r[3] = nil end
    tbl({ "statement", "text" }, none)
  end
  local holes = statement_rows(HOLE)
  h(3, string.format("Holes: not judged yet (%d)", #holes))
  if #holes > 0 then tbl({ "statement", "text", "the case that would judge it" }, holes) else p("None.") end
  local free = statement_rows(NOT_JUDGED)
  h(3, string.format("Not judged (%d)", #free))
  if #free > 0 then tbl({ "statement", "text", "why no case judges it" }, free) else p("None.") end

  h(2, "Statement -> cases")
  local section, rows = nil, nil
  for _, st in ipairs(m.contract.statements) do
    if st.section ~= section then
      if rows then tbl({ "statement", "text", "cases" }, rows) end
      section, rows = st.section, {}
      h(3, section ~= "" and section or "(preamble)")
    end
    local ids = {}
    for i, cs in ipairs(m.judged_by[st.id]) do ids[i] = cs.id end
    local mk = m.contract.markers[st.id]
    local cell = #ids > 0 and { cases = ids } or (mk and ("(" .. mk.kind .. ")") or "(none)")
    rows[#rows + 1] = { { statement = st.id, anchor = true }, st.text, cell }
  end
  if rows then tbl({ "statement", "text", "cases" }, rows) end

  h(2, "Case -> statements")
  local area, crow = nil, nil
  for _, cs in ipairs(m.cases) do
    if cs.area ~= area then
      if crow then tbl({ "case", "points", "statements" }, crow) end
      area, crow = cs.area, {}
      h(3, area)
    end
    crow[#crow + 1] = { { case = cs.id, anchor = true }, tostring(cs.points), { statements = cs.judges } }
  end
  if crow then tbl({ "case", "points", "statements" }, crow) end
  return out
end

local function md_cell(v)
  local function plain(s) return (tostring(s):gsub("[\r\n]+", " "):gsub("|", "\\|")) end
  local function code(s) return "`" .. plain(s):gsub("`", "'") .. "`" end
  if type(v) ~= "table" then return plain(v) end
  if v.statement or v.case then return code(v.statement or v.case) end
  local parts = {}
  for i, s in ipairs(v.statements or v.cases) do parts[i] = code(s) end
  return table.concat(parts, ", ")
end

function M.markdown(m, display)
  local out = {}
  for _, b in ipairs(blocks(m, display)) do
    if b.h then
      out[#out + 1] = string.rep("#", b.h) .. " " .. b.text
    elseif b.p then
      out[#out + 1] = b.p
    else
      out[#out + 1] = "| " .. table.concat(b.table, " | ") .. " |"
      out[#out + 1] = "|" .. string.rep("---|", #b.table)
      for _, r in ipairs(b.rows) do
        local cells = {}
        for i = 1, #b.table do cells[i] = md_cell(r[i] or "") end
        out[#out + 1] = "| " .. table.concat(cells, " | ") .. " |"
      end
    end
    out[#out + 1] = ""
  end
  return table.concat(out, "\n")
end

local function esc(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

-- HTML ids: "s-<id>" for a statement's row, "c-<id>" for a case's, so the
-- two lists link to each other; every other mention is a link.
local function html_cell(v)
  if type(v) ~= "table" then return esc(v) end
  local function link(prefix, id) return string.format("<a href=\"#%s%s\"><code>%s</code></a>", prefix, esc(id), esc(id)) end
  local id, prefix = v.statement or v.case, v.statement and "s-" or "c-"
  if id and v.anchor then return string.format("<code id=\"%s%s\">%s</code>", prefix, esc(id), esc(id)) end
  if id then return link(prefix, id) end
  local parts = {}
  for i, s in ipairs(v.statements or v.cases) do parts[i] = link(v.statements and "s-" or "c-", s) end
  return table.concat(parts, ", ")
end

function M.html(m, display)
  local out = {
    "<!DOCTYPE html>",
    "<html><head><meta charset=\"utf-8\"><title>hvspec traceability matrix</title>",
    "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      .. "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}"
      .. "th{background:#eee}code{font-size:90%}</style></head><body>",
  }
  for _, b in ipairs(blocks(m, display)) do
    if b.h then
      out[#out + 1] = string.format("<h%d>%s</h%d>", b.h, esc(b.text), b.h)
    elseif b.p then
      out[#out + 1] = "<p>" .. esc(b.p) .. "</p>"
    else
      local row = {}
      for i, t in ipairs(b.table) do row[i] = "<th>" .. esc(t) .. "</th>" end
      out[#out + 1] = "<table><tr>" .. table.concat(row) .. "</tr>"
      for _, r in ipairs(b.rows) do
        local cells = {}
        for i = 1, #b.table do
          cells[i] = "<td>" .. html_cell(r[i] or "") .. "</td>"
        end
        out[#out + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
      end
      out[#out + 1] = "</table>"
    end
  end
  out[#out + 1] = "</body></html>"
  return table.concat(out, "\n") .. "\n"
end

return M
