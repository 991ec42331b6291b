-- Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
--
-- wrk script: POST transfers through nginx and stepup-gateway, cycling through
-- three callers, and classify every response by what it must be:
--   anon    no token          -> 401 with the bare `Bearer realm=...` challenge
--   weak    acr urn:example:pwd -> 401 with the acr_values step-up challenge
--   strong  MFA, scope given  -> 200 from the upstream (its body names the path),
--                                or, once a reload tightened max_age below the
--                                token's age, 401 with a max_age challenge
-- Anything else (another status, a 5xx, a 200 for a weak or absent token, an
-- unknown challenge) counts as unexpected. The callers' paths differ, so a 200
-- body tells whose request got through.
--
--   wrk -t2 -c8 -d3s --latency -s mix.lua http://127.0.0.1:PORT -- WEAK_TOKEN STRONG_TOKEN
--
-- done() prints one `stepup-mix key=value ...` line for the harness.

local realm = 'Bearer realm="api.example.com"'
local acr_challenge = realm .. ', error="insufficient_user_authentication", ' ..
    'error_description="A different authentication level is required", ' ..
    'acr_values="urn:example:mfa urn:example:hwk"'
local age_prefix = realm .. ', error="insufficient_user_authentication", ' ..
    'error_description="More recent authentication is required", max_age="'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  weak_token = args[1]
  strong_token = args[2]
  sent = 0
  strong_200 = 0
  anon_401 = 0
  weak_401 = 0
  stale_401 = 0
  unexpected = 0
  first_unexpected = ""
end

function request()
  sent = sent + 1
  local caller = sent % 3
  local headers = { ["Content-Type"] = "application/json" }
  local name = "anon"
  if caller == 1 then
    name = "weak"
    headers["Authorization"] = "Bearer " .. weak_token
  elseif caller == 2 then
    name = "strong"
    headers["Authorization"] = "Bearer " .. strong_token
  end
  return wrk.format("POST", "/payments/transfers/" .. name .. "-" .. sent, headers, '{"amount": 1}')
end

local function is_stale_challenge(challenge)
  if challenge:sub(1, #age_prefix) ~= age_prefix then
    return false
  end
  return challenge:sub(#age_prefix + 1):match('^%d+"$') ~= nil
end

function response(status, headers, body)
  local challenge = headers["WWW-Authenticate"] or headers["www-authenticate"] or ""
  if status == 200 and body:find("^upstream ok: POST /payments/transfers/strong%-") then
    strong_200 = strong_200 + 1
  elseif status == 401 and challenge == realm then
    anon_401 = anon_401 + 1
  elseif status == 401 and challenge == acr_challenge then
    weak_401 = weak_401 + 1
  elseif status == 401 and is_stale_challenge(challenge) then
    stale_401 = stale_401 + 1
  else
    unexpected = unexpected + 1
    if first_unexpected == "" then
      first_unexpected = status .. " [" .. challenge .. "] " .. body:sub(1, 80):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local totals = { strong_200 = 0, anon_401 = 0, weak_401 = 0, stale_401 = 0, unexpected = 0 }
  local example = ""
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
    local first = thread:get("first_unexpected")
    if example == "" and first ~= nil then
      example = first
    end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
      "stepup-mix requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f " ..
      "max_ms=%.2f strong_200=%d anon_401=%d weak_401=%d stale_401=%d unexpected=%d " ..
      "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      totals.strong_200, totals.anon_401, totals.weak_401, totals.stale_401, totals.unexpected,
      errors.connect, errors.read, errors.write, errors.timeout))
  if example ~= "" then
    io.write("stepup-mix first_unexpected: " .. example .. "\n")
  end
end
