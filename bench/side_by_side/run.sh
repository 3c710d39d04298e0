#!/usr/bin/env bash
# Side by side, one command (issue 10): wardend and the peers of ../shared/peers (bare Beast, Fastify
# one process and cluster of 2, the FastAPI seed) under the same wrk load in one run. Prints req/s,
# p50, p99, errors and server CPU per request for GET /api/users/me and for login (bcrypt cost 12
# everywhere), the SPEC §6 ratios with their targets, a Markdown table ready to paste into
# docs/benchmarks.md, and draws a PNG chart.
#
# usage: bench/side_by_side/run.sh [--quick] [--out DIR] [--only "CONFIG ..."] [--chart FILE]
#   --quick        DURATION=3s LOGIN_DURATION=6s REPEATS=1 WARMUP=1s QUIET_MAX=3: to try the script (~2 min)
#   --out DIR      results directory (default: a new /tmp/warden-side-by-side.XXXXXX); it gets
#                  runs.tsv (one line per wrk run), results.json, table.md, side_by_side.png, logs
#   --only LIST    configurations to run, of: beast wardend wardend_1t fastify_1p fastify_cluster2
#                  fastapi_1w (default: all; the ratios need beast and wardend)
#   --chart FILE   also copy the PNG there (e.g. docs/images/side_by_side.png)
# environment:
#   WARDEND=<binary>     use this wardend instead of building one (cmake --preset release, target wardend)
#   PEERS=<dir>          the peers (default ../shared/peers beside the repo; read-only is fine: copied)
#   SCRATCH=<dir>        reuse this scratch directory (keeps the npm ci and beast build for reruns);
#                        default: a new mktemp -d, deleted at the end
#   DURATION=8s          wrk duration of each /me run (wrk -t1 -cCONNS, CONNS=64)
#   LOGIN_DURATION=15s   wrk duration of each login run (wrk -t1 -cLOGIN_CONNS --timeout 10s, LOGIN_CONNS=8)
#   REPEATS=3            rounds; each round starts every server afresh (order reversed every other
#                        round); the table shows medians over rounds
#   WARMUP=2s            wrk warm-up on /me before the measured runs of each server start
#   QUIET_MAX=30 QUIET_CORES=0.5  before each run, wait up to QUIET_MAX s for the rest of the machine
#                        to use under QUIET_CORES cores (shared machine); the table's "other CPU" shows the rest
#   WARDEN_LOG_LEVEL=warn  wardend's --log-level (the peers write no access log; info would add one per request)
#
# Every server runs alone (started, measured, stopped by its PID before the next starts); all load
# goes to 127.0.0.1. wrk runs on the same cores as the server, so req/s includes wrk's CPU cost; server
# CPU per request comes from /proc/<pid>/stat (utime+stime of the server and its child processes).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/side_by_side

args_given="$*"
out="" only="" chart=""
quick=0
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --out) out=$2; shift ;;
    --only) only=$2; shift ;;
    --chart) chart=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "$quick" = 1 ]; then
    DURATION=${DURATION:-3s} LOGIN_DURATION=${LOGIN_DURATION:-6s} REPEATS=${REPEATS:-1} WARMUP=${WARMUP:-1s}
    QUIET_MAX=${QUIET_MAX:-3}
fi
duration=${DURATION:-8s}
login_duration=${LOGIN_DURATION:-15s}
repeats=${REPEATS:-3}
warmup=${WARMUP:-2s}
conns=${CONNS:-64}
login_conns=${LOGIN_CONNS:-8}
log_level=${WARDEN_LOG_LEVEL:-warn}
peers=${PEERS:-$root/../shared/peers}
all_configs="beast wardend wardend_1t fastify_1p fastify_cluster2 fastapi_1w"
configs=${only:-$all_configs}
for c in $configs; do
    [[ " $all_configs " == *" $c "* ]] || { echo "unknown configuration $c (of: $all_configs)" >&2; exit 2; }
done
want() { [[ " $configs " == *" $1 "* ]]; }
PY=/usr/bin/python3  # Debian's: the seed and the chart use its dist-packages

# ---- what the machine needs (Debian 12 packages) ----
missing=()
need_cmd() { command -v "$1" >/dev/null || missing+=("$2"); }
need_py() { $PY -c "import $1" 2>/dev/null || missing+=("$2"); }
need_cmd wrk wrk
need_cmd curl curl
need_cmd "$PY" python3
if want beast; then need_cmd g++ g++; [ -f /usr/include/boost/beast.hpp ] || missing+=(libboost1.81-dev); fi
if want fastify_1p || want fastify_cluster2; then need_cmd node nodejs; need_cmd npm npm; need_cmd make make; fi
if want fastapi_1w; then
    need_py fastapi python3-fastapi; need_py uvicorn python3-uvicorn; need_py multipart python3-multipart
    need_py jose python3-jose; need_py passlib python3-passlib; need_py bcrypt python3-bcrypt
    need_py sqlalchemy python3-sqlalchemy
fi
plotter=""
if $PY -c 'import matplotlib' 2>/dev/null; then plotter=matplotlib
elif command -v gnuplot >/dev/null; then plotter=gnuplot
else echo "note: no chart: neither python3-matplotlib nor gnuplot is installed (apt-get install -y python3-matplotlib)" >&2
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing on this machine; install with:  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 2
fi
[ -d "$peers/beast_hello" ] || { echo "no peers in $peers (set PEERS=<dir of shared/peers>)" >&2; exit 2; }

# ---- scratch copy of the peers, result directory ----
keep_scratch=0
if [ -n "${SCRATCH:-}" ]; then scratch=$SCRATCH; keep_scratch=1; mkdir -p "$scratch"; else scratch=$(mktemp -d /tmp/warden-sbs.XXXXXX); fi
out=${out:-$(mktemp -d /tmp/warden-side-by-side.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
runs=$out/runs.tsv
: >"$runs"
server_pid="" server_name=""
stop_server() {
    [ -n "$server_pid" ] || return 0
    if kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$server_pid" 2>/dev/null; then
            echo "   $server_name (pid $server_pid) did not stop on SIGTERM in 10 s: SIGKILL" >&2
            kill -KILL "$server_pid" 2>/dev/null || true
        fi
    fi
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
bg_pid=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "$bg_pid" ] && kill "$bg_pid" 2>/dev/null && wait "$bg_pid" 2>/dev/null
    stop_server
    [ "$keep_scratch" = 1 ] || rm -rf "$scratch"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for p in beast_hello fastify_peer fastapi_seed; do
    [ -d "$scratch/$p" ] || { cp -r "$peers/$p" "$scratch/$p" && chmod -R u+w "$scratch/$p"; }
done
cp "$peers/wrk_auth.lua" "$scratch/wrk_auth.lua"
lua=$scratch/wrk_auth.lua
if want beast && [ ! -x "$scratch/beast_hello/beast_hello" ]; then
    echo "== building beast_hello (g++ -O2, ~20 s)"
    (cd "$scratch/beast_hello" && ./build.sh)
fi
if { want fastify_1p || want fastify_cluster2; } && [ ! -d "$scratch/fastify_peer/node_modules/better-sqlite3" ]; then
    echo "== npm ci in the fastify peer (better-sqlite3 compiles from source, ~1 min)"
    (cd "$scratch/fastify_peer" && npm ci --no-audit --no-fund >"$out/npm-ci.log" 2>&1) ||
        { echo "npm ci failed; see $out/npm-ci.log" >&2; tail -20 "$out/npm-ci.log" >&2; exit 1; }
    (cd "$scratch/fastify_peer" && node -e "require('better-sqlite3'); require('bcrypt')") ||
        { echo "the fastify peer's native modules do not load (see $out/npm-ci.log)" >&2; exit 1; }
fi

# ---- wardend ----
if want wardend || want wardend_1t; then
    if [ -z "${WARDEND:-}" ]; then
        echo "== building wardend (cmake --preset release; cmake --build --preset release --target wardend)"
        (cd "$root" && cmake --preset release >"$out/cmake.log" 2>&1 &&
            cmake --build --preset release --target wardend >>"$out/cmake.log" 2>&1) ||
            { echo "the wardend build failed; see $out/cmake.log" >&2; tail -20 "$out/cmake.log" >&2; exit 1; }
        WARDEND=$root/build/release/src/app/wardend
    fi
    [ -x "$WARDEND" ] || { echo "WARDEND=$WARDEND is not an executable" >&2; exit 2; }
    WARDEND=$(cd "$(dirname "$WARDEND")" && pwd)/$(basename "$WARDEND")
fi

# ---- helpers ----
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hz=$(getconf CLK_TCK)
tree_pids() { local c; echo "$1"; for c in $(pgrep -P "$1" || true); do tree_pids "$c"; done; }
server_ticks() { # utime+stime of the server and its live descendants (uvicorn, cluster workers)
    local t=0 p v
    for p in $(tree_pids "$server_pid"); do
        v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13}') || v=0
        t=$((t + ${v:-0}))
    done
    echo "$t"
}
TIMEFORMAT='%U %S'  # bash's time: wrk's own user and system CPU
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }  # whole machine, all but idle/iowait

start_server() { # name port command... (the command execs the server, so $! is its PID)
    local name=$1 port=$2
    shift 2
    server_name=$name
    "$@" >"$out/server-$name.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 300); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && return 0
        kill -0 "$server_pid" 2>/dev/null || { echo "$name died at start; its log:" >&2; cat "$out/server-$name.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "$name did not answer on port $port in 30 s" >&2
    exit 1
}

email=bench@example.com
password=benchpass
form="username=bench%40example.com&password=$password"
get_token() { # port
    local code body
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/api/auth/register" \
        -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}")
    [ "$code" = 201 ] || { echo "register on $server_name: HTTP $code" >&2; exit 1; }
    body=$(curl -s -X POST "http://127.0.0.1:$1/api/auth/login" -d "$form")
    $PY -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$body" ||
        { echo "login on $server_name: $body" >&2; exit 1; }
}

# wait_quiet: the machine is shared; before a measured run wait up to QUIET_MAX s (default 30) for the
# rest of the machine to use under QUIET_CORES (default 0.5) cores over one second. Runs measured
# anyway show it in the "other CPU" column.
wait_quiet() {
    local waited=0 a b busy
    while [ "$waited" -lt "${QUIET_MAX:-30}" ]; do
        a=$(busy_ticks); sleep 1; b=$(busy_ticks)
        busy=$(awk -v a="$a" -v b="$b" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
        awk -v x="$busy" -v q="${QUIET_CORES:-0.5}" 'BEGIN { exit !(x < q) }' && return 0
        waited=$((waited + 1))
    done
    echo "   (the rest of the machine used $busy cores for ${QUIET_MAX:-30} s; measuring anyway)"
}

# measure ROUND CONFIG WORKLOAD URL wrk-args... ; env WRK_TOKEN / WRK_FORM pick the request.
# Appends one line to runs.tsv: the WRKRESULT fields plus server_cpu_s, server_cores, wrk_cores,
# other_cores (CPU of everything else on the machine during the run: the noise flag), load1.
measure() {
    local round=$1 config=$2 workload=$3 url=$4 f t0 t1 s0 s1 w0 w1 wt line cpu
    shift 4
    f=$out/wrk-$config-$workload-$round.txt
    [ "${skip_quiet:-0}" = 1 ] || wait_quiet
    t0=$(server_ticks); s0=$(busy_ticks); w0=$(date +%s.%N)
    { time wrk -t1 "$@" --latency -s "$lua" "$url" >"$f" 2>&1; } 2>"$out/.wrktime" || true
    t1=$(server_ticks); s1=$(busy_ticks); w1=$(date +%s.%N)
    kill -0 "$server_pid" 2>/dev/null || { echo "$config DIED during $workload; its log:" >&2; tail -30 "$out/server-$config.log" >&2; exit 1; }
    wt=$(awk '{print $1+$2}' "$out/.wrktime")
    cpu=$(awk -v a="$t0" -v b="$t1" -v s0="$s0" -v s1="$s1" -v w0="$w0" -v w1="$w1" -v wk="$wt" -v hz="$hz" \
        'BEGIN { w = w1 - w0; srv = (b - a) / hz;
                 printf "server_cpu_s=%.3f server_cores=%.2f wrk_cores=%.2f other_cores=%.2f", srv, srv / w, wk / w, ((s1 - s0) / hz - srv - wk) / w }')
    line=$(grep '^WRKRESULT' "$f" || echo "WRKRESULT rps=0 p50_ms=0 p99_ms=0 requests=0 non2xx=0 sock_errors=-1 timeouts=0")
    printf '%s\t%s\t%s\t%s %s load1=%s\n' "$round" "$config" "$workload" "${line#WRKRESULT }" "$cpu" \
        "$(cut -d' ' -f1 /proc/loadavg)" >>"$runs"
    printf '   %-7s %s %s\n' "$workload" "${line#WRKRESULT }" "$cpu"
}

run_config() { # round config
    local round=$1 config=$2 port token me_url login_url code
    port=$(free_port)
    me_url=http://127.0.0.1:$port/api/users/me
    login_url=http://127.0.0.1:$port/api/auth/login
    local db=$scratch/db-$config-$round
    rm -rf "$db"
    mkdir -m 700 "$db"
    case $config in
    beast) start_server "$config" "$port" "$scratch/beast_hello/beast_hello" "$port" "$(nproc)"; me_url=http://127.0.0.1:$port/ ;;
    wardend) start_server "$config" "$port" "$WARDEND" --listen "127.0.0.1:$port" --data-dir "$db" \
        --password-scheme bcrypt --bcrypt-rounds 12 --login-max-failures 1000000000 --log-level "$log_level" ;;
    wardend_1t) start_server "$config" "$port" "$WARDEND" --listen "127.0.0.1:$port" --data-dir "$db" \
        --password-scheme bcrypt --bcrypt-rounds 12 --login-max-failures 1000000000 --log-level "$log_level" --threads 1 ;;
    fastify_1p | fastify_cluster2)
        local w=1
        [ "$config" = fastify_cluster2 ] && w=2
        start_server "$config" "$port" env DB_PATH="$db/fastify.db" BCRYPT_ROUNDS=12 "$scratch/fastify_peer/run.sh" "$port" "$w" ;;
    fastapi_1w) start_server "$config" "$port" env DATABASE_URL="sqlite:///$db/seed.db" "$scratch/fastapi_seed/run.sh" "$port" 1 ;;
    esac
    echo "== round $round: $config (pid $server_pid, port $port, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ "$config" = beast ]; then
        export WRK_TOKEN="" WRK_FORM=""
    else
        token=$(get_token "$port")
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$me_url")
        [ "$code" = 200 ] || { echo "$config: GET /api/users/me with the token answered $code" >&2; exit 1; }
        export WRK_TOKEN=$token WRK_FORM=""
    fi
    wrk -t1 -c"$conns" -d"$warmup" -s "$lua" "$me_url" >/dev/null 2>&1 || true
    measure "$round" "$config" me "$me_url" -c"$conns" -d"$duration"
    if [ "$config" != beast ] && [ "$config" != wardend_1t ]; then
        export WRK_TOKEN="" WRK_FORM=$form
        measure "$round" "$config" login "$login_url" -c"$login_conns" -d"$login_duration" --timeout 10s
    fi
    if [ "$config" = wardend ]; then
        # one login at a time: one hash's time (p50) for the floor cores / hash time
        measure "$round" "$config" login1 "$login_url" -c1 -d"$login_duration" --timeout 10s
        # /me while logins keep the hash pool busy (SPEC: p99 under 10 ms)
        wait_quiet
        WRK_TOKEN="" WRK_FORM=$form wrk -t1 -c"$login_conns" -d"$(( ${duration%s} + 3 ))s" --timeout 10s -s "$lua" "$login_url" >/dev/null 2>&1 &
        bg_pid=$!
        sleep 1.5
        export WRK_TOKEN=$token WRK_FORM=""
        skip_quiet=1 measure "$round" "$config" me_under_login "$me_url" -c"$conns" -d"$duration"
        wait "$bg_pid" || true
        bg_pid=""
    fi
    unset WRK_TOKEN WRK_FORM
    stop_server
}

# ---- the run ----
wardend_desc="-"
if [ -n "${WARDEND:-}" ]; then
    src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$(dirname "$WARDEND")/../../CMakeCache.txt" 2>/dev/null || true)
    wardend_desc="$WARDEND (built $(date -ud @"$(stat -c %Y "$WARDEND")" '+%F %H:%M UTC')$( [ -n "$src" ] && echo ", source $src"))"
fi
started=$(date -u '+%F %H:%M UTC')
{
    echo "date=$started"
    echo "machine=$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "wardend=$wardend_desc"
    echo "wardend_flags=--password-scheme bcrypt --bcrypt-rounds 12 --login-max-failures 1000000000 --log-level $log_level"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    echo "me=wrk -t1 -c$conns -d$duration --latency (warm-up $warmup)"
    echo "login=wrk -t1 -c$login_conns -d$login_duration --timeout 10s --latency"
    echo "repeats=$repeats"
    echo "command=bench/side_by_side/run.sh $args_given"
} >"$out/meta.txt"
sed 's/^/# /' "$out/meta.txt"
read -ra order <<<"$configs"
for round in $(seq "$repeats"); do
    list=("${order[@]}")
    if [ $((round % 2)) -eq 0 ]; then
        list=()
        for ((i = ${#order[@]} - 1; i >= 0; i--)); do list+=("${order[$i]}"); done
    fi
    for config in "${list[@]}"; do run_config "$round" "$config"; done
done
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/meta.txt"
rm -f "$out/.wrktime"

echo
$PY "$here/report.py" "$out" "$plotter"
if [ -n "$chart" ] && [ -f "$out/side_by_side.png" ]; then cp "$out/side_by_side.png" "$chart"; echo "chart copied to $chart"; fi
echo "results: $out (runs.tsv, results.json, table.md, side_by_side.png, wrk and server logs)"
