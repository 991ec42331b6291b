// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// decide() from many threads while the policy is reloaded: each decision uses
// one complete policy. Suite EngineConcurrency, for TSan runs:
//   engine_test --gtest_filter='EngineConcurrency.*'
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine_test_util.h"

namespace stepup::engine_test {
namespace {

constexpr const char* kPermitAll =
    R"({"name": "root", "rules": [{"name": "yes", "effect": "permit"}]})";
constexpr const char* kStepUp = R"({"name": "root", "combining": "deny-overrides", "rules": [
    {"name": "hwk", "effect": "deny",
     "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]},
    {"name": "fresh", "effect": "deny",
     "statements": [{"code": "auth-challenge", "payload": {"max_age": 30}}]}]})";

// What a decision must equal, field by field.
bool same(const Decision& a, const Decision& b) {
  if (a.result != b.result || a.authorized != b.authorized || a.status != b.status ||
      a.www_authenticate != b.www_authenticate || a.error != b.error || a.reason != b.reason ||
      a.determining_rule != b.determining_rule || a.token_error != b.token_error ||
      a.statements.size() != b.statements.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.statements.size(); ++i) {
    if (a.statements[i].code != b.statements[i].code) return false;
  }
  return true;
}

// Records the first unexpected decision of any thread.
class Mismatches {
 public:
  void add(const Decision& decision) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_++ == 0) first_ = decision.to_json();
  }
  int count() const { return count_; }
  const std::string& first() const { return first_; }

 private:
  std::mutex mutex_;
  int count_ = 0;
  std::string first_;
};

TEST(EngineConcurrency, DecisionsDuringReloadsAreNeverTorn) {
  const std::string policy_a = document(kStepUp, {.realm = "one"});
  const std::string policy_b = document(kPermitAll, {.realm = "two"});
  const std::string authorization = bearer();
  TestRequest request("GET", "/payments/x");
  request.authorization(authorization);
  const Decision answer_a = decide(create_engine(policy_a), request);
  const Decision answer_b = decide(create_engine(policy_b), request);
  ASSERT_EQ(answer_a.status, 401);
  ASSERT_EQ(answer_a.www_authenticate,
            "Bearer realm=\"one\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:hwk\", max_age=\"30\"");
  ASSERT_EQ(answer_b.status, 200);

  Engine engine = create_engine(policy_a);
  constexpr int kDeciders = 4;
  constexpr int kDecisionsEach = 2000;
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
  std::atomic<int> reloads{0};
  std::atomic<int> reload_errors{0};
  std::atomic<int> bad_reloads_accepted{0};
  std::atomic<int> seen_a{0};
  std::atomic<int> seen_b{0};
  Mismatches mismatches;

  std::thread reloader([&] {
    bool to_b = true;
    while (!done.load()) {
      if (!engine.reload_json(to_b ? policy_b : policy_a).ok()) ++reload_errors;
      ++reloads;
      started.store(true);
      to_b = !to_b;
      std::this_thread::yield();
    }
  });
  // Bad documents are refused without ever disturbing the deciders.
  std::thread breaker([&] {
    const std::string broken = document(R"({"name": "root", "rules": [{"name": "r"}]})");
    while (!done.load()) {
      if (engine.reload_json(broken).ok()) ++bad_reloads_accepted;
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&, t] {
      while (!started.load())
        std::this_thread::yield();
      // Each thread its own request data; a shared Engine copy for half of them.
      TestRequest own("GET", "/payments/x");
      own.authorization(authorization);
      const Engine copy = engine;
      const Engine& use = t % 2 == 0 ? engine : copy;
      for (int i = 0; i < kDecisionsEach; ++i) {
        const Decision d = decide(use, own, kNow, /*explain=*/i % 7 == 0);
        if (same(d, answer_a)) {
          ++seen_a;
        } else if (same(d, answer_b)) {
          ++seen_b;
        } else {
          mismatches.add(d);
        }
      }
    });
  }
  for (std::thread& thread : deciders)
    thread.join();
  done.store(true);
  reloader.join();
  breaker.join();

  EXPECT_EQ(mismatches.count(), 0) << "first: " << mismatches.first();
  EXPECT_EQ(seen_a + seen_b, kDeciders * kDecisionsEach);
  EXPECT_EQ(reload_errors.load(), 0);
  EXPECT_EQ(bad_reloads_accepted.load(), 0);
  EXPECT_GT(reloads.load(), 0);
  EXPECT_EQ(engine.generation(), 1u + static_cast<uint64_t>(reloads.load()));
  // The last reload decides what comes next.
  const Decision last = decide(engine, request);
  EXPECT_TRUE(same(last, reloads.load() % 2 == 1 ? answer_b : answer_a)) << last.to_json();
  std::printf("EngineConcurrency: %d reloads, %d decisions A, %d decisions B\n", reloads.load(),
              seen_a.load(), seen_b.load());
}

TEST(EngineConcurrency, MoreEnginesThanAThreadCaches) {
  // Each engine answers with its own realm, also when a thread uses more
  // engines than it keeps warm, and after some of them are reloaded.
  constexpr int kEngines = 9;
  std::vector<Engine> engines;
  for (int i = 0; i < kEngines; ++i) {
    engines.push_back(create_engine(document(kPermitAll, {.realm = "realm" + std::to_string(i)})));
  }
  Mismatches mismatches;
  std::atomic<bool> done{false};
  std::thread reloader([&] {
    int round = 0;
    while (!done.load()) {
      for (int i = 0; i < kEngines; i += 3) {
        const std::string realm = "realm" + std::to_string(i);
        const absl::Status status = engines[i].reload_json(
            document(round % 2 == 0 ? kStepUp : kPermitAll, {.realm = realm}));
        if (!status.ok()) ADD_FAILURE() << status;
      }
      ++round;
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      TestRequest anonymous("GET", "/x");
      for (int round = 0; round < 300; ++round) {
        for (int i = 0; i < kEngines; ++i) {
          const Decision d = decide(engines[i], anonymous);
          const std::string expected = "Bearer realm=\"realm" + std::to_string(i) + "\"";
          const bool ok = (d.status == 200 && d.www_authenticate.empty()) ||
                          (d.status == 401 && d.www_authenticate == expected);
          if (!ok || (i % 3 != 0 && d.status != 200)) mismatches.add(d);
        }
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  done.store(true);
  reloader.join();
  EXPECT_EQ(mismatches.count(), 0) << "first: " << mismatches.first();
}

TEST(EngineConcurrency, ANewEngineNeverSeesAnOldEnginesPolicy) {
  // Per-thread caches must be keyed by engine, not by address.
  for (int i = 0; i < 20; ++i) {
    const std::string realm = "gen" + std::to_string(i);
    auto engine = std::make_unique<Engine>(create_engine(document(kStepUp, {.realm = realm})));
    const Decision d = decide(*engine, TestRequest("GET", "/x"));
    ASSERT_EQ(d.www_authenticate, "Bearer realm=\"" + realm + "\"");
  }
}

}  // namespace
}  // namespace stepup::engine_test
