// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Benchmark peer: cpp-jwt 1.4 (Debian libcpp-jwt-dev, header-only C++; depends on
// nlohmann-json3-dev 3.11 for JSON and OpenSSL 3 libcrypto for the signatures).
//
// Algorithms: RS256, ES256 and HS256. cpp-jwt 1.4 has no PS256 and no EdDSA (its
// jwt::algorithm enum stops at ES512), so for "PS256" and "EdDSA" supported() is false and
// validate() refuses.
//
// How it is used. The API is jwt::decode(token, algorithms(...), ec, secret(key), issuer(...),
// verify(true)); it has no key or verifier object. The constructor prepares what the API lets
// callers keep: the algorithms_param (a one-element vector holding the configured alg, so a
// token naming another alg, "none" included, is refused), the secret_param (a view of the key)
// and the issuer_param. validate() calls the non-throwing jwt::decode overload, which per call:
//   - counts the dots, base64-decodes the header and nlohmann-parses it (alg; typ must be
//     absent or "JWT"), builds its set of header names, then the same for the payload;
//   - copies the key into a std::string (the secret param is a view; decode copies it) and
//     copies the issuer;
//   - checks the claims *before* the signature: alg in the list; exp, if present, against the
//     real clock (std::chrono::system_clock, leeway 0, not injectable); iss equals issuer; nbf,
//     if present, against the real clock;
//   - verifies the signature:
//       RS256/ES256: re-reads the PEM key on every call (BIO + PEM_read_bio_PUBKEY, because its
//         API takes the key as bytes), converts ES256 R||S to DER, EVP_DigestVerify*;
//       HS256: one-shot HMAC, base64url-encodes it and compares with the signature text.
// Then validate() itself checks, on the payload cpp-jwt already parsed:
//   - exp is present, a JSON integer and > now_seconds (cpp-jwt accepts tokens without exp and
//     compares with the real clock only; so benchmark tokens must have exp far in the future,
//     and an expired token is refused both by cpp-jwt's clock check and by this one);
//   - aud is a string equal to `audience` or an array containing it (cpp-jwt's aud(...) param
//     reads aud as a string only and refuses the array form of RFC 7519 §4.1.3).
// Note: a token whose header has typ "at+jwt" (RFC 9068, stepup's default) is rejected by
// jwt::decode itself, so benchmark tokens for this peer must carry typ "JWT" or none.
// Thread-safe: validate() is const and the shared state is immutable.

#ifndef STEPUP_BENCH_PEER_CPPJWT_H_
#define STEPUP_BENCH_PEER_CPPJWT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace stepup::bench {

// Validates tokens the fastest way cpp-jwt 1.4's API allows: whatever can be prepared once is
// prepared in the constructor; validate() does per call what the library needs per token.
class CppjwtPeer {
 public:
  // alg: "RS256", "PS256", "ES256", "EdDSA" or "HS256". key: the PEM SubjectPublicKeyInfo
  // public key for asymmetric algorithms, or the raw HMAC secret bytes for HS256.
  CppjwtPeer(std::string alg, std::string key, std::string issuer, std::string audience);

  // False if cpp-jwt 1.4 cannot verify this alg at all (PS256, EdDSA, anything unknown).
  bool supported() const { return impl_ != nullptr; }

  // True only if the signature verifies with the configured alg and key, iss equals issuer,
  // aud contains audience, and exp > now_seconds (and, inside cpp-jwt, exp is in the future by
  // the real clock and nbf, if present, is not).
  bool validate(std::string_view token, int64_t now_seconds) const;

 private:
  struct Impl;  // Holds cpp-jwt types, so that cpp-jwt's headers stay out of this one.
  std::shared_ptr<const Impl> impl_;  // Null when unsupported.
};

}  // namespace stepup::bench

#endif  // STEPUP_BENCH_PEER_CPPJWT_H_
