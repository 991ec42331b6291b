// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>

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

// EVP_DigestVerify with the key's own primitive. The signature is in the form
// OpenSSL expects: DER for ECDSA, raw bytes for the rest.
TokenError digest_verify(const VerificationKey& key, Algorithm algorithm,
                         std::string_view signing_input, const unsigned char* signature,
                         std::size_t signature_size) {
  // One context per thread, reset after each use rather than freed.
  thread_local const EvpMdCtxPtr thread_context(EVP_MD_CTX_new());
  EVP_MD_CTX* const context = thread_context.get();
  if (context == nullptr) return TokenError::kSignatureInvalid;
  EVP_PKEY_CTX* key_context = nullptr;
  const EVP_MD* digest = algorithm_digest(algorithm);
  int verified = 0;
  if (EVP_DigestVerifyInit(context, &key_context, digest, nullptr, key.public_key.get()) == 1) {
    // RFC 7518 §3.5: MGF1 with the same hash (OpenSSL's default for PSS: it
    // takes the signature's digest), salt exactly the hash size.
    const bool pss = algorithm_traits(algorithm).family == AlgorithmFamily::kRsaPss;
    if (!pss || (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1)) {
      verified = EVP_DigestVerify(context, signature, signature_size, bytes(signing_input),
                                  signing_input.size());
    }
  }
  EVP_MD_CTX_reset(context);
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

// A few keyed HMAC contexts per thread. Keying a context costs far more
// than the MAC of a token, and OpenSSL re-initializes a keyed context in
// place, so each thread keys once per (key, algorithm) and reuses it. The
// secret's copy inside a context is wiped when the context is freed (slot
// reuse or thread exit).
class ThreadMacContexts {
 public:
  ~ThreadMacContexts() {
    for (Slot& slot : slots_)
      EVP_MAC_CTX_free(slot.context);
  }

  // A context ready for EVP_MAC_update, or nullptr.
  EVP_MAC_CTX* ready(const VerificationKey& key, Algorithm algorithm) {
    for (Slot& slot : slots_) {
      if (slot.context != nullptr && slot.key_id == key.id && slot.algorithm == algorithm) {
        return EVP_MAC_init(slot.context, nullptr, 0, nullptr) == 1 ? slot.context : nullptr;
      }
    }
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    EVP_MAC_CTX_free(slot.context);
    slot.context = EVP_MAC_CTX_new(hmac());
    slot.key_id = key.id;
    slot.algorithm = algorithm;
    if (slot.context == nullptr) return nullptr;
    const EVP_MD* digest = algorithm_digest(algorithm);
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                         const_cast<char*>(EVP_MD_get0_name(digest)), 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(slot.context, bytes(key.secret), key.secret.size(), params) != 1) {
      EVP_MAC_CTX_free(slot.context);
      slot.context = nullptr;
    }
    return slot.context;
  }

 private:
  static EVP_MAC* hmac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
  }
  struct Slot {
    uint64_t key_id = 0;
    Algorithm algorithm = Algorithm::kHS256;
    EVP_MAC_CTX* context = nullptr;
  };
  std::array<Slot, 4> slots_{};
  std::size_t next_ = 0;
};

TokenError verify_hmac(const VerificationKey& key, Algorithm algorithm,
                       std::string_view signing_input, std::string_view signature) {
  const std::size_t mac_size = algorithm_traits(algorithm).hash_size;
  if (signature.size() != mac_size) return TokenError::kSignatureLengthInvalid;
  thread_local ThreadMacContexts contexts;
  EVP_MAC_CTX* context = contexts.ready(key, algorithm);
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t produced = 0;
  if (context == nullptr ||
      EVP_MAC_update(context, bytes(signing_input), signing_input.size()) != 1 ||
      EVP_MAC_final(context, mac, &produced, sizeof mac) != 1 || produced != mac_size) {
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
