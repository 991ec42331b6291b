// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_KEY_SET_H_
#define STEPUP_KEY_SET_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "stepup/algorithm.h"
#include "stepup/export.h"

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

  // Parses a JWK Set (RFC 7517 §5). Refused with a message naming the key by
  // index: unknown `kty` or `crv`, missing or malformed members, RSA keys under
  // 2048 bits, EC points not on their curve, HMAC secrets shorter than their
  // hash, `use` other than "sig", `key_ops` without "verify", private key
  // members, an `alg` the key type cannot perform, duplicate JSON members.
  static absl::StatusOr<KeySet> from_jwks(std::string_view jwks_json);

  // Parses one JWK (RFC 7517 §4) as a set of one key.
  static absl::StatusOr<KeySet> from_jwk(std::string_view jwk_json);

  // Parses one PEM `PUBLIC KEY` (SubjectPublicKeyInfo): RSA, EC P-256/384/521
  // or Ed25519.
  static absl::StatusOr<KeySet> from_pem(std::string_view pem, const PemKeyOptions& options);

  // The union of two sets (this set's keys first).
  KeySet merged_with(const KeySet& other) const;

  std::size_t size() const;
  std::vector<KeyInfo> describe() const;

 private:
  friend struct token_internal::KeySetAccess;  // The library's own verifier.
  explicit KeySet(std::shared_ptr<const token_internal::KeySetData> data);
  std::shared_ptr<const token_internal::KeySetData> data_;
};

}  // namespace stepup

#endif  // STEPUP_KEY_SET_H_
