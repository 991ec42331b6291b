// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "keysource/remote_source.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "keysource/discovery.h"

namespace stepup::keysource {
absl::StatusOr<std::string> discover_jwks_uri(const std::string& issuer,
                                              const FetchOptions& options) {
  std::string errors;
  for (const std::string& url : metadata_urls(issuer)) {
    absl::StatusOr<FetchResponse> response = fetch(url, options);
    if (!response.ok()) {
      errors += (errors.empty() ? "" : "; ") + std::string(response.status().message());
      continue;
    }
    absl::StatusOr<std::string> jwks_uri = jwks_uri_from_metadata(response->body, issuer);
    if (!jwks_uri.ok()) {
      errors +=
          (errors.empty() ? "" : "; ") + url + ": " + std::string(jwks_uri.status().message());
      continue;
    }
    if (absl::Status s = check_fetch_url(*jwks_uri, options); !s.ok()) {
      return absl::InvalidArgumentError(url + ": jwks_uri: " + std::string(s.message()));
    }
    return jwks_uri;
  }
  return absl::UnavailableError("discovery of " + issuer + " failed: " + errors);
}

absl::StatusOr<KeySet> keys_from_fetched_jwks(std::string_view body, const std::string& url) {
  absl::StatusOr<KeySet> keys = KeySet::from_jwks(body);
  if (!keys.ok())
    return absl::InvalidArgumentError(url + ": " + std::string(keys.status().message()));
  for (const KeyInfo& key : keys->describe()) {
    if (key.type == KeyType::kOctet) {
      return absl::InvalidArgumentError(url +
                                        ": publishes a symmetric (\"oct\") key: a secret must "
                                        "never be served to whoever asks");
    }
  }
  return keys;
}

std::string RemoteSource::describe() const {
  return kind == Kind::kJwksUri ? "jwks_uri " + jwks_uri : "discovery " + issuer;
}

absl::StatusOr<FetchedKeys> fetch_keys(const RemoteSource& source) {
  FetchedKeys fetched;
  if (source.kind == RemoteSource::Kind::kDiscovery) {
    absl::StatusOr<std::string> jwks_uri = discover_jwks_uri(source.issuer, source.fetch);
    if (!jwks_uri.ok()) return jwks_uri.status();
    fetched.jwks_uri = *std::move(jwks_uri);
  } else {
    fetched.jwks_uri = source.jwks_uri;
  }
  absl::StatusOr<FetchResponse> response = fetch(fetched.jwks_uri, source.fetch);
  if (!response.ok()) return response.status();
  absl::StatusOr<KeySet> keys = keys_from_fetched_jwks(response->body, fetched.jwks_uri);
  if (!keys.ok()) return keys.status();
  fetched.keys = *std::move(keys);
  fetched.etag = std::move(response->etag);
  fetched.max_age = response->max_age;
  return fetched;
}

}  // namespace stepup::keysource
