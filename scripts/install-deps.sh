#!/usr/bin/env bash
# Installs, from Debian's packages, whatever stepup needs that is missing.
# Usage: scripts/install-deps.sh [--fuzz]   (--fuzz adds clang and libFuzzer)
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libssl-dev libsimdjson-dev libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  # Key sets fetched from identity providers (lib/keysource).
  libcurl4-openssl-dev
  # The interoperability tests mint tokens with an independent implementation.
  python3 python3-jwt python3-cryptography
  # The decision service (tools/gateway: Boost.Beast), its tests (cpp-httplib
  # as an independent client) and its integration tests.
  libboost-dev libcpp-httplib-dev nginx-core wrk curl
  # The nginx module (tools/nginx) is built against Debian's nginx headers.
  nginx-dev
  # The metrics tests parse /metrics with an independent parser.
  python3-prometheus-client
  # The peers stepup_bench compares with (bench/).
  libjwt-dev libcpp-jwt-dev
)
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Packages such as nginx-core must not start system services: the tests run
# their own instances on loopback ports.
export RUNLEVEL=1
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
