#!/usr/bin/env bash
# Issue 10's guard cache against SPEC §6, in one run, on SQLite (the default store):
#   1. /me and login latency with 1,000,000 users in the store and 100,000 of them cached, against
#      a store of 1,000 users;
#   2. idle RSS of a fresh wardend, and RSS per cached user (after one /me for each of 100,000
#      users, minus the same warm-up's growth with --cache-size 0);
#   3. /me with the default cache against --cache-size 0 (req/s, p50, p99, server CPU per request).
# Prints the Markdown tables at the end.
#
# usage: bench/cache/run.sh [--quick]
#   --quick      100,000 users in the big store, 10,000 cached, 3 s runs, one round
# environment:
#   WARDEND=<binary>   the wardend to measure (default: build/cache-rel/src/app/wardend, configured
#                      with the release preset and built if missing)
#   ROUNDS=N           /me and login measurements repeated N times, every other round in reverse
#                      order (default 3; tables show medians, and each /me round's req/s)
#   DURATION=10s       each /me run (wrk -t1 -c64, after a 1 s warm-up)
#   LOGIN_DURATION=10s each login run (wrk -t1 -c8, --argon2 m=7168,t=1,p=1)
#   BIG=1000000 SMALL=1000 CACHED=100000   users in the stores, users whose tokens /me rotates over
#   RANDOM_SET=1       also /me over CACHED uniformly random users of the big store (0: skip)
#   HOT_SET=1          also /me over SMALL users of the big store, all cached: the big store with
#                      the small store's working set, to tell the store's size from the number of
#                      users in the rotation (0: skip)
#
# Each store is made once: wardend creates the schema and registers bench0@example.com (id 1),
# then python3's sqlite3 copies that row (same argon2 hash) as bench<id-1>@example.com up to the
# store's size, in one transaction. /me tokens are minted here, FastAPI style ({"sub", "exp"},
# HS256, the secret file's text as key). The CACHED users are drawn at random but as many in each
# of subject_cache's 16 shards (id mod 16), so the cache can hold all of them; the RANDOM_SET row
# shows what a uniform sample does. wrk runs on this machine too: the client shares the cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/cache
quick=0
[ "${1:-}" = --quick ] && quick=1
if [ $quick = 1 ]; then
    : "${BIG:=100000}" "${CACHED:=10000}" "${DURATION:=3s}" "${LOGIN_DURATION:=3s}" "${ROUNDS:=1}"
fi
big=${BIG:-1000000}
small=${SMALL:-1000}
cached=${CACHED:-100000}
duration=${DURATION:-10s}
login_duration=${LOGIN_DURATION:-10s}
rounds=${ROUNDS:-3}
random_set=${RANDOM_SET:-1}
hot_set=${HOT_SET:-1}
argon2=m=7168,t=1,p=1
password=benchpass
lua=$here/wrk_cache.lua
helper() { python3 "$here/cache_bench.py" "$@"; }

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ "$cached" -le "$big" ] || { echo "CACHED ($cached) is more than BIG ($big)" >&2; exit 2; }
wardend=${WARDEND:-$root/build/cache-rel/src/app/wardend}
if [ ! -x "$wardend" ]; then
    echo "no $wardend: building it (release preset in build/cache-rel)" >&2
    cmake --preset release -B "$root/build/cache-rel" >/dev/null
    cmake --build "$root/build/cache-rel" -j2 --target wardend
fi

scratch=$(mktemp -d /tmp/warden-cache-bench.XXXXXX)
declare -A pid_of=() port_of=()  # wardend by name
cleanup() {
    local status=$? name
    trap - EXIT INT TERM
    for name in "${!pid_of[@]}"; do kill "${pid_of[$name]}" 2>/dev/null || true; done
    for name in "${!pid_of[@]}"; do wait "${pid_of[$name]}" 2>/dev/null || true; done
    rm -rf "$scratch"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 -c 'import secrets; print(secrets.token_hex(32))' >"$scratch/secret.key"
chmod 600 "$scratch/secret.key"

wait_port() { # port pid
    for _ in $(seq 600); do
        (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
start_wardend() { # name store [wardend flags...]: a fresh process on the store's database
    local name=$1 store=$2 port
    shift 2
    port=$(helper ports 1)
    mkdir -m 700 "$scratch/$name"
    "$wardend" --listen "127.0.0.1:$port" --data-dir "$scratch/$name" \
        --database "sqlite:///$scratch/$store/warden.db" --secret-file "$scratch/secret.key" \
        --argon2 "$argon2" --login-max-failures 1000000000 --log-level warn "$@" \
        >"$scratch/$name.out" 2>"$scratch/$name.log" &
    pid_of[$name]=$!
    port_of[$name]=$port
    if ! wait_port "$port" "${pid_of[$name]}"; then
        echo "wardend $name did not start; its log:" >&2
        cat "$scratch/$name.log" >&2
        exit 1
    fi
}
stop_wardend() { # name
    local status=0
    kill -TERM "${pid_of[$1]}"
    wait "${pid_of[$1]}" || status=$?
    [ "$status" -eq 0 ] || echo "!! wardend $1 exited with status $status on SIGTERM" >&2
    unset "pid_of[$1]"
}
check_alive() { # name
    kill -0 "${pid_of[$1]}" 2>/dev/null && return 0
    echo "wardend $1 DIED; its log:" >&2
    tail -50 "$scratch/$1.log" >&2
    exit 1
}

make_store() { # store users
    local store=$1 users=$2 started
    started=$(date +%s)
    mkdir -m 700 "$scratch/$store"
    start_wardend "$store-setup" "$store"
    helper register "http://127.0.0.1:${port_of[$store-setup]}" bench0@example.com "$password" >/dev/null
    stop_wardend "$store-setup"
    helper fill "$scratch/$store/warden.db" "$users"
    echo "   $store: $users users, $(du -m "$scratch/$store/warden.db" | cut -f1) MB, $(($(date +%s) - started)) s"
}

results=$scratch/results.tsv
: >"$results"
rss_kib() { helper rss "${pid_of[$1]}"; }

# A fresh process: RSS once listening and idle, then after one /me per user of its token set.
fresh() { # name store config tokens [wardend flags...]
    local name=$1 store=$2 config=$3 tokens=$4 idle warm idle_anon warm_anon users status
    shift 4
    start_wardend "$name" "$store" "$@"
    # wardend hands freed memory back (malloc_trim) every 10 s at rest: sample both RSS figures
    # after one, so the growth is the cache's and not the allocator's timing
    sleep 12
    read -r idle idle_anon < <(rss_kib "$name")
    status=$(helper me "http://127.0.0.1:${port_of[$name]}" "$(head -1 "$tokens")")
    [ "$status" = 200 ] || { echo "a minted token is refused by $name: $status" >&2; exit 1; }
    users=$(wc -l <"$tokens")
    WRK_TOKENS=$tokens WRK_ONCE=1 wrk -t1 -c64 -d600s --timeout 10s -s "$lua" \
        "http://127.0.0.1:${port_of[$name]}/api/users/me" >"$scratch/$name.warm" 2>&1 || {
        echo "warm-up of $name failed:" >&2; cat "$scratch/$name.warm" >&2; exit 1; }
    grep -q '^RESULT' "$scratch/$name.warm" && {
        echo "warm-up of $name ran out of time (600 s)" >&2; exit 1; }
    sleep 11
    read -r warm warm_anon < <(rss_kib "$name")
    check_alive "$name"
    printf 'rss\t%s\t%s\t0\tidle_kib=%s\twarm_kib=%s\tidle_anon_kib=%s\twarm_anon_kib=%s\tusers=%s\n' \
        "$store" "$config" "$idle" "$warm" "$idle_anon" "$warm_anon" "$users" >>"$results"
    printf '   %-16s RSS idle %6.1f MiB (anonymous %5.1f), after %s users %6.1f MiB (anonymous %5.1f)\n' \
        "$name" "$(bc <<<"scale=1; $idle/1024")" "$(bc <<<"scale=1; $idle_anon/1024")" "$users" \
        "$(bc <<<"scale=1; $warm/1024")" "$(bc <<<"scale=1; $warm_anon/1024")"
}

me_run() { # round name store config tokens
    local round=$1 name=$2 store=$3 config=$4 tokens=$5 url line cpu0 cpu1 requests
    url="http://127.0.0.1:${port_of[$name]}/api/users/me"
    WRK_TOKENS=$tokens wrk -t1 -c64 -d1s --timeout 10s -s "$lua" "$url" >/dev/null
    cpu0=$(helper cpu "${pid_of[$name]}")
    line=$(WRK_TOKENS=$tokens wrk -t1 -c64 -d"$duration" --timeout 10s --latency -s "$lua" "$url" |
        grep '^RESULT')
    cpu1=$(helper cpu "${pid_of[$name]}")
    check_alive "$name"
    requests=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
    local cpu_us
    cpu_us=$(bc <<<"scale=2; ($cpu1 - $cpu0) * 1000000 / $requests")
    printf 'me\t%s\t%s\t%s\t%s\tcpu_us=%s\n' "$store" "$config" "$round" \
        "$(sed 's/^RESULT //; s/ /\t/g' <<<"$line")" "$cpu_us" >>"$results"
    printf '   %-16s /me   %s cpu_us=%s\n' "$name" "${line#RESULT }" "$cpu_us"
}

login_run() { # round name store users
    local round=$1 name=$2 store=$3 users=$4 line
    line=$(WRK_USERS=$users WRK_PASSWORD=$password wrk -t1 -c8 -d"$login_duration" --timeout 10s \
        --latency -s "$lua" "http://127.0.0.1:${port_of[$name]}/api/auth/login" | grep '^RESULT')
    check_alive "$name"
    printf 'login\t%s\tcache\t%s\t%s\n' "$store" "$round" "$(sed 's/^RESULT //; s/ /\t/g' <<<"$line")" >>"$results"
    printf '   %-16s login %s\n' "$name" "${line#RESULT }"
}

started=$(date -u '+%F %H:%M UTC')
echo "== cache benchmark, $started; $(nproc) cores; uptime: $(uptime)"
echo "wardend $wardend (built $(date -ud @"$(stat -c %Y "$wardend")" '+%F %H:%M UTC'))," \
    "git $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src include || echo ' + uncommitted changes in src/include')"
echo "stores: $small and $big users (SQLite); /me over $cached users' tokens ($small in the small store);" \
    "wrk -t1 -c64 -d$duration per /me run, -c8 -d$login_duration per login run; $rounds round(s)"

echo "== stores"
make_store small "$small"
make_store big "$big"
helper tokens "$scratch/secret.key" "$(( cached < small ? cached : small ))" "$small" "$scratch/small.tokens"
helper tokens "$scratch/secret.key" "$cached" "$big" "$scratch/big.tokens" balanced
[ "$random_set" = 1 ] && helper tokens "$scratch/secret.key" "$cached" "$big" "$scratch/random.tokens" random
[ "$hot_set" = 1 ] && helper tokens "$scratch/secret.key" "$small" "$big" "$scratch/hot.tokens" balanced

echo "== fresh processes: RSS idle and after one /me per user"
fresh small-cache small cache "$scratch/small.tokens"
fresh small-nocache small nocache "$scratch/small.tokens" --cache-size 0
fresh big-cache big cache "$scratch/big.tokens"
fresh big-nocache big nocache "$scratch/big.tokens" --cache-size 0
[ "$random_set" = 1 ] && fresh big-random big random "$scratch/random.tokens"
[ "$hot_set" = 1 ] && fresh big-hot big hot "$scratch/hot.tokens"

echo "== /me and logins, $rounds round(s)"
runs=(small-cache small-nocache big-cache big-nocache)
[ "$random_set" = 1 ] && runs+=(big-random)
[ "$hot_set" = 1 ] && runs+=(big-hot)
for round in $(seq "$rounds"); do
    order=("${runs[@]}")
    if [ $((round % 2)) -eq 0 ]; then
        order=()
        for ((i = ${#runs[@]} - 1; i >= 0; i--)); do order+=("${runs[$i]}"); done
    fi
    echo "-- round $round ($(cut -d' ' -f1-3 /proc/loadavg))"
    for name in "${order[@]}"; do
        store=${name%%-*}
        config=${name#*-}
        tokens=$scratch/$store.tokens
        [ "$config" = random ] && tokens=$scratch/random.tokens
        [ "$config" = hot ] && tokens=$scratch/hot.tokens
        me_run "$round" "$name" "$store" "$config" "$tokens"
    done
    login_run "$round" small-cache small "$small"
    login_run "$round" big-cache big "$big"
done

echo "== done $(date -u '+%F %H:%M UTC'); uptime: $(uptime)"
echo
helper table "$results" "small=$small" "big=$big" "cached=$cached"
