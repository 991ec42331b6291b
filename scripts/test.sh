#!/usr/bin/env bash
# Builds stepup with the ci preset (warnings as errors) and runs every test.
# Usage: scripts/test.sh [preset]   (default: ci; also dev, asan, release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"

scripts/install-deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
