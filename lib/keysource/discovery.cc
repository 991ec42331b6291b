// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "keysource/discovery.h"

#include <optional>

#include "absl/status/status.h"
#include "stepup/json_value.h"

namespace stepup::keysource {
namespace {

constexpr int kMaxMetadataDepth = 16;

}  // namespace

std::vector<std::string> metadata_urls(const std::string& issuer) {
  std::string base = issuer;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  std::vector<std::string> urls = {base + "/.well-known/openid-configuration"};
  // RFC 8414 §3.1: the well-known segment goes between host and path.
  const std::size_t scheme_end = base.find("://");
  if (scheme_end != std::string::npos) {
    const std::size_t path = base.find('/', scheme_end + 3);
    const std::string authority = base.substr(0, path);
    const std::string rest = path == std::string::npos ? "" : base.substr(path);
    urls.push_back(authority + "/.well-known/oauth-authorization-server" + rest);
  }
  return urls;
}

absl::StatusOr<std::string> jwks_uri_from_metadata(std::string_view document,
                                                   const std::string& issuer) {
  JsonParseError error;
  const std::optional<JsonValue> metadata =
      JsonValue::parse_object(document, kMaxMetadataDepth, &error);
  if (!metadata) {
    return absl::InvalidArgumentError("provider metadata is not a JSON object (" +
                                      error.message(kMaxMetadataDepth) +
                                      (error.where.empty() ? "" : " at " + error.where) + ")");
  }
  const JsonValue* found_issuer = metadata->find("issuer");
  if (found_issuer == nullptr || !found_issuer->is_string()) {
    return absl::InvalidArgumentError("provider metadata has no \"issuer\" string");
  }
  if (found_issuer->as_string() != issuer) {
    return absl::InvalidArgumentError(
        "provider metadata names another issuer than the validator's (RFC 8414 §3.3)");
  }
  const JsonValue* jwks_uri = metadata->find("jwks_uri");
  if (jwks_uri == nullptr || !jwks_uri->is_string() || jwks_uri->as_string().empty()) {
    return absl::InvalidArgumentError("provider metadata has no \"jwks_uri\" string");
  }
  return std::string(jwks_uri->as_string());
}

}  // namespace stepup::keysource
