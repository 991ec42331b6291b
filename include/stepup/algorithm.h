// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_ALGORITHM_H_
#define STEPUP_ALGORITHM_H_

#include <optional>
#include <string_view>

#include "stepup/export.h"

namespace stepup {

// The JWS signature algorithms stepup verifies (RFC 7518 §3, RFC 8037 §3.1).
// `none` is deliberately absent: it can never be named, allowed or selected.
enum class Algorithm {
  kRS256,  // RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
  kRS384,  // RSASSA-PKCS1-v1_5 with SHA-384.
  kRS512,  // RSASSA-PKCS1-v1_5 with SHA-512.
  kPS256,  // RSASSA-PSS, SHA-256, MGF1 SHA-256, 32-byte salt (RFC 7518 §3.5).
  kPS384,  // RSASSA-PSS, SHA-384, MGF1 SHA-384, 48-byte salt.
  kPS512,  // RSASSA-PSS, SHA-512, MGF1 SHA-512, 64-byte salt.
  kES256,  // ECDSA P-256 with SHA-256, raw R||S of 64 bytes (RFC 7518 §3.4).
  kES384,  // ECDSA P-384 with SHA-384, raw R||S of 96 bytes.
  kES512,  // ECDSA P-521 with SHA-512, raw R||S of 132 bytes.
  kEdDSA,  // Ed25519 (RFC 8037 §3.1).
  kHS256,  // HMAC SHA-256 (RFC 7518 §3.2).
  kHS384,  // HMAC SHA-384.
  kHS512,  // HMAC SHA-512.
};

inline constexpr int kAlgorithmCount = 13;

// The registered JOSE name, such as "RS256".
STEPUP_EXPORT std::string_view algorithm_name(Algorithm algorithm);

// The algorithm with that exact (case-sensitive) JOSE name; nullopt for any
// other name, including "none".
STEPUP_EXPORT std::optional<Algorithm> algorithm_from_name(std::string_view name);

}  // namespace stepup

#endif  // STEPUP_ALGORITHM_H_
