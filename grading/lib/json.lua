-- grading/lib/json.lua: a small, strict JSON (RFC 8259) decoder and a
-- deterministic encoder, for the grading tools (Lua 5.4, no C modules).
--
-- Use: local json = dofile(ROOT .. "/grading/lib/json.lua")
--
--   json.decode(text [, {max_depth = 200}]) -> value
--     Objects become tables marked as objects, arrays tables marked as
--     arrays (json.is_array / json.is_object tell them apart, also when
--     empty), JSON null becomes json.null, integers without fraction or
--     exponent that fit 64 bits become Lua integers, other numbers floats.
--     Malformed input raises "json: <problem> at byte <offset>" (1-based):
--     trailing data, duplicate keys, raw control characters, invalid UTF-8,
--     lone surrogates, numbers out of range and nesting deeper than
--     max_depth are all refused.
--
--   json.encode(value [, {indent = 2, sort_keys = true, key_order = {...}}])
--     -> string
--     Tables marked with json.array / json.object encode as that; an
--     unmarked table encodes as an array when it is a non-empty sequence and
--     as an object when all its keys are strings; an unmarked empty table is
--     refused (its kind would be a guess). Object keys are sorted (byte
--     order) unless sort_keys = false; keys listed in key_order come first,
--     in that order, wherever they occur. NaN, infinities, cycles,
--     functions and non-string keys of objects are refused with the path of
--     the offending value ("json: cannot encode NaN at $.cases[2].seconds").
--     Bytes of a string that are not valid UTF-8 are written as U+FFFD, so
--     untrusted text (a student's build log) can always be encoded.
--     indent = nil writes one line; a number or string indents pretty output.

local M = {}

-- The JSON null, distinct from a missing value.
M.null = setmetatable({}, {
  __name = "json.null",
  __tostring = function() return "null" end,
  __newindex = function() error("json.null is read-only", 2) end,
})

local ARRAY = { __name = "json.array" }
local OBJECT = { __name = "json.object" }

-- Marks t (a new table when nil) as a JSON array; returns it.
function M.array(t)
  return setmetatable(t or {}, ARRAY)
end

-- Marks t (a new table when nil) as a JSON object; returns it.
function M.object(t)
  return setmetatable(t or {}, OBJECT)
end

function M.is_array(v)
  return type(v) == "table" and getmetatable(v) == ARRAY
end

function M.is_object(v)
  return type(v) == "table" and getmetatable(v) == OBJECT
end

M.DEFAULT_MAX_DEPTH = 200

---------------------------------------------------------------------------
-- Decoder
---------------------------------------------------------------------------

local function decode_error(what, pos)
  error(string.format("json: %s at byte %d", what, pos), 0)
end

local ESCAPES = {
  ['"'] = '"', ["\\"] = "\\", ["/"] = "/",
  b = "\b", f = "\f", n = "\n", r = "\r", t = "\t",
}

-- Describes the byte at pos for an error message.
local function byte_name(text, pos)
  local c = text:sub(pos, pos)
  if c == "" then return "end of input" end
  if c:match("^[%g]$") then return "'" .. c .. "'" end
  return string.format("byte 0x%02x", c:byte())
end

-- Checks the UTF-8 sequence starting at pos; returns the position after it.
local function check_utf8(text, pos)
  local b = text:byte(pos)
  local len, min
  if b < 0x80 then return pos + 1
  elseif b >= 0xC2 and b <= 0xDF then len, min = 2, 0x80
  elseif b >= 0xE0 and b <= 0xEF then len, min = 3, 0x800
  elseif b >= 0xF0 and b <= 0xF4 then len, min = 4, 0x10000
  else decode_error("invalid UTF-8 byte 0x" .. string.format("%02x", b), pos) end
  local cp = b & (0xFF >> (len + 1))
  for i = 1, len - 1 do
    local c = text:byte(pos + i)
    if not c or c & 0xC0 ~= 0x80 then
      decode_error("truncated UTF-8 sequence", pos)
    end
    cp = (cp << 6) | (c & 0x3F)
  end
  if cp < min or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then
    decode_error("invalid UTF-8 sequence", pos)
  end
  return pos + len
end

local function read_hex4(text, pos)
  local hex = text:sub(pos, pos + 3)
  if not hex:match("^%x%x%x%x$") then
    decode_error("\\u needs four hex digits", pos)
  end
  return tonumber(hex, 16)
end

-- Reads the string whose opening quote is at pos; returns it and the
-- position after the closing quote.
local function read_string(text, pos)
  local parts, n = {}, 0
  local i = pos + 1
  while true do
    -- A run of plain characters at once.
    local run_end = text:find('[%z\1-\31"\\\128-\255]', i)
    if not run_end then decode_error("unterminated string", pos) end
    if run_end > i then
      n = n + 1
      parts[n] = text:sub(i, run_end - 1)
    end
    i = run_end
    local c = text:byte(i)
    if c == 34 then -- closing quote
      return table.concat(parts), i + 1
    elseif c == 92 then -- backslash
      local e = text:sub(i + 1, i + 1)
      if e == "u" then
        local cp = read_hex4(text, i + 2)
        local after = i + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          if text:sub(after, after + 1) ~= "\\u" then
            decode_error("high surrogate without a following low surrogate", i)
          end
          local low = read_hex4(text, after + 2)
          if low < 0xDC00 or low > 0xDFFF then
            decode_error("high surrogate followed by a non-low surrogate", after)
          end
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
          after = after + 6
        elseif cp >= 0xDC00 and cp <= 0xDFFF then
          decode_error("lone low surrogate", i)
        end
        n = n + 1
        parts[n] = utf8.char(cp)
        i = after
      elseif ESCAPES[e] then
        n = n + 1
        parts[n] = ESCAPES[e]
        i = i + 2
      else
        decode_error("invalid escape \\" .. (e == "" and "" or byte_name(text, i + 1)), i)
      end
    elseif c < 32 then
      decode_error(string.format("raw control character 0x%02x in string", c), i)
    else -- a multi-byte UTF-8 sequence
      local next_i = check_utf8(text, i)
      n = n + 1
      parts[n] = text:sub(i, next_i - 1)
      i = next_i
    end
  end
end

local function read_number(text, pos)
  local s, e = text:find("^-?%d+", pos)
  if not s then decode_error("invalid number", pos) end
  local int_part = text:sub(s, e):gsub("^-", "")
  if #int_part > 1 and int_part:sub(1, 1) == "0" then
    decode_error("leading zero in number", pos)
  end
  local is_float = false
  local fs, fe = text:find("^%.%d*", e + 1)
  if fs then
    if fe == fs then decode_error("digit expected after '.'", fe + 1) end
    e, is_float = fe, true
  end
  local xs, xe = text:find("^[eE][+-]?%d*", e + 1)
  if xs then
    if not text:sub(xe, xe):match("%d") then
      decode_error("digit expected in exponent", xe + 1)
    end
    e, is_float = xe, true
  end
  local lexeme = text:sub(pos, e)
  local value
  if not is_float then value = math.tointeger(tonumber(lexeme)) end
  if value == nil then
    -- A float, or an integer too large for 64 bits.
    value = tonumber(lexeme .. (is_float and "" or ".0"))
    if value == nil or value ~= value or value == math.huge or value == -math.huge then
      decode_error("number out of range", pos)
    end
  end
  return value, e + 1
end

local WHITESPACE = "^[ \t\r\n]*"

local function skip_space(text, pos)
  local _, e = text:find(WHITESPACE, pos)
  return e + 1
end

local read_value

local function read_array(text, pos, depth, max_depth)
  local arr, n = M.array(), 0
  pos = skip_space(text, pos + 1)
  if text:sub(pos, pos) == "]" then return arr, pos + 1 end
  while true do
    n = n + 1
    arr[n], pos = read_value(text, pos, depth, max_depth)
    pos = skip_space(text, pos)
    local c = text:sub(pos, pos)
    if c == "]" then return arr, pos + 1 end
    if c ~= "," then
      decode_error("',' or ']' expected, found " .. byte_name(text, pos), pos)
    end
    pos = skip_space(text, pos + 1)
  end
end

local function read_object(text, pos, depth, max_depth)
  local obj = M.object()
  pos = skip_space(text, pos + 1)
  if text:sub(pos, pos) == "}" then return obj, pos + 1 end
  while true do
    if text:sub(pos, pos) ~= '"' then
      decode_error("object key (a string) expected, found " .. byte_name(text, pos), pos)
    end
    local key_pos = pos
    local key
    key, pos = read_string(text, pos)
    if rawget(obj, key) ~= nil then
      decode_error(string.format("duplicate key %q", key), key_pos)
    end
    pos = skip_space(text, pos)
    if text:sub(pos, pos) ~= ":" then
      decode_error("':' expected, found " .. byte_name(text, pos), pos)
    end
    pos = skip_space(text, pos + 1)
    obj[key], pos = read_value(text, pos, depth, max_depth)
    pos = skip_space(text, pos)
    local c = text:sub(pos, pos)
    if c == "}" then return obj, pos + 1 end
    if c ~= "," then
      decode_error("',' or '}' expected, found " .. byte_name(text, pos), pos)
    end
    pos = skip_space(text, pos + 1)
  end
end

local LITERALS = { t = { "true", true }, f = { "false", false }, n = { "null", M.null } }

read_value = function(text, pos, depth, max_depth)
  local c = text:sub(pos, pos)
  if c == "{" or c == "[" then
    if depth >= max_depth then
      decode_error("nesting deeper than " .. max_depth .. " levels", pos)
    end
    if c == "{" then return read_object(text, pos, depth + 1, max_depth) end
    return read_array(text, pos, depth + 1, max_depth)
  elseif c == '"' then
    return read_string(text, pos)
  elseif c == "-" or c:match("^%d$") then
    return read_number(text, pos)
  end
  local lit = LITERALS[c]
  if lit and text:sub(pos, pos + #lit[1] - 1) == lit[1] then
    return lit[2], pos + #lit[1]
  end
  decode_error("value expected, found " .. byte_name(text, pos), pos)
end

function M.decode(text, opts)
  if type(text) ~= "string" then
    error("json.decode: expected a string, got " .. type(text), 2)
  end
  local max_depth = (opts and opts.max_depth) or M.DEFAULT_MAX_DEPTH
  if text:sub(1, 3) == "\239\187\191" then
    decode_error("byte-order mark is not allowed", 1)
  end
  local pos = skip_space(text, 1)
  local value
  value, pos = read_value(text, pos, 0, max_depth)
  pos = skip_space(text, pos)
  if pos <= #text then
    decode_error("trailing data after the value: " .. byte_name(text, pos), pos)
  end
  return value
end

---------------------------------------------------------------------------
-- Encoder
---------------------------------------------------------------------------

local ENCODE_ESCAPES = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ["\127"] = "\\u007f",
}

-- Valid UTF-8 passes through; every byte that does not start a valid
-- sequence becomes U+FFFD.
local function sanitize_utf8(s)
  if not s:find("[\128-\255]") or utf8.len(s) then
    -- utf8.len accepts surrogates and code points above 0x10FFFF only with
    -- lax = true, so a non-nil length means valid UTF-8 (strict).
    return s
  end
  local out, n, i = {}, 0, 1
  while i <= #s do
    local ok, next_i = pcall(check_utf8, s, i)
    n = n + 1
    if ok then
      out[n] = s:sub(i, next_i - 1)
      i = next_i
    else
      out[n] = "\239\191\189"
      i = i + 1
    end
  end
  return table.concat(out)
end

local function encode_string(s)
  s = sanitize_utf8(s)
  return '"' .. s:gsub('[%z\1-\31"\\\127]', function(c)
    return ENCODE_ESCAPES[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

-- The shortest decimal form that reads back as the same float; an
-- integral float keeps a ".0" so it decodes as a float again.
local function encode_float(x)
  local s
  for digits = 15, 17 do
    s = string.format("%." .. digits .. "g", x)
    if tonumber(s) == x then break end
  end
  if s:match("^-?%d+$") then s = s .. ".0" end
  return s
end

local function path_key(path, key)
  if type(key) == "string" and key:match("^[%a_][%w_]*$") then
    return path .. "." .. key
  end
  if math.type(key) == "integer" then
    return path .. "[" .. key .. "]"
  end
  return path .. "[" .. encode_string(tostring(key)) .. "]"
end

local function encode_error(what, path)
  error("json: cannot encode " .. what .. " at " .. path, 0)
end

-- How an unmarked table encodes: "array", "object", or an error.
local function table_kind(t, path)
  local mt = getmetatable(t)
  if mt == ARRAY then return "array" end
  if mt == OBJECT then return "object" end
  if next(t) == nil then
    encode_error("an unmarked empty table (use json.array() or json.object())", path)
  end
  local n = #t
  local all_strings, sequence = true, n > 0
  for k in pairs(t) do
    if type(k) ~= "string" then all_strings = false end
    if math.type(k) ~= "integer" or k < 1 or k > n then sequence = false end
  end
  if sequence then return "array" end
  if all_strings then return "object" end
  encode_error("a table mixing array and object keys", path)
end

local function sorted_keys(t, path, opts)
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= "string" then
      encode_error("an object key of type " .. type(k) .. " (" .. tostring(k) .. ")", path)
    end
    keys[#keys + 1] = k
  end
  if opts.sort_keys ~= false then
    local rank = opts.key_rank
    table.sort(keys, function(a, b)
      local ra, rb = rank[a], rank[b]
      if ra or rb then
        if ra and rb then return ra < rb end
        return ra ~= nil
      end
      return a < b
    end)
  end
  return keys
end

local encode_value

local function encode_table(t, path, opts, depth, seen)
  if seen[t] then encode_error("a cycle", path) end
  if depth >= opts.max_depth then
    encode_error("nesting deeper than " .. opts.max_depth .. " levels", path)
  end
  seen[t] = true
  local nl, pad, pad_in, colon = "", "", "", ":"
  if opts.indent then
    nl = "\n"
    pad = opts.indent:rep(depth)
    pad_in = opts.indent:rep(depth + 1)
    colon = ": "
  end
  local parts = {}
  local open, close
  if table_kind(t, path) == "array" then
    open, close = "[", "]"
    -- Count keys instead of trusting #t, whose border is arbitrary when
    -- the table has holes.
    local n, count = 0, 0
    for k in pairs(t) do
      if math.type(k) ~= "integer" or k < 1 then
        encode_error("an array with a non-index key " .. tostring(k), path)
      end
      count = count + 1
      if k > n then n = k end
    end
    if count ~= n then
      local hole = 1
      while t[hole] ~= nil do hole = hole + 1 end
      encode_error("an array with a hole (nil) at index " .. hole, path)
    end
    for i = 1, n do
      parts[i] = pad_in .. encode_value(t[i], path .. "[" .. i .. "]", opts, depth + 1, seen)
    end
  else
    open, close = "{", "}"
    for i, k in ipairs(sorted_keys(t, path, opts)) do
      parts[i] = pad_in .. encode_string(k) .. colon ..
        encode_value(t[k], path_key(path, k), opts, depth + 1, seen)
    end
  end
  seen[t] = nil
  if #parts == 0 then return open .. close end
  return open .. nl .. table.concat(parts, "," .. nl) .. nl .. pad .. close
end

encode_value = function(v, path, opts, depth, seen)
  local t = type(v)
  if v == M.null then return "null" end
  if t == "string" then return encode_string(v) end
  if t == "boolean" then return tostring(v) end
  if t == "number" then
    if v ~= v then encode_error("NaN", path) end
    if v == math.huge or v == -math.huge then encode_error("an infinity", path) end
    if math.type(v) == "integer" then return string.format("%d", v) end
    return encode_float(v)
  end
  if t == "table" then return encode_table(v, path, opts, depth, seen) end
  encode_error("a value of type " .. t, path)
end

function M.encode(value, opts)
  opts = opts or {}
  local indent = opts.indent
  if type(indent) == "number" then indent = string.rep(" ", indent) end
  if indent ~= nil and type(indent) ~= "string" then
    error("json.encode: indent must be a number or a string", 2)
  end
  local rank = {}
  for i, k in ipairs(opts.key_order or {}) do rank[k] = i end
  local o = {
    indent = indent,
    sort_keys = opts.sort_keys,
    key_rank = rank,
    max_depth = opts.max_depth or M.DEFAULT_MAX_DEPTH,
  }
  return encode_value(value, "$", o, 0, {})
end

-- Reads and decodes a whole file; errors name the file.
function M.read_file(path, opts)
  local f, err = io.open(path, "rb")
  if not f then error("json: cannot open " .. err, 0) end
  local text = f:read("a")
  f:close()
  local ok, value = pcall(M.decode, text, opts)
  if not ok then error(path .. ": " .. value, 0) end
  return value
end

-- Encodes value and writes it to path atomically (a temporary file renamed
-- into place), with a final newline.
function M.write_file(path, value, opts)
  local text = M.encode(value, opts) .. "\n"
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "wb")
  if not f then error("json: cannot write " .. err, 0) end
  local ok, werr = f:write(text)
  f:close()
  if not ok then
    os.remove(tmp)
    error("json: cannot write " .. tmp .. ": " .. tostring(werr), 0)
  end
  local renamed, rerr = os.rename(tmp, path)
  if not renamed then
    os.remove(tmp)
    error("json: cannot rename " .. tmp .. " to " .. path .. ": " .. tostring(rerr), 0)
  end
end

return M
