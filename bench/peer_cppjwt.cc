// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "peer_cppjwt.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

// cpp-jwt 1.4 calls EC_KEY functions that OpenSSL 3 deprecates (for ES256); they still work.
// Harmless while /usr/include is a system directory, but not if the headers come in via -I.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <jwt/jwt.hpp>
#pragma GCC diagnostic pop

namespace stepup::bench {

struct CppjwtPeer::Impl {
  Impl(std::string alg, std::string key_bytes, std::string iss, std::string aud)
      : key(std::move(key_bytes)),
        audience(std::move(aud)),
        algorithms(jwt::params::algorithms(std::vector<std::string>{std::move(alg)})),
        secret(jwt::params::secret(key)),
        issuer(std::move(iss)) {}  // What jwt::params::issuer() builds.

  // `secret` views `key`, so Impl is neither copied nor moved (it lives behind a shared_ptr).
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  const std::string key;
  const std::string audience;
  const jwt::params::detail::algorithms_param<std::vector<std::string>> algorithms;
  const jwt::params::detail::secret_param secret;
  const jwt::params::detail::issuer_param issuer;
};

CppjwtPeer::CppjwtPeer(std::string alg, std::string key, std::string issuer, std::string audience) {
  // PS256 and EdDSA do not exist in cpp-jwt 1.4.
  if (alg != "RS256" && alg != "ES256" && alg != "HS256") return;
  impl_ = std::make_shared<const Impl>(std::move(alg), std::move(key), std::move(issuer),
                                       std::move(audience));
}

bool CppjwtPeer::validate(std::string_view token, int64_t now_seconds) const {
  if (!impl_ || impl_->key.empty()) return false;  // An empty secret means "no key" to cpp-jwt.
  try {
    std::error_code ec;
    const jwt::jwt_object obj = jwt::decode(token, impl_->algorithms, ec, impl_->secret,
                                            impl_->issuer, jwt::params::verify(true));
    if (ec) return false;  // Includes AlgorithmErrc::NoneAlgorithmUsed.

    const json_t& claims = obj.payload().create_json_obj();
    const auto exp = claims.find("exp");
    if (exp == claims.end() || !exp->is_number_integer() || exp->get<int64_t>() <= now_seconds) {
      return false;
    }
    const auto aud = claims.find("aud");
    if (aud == claims.end()) return false;
    if (aud->is_string()) return aud->get_ref<const std::string&>() == impl_->audience;
    if (!aud->is_array()) return false;
    bool found = false;
    for (const auto& element : *aud) {
      if (!element.is_string()) return false;  // RFC 7519 §4.1.3: strings only.
      found = found || element.get_ref<const std::string&>() == impl_->audience;
    }
    return found;
  } catch (...) {
    // jwt::decode lets some errors escape despite `ec` (e.g. a non-string alg makes nlohmann
    // throw type_error from the header parse; allocation failures throw too).
    return false;
  }
}

}  // namespace stepup::bench
