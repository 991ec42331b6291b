// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_SIGNING_KEY_H_
#define STEPUP_SIGNING_KEY_H_

#include <memory>
#include <string>
#include <string_view>

#include "stepup/algorithm.h"
#include "stepup/export.h"
#include "stepup/status.h"

namespace stepup {

namespace token_internal {
struct SigningKeyData;
}  // namespace token_internal

// A key that signs JWS compact tokens (RFC 7515) under one algorithm: for a
// service's tests, demos and clients that mint their own tokens. An engine
// never signs; `decide()` does not use this. Copying shares the key. Safe
// for concurrent use from many threads.
class STEPUP_EXPORT SigningKey {
 public:
  // A fresh key for `algorithm`: RSA 2048 for RS* and PS*, EC on the
  // algorithm's curve for ES*, Ed25519 for EdDSA, or a random secret of the
  // hash size for HS*. `kid` is put in minted headers and in the JWK.
  static absl::StatusOr<SigningKey> generate(Algorithm algorithm, std::string kid = "");

  // An HMAC key (HS* only) with a chosen secret of any length; the verifier
  // decides whether it is long enough.
  static absl::StatusOr<SigningKey> from_secret(Algorithm algorithm, std::string secret,
                                                std::string kid = "");

  // A private key from PEM (PKCS#8 `PRIVATE KEY` or a traditional form),
  // refused when its type or curve cannot perform `algorithm`.
  static absl::StatusOr<SigningKey> from_pem(Algorithm algorithm, std::string_view pem,
                                             std::string kid = "");

  // The same key material under another algorithm its type can perform (an
  // RS256 key as PS512, say) and another kid. Refused otherwise.
  absl::StatusOr<SigningKey> with_algorithm(Algorithm algorithm, std::string kid) const;

  Algorithm algorithm() const;
  const std::string& kid() const;

  // The JWK a verifier loads (RFC 7517 §4): the public half of an asymmetric
  // key; for HMAC, the shared secret itself (`kty` "oct"), so keep it as
  // secret as the key. With "kid" (when not empty) and "alg" unless told
  // otherwise.
  std::string verification_jwk(bool with_kid = true, bool with_alg = true) const;
  // {"keys":[verification_jwk()]}.
  std::string verification_jwks() const;
  // The public key as PEM SubjectPublicKeyInfo; empty for HMAC.
  std::string public_pem() const;
  // The private key as PKCS#8 PEM; for HMAC, empty. As secret as the key.
  std::string private_pem() const;

  // The JWS signature of `signing_input` in its wire form (R||S for ECDSA,
  // RFC 7518 §3.4), not yet base64url-encoded.
  absl::StatusOr<std::string> sign(std::string_view signing_input) const;

  // base64url(header).base64url(payload).base64url(signature), with the
  // header and payload taken as given (they are not checked to be JSON).
  absl::StatusOr<std::string> mint(std::string_view header_json,
                                   std::string_view payload_json) const;

  // A JWT of `claims_json` with the header {"alg":...,"typ":typ,"kid":...}
  // ("kid" only when not empty). `typ` must be a plain token such as
  // "at+jwt" (RFC 9068) or "dpop+jwt" (RFC 9449).
  absl::StatusOr<std::string> mint_jwt(std::string_view claims_json,
                                       std::string_view typ = "at+jwt") const;

 private:
  explicit SigningKey(std::shared_ptr<const token_internal::SigningKeyData> data);
  std::shared_ptr<const token_internal::SigningKeyData> data_;
};

}  // namespace stepup

#endif  // STEPUP_SIGNING_KEY_H_
