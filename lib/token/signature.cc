// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/signature.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <algorithm>

#include "token/algorithm_traits.h"
#include "token/openssl_util.h"

namespace stepup::token_internal {
namespace {

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool all_zero(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == 0; });
}

// EVP_DigestVerify with the key's own primitive. `der_or_raw` is what OpenSSL
// expects: DER for ECDSA, raw bytes for the rest.
TokenError digest_verify(const VerificationKey& key, Algorithm algorithm,
                         std::string_view signing_input, const unsigned char* signature,
                         std::size_t signature_size) {
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  if (!context) return TokenError::kSignatureInvalid;
  EVP_PKEY_CTX* key_context = nullptr;
  const EVP_MD* digest = algorithm_digest(algorithm);
  if (EVP_DigestVerifyInit(context.get(), &key_context, digest, nullptr, key.public_key.get()) !=
      1) {
    return TokenError::kSignatureInvalid;
  }
  if (algorithm_traits(algorithm).family == AlgorithmFamily::kRsaPss) {
    // RFC 7518 §3.5: MGF1 with the same hash, salt exactly the hash size.
    if (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(key_context, digest) != 1) {
      return TokenError::kSignatureInvalid;
    }
  }
  const int verified = EVP_DigestVerify(context.get(), signature, signature_size,
                                        bytes(signing_input), signing_input.size());
  return verified == 1 ? TokenError::kOk : TokenError::kSignatureInvalid;
}

TokenError verify_ecdsa(const VerificationKey& key, Algorithm algorithm,
                        std::string_view signing_input, std::string_view signature) {
  const std::size_t half = algorithm_traits(algorithm).ec_scalar_size;
  // RFC 7518 §3.4: exactly R||S, each the curve's size; DER is refused here.
  if (signature.size() != 2 * half) return TokenError::kSignatureLengthInvalid;
  const std::string_view r_bytes = signature.substr(0, half);
  const std::string_view s_bytes = signature.substr(half);
  // r = 0 or s = 0 would verify in broken verifiers ("psychic signatures").
  if (all_zero(r_bytes) || all_zero(s_bytes)) return TokenError::kSignatureInvalid;
  BignumPtr r(BN_bin2bn(bytes(r_bytes), static_cast<int>(half), nullptr));
  BignumPtr s(BN_bin2bn(bytes(s_bytes), static_cast<int>(half), nullptr));
  EcdsaSigPtr ecdsa(ECDSA_SIG_new());
  if (!r || !s || !ecdsa || ECDSA_SIG_set0(ecdsa.get(), r.get(), s.get()) != 1) {
    return TokenError::kSignatureInvalid;
  }
  r.release();  // Owned by `ecdsa` now.
  s.release();
  unsigned char der[160];
  unsigned char* cursor = der;
  if (i2d_ECDSA_SIG(ecdsa.get(), nullptr) > static_cast<int>(sizeof der)) {
    return TokenError::kSignatureInvalid;
  }
  const int der_size = i2d_ECDSA_SIG(ecdsa.get(), &cursor);
  if (der_size <= 0) return TokenError::kSignatureInvalid;
  return digest_verify(key, algorithm, signing_input, der, static_cast<std::size_t>(der_size));
}

TokenError verify_hmac(const VerificationKey& key, Algorithm algorithm,
                       std::string_view signing_input, std::string_view signature) {
  const std::size_t mac_size = algorithm_traits(algorithm).hash_size;
  if (signature.size() != mac_size) return TokenError::kSignatureLengthInvalid;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int produced = 0;
  if (HMAC(algorithm_digest(algorithm), key.secret.data(), static_cast<int>(key.secret.size()),
           bytes(signing_input), signing_input.size(), mac, &produced) == nullptr ||
      produced != mac_size) {
    return TokenError::kSignatureInvalid;
  }
  // Constant time, so response timing reveals nothing about the expected MAC.
  const bool equal = CRYPTO_memcmp(mac, signature.data(), mac_size) == 0;
  OPENSSL_cleanse(mac, sizeof mac);
  return equal ? TokenError::kOk : TokenError::kSignatureInvalid;
}

TokenError verify_checked(const VerificationKey& key, Algorithm algorithm,
                          std::string_view signing_input, std::string_view signature) {
  switch (algorithm_traits(algorithm).family) {
    case AlgorithmFamily::kHmac:
      return verify_hmac(key, algorithm, signing_input, signature);
    case AlgorithmFamily::kEcdsa:
      return verify_ecdsa(key, algorithm, signing_input, signature);
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
    case AlgorithmFamily::kEdDsa:
      if (signature.size() != key.signature_size) return TokenError::kSignatureLengthInvalid;
      return digest_verify(key, algorithm, signing_input, bytes(signature), signature.size());
  }
  return TokenError::kSignatureInvalid;
}

}  // namespace

TokenError verify_signature(const VerificationKey& key, Algorithm algorithm,
                            std::string_view signing_input, std::string_view signature) {
  if (!key.allows(algorithm)) return TokenError::kKeyAlgorithmMismatch;
  const TokenError result = verify_checked(key, algorithm, signing_input, signature);
  if (result != TokenError::kOk) ERR_clear_error();
  return result;
}

}  // namespace stepup::token_internal
