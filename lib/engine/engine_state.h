// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ENGINE_ENGINE_STATE_H_
#define STEPUP_LIB_ENGINE_ENGINE_STATE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "policy/policy.h"
#include "stepup/engine.h"

namespace stepup::engine_internal {

// The engine's shared state. Readers find the current document through a
// per-thread cache validated by `generation`, so a warm decide() takes no
// lock; only a reader that sees a new generation takes `snapshot_mutex`
// once to pick the new document up.
struct EngineState {
  EngineOptions options;
  uint64_t id = 0;  // Unique per engine, for the per-thread caches.
  std::atomic<uint64_t> generation{0};
  std::mutex reload_mutex;    // One reload at a time.
  std::mutex snapshot_mutex;  // Guards `current`.
  std::shared_ptr<const policy::PolicyDocument> current;

  std::shared_ptr<const policy::PolicyDocument> snapshot();
  void publish(std::shared_ptr<const policy::PolicyDocument> document);
};

}  // namespace stepup::engine_internal

#endif  // STEPUP_LIB_ENGINE_ENGINE_STATE_H_
