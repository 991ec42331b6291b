// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>
#include <optional>
#include <utility>

#include "dpop/jwk_thumbprint.h"
#include "dpop/proof.h"
#include "json/json_text.h"
#include "json/strict_json.h"
#include "stepup/dpop_prover.h"
#include "token/algorithm_traits.h"
#include "token/base64url.h"

namespace stepup {

absl::StatusOr<DpopProver> DpopProver::create(SigningKey key) {
  if (!token_internal::is_asymmetric(key.algorithm())) {
    return absl::InvalidArgumentError("DPoP proofs need an asymmetric key, not an HMAC secret");
  }
  const std::string jwk = key.verification_jwk(/*with_kid=*/false, /*with_alg=*/false);
  JsonValue parsed;
  if (json_internal::parse_json_object(jwk, /*max_depth=*/4, parsed).error !=
      json_internal::JsonError::kOk) {
    return absl::InternalError("DPoP: the key's JWK does not parse");
  }
  const std::optional<std::string> thumbprint = dpop::jwk_thumbprint(parsed);
  if (!thumbprint) return absl::InternalError("DPoP: the key's JWK has no thumbprint");
  std::string header = "{\"typ\":\"dpop+jwt\",\"alg\":\"";
  header += algorithm_name(key.algorithm());
  header += "\",\"jwk\":";
  header += jwk;
  header += '}';
  return DpopProver(std::move(key), std::move(header), *thumbprint);
}

DpopProver::DpopProver(SigningKey key, std::string header, std::string thumbprint)
    : key_(std::move(key)), header_(std::move(header)), thumbprint_(std::move(thumbprint)) {}

const std::string& DpopProver::thumbprint() const {
  return thumbprint_;
}

absl::StatusOr<std::string> DpopProver::proof(std::string_view method, std::string_view uri,
                                              std::string_view access_token,
                                              int64_t issued_at) const {
  const std::size_t end = uri.find_first_of("?#");
  const std::string_view target = uri.substr(0, end);
  if (!target.starts_with("https://") && !target.starts_with("http://")) {
    return absl::InvalidArgumentError("DPoP: the request URI must be an absolute http(s) URI");
  }
  std::array<unsigned char, 16> random;
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    ERR_clear_error();
    return absl::InternalError("DPoP: no random bytes for the proof's jti");
  }
  std::string payload = "{\"jti\":";
  json_internal::append_json_quoted(
      payload, token_internal::encode_base64url(
                   std::string_view(reinterpret_cast<const char*>(random.data()), random.size())));
  payload += ",\"htm\":";
  json_internal::append_json_quoted(payload, method);
  payload += ",\"htu\":";
  json_internal::append_json_quoted(payload, target);
  payload += ",\"iat\":" + std::to_string(issued_at);
  if (!access_token.empty()) {
    payload += ",\"ath\":";
    json_internal::append_json_quoted(payload, dpop::access_token_hash(access_token));
  }
  payload += '}';
  return key_.mint(header_, payload);
}

}  // namespace stepup
