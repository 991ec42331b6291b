// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "dpop/jwk_thumbprint.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <span>
#include <string_view>

#include "json/json_text.h"
#include "token/algorithm_traits.h"
#include "token/base64url.h"

namespace stepup::dpop {

std::optional<std::string> jwk_thumbprint(const JsonValue& jwk) {
  const JsonValue* kty = jwk.find("kty");
  if (kty == nullptr || !kty->is_string()) return std::nullopt;
  // The required members of each key type, in name order.
  static constexpr std::string_view kEc[] = {"crv", "kty", "x", "y"};
  static constexpr std::string_view kRsa[] = {"e", "kty", "n"};
  static constexpr std::string_view kOkp[] = {"crv", "kty", "x"};
  std::span<const std::string_view> members;
  if (kty->as_string() == "EC") {
    members = kEc;
  } else if (kty->as_string() == "RSA") {
    members = kRsa;
  } else if (kty->as_string() == "OKP") {
    members = kOkp;
  } else {
    return std::nullopt;
  }
  std::string canonical = "{";
  for (std::string_view name : members) {
    const JsonValue* value = jwk.find(name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    if (canonical.size() > 1) canonical += ',';
    json_internal::append_json_quoted(canonical, name);
    canonical += ':';
    json_internal::append_json_quoted(canonical, value->as_string());
  }
  canonical += '}';
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &length,
                 token_internal::sha256_digest(), nullptr) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return token_internal::encode_base64url(
      std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace stepup::dpop
