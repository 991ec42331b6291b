// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Benchmark peer: libjwt 1.10.2 (Debian libjwt-dev, C, OpenSSL 3 backend, jansson JSON).
//
// Algorithms: RS256, ES256 and HS256. libjwt 1.10 has no PS256 and no EdDSA (its jwt_alg_t
// ends at ES512), so for "PS256" and "EdDSA" supported() is false and validate() refuses.
//
// How it is used. libjwt 1.10's only verification entry point is
// jwt_decode(&jwt, token, key, key_len): there is no key object, no verifier object and no
// claim validation (jwt_valid_* and jwt_checker_* arrived in 1.12 and 3.x). So the
// constructor can prepare only the jwt_alg_t and the key bytes; validate() then does, per call:
//   - copies the token into a NUL-terminated buffer (the API takes a C string; the buffer is
//     thread-local, so no allocation of ours in the steady state);
//   - jwt_decode(), which strdup()s the token, base64-decodes and jansson-parses the header
//     (alg; typ must be absent or "JWT") and the payload, malloc()s a copy of the key, and
//     verifies the signature with the alg the *header* names:
//       RS256/ES256: re-reads the PEM key on every call (BIO + PEM_read_bio_PUBKEY, because
//         the API takes the key as bytes), converts ES256 R||S to DER, EVP_DigestVerify*;
//       HS256: one-shot HMAC, base64url-encodes it and compares with the signature text;
//   - jwt_get_alg() must equal the configured alg: libjwt trusts the header's alg, so without
//     this check an HS256 token MACed with the public PEM would pass (alg confusion);
//   - claims via the getters: exp must be a JSON integer > now_seconds (jwt_get_grant_int;
//     libjwt never looks at exp itself, so now_seconds is honoured exactly, no leeway), iss must
//     be a string equal to `issuer` (jwt_get_grant), aud must be a string equal to `audience`
//     (jwt_get_grant) or an array of strings containing it (jwt_get_grants_json, which
//     serializes the array, then a small parser here, since jansson's headers are not
//     installed); nbf, iat and typ semantics beyond libjwt's own check are not evaluated.
//   - jwt_free().
// Note: a token whose header has typ "at+jwt" (RFC 9068, stepup's default) is rejected by
// jwt_decode itself, so benchmark tokens for this peer must carry typ "JWT" or none.
// Thread-safe: validate() is const and touches only thread-local state.

#ifndef STEPUP_BENCH_PEER_LIBJWT_H_
#define STEPUP_BENCH_PEER_LIBJWT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace stepup::bench {

// Validates tokens the fastest way libjwt 1.10's API allows: whatever can be prepared once is
// prepared in the constructor; validate() does per call what the library needs per token.
class LibjwtPeer {
 public:
  // alg: "RS256", "PS256", "ES256", "EdDSA" or "HS256". key: the PEM SubjectPublicKeyInfo
  // public key for asymmetric algorithms, or the raw HMAC secret bytes for HS256.
  LibjwtPeer(std::string alg, std::string key, std::string issuer, std::string audience);

  // False if libjwt 1.10 cannot verify this alg at all (PS256, EdDSA, anything unknown).
  bool supported() const { return supported_; }

  // True only if the signature verifies with the configured alg and key, iss equals issuer,
  // aud contains audience, and exp > now_seconds.
  bool validate(std::string_view token, int64_t now_seconds) const;

 private:
  int alg_ = 0;  // A jwt_alg_t; int keeps jwt.h out of this header.
  bool supported_ = false;
  std::string key_;
  std::string issuer_;
  std::string audience_;
};

}  // namespace stepup::bench

#endif  // STEPUP_BENCH_PEER_LIBJWT_H_
