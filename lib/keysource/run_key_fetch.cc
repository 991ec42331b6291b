// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <chrono>
#include <utility>

#include "keysource/http_fetch.h"
#include "keysource/remote_source.h"
#include "stepup/key_refresh.h"

namespace stepup {

absl::StatusOr<KeyFetchResponse> run_key_fetch(const KeyFetchJob& job) {
  keysource::FetchOptions options;
  options.timeout = std::chrono::milliseconds(job.timeout_ms);
  options.max_response_bytes = job.max_response_bytes;
  options.ca_file = job.ca_file;
  options.allow_http_loopback = job.allow_http_loopback;
  KeyFetchResponse answer;
  answer.jwks_uri = job.jwks_uri;
  if (answer.jwks_uri.empty()) {
    if (job.discover_issuer.empty()) {
      return absl::InvalidArgumentError("key fetch: neither a jwks_uri nor an issuer to discover");
    }
    absl::StatusOr<std::string> discovered =
        keysource::discover_jwks_uri(job.discover_issuer, options);
    if (!discovered.ok()) return discovered.status();
    answer.jwks_uri = *std::move(discovered);
  }
  absl::StatusOr<keysource::FetchResponse> response =
      keysource::fetch(answer.jwks_uri, options, job.if_none_match);
  if (!response.ok()) return response.status();
  answer.status = static_cast<int>(response->status);
  answer.body = std::move(response->body);
  answer.etag = std::move(response->etag);
  answer.max_age = response->max_age;
  return answer;
}

}  // namespace stepup
