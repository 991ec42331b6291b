// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_CLOCK_H_
#define STEPUP_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "stepup/export.h"

namespace stepup {

// A `Clock` tells the current time in whole seconds since the Unix epoch.
// Everything time-based in stepup (token expiry, authentication age) reads one
// injected clock, so tests and replays can control time.
// Implementations must be safe for concurrent calls from many threads.
class STEPUP_EXPORT Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_seconds() const = 0;
};

// The wall clock. Safe for concurrent use.
STEPUP_EXPORT const Clock& system_clock();

// A clock that returns whatever it was last set to. Safe for concurrent use:
// `set()` and `advance()` are atomic.
class STEPUP_EXPORT ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_seconds) : now_(now_seconds) {}
  int64_t now_seconds() const override { return now_.load(std::memory_order_relaxed); }
  void set(int64_t now_seconds) { now_.store(now_seconds, std::memory_order_relaxed); }
  void advance(int64_t seconds) { now_.fetch_add(seconds, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace stepup

#endif  // STEPUP_CLOCK_H_
