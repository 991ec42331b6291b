// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/signing_key.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "common/ascii.h"
#include "json/json_text.h"
#include "token/algorithm_traits.h"
#include "token/base64url.h"
#include "token/openssl_util.h"

namespace stepup {
namespace token_internal {

// The key material: an OpenSSL private key, or an HMAC secret.
struct SigningKeyData {
  Algorithm algorithm = Algorithm::kRS256;
  std::string kid;
  std::shared_ptr<EVP_PKEY> key;  // Shared by with_algorithm() copies; null for HMAC.
  std::string secret;             // HMAC only.
};

}  // namespace token_internal

namespace {

using json_internal::json_quote;
using token_internal::algorithm_digest;
using token_internal::algorithm_traits;
using token_internal::AlgorithmFamily;
using token_internal::BignumPtr;
using token_internal::BioPtr;
using token_internal::EcdsaSigPtr;
using token_internal::encode_base64url;
using token_internal::EvpMdCtxPtr;
using token_internal::OpenSslErrorScope;
using token_internal::SigningKeyData;

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

// OpenSSL's group name for the curve of an ES* algorithm.
const char* group_of(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kES256:
      return "prime256v1";
    case Algorithm::kES384:
      return "secp384r1";
    default:
      return "secp521r1";
  }
}

std::shared_ptr<EVP_PKEY> share(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

absl::Status signing_error(std::string_view what) {
  return absl::InternalError("cannot sign: " + std::string(what) + " failed (" +
                             token_internal::openssl_error_text() + ")");
}

// Whether `key` is of a type and curve that can perform `algorithm`.
bool key_performs(const EVP_PKEY* key, Algorithm algorithm) {
  switch (algorithm_traits(algorithm).family) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      return EVP_PKEY_is_a(key, "RSA") == 1;
    case AlgorithmFamily::kEcdsa: {
      if (EVP_PKEY_is_a(key, "EC") != 1) return false;
      std::array<char, 64> group{};
      std::size_t size = 0;
      return EVP_PKEY_get_group_name(key, group.data(), group.size(), &size) == 1 &&
             std::string_view(group.data(), size) == group_of(algorithm);
    }
    case AlgorithmFamily::kEdDsa:
      return EVP_PKEY_is_a(key, "ED25519") == 1;
    case AlgorithmFamily::kHmac:
      return false;
  }
  return false;
}

std::string bignum_base64url(const EVP_PKEY* key, const char* name, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return "";
  BignumPtr number(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(number.get());
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (BN_bn2binpad(number.get(), reinterpret_cast<unsigned char*>(bytes.data()), size) != size) {
    return "";
  }
  return encode_base64url(bytes);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// DER ECDSA-Sig-Value to the JWS form R||S, each padded to `half` bytes.
absl::StatusOr<std::string> ecdsa_wire_form(std::string_view der, int half) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr parsed(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!parsed) return signing_error("d2i_ECDSA_SIG");
  std::string raw(static_cast<std::size_t>(2 * half), '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), out, half) != half ||
      BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), out + half, half) != half) {
    return signing_error("BN_bn2binpad");
  }
  return raw;
}

bool is_plain_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool allowed = common::is_ascii_alnum(c) || c == '+' || c == '-' || c == '.' || c == '_';
    if (!allowed) return false;
  }
  return true;
}

}  // namespace

SigningKey::SigningKey(std::shared_ptr<const SigningKeyData> data) : data_(std::move(data)) {}

absl::StatusOr<SigningKey> SigningKey::generate(Algorithm algorithm, std::string kid) {
  OpenSslErrorScope clear_errors;
  auto data = std::make_shared<SigningKeyData>();
  data->algorithm = algorithm;
  data->kid = std::move(kid);
  const auto traits = algorithm_traits(algorithm);
  switch (traits.family) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      data->key = share(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
      break;
    case AlgorithmFamily::kEcdsa:
      data->key = share(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve_of(algorithm)));
      break;
    case AlgorithmFamily::kEdDsa:
      data->key = share(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
      break;
    case AlgorithmFamily::kHmac:
      data->secret.resize(traits.hash_size);
      if (RAND_bytes(reinterpret_cast<unsigned char*>(data->secret.data()),
                     static_cast<int>(data->secret.size())) != 1) {
        return absl::InternalError("cannot generate an HMAC secret: no randomness");
      }
      return SigningKey(std::move(data));
  }
  if (!data->key) {
    return absl::InternalError("cannot generate a " + std::string(algorithm_name(algorithm)) +
                               " key (" + token_internal::openssl_error_text() + ")");
  }
  return SigningKey(std::move(data));
}

absl::StatusOr<SigningKey> SigningKey::from_secret(Algorithm algorithm, std::string secret,
                                                   std::string kid) {
  if (algorithm_traits(algorithm).family != AlgorithmFamily::kHmac) {
    return absl::InvalidArgumentError("a secret signs only HS256, HS384 or HS512, not " +
                                      std::string(algorithm_name(algorithm)));
  }
  auto data = std::make_shared<SigningKeyData>();
  data->algorithm = algorithm;
  data->kid = std::move(kid);
  data->secret = std::move(secret);
  return SigningKey(std::move(data));
}

absl::StatusOr<SigningKey> SigningKey::from_pem(Algorithm algorithm, std::string_view pem,
                                                std::string kid) {
  OpenSslErrorScope clear_errors;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (key == nullptr) {
    return absl::InvalidArgumentError("cannot read a PEM private key (" +
                                      token_internal::openssl_error_text() + ")");
  }
  auto data = std::make_shared<SigningKeyData>();
  data->algorithm = algorithm;
  data->kid = std::move(kid);
  data->key = share(key);
  if (!key_performs(key, algorithm)) {
    return absl::InvalidArgumentError("the PEM key's type cannot sign " +
                                      std::string(algorithm_name(algorithm)));
  }
  return SigningKey(std::move(data));
}

absl::StatusOr<SigningKey> SigningKey::with_algorithm(Algorithm algorithm, std::string kid) const {
  const bool hmac = algorithm_traits(algorithm).family == AlgorithmFamily::kHmac;
  const bool performs = data_->key ? key_performs(data_->key.get(), algorithm) : hmac;
  if (!performs) {
    return absl::InvalidArgumentError("a " + std::string(algorithm_name(data_->algorithm)) +
                                      " key cannot sign " + std::string(algorithm_name(algorithm)));
  }
  auto data = std::make_shared<SigningKeyData>(*data_);
  data->algorithm = algorithm;
  data->kid = std::move(kid);
  return SigningKey(std::move(data));
}

Algorithm SigningKey::algorithm() const {
  return data_->algorithm;
}

const std::string& SigningKey::kid() const {
  return data_->kid;
}

std::string SigningKey::verification_jwk(bool with_kid, bool with_alg) const {
  OpenSslErrorScope clear_errors;
  const EVP_PKEY* key = data_->key.get();
  const auto traits = algorithm_traits(data_->algorithm);
  std::string members;
  switch (traits.family) {
    case AlgorithmFamily::kRsaPkcs1:
    case AlgorithmFamily::kRsaPss:
      members = "\"kty\":\"RSA\",\"n\":\"" + bignum_base64url(key, OSSL_PKEY_PARAM_RSA_N) +
                "\",\"e\":\"" + bignum_base64url(key, OSSL_PKEY_PARAM_RSA_E) + "\"";
      break;
    case AlgorithmFamily::kEcdsa: {
      const int size = static_cast<int>(traits.ec_scalar_size);
      members = std::string("\"kty\":\"EC\",\"crv\":\"") + curve_of(data_->algorithm) +
                "\",\"x\":\"" + bignum_base64url(key, OSSL_PKEY_PARAM_EC_PUB_X, size) +
                "\",\"y\":\"" + bignum_base64url(key, OSSL_PKEY_PARAM_EC_PUB_Y, size) + "\"";
      break;
    }
    case AlgorithmFamily::kEdDsa: {
      std::array<unsigned char, 32> raw{};
      std::size_t size = raw.size();
      if (EVP_PKEY_get_raw_public_key(key, raw.data(), &size) != 1) size = 0;
      members =
          "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" +
          encode_base64url(std::string_view(reinterpret_cast<const char*>(raw.data()), size)) +
          "\"";
      break;
    }
    case AlgorithmFamily::kHmac:
      members = "\"kty\":\"oct\",\"k\":\"" + encode_base64url(data_->secret) + "\"";
      break;
  }
  if (with_kid && !data_->kid.empty()) members += ",\"kid\":" + json_quote(data_->kid);
  if (with_alg) members += ",\"alg\":\"" + std::string(algorithm_name(data_->algorithm)) + "\"";
  return "{" + members + "}";
}

std::string SigningKey::verification_jwks() const {
  return "{\"keys\":[" + verification_jwk() + "]}";
}

std::string SigningKey::public_pem() const {
  OpenSslErrorScope clear_errors;
  if (!data_->key) return "";
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), data_->key.get()) != 1) return "";
  return bio_text(bio.get());
}

std::string SigningKey::private_pem() const {
  OpenSslErrorScope clear_errors;
  if (!data_->key) return "";
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), data_->key.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return "";
  }
  return bio_text(bio.get());
}

absl::StatusOr<std::string> SigningKey::sign(std::string_view signing_input) const {
  OpenSslErrorScope clear_errors;
  const auto traits = algorithm_traits(data_->algorithm);
  const EVP_MD* digest = algorithm_digest(data_->algorithm);
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (traits.family == AlgorithmFamily::kHmac) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    if (HMAC(digest, data_->secret.data(), static_cast<int>(data_->secret.size()), input,
             signing_input.size(), mac.data(), &size) == nullptr) {
      return signing_error("HMAC");
    }
    return std::string(reinterpret_cast<const char*>(mac.data()), size);
  }
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;
  if (!context ||
      EVP_DigestSignInit(context.get(), &key_context, digest, nullptr, data_->key.get()) != 1) {
    return signing_error("EVP_DigestSignInit");
  }
  if (traits.family == AlgorithmFamily::kRsaPss &&
      (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return signing_error("RSA-PSS padding");
  }
  std::size_t size = 0;
  if (EVP_DigestSign(context.get(), nullptr, &size, input, signing_input.size()) != 1) {
    return signing_error("EVP_DigestSign");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     input, signing_input.size()) != 1) {
    return signing_error("EVP_DigestSign");
  }
  signature.resize(size);
  if (traits.family != AlgorithmFamily::kEcdsa) return signature;
  return ecdsa_wire_form(signature, static_cast<int>(traits.ec_scalar_size));
}

absl::StatusOr<std::string> SigningKey::mint(std::string_view header_json,
                                             std::string_view payload_json) const {
  std::string token = encode_base64url(header_json) + "." + encode_base64url(payload_json);
  absl::StatusOr<std::string> signature = sign(token);
  if (!signature.ok()) return signature.status();
  token += ".";
  token += encode_base64url(*signature);
  return token;
}

absl::StatusOr<std::string> SigningKey::mint_jwt(std::string_view claims_json,
                                                 std::string_view typ) const {
  if (!is_plain_token(typ)) {
    return absl::InvalidArgumentError("typ must be letters, digits and + - . _, such as at+jwt");
  }
  std::string header = "{\"alg\":\"" + std::string(algorithm_name(data_->algorithm)) +
                       "\",\"typ\":\"" + std::string(typ) + "\"";
  if (!data_->kid.empty()) header += ",\"kid\":" + json_quote(data_->kid);
  header += "}";
  return mint(header, claims_json);
}

}  // namespace stepup
