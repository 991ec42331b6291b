// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Engine::metrics(): every counter against a known sequence of decisions
// (results, statuses, errors, token refusals, challenges by rule across a
// reload, cache hits and misses, reloads, sampled latency), summed over
// threads; nothing counted with metrics off; and the Prometheus text.
#include "stepup/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "engine/engine_test_util.h"

namespace stepup::engine_test {
namespace {

using ::testing::HasSubstr;

const ManualClock& test_clock() {
  static const ManualClock clock(kNow);
  return clock;
}

Engine make_engine(bool metrics = true) {
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{document(kPostNeedsHwkPolicy)},
                      .clock = &test_clock(),
                      .metrics = metrics});
  EXPECT_TRUE(engine.ok()) << engine.status();
  return *std::move(engine);
}

using Key = std::tuple<PolicyResult, int, std::string>;

std::map<Key, uint64_t> counted(const MetricsSnapshot& metrics) {
  std::map<Key, uint64_t> out;
  for (const auto& d : metrics.decisions)
    out[{d.result, d.status, d.error}] += d.count;
  return out;
}

uint64_t challenges_of(const MetricsSnapshot& metrics, const std::string& rule) {
  for (const auto& c : metrics.challenges) {
    if (c.rule == rule) return c.count;
  }
  return 0;
}

TEST(MetricsTest, CountsAKnownSequenceOfDecisions) {
  const Engine engine = make_engine();
  std::map<Key, uint64_t> expected;
  const auto run = [&](const TestRequest& request) {
    const Decision decision = decide(engine, request);
    ++expected[{decision.result, decision.status, decision.error}];
    return decision;
  };
  const std::string valid = bearer();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(run(TestRequest("GET", "/x").authorization(valid)).status, 200);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(run(TestRequest("POST", "/x").authorization(valid)).error,
              "insufficient_user_authentication");
  }
  EXPECT_EQ(run(TestRequest("GET", "/x")).status, 401);
  EXPECT_EQ(run(TestRequest("GET", "/x").authorization("Basic dXNlcjpwYXNz")).status, 400);
  EXPECT_EQ(
      run(TestRequest("GET", "/x").authorization(bearer({{"exp", std::to_string(kNow - 120)}})))
          .error,
      "invalid_token");

  const MetricsSnapshot metrics = engine.metrics();
  EXPECT_EQ(counted(metrics), expected);
  EXPECT_EQ((counted(metrics)[{PolicyResult::kPermit, 200, ""}]), 3u);
  std::map<TokenError, uint64_t> refusals;
  for (const auto& e : metrics.token_errors)
    refusals[e.error] = e.count;
  EXPECT_EQ(refusals, (std::map<TokenError, uint64_t>{{TokenError::kAuthorizationNotBearer, 1},
                                                      {TokenError::kExpired, 1}}));
  EXPECT_EQ(challenges_of(metrics, "root / needs hwk"), 2u);
  EXPECT_EQ(metrics.token_cache_misses, 2u) << "the valid token once, the expired one once";
  EXPECT_EQ(metrics.token_cache_hits, 4u);
  EXPECT_EQ(metrics.latency_count, 1u) << "the first of every 32 decisions is timed";
  uint64_t in_buckets = 0;
  for (const uint64_t count : metrics.latency_bucket_counts)
    in_buckets += count;
  EXPECT_EQ(in_buckets, 1u);
  EXPECT_EQ(metrics.latency_bucket_counts.size(), metrics.latency_upper_bounds_seconds.size() + 1);
  EXPECT_DOUBLE_EQ(metrics.latency_upper_bounds_seconds.front(), 1e-6);
  EXPECT_GT(metrics.latency_sum_seconds, 0);
  EXPECT_EQ(metrics.generation, 1u);
  EXPECT_EQ(metrics.reloads_succeeded + metrics.reloads_failed, 0u);
}

TEST(MetricsTest, ChallengesAreCountedByRuleAcrossReloadsAndReloadsByOutcome) {
  Engine engine = make_engine();
  const std::string valid = bearer();
  decide(engine, TestRequest("POST", "/x").authorization(valid));
  ASSERT_TRUE(engine.reload_json(document(kPostNeedsHwkPolicy)).ok());
  EXPECT_FALSE(engine.reload_json("{").ok());
  decide(engine, TestRequest("POST", "/x").authorization(valid));
  const MetricsSnapshot metrics = engine.metrics();
  EXPECT_EQ(challenges_of(metrics, "root / needs hwk"), 2u);
  EXPECT_EQ(metrics.reloads_succeeded, 1u);
  EXPECT_EQ(metrics.reloads_failed, 1u);
  EXPECT_EQ(metrics.generation, 2u);
}

TEST(MetricsTest, ThreadsAreSummedWhenRead) {
  const Engine engine = make_engine();
  const std::string valid = bearer();
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i)
        decide(engine, TestRequest("GET", "/x").authorization(valid));
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  const MetricsSnapshot metrics = engine.metrics();
  EXPECT_EQ((counted(metrics)[{PolicyResult::kPermit, 200, ""}]), 3u * kPerThread);
  EXPECT_EQ(metrics.token_cache_hits + metrics.token_cache_misses, 3u * kPerThread);
  EXPECT_EQ(metrics.latency_count,
            3u * ((kPerThread + MetricsSnapshot::kLatencySampleInterval - 1) /
                  MetricsSnapshot::kLatencySampleInterval));
}

TEST(MetricsTest, OffCountsNothing) {
  const Engine engine = make_engine(/*metrics=*/false);
  decide(engine, TestRequest("GET", "/x").authorization(bearer()));
  const MetricsSnapshot metrics = engine.metrics();
  EXPECT_TRUE(metrics.decisions.empty());
  EXPECT_EQ(metrics.token_cache_hits + metrics.token_cache_misses, 0u);
  EXPECT_EQ(metrics.latency_count, 0u);
  EXPECT_EQ(metrics.generation, 1u);
}

TEST(MetricsTest, PrometheusTextHasEveryFamilyAndEscapesLabels) {
  MetricsSnapshot metrics;
  metrics.decisions.push_back({PolicyResult::kDeny, 401, "insufficient_user_authentication", 7});
  metrics.challenges.push_back({"root / say \"hi\" \\ now\nplease", 3});
  metrics.token_errors.push_back({TokenError::kExpired, 2});
  metrics.latency_upper_bounds_seconds = {1e-6, 2e-6};
  metrics.latency_bucket_counts = {1, 2, 3};
  metrics.latency_count = 6;
  metrics.latency_sum_seconds = 0.5;
  metrics.generation = 4;
  const std::string text = render_prometheus(metrics);
  EXPECT_THAT(text, HasSubstr("# TYPE stepup_decisions_total counter\n"));
  EXPECT_THAT(text, HasSubstr("stepup_decisions_total{result=\"deny\",status=\"401\","
                              "error=\"insufficient_user_authentication\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("stepup_step_up_challenges_total{rule=\"root / say \\\"hi\\\" \\\\ "
                              "now\\nplease\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("stepup_token_refusals_total{error=\"Expired\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("stepup_decision_duration_seconds_bucket{le=\"1e-06\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("stepup_decision_duration_seconds_bucket{le=\"2e-06\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("stepup_decision_duration_seconds_bucket{le=\"+Inf\"} 6\n"));
  EXPECT_THAT(text, HasSubstr("stepup_decision_duration_seconds_count 6\n"));
  EXPECT_THAT(text, HasSubstr("stepup_generation 4\n"));
  EXPECT_THAT(text, HasSubstr("stepup_reloads_total{outcome=\"failed\"} 0\n"));
}

TEST(MetricsTest, MergedTextsSumCountersAndKeepTheLargestGauge) {
  const Engine first = make_engine();
  const Engine second = make_engine();
  const std::string valid = bearer();
  for (int i = 0; i < 3; ++i)
    decide(first, TestRequest("GET", "/x").authorization(valid));
  for (int i = 0; i < 2; ++i)
    decide(second, TestRequest("POST", "/x").authorization(valid));
  decide(second, TestRequest("GET", "/x").authorization(valid));
  MetricsSnapshot older = second.metrics();
  older.generation = 7;
  const std::string one = render_prometheus(first.metrics());
  const std::string two = render_prometheus(older);
  const std::string merged = merge_prometheus({one, two});
  EXPECT_THAT(merged,
              HasSubstr("stepup_decisions_total{result=\"permit\",status=\"200\",error=\"\"} 4\n"));
  EXPECT_THAT(merged, HasSubstr("stepup_decisions_total{result=\"deny\",status=\"401\","
                                "error=\"insufficient_user_authentication\"} 2\n"));
  EXPECT_THAT(merged, HasSubstr("stepup_step_up_challenges_total{rule=\"root / needs hwk\"} 2\n"));
  EXPECT_THAT(merged, HasSubstr("stepup_token_cache_hits_total 4\n"));
  EXPECT_THAT(merged, HasSubstr("stepup_generation 7\n")) << "a gauge keeps its largest value";
  EXPECT_THAT(merged, HasSubstr("stepup_decision_duration_seconds_count 2\n"));
  EXPECT_THAT(merged, HasSubstr("stepup_decision_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
  std::size_t type_lines = 0;
  for (std::size_t at = merged.find("# TYPE stepup_decisions_total"); at != std::string::npos;
       at = merged.find("# TYPE stepup_decisions_total", at + 1)) {
    ++type_lines;
  }
  EXPECT_EQ(type_lines, 1u);
  EXPECT_EQ(merge_prometheus({one}), one) << "one text merges to itself";
}

}  // namespace
}  // namespace stepup::engine_test
