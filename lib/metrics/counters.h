// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_METRICS_COUNTERS_H_
#define STEPUP_LIB_METRICS_COUNTERS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "stepup/decision.h"
#include "stepup/metrics.h"
#include "stepup/token_error.h"

namespace stepup::metrics {

// A counter one thread writes and any thread reads: an increment is a
// relaxed load and store (no read-modify-write), since its block has one
// writer.
class Counter {
 public:
  void add(uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

inline constexpr std::array<int, 6> kStatuses = {200, 400, 401, 403, 500, 503};
inline constexpr std::array<std::string_view, 6> kErrors = {
    "invalid_request",    "invalid_token", "insufficient_scope", "insufficient_user_authentication",
    "invalid_dpop_proof", "other"};
inline constexpr std::size_t kStatusSlots = kStatuses.size() + 1;  // Last: other.
inline constexpr std::size_t kErrorSlots = kErrors.size() + 1;     // First: none.
inline constexpr std::size_t kResults = 4;
inline constexpr std::size_t kTokenErrors =
    static_cast<std::size_t>(TokenError::kDpopReplayCacheFull) + 1;
inline constexpr std::size_t kChallengeRules = 256;  // The last slot: "other".
// Upper bounds of the latency buckets, in nanoseconds (from 1 µs).
inline constexpr std::array<uint64_t, 12> kLatencyBoundsNs = {
    1'000,   2'000,   5'000,   10'000,    20'000,     50'000,
    100'000, 250'000, 500'000, 1'000'000, 10'000'000, 100'000'000};

// Inline: they run on every decision.
inline std::size_t status_slot(int status) {
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) return i;
  }
  return kStatuses.size();  // Other.
}

inline std::size_t error_slot(std::string_view error) {
  if (error.empty()) return 0;
  for (std::size_t i = 0; i + 1 < kErrors.size(); ++i) {
    if (kErrors[i] == error) return 1 + i;
  }
  return kErrors.size();  // "other".
}

// One thread's counters of one engine. What every decision touches comes
// first, so that a permit writes one cache line.
struct alignas(64) CounterBlock {
  uint32_t until_sample = 0;  // The owner thread's countdown to its next timed decision.
  Counter cache_hits;
  Counter cache_misses;
  std::array<Counter, kResults * kStatusSlots * kErrorSlots> decisions;  // [0]: permit, 200.
  std::array<Counter, kTokenErrors> token_errors;
  std::array<Counter, kChallengeRules> challenges;
  std::array<Counter, kLatencyBoundsNs.size() + 1> latency_buckets;
  Counter latency_sum_ns;
  Counter log_filtered;  // Decisions the decision log's drop rules left out.
  // [live result * kResults + shadow result]: the shadow policy disagreed.
  std::array<Counter, kResults * kResults> shadow_disagreements;

  void count_decision(const Decision& decision) {
    const auto result = static_cast<std::size_t>(decision.result);
    decisions[(result * kStatusSlots + status_slot(decision.status)) * kErrorSlots +
              error_slot(decision.error)]
        .add();
    if (decision.token_error != TokenError::kOk &&
        decision.token_error != TokenError::kAuthorizationMissing) {
      token_errors[static_cast<std::size_t>(decision.token_error)].add();
    }
  }
  void count_latency(uint64_t nanoseconds);
};

// An engine's counters: a block per thread that decided, summed when read,
// and the rarer events (reloads, key fetches) counted under a lock.
class Registry {
 public:
  // This thread's block (made on its first call; kept after it exits).
  CounterBlock* block_for_this_thread();
  // The challenge slots `rules` (their joined names) get, in order: stable
  // across reloads; the 256th name and later share the "other" slot. The
  // new names are registered only by commit(), which cannot fail, so that
  // a load can fail in between and leave nothing behind. One plan at a
  // time (the engine's reload lock).
  struct ChallengeSlotPlan {
    std::vector<uint16_t> slots;
    std::vector<std::string> names;
    std::map<std::string, uint16_t, std::less<>> slot_by_name;
  };
  ChallengeSlotPlan plan_challenge_slots(const std::vector<std::string>& rules) const;
  void commit(ChallengeSlotPlan& plan) noexcept;
  void count_reload(bool succeeded);
  void count_key_fetch(const std::string& validator, std::string_view outcome);
  // Everything but the key set ages and the generation, which the engine adds.
  MetricsSnapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::thread::id, std::unique_ptr<CounterBlock>> blocks_;
  std::vector<std::string> challenge_rules_;
  std::map<std::string, uint16_t, std::less<>> challenge_slots_;
  std::map<std::pair<std::string, std::string>, uint64_t> key_fetches_;
  uint64_t reloads_succeeded_ = 0;
  uint64_t reloads_failed_ = 0;
};

}  // namespace stepup::metrics

#endif  // STEPUP_LIB_METRICS_COUNTERS_H_
