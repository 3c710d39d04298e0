#!/usr/bin/env bash
# usage: run-fuzzers.sh BUILD_DIR TOTAL_SECONDS — runs each fuzz_* binary for its share of the time,
# starting from its committed corpus. Fails if any target finds a crash.
set -euo pipefail
build=${1:?build dir}
total=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t targets < <(find "$build/tests/fuzz" -type f -name 'fuzz_*' -perm -u+x | sort)
((${#targets[@]})) || { echo "no fuzz targets in $build" >&2; exit 1; }
share=$(( total / ${#targets[@]} ))
((share > 0)) || share=1
for t in "${targets[@]}"; do
    name=$(basename "$t")
    corpus=$(mktemp -d)
    seeds="$root/tests/fuzz/corpus/$name"
    [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
    echo "== $name for ${share}s"
    "$t" -max_total_time="$share" -print_final_stats=1 "$corpus" 2>&1 | tail -n 3
    rm -rf "$corpus"
done
