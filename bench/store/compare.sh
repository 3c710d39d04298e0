#!/usr/bin/env bash
# Issue 9's store benchmark: GET /api/users/me and password logins on SQLite, on PostgreSQL without
# and with Redis, with one and with two wardend, all in one run, with the ratios against SQLite.
#
# usage: bench/store/compare.sh [BUILD_DIR] [DURATION] [CONNECTIONS]
#   BUILD_DIR    a release build (default build/release); if it has no src/app/wardend, it is
#                configured (-DCMAKE_BUILD_TYPE=Release, no tests/bench/examples) and only wardend built
#   DURATION     wrk duration of each measurement (default 8s; each is preceded by a 2 s warm-up)
#   CONNECTIONS  wrk connections in all, split over the processes (default 32); wrk -t2 always
# environment:
#   ROUNDS=N     repeat the whole set N times, every other round in reverse order (default 1);
#                the table shows medians
#   USERS=N      users the logins cycle over (default 16); ARGON2 (default m=7168,t=1,p=1)
#   PG_FSYNC=on|off  PostgreSQL durability (default on: fsync, synchronous_commit and
#                full_page_writes on, like SQLite's synchronous=FULL; the test cluster has them off)
#   CONFIGS="sqlite pg pg+redis pg-x2 pg+redis-x2"  the configurations to run (the first is the
#                base of the ratios; CONFIGS="" runs none, e.g. for the failover part alone)
#   WARDEND_FLAGS="..."  more wardend flags for every process (e.g. "--cache-size 0"; split on spaces)
#   FAILOVER=1   afterwards, on one wardend on PostgreSQL: /me while PostgreSQL is stopped for 6 s,
#                then FROZEN_CLIENTS (default 8) clients' /me while it is frozen (SIGSTOP) for
#                FROZEN_SECONDS (default 20) (0: skip both)
#
# Everything runs on loopback on this machine, wrk included: the client competes with wardend,
# PostgreSQL and Redis for the same cores. PostgreSQL and Redis are throwaway servers
# (tests/support/test_servers.py), stopped and deleted on exit, also on failure or Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
duration=${2:-8s}
connections=${3:-32}
rounds=${ROUNDS:-1}
users=${USERS:-16}
argon2=${ARGON2:-m=7168,t=1,p=1}
pg_fsync=${PG_FSYNC:-on}
configs=${CONFIGS-sqlite pg pg+redis pg-x2 pg+redis-x2}
failover=${FAILOVER:-1}
password=benchpass
here=$root/bench/store
lua=$here/wrk_store.lua
helper() { python3 "$here/store_bench.py" "$@"; }
servers() { python3 "$root/tests/support/test_servers.py" "$@"; }

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ $((connections % 2)) -eq 0 ] || { echo "CONNECTIONS must be even (wrk -t2)" >&2; exit 2; }
wardend=$build/src/app/wardend
if [ ! -x "$wardend" ]; then
    echo "no $wardend: configuring a release build there and building wardend only" >&2
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++ \
        -DWARDEN_BUILD_TESTS=OFF -DWARDEN_BUILD_BENCH=OFF -DWARDEN_BUILD_EXAMPLES=OFF >/dev/null
    cmake --build "$build" --target wardend
fi

scratch=$(mktemp -d /tmp/warden-store-bench.XXXXXX)
running=()  # "pid name" of the wardend started and not yet stopped
cleanup() {
    local status=$? entry
    trap - EXIT INT TERM
    for entry in "${running[@]}"; do kill "${entry%% *}" 2>/dev/null || true; done
    for entry in "${running[@]}"; do wait "${entry%% *}" 2>/dev/null || true; done
    [ -f "$scratch/frozen" ] && helper thaw "$scratch/pg" || true  # interrupted during the freeze
    [ -d "$scratch/pg" ] && servers stop "$scratch/pg" || true
    [ -d "$scratch/redis" ] && servers stop "$scratch/redis" || true
    rm -rf "$scratch"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 -c 'import secrets; print(secrets.token_hex(32))' >"$scratch/secret.key"
chmod 600 "$scratch/secret.key"

echo "== servers"
pg_url=$(servers start postgres "$scratch/pg" | tail -1)
[[ $pg_url == postgresql://* ]] || { echo "PostgreSQL did not start: $pg_url" >&2; exit 1; }
pg_settings=$(helper pg-durable "$scratch/pg" "$pg_fsync")
export PG_FSYNC=$pg_fsync  # the failover restarts the cluster the same way
redis_url=$(servers start redis "$scratch/redis" | tail -1)
[[ $redis_url == redis://* ]] || { echo "Redis did not start: $redis_url" >&2; exit 1; }
redis_base=${redis_url%/0}
pg_version=$(psql -X -tAc 'SHOW server_version' "$pg_url" 2>/dev/null || echo '?')
redis_version=$(redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')
echo "PostgreSQL $pg_version ($pg_settings; the data on the same disk as SQLite's)"
echo "Redis $redis_version (--save '' --appendonly no)"
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
echo "wardend $wardend (built $(date -ud @"$(stat -c %Y "$wardend")" '+%F %H:%M UTC') from ${source_dir:-?}" \
    "$(git -C "${source_dir:-/nonexistent}" rev-parse --short HEAD 2>/dev/null || true))"
echo "wrk -t2 -c$connections -d$duration --latency --timeout 10s (2 s warm-up each); --argon2 $argon2;" \
    "logins cycle over $users users; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

wait_port() { # port pid
    for _ in $(seq 300); do
        (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

start_wardend() { # name port [wardend flags...]
    local name=$1 port=$2
    shift 2
    mkdir -m 700 "$scratch/$name"
    "$wardend" --listen "127.0.0.1:$port" --data-dir "$scratch/$name" --secret-file "$scratch/secret.key" \
        --argon2 "$argon2" --login-max-failures 1000000000 --log-level warn ${WARDEND_FLAGS:-} "$@" \
        >"$scratch/$name.out" 2>"$scratch/$name.log" &
    local pid=$!
    running+=("$pid $name")
    if ! wait_port "$port" "$pid"; then
        echo "wardend $name did not start; its log:" >&2
        cat "$scratch/$name.log" >&2
        exit 1
    fi
}
check_alive() {
    local entry
    for entry in "${running[@]}"; do
        if ! kill -0 "${entry%% *}" 2>/dev/null; then
            echo "wardend ${entry#* } (pid ${entry%% *}) DIED during the run; its log:" >&2
            tail -50 "$scratch/${entry#* }.log" >&2
            exit 1
        fi
    done
}
stop_wardends() {
    local entry status
    for entry in "${running[@]}"; do kill -TERM "${entry%% *}" 2>/dev/null || true; done
    for entry in "${running[@]}"; do
        status=0
        wait "${entry%% *}" || status=$?
        [ "$status" -eq 0 ] || echo "!! wardend ${entry#* } exited with status $status on SIGTERM" >&2
        if [ -s "$scratch/${entry#* }.log" ]; then
            echo "!! wardend ${entry#* } logged $(wc -l <"$scratch/${entry#* }.log") lines at warn or above; the last ones:"
            tail -5 "$scratch/${entry#* }.log" | sed 's/^/   /'
        fi
    done
    running=()
}

results=$scratch/results.tsv
: >"$results"
measure() { # round config workload ports(comma) [env...]
    local round=$1 config=$2 workload=$3 ports=$4 path
    shift 4
    path=/api/users/me
    [ "$workload" = login ] && path=/api/auth/login
    local url="http://127.0.0.1:${ports%%,*}$path"
    env WRK_PORTS="$ports" "$@" wrk -t2 -c"$connections" -d2s --timeout 10s -s "$lua" "$url" >/dev/null
    local line
    line=$(env WRK_PORTS="$ports" "$@" wrk -t2 -c"$connections" -d"$duration" --timeout 10s --latency \
        -s "$lua" "$url" | grep '^RESULT')
    check_alive
    local label="GET /api/users/me"
    [ "$workload" = login ] && label="POST /api/auth/login"
    printf '%s\t%s\t%s\t%s\n' "$round" "$config" "$label" "$line" >>"$results"
    printf '   %-22s %s\n' "$label" "$line"
}

run=0
run_config() { # round config
    local round=$1 config=$2 db="" redis="" procs=1 name
    run=$((run + 1))
    case $config in
    sqlite) ;;
    pg | pg-x2 | pg+redis | pg+redis-x2) db=$(helper createdb "$pg_url" "bench_${run}") ;;
    *) echo "unknown configuration $config" >&2; exit 2 ;;
    esac
    case $config in pg+redis*) redis="$redis_base/$((run % 16))" ;; esac
    case $config in *-x2) procs=2 ;; esac
    local flags=()
    [ -n "$db" ] && flags+=(--database "$db")
    [ -n "$redis" ] && flags+=(--redis "$redis")
    local ports
    mapfile -t ports < <(helper ports "$procs")
    echo "== round $round: $config ($procs wardend)"
    for i in $(seq 0 $((procs - 1))); do
        name="r${round}-${config}-$i"
        start_wardend "$name" "${ports[$i]}" "${flags[@]}"
    done
    local token
    token=$(helper users "http://127.0.0.1:${ports[0]}" "$users" "$password")
    local list
    list=$(IFS=,; echo "${ports[*]}")
    measure "$round" "$config" me "$list" WRK_TOKEN="$token"
    measure "$round" "$config" login "$list" WRK_USERS="$users" WRK_PASSWORD="$password" WRK_STATUSES=1
    stop_wardends
}

started=$(date -u '+%F %H:%M UTC')
read -ra order <<<"$configs"
for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 0 ]; then
        list=()
        for ((i = ${#order[@]} - 1; i >= 0; i--)); do list+=("${order[$i]}"); done
    else
        list=("${order[@]}")
    fi
    for config in "${list[@]}"; do run_config "$round" "$config"; done
done

if [ -s "$results" ]; then
    echo
    echo "== results ($started to $(date -u '+%H:%M UTC'), load average now $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "configuration names: sqlite = one wardend on SQLite; pg = PostgreSQL; +redis = revocations and"
    echo "login counters in Redis; -x2 = two wardend on one database, wrk's two threads one on each."
    echo "errors = non-2xx (wrk counts status >= 400) + socket errors (connect, read, write, timeout)."
    helper table "$results"
fi

if [ "$failover" = 1 ]; then
    echo
    echo "== failover: one wardend on PostgreSQL, GET /api/users/me every 20 ms; PostgreSQL stopped (pg_ctl -m fast) for 6 s"
    run=$((run + 1))
    db=$(helper createdb "$pg_url" "bench_failover")
    mapfile -t ports < <(helper ports 1)
    start_wardend failover "${ports[0]}" --database "$db"
    token=$(helper users "http://127.0.0.1:${ports[0]}" 1 "$password")
    helper failover "$scratch/pg" "http://127.0.0.1:${ports[0]}" "$token"
    check_alive
    echo
    echo "== frozen: the same wardend, ${FROZEN_CLIENTS:-8} clients looping GET /api/users/me; every PostgreSQL process stopped (SIGSTOP) for ${FROZEN_SECONDS:-20} s"
    : >"$scratch/frozen"
    helper frozen "$scratch/pg" "http://127.0.0.1:${ports[0]}" "$token" "${FROZEN_CLIENTS:-8}" "${FROZEN_SECONDS:-20}"
    check_alive
    rm -f "$scratch/frozen"
    stop_wardends
fi
