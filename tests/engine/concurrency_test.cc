// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// decide() from many threads while the policy is reloaded: each decision uses
// one complete policy, and the tokens cached under it. Suite EngineConcurrency, for TSan runs:
//   engine_test --gtest_filter='EngineConcurrency.*'
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine_test_util.h"
#include "support/token_minter.h"

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

// --- the verified-token cache under concurrency ---------------------------------------

// document(policy) with its validator's JWKS replaced by `jwks`.
std::string with_jwks(std::string json, const std::string& jwks) {
  const std::string shared = testing::TestKey::shared(Algorithm::kES256).jwks();
  json.replace(json.find(shared), shared.size(), jwks);
  return json;
}

// "Bearer " + a token of `claims_json` signed by `key`.
std::string bearer_of(const testing::TestKey& key, const std::string& claims_json) {
  return "Bearer " +
         key.mint("{\"alg\":\"ES256\",\"kid\":\"" + key.kid() + "\",\"typ\":\"at+jwt\"}",
                  claims_json);
}

std::string with_bad_signature(std::string authorization) {
  const std::size_t at = authorization.rfind('.') + 10;
  authorization[at] = authorization[at] == 'A' ? 'B' : 'A';
  return authorization;
}

// Each request's possible answers, as complete decision JSON (statements'
// payloads and all), under every document the engine may be using.
struct Expected {
  TestRequest request;
  std::vector<std::string> answers;
};

bool is_one_of(const Decision& decision, const std::vector<std::string>& answers) {
  const std::string json = decision.to_json();
  return std::find(answers.begin(), answers.end(), json) != answers.end();
}

// Document A asks for a hardware key, then permits; B permits any token
// that names a subject.
constexpr const char* kCachePolicyA = R"json({"name": "a", "combining": "first-applicable",
    "rules": [{"name": "a-hwk", "effect": "deny", "condition": "!acr_at_least('urn:example:hwk')",
               "statements": [{"code": "auth-challenge",
                               "payload": {"min_acr": "urn:example:hwk"}}]},
              {"name": "a-yes", "effect": "permit"}]})json";
constexpr const char* kCachePolicyB = R"json({"name": "b", "rules": [{"name": "b-yes",
    "effect": "permit", "condition": "has(HttpRequest.AccessToken.sub)"}]})json";

TEST(EngineConcurrency, CachedTokensDuringReloadsAnswerFromOneDocument) {
  // Documents A and B accept different keys and answer accepted tokens
  // differently (A asks for a hardware key, B permits under another rule),
  // each in its own realm. An answer that mixed them (a token cached under
  // A's keys, decided by B's policy, or a refusal in the wrong realm) would
  // be none of the expected ones.
  const testing::TestKey& key_a = testing::TestKey::shared(Algorithm::kES256);
  const testing::TestKey key_b = testing::TestKey::generate(Algorithm::kES256, "b-key");
  const std::string policy_a = document(kCachePolicyA, {.realm = "one"});
  const std::string policy_b = with_jwks(document(kCachePolicyB, {.realm = "two"}), key_b.jwks());

  std::vector<Expected> expected;
  auto add = [&expected](std::optional<std::string> authorization) {
    TestRequest request("GET", "/payments/x");
    if (authorization) request.authorization(*authorization);
    expected.push_back({std::move(request), {}});
  };
  add(bearer_of(key_a, claims()));                                       // A: step-up; B: no key.
  add(bearer_of(key_a, claims({{"acr", "\"urn:example:hwk\""}})));       // A: permit; B: no key.
  add(bearer_of(key_b, claims()));                                       // A: no key; B: permit.
  add(bearer_of(key_b, claims({{"sub", "\"bob\""}})));                   // Likewise.
  add(bearer_of(key_a, claims({{"exp", std::to_string(kNow - 100)}})));  // A: expired.
  add(with_bad_signature(bearer_of(key_a, claims())));                   // A: bad signature.
  add(with_bad_signature(bearer_of(key_b, claims())));                   // B: bad signature.
  add("Bearer a.b.c");                                                   // Refused (and cached).
  add("Bearer a+b=c!");                                                  // 400, never cached.
  add(std::nullopt);                                                     // No credentials.
  for (const std::string* policy : {&policy_a, &policy_b}) {
    const Engine reference = create_engine(*policy);
    for (Expected& e : expected)
      e.answers.push_back(decide(reference, e.request).to_json());
  }
  // The two documents answer every token differently.
  for (const Expected& e : expected)
    ASSERT_NE(e.answers[0], e.answers[1]);
  ASSERT_EQ(decide(create_engine(policy_a), expected[1].request).status, 200);
  ASSERT_EQ(decide(create_engine(policy_b), expected[2].request).status, 200);

  Engine engine = create_engine(policy_a);
  constexpr int kDeciders = 4;
  constexpr int kDecisionsEach = 3000;
  // Deciders go on past kDecisionsEach until this many reloads happened, so
  // both documents answer however the threads are scheduled (bounded in time).
  constexpr int kMinReloads = 20;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
  std::atomic<int> reloads{0};
  std::atomic<int> reload_errors{0};
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
      // Long enough for the deciders to hit their caches between reloads.
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  });
  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&, t] {
      while (!started.load())
        std::this_thread::yield();
      Decision reused;
      for (int i = 0; i < kDecisionsEach ||
                      (reloads.load() < kMinReloads && std::chrono::steady_clock::now() < deadline);
           ++i) {
        // Each thread walks the tokens in its own order, often repeating one.
        const Expected& e = expected[(i / (1 + t) + t * 3) % expected.size()];
        DecideOptions options;
        options.now = kNow;
        Decision fresh;
        Decision& d = i % 2 == 0 ? reused : fresh;
        engine.decide(e.request.view(), options, d);
        const std::string json = d.to_json();
        if (json == e.answers[0]) {
          ++seen_a;
        } else if (json == e.answers[1]) {
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

  EXPECT_EQ(mismatches.count(), 0) << "first: " << mismatches.first();
  EXPECT_GE(seen_a + seen_b, kDeciders * kDecisionsEach);
  EXPECT_EQ(reload_errors.load(), 0);
  EXPECT_GE(reloads.load(), kMinReloads);
  EXPECT_GT(seen_a.load(), 0);
  EXPECT_GT(seen_b.load(), 0);
  // After the last reload every thread answers from the last document.
  const std::size_t last = reloads.load() % 2 == 1 ? 1 : 0;
  for (const Expected& e : expected)
    EXPECT_EQ(decide(engine, e.request).to_json(), e.answers[last]);
  std::printf("EngineConcurrency (token cache): %d reloads, %d decisions A, %d decisions B\n",
              reloads.load(), seen_a.load(), seen_b.load());
}

TEST(EngineConcurrency, TinyTokenCacheUnderConstantEviction) {
  // More distinct tokens than the shared tables hold (64 accepted slots,
  // no refused ones), decided by several threads while the same document
  // is reloaded (a new, empty cache each time): entries are evicted while
  // other threads still hold them. Explained decisions name each token's
  // own claims, so an answer from another token's entry would show.
  const std::string policy = document(kPermitAll);
  absl::StatusOr<Engine> created = Engine::create(
      {.policy = PolicyText{policy}, .token_cache = {.max_entries = 1, .max_refused_entries = 0}});
  ASSERT_TRUE(created.ok()) << created.status();
  Engine engine = *std::move(created);

  std::vector<Expected> expected;
  const Engine reference = create_engine(policy);
  for (int i = 0; i < 96; ++i) {
    ClaimOverrides overrides = {{"sub", "\"user" + std::to_string(i) + "\""}};
    if (i % 4 == 0) overrides.emplace_back("aud", "\"https://other.example.com\"");
    if (i % 4 == 1) overrides.emplace_back("exp", std::to_string(kNow - 1000));
    TestRequest request("GET", "/payments/x");
    request.authorization(bearer(overrides));
    const std::string answer = decide(reference, request, kNow, /*explain=*/true).to_json();
    expected.push_back({std::move(request), {answer}});
  }

  constexpr int kDeciders = 4;
  constexpr int kDecisionsEach = 600;
  std::atomic<bool> done{false};
  std::atomic<int> reloads{0};
  Mismatches mismatches;
  std::thread reloader([&] {
    while (!done.load()) {
      if (!engine.reload_json(policy).ok()) ADD_FAILURE() << "reload failed";
      ++reloads;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&, t] {
      Decision reused;
      for (int i = 0; i < kDecisionsEach; ++i) {
        const Expected& e = expected[(i * (2 * t + 1) + t * 17) % expected.size()];
        engine.decide(e.request.view(), DecideOptions{.explain = true, .now = kNow}, reused);
        if (!is_one_of(reused, e.answers)) mismatches.add(reused);
      }
    });
  }
  for (std::thread& thread : deciders)
    thread.join();
  done.store(true);
  reloader.join();
  EXPECT_EQ(mismatches.count(), 0) << "first: " << mismatches.first();
  EXPECT_GT(reloads.load(), 0);
}

}  // namespace
}  // namespace stepup::engine_test
