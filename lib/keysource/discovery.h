// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_KEYSOURCE_DISCOVERY_H_
#define STEPUP_LIB_KEYSOURCE_DISCOVERY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace stepup::keysource {

// The metadata URLs of `issuer`, in the order they are tried: OpenID Connect
// Discovery 1.0 §4 (`{issuer}/.well-known/openid-configuration`), then
// RFC 8414 §3 (`/.well-known/oauth-authorization-server` inserted between
// the host and the issuer's path).
std::vector<std::string> metadata_urls(const std::string& issuer);

// The `jwks_uri` of a provider metadata document. Its `issuer` must equal
// `issuer` exactly (RFC 8414 §3.3, OpenID Connect Discovery §4.3), else the
// document is refused: it may describe another provider.
absl::StatusOr<std::string> jwks_uri_from_metadata(std::string_view document,
                                                   const std::string& issuer);

}  // namespace stepup::keysource

#endif  // STEPUP_LIB_KEYSOURCE_DISCOVERY_H_
