// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DPOP_PROOF_H_
#define STEPUP_LIB_DPOP_PROOF_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "stepup/request.h"
#include "stepup/token_error.h"
#include "token/algorithm_traits.h"

namespace stepup::dpop {

// What a proof is checked against.
struct ProofCheck {
  // The acceptable `alg` values (asymmetric ones only count).
  token_internal::AlgorithmMask algorithms = 0;
  std::string_view method;
  // The request's URI, such as "https://api.example.com/payments/7?x=1".
  std::string_view uri;
  // The access token that came with the proof; empty: none (no `ath`).
  std::string_view access_token;
  // The thumbprint the token is bound to (`cnf.jkt`); empty: not checked.
  std::string_view bound_thumbprint;
  int64_t now = 0;
  // `iat` may be at most this old, and this far ahead (RFC 9449 §11.1).
  int64_t max_age_seconds = 300;
  int64_t max_future_seconds = 60;
  std::size_t max_proof_bytes = 8192;
};

// A proof that passed every check but the replay check.
struct VerifiedProof {
  std::string thumbprint;  // RFC 7638, of the proof's key.
  std::string jti;
  int64_t iat = 0;
  // Until when a replay cache must remember it: iat + max_age_seconds.
  int64_t remember_until = 0;
};

// The request's single DPoP header: kOk and the value, kDpopProofMissing or
// kDpopProofMultiple.
TokenError find_proof(std::span<const Header> headers, std::string_view& proof);

// RFC 9449 §4.3 checks 2 to 9, 11 and 12 (the nonce check 10 is not done:
// stepup issues no nonces). Replay is the caller's (ReplayCache), after
// this succeeds, so that refused proofs never fill the cache.
TokenError verify_proof(std::string_view proof, const ProofCheck& check, VerifiedProof& out);

// base64url(SHA-256(access_token)), the `ath` a proof must carry.
std::string access_token_hash(std::string_view access_token);

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_PROOF_H_
