// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_ENGINE_H_
#define STEPUP_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "stepup/clock.h"
#include "stepup/decision.h"
#include "stepup/decision_log.h"
#include "stepup/export.h"
#include "stepup/key_refresh.h"
#include "stepup/metrics.h"
#include "stepup/request.h"
#include "stepup/resource_metadata.h"
#include "stepup/status.h"
#include "stepup/token_verifier.h"

namespace stepup {

namespace engine_internal {
struct EngineState;
struct DecisionContext;
}  // namespace engine_internal

// The largest `max_entries` or `max_refused_entries` Engine::create accepts.
inline constexpr std::size_t kMaxTokenCacheEntries = std::size_t{1} << 20;

// The engine's cache of verified tokens. Only the exact same token bytes hit
// (a seeded hash, then a byte comparison); a hit re-checks `exp`, `nbf`,
// `iat` and `auth_time` at the decision's time, so it answers exactly as a
// fresh validation would. Reload starts an empty cache.
struct TokenCacheOptions {
  // Default: on.
  bool enabled = true;
  // Accepted tokens kept (rounded up to a multiple of 64). Default: 4096.
  std::size_t max_entries = 4096;
  // Refused tokens kept, in a separate table so that garbage never evicts an
  // accepted token (rounded up to a multiple of 64). Default: 1024.
  std::size_t max_refused_entries = 1024;
};

// A policy document in a file (SPEC §2): relative `jwks_file` paths are
// resolved against its folder, and `reload()` reads it again.
struct PolicyFile {
  std::string path;
};

// A policy document given as text: relative `jwks_file` paths are resolved
// against `base_directory` (default: the current directory). Reload it with
// `reload_json()`.
struct PolicyText {
  std::string json;
  std::string base_directory = {};
};

struct EngineOptions {
  // Where the policy document comes from: exactly one of a file or text.
  std::variant<PolicyFile, PolicyText> policy = PolicyFile{};
  // Default: system_clock(). Must outlive the engine.
  const Clock* clock = nullptr;
  // Default: on, 4096 accepted and 1024 refused tokens.
  TokenCacheOptions token_cache = {};
  // How keys from the identity provider are fetched again. Default: on a
  // thread of the engine's, first fetch at load.
  KeyRefreshOptions key_refresh = {};
  // Top-level claims of a verified token that each decision copies into
  // Decision::claims (for a host's logs or upstream headers). Default: none.
  std::vector<std::string> decision_claims = {};
  // Count decisions, refusals, challenges, cache hits, key fetches, reloads
  // and sampled latencies for metrics(). Default: on (it costs a few
  // nanoseconds per decision).
  bool metrics = true;
  // One record per decision, handed to a thread of the log's own so that
  // decide() never waits (stepup/decision_log.h, docs/spec.md §11).
  // Default: none.
  std::optional<DecisionLogOptions> decision_log = std::nullopt;
  // A candidate policy document evaluated after each live decision on the
  // same request and token claims; it never changes the answer. Where it
  // disagrees (another result or status), metrics count the pair and the
  // decision log records both outcomes. Only its policy is used: its keys
  // are never fetched. reload() reads a PolicyFile shadow again. Default:
  // none (and no cost).
  std::optional<std::variant<PolicyFile, PolicyText>> shadow_policy = std::nullopt;
  // The DPoP proofs remembered against replay (RFC 9449 §11.1), rounded up
  // to a power of two, 8 bytes each, shared by every load; made when a
  // document first takes DPoP. A proof that finds no room is refused
  // (TokenError::kDpopReplayCacheFull). From 64 to 2^26. Default: 65536.
  std::size_t dpop_replay_entries = 65536;
};

struct DecideOptions {
  // Fill Decision::explanation with the attributes and the evaluation trace.
  // Default: false (it costs allocations).
  bool explain = false;
  // Decide as of this time (epoch seconds) instead of the clock's.
  std::optional<int64_t> now = std::nullopt;
};

// Decides whether API requests may proceed, and answers with the right HTTP
// status and RFC 9470 step-up challenge when they may not (SPEC §1).
//
// An `Engine` is safe for concurrent `decide()` calls from many threads
// without external synchronization, also while another thread reloads it:
// each decision uses one complete policy (never a mix of old and new).
// Copies share the same state. A document with keys from an identity
// provider gets a refresh thread (unless KeyRefreshMode::kHostDriven),
// which ends when the last copy is destroyed.
class STEPUP_EXPORT Engine {
 public:
  // Loads and compiles the policy document and its keys. Every configuration
  // error is reported here, never at decision time.
  static absl::StatusOr<Engine> create(EngineOptions options);

  // Never throws, never blocks on I/O, always gives a complete Decision.
  // Should memory run out while deciding, the decision fails closed:
  // indeterminate, not authorized, status 500, no challenge, reason
  // "out of memory" (when even that fits).
  //
  // Two shapes, each with and without options (a fixed time, an
  // explanation): returning a new Decision is the simple call; writing into
  // `out` reuses its storage, so a host that keeps one Decision per worker
  // gets no heap allocation per call once warm (when the token is in the
  // cache and no statement joins the decision). The forms without options
  // are the common call, spelled without an empty options argument.
  Decision decide(const Request& request) const noexcept;
  Decision decide(const Request& request, const DecideOptions& options) const noexcept;
  void decide(const Request& request, Decision& out) const noexcept;
  void decide(const Request& request, const DecideOptions& options, Decision& out) const noexcept;

  // Reads the PolicyFile again and swaps policy and keys atomically; an
  // engine made from PolicyText gets FailedPrecondition (use reload_json()).
  // On any error the engine keeps its last good state and the error is
  // returned.
  absl::Status reload();
  // Swaps in a new document given as text (relative paths resolved against
  // `base_directory`). Same guarantees as reload().
  absl::Status reload_json(std::string_view policy_json, std::string base_directory = "");

  // Counts what the engine published: 1 after create(), +1 per successful
  // reload and per key set refreshed from an identity provider.
  uint64_t generation() const;

  // The token verifier of the current policy document (its validators and
  // their keys, for operators and tools); nullopt when the document has no
  // validators. A reload does not change a copy already returned.
  std::optional<TokenVerifier> token_verifier() const;

  // Keys from the identity provider (validators with `jwks_uri` or
  // `discovery`): the state of each such key set, for operators; empty when
  // the document has none.
  std::vector<KeySourceStatus> key_sources() const;

  // For KeyRefreshMode::kHostDriven (they also work beside the engine's own
  // thread, which then competes for the jobs). When the next fetch is due
  // (epoch seconds of the engine's clock; 0 when due at once; nullopt: the
  // document has no remote source). A decision that meets an unknown `kid`
  // makes a fetch due at once: hosts poll at least every second.
  std::optional<int64_t> next_key_fetch_at() const;
  // The due fetch, marked in flight until finished (a job never finished is
  // given up after 60 s plus three timeouts); nullopt when none is due.
  std::optional<KeyFetchJob> take_key_fetch();
  // Hands back what the fetch answered (or why it failed). A changed key set
  // is published atomically, like a reload; a failure keeps the last good
  // set and schedules a retry. Returns the fetch's or the set's error.
  absl::Status finish_key_fetch(const KeyFetchJob& job,
                                const absl::StatusOr<KeyFetchResponse>& answer);
  // Turns an engine created with KeyRefreshMode::kHostDriven into one with
  // its own refresh thread, started now when the document has a remote key
  // source (and at a later reload that brings one). For a process that
  // loads before it forks (threads do not survive fork): each child calls it
  // once. OK when the thread runs already; an error when it cannot start.
  absl::Status start_key_refresh_thread();

  // What the engine has done since it was created (counters summed over the
  // threads that decided), with each remote key set's age and the
  // generation; render_prometheus() formats it. With EngineOptions::metrics
  // off, only the ages and the generation.
  MetricsSnapshot metrics() const;

  // The protected resource's metadata (RFC 9728) of the current document,
  // for a host to serve at its path; nullopt when the document has no
  // `protected_resource`.
  std::optional<ProtectedResourceMetadata> protected_resource_metadata() const;

  // Opens the decision log's file again before its next write (after
  // logrotate renamed it). Async-signal-safe: a SIGUSR1 handler may call
  // it. Does nothing without a decision log file.
  void reopen_decision_log() const noexcept;

 private:
  // The bodies of create(), reload() and reload_json(); those turn running
  // out of memory into a ResourceExhausted status.
  static absl::StatusOr<Engine> create_unguarded(EngineOptions options);
  absl::Status reload_unguarded();
  absl::Status reload_json_unguarded(std::string_view policy_json, std::string base_directory);
  // The body of decide(), which turns any exception into a fail-closed
  // decision.
  // It leaves in `context` what the decision log and the shadow need.
  void decide_unguarded(const Request& request, const DecideOptions& options, Decision& out,
                        engine_internal::DecisionContext& context) const;
  // Hands the decision to the log when the drop rules keep it.
  void log_decision(const Request& request, const Decision& out,
                    const engine_internal::DecisionContext& context) const;

  explicit Engine(std::shared_ptr<engine_internal::EngineState> state);
  std::shared_ptr<engine_internal::EngineState> state_;
};

}  // namespace stepup

#endif  // STEPUP_ENGINE_H_
