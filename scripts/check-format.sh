#!/usr/bin/env bash
# Fails when a C++ file of the tree differs from what clang-format (Debian's, 14) makes of it
# under .clang-format. Fix with: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run -Werror
echo "format: $(git ls-files '*.cpp' '*.hpp' | wc -l) files as clang-format writes them"
