-- wrk script for bench/store/compare.sh (Debian wrk 4.1).
--   WRK_PORTS=<p1[,p2...]>  thread i sends to 127.0.0.1:<port (i-1) mod n + 1>, so one wrk with -t2
--                           splits its connections evenly over two wardend (and with one port both
--                           threads load the same process: the client is the same in every configuration)
--   WRK_TOKEN=<jwt>         GET <path> with "Authorization: Bearer <jwt>" (GET /api/users/me)
--   WRK_USERS=<n>           POST <path> as the password-grant form, cycling over the users
--                           bench<k>@example.com (k = 0..n-1) with password WRK_PASSWORD
--   WRK_STATUSES=1          count responses per status (a Lua callback per response: off for /me)
-- Prints one line at the end:
--   RESULT rps=<> p50_ms=<> p99_ms=<> requests=<> non2xx=<status >= 400> socket_errors=<> statuses=<s:n,...>
local ports = {}
for p in string.gmatch(os.getenv("WRK_PORTS") or "", "%d+") do ports[#ports + 1] = p end
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  if #ports > 0 then
    local port = ports[(thread_count - 1) % #ports + 1]
    thread.addr = wrk.lookup("127.0.0.1", port)[1]
  end
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

local token = os.getenv("WRK_TOKEN")
local users = tonumber(os.getenv("WRK_USERS") or "0")
local password = os.getenv("WRK_PASSWORD") or ""
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
if users > 0 then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  local next_user = nil
  function request()
    -- threads start at different users; each request takes the next one
    if next_user == nil then next_user = (id or 1) * 7 end
    next_user = next_user + 1
    local body = "grant_type=password&username=bench" .. (next_user % users) ..
                 "%40example.com&password=" .. password
    return wrk.format(nil, nil, nil, body)
  end
end

statuses = {}
if os.getenv("WRK_STATUSES") == "1" then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for status, n in pairs(s) do counts[status] = (counts[status] or 0) + n end
    end
  end
  local listed = {}
  for status, n in pairs(counts) do listed[#listed + 1] = status .. ":" .. n end
  table.sort(listed)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d statuses=%s\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, table.concat(listed, ",")))
end
