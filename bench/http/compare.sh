#!/usr/bin/env bash
# Runs wardend and the bare Beast server (../shared/peers/beast_hello) under the same wrk load in
# one run and prints requests/s, p50/p99 and the ratio (SPEC §6: GET /api/users/me >= 0.70x).
# Then measures logins/s against cores / one login's time, GET /api/users/me while logins saturate
# the hash pool (SPEC: p99 under 10 ms), start-up time, idle RSS and 10,000 idle keep-alive connections.
#
# usage: bench/http/compare.sh [BUILD_DIR] [DURATION] [CONNECTIONS]
#   BUILD_DIR    a release build with wardend (default build/release)
#   DURATION     wrk duration per run in seconds (default 10s); CONNECTIONS (default 64); wrk uses 1 thread
#   BEAST_HELLO  the peer's source dir (default ../shared/peers/beast_hello), built in a temp copy
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
duration=${2:-10s}
connections=${3:-64}
beast_src=${BEAST_HELLO:-$root/../shared/peers/beast_hello}
wardend=$build/src/app/wardend
lua=$root/bench/http/wrk_auth.lua
[ -x "$wardend" ] || { echo "no wardend in $build (cmake --workflow --preset release)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

scratch=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
run_wrk() { # url [extra env...] -> RESULT line
    local url=$1; shift
    env "$@" wrk -t1 -c"$connections" -d2s -s "$lua" "$url" >/dev/null  # warm-up
    env "$@" wrk -t1 -c"$connections" -d"$duration" --latency -s "$lua" "$url" | grep '^RESULT'
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# The bare Beast server, built from a copy (shared/ is read-only).
cp -r "$beast_src" "$scratch/beast" && (cd "$scratch/beast" && ./build.sh)
"$scratch/beast/beast_hello" 18081 "$(nproc)" 2>/dev/null & pids+=($!)
wait_port 18081

# wardend on its defaults (HS256, argon2id m=19456,t=2,p=1), access log at info as shipped.
# Start-up: from exec to the port accepting, on a fresh data dir (secret and schema created).
started=$(date +%s%N)
"$wardend" --listen 127.0.0.1:18080 --data-dir "$scratch/data" --log-level "${WARDEN_LOG_LEVEL:-info}" \
    >/dev/null 2>"$scratch/wardend.log" & pids+=($!)
wardend_pid=$!
until (echo >/dev/tcp/127.0.0.1/18080) 2>/dev/null; do sleep 0.002; done
startup_ms=$((($(date +%s%N) - started) / 1000000))
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$wardend_pid/status"; }
idle_rss_fresh=$(rss_mib)
curl -sf -XPOST localhost:18080/api/auth/register -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"benchpass"}' >/dev/null
token=$(curl -sf -XPOST localhost:18080/api/auth/login -d 'username=bench%40example.com&password=benchpass' |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

beast=$(run_wrk http://127.0.0.1:18081/)
me=$(run_wrk http://127.0.0.1:18080/api/users/me WRK_TOKEN="$token")
echo "beast_hello GET /               $beast"
echo "wardend     GET /api/users/me   $me"
awk -v a="$(field rps "$me")" -v b="$(field rps "$beast")" 'BEGIN { printf "ratio wardend/beast = %.2f (target >= 0.70)\n", a / b }'

# Logins: one connection gives one login's time; 8 connections saturate the hash pool.
one=$(env WRK_FORM='username=bench%40example.com&password=benchpass' \
    wrk -t1 -c1 -d"$duration" --latency -s "$lua" http://127.0.0.1:18080/api/auth/login | grep '^RESULT')
many=$(env WRK_FORM='username=bench%40example.com&password=benchpass' \
    wrk -t1 -c8 -d"$duration" --timeout 10s --latency -s "$lua" http://127.0.0.1:18080/api/auth/login | grep '^RESULT')
# The guard while logins keep every hash thread busy.
env WRK_FORM='username=bench%40example.com&password=benchpass' \
    wrk -t1 -c8 -d"$((${duration%s} + 2))s" --timeout 10s -s "$lua" http://127.0.0.1:18080/api/auth/login >/dev/null &
logins_pid=$!
sleep 1
mixed=$(env WRK_TOKEN="$token" wrk -t1 -c"$connections" -d"$duration" --latency -s "$lua" \
    http://127.0.0.1:18080/api/users/me | grep '^RESULT')
wait "$logins_pid"
sleep 11  # wardend hands argon2's memory back after 10 s without a hash in progress
echo "wardend     login, 1 conn       $one"
echo "wardend     login, 8 conns      $many"
awk -v one="$(field p50_ms "$one")" -v rps="$(field rps "$many")" -v cores="$(nproc)" \
    'BEGIN { floor = cores / (one / 1000); printf "logins/s %.1f vs cores/one-login %.1f = %.2f (target >= 0.90)\n", rps, floor, rps / floor }'
echo "wardend     GET /api/users/me while logins saturate the hash pool   $mixed"
awk -v p99="$(field p99_ms "$mixed")" 'BEGIN { printf "guard p99 under login load %.2f ms (target < 10)\n", p99 }'
echo "start-up ${startup_ms} ms (target < 100); idle RSS ${idle_rss_fresh} MiB fresh, $(rss_mib) MiB at rest after the runs (target < 30)"
# 10,000 idle keep-alive connections held (and each still answering afterwards).
/usr/bin/python3 "$root/bench/http/idle_connections.py" 18080 10000 5 "$wardend_pid"
