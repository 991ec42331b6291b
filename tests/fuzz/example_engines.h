// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The engines of the gateway fuzz targets (sideband, authzen): the example
// policy (examples/policy) at the instant its example tokens are valid, with
// and without the token cache, built once per process.
#ifndef STEPUP_TESTS_FUZZ_EXAMPLE_ENGINES_H_
#define STEPUP_TESTS_FUZZ_EXAMPLE_ENGINES_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "stepup/clock.h"
#include "stepup/engine.h"

#ifndef STEPUP_EXAMPLE_POLICY_DIR
#error "the target must define STEPUP_EXAMPLE_POLICY_DIR (tests/fuzz/CMakeLists.txt)"
#endif

namespace stepup::fuzz {

// examples/policy/cases.json holds tokens valid at this instant.
inline constexpr int64_t kCasesNow = 1'800'000'000;
inline constexpr std::string_view kRealm = "api.example.com";

// Never destroyed: libFuzzer may exit while inputs still run.
inline const Engine& make_example_engine(bool cache) {
  static const ManualClock* const clock = new ManualClock(kCasesNow);
  EngineOptions options;
  options.policy = stepup::PolicyFile{STEPUP_EXAMPLE_POLICY_DIR "/policy.json"};
  options.clock = clock;
  options.token_cache.enabled = cache;
  absl::StatusOr<Engine> engine = Engine::create(std::move(options));
  if (!engine.ok()) {
    std::fprintf(stderr, "example policy refused: %s\n", engine.status().ToString().c_str());
    std::abort();
  }
  return *new Engine(*std::move(engine));
}

inline const Engine& cached_engine() {
  static const Engine& engine = make_example_engine(true);
  return engine;
}

inline const Engine& uncached_engine() {
  static const Engine& engine = make_example_engine(false);
  return engine;
}

// STEPUP_FUZZ_VERBOSE set: the targets print each input's answer.
inline bool verbose() {
  static const bool value = std::getenv("STEPUP_FUZZ_VERBOSE") != nullptr;
  return value;
}

}  // namespace stepup::fuzz

#endif  // STEPUP_TESTS_FUZZ_EXAMPLE_ENGINES_H_
