// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzz target for the key loaders: KeySet::from_jwks, from_jwk and from_pem.
// Every key set that loads is checked for consistency and then used: a
// verifier built from it must be creatable and must refuse forged tokens.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "fuzz_check.h"
#include "stepup/algorithm.h"
#include "stepup/key_set.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "token/algorithm_traits.h"
#include "token/base64url.h"

namespace {

using stepup::Algorithm;
using stepup::KeyType;
using stepup::TokenError;

constexpr std::string_view kIssuer = "https://as.example.com";
constexpr std::string_view kAudience = "https://api.example.com";
constexpr int64_t kNow = 1767225600;

// True when a key of `type` may ever verify `algorithm`.
bool type_allows(KeyType type, Algorithm algorithm) {
  using stepup::token_internal::AlgorithmFamily;
  const AlgorithmFamily family = stepup::token_internal::algorithm_traits(algorithm).family;
  switch (type) {
    case KeyType::kRsa:
      return family == AlgorithmFamily::kRsaPkcs1 || family == AlgorithmFamily::kRsaPss;
    case KeyType::kEcP256:
      return algorithm == Algorithm::kES256;
    case KeyType::kEcP384:
      return algorithm == Algorithm::kES384;
    case KeyType::kEcP521:
      return algorithm == Algorithm::kES512;
    case KeyType::kEd25519:
      return algorithm == Algorithm::kEdDSA;
    case KeyType::kOctet:
      return family == AlgorithmFamily::kHmac;
  }
  return false;
}

// The signature size a token of `algorithm` would carry with a typical key.
std::size_t forged_signature_size(Algorithm algorithm) {
  using stepup::token_internal::AlgorithmFamily;
  const auto traits = stepup::token_internal::algorithm_traits(algorithm);
  switch (traits.family) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      return 256;
    case AlgorithmFamily::kEcdsa:
      return 2 * traits.ec_scalar_size;
    case AlgorithmFamily::kEdDsa:
      return 64;
    case AlgorithmFamily::kHmac:
      return traits.hash_size;
  }
  return 0;
}

// Tokens for `algorithm` without `kid` whose signatures need no private key:
// a constant byte string, and for EdDSA the identity point R with S = 0, which
// verifies under a small-order public key for every message (so such keys,
// like EC points off their curve, must never load).
std::vector<std::string> forged_tokens(Algorithm algorithm) {
  using stepup::token_internal::encode_base64url;
  const std::string header =
      R"({"alg":")" + std::string(stepup::algorithm_name(algorithm)) + R"(","typ":"at+jwt"})";
  const std::string payload = R"({"iss":")" + std::string(kIssuer) + R"(","aud":")" +
                              std::string(kAudience) + R"(","exp":4102444800,"sub":"fuzz"})";
  const std::string signing_input = encode_base64url(header) + "." + encode_base64url(payload);
  std::vector<std::string> tokens;
  const std::string constant(forged_signature_size(algorithm), '\x5a');
  tokens.push_back(signing_input + "." + encode_base64url(constant));
  if (algorithm == Algorithm::kEdDSA) {
    std::string identity(64, '\0');
    identity[0] = '\x01';
    tokens.push_back(signing_input + "." + encode_base64url(identity));
  }
  return tokens;
}

// Checks a loaded set, then verifies forged tokens with it.
void check_key_set(const stepup::KeySet& keys, bool from_pem) {
  FUZZ_CHECK(keys.size() > 0);
  const std::vector<stepup::KeyInfo> infos = keys.describe();
  FUZZ_CHECK(infos.size() == keys.size());
  bool usable[stepup::kAlgorithmCount] = {};
  for (const stepup::KeyInfo& info : infos) {
    FUZZ_CHECK(!info.allowed.empty());
    for (Algorithm algorithm : info.allowed) {
      FUZZ_CHECK(static_cast<int>(algorithm) >= 0 &&
                 static_cast<int>(algorithm) < stepup::kAlgorithmCount);
      FUZZ_CHECK(type_allows(info.type, algorithm));
      usable[static_cast<int>(algorithm)] = true;
    }
    if (from_pem) {
      FUZZ_CHECK(info.kid.empty());
      FUZZ_CHECK(info.type != KeyType::kOctet);
    }
  }
  FUZZ_CHECK(keys.merged_with(keys).size() == 2 * keys.size());

  // A verifier allowing exactly the algorithms the keys can perform is valid.
  stepup::ValidatorOptions validator;
  validator.issuer = std::string(kIssuer);
  validator.audience = {std::string(kAudience)};
  for (int i = 0; i < stepup::kAlgorithmCount; ++i) {
    if (usable[i]) validator.algorithms.push_back(static_cast<Algorithm>(i));
  }
  validator.keys = keys;
  stepup::TokenVerifierOptions options;
  options.validators.push_back(validator);
  absl::StatusOr<stepup::TokenVerifier> verifier = stepup::TokenVerifier::create(options);
  FUZZ_CHECK(verifier.ok());
  // No loaded key accepts a signature made without its private key.
  for (Algorithm algorithm : validator.algorithms) {
    for (const std::string& token : forged_tokens(algorithm)) {
      const stepup::TokenResult result = verifier->verify_at(token, kNow);
      FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
      FUZZ_CHECK(result.error == TokenError::kSignatureInvalid ||
                 result.error == TokenError::kSignatureLengthInvalid);
    }
  }
}

// STEPUP_FUZZ_VERBOSE=1 prints each outcome: for checking what the seeds reach.
void report(const char* loader, const absl::StatusOr<stepup::KeySet>& keys) {
  static const bool verbose = std::getenv("STEPUP_FUZZ_VERBOSE") != nullptr;
  if (!verbose) return;
  if (keys.ok()) {
    std::fprintf(stderr, "%s: %zu key(s)\n", loader, keys->size());
  } else {
    std::fprintf(stderr, "%s: %s\n", loader, keys.status().ToString().c_str());
  }
}

void check_status(const absl::Status& status) {
  FUZZ_CHECK(!status.ok());
  FUZZ_CHECK(!status.message().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const absl::StatusOr<stepup::KeySet> jwks = stepup::KeySet::from_jwks(input);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  report("from_jwks", jwks);
  if (jwks.ok()) {
    check_key_set(*jwks, /*from_pem=*/false);
  } else {
    check_status(jwks.status());
  }

  const absl::StatusOr<stepup::KeySet> jwk = stepup::KeySet::from_jwk(input);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  report("from_jwk", jwk);
  if (jwk.ok()) {
    FUZZ_CHECK(jwk->size() == 1);
    check_key_set(*jwk, /*from_pem=*/false);
  } else {
    check_status(jwk.status());
  }

  const absl::StatusOr<stepup::KeySet> pem = stepup::KeySet::from_pem(input, {});
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  report("from_pem", pem);
  if (pem.ok()) {
    FUZZ_CHECK(pem->size() == 1);
    check_key_set(*pem, /*from_pem=*/true);
  } else {
    check_status(pem.status());
  }
  return 0;
}
