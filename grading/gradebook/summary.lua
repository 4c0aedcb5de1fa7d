-- grading/gradebook/summary.lua: the class summary of a batch. Score
-- statistics, a score histogram, per-case pass rates sorted by how many
-- submissions fail them, per-area means, and the submissions that need a
-- look (no grade, or a build that failed). Rendered twice from one document:
-- Markdown (summary.md) and aligned plain text (summary.txt).
--
-- Use: local summary = dofile(ROOT .. "/grading/gradebook/summary.lua")
--      local doc = summary.document(lab, areas, records, {png = "histogram.png"})
--      summary.markdown(doc), summary.text(doc)
--      summary.histogram_bins(records) -> {{label=, count=}} (10 bins)

local M = {}

local function fmt(v)
  if v == nil then return "" end
  if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
  return (string.format("%.2f", v):gsub("0+$", ""):gsub("%.$", ""))
end

local function percent(part, whole)
  if whole == 0 then return "-" end
  return string.format("%.1f%%", 100 * part / whole)
end

-- A list of the paragraphs given, leaving out the nil ones.
local function paras(...)
  local out = {}
  for i = 1, select("#", ...) do
    local p = select(i, ...)
    if p then out[#out + 1] = p end
  end
  return out
end

local function scored(records)
  local out = {}
  for _, r in ipairs(records) do
    if r.graded then out[#out + 1] = r end
  end
  return out
end

-- n, mean, median, population standard deviation, min, max of numbers.
function M.stats(values)
  local n = #values
  if n == 0 then return { n = 0 } end
  local sorted = table.move(values, 1, n, 1, {})
  table.sort(sorted)
  local sum = 0
  for _, v in ipairs(sorted) do sum = sum + v end
  local mean = sum / n
  local sq = 0
  for _, v in ipairs(sorted) do sq = sq + (v - mean) ^ 2 end
  local median = n % 2 == 1 and sorted[(n + 1) // 2]
    or (sorted[n // 2] + sorted[n // 2 + 1]) / 2
  return { n = n, mean = mean, median = median, stddev = math.sqrt(sq / n),
           min = sorted[1], max = sorted[n] }
end

-- Ten bins of the score in percent of the maximum: bin k holds the scores
-- whose whole percent is 10k..10k+9; full marks go to the last bin.
function M.histogram_bins(records)
  local bins = {}
  for k = 0, 9 do
    bins[k + 1] = { label = string.format("%d-%d%%", 10 * k, k == 9 and 100 or 10 * k + 9), count = 0 }
  end
  for _, r in ipairs(scored(records)) do
    local pct = (r.max_score or 0) > 0 and 100 * r.score / r.max_score or 0
    local k = math.max(0, math.min(9, math.floor(math.floor(pct) / 10)))
    bins[k + 1].count = bins[k + 1].count + 1
  end
  return bins
end

-- The histogram as text: one bar of '#' per bin, scaled to at most 40.
function M.histogram_text(bins)
  local top = 0
  for _, b in ipairs(bins) do top = math.max(top, b.count) end
  local scale = top > 40 and 40 / top or 1
  local lines = {}
  for _, b in ipairs(bins) do
    local bar = string.rep("#", math.floor(b.count * scale + 0.5))
    if b.count > 0 and bar == "" then bar = "#" end
    lines[#lines + 1] = string.format("%8s | %-40s %d", b.label, bar, b.count)
  end
  return lines
end

-- Per-case pass rates over the submissions with a grade. A case missing from
-- a submission's record (its build failed) counts as failed there. Sorted by
-- failures, most first, then in the lab's case order.
function M.case_rates(records, case_order)
  local rank = {}
  for i, id in ipairs(case_order or {}) do rank[id] = i end
  local graded = scored(records)
  local by_id, list = {}, {}
  for _, r in ipairs(graded) do
    for _, c in ipairs(r.cases) do
      local e = by_id[c.id]
      if not e then
        e = { id = c.id, area = c.area, visibility = c.visibility,
              max_points = c.max_points, passed = 0 }
        by_id[c.id] = e
        list[#list + 1] = e
      end
      if c.outcome == "pass" then e.passed = e.passed + 1 end
    end
  end
  for _, e in ipairs(list) do
    e.total = #graded
    e.failed = e.total - e.passed
  end
  table.sort(list, function(a, b)
    if a.failed ~= b.failed then return a.failed > b.failed end
    local ra, rb = rank[a.id] or math.huge, rank[b.id] or math.huge
    if ra ~= rb then return ra < rb end
    return a.id < b.id
  end)
  return list
end

local function count_statuses(records)
  local counts, names = {}, {}
  for _, r in ipairs(records) do
    if not counts[r.status] then names[#names + 1] = r.status end
    counts[r.status] = (counts[r.status] or 0) + 1
  end
  table.sort(names)
  local parts = {}
  for _, s in ipairs(names) do parts[#parts + 1] = string.format("%s %d", s, counts[s]) end
  return table.concat(parts, ", ")
end

-- The summary as a renderer-neutral document: a title and sections, each with
-- paragraphs, a table ({header=, align=, rows=}) and/or preformatted lines.
function M.document(lab, areas, records, opts)
  opts = opts or {}
  local graded = scored(records)
  local max_score = lab.max_score
  local doc = { title = string.format("Class summary: lab %s", lab.name), sections = {} }
  local function section(s) doc.sections[#doc.sections + 1] = s end

  local without = #records - #graded
  section({ paragraphs = paras(
    string.format("%s. %d submissions: %d with a score, %d without one. Maximum score %s.",
      lab.title or lab.name, #records, #graded, without, fmt(max_score)),
    "Statuses: " .. (#records > 0 and count_statuses(records) or "none") .. ".",
    opts.generated and ("Generated " .. opts.generated .. ".") or nil) })

  local scores = {}
  local full = 0
  for _, r in ipairs(graded) do
    scores[#scores + 1] = r.score
    if r.score == r.max_score then full = full + 1 end
  end
  local st = M.stats(scores)
  local stat_rows = {}
  if st.n > 0 then
    for _, kv in ipairs({ { "mean", st.mean }, { "median", st.median },
                          { "standard deviation", st.stddev }, { "lowest", st.min },
                          { "highest", st.max } }) do
      stat_rows[#stat_rows + 1] = { kv[1], fmt(kv[2]), kv[1] == "standard deviation" and "" or percent(kv[2], max_score) }
    end
    stat_rows[#stat_rows + 1] = { "full marks", string.format("%d of %d", full, st.n), percent(full, st.n) }
  end
  section({ heading = "Scores",
    paragraphs = paras(st.n == 0 and "No submission has a score yet." or
      string.format("Over the %d submissions with a score (out of %s).", st.n, fmt(max_score))),
    table = st.n > 0 and { header = { "statistic", "points", "percent" }, align = { "l", "r", "r" }, rows = stat_rows } or nil })

  local bins = M.histogram_bins(records)
  section({ heading = "Score histogram",
    image = opts.png and { path = opts.png, alt = "score histogram" } or nil,
    paragraphs = paras(opts.png_problem and ("No picture: " .. opts.png_problem .. ".") or nil),
    pre = M.histogram_text(bins) })

  local area_rows = {}
  for _, a in ipairs(areas) do
    local vals, amax = {}, lab.area_max and lab.area_max[a]
    for _, r in ipairs(graded) do vals[#vals + 1] = r.areas[a] or 0 end
    local s = M.stats(vals)
    area_rows[#area_rows + 1] = { a, fmt(amax), s.n > 0 and fmt(s.mean) or "-",
      (s.n > 0 and amax) and percent(s.mean, amax) or "-" }
  end
  section({ heading = "Areas", table = { header = { "area", "max", "mean", "mean %" },
    align = { "l", "r", "r", "r" }, rows = area_rows } })

  local case_rows = {}
  for _, c in ipairs(M.case_rates(records, lab.case_order)) do
    case_rows[#case_rows + 1] = { c.id, c.area, c.visibility, fmt(c.max_points),
      tostring(c.failed), tostring(c.passed), percent(c.passed, c.total) }
  end
  section({ heading = "Cases by how many submissions fail them",
    paragraphs = paras("A submission whose build failed fails every case."),
    table = { header = { "case", "area", "visibility", "points", "failed", "passed", "pass rate" },
      align = { "l", "l", "l", "r", "r", "r", "r" }, rows = case_rows } })

  local attention = {}
  for _, r in ipairs(records) do
    if r.status ~= "graded" then
      attention[#attention + 1] = { r.id, r.status, r.graded and fmt(r.score) or "no grade", r.reason }
    end
  end
  section({ heading = "Submissions to look at",
    paragraphs = paras(#attention == 0 and "None: every submission was graded normally." or
      "Every submission whose status is not `graded`; those with no grade have empty score cells in gradebook.csv."),
    table = #attention > 0 and { header = { "id", "status", "score", "reason" },
      align = { "l", "l", "r", "l" }, rows = attention } or nil })
  return doc
end

-- Markdown table cells: pipes escaped, line breaks flattened.
local function md_cell(s)
  return (tostring(s):gsub("[\r\n]+", " "):gsub("|", "\\|"))
end

function M.markdown(doc)
  local out = { "# " .. doc.title, "" }
  for _, s in ipairs(doc.sections) do
    if s.heading then out[#out + 1] = "## " .. s.heading; out[#out + 1] = "" end
    for _, p in ipairs(s.paragraphs or {}) do out[#out + 1] = p; out[#out + 1] = "" end
    if s.image then
      out[#out + 1] = string.format("![%s](%s)", s.image.alt, s.image.path)
      out[#out + 1] = ""
    end
    if s.pre then
      out[#out + 1] = "```text"
      for _, l in ipairs(s.pre) do out[#out + 1] = l end
      out[#out + 1] = "```"
      out[#out + 1] = ""
    end
    if s.table then
      local t = s.table
      local head, rule = {}, {}
      for i, h in ipairs(t.header) do
        head[i] = md_cell(h)
        rule[i] = t.align[i] == "r" and "---:" or "---"
      end
      out[#out + 1] = "| " .. table.concat(head, " | ") .. " |"
      out[#out + 1] = "|" .. table.concat(rule, "|") .. "|"
      for _, row in ipairs(t.rows) do
        local cells = {}
        for i = 1, #t.header do cells[i] = md_cell(row[i] or "") end
        out[#out + 1] = "| " .. table.concat(cells, " | ") .. " |"
      end
      out[#out + 1] = ""
    end
  end
  return table.concat(out, "\n")
end

-- Plain text: headings underlined, tables padded to their widest cell.
function M.text(doc)
  local out = { doc.title, string.rep("=", #doc.title), "" }
  for _, s in ipairs(doc.sections) do
    if s.heading then
      out[#out + 1] = s.heading
      out[#out + 1] = string.rep("-", #s.heading)
    end
    for _, p in ipairs(s.paragraphs or {}) do out[#out + 1] = (p:gsub("`", "")) end
    if s.image then out[#out + 1] = "Picture: " .. s.image.path end
    if s.pre then
      for _, l in ipairs(s.pre) do out[#out + 1] = l end
    end
    if s.table then
      local t = s.table
      local width = {}
      for i, h in ipairs(t.header) do width[i] = #h end
      for _, row in ipairs(t.rows) do
        for i = 1, #t.header do width[i] = math.max(width[i], #tostring(row[i] or "")) end
      end
      local function line(cells)
        local parts = {}
        for i = 1, #t.header do
          local c = tostring(cells[i] or ""):gsub("[\r\n]+", " ")
          local w = i == #t.header and 0 or width[i]
          parts[i] = t.align[i] == "r" and string.rep(" ", width[i] - #c) .. c
            or c .. string.rep(" ", w - #c)
        end
        return (table.concat(parts, "  "):gsub("%s+$", ""))
      end
      out[#out + 1] = line(t.header)
      local rules = {}
      for i = 1, #t.header do rules[i] = string.rep("-", width[i]) end
      out[#out + 1] = table.concat(rules, "  ")
      for _, row in ipairs(t.rows) do out[#out + 1] = line(row) end
    end
    out[#out + 1] = ""
  end
  return table.concat(out, "\n")
end

return M
