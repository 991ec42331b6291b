#!/usr/bin/env bash
# The test command. With the default preset (ci) it runs what CI runs:
#   1. the concurrency tests under ThreadSanitizer (tsan preset);
#   2. the whole suite under AddressSanitizer and UBSan (asan preset);
#   3. libFuzzer: every target's corpus replayed and a short fuzzing run
#      each (fuzz preset, clang);
#   4. the whole suite with warnings as errors, benchmarks run once (ci).
# Usage: scripts/test.sh [preset]   (default: ci; or dev, asan, release, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"

if [[ "$preset" == "ci" ]]; then
  scripts/install-deps.sh --fuzz
  for stage in tsan asan fuzz; do
    cmake --preset "$stage"
    cmake --build --preset "$stage"
    ctest --preset "$stage"
  done
else
  scripts/install-deps.sh
fi
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
