// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_KEY_REFRESH_H_
#define STEPUP_KEY_REFRESH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "stepup/export.h"
#include "stepup/status.h"

// Keys from the identity provider (validators with `jwks_uri` or
// `discovery`, docs/spec.md §2): how the engine keeps them fresh.
namespace stepup {

enum class KeyRefreshMode {
  // A thread of the engine's runs every fetch. The default.
  kBackgroundThread,
  // The engine starts no thread: the host asks Engine::next_key_fetch_at()
  // when to act, takes the due fetch with Engine::take_key_fetch(), runs it
  // on a thread of its own (run_key_fetch(), or its own HTTP client) and
  // hands the answer back with Engine::finish_key_fetch().
  kHostDriven,
};

struct KeyRefreshOptions {
  KeyRefreshMode mode = KeyRefreshMode::kBackgroundThread;
  // Engine::create() and reloads do not fetch: every remote validator starts
  // without keys, and its tokens get 503 with Retry-After until the first
  // fetch lands. Default: false (the first fetch is made at load, bounded by
  // the validator's `fetch_timeout_ms`, and its failure fails the load).
  bool start_without_keys = false;
};

// One due fetch of a validator's key set.
struct KeyFetchJob {
  uint64_t id = 0;             // Names this fetch to finish_key_fetch().
  std::string validator = {};  // The validator's name.
  // The JWK Set URL; empty when `discover_issuer` is set and its metadata
  // must be read first (then run_key_fetch() finds the URL).
  std::string jwks_uri = {};
  std::string discover_issuer = {};
  std::string if_none_match = {};  // Send as If-None-Match when not empty.
  // The validator's fetch limits (docs/spec.md §2).
  int64_t timeout_ms = 5000;
  std::size_t max_response_bytes = std::size_t{1} << 20;
  std::string ca_file = {};  // Empty: the system's trust store.
  bool allow_http_loopback = false;
};

// What a fetch answered.
struct KeyFetchResponse {
  int status = 200;       // 200 with a JWK Set in `body`, or 304 (unchanged).
  std::string body = {};  // The JWK Set (200).
  std::string etag = {};  // The ETag header, if any.
  // The URL fetched. Read for a discovery job only (empty: the job's
  // jwks_uri); a jwks_uri job's URL is the configured one.
  std::string jwks_uri = {};
  // Cache-Control max-age in seconds, if any (no-store and no-cache: 0).
  std::optional<int64_t> max_age = std::nullopt;
};

// Runs `job` on the calling thread with the library's HTTPS client
// (libcurl; TLS verified, `https` only, bounded in time and size): the
// issuer's metadata first for a discovery job (two URLs at most), then the
// JWK Set. Blocks for up to three times the job's timeout. Errors name the
// URL and the reason.
STEPUP_EXPORT absl::StatusOr<KeyFetchResponse> run_key_fetch(const KeyFetchJob& job);

// The state of one validator's remote key set, for operators.
struct KeySourceStatus {
  std::string validator = {};
  std::string source = {};    // Such as "jwks_uri https://...", "discovery https://...".
  std::string jwks_uri = {};  // The last URL fetched (empty before any fetch).
  bool has_keys = false;      // Whether tokens of this validator can be verified.
  std::size_t usable_keys = 0;
  std::size_t skipped_keys = 0;
  // Epoch seconds of the last fetch that gave the current set, and of the
  // last fetch that confirmed it (200 or 304); nullopt before any.
  std::optional<int64_t> fetched_at = std::nullopt;
  std::optional<int64_t> checked_at = std::nullopt;
  // Seconds since checked_at, as of the call (nullopt before any).
  std::optional<int64_t> age_seconds = std::nullopt;
  // When the next fetch is due (epoch seconds).
  int64_t next_fetch_at = 0;
  uint64_t fetches = 0;               // Fetches finished (successes and failures).
  uint32_t consecutive_failures = 0;  // Since the last success.
  std::string last_error = {};        // Of the last failure; empty after a success.
};

}  // namespace stepup

#endif  // STEPUP_KEY_REFRESH_H_
