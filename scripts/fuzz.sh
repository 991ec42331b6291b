#!/usr/bin/env bash
# Builds the libFuzzer targets (the "fuzz" preset: clang, ASan, UBSan) and
# runs each for a while on a working copy of its seed corpus.
#
#   scripts/fuzz.sh [seconds-per-target] [target...]
#
# Targets: token, jwks, key_source, policy, condition, www_authenticate, decide, dpop_proof, sideband,
# authzen (default: all; sideband and authzen fuzz tools/gateway, which the
# preset builds); seconds default to 600. Each target fuzzes
# build/fuzz/corpus-work/<target>, seeded from tests/fuzz/corpus/<target>
# (the working corpus grows across runs; the repository corpus is never
# written). Crash, leak and timeout inputs are left in build/fuzz/ as
# <target>-crash-*, <target>-leak-*, <target>-timeout-*. Extra libFuzzer flags
# can be given in FUZZ_ARGS. Exits non-zero if any target fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-600}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "${seconds}" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds-per-target] [target...]" >&2
  exit 2
fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(token jwks key_source policy condition www_authenticate decide dpop_proof sideband authzen)
fi
for name in "${targets[@]}"; do
  if [[ ! -d "${root}/tests/fuzz/corpus/${name}" ]]; then
    echo "unknown fuzz target '${name}' (no tests/fuzz/corpus/${name})" >&2
    exit 2
  fi
done

build="${root}/build/fuzz"
cd "${root}"
cmake --preset fuzz
build_targets=()
for name in "${targets[@]}"; do build_targets+=("${name}_fuzzer"); done
cmake --build --preset fuzz --target "${build_targets[@]}"

max_len_for() {
  case "$1" in
    token) echo 16384 ;;
    # Structured input: every string it reads is capped well below this.
    decide) echo 4096 ;;
    *) echo 32768 ;;
  esac
}

declare -A status execs speed cov features corpus slowest
failed=0
for name in "${targets[@]}"; do
  fuzzer="${build}/tests/fuzz/${name}_fuzzer"
  work="${build}/corpus-work/${name}"
  log="${build}/${name}_fuzz.log"
  mkdir -p "${work}"
  # Seed (again) from the repository corpus; existing work files are kept.
  cp -n "${root}/tests/fuzz/corpus/${name}/"* "${work}/" 2>/dev/null || true

  echo "=== ${name}: fuzzing for ${seconds}s (log: ${log})"
  set +e
  # shellcheck disable=SC2086
  "${fuzzer}" -max_total_time="${seconds}" -timeout=30 \
    -dict="${root}/tests/fuzz/${name}.dict" -max_len="$(max_len_for "${name}")" \
    -artifact_prefix="${build}/${name}-" -print_final_stats=1 ${FUZZ_ARGS:-} \
    "${work}" > "${log}" 2>&1
  rc=$?
  set -e

  # Final stats (stat::number_of_executed_units etc.) and the last "cov:" line.
  execs[${name}]="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -n 1)"
  speed[${name}]="$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log}" | tail -n 1)"
  # The slowest single input: the worst time one call took.
  slowest[${name}]="$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "${log}" | tail -n 1)"
  last_cov="$(grep -E '^#[0-9]+.*cov: ' "${log}" | tail -n 1 || true)"
  cov[${name}]="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "${last_cov}")"
  features[${name}]="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "${last_cov}")"
  corpus[${name}]="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<< "${last_cov}")"
  if [[ ${rc} -eq 0 ]]; then
    status[${name}]="ok"
  else
    status[${name}]="FAILED (exit ${rc})"
    failed=1
    grep -E '^==[0-9]+==ERROR|fuzz invariant violated|^SUMMARY|Test unit written to' "${log}" >&2 || true
  fi
  echo "${name}: ${status[${name}]}, ${execs[${name}]:-?} executions" \
       "(${speed[${name}]:-?}/s), cov ${cov[${name}]:-?}, ft ${features[${name}]:-?}," \
       "corpus ${corpus[${name}]:-?}"
done

echo
echo "=== summary (${seconds}s per target)"
printf '%-16s %-20s %12s %9s %8s %8s %14s %10s\n' target status executions exec/s cov ft corpus \
  slowest/s
for name in "${targets[@]}"; do
  printf '%-16s %-20s %12s %9s %8s %8s %14s %10s\n' "${name}" "${status[${name}]}" \
    "${execs[${name}]:-?}" "${speed[${name}]:-?}" "${cov[${name}]:-?}" \
    "${features[${name}]:-?}" "${corpus[${name}]:-?}" "${slowest[${name}]:-?}"
done
if [[ ${failed} -ne 0 ]]; then
  echo "failing inputs:" >&2
  find "${build}" -maxdepth 1 -type f \( -name '*-crash-*' -o -name '*-leak-*' \
    -o -name '*-timeout-*' -o -name '*-oom-*' \) -print >&2
  exit 1
fi
