#!/usr/bin/env bash
# Installs the dependencies, then builds and runs every test: the release and asan suites, a
# short libFuzzer run of every fuzz target, and a find_package(warden) consumer build.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

cmake --workflow --preset release
cmake --workflow --preset asan

# Fuzzers: ~60 s in all, spread over the targets.
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
scripts/run-fuzzers.sh build/fuzz 60

# The installed package works for a consumer project.
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build/release --prefix "$prefix" >/dev/null
cmake -S tests/cmake_consumer -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build build/consumer
build/consumer/warden_consumer
echo "all tests passed"
