#!/usr/bin/env lua5.4
-- ci/mutate/generate.lua: the mutants of the reference hypervisor's C code
-- (issue 9 section 4), for ci/mutate.sh.
--
-- usage: generate.lua [--root DIR] [--seed N] [--count N] [--all] [FILE...]
--        generate.lua --apply ID [--root DIR]
--   FILE       paths relative to ROOT (default: every reference/**/*.c except
--              reference/cov/, the coverage-only code)
--   --root     the source tree (default: the current directory)
--   --seed, --count  a sample of COUNT mutants, stratified by file (each file
--              gets its share of COUNT in proportion to its sites, at least
--              one), drawn with SEED; the same seed and sources give the same
--              sample. Default: every site (--all).
--   --apply ID rewrites ROOT/<file of ID> with that one mutant; exit 1 when
--              the source no longer holds it.
-- Output: one mutant a line, tab-separated: id, file, line, column, class,
-- function (or "-"), the function's first and last line (0 0 outside one);
-- every site sorted by file, line, column, id, or a sample in rounds (each
-- file's first mutant by line, then each file's second, ...). An id is
-- file:line:column:operator:original->replacement, where a deleted statement
-- is written with its blanks removed and "{}" as replacement, and a dropped
-- '!' or '~' has an empty replacement.
--
-- The lexer skips comments (the solution stubs of grading/handout/regions.lua
-- live in comments, so they are skipped with them), string and character
-- literals and preprocessor lines. Unary '-', '+', '*', '&' are never mutated
-- (taking them for binary operators would give mutants that do not compile),
-- nor what sits in __attribute__, asm, sizeof, _Static_assert or a
-- declaration's type.

local M = {}

-- Lexer ----------------------------------------------------------------

local PUNCT3 = { [">>="] = true, ["<<="] = true, ["..."] = true }
local PUNCT2 = {}
for _, p in ipairs({ "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
  "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##" }) do PUNCT2[p] = true end

-- Tokens of a C source: { kind = "id"|"num"|"str"|"punct", text, line, col, pos }
-- (pos: byte offset of the first character).
function M.lex(src, name)
  local toks = {}
  local i, n, line, line_start = 1, #src, 1, 1
  local at_line_start = true
  local function newline_at(p) line = line + 1; line_start = p + 1 end
  local function fail(what) error(string.format("%s:%d: %s", name, line, what), 0) end
  local function skip_block_comment()
    local close = src:find("*/", i + 2, true)
    if not close then fail("unterminated comment") end
    for p = i, close do if src:byte(p) == 10 then newline_at(p) end end
    i = close + 2
  end
  while i <= n do
    local c = src:sub(i, i)
    if c == "\n" then
      newline_at(i); i = i + 1; at_line_start = true
    elseif c == " " or c == "\t" or c == "\r" or c == "\f" or c == "\v" then
      i = i + 1
    elseif src:sub(i, i + 1) == "/*" then
      skip_block_comment()
    elseif src:sub(i, i + 1) == "//" then
      i = (src:find("\n", i, true) or n + 1)
    elseif c == "#" and at_line_start then
      -- A directive, with its continuation lines and the comments inside.
      while i <= n do
        local ch = src:sub(i, i)
        if ch == "\\" and src:sub(i + 1, i + 1) == "\n" then
          newline_at(i + 1); i = i + 2
        elseif src:sub(i, i + 1) == "/*" then
          skip_block_comment()
        elseif ch == "\n" then
          break
        else
          i = i + 1
        end
      end
    else
      at_line_start = false
      local col = i - line_start + 1
      local tok = { line = line, col = col, pos = i }
      if c == '"' or c == "'" then
        local p = i + 1
        while true do
          local ch = src:sub(p, p)
          if ch == "" or ch == "\n" then fail("unterminated literal") end
          if ch == "\\" then p = p + 2
          elseif ch == c then break
          else p = p + 1 end
        end
        tok.kind, tok.text = "str", src:sub(i, p)
        i = p + 1
      elseif c:match("[%a_]") then
        local s, e = src:find("^[%w_]+", i)
        tok.kind, tok.text = "id", src:sub(s, e)
        i = e + 1
      elseif c:match("%d") or (c == "." and src:sub(i + 1, i + 1):match("%d")) then
        local p = i + 1
        while p <= n do
          local ch = src:sub(p, p)
          if ch:match("[eEpP]") and src:sub(p + 1, p + 1):match("[+-]") then p = p + 2
          elseif ch:match("[%w_.]") then p = p + 1
          else break end
        end
        tok.kind, tok.text = "num", src:sub(i, p - 1)
        i = p
      else
        local three, two = src:sub(i, i + 2), src:sub(i, i + 1)
        local text = PUNCT3[three] and three or PUNCT2[two] and two or c
        tok.kind, tok.text = "punct", text
        i = i + #text
      end
      toks[#toks + 1] = tok
    end
  end
  return toks
end

-- Parsing helpers -------------------------------------------------------

local TYPE_WORDS = {}
for w in ([[void char short int long unsigned signed float double _Bool bool const
  volatile static extern register inline __inline__ struct union enum typedef
  auto restrict __restrict]]):gmatch("%S+") do TYPE_WORDS[w] = true end
local KEYWORDS = {}
for w in ([[if else for while do switch case default return break continue goto
  sizeof _Alignof __alignof__ asm __asm__ _Static_assert static_assert
  __attribute__ typeof __typeof__]]):gmatch("%S+") do KEYWORDS[w] = true end
-- Constructs whose parenthesised operand is never mutated.
local OPAQUE = { __attribute__ = true, asm = true, __asm__ = true, sizeof = true,
  _Alignof = true, __alignof__ = true, _Static_assert = true, static_assert = true,
  typeof = true, __typeof__ = true }

local function is_type_name(toks, k)
  local t = toks[k]
  if not t or t.kind ~= "id" then return false end
  if TYPE_WORDS[t.text] or t.text:match("_t$") then return true end
  local prev = toks[k - 1]
  return prev ~= nil and (prev.text == "struct" or prev.text == "union" or prev.text == "enum")
end

-- The index of the token that closes the bracket opened at k.
local CLOSE = { ["("] = ")", ["["] = "]", ["{"] = "}" }
local function matching(toks, k)
  local open, close, depth = toks[k].text, CLOSE[toks[k].text], 0
  for j = k, #toks do
    if toks[j].text == open then depth = depth + 1
    elseif toks[j].text == close then
      depth = depth - 1
      if depth == 0 then return j end
    end
  end
  return #toks
end

local CONTROL = { ["if"] = true, ["while"] = true, ["for"] = true, ["switch"] = true }

-- Whether the parenthesis at k opens a cast: only type words, '*' inside.
local function is_cast(toks, k, close)
  if not is_type_name(toks, k + 1) then return false end
  for j = k + 1, close - 1 do
    local t = toks[j]
    if not (t.kind == "id" or t.text == "*") then return false end
  end
  return true
end

-- Marks every token: opaque (skip), in a declaration's type (decl), and the
-- function (name, first line, last line) it belongs to.
local function annotate(toks)
  local k = 1
  local cast_end = {}
  for j = 1, #toks do
    if toks[j].text == "(" then
      local c = matching(toks, j)
      local before = toks[j - 1] and toks[j - 1].text
      -- A cast or a control header (if (x) *p = 0;): what follows starts an operand.
      if is_cast(toks, j, c) or CONTROL[before] then cast_end[c] = true end
    end
  end
  -- Opaque constructs and the function bodies.
  local depth, func = 0, nil
  while k <= #toks do
    local t = toks[k]
    if OPAQUE[t.text] then
      local j = k + 1
      while toks[j] and toks[j].kind == "id" do j = j + 1 end -- asm volatile (
      local stop = k
      if toks[j] and toks[j].text == "(" then stop = matching(toks, j)
      elseif t.text == "sizeof" then stop = j end              -- sizeof x
      for m = k, stop do toks[m].opaque = true; toks[m].func = func end
      k = stop + 1
    else
      if t.text == "{" then
        if depth == 0 and toks[k - 1] and toks[k - 1].text == ")" then
          -- A function body: the name precedes the parameter list.
          local open, d = k - 1, 0
          for j = k - 1, 1, -1 do
            if toks[j].text == ")" then d = d + 1
            elseif toks[j].text == "(" then d = d - 1; if d == 0 then open = j; break end end
          end
          local name_tok = toks[open - 1]
          local close = matching(toks, k)
          func = { name = name_tok and name_tok.text or "?", first = name_tok and name_tok.line or t.line,
            last = toks[close].line, body_open = k, body_close = close }
        end
        depth = depth + 1
      elseif t.text == "}" then
        depth = depth - 1
      end
      t.func = func
      if t.text == "}" and func and k == func.body_close then func = nil end
      k = k + 1
    end
  end
  return cast_end
end

-- Sites -------------------------------------------------------------------

-- Replacements by operator, and the class each belongs to.
local BINARY = {
  ["<"] = { "relational", "<=", ">=" }, ["<="] = { "relational", "<", ">" },
  [">"] = { "relational", ">=", "<=" }, [">="] = { "relational", ">", "<" },
  ["=="] = { "relational", "!=" }, ["!="] = { "relational", "==" },
  ["+"] = { "arithmetic", "-" }, ["-"] = { "arithmetic", "+" },
  ["*"] = { "arithmetic", "/" }, ["/"] = { "arithmetic", "*" }, ["%"] = { "arithmetic", "/" },
  ["&&"] = { "logical", "||" }, ["||"] = { "logical", "&&" },
  ["&"] = { "bitwise", "|" }, ["|"] = { "bitwise", "&" }, ["^"] = { "bitwise", "|" },
  ["<<"] = { "bitwise", ">>" }, [">>"] = { "bitwise", "<<" },
}
local ASSIGN = {
  ["+="] = { "arithmetic", "-=" }, ["-="] = { "arithmetic", "+=" },
  ["*="] = { "arithmetic", "/=" }, ["/="] = { "arithmetic", "*=" }, ["%="] = { "arithmetic", "/=" },
  ["&="] = { "bitwise", "|=" }, ["|="] = { "bitwise", "&=" }, ["^="] = { "bitwise", "|=" },
  ["<<="] = { "bitwise", ">>=" }, [">>="] = { "bitwise", "<<=" },
  ["++"] = { "arithmetic", "--" }, ["--"] = { "arithmetic", "++" },
}

-- Whether the token before k ends an operand (so an operator at k is binary).
local function ends_operand(toks, k, cast_end)
  local p = toks[k - 1]
  if not p then return false end
  if p.kind == "num" or p.kind == "str" then return true end
  if p.kind == "id" then return not KEYWORDS[p.text] and not is_type_name(toks, k - 1) end
  if p.text == ")" then return not cast_end[k - 1] end
  if p.text == "]" then return true end
  if p.text == "++" or p.text == "--" then return ends_operand(toks, k - 1, cast_end) end
  return false
end

-- The integer literal's value plus one, in the same base and suffix; nil when
-- it is not an integer or would wrap.
local function constant_plus_one(text)
  local digits, suffix = text:match("^(.-)([uUlL]*)$")
  local v, fmt
  if digits:match("^0[xX]%x+$") then
    v = math.tointeger(tonumber(digits:sub(3), 16))
    fmt = digits:sub(1, 2) .. (digits:match("[a-f]") and "%x" or "%X")
  elseif digits:match("^0[0-7]+$") then
    v, fmt = math.tointeger(tonumber(digits:sub(2), 8)), "0%o"
  elseif digits:match("^%d+$") then
    v, fmt = math.tointeger(tonumber(digits)), "%d"
  end
  if not v or v == -1 or v == math.maxinteger then return nil end -- would wrap or overflow %d
  if v < 0 then return nil end
  return string.format(fmt, v + 1) .. suffix, v
end

local function squeeze(s) return (s:gsub("%s+", "")) end

-- Statement deletion: every expression statement of a function body.
local STMT_SKIP = { ["return"] = true, ["break"] = true, ["continue"] = true, ["goto"] = true }
local function statement_sites(toks, src, add)
  local k = 1
  local function skip_to_semicolon(j)
    while toks[j] and toks[j].text ~= ";" do
      if CLOSE[toks[j].text] then j = matching(toks, j) end
      j = j + 1
    end
    return j
  end
  while k <= #toks do
    local t = toks[k]
    local f = t.func
    if not f or k <= f.body_open or k >= f.body_close then
      k = k + 1
    elseif t.text == "{" or t.text == "}" or t.text == ";" or t.text == "else" or t.text == "do" then
      k = k + 1
    elseif t.text == "if" or t.text == "while" or t.text == "for" or t.text == "switch" then
      k = (toks[k + 1] and toks[k + 1].text == "(") and matching(toks, k + 1) + 1 or k + 1
    elseif t.text == "case" or t.text == "default" then
      while toks[k] and toks[k].text ~= ":" do k = k + 1 end
      k = k + 1
    elseif t.kind == "id" and toks[k + 1] and toks[k + 1].text == ":" then
      k = k + 2                                                  -- a label
    elseif STMT_SKIP[t.text] or t.opaque or TYPE_WORDS[t.text] or is_type_name(toks, k)
      or (t.kind == "id" and toks[k + 1] and toks[k + 1].kind == "id") then
      k = skip_to_semicolon(k) + 1                                -- declarations, jumps, asm
    else
      local semi = skip_to_semicolon(k)
      if toks[semi] then
        local text = src:sub(t.pos, toks[semi].pos)
        add(t, "statement", squeeze(text), "{}", toks[semi].pos)
      end
      k = semi + 1
    end
  end
end

-- Every mutation site of one source: list of
-- { file, line, col, class, op, from, to, pos, stop, func }.
function M.sites(src, file)
  local toks = M.lex(src, file)
  local cast_end = annotate(toks)
  local out = {}
  local function add(t, class, from, to, stop)
    local f = t.func
    out[#out + 1] = { file = file, line = t.line, col = t.col, class = class, from = from, to = to,
      pos = t.pos, stop = stop or (t.pos + #t.text - 1),
      func = f and f.name or "-", first = f and f.first or 0, last = f and f.last or 0 }
  end
  -- In a declaration's type ('uint64_t *p', 'struct vcpu *v'): '*' after a type name.
  for k, t in ipairs(toks) do
    if not t.opaque then
      local b, a = BINARY[t.text], ASSIGN[t.text]
      if t.kind == "punct" and b then
        if ends_operand(toks, k, cast_end) then
          for r = 2, #b do add(t, b[1], t.text, b[r]) end
        end
      elseif t.kind == "punct" and a then
        add(t, a[1], t.text, a[2])
      elseif t.text == "!" then
        add(t, "logical", "!", "")
      elseif t.text == "~" then
        add(t, "bitwise", "~", "")
      elseif t.kind == "num" then
        local plus, v = constant_plus_one(t.text)
        if plus then
          add(t, "constant", t.text, plus)
          if v ~= 0 then add(t, "constant", t.text, "0") end
        end
      end
    end
  end
  statement_sites(toks, src, add)
  for _, s in ipairs(out) do
    s.id = string.format("%s:%d:%d:%s:%s->%s", s.file, s.line, s.col,
      s.class, s.from, s.to)
  end
  table.sort(out, function(x, y)
    if x.line ~= y.line then return x.line < y.line end
    if x.col ~= y.col then return x.col < y.col end
    return x.id < y.id
  end)
  return out
end

-- Sampling ----------------------------------------------------------------

-- A small PRNG of our own (splitmix64), so a seed means the same sample on
-- every Lua build.
local function prng(seed)
  local state = seed
  return function(n) -- uniform in 1..n
    state = state + 0x9E3779B97F4A7C15
    local z = state
    z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ~ (z >> 27)) * 0x94D049BB133111EB
    z = z ~ (z >> 31)
    return (z >> 1) % n + 1
  end
end

-- COUNT sites stratified by file: shares in proportion to each file's sites
-- (largest remainder), at least one per file while COUNT allows.
function M.sample(by_file, files, count, seed)
  local total = 0
  for _, f in ipairs(files) do total = total + #by_file[f] end
  if count >= total then
    local all = {}
    for _, f in ipairs(files) do for _, s in ipairs(by_file[f]) do all[#all + 1] = s end end
    return all
  end
  local share, rest, given = {}, {}, 0
  local nonempty = {}
  for _, f in ipairs(files) do if #by_file[f] > 0 then nonempty[#nonempty + 1] = f end end
  local base = count >= #nonempty and 1 or 0
  for _, f in ipairs(nonempty) do share[f] = base; given = given + base end
  local left = count - given
  for _, f in ipairs(nonempty) do
    local exact = left * (#by_file[f] - base) / (total - base * #nonempty)
    local whole = math.floor(exact)
    share[f] = share[f] + whole
    given = given + whole
    rest[#rest + 1] = { f = f, frac = exact - whole }
  end
  table.sort(rest, function(x, y) if x.frac ~= y.frac then return x.frac > y.frac end return x.f < y.f end)
  for j = 1, count - given do share[rest[j].f] = share[rest[j].f] + 1 end
  local rand = prng(seed)
  local per_file = {}
  for _, f in ipairs(nonempty) do
    local pool = table.move(by_file[f], 1, #by_file[f], 1, {})
    for j = #pool, 2, -1 do
      local r = rand(j)
      pool[j], pool[r] = pool[r], pool[j]
    end
    local chosen = table.move(pool, 1, math.min(share[f], #pool), 1, {})
    table.sort(chosen, function(x, y)
      if x.line ~= y.line then return x.line < y.line end
      if x.col ~= y.col then return x.col < y.col end
      return x.id < y.id
    end)
    per_file[#per_file + 1] = chosen
  end
  -- Round robin over the files, so that any prefix of the sample (a run
  -- stopped by its time limit) is still spread over every file.
  local out = {}
  for round = 1, count do
    local any = false
    for _, chosen in ipairs(per_file) do
      if chosen[round] then out[#out + 1] = chosen[round]; any = true end
    end
    if not any then break end
  end
  return out
end

-- Command line ------------------------------------------------------------

local function read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

local function default_files(root)
  local p = io.popen("cd '" .. root:gsub("'", "'\\''") .. "' && find reference -name '*.c' -not -path 'reference/cov/*' | LC_ALL=C sort")
  local files = {}
  for l in p:lines() do files[#files + 1] = l end
  p:close()
  return files
end

local function usage(msg)
  if msg then io.stderr:write("generate.lua: ", msg, "\n") end
  io.stderr:write("usage: generate.lua [--root DIR] [--seed N] [--count N] [--all] [FILE...]\n",
    "       generate.lua --apply ID [--root DIR]\n")
  os.exit(2)
end

local function apply(root, id)
  local file = id:match("^([^:]+):%d+:%d+:")
  if not file then usage("'" .. id .. "' is not a mutant id (file:line:column:class:from->to)") end
  local src, err = read(root .. "/" .. file)
  if not src then io.stderr:write("generate.lua: ", err, "\n"); os.exit(1) end
  for _, s in ipairs(M.sites(src, file)) do
    if s.id == id then
      local f = assert(io.open(root .. "/" .. file, "wb"))
      f:write(src:sub(1, s.pos - 1), s.to, src:sub(s.stop + 1))
      f:close()
      return
    end
  end
  io.stderr:write("generate.lua: ", file, " holds no mutant ", id, " (the source changed?)\n")
  os.exit(1)
end

local function main(argv)
  local root, seed, count, files, apply_id = ".", 1, nil, {}, nil
  local k = 1
  local function value(name)
    k = k + 1
    if argv[k] == nil then usage(name .. " wants a value") end
    return argv[k]
  end
  while k <= #argv do
    local a = argv[k]
    if a == "--root" then root = value(a)
    elseif a == "--seed" or a == "--count" then
      local v = math.tointeger(tonumber(value(a)))
      if not v or v < 0 then usage(a .. " wants a whole number, not '" .. argv[k] .. "'") end
      if a == "--seed" then seed = v else count = v end
    elseif a == "--all" then count = nil
    elseif a == "--apply" then apply_id = value(a)
    elseif a == "--help" or a == "-h" then usage()
    elseif a:sub(1, 1) == "-" then usage("unknown option '" .. a .. "'")
    else files[#files + 1] = a end
    k = k + 1
  end
  if apply_id then return apply(root, apply_id) end
  if #files == 0 then files = default_files(root) end
  if #files == 0 then usage("no C sources under " .. root .. "/reference") end
  local by_file = {}
  for _, f in ipairs(files) do
    local src, err = read(root .. "/" .. f)
    if not src then usage(err) end
    local ok, sites = pcall(M.sites, src, f)
    if not ok then io.stderr:write("generate.lua: ", sites, "\n"); os.exit(1) end
    by_file[f] = sites
  end
  local list = M.sample(by_file, files, count or math.maxinteger, seed)
  local out = {}
  for _, s in ipairs(list) do
    out[#out + 1] = table.concat({ s.id, s.file, s.line, s.col, s.class, s.func, s.first, s.last }, "\t")
  end
  if #out > 0 then io.write(table.concat(out, "\n"), "\n") end
end

if arg and arg[0] and arg[0]:match("generate%.lua$") then
  main(arg)
end
return M
