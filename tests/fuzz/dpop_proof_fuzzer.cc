// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzz target for DPoP proofs (RFC 9449 §4.3): dpop::verify_proof on the
// input as a proof for RFC 9449 §7.1's request, and htu normalization on the
// input as a URI. The seed corpus (corpus/dpop_proof/) holds the RFC's
// example proofs, so mutations start at a valid signature.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dpop/htu.h"
#include "dpop/proof.h"
#include "fuzz_check.h"
#include "token/algorithm_traits.h"

namespace {

using stepup::Algorithm;
using stepup::token_internal::algorithm_bit;

stepup::dpop::ProofCheck example_check() {
  stepup::dpop::ProofCheck check;
  for (Algorithm a : {Algorithm::kRS256, Algorithm::kRS384, Algorithm::kRS512, Algorithm::kPS256,
                      Algorithm::kPS384, Algorithm::kPS512, Algorithm::kES256, Algorithm::kES384,
                      Algorithm::kES512, Algorithm::kEdDSA, Algorithm::kHS256}) {
    check.algorithms |= algorithm_bit(a);
  }
  check.method = "GET";
  check.uri = "https://resource.example.org/protectedresource";
  check.access_token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
  check.now = 1562262618;
  return check;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const stepup::dpop::ProofCheck check = example_check();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  stepup::dpop::VerifiedProof proof;
  const stepup::TokenError error = stepup::dpop::verify_proof(input, check, proof);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  if (error == stepup::TokenError::kOk) {
    // Only a proof for this request, within its window, passes.
    FUZZ_CHECK(proof.thumbprint.size() == 43);
    FUZZ_CHECK(!proof.jti.empty());
    FUZZ_CHECK(proof.iat >= check.now - check.max_age_seconds &&
               proof.iat <= check.now + check.max_future_seconds);
  }
  // Normalizing is idempotent, and a URI always matches itself once valid.
  if (const std::optional<std::string> normalized = stepup::dpop::normalized_htu(input)) {
    FUZZ_CHECK(stepup::dpop::normalized_htu(*normalized) == normalized);
    FUZZ_CHECK(stepup::dpop::htu_matches(input, *normalized));
  }
  return 0;
}
