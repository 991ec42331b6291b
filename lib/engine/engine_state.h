// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_ENGINE_STATE_H_
#define STEPUP_LIB_ENGINE_ENGINE_STATE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "absl/status/status.h"
#include "decisionlog/decision_log.h"
#include "decisionlog/decision_record.h"
#include "dpop/replay_cache.h"
#include "engine/token_cache.h"
#include "keysource/key_refresher.h"
#include "metrics/counters.h"
#include "policy/policy.h"
#include "stepup/engine.h"

namespace stepup::engine_internal {

// One successful load, or one key set swapped in: the compiled document, the
// verifier with the current keys, and the tokens verified under them. A
// reload or a new key set makes a new one, so the cache starts empty.
struct Loaded {
  std::shared_ptr<const policy::PolicyDocument> document;
  // The document's verifier, or one with keys refreshed since.
  std::optional<TokenVerifier> verifier;
  // The schedule of the document's remote key sets; nullptr when it has
  // none. Shared by every Loaded of one document.
  std::shared_ptr<keysource::KeyRefresher> refresher;
  std::unique_ptr<TokenCache> tokens;  // nullptr when the cache is off.
  // The metrics slot of each rule that can issue a step-up challenge;
  // shared by every Loaded of one document. nullptr when metrics are off.
  std::shared_ptr<const std::unordered_map<const policy::Rule*, uint16_t>> challenge_slots;
  // The shadow policy, or nullptr when none is configured.
  std::shared_ptr<const policy::PolicyDocument> shadow;
  // The engine's DPoP replay cache; nullptr until a document takes DPoP.
  std::shared_ptr<dpop::ReplayCache> replay;
};

// What one thread holds of one engine: the current load, and its private
// slice of the token cache. Valid until the thread's next decide().
struct ThreadView {
  uint64_t engine_id = 0;
  uint64_t generation = 0;
  std::shared_ptr<Loaded> loaded;
  LocalTokens local_tokens;
  metrics::CounterBlock* counters = nullptr;  // This thread's; nullptr when metrics are off.
};

// What decide_unguarded() leaves for the decision log, besides the Decision.
struct DecisionContext {
  decisionlog::Credentials credentials = decisionlog::Credentials::kNone;
  // The accepted token's claims (they live as long as the thread's view).
  json_internal::JsonRef claims;
  int64_t decided_at = 0;
  uint64_t generation = 0;
  metrics::CounterBlock* counters = nullptr;
  bool shadow_disagreed = false;
  decisionlog::ShadowOutcome shadow;  // Filled when it disagreed.
};

// The engine's shared state. Readers find the current load through a
// per-thread view validated by `generation`, so a warm decide() takes no
// lock and writes no shared memory; only a reader that sees a new
// generation takes `snapshot_mutex` once to pick the new load up.
struct EngineState {
  // Stops and joins the refresh thread (waiting for a fetch in progress:
  // at most its timeout, three times for discovery).
  ~EngineState();

  EngineOptions options;
  uint64_t id = 0;  // Unique per engine, for the per-thread views.
  std::atomic<uint64_t> generation{0};
  std::mutex reload_mutex;    // One reload at a time.
  std::mutex snapshot_mutex;  // Guards `current`.
  std::shared_ptr<Loaded> current;
  std::unique_ptr<metrics::Registry> metrics;     // nullptr when metrics are off.
  std::unique_ptr<decisionlog::DecisionLog> log;  // nullptr without a decision log.
  // The shadow policy each new load carries (guarded by `reload_mutex`).
  std::shared_ptr<const policy::PolicyDocument> shadow;
  // The DPoP replay cache each new load carries, made by the first load
  // that takes DPoP and kept across reloads (guarded by `reload_mutex`).
  std::shared_ptr<dpop::ReplayCache> replay;

  // Decisions wake the refresh thread through it for an early fetch.
  std::shared_ptr<keysource::WakeSignal> wake = std::make_shared<keysource::WakeSignal>();
  std::atomic<bool> stopping{false};
  std::thread refresh_thread;  // Started with the first remote key source.

  ThreadView& thread_view();
  std::shared_ptr<Loaded> snapshot();
  // Makes `document` current, with its own key refresher and an empty token
  // cache; starts the refresh thread when it is due. On error (out of
  // memory) nothing changes. Callers hold `reload_mutex`.
  absl::Status publish(std::shared_ptr<const policy::PolicyDocument> document);
  // Starts the refresh thread when `current` has a remote key source and
  // the mode asks for one. Callers hold `reload_mutex`.
  absl::Status start_refresh_thread_if_due();
  // Records the answer to a fetch of `refresher`, and publishes the key set
  // it brought when that changed (unless the document was reloaded since).
  absl::Status finish_fetch(const std::shared_ptr<keysource::KeyRefresher>& refresher,
                            const KeyFetchJob& job, const absl::StatusOr<KeyFetchResponse>& answer);

 private:
  // An empty token cache for a new load, when the cache is on.
  void add_token_cache(Loaded& loaded) const;
  // Swaps `loaded` in and moves the generation (nothing here can fail).
  void make_current(std::shared_ptr<Loaded> loaded);
  absl::Status publish_keys(const keysource::KeyRefresher* refresher, std::size_t validator,
                            KeySet keys);
  void run_refresh_thread();
};

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_ENGINE_STATE_H_
