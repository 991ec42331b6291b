// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_ALGORITHM_TRAITS_H_
#define STEPUP_LIB_TOKEN_ALGORITHM_TRAITS_H_

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>

#include "stepup/algorithm.h"

namespace stepup::token_internal {

enum class AlgorithmFamily { kRsaPkcs1, kRsaPss, kEcdsa, kEdDsa, kHmac };

struct AlgorithmTraits {
  AlgorithmFamily family;
  std::size_t hash_size;       // Digest size in bytes; 0 for EdDSA.
  std::size_t ec_scalar_size;  // R and S size for ECDSA (RFC 7518 §3.4); else 0.
};

AlgorithmTraits algorithm_traits(Algorithm algorithm);

// The digest, fetched once per process; nullptr for EdDSA (which hashes
// internally).
const EVP_MD* algorithm_digest(Algorithm algorithm);

// SHA-256, fetched once per process (for thumbprints and token hashes).
const EVP_MD* sha256_digest();

// True for signature algorithms, false for MACs.
inline bool is_asymmetric(Algorithm algorithm) {
  return algorithm_traits(algorithm).family != AlgorithmFamily::kHmac;
}

// A set of algorithms as a bit mask, one bit per enumerator.
using AlgorithmMask = uint32_t;
constexpr AlgorithmMask algorithm_bit(Algorithm algorithm) {
  return AlgorithmMask{1} << static_cast<int>(algorithm);
}

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_ALGORITHM_TRAITS_H_
