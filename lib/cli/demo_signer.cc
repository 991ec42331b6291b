// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "cli/demo_signer.h"

#include <openssl/core_names.h>

#include "absl/status/status.h"
#include "token/base64url.h"
#include "token/openssl_util.h"

namespace stepup::cli {

using token_internal::BignumPtr;
using token_internal::EcdsaSigPtr;
using token_internal::encode_base64url;
using token_internal::EvpMdCtxPtr;
using token_internal::EvpPkeyPtr;

struct DemoSigner::Key {
  EvpPkeyPtr pkey;
};

DemoSigner::DemoSigner(std::unique_ptr<Key> key, std::string kid)
    : key_(std::move(key)), kid_(std::move(kid)) {}
DemoSigner::~DemoSigner() = default;
DemoSigner::DemoSigner(DemoSigner&&) noexcept = default;
DemoSigner& DemoSigner::operator=(DemoSigner&&) noexcept = default;

absl::StatusOr<DemoSigner> DemoSigner::generate(std::string kid) {
  token_internal::OpenSslErrorScope clear_errors;
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key->pkey) return absl::InternalError("cannot generate the demo key");
  return DemoSigner(std::move(key), std::move(kid));
}

std::string DemoSigner::public_jwk() const {
  auto coordinate = [this](const char* name) {
    BIGNUM* raw = nullptr;
    EVP_PKEY_get_bn_param(key_->pkey.get(), name, &raw);
    BignumPtr number(raw);
    std::string bytes(32, '\0');
    BN_bn2binpad(number.get(), reinterpret_cast<unsigned char*>(bytes.data()), 32);
    return encode_base64url(bytes);
  };
  return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid_ + "\",\"alg\":\"ES256\",\"x\":\"" +
         coordinate(OSSL_PKEY_PARAM_EC_PUB_X) + "\",\"y\":\"" +
         coordinate(OSSL_PKEY_PARAM_EC_PUB_Y) + "\"}";
}

absl::StatusOr<std::string> DemoSigner::mint(std::string_view claims_json) const {
  token_internal::OpenSslErrorScope clear_errors;
  const std::string header = "{\"alg\":\"ES256\",\"kid\":\"" + kid_ + "\",\"typ\":\"at+jwt\"}";
  const std::string input = encode_base64url(header) + "." + encode_base64url(claims_json);
  EvpMdCtxPtr context(EVP_MD_CTX_new());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, data, input.size()) != 1) {
    return absl::InternalError("cannot sign the demo token");
  }
  std::string der(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &size, data,
                     input.size()) != 1) {
    return absl::InternalError("cannot sign the demo token");
  }
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(size)));
  if (!signature) return absl::InternalError("cannot decode the demo signature");
  std::string raw(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + 32, 32);
  return input + "." + encode_base64url(raw);
}

}  // namespace stepup::cli
