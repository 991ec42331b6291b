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
#include "token/algorithm_traits.h"

namespace stepup::dpop {

// Why a DPoP proof was refused (RFC 9449 §4.3), or kOk.
enum class ProofError {
  kOk,
  kMissing,              // No DPoP header.
  kMultiple,             // More than one DPoP header (§4.3 check 1).
  kTooLarge,             // Longer than max_proof_bytes.
  kMalformed,            // Not one well-formed JWS with a JSON object header and payload.
  kTypInvalid,           // `typ` is not dpop+jwt (check 4).
  kAlgorithmNotAllowed,  // `none`, HMAC, unknown, or not on the allow-list (check 5).
  kKeyMissing,           // No `jwk` header, or not an object.
  kPrivateKey,           // `jwk` holds private key members (check 7).
  kKeyInvalid,           // `jwk` is not a usable public key for `alg`.
  kSignatureInvalid,     // The signature does not verify under `jwk` (check 6).
  kClaimMissing,         // No string `jti`, `htm`, `htu` or integer `iat` (check 3).
  kMethodMismatch,       // `htm` is not the request's method (check 8).
  kUriMismatch,          // `htu` is not the request's URI (check 9).
  kIatOutOfWindow,       // `iat` too old or too far ahead (check 11).
  kAthMissing,           // No `ath`, though an access token came with it (check 12).
  kAthMismatch,          // `ath` is not the hash of the access token (check 12).
  kKeyMismatch,          // The token's `cnf.jkt` is not the proof key's thumbprint (check 12).
  kReplayed,             // `jti` seen before within the window (§11.1).
  kReplayCacheFull,      // No room to remember the proof: refused (fail closed).
};

// The enumerator's name without the `k`, such as "UriMismatch".
std::string_view proof_error_name(ProofError error);
// A short English sentence naming the failed check, without request data.
std::string_view proof_error_description(ProofError error);

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

// The request's single DPoP header: kOk and the value, kMissing or kMultiple.
ProofError find_proof(std::span<const Header> headers, std::string_view& proof);

// RFC 9449 §4.3 checks 2 to 9, 11 and 12 (the nonce check 10 is not done:
// stepup issues no nonces). Replay is the caller's (ReplayCache), after
// this succeeds, so that refused proofs never fill the cache.
ProofError verify_proof(std::string_view proof, const ProofCheck& check, VerifiedProof& out);

// base64url(SHA-256(access_token)), the `ath` a proof must carry.
std::string access_token_hash(std::string_view access_token);

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_PROOF_H_
