// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_KEYSOURCE_HTTP_FETCH_H_
#define STEPUP_LIB_KEYSOURCE_HTTP_FETCH_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

// Fetching key sets and provider metadata over HTTPS (libcurl). Never called
// on a decision's path.
namespace stepup::keysource {

struct FetchOptions {
  // The whole fetch, redirects included.
  std::chrono::milliseconds timeout{5000};
  // Bodies larger than this are refused.
  std::size_t max_response_bytes = std::size_t{1} << 20;
  // A PEM bundle of trusted CAs; empty: the system's store.
  std::string ca_file = {};
  // Also allow plain `http` to a loopback host (127.0.0.0/8, [::1],
  // localhost): for tests and sidecars. Such a fetch follows no redirect.
  bool allow_http_loopback = false;
};

struct FetchResponse {
  long status = 0;   // 200, or 304 when `if_none_match` still holds.
  std::string body;  // Empty for 304.
  std::string etag;  // The response's ETag, if any.
  // Cache-Control max-age in seconds, if the response gave one (and no
  // no-store or no-cache, which count as 0).
  std::optional<int64_t> max_age;
};

// Whether `url` may be fetched under `options`: an absolute https URL, or
// http to a loopback host when allowed. An error says why not.
absl::Status check_fetch_url(const std::string& url, const FetchOptions& options);

// GET `url`: TLS verified (peer and host name), at most 3 redirects and never
// to another scheme, no credentials or cookies, bounded in time and size.
// `if_none_match`, when not empty, is sent as If-None-Match. Statuses other
// than 200 and 304 are errors, as are transport failures; messages name the
// URL and the reason, never a body.
absl::StatusOr<FetchResponse> fetch(const std::string& url, const FetchOptions& options,
                                    const std::string& if_none_match = "");

// The max-age of a Cache-Control value (RFC 9111 §5.2.2.1): nullopt when it
// has none; 0 with no-store or no-cache.
std::optional<int64_t> parse_cache_control_max_age(std::string_view value);

}  // namespace stepup::keysource

#endif  // STEPUP_LIB_KEYSOURCE_HTTP_FETCH_H_
