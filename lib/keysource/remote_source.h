// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_KEYSOURCE_REMOTE_SOURCE_H_
#define STEPUP_LIB_KEYSOURCE_REMOTE_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "keysource/http_fetch.h"
#include "stepup/key_set.h"

namespace stepup::keysource {

// When a remote key set is fetched again (the validator's `refresh` object,
// docs/spec.md §2).
struct RefreshLimits {
  // A response's Cache-Control max-age is clamped to [min, max]; without
  // one the set is fetched again after kDefaultRefreshSeconds, clamped.
  int64_t min_seconds = 60;
  int64_t max_seconds = 86400;
  // Tokens whose `kid` the set lacks cause at most one fetch per interval.
  int64_t unknown_kid_min_interval_seconds = 30;
};
inline constexpr int64_t kDefaultRefreshSeconds = 300;

// A validator's keys from its identity provider: a JWKS URL, or discovery
// from the issuer's metadata.
struct RemoteSource {
  enum class Kind { kJwksUri, kDiscovery };
  Kind kind = Kind::kJwksUri;
  std::string jwks_uri;  // kJwksUri.
  std::string issuer;    // kDiscovery: whose metadata names the JWKS URL.
  FetchOptions fetch;
  RefreshLimits refresh;

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

// The jwks_uri of a discovery source: the first metadata URL that answers
// with a document for this issuer.
absl::StatusOr<std::string> discover_jwks_uri(const std::string& issuer,
                                              const FetchOptions& options);

// A fetched JWK Set read tolerantly (KeySet::from_jwks); a set that
// publishes a symmetric key is refused. Errors name `url`.
absl::StatusOr<KeySet> keys_from_fetched_jwks(std::string_view body, const std::string& url);

// Fetches the keys once: for discovery, each metadata URL in turn (the first
// that answers with a document for this issuer wins), then the JWKS, read
// tolerantly (KeySet::from_jwks). Errors say which step failed and why.
absl::StatusOr<FetchedKeys> fetch_keys(const RemoteSource& source);

}  // namespace stepup::keysource

#endif  // STEPUP_LIB_KEYSOURCE_REMOTE_SOURCE_H_
