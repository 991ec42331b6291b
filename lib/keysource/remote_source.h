// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_KEYSOURCE_REMOTE_SOURCE_H_
#define STEPUP_LIB_KEYSOURCE_REMOTE_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "keysource/http_fetch.h"
#include "stepup/key_set.h"

namespace stepup::keysource {

// A validator's keys from its identity provider: a JWKS URL, or discovery
// from the issuer's metadata.
struct RemoteSource {
  enum class Kind { kJwksUri, kDiscovery };
  Kind kind = Kind::kJwksUri;
  std::string jwks_uri;  // kJwksUri.
  std::string issuer;    // kDiscovery: whose metadata names the JWKS URL.
  FetchOptions fetch;

  // "jwks_uri URL" or "discovery ISSUER", for operators.
  std::string describe() const;
};

// One successful fetch of a source's keys.
struct FetchedKeys {
  KeySet keys;
  std::string jwks_uri;  // Where they came from (discovery: the metadata's).
  std::string etag;      // For the next fetch's If-None-Match.
  std::optional<int64_t> max_age;
};

// Fetches the keys once: for discovery, each metadata URL in turn (the first
// that answers with a document for this issuer wins), then the JWKS, read
// tolerantly (KeySet::from_jwks). Errors say which step failed and why.
absl::StatusOr<FetchedKeys> fetch_keys(const RemoteSource& source);

}  // namespace stepup::keysource

#endif  // STEPUP_LIB_KEYSOURCE_REMOTE_SOURCE_H_
