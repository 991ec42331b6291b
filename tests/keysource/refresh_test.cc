// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Remote key sets kept fresh by the engine, end to end against the local
// HTTPS test identity provider: rotation picked up without a restart or a
// reload, a flood of unknown kids bounded to one fetch per interval, an
// outage ridden out on the last good set, 503 before any key, and the
// host-driven mode. Figures are printed for the record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "stepup/engine.h"
#include "stepup/key_refresh.h"
#include "stepup/signing_key.h"
#include "support/test_identity_provider.h"

namespace stepup {
namespace {

using ::testing::HasSubstr;
using testing::IdentityProviderTest;
using Clock = std::chrono::steady_clock;

class RefreshTest : public IdentityProviderTest {
 protected:
  // A policy whose one validator takes its keys from the provider's /jwks
  // (or `source`, given as JSON members), refreshed as `refresh` says.
  static std::string policy(const std::string& refresh, const std::string& source = "") {
    const std::string keys =
        source.empty() ? R"("jwks_uri": ")" + idp().base() + R"(/jwks")" : source;
    return R"j({"stepup": 1, "validators": [{"name": "idp", "type": "jwt", "issuer": ")j" +
           idp().base() + R"j(", "audience": ["api"], "algorithms": ["ES256"], "ca_file": ")j" +
           idp().ca_file() + R"j(", "fetch_timeout_ms": 2000, "refresh": )j" + refresh + ", " +
           keys + R"j(}], "policy": {"name": "root", "rules": [{"name": "any", "effect": "permit",
            "condition": "has(HttpRequest.AccessToken.sub)"}]}})j";
  }
  static std::string claims() {
    return R"({"iss":")" + idp().base() + R"(","aud":"api","sub":"alice","exp":4000000000})";
  }
  static Decision decide(const Engine& engine, const std::string& token) {
    Request request;
    request.method = "GET";
    request.path = "/x";
    const std::string authorization = "Bearer " + token;
    request.authorization = authorization;
    return engine.decide(request);
  }
  // Decides until the status is `status`, for up to `limit`; the last decision.
  static Decision decide_until(const Engine& engine, const std::string& token, int status,
                               std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = Clock::now() + limit;
    Decision decision = decide(engine, token);
    while (decision.status != status && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      decision = decide(engine, token);
    }
    return decision;
  }
};

TEST_F(RefreshTest, RotationIsPickedUpWithoutARestartOrAReload) {
  const std::string old_kid = idp().rotate();
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy =
           PolicyText{policy(R"({"min_seconds": 60, "unknown_kid_min_interval_seconds": 1})")}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const int fetches_at_start = idp().fetches();
  EXPECT_EQ(decide(*engine, idp().mint(old_kid, claims())).status, 200);

  const std::string new_kid = idp().rotate();
  const std::string rotated = idp().mint(new_kid, claims());
  // The first request with the new kid asks the provider again and is told
  // to retry, not that its token is bad.
  const Decision first = decide(*engine, rotated);
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(first.token_error, TokenError::kKeysUnavailable);
  EXPECT_EQ(first.retry_after_seconds, 1);
  const auto asked = Clock::now();
  const Decision after = decide_until(*engine, rotated, 200);
  EXPECT_EQ(after.status, 200) << after.reason;
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
  EXPECT_EQ(engine->generation(), 2u) << "one key set published, no reload";
  const int fetches = idp().fetches() - fetches_at_start;
  EXPECT_EQ(fetches, 1);
  const MetricsSnapshot metrics = engine->metrics();
  ASSERT_EQ(metrics.key_fetches.size(), 1u);
  EXPECT_EQ(metrics.key_fetches[0].validator, "idp");
  EXPECT_EQ(metrics.key_fetches[0].outcome, "changed");
  EXPECT_EQ(metrics.key_fetches[0].count, 1u) << "the load's own fetch is not a refresh";
  ASSERT_EQ(metrics.key_sets.size(), 1u);
  // Ages are whole seconds of the wall clock: one may tick over between the
  // fetch and this read.
  EXPECT_GE(metrics.key_sets[0].age_seconds, 0);
  EXPECT_LE(metrics.key_sets[0].age_seconds, 1);
  std::cout << "[ figures ] rotation: first request 503 Retry-After 1, accepted after "
            << waited.count() << " ms, fetches for it: " << fetches << "\n";
}

TEST_F(RefreshTest, TenThousandUnknownKidsCauseAtMostOneFetchPerInterval) {
  constexpr int64_t kInterval = 1;
  absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{policy(
                                                      R"({"min_seconds": 3600,
                                                          "unknown_kid_min_interval_seconds": 1})")}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::StatusOr<SigningKey> forger = SigningKey::generate(Algorithm::kES256);
  ASSERT_TRUE(forger.ok());
  std::mt19937_64 random(42);
  std::vector<std::string> tokens;
  for (int i = 0; i < 10'000; ++i) {
    const std::string header =
        R"({"alg":"ES256","typ":"at+jwt","kid":"forged-)" + std::to_string(random()) + R"("})";
    absl::StatusOr<std::string> token = forger->mint(header, claims());
    ASSERT_TRUE(token.ok());
    tokens.push_back(*std::move(token));
  }
  const int fetches_at_start = idp().fetches();
  const auto start = Clock::now();
  int unavailable = 0;
  int refused = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Decision decision = decide(*engine, tokens[i]);
    if (decision.status == 503) {
      ++unavailable;
    } else {
      ASSERT_EQ(decision.status, 401) << i;
      ASSERT_EQ(decision.token_error, TokenError::kKeyNotFound);
      ++refused;
    }
    // Spread over about 3 seconds, so that several intervals pass.
    if (i % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE(testing::wait_for_key_fetches(*engine, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // A fetch may be landing.
  const int fetches = idp().fetches() - fetches_at_start;
  const int bound = static_cast<int>(seconds / kInterval) + 1;
  EXPECT_GE(fetches, 1);
  EXPECT_GE(unavailable, 1);
  EXPECT_LE(fetches, bound);
  EXPECT_GT(refused, 0);
  EXPECT_EQ(engine->generation(), 1u) << "an unchanged set is not published again";
  std::cout << "[ figures ] unknown kids: 10000 requests in " << seconds << " s, " << unavailable
            << " answered 503, " << refused << " answered 401, " << fetches << " fetches (bound "
            << bound << " at one per " << kInterval << " s)\n";
}

TEST_F(RefreshTest, AnOutageIsRiddenOutOnTheLastGoodSet) {
  const std::string token = idp().mint(idp().rotate(), claims());
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{policy(R"({"min_seconds": 1, "max_seconds": 1})")}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  idp().set_outage(true);
  const int fetches_at_start = idp().fetches();
  const auto start = Clock::now();
  int decisions = 0;
  int64_t first_age = -1;
  while (Clock::now() - start < std::chrono::milliseconds(3500)) {
    const Decision decision = decide(*engine, token);
    ASSERT_EQ(decision.status, 200) << decision.reason;
    ++decisions;
    if (first_age < 0) first_age = engine->key_sources()[0].age_seconds.value_or(-1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const KeySourceStatus status = engine->key_sources()[0];
  idp().set_outage(false);
  EXPECT_TRUE(status.has_keys);
  EXPECT_GE(status.consecutive_failures, 2u);
  EXPECT_THAT(status.last_error, HasSubstr("503"));
  ASSERT_TRUE(status.age_seconds.has_value());
  EXPECT_GE(*status.age_seconds, first_age + 3) << "the age grows";
  const int fetches = idp().fetches() - fetches_at_start;
  uint64_t failed = 0;
  for (const auto& counted : engine->metrics().key_fetches) {
    if (counted.outcome == "failed") failed += counted.count;
  }
  EXPECT_GE(failed, status.consecutive_failures) << "every failed fetch is counted";
  std::cout << "[ figures ] outage: " << decisions << " decisions over 3.5 s all 200 on the last "
            << "good set, age " << first_age << " s -> " << *status.age_seconds << " s, " << fetches
            << " failed fetches (backoff), last error: " << status.last_error << "\n";
}

TEST_F(RefreshTest, WithoutKeysTokensGet503UntilTheFirstFetchLands) {
  idp().set_outage(true);
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{policy(R"({"min_seconds": 1})")},
                      .key_refresh = {.start_without_keys = true}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string token = idp().mint(idp().rotate(), claims());
  const Decision before = decide(*engine, token);
  EXPECT_EQ(before.status, 503);
  EXPECT_EQ(before.token_error, TokenError::kKeysUnavailable);
  EXPECT_GE(before.retry_after_seconds, 1);
  EXPECT_THAT(before.to_json(), HasSubstr("\"retry_after\": "));
  EXPECT_FALSE(engine->key_sources()[0].has_keys);
  // A request without a token is judged as usual: the policy needs none to say no.
  Request anonymous;
  anonymous.method = "GET";
  anonymous.path = "/x";
  EXPECT_EQ(engine->decide(anonymous).status, 401);

  idp().set_outage(false);
  const Decision after = decide_until(*engine, token, 200);
  EXPECT_EQ(after.status, 200) << after.reason;
  EXPECT_TRUE(engine->key_sources()[0].has_keys);
}

TEST_F(RefreshTest, WithoutStartWithoutKeysAFailingProviderFailsCreation) {
  idp().set_outage(true);
  const absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{policy(R"({"min_seconds": 1})")}});
  idp().set_outage(false);
  ASSERT_FALSE(engine.ok());
  EXPECT_THAT(engine.status().message(), HasSubstr("validators[0].jwks_uri"));
  EXPECT_THAT(engine.status().message(), HasSubstr("503"));
}

TEST_F(RefreshTest, AHostDrivesTheFetchesItself) {
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy = PolicyText{policy(R"({"min_seconds": 1})", R"("discovery": true)")},
       .key_refresh = {.mode = KeyRefreshMode::kHostDriven, .start_without_keys = true}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string token = idp().mint(idp().rotate(), claims());
  EXPECT_EQ(decide(*engine, token).status, 503);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_EQ(engine->key_sources()[0].fetches, 0u) << "no thread of the engine's fetched";

  const std::optional<int64_t> due = engine->next_key_fetch_at();
  ASSERT_TRUE(due.has_value());
  EXPECT_LE(*due, system_clock().now_seconds());
  const std::optional<KeyFetchJob> job = engine->take_key_fetch();
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->jwks_uri, "") << "discovery first";
  EXPECT_EQ(job->discover_issuer, idp().base());
  EXPECT_FALSE(engine->take_key_fetch().has_value()) << "in flight";
  const absl::StatusOr<KeyFetchResponse> answer = run_key_fetch(*job);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->jwks_uri, idp().base() + "/jwks");
  EXPECT_TRUE(engine->finish_key_fetch(*job, answer).ok());
  EXPECT_EQ(decide(*engine, token).status, 200);
  const KeySourceStatus status = engine->key_sources()[0];
  EXPECT_EQ(status.jwks_uri, idp().base() + "/jwks");
  EXPECT_EQ(status.usable_keys, 1u);
  EXPECT_EQ(engine->finish_key_fetch(*job, answer).code(), absl::StatusCode::kFailedPrecondition)
      << "a job is finished once";
}

// nginx's way: the master loads (no thread), forks, and each child starts
// the engine's refresh thread; a rotation then reaches the child unaided.
TEST_F(RefreshTest, AChildAfterForkStartsItsOwnRefreshThread) {
  const std::string old_kid = idp().rotate();
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy =
           PolicyText{policy(R"({"min_seconds": 60, "unknown_kid_min_interval_seconds": 1})")},
       .key_refresh = {.mode = KeyRefreshMode::kHostDriven}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string rotated = idp().mint(idp().rotate(), claims());
  const int fetches_before = idp().fetches();
  EXPECT_EQ(decide(*engine, rotated).status, 503);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_EQ(decide(*engine, rotated).status, 503) << "host-driven: nobody fetched";
  EXPECT_EQ(idp().fetches(), fetches_before);

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Exit codes: 0 accepted after the child's own fetch; 1 not started;
    // 2 never accepted.
    if (!engine->start_key_refresh_thread().ok()) _exit(1);
    _exit(decide_until(*engine, rotated, 200).status == 200 ? 0 : 2);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  EXPECT_EQ(idp().fetches(), fetches_before + 1) << "the child fetched once";
  EXPECT_EQ(decide(*engine, rotated).status, 503) << "the parent's engine is its own";
  EXPECT_TRUE(engine->start_key_refresh_thread().ok());
  EXPECT_EQ(decide_until(*engine, rotated, 200).status, 200);
  EXPECT_TRUE(engine->start_key_refresh_thread().ok()) << "a second start does nothing";
}

// Deciders never see a half-swapped set (run under TSan in CI): the host
// swaps between two sets that both hold key-1 as fast as it can.
TEST(RefreshSwapTest, DecisionsDuringKeySwapsAlwaysSeeACompleteSet) {
  ManualClock clock(1'800'000'000);
  absl::StatusOr<SigningKey> key = SigningKey::generate(Algorithm::kES256, "key-1");
  absl::StatusOr<SigningKey> other = SigningKey::generate(Algorithm::kES256, "key-2");
  ASSERT_TRUE(key.ok() && other.ok());
  const std::string one = key->verification_jwks();
  const std::string both =
      R"({"keys": [)" + key->verification_jwk() + ", " + other->verification_jwk() + "]}";
  const std::string policy = R"j({"stepup": 1, "validators": [{"name": "idp", "type": "jwt",
      "issuer": "https://idp.example", "audience": ["api"], "algorithms": ["ES256"],
      "jwks_uri": "https://idp.example/jwks", "refresh": {"min_seconds": 1}}],
      "policy": {"name": "root", "rules": [{"name": "any", "effect": "permit",
      "condition": "has(HttpRequest.AccessToken.sub)"}]}})j";
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy = PolicyText{policy},
       .clock = &clock,
       .key_refresh = {.mode = KeyRefreshMode::kHostDriven, .start_without_keys = true}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const absl::StatusOr<std::string> token =
      key->mint_jwt(R"({"iss":"https://idp.example","aud":"api","sub":"alice","exp":1800003600})");
  ASSERT_TRUE(token.ok());
  // Each swap: the clock moved to when the next fetch is due, a made-up answer.
  auto swap = [&](const std::string& body) {
    const std::optional<int64_t> due = engine->next_key_fetch_at();
    if (due && *due > clock.now_seconds()) clock.set(*due);
    const std::optional<KeyFetchJob> job = engine->take_key_fetch();
    if (!job) return false;
    KeyFetchResponse answer;
    answer.status = 200;
    answer.body = body;
    answer.jwks_uri = "https://idp.example/jwks";
    answer.max_age = 1;
    return engine->finish_key_fetch(*job, answer).ok();
  };
  ASSERT_TRUE(swap(one));

  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::atomic<int> decided{0};
  std::vector<std::thread> deciders;
  for (int t = 0; t < 3; ++t) {
    deciders.emplace_back([&] {
      Request request;
      request.method = "GET";
      request.path = "/x";
      const std::string authorization = "Bearer " + *token;
      request.authorization = authorization;
      Decision decision;
      while (!stop.load()) {
        engine->decide(request, decision);
        if (decision.status != 200) wrong.fetch_add(1);
        decided.fetch_add(1);
      }
    });
  }
  int swaps = 0;
  for (int i = 0; i < 300; ++i)
    swaps += swap(i % 2 == 0 ? both : one) ? 1 : 0;
  stop = true;
  for (std::thread& t : deciders)
    t.join();
  EXPECT_EQ(swaps, 300);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(decided.load(), 0);
  EXPECT_EQ(engine->generation(), 302u);
}

}  // namespace
}  // namespace stepup
