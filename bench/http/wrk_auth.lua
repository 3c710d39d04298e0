-- wrk script for wardend benchmarks (Debian wrk). No per-response callback, so it costs wrk nothing
-- per request.
--   WRK_TOKEN=<jwt>  -> "Authorization: Bearer <jwt>"          (GET /api/users/me)
--   WRK_FORM=<body>  -> POST application/x-www-form-urlencoded  (POST /api/auth/login)
--   neither          -> plain GET                              (the bare Beast server's GET /)
-- Prints one line at the end:
--   RESULT rps=<req/s> p50_ms=<> p99_ms=<> requests=<> errors=<status >= 400> socket_errors=<>
local token = os.getenv("WRK_TOKEN")
local form = os.getenv("WRK_FORM")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
if form and form ~= "" then
  wrk.method = "POST"
  wrk.body = form
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout))
end
