// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "support/token_minter.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <map>
#include <mutex>
#include <stdexcept>

#include "token/algorithm_traits.h"
#include "token/base64url.h"
#include "token/openssl_util.h"

namespace stepup::testing {

using token_internal::algorithm_digest;
using token_internal::algorithm_traits;
using token_internal::AlgorithmFamily;
using token_internal::BignumPtr;
using token_internal::BioPtr;
using token_internal::EcdsaSigPtr;
using token_internal::EvpMdCtxPtr;
using token_internal::EvpPkeyPtr;

struct TestKey::Impl {
  EvpPkeyPtr key;
};

namespace {

void require(bool condition, const char* what) {
  if (!condition) throw std::runtime_error(std::string("test key: ") + what);
}

std::string bignum_bytes(const EVP_PKEY* key, const char* name, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  require(EVP_PKEY_get_bn_param(key, name, &raw) == 1, name);
  BignumPtr number(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(number.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  require(BN_bn2binpad(number.get(), reinterpret_cast<unsigned char*>(out.data()), size) == size,
          "bn2binpad");
  return out;
}

const char* curve_of(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kES256:
      return "P-256";
    case Algorithm::kES384:
      return "P-384";
    default:
      return "P-521";
  }
}

}  // namespace

std::string base64url(std::string_view bytes) {
  return token_internal::encode_base64url(bytes);
}

std::string compact(std::string_view header_json, std::string_view payload_json,
                    std::string_view signature_bytes) {
  return base64url(header_json) + "." + base64url(payload_json) + "." + base64url(signature_bytes);
}

TestKey TestKey::generate(Algorithm algorithm, std::string kid) {
  TestKey result;
  result.algorithm_ = algorithm;
  result.kid_ = std::move(kid);
  result.impl_ = std::make_shared<Impl>();
  switch (algorithm_traits(algorithm).family) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      result.impl_->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
      break;
    case AlgorithmFamily::kEcdsa:
      result.impl_->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve_of(algorithm)));
      break;
    case AlgorithmFamily::kEdDsa:
      result.impl_->key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
      break;
    case AlgorithmFamily::kHmac: {
      result.secret_.resize(algorithm_traits(algorithm).hash_size);
      require(RAND_bytes(reinterpret_cast<unsigned char*>(result.secret_.data()),
                         static_cast<int>(result.secret_.size())) == 1,
              "RAND_bytes");
      return result;
    }
  }
  require(result.impl_->key != nullptr, "keygen");
  return result;
}

TestKey TestKey::hmac_with_secret(Algorithm algorithm, std::string secret, std::string kid) {
  TestKey result;
  result.algorithm_ = algorithm;
  result.kid_ = std::move(kid);
  result.secret_ = std::move(secret);
  return result;
}

const TestKey& TestKey::shared(Algorithm algorithm) {
  static std::mutex mutex;
  static std::map<Algorithm, TestKey> keys;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = keys.find(algorithm);
  if (it != keys.end()) return it->second;
  const std::string kid = std::string(algorithm_name(algorithm)) + "-key";
  // RSA key generation dominates test time, so the RSA algorithms share one
  // key pair (each under its own kid and alg).
  const auto is_rsa = [](Algorithm a) {
    const auto f = algorithm_traits(a).family;
    return f == AlgorithmFamily::kRsaPkcs1 || f == AlgorithmFamily::kRsaPss;
  };
  if (is_rsa(algorithm)) {
    for (const auto& [other, existing] : keys) {
      if (!is_rsa(other)) continue;
      TestKey key;
      key.algorithm_ = algorithm;
      key.kid_ = kid;
      key.impl_ = existing.impl_;
      return keys.emplace(algorithm, std::move(key)).first->second;
    }
  }
  return keys.emplace(algorithm, generate(algorithm, kid)).first->second;
}

std::string TestKey::public_jwk(bool with_kid, bool with_alg) const {
  std::string members;
  const EVP_PKEY* key = impl_ ? impl_->key.get() : nullptr;
  switch (algorithm_traits(algorithm_).family) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      members = "\"kty\":\"RSA\",\"n\":\"" + base64url(bignum_bytes(key, OSSL_PKEY_PARAM_RSA_N)) +
                "\",\"e\":\"" + base64url(bignum_bytes(key, OSSL_PKEY_PARAM_RSA_E)) + "\"";
      break;
    case AlgorithmFamily::kEcdsa: {
      const int size = static_cast<int>(algorithm_traits(algorithm_).ec_scalar_size);
      members = std::string("\"kty\":\"EC\",\"crv\":\"") + curve_of(algorithm_) + "\",\"x\":\"" +
                base64url(bignum_bytes(key, OSSL_PKEY_PARAM_EC_PUB_X, size)) + "\",\"y\":\"" +
                base64url(bignum_bytes(key, OSSL_PKEY_PARAM_EC_PUB_Y, size)) + "\"";
      break;
    }
    case AlgorithmFamily::kEdDsa: {
      std::array<unsigned char, 32> raw{};
      std::size_t size = raw.size();
      require(EVP_PKEY_get_raw_public_key(key, raw.data(), &size) == 1, "raw public key");
      members = "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" +
                base64url(std::string_view(reinterpret_cast<const char*>(raw.data()), size)) + "\"";
      break;
    }
    case AlgorithmFamily::kHmac:
      members = "\"kty\":\"oct\",\"k\":\"" + base64url(secret_) + "\"";
      break;
  }
  if (with_kid && !kid_.empty()) members += ",\"kid\":\"" + kid_ + "\"";
  if (with_alg) members += ",\"alg\":\"" + std::string(algorithm_name(algorithm_)) + "\"";
  return "{" + members + "}";
}

std::string TestKey::jwks() const {
  return "{\"keys\":[" + public_jwk() + "]}";
}

std::string TestKey::public_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_PUBKEY(bio.get(), impl_->key.get()) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string TestKey::sign(std::string_view signing_input) const {
  return sign_as(algorithm_, signing_input);
}

std::string TestKey::sign_der(std::string_view signing_input) const {
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  require(EVP_DigestSignInit(context.get(), nullptr, algorithm_digest(algorithm_), nullptr,
                             impl_->key.get()) == 1,
          "DigestSignInit");
  std::size_t size = 0;
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  require(EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) == 1, "size");
  std::string der(size, '\0');
  require(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &size, input,
                         signing_input.size()) == 1,
          "DigestSign");
  der.resize(size);
  return der;
}

std::string TestKey::sign_as(Algorithm algorithm, std::string_view signing_input) const {
  const auto traits = algorithm_traits(algorithm);
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (traits.family == AlgorithmFamily::kHmac) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    require(HMAC(algorithm_digest(algorithm), secret_.data(), static_cast<int>(secret_.size()),
                 input, signing_input.size(), mac, &size) != nullptr,
            "HMAC");
    return std::string(reinterpret_cast<const char*>(mac), size);
  }
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;
  require(EVP_DigestSignInit(context.get(), &key_context, algorithm_digest(algorithm), nullptr,
                             impl_->key.get()) == 1,
          "DigestSignInit");
  if (traits.family == AlgorithmFamily::kRsaPss) {
    require(EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
                EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1,
            "PSS");
  }
  std::size_t size = 0;
  require(EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) == 1, "size");
  std::string signature(size, '\0');
  require(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                         input, signing_input.size()) == 1,
          "DigestSign");
  signature.resize(size);
  if (traits.family != AlgorithmFamily::kEcdsa) return signature;
  // DER to the JWS form R||S (RFC 7518 §3.4).
  const auto* cursor = reinterpret_cast<const unsigned char*>(signature.data());
  EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(signature.size())));
  require(parsed != nullptr, "d2i_ECDSA_SIG");
  const int half = static_cast<int>(traits.ec_scalar_size);
  std::string raw(static_cast<std::size_t>(2 * half), '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  require(BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), out, half) == half &&
              BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), out + half, half) == half,
          "R||S");
  return raw;
}

std::string TestKey::mint(std::string_view header_json, std::string_view payload_json) const {
  const std::string signing_input = base64url(header_json) + "." + base64url(payload_json);
  return signing_input + "." + base64url(sign(signing_input));
}

}  // namespace stepup::testing
