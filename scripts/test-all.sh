#!/usr/bin/env bash
# Installs the dependencies, checks the formatting, then builds and runs every test: the release,
# asan and tsan suites, a short libFuzzer run of every fuzz target, and a find_package(warden)
# consumer build. Each step prints its wall time; the whole must stay under 60 minutes on 2 cores
# (docs/benchmarks.md, "CI").
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step() { # step NAME COMMAND...: runs the command and prints how long it took
    local name=$1 t=$SECONDS
    shift
    "$@"
    echo "== $name: $((SECONDS - t)) s (total $((SECONDS - started)) s)"
}

step install-deps scripts/install-deps.sh
step format scripts/check-format.sh

step release cmake --workflow --preset release
step asan cmake --workflow --preset asan
step tsan cmake --workflow --preset tsan

# Fuzzers: ~60 s in all, spread over the targets.
cmake --preset fuzz >/dev/null
step fuzz-build cmake --build --preset fuzz
step fuzz-run scripts/run-fuzzers.sh build/fuzz 60

# The installed package works for a consumer project.
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build/release --prefix "$prefix" >/dev/null
cmake -S tests/cmake_consumer -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
step consumer cmake --build build/consumer
build/consumer/warden_consumer
echo "all tests passed in $((SECONDS - started)) s"
