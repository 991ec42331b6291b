#!/usr/bin/env bash
# The main job: build stepup and run `stepup demo`, the step-up story on an
# embedded policy (SPEC §2's example) with keys generated for the run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target stepup_command >/dev/null
build/release/tools/stepup/stepup demo
