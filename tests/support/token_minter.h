// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_SUPPORT_TOKEN_MINTER_H_
#define STEPUP_TESTS_SUPPORT_TOKEN_MINTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "stepup/algorithm.h"
#include "stepup/signing_key.h"

namespace stepup::testing {

// A signing key generated at test time (none is committed), with the public
// half in the forms the library loads: the library's SigningKey, with the
// shortcuts and forgeries tests need. Test-only code; failures throw.
class TestKey {
 public:
  // A fresh key for `algorithm`: RSA 2048, EC on the algorithm's curve,
  // Ed25519, or a random HMAC secret of the hash size.
  static TestKey generate(Algorithm algorithm, std::string kid = "");

  // An HMAC key with a chosen secret (for forgeries such as an RSA public
  // key used as a MAC secret).
  static TestKey hmac_with_secret(Algorithm algorithm, std::string secret, std::string kid = "");

  // One key per algorithm per process, generated on first use, with kid
  // "<alg>-key" such as "RS256-key". The six RSA algorithms share one key
  // pair, since RSA key generation is slow.
  static const TestKey& shared(Algorithm algorithm);

  Algorithm algorithm() const { return key_.algorithm(); }
  const std::string& kid() const { return key_.kid(); }

  // The public JWK as JSON, with "kid" and "alg" unless told otherwise.
  std::string public_jwk(bool with_kid = true, bool with_alg = true) const;
  // {"keys": [public_jwk()]}.
  std::string jwks() const;
  // The public key as PEM SubjectPublicKeyInfo (asymmetric keys only).
  std::string public_pem() const;
  // The HMAC secret (HS* only; read back from the key's JWK).
  std::string secret() const;

  // The raw JWS signature of `signing_input` (R||S for ECDSA).
  std::string sign(std::string_view signing_input) const;
  // The signature of `signing_input` under another algorithm of the same key
  // type, such as PS256 with an RS256 key.
  std::string sign_as(Algorithm algorithm, std::string_view signing_input) const;
  // DER-encoded ECDSA signature (for the "DER is refused" test).
  std::string sign_der(std::string_view signing_input) const;

  // base64url(header).base64url(payload).base64url(signature).
  std::string mint(std::string_view header_json, std::string_view payload_json) const;

  const SigningKey& signing_key() const { return key_; }

 private:
  explicit TestKey(SigningKey key) : key_(std::move(key)) {}
  SigningKey key_;
};

std::string base64url(std::string_view bytes);

// Joins already-encoded parts with raw signature bytes.
std::string compact(std::string_view header_json, std::string_view payload_json,
                    std::string_view signature_bytes);

}  // namespace stepup::testing

#endif  // STEPUP_TESTS_SUPPORT_TOKEN_MINTER_H_
