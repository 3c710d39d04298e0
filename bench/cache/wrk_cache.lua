-- wrk script for bench/cache/run.sh (Debian wrk 4.1); run it with -t1 (one thread, one rotation).
--   WRK_TOKENS=<file>  GET <path> with "Authorization: Bearer <line>", taking the file's lines in
--                      turn (one token per user, so consecutive requests name different users)
--   WRK_ONCE=1         with WRK_TOKENS: exit (status 0, no report) once there are as many responses
--                      as tokens, at the first status other than 200 with status 1 (the warm-up:
--                      one /me per user; a Lua callback per response, so never timed). wrk's own
--                      thread:stop() would leave wrk waiting for the end of -d.
--   WRK_USERS=<n>      POST <path> as the password-grant form for a random user bench<k>@example.com
--                      (k = 0..n-1) with password WRK_PASSWORD
-- Prints one line at the end:
--   RESULT rps=<> p50_ms=<> p99_ms=<> requests=<> non2xx=<status >= 400> socket_errors=<>
local tokens = {}
local path = wrk.path
local tokens_file = os.getenv("WRK_TOKENS") or ""
if tokens_file ~= "" then
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = "Bearer " .. line end
  end
  local next_token = 0
  local headers = {}
  function request()
    next_token = next_token % #tokens + 1
    headers["Authorization"] = tokens[next_token]
    return wrk.format("GET", path, headers)
  end
  if os.getenv("WRK_ONCE") == "1" then
    local seen = 0
    function response(status, headers, body)
      seen = seen + 1
      if status ~= 200 then
        io.stderr:write("warm-up: status " .. status .. ": " .. body .. "\n")
        os.exit(1)
      end
      if seen >= #tokens then os.exit(0) end
    end
  end
end

local users = tonumber(os.getenv("WRK_USERS") or "0")
if users > 0 then
  local password = os.getenv("WRK_PASSWORD") or ""
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  math.randomseed(os.time())
  function request()
    local body = "grant_type=password&username=bench" .. math.random(0, users - 1) ..
                 "%40example.com&password=" .. password
    return wrk.format("POST", path, headers, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout))
end
