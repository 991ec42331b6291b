// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_KEY_SET_H_
#define STEPUP_KEY_SET_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/algorithm.h"
#include "stepup/export.h"
#include "stepup/status.h"

namespace stepup {

namespace token_internal {
struct KeySetData;
struct KeySetAccess;
}  // namespace token_internal

// The type of a verification key (RFC 7517 §4.1 `kty`, with the curve folded
// in where it decides the algorithm).
enum class KeyType {
  kRsa,      // RSA public key of 2048 to 16384 bits: RS* and PS*.
  kEcP256,   // EC public key on P-256: ES256 only.
  kEcP384,   // EC public key on P-384: ES384 only.
  kEcP521,   // EC public key on P-521: ES512 only.
  kEd25519,  // OKP Ed25519 public key: EdDSA only.
  kOctet,    // Symmetric secret: HS256/384/512, each needing at least its hash size.
};

// What one loaded key is: for operators and tests.
struct KeyInfo {
  std::string kid;                 // Empty when the key has no `kid`.
  KeyType type;                    // The key's own type.
  std::vector<Algorithm> allowed;  // The algorithms this key may verify.
};

// A key of a JWK Set that was left out, and why.
struct SkippedKey {
  std::size_t index = 0;  // Its place in the set's "keys" list.
  std::string kid = {};   // Empty when it has no string `kid`.
  // Such as `"use" is "enc", not "sig"` or `RSA key of 1024 bits (at least
  // 2048)`. Never quotes key material.
  std::string reason = {};
};

// Options for a PEM public key, which carries no `kid` or `alg` of its own.
struct PemKeyOptions {
  // The key id tokens name in their `kid` header. Default: none, so only
  // tokens without `kid` can select this key.
  std::string kid = {};
  // Bind the key to one algorithm. Default: every algorithm of its type.
  std::optional<Algorithm> algorithm = {};
};

// An immutable set of verification keys, each parsed once into a ready
// OpenSSL key and bound to its (kid, alg, kty): the key's own type picks the
// verify routine, so a token can never make an RSA key act as an HMAC secret.
// Copying shares the parsed keys. A `KeySet` is safe for concurrent use from
// many threads without external synchronization.
class STEPUP_EXPORT KeySet {
 public:
  // An empty set: every token fails with kKeyNotFound.
  KeySet();

  // Parses a JWK Set (RFC 7517 §5) as identity providers publish them: a key
  // stepup cannot or must not verify with is skipped, and skipped() says
  // why. Skipped: unknown `kty` or `crv` (X25519, ...), `use` other than
  // "sig", `key_ops` without "verify", an `alg` that is not a JWS signature
  // algorithm stepup verifies (RSA-OAEP, ...) or that the key cannot
  // perform, missing or malformed members (an `x5c`-only entry), RSA keys
  // under 2048 bits, EC and Ed25519 points not on their curve, HMAC secrets
  // shorter than their hash. Refused, naming the key by index: any key with
  // private members (`d`, `p`, ...: the set leaks secrets), a set with no
  // usable key (listing why each was skipped), duplicate JSON members, no
  // "keys" list.
  static absl::StatusOr<KeySet> from_jwks(std::string_view jwks_json);

  // Parses one JWK (RFC 7517 §4) as a set of one key; any problem of the
  // key refuses it.
  static absl::StatusOr<KeySet> from_jwk(std::string_view jwk_json);

  // Parses one PEM `PUBLIC KEY` (SubjectPublicKeyInfo): RSA, EC P-256/384/521
  // or Ed25519.
  static absl::StatusOr<KeySet> from_pem(std::string_view pem, const PemKeyOptions& options);

  // The union of two sets (this set's keys first).
  KeySet merged_with(const KeySet& other) const;

  // The usable keys.
  std::size_t size() const;
  std::vector<KeyInfo> describe() const;
  // The keys from_jwks() left out, in set order (from merged sets: this
  // set's first).
  const std::vector<SkippedKey>& skipped() const;

 private:
  friend struct token_internal::KeySetAccess;  // The library's own verifier.
  explicit KeySet(std::shared_ptr<const token_internal::KeySetData> data);
  std::shared_ptr<const token_internal::KeySetData> data_;
};

}  // namespace stepup

#endif  // STEPUP_KEY_SET_H_
