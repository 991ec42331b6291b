#!/usr/bin/env bash
# The main job, for now: build stepup and validate the demo tokens in
# examples/data with its token parser (at the demo's fixed clock).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target validate_token >/dev/null

data=examples/data
for name in valid expired forged wrong-audience alg-none; do
  printf '%-15s ' "$name:"
  build/release/examples/validate_token --jwks "$data/demo.jwks.json" \
    --issuer https://as.example.com --audience https://api.example.com \
    --now 1800000000 "$(cat "$data/$name.jwt")" || true
done
