// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_VERIFICATION_KEY_H_
#define STEPUP_LIB_TOKEN_VERIFICATION_KEY_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "stepup/json_value.h"
#include "stepup/key_set.h"
#include "token/algorithm_traits.h"
#include "token/openssl_util.h"

namespace stepup::token_internal {

// A process-wide unique id for VerificationKey::id.
uint64_t next_verification_key_id();

// One parsed verification key, bound to its kid, its type and the algorithms
// it may verify. Immutable after loading; shared by key sets.
struct VerificationKey {
  VerificationKey() = default;
  VerificationKey(const VerificationKey&) = delete;
  VerificationKey& operator=(const VerificationKey&) = delete;
  VerificationKey(VerificationKey&&) = default;
  VerificationKey& operator=(VerificationKey&&) = default;
  ~VerificationKey();

  bool allows(Algorithm algorithm) const { return (allowed & algorithm_bit(algorithm)) != 0; }

  // Unique in the process (moves keep it), so per-thread caches of prepared
  // contexts can tell keys apart even when one is freed and another takes
  // its address.
  uint64_t id = next_verification_key_id();

  std::string kid;
  bool has_kid = false;
  KeyType type = KeyType::kRsa;
  AlgorithmMask allowed = 0;
  EvpPkeyPtr public_key;           // Asymmetric keys.
  std::string secret;              // kOctet keys; wiped on destruction.
  std::size_t signature_size = 0;  // Exact signature size, 0 for HMAC (per algorithm).
};

// The algorithms a key of this type may ever verify.
AlgorithmMask algorithms_for_type(KeyType type, std::size_t secret_size);

// Parses one JWK object (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2). Errors name
// the offending member but never the key material.
absl::StatusOr<VerificationKey> key_from_jwk(const JsonValue& jwk);

// The first private-key member of a JWK that is not a symmetric key (`d`,
// `p`, `q`, `dp`, `dq`, `qi`, `oth`), or empty.
std::string_view private_member_of(const JsonValue& jwk);

// Parses a PEM SubjectPublicKeyInfo.
absl::StatusOr<VerificationKey> key_from_pem(std::string_view pem, const PemKeyOptions& options);

// For raw test vectors (Wycheproof HMAC) that use secrets shorter than JWS
// allows: builds an HMAC key with no minimum length. Never used by loaders.
VerificationKey hmac_key_for_vectors(std::string_view secret, Algorithm algorithm);

}  // namespace stepup::token_internal

namespace stepup::token_internal {

struct KeySetData {
  std::vector<std::shared_ptr<const VerificationKey>> keys;
  std::vector<SkippedKey> skipped;
};

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_VERIFICATION_KEY_H_
