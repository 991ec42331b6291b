// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/algorithm.h"

#include <openssl/evp.h>

#include <array>

#include "token/algorithm_traits.h"

namespace stepup {
namespace {

constexpr std::array<std::string_view, kAlgorithmCount> kNames = {
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"};

}  // namespace

std::string_view algorithm_name(Algorithm algorithm) {
  return kNames[static_cast<std::size_t>(algorithm)];
}

std::optional<Algorithm> algorithm_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Algorithm>(i);
  }
  return std::nullopt;
}

namespace token_internal {

AlgorithmTraits algorithm_traits(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kRS256:
      return {AlgorithmFamily::kRsaPkcs1, 32, 0};
    case Algorithm::kRS384:
      return {AlgorithmFamily::kRsaPkcs1, 48, 0};
    case Algorithm::kRS512:
      return {AlgorithmFamily::kRsaPkcs1, 64, 0};
    case Algorithm::kPS256:
      return {AlgorithmFamily::kRsaPss, 32, 0};
    case Algorithm::kPS384:
      return {AlgorithmFamily::kRsaPss, 48, 0};
    case Algorithm::kPS512:
      return {AlgorithmFamily::kRsaPss, 64, 0};
    case Algorithm::kES256:
      return {AlgorithmFamily::kEcdsa, 32, 32};
    case Algorithm::kES384:
      return {AlgorithmFamily::kEcdsa, 48, 48};
    case Algorithm::kES512:
      return {AlgorithmFamily::kEcdsa, 64, 66};
    case Algorithm::kEdDSA:
      return {AlgorithmFamily::kEdDsa, 0, 0};
    case Algorithm::kHS256:
      return {AlgorithmFamily::kHmac, 32, 0};
    case Algorithm::kHS384:
      return {AlgorithmFamily::kHmac, 48, 0};
    case Algorithm::kHS512:
      return {AlgorithmFamily::kHmac, 64, 0};
  }
  return {AlgorithmFamily::kHmac, 0, 0};
}

const EVP_MD* sha256_digest() {
  // An explicit fetch avoids OpenSSL 3's implicit fetch (a locked lookup by
  // name) on every call.
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kSha256;
}

const EVP_MD* algorithm_digest(Algorithm algorithm) {
  // Explicit fetches avoid OpenSSL 3's implicit fetch on every call.
  const EVP_MD* const kSha256 = sha256_digest();
  static const EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static const EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  switch (algorithm_traits(algorithm).hash_size) {
    case 32:
      return kSha256;
    case 48:
      return kSha384;
    case 64:
      return kSha512;
    default:
      return nullptr;
  }
}

}  // namespace token_internal
}  // namespace stepup
