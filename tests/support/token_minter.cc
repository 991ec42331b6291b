// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "support/token_minter.h"

#include <openssl/pem.h>

#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "stepup/json_value.h"
#include "token/algorithm_traits.h"
#include "token/base64url.h"
#include "token/openssl_util.h"

namespace stepup::testing {

using token_internal::algorithm_digest;
using token_internal::algorithm_traits;
using token_internal::AlgorithmFamily;
using token_internal::BioPtr;
using token_internal::EvpMdCtxPtr;
using token_internal::EvpPkeyPtr;

namespace {

void require(bool condition, const char* what) {
  if (!condition) throw std::runtime_error(std::string("test key: ") + what);
}

template <typename T>
T value_or_throw(absl::StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error("test key: " + result.status().ToString());
  return *std::move(result);
}

bool is_rsa(Algorithm algorithm) {
  const AlgorithmFamily family = algorithm_traits(algorithm).family;
  return family == AlgorithmFamily::kRsaPkcs1 || family == AlgorithmFamily::kRsaPss;
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
  return TestKey(value_or_throw(SigningKey::generate(algorithm, std::move(kid))));
}

TestKey TestKey::hmac_with_secret(Algorithm algorithm, std::string secret, std::string kid) {
  return TestKey(
      value_or_throw(SigningKey::from_secret(algorithm, std::move(secret), std::move(kid))));
}

const TestKey& TestKey::shared(Algorithm algorithm) {
  static std::mutex mutex;
  static std::map<Algorithm, TestKey> keys;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = keys.find(algorithm);
  if (it != keys.end()) return it->second;
  std::string kid = std::string(algorithm_name(algorithm)) + "-key";
  // RSA key generation dominates test time, so the RSA algorithms share one
  // key pair (each under its own kid and alg).
  if (is_rsa(algorithm)) {
    for (const auto& [other, existing] : keys) {
      if (!is_rsa(other)) continue;
      TestKey key(value_or_throw(existing.key_.with_algorithm(algorithm, std::move(kid))));
      return keys.emplace(algorithm, std::move(key)).first->second;
    }
  }
  return keys.emplace(algorithm, generate(algorithm, std::move(kid))).first->second;
}

std::string TestKey::public_jwk(bool with_kid, bool with_alg) const {
  return key_.verification_jwk(with_kid, with_alg);
}

std::string TestKey::jwks() const {
  return key_.verification_jwks();
}

std::string TestKey::public_pem() const {
  const std::string pem = key_.public_pem();
  require(!pem.empty(), "no public PEM");
  return pem;
}

std::string TestKey::secret() const {
  const std::optional<JsonValue> jwk = JsonValue::parse_object(key_.verification_jwk(), 2);
  const JsonValue* k = jwk ? jwk->find("k") : nullptr;
  require(k != nullptr, "not an HMAC key");
  std::string secret;
  require(token_internal::decode_base64url(k->as_string(), secret), "bad k");
  return secret;
}

std::string TestKey::sign(std::string_view signing_input) const {
  return value_or_throw(key_.sign(signing_input));
}

std::string TestKey::sign_as(Algorithm algorithm, std::string_view signing_input) const {
  return value_or_throw(value_or_throw(key_.with_algorithm(algorithm, kid())).sign(signing_input));
}

// The library signs only in the JWS form, so the DER form is made here.
std::string TestKey::sign_der(std::string_view signing_input) const {
  const std::string pem = key_.private_pem();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  require(key != nullptr, "PEM_read_bio_PrivateKey");
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  require(EVP_DigestSignInit(context.get(), nullptr, algorithm_digest(algorithm()), nullptr,
                             key.get()) == 1,
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

std::string TestKey::mint(std::string_view header_json, std::string_view payload_json) const {
  return value_or_throw(key_.mint(header_json, payload_json));
}

}  // namespace stepup::testing
