// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The DPoP replay cache: a proof is new once within its window, the window
// ends, a full cache refuses, and many threads presenting the same proofs
// at once see exactly one first use each.
#include "dpop/replay_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace stepup::dpop {
namespace {

constexpr int64_t kNow = 1'800'000'000;

TEST(ReplayCacheTest, ANewProofOnceThenReplayedUntilItsWindowEnds) {
  ReplayCache cache(64);
  EXPECT_EQ(cache.first_use("key", "a", kNow, kNow + 300), ReplayVerdict::kFirstUse);
  EXPECT_EQ(cache.first_use("key", "a", kNow + 299, kNow + 300), ReplayVerdict::kReplayed);
  EXPECT_EQ(cache.first_use("key", "b", kNow, kNow + 300), ReplayVerdict::kFirstUse);
  EXPECT_EQ(cache.first_use("other-key", "a", kNow, kNow + 300), ReplayVerdict::kFirstUse)
      << "a jti is scoped by its key";
  EXPECT_EQ(cache.first_use("key", "a", kNow + 300, kNow + 600), ReplayVerdict::kReplayed)
      << "its last second still counts: a proof is accepted at iat + max_age";
  EXPECT_EQ(cache.first_use("key", "a", kNow + 301, kNow + 601), ReplayVerdict::kFirstUse)
      << "past its window the proof would be refused for its iat anyway";
}

TEST(ReplayCacheTest, AWindowTheExpiryCannotHoldIsRefused) {
  ReplayCache cache(64);
  EXPECT_EQ(cache.first_use("key", "a", kNow, kNow + (int64_t{1} << 23)), ReplayVerdict::kFull);
  EXPECT_EQ(cache.first_use("key", "a", kNow, kNow - 1), ReplayVerdict::kFull);
  EXPECT_EQ(cache.first_use("key", "a", kNow, kNow + (int64_t{1} << 23) - 1),
            ReplayVerdict::kFirstUse);
  EXPECT_EQ(cache.first_use("key", "a", kNow + 100000, kNow + 100300), ReplayVerdict::kReplayed);
}

TEST(ReplayCacheTest, AFullCacheRefusesInsteadOfForgetting) {
  ReplayCache cache(64);
  int full = 0;
  for (int i = 0; i < 1000; ++i) {
    const ReplayVerdict verdict = cache.first_use("key", std::to_string(i), kNow, kNow + 300);
    EXPECT_NE(verdict, ReplayVerdict::kReplayed) << i;
    if (verdict == ReplayVerdict::kFull) ++full;
  }
  EXPECT_GE(full, 1000 - 64);
  // Every proof the cache took is still caught.
  int caught = 0;
  for (int i = 0; i < 1000; ++i) {
    if (cache.first_use("key", std::to_string(i), kNow + 1, kNow + 300) == ReplayVerdict::kReplayed)
      ++caught;
  }
  EXPECT_EQ(caught, 1000 - full);
  // Once their window passed, the slots serve again.
  EXPECT_EQ(cache.first_use("key", "later", kNow + 301, kNow + 601), ReplayVerdict::kFirstUse);
}

TEST(ReplayCacheTest, ManyThreadsSeeOneFirstUsePerProof) {
  ReplayCache cache(1 << 14);
  constexpr int kThreads = 4;
  constexpr int kProofs = 2000;
  std::vector<std::atomic<int>> first_uses(kProofs);
  std::atomic<int> full{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kProofs; ++i) {
        const ReplayVerdict verdict =
            cache.first_use("key", "jti-" + std::to_string(i), kNow, kNow + 300);
        if (verdict == ReplayVerdict::kFirstUse) ++first_uses[static_cast<std::size_t>(i)];
        if (verdict == ReplayVerdict::kFull) ++full;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(full.load(), 0);
  // Never two first uses of one proof; the rare race that both threads lose
  // refuses it (fail closed).
  int accepted = 0;
  for (const std::atomic<int>& count : first_uses) {
    EXPECT_LE(count.load(), 1);
    accepted += count.load();
  }
  EXPECT_GE(accepted, kProofs * 99 / 100);
}

}  // namespace
}  // namespace stepup::dpop
