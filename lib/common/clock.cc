// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/clock.h"

#include <chrono>

namespace stepup {
namespace {

class SystemClock final : public Clock {
 public:
  int64_t now_seconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace stepup
