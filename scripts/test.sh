#!/usr/bin/env bash
# Builds stepup with the ci preset (warnings as errors) and runs every test,
# then runs the concurrency tests under ThreadSanitizer.
# Usage: scripts/test.sh [preset]   (default: ci; also dev, asan, release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"

scripts/install-deps.sh
if [[ "$preset" == "ci" ]]; then
  cmake --preset tsan
  cmake --build --preset tsan
  ctest --preset tsan
fi
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
