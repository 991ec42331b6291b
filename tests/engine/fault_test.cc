// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Faults around a running engine, through its public API only: the policy
// and key files on disk replaced by garbage, cut short, deleted or swapped
// while other threads keep deciding, and the clock jumping backwards. A
// failed reload must name the problem and change nothing (SPEC §1: errors at
// load time, never at decision time); a good reload must take effect.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine_test_util.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

using ::testing::HasSubstr;
using testing::TestKey;

constexpr int kDeciderThreads = 3;
// Each decider makes at least this many decisions against every failed
// state, so that the failure is actually observed from other threads.
constexpr int kDecisionsPerFault = 40;
constexpr auto kProgressTimeout = std::chrono::seconds(60);
// Bytes no JSON reader should take: a PNG signature, a NUL, invalid UTF-8.
constexpr char kGarbageBytes[] = "\x89PNG\r\n\x1a\n\0\xff\xfe{\"keys\": [";
constexpr std::string_view kGarbage(kGarbageBytes, sizeof kGarbageBytes - 1);

// A fresh directory per test (mkdtemp: never a fixed name), removed after.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "stepup-fault-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void write_file(const std::string& path, std::string_view text) {
  std::error_code ignored;
  // A directory left by an earlier fault is replaced too.
  if (std::filesystem::is_directory(path)) std::filesystem::remove_all(path, ignored);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

void remove_file(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

// The SPEC's step-up story around one validator that reads its keys from
// keys.jwks.json next to the document.
std::string policy_document(std::string_view realm = kRealm) {
  return R"({"stepup": 1, "realm": ")" + std::string(realm) + R"json(",
    "validators": [{"name": "as", "type": "jwt", "issuer": "https://as.example.com",
      "audience": ["https://api.example.com"], "algorithms": ["ES256"],
      "jwks_file": "keys.jwks.json"}],
    "endpoints": [{"service": "payments", "base_path": "/payments"}],
    "acr_levels": ["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"],
    "policy": {"name": "api", "combining": "deny-unless-permit", "children": [
      {"name": "transfers", "target": {"service": ["payments"], "action": ["inbound-POST"],
                                       "path": ["transfers/**"]},
       "rules": [
         {"name": "strong", "effect": "deny", "condition": "!acr_at_least('urn:example:hwk')",
          "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]},
         {"name": "fresh", "effect": "deny", "condition": "authentication_age > 300",
          "statements": [{"code": "auth-challenge", "payload": {"max_age": 300}}]},
         {"name": "scoped", "effect": "permit",
          "condition": "'payments:write' in HttpRequest.AccessToken.scope"}]},
      {"name": "reads", "target": {"action": ["inbound-GET"]},
       "rules": [{"name": "any valid token", "effect": "permit",
                  "condition": "has(HttpRequest.AccessToken.sub)"}]}]}})json";
}

// The requests every decider repeats: a permitted read, a transfer that
// needs a step-up, and one without credentials.
std::vector<TestRequest> known_requests(const std::string& authorization) {
  std::vector<TestRequest> requests;
  requests.emplace_back("GET", "/payments/accounts/1");
  requests.back().authorization(authorization);
  requests.emplace_back("POST", "/payments/transfers/7");
  requests.back().authorization(authorization);
  requests.emplace_back("GET", "/payments/accounts/1");
  return requests;
}

// Threads that decide the known requests over and over and record every
// decision that differs from the expected one.
class Deciders {
 public:
  Deciders(const Engine& engine, const std::string& authorization,
           std::vector<std::string> expected)
      : engine_(engine), expected_(std::move(expected)), counts_(kDeciderThreads) {
    for (int t = 0; t < kDeciderThreads; ++t) {
      threads_.emplace_back([this, t, authorization] {
        // Each thread its own requests (a TestRequest is not shared), and
        // every other thread its own copy of the engine (copies share state).
        const std::vector<TestRequest> requests = known_requests(authorization);
        const Engine copy = engine_;
        const Engine& use = t % 2 == 0 ? engine_ : copy;
        Decision decision;
        while (!stop_.load()) {
          for (std::size_t i = 0; i < requests.size(); ++i) {
            use.decide(requests[i].view(), decision);
            const std::string json = decision.to_json();
            if (json != expected_[i]) record(json, i);
          }
          counts_[t].fetch_add(1);
        }
      });
    }
  }
  ~Deciders() { stop(); }
  Deciders(const Deciders&) = delete;
  Deciders& operator=(const Deciders&) = delete;

  // Waits until every thread has gone through the requests `rounds` more
  // times: the state they decided against is then certainly the current one.
  void wait_for(int rounds) {
    std::vector<int64_t> start;
    for (const auto& count : counts_)
      start.push_back(count.load());
    const auto deadline = std::chrono::steady_clock::now() + kProgressTimeout;
    for (int t = 0; t < kDeciderThreads; ++t) {
      while (counts_[t].load() < start[t] + rounds) {
        if (std::chrono::steady_clock::now() > deadline) {
          ADD_FAILURE() << "decider " << t << " made no progress";
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }

  void stop() {
    stop_.store(true);
    for (std::thread& thread : threads_)
      if (thread.joinable()) thread.join();
  }

  int mismatches() const { return mismatches_.load(); }
  std::string first_mismatch() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return first_;
  }
  int64_t rounds() const {
    int64_t total = 0;
    for (const auto& count : counts_)
      total += count.load();
    return total;
  }

 private:
  void record(const std::string& json, std::size_t request) {
    if (mismatches_.fetch_add(1) == 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      first_ = "request " + std::to_string(request) + ": " + json +
               "\n  expected: " + expected_[request];
    }
  }

  const Engine& engine_;
  const std::vector<std::string> expected_;
  std::vector<std::atomic<int64_t>> counts_;
  std::atomic<bool> stop_{false};
  std::atomic<int> mismatches_{0};
  mutable std::mutex mutex_;
  std::string first_;
  std::vector<std::thread> threads_;
};

// One way to break the files, and what the reload error must say.
struct Fault {
  std::string name;
  std::function<void()> apply;
  std::vector<std::string> message_parts;
};

class EngineFaultTest : public ::testing::Test {
 protected:
  EngineFaultTest()
      : policy_path_(dir_.file("policy.json")),
        keys_path_(dir_.file("keys.jwks.json")),
        good_policy_(policy_document()),
        good_keys_(TestKey::shared(Algorithm::kES256).jwks()),
        authorization_(bearer()) {
    restore();
  }

  void restore() {
    write_file(policy_path_, good_policy_);
    write_file(keys_path_, good_keys_);
  }

  Engine create() {
    absl::StatusOr<Engine> engine =
        Engine::create({.policy = PolicyFile{policy_path_}, .clock = &clock_});
    if (!engine.ok()) throw std::runtime_error(engine.status().ToString());
    return *std::move(engine);
  }

  // The decisions of the known requests, as JSON, from a single thread.
  std::vector<std::string> decisions_of(const Engine& engine) const {
    std::vector<std::string> out;
    for (const TestRequest& request : known_requests(authorization_))
      out.push_back(engine.decide(request.view()).to_json());
    return out;
  }

  // Applies each fault while the deciders run, reloads, and checks that the
  // reload failed naming the problem and that nothing changed; the files are
  // restored after each fault, without reloading.
  void run_faults(Engine& engine, const std::vector<Fault>& faults,
                  const std::vector<std::string>& expected) {
    const uint64_t generation = engine.generation();
    Deciders deciders(engine, authorization_, expected);
    deciders.wait_for(kDecisionsPerFault);
    for (const Fault& fault : faults) {
      SCOPED_TRACE(fault.name);
      fault.apply();
      const absl::Status status = engine.reload();
      EXPECT_FALSE(status.ok()) << "a broken configuration was accepted";
      for (const std::string& part : fault.message_parts)
        EXPECT_THAT(std::string(status.message()), HasSubstr(part));
      EXPECT_EQ(engine.generation(), generation);
      deciders.wait_for(kDecisionsPerFault);
      EXPECT_EQ(decisions_of(engine), expected);
      restore();
    }
    deciders.stop();
    EXPECT_EQ(deciders.mismatches(), 0) << "first: " << deciders.first_mismatch();
    const auto faults_seen = static_cast<int64_t>(faults.size()) + 1;
    EXPECT_GE(deciders.rounds(), int64_t{kDeciderThreads} * kDecisionsPerFault * faults_seen);
  }

  std::vector<Fault> policy_faults() const {
    const std::string policy = policy_path_;
    const std::string good = good_policy_;
    std::string unknown_key = good;
    unknown_key.replace(unknown_key.find("\"endpoints\""), 11, "\"endpiont\"");
    std::string bad_condition = good;
    bad_condition.replace(bad_condition.find("authentication_age > 300"), 24,
                          "authentication_age > (300");
    std::string missing_keys = good;
    missing_keys.replace(missing_keys.find("keys.jwks.json"), 14, "gone.jwks.json");
    return {
        {"policy replaced by garbage",
         [=] { write_file(policy, kGarbage); },
         {policy, "not valid UTF-8 JSON"}},
        {"policy cut in half",
         [=] { write_file(policy, good.substr(0, good.size() / 2)); },
         {policy, "not valid UTF-8 JSON"}},
        {"policy cut one byte short",
         [=] { write_file(policy, good.substr(0, good.size() - 1)); },
         {policy, "not valid UTF-8 JSON"}},
        {"policy emptied", [=] { write_file(policy, ""); }, {policy, "not valid UTF-8 JSON"}},
        {"policy deleted", [=] { remove_file(policy); }, {"cannot read file", policy}},
        {"policy replaced by a directory",
         [=] {
           remove_file(policy);
           std::filesystem::create_directory(policy);
         },
         {policy}},
        {"policy with a misspelt key",
         [=] { write_file(policy, unknown_key); },
         {policy, "unknown key \"endpiont\""}},
        {"policy with a condition syntax error",
         [=] { write_file(policy, bad_condition); },
         {policy, "policy.children[0].rules[1].condition"}},
        {"policy naming a key file that does not exist",
         [=] { write_file(policy, missing_keys); },
         {"cannot read file", "gone.jwks.json"}},
    };
  }

  std::vector<Fault> key_faults() const {
    const std::string keys = keys_path_;
    const std::string good = good_keys_;
    // A valid key set, but of keys the validator's ES256 cannot use.
    const std::string rsa_only = TestKey::shared(Algorithm::kRS256).jwks();
    std::string private_key = TestKey::shared(Algorithm::kES256).public_jwk();
    private_key.back() = ',';
    private_key += "\"d\": \"" + testing::base64url(std::string(32, '\x01')) + "\"}";
    const std::string one = testing::base64url(std::string(31, '\0') + "\x01");
    const std::string off_curve =
        R"({"keys": [{"kty": "EC", "crv": "P-256", "x": ")" + one + R"(", "y": ")" + one + "\"}]}";
    return {
        {"keys replaced by garbage",
         [=] { write_file(keys, kGarbage); },
         {"jwks_file", keys, "not valid UTF-8 JSON"}},
        {"keys cut in half",
         [=] { write_file(keys, good.substr(0, good.size() / 2)); },
         {"jwks_file", keys, "not valid UTF-8 JSON"}},
        {"keys emptied", [=] { write_file(keys, ""); }, {"jwks_file", "not valid UTF-8 JSON"}},
        {"keys deleted", [=] { remove_file(keys); }, {"cannot read file", keys}},
        {"keys replaced by an empty set",
         [=] { write_file(keys, R"({"keys": []})"); },
         {"jwks_file", "\"keys\" is empty"}},
        {"keys replaced by keys that cannot verify ES256",
         [=] { write_file(keys, rsa_only); },
         {"no key can verify ES256"}},
        {"keys replaced by a point off the curve",
         [=] { write_file(keys, off_curve); },
         {"jwks_file", "point not on the curve"}},
        {"keys replaced by a private key",
         [=] { write_file(keys, "{\"keys\": [" + private_key + "]}"); },
         {"jwks_file", "private key member \"d\""}},
    };
  }

  ManualClock clock_{kNow};
  ScratchDir dir_;
  const std::string policy_path_;
  const std::string keys_path_;
  const std::string good_policy_;
  const std::string good_keys_;
  const std::string authorization_;
};

TEST_F(EngineFaultTest, BrokenPolicyFilesNeverDisturbDecisionsFromOtherThreads) {
  Engine engine = create();
  const std::vector<std::string> expected = decisions_of(engine);
  // The three requests answer differently, so a swapped or half-loaded
  // policy would show.
  ASSERT_EQ(std::set<std::string>(expected.begin(), expected.end()).size(), 3u);
  ASSERT_THAT(expected[0], HasSubstr("\"status\": 200"));
  ASSERT_THAT(expected[1], HasSubstr("insufficient_user_authentication"));
  run_faults(engine, policy_faults(), expected);
  EXPECT_EQ(engine.generation(), 1u);
}

TEST_F(EngineFaultTest, BrokenKeyFilesNeverDisturbDecisionsFromOtherThreads) {
  Engine engine = create();
  const std::vector<std::string> expected = decisions_of(engine);
  run_faults(engine, key_faults(), expected);
  EXPECT_EQ(engine.generation(), 1u);
  // The last good keys are in use: the known token is still accepted.
  EXPECT_EQ(decide(engine, known_requests(authorization_)[0]).status, 200);
}

TEST_F(EngineFaultTest, AGoodReloadAfterFailuresTakesEffectAndBecomesTheLastGoodState) {
  Engine engine = create();
  const std::vector<std::string> original = decisions_of(engine);

  // Rotate to another ES256 key (and another realm): the known token is now
  // refused, a token of the new key accepted.
  const TestKey next = TestKey::generate(Algorithm::kES256, "next-key");
  write_file(keys_path_, next.jwks());
  write_file(policy_path_, policy_document("rotated.example.com"));
  ASSERT_TRUE(engine.reload().ok());
  EXPECT_EQ(engine.generation(), 2u);
  const std::vector<std::string> rotated = decisions_of(engine);
  const Decision refused = decide(engine, known_requests(authorization_)[0]);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.token_error, TokenError::kKeyNotFound);
  EXPECT_THAT(refused.www_authenticate, HasSubstr("realm=\"rotated.example.com\""));
  const std::string next_token =
      "Bearer " + next.mint(R"({"alg":"ES256","kid":"next-key","typ":"at+jwt"})", claims());
  EXPECT_EQ(decide(engine, known_requests(next_token)[0]).status, 200);

  // Failures now keep the rotated state, not the first one.
  const std::string rotated_policy = policy_document("rotated.example.com");
  const std::string rotated_keys = next.jwks();
  const std::string policy = policy_path_;
  const std::string keys = keys_path_;
  {
    Deciders deciders(engine, authorization_, rotated);
    deciders.wait_for(kDecisionsPerFault);
    for (const auto& [name, apply] : std::vector<std::pair<std::string, std::function<void()>>>{
             {"policy garbage", [&] { write_file(policy, "]["); }},
             {"keys deleted", [&] { remove_file(keys); }},
             {"old keys, broken policy", [&] {
                write_file(keys, good_keys_);
                write_file(policy, rotated_policy.substr(0, 100));
              }}}) {
      SCOPED_TRACE(name);
      apply();
      EXPECT_FALSE(engine.reload().ok());
      EXPECT_EQ(engine.generation(), 2u);
      deciders.wait_for(kDecisionsPerFault);
      write_file(policy, rotated_policy);
      write_file(keys, rotated_keys);
    }
    deciders.stop();
    EXPECT_EQ(deciders.mismatches(), 0) << "first: " << deciders.first_mismatch();
  }
  EXPECT_EQ(decide(engine, known_requests(next_token)[0]).status, 200);

  // And back: the original files load again and answer as at the start.
  restore();
  ASSERT_TRUE(engine.reload().ok());
  EXPECT_EQ(engine.generation(), 3u);
  EXPECT_EQ(decisions_of(engine), original);
  EXPECT_EQ(decide(engine, known_requests(next_token)[0]).token_error, TokenError::kKeyNotFound);
}

// --- the clock jumping backwards ---------------------------------------------------

// Tokens whose validity and freshness change within minutes of kNow (skew 60).
struct TimedToken {
  const char* name;
  ClaimOverrides claims;
};

const std::vector<TimedToken>& timed_tokens() {
  static const std::vector<TimedToken> tokens = {
      // Valid from kNow - 70 (iat) to kNow + 660 (exp); stale (age > 300)
      // from kNow + 241.
      {"plain", {{"scope", "\"payments:write read\""}, {"acr", "\"urn:example:hwk\""}}},
      // Not before kNow + 120: valid from kNow + 60.
      {"nbf",
       {{"scope", "\"payments:write\""},
        {"acr", "\"urn:example:hwk\""},
        {"nbf", std::to_string(kNow + 120)}}},
      // Issued an hour after kNow: valid from kNow + 3540.
      {"future iat",
       {{"iat", std::to_string(kNow + 3600)},
        {"exp", std::to_string(kNow + 7200)},
        {"auth_time", std::to_string(kNow + 3500)}}},
      // Expires at kNow + 30 (so refused from kNow + 90).
      {"short-lived", {{"exp", std::to_string(kNow + 30)}}},
  };
  return tokens;
}

std::string decide_json(const Engine& engine, const TestRequest& request) {
  return engine.decide(request.view()).to_json();
}

// What an engine that never saw anything before, without a cache, answers
// at `now` (its own clock).
std::string reference_json(const std::string& document, int64_t now, const TestRequest& request) {
  const ManualClock clock(now);
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy = PolicyText{document}, .clock = &clock, .token_cache = {.enabled = false}});
  if (!engine.ok()) throw std::runtime_error(engine.status().ToString());
  return decide_json(*engine, request);
}

TEST(EngineClockFaults, JumpsBackwardsAndForwardsNeverGiveStaleAnswers) {
  const std::string doc = document(R"({"name": "api", "combining": "deny-unless-permit",
      "children": [{"name": "transfers", "target": {"action": ["inbound-POST"]}, "rules": [
        {"name": "fresh", "effect": "deny", "condition": "authentication_age > 300",
         "statements": [{"code": "auth-challenge", "payload": {"max_age": 300}}]},
        {"name": "scoped", "effect": "permit",
         "condition": "'payments:write' in HttpRequest.AccessToken.scope"}]},
      {"name": "reads", "target": {"action": ["inbound-GET"]},
       "rules": [{"name": "valid", "effect": "permit"}]}]})");
  ManualClock clock(kNow);
  const Engine cached = Engine::create({.policy = PolicyText{doc}, .clock = &clock}).value();
  const Engine uncached =
      Engine::create(
          {.policy = PolicyText{doc}, .clock = &clock, .token_cache = {.enabled = false}})
          .value();

  std::vector<std::pair<std::string, TestRequest>> requests;
  for (const TimedToken& token : timed_tokens()) {
    for (const char* method : {"POST", "GET"}) {
      TestRequest request(method, "/payments/transfers/7");
      request.authorization(bearer(token.claims));
      requests.emplace_back(std::string(token.name) + " " + method, std::move(request));
    }
  }
  // Forward, then back by hours, to just before iat and nbf, forward past
  // the freshness limit and expiry, back again, and far forward.
  const std::vector<int64_t> times = {
      kNow,        kNow - 3 * 3600, kNow + 30,   kNow - 71,          kNow - 70,          kNow + 59,
      kNow + 60,   kNow - 1,        kNow + 241,  kNow + 240,         kNow + 659,         kNow + 660,
      kNow + 89,   kNow + 90,       kNow - 7200, kNow + 3539,        kNow + 3540,        kNow + 100,
      kNow + 4000, kNow - 100,      kNow,        kNow + 86400 * 365, kNow - 86400 * 365, kNow + 10};

  std::set<std::string> answers_for_plain_post;
  int compared = 0;
  for (int64_t now : times) {
    clock.set(now);
    for (const auto& [name, request] : requests) {
      SCOPED_TRACE(name + " at kNow" + (now >= kNow ? "+" : "") + std::to_string(now - kNow));
      const std::string expected = reference_json(doc, now, request);
      EXPECT_EQ(decide_json(uncached, request), expected);
      EXPECT_EQ(decide_json(cached, request), expected);
      // Again, certainly from the cache, and from another thread, whose
      // thread-local entries are its own.
      EXPECT_EQ(decide_json(cached, request), expected);
      std::string from_other_thread;
      std::thread([&] { from_other_thread = decide_json(cached, request); }).join();
      EXPECT_EQ(from_other_thread, expected);
      if (name == "plain POST") answers_for_plain_post.insert(expected);
      ++compared;
    }
  }
  EXPECT_EQ(compared, static_cast<int>(times.size() * requests.size()));
  // The sequence crosses every kind of answer: permit, step-up challenge,
  // and refusals for iat in the future and for expiry.
  EXPECT_GE(answers_for_plain_post.size(), 4u);
  std::string all;
  for (const std::string& answer : answers_for_plain_post)
    all += answer + "\n";
  EXPECT_THAT(all, HasSubstr("\"status\": 200"));
  EXPECT_THAT(all, HasSubstr("insufficient_user_authentication"));
  EXPECT_THAT(all, HasSubstr("\"token_error\": \"IatInFuture\""));
  EXPECT_THAT(all, HasSubstr("\"token_error\": \"Expired\""));
}

}  // namespace
}  // namespace stepup::engine_test
