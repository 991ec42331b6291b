#!/usr/bin/env bash
# Builds the benchmarks (bench preset: Release) and runs them all, then
# checks the targets of bench/README.md. Run it on a quiet machine.
# Usage: scripts/bench.sh [extra stepup_bench flags]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset bench
cmake --build --preset bench --target stepup_bench
out="$(mktemp -d)"
build/bench/bench/stepup_bench --benchmark_repetitions=10 --benchmark_min_time=0.25 \
  --benchmark_enable_random_interleaving=true \
  --benchmark_out="$out/results.json" --benchmark_out_format=json "$@"
echo
python3 bench/ratios.py "$out/results.json"
