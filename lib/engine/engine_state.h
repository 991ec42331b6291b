// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_ENGINE_STATE_H_
#define STEPUP_LIB_ENGINE_ENGINE_STATE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "engine/token_cache.h"
#include "policy/policy.h"
#include "stepup/engine.h"

namespace stepup::engine_internal {

// One successful load: the compiled document and the tokens verified under
// it. A reload makes a new one, so the cache starts empty with new keys.
struct Loaded {
  std::shared_ptr<const policy::PolicyDocument> document;
  std::unique_ptr<TokenCache> tokens;  // nullptr when the cache is off.
};

// What one thread holds of one engine: the current load, and its private
// slice of the token cache. Valid until the thread's next decide().
struct ThreadView {
  uint64_t engine_id = 0;
  uint64_t generation = 0;
  std::shared_ptr<Loaded> loaded;
  LocalTokens local_tokens;
};

// The engine's shared state. Readers find the current load through a
// per-thread view validated by `generation`, so a warm decide() takes no
// lock and writes no shared memory; only a reader that sees a new
// generation takes `snapshot_mutex` once to pick the new load up.
struct EngineState {
  EngineOptions options;
  uint64_t id = 0;  // Unique per engine, for the per-thread views.
  std::atomic<uint64_t> generation{0};
  std::mutex reload_mutex;    // One reload at a time.
  std::mutex snapshot_mutex;  // Guards `current`.
  std::shared_ptr<Loaded> current;

  ThreadView& thread_view();
  // Makes `document` current, with an empty token cache. On error (out of
  // memory) nothing changes.
  absl::Status publish(std::shared_ptr<const policy::PolicyDocument> document);
};

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_ENGINE_STATE_H_
