#!/usr/bin/env bash
# What counting for /metrics costs GET /api/users/me (issue 11, SPEC §6: at most 2 %): one wardend
# with --metrics on (the default) and one with --metrics off, same binary, same store and token,
# measured in turn over ROUNDS rounds (every other round in reverse order). Prints each run, then
# the medians and the ratios: req/s off ÷ on, and server CPU per request on ÷ off.
#
# usage: bench/http/metrics_cost.sh [BUILD_DIR] [DURATION] [CONNECTIONS]
#   BUILD_DIR    a release build with wardend (default build/release)
#   DURATION     wrk duration of each run (default 8s, after a 2 s warm-up); CONNECTIONS default 64
#   ROUNDS=5     rounds
# wrk (one thread) runs on the same cores as wardend; server CPU is utime+stime from /proc.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
duration=${2:-8s}
connections=${3:-64}
rounds=${ROUNDS:-5}
wardend=$build/src/app/wardend
lua=$root/bench/http/wrk_auth.lua
[ -x "$wardend" ] || { echo "no wardend in $build (cmake --workflow --preset release)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

scratch=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 300); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# Both processes share one data directory (SQLite, secret), so one token serves both.
declare -A port=([on]=18090 [off]=18091) pid=()
for mode in on off; do
    "$wardend" --listen "127.0.0.1:${port[$mode]}" --data-dir "$scratch/data" --metrics "$mode" \
        --log-level warn >/dev/null 2>"$scratch/$mode.log" &
    pid[$mode]=$!
    pids+=($!)
    wait_port "${port[$mode]}" || { echo "wardend --metrics $mode did not start:" >&2; cat "$scratch/$mode.log" >&2; exit 1; }
done
curl -sf -XPOST "localhost:${port[on]}/api/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchpass"}' >/dev/null
token=$(curl -sf -XPOST "localhost:${port[on]}/api/auth/login" -d 'username=bench%40example.com&password=benchpass' |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
[ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:${port[off]}/metrics")" = 404 ] ||
    { echo "--metrics off still serves /metrics" >&2; exit 1; }

tck=$(getconf CLK_TCK)
echo "# $(date -u '+%F %H:%M UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# wrk -t1 -c$connections -d$duration --latency (2 s warm-up), GET /api/users/me; $rounds rounds"
results=$scratch/results
for round in $(seq "$rounds"); do
    order="on off"
    [ $((round % 2)) -eq 0 ] && order="off on"
    for mode in $order; do
        url="http://127.0.0.1:${port[$mode]}/api/users/me"
        WRK_TOKEN="$token" wrk -t1 -c"$connections" -d2s -s "$lua" "$url" >/dev/null
        before=$(cpu_ticks "${pid[$mode]}")
        line=$(WRK_TOKEN="$token" wrk -t1 -c"$connections" -d"$duration" --latency -s "$lua" "$url" | grep '^RESULT')
        after=$(cpu_ticks "${pid[$mode]}")
        requests=$(field requests "$line")
        us=$(awk -v t=$((after - before)) -v hz="$tck" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
        echo "round $round metrics $mode: $line cpu_us_per_request=$us"
        echo "$mode $(field rps "$line") $us $(field " errors" "$line")" >>"$results"
    done
done
/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
runs = {"on": [], "off": []}
for line in open(sys.argv[1]):
    mode, rps, us, errors = line.split()
    runs[mode].append((float(rps), float(us), int(float(errors or 0))))
med = {m: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for m, v in runs.items()}
errors = sum(r[2] for v in runs.values() for r in v)
print(f"median req/s: metrics on {med['on'][0]:,.0f}, off {med['off'][0]:,.0f}; "
      f"CPU per request: on {med['on'][1]:.2f} us, off {med['off'][1]:.2f} us; errors {errors}")
print(f"req/s off / on = {med['off'][0] / med['on'][0]:.3f}; "
      f"CPU per request on / off = {med['on'][1] / med['off'][1]:.3f} (target: at most 1.02)")
PY
