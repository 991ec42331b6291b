// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The shadow policy: evaluated after each live decision, never changing it;
// a candidate that moves one rule shows exactly the expected disagreements,
// in the metrics and in the decision log; reload reads a shadow file again,
// and a broken one keeps the last good state.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine_test_util.h"
#include "stepup/decision_log.h"
#include "stepup/metrics.h"
#include "support/files.h"

namespace stepup::engine_test {
namespace {

// POST needs only MFA, and DELETE is refused.
constexpr const char* kCandidate = R"j({"name": "root", "combining": "first-applicable",
    "rules": [
      {"name": "needs mfa", "effect": "deny", "target": {"action": ["inbound-POST"]},
       "condition": "!acr_at_least('urn:example:mfa')",
       "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:mfa"}}]},
      {"name": "no deletes", "effect": "deny", "target": {"action": ["inbound-DELETE"]}},
      {"name": "signed in", "effect": "permit",
       "condition": "has(HttpRequest.AccessToken.sub)"}]})j";

// The known sequence: what each request is, and the live and candidate
// answers it must get.
std::vector<TestRequest> sequence() {
  std::vector<TestRequest> requests;
  for (int i = 0; i < 3; ++i)
    requests.push_back(TestRequest("GET", "/x").authorization(bearer()));  // permit, permit
  for (int i = 0; i < 2; ++i)
    requests.push_back(TestRequest("POST", "/x").authorization(bearer()));  // 401 deny, permit
  requests.push_back(
      TestRequest("POST", "/x")
          .authorization(bearer({{"acr", "\"urn:example:hwk\""}})));        // permit, permit
  requests.push_back(TestRequest("DELETE", "/x").authorization(bearer()));  // permit, 403 deny
  requests.push_back(
      TestRequest("POST", "/x")
          .authorization(bearer({{"acr", "\"urn:example:pwd\""}})));  // 401 deny, 401 deny: agree
  requests.push_back(TestRequest("GET", "/x"));                       // no credentials: 401 both
  return requests;
}

using Pair = std::pair<PolicyResult, PolicyResult>;

std::map<Pair, uint64_t> disagreements(const MetricsSnapshot& metrics) {
  std::map<Pair, uint64_t> out;
  for (const auto& d : metrics.shadow_disagreements)
    out[{d.live, d.shadow}] += d.count;
  return out;
}

TEST(ShadowPolicyTest, ACandidateThatMovesOneRuleShowsExactlyTheExpectedDisagreements) {
  const Engine live_only = create_engine(document(kPostNeedsHwkPolicy));
  const Engine candidate_only = create_engine(document(kCandidate));
  auto sink = std::make_shared<CollectingSink>();
  MetricsSnapshot metrics;
  std::map<Pair, uint64_t> expected;
  {
    absl::StatusOr<Engine> engine =
        Engine::create({.policy = PolicyText{document(kPostNeedsHwkPolicy)},
                        .decision_log = DecisionLogOptions{.sink = sink, .permit_sample_rate = 0.0},
                        .shadow_policy = PolicyText{document(kCandidate)}});
    ASSERT_TRUE(engine.ok()) << engine.status();
    for (const TestRequest& request : sequence()) {
      const Decision decision = decide(*engine, request);
      // The shadow never changes the answer.
      EXPECT_EQ(decision.to_json(), decide(live_only, request).to_json());
      const Decision candidate = decide(candidate_only, request);
      if (candidate.result != decision.result || candidate.status != decision.status)
        ++expected[{decision.result, candidate.result}];
    }
    metrics = engine->metrics();
  }
  const std::map<Pair, uint64_t> known = {{{PolicyResult::kDeny, PolicyResult::kPermit}, 2},
                                          {{PolicyResult::kPermit, PolicyResult::kDeny}, 1}};
  EXPECT_EQ(expected, known) << "the reference engines agree with the sequence's comments";
  EXPECT_EQ(disagreements(metrics), known);
  const std::string text = render_prometheus(metrics);
  EXPECT_NE(text.find("stepup_shadow_disagreements_total{live=\"deny\",shadow=\"permit\"} 2"),
            std::string::npos)
      << text;

  // Non-permits only, and the permit the shadow would deny: five records,
  // three with the shadow's outcome.
  const std::vector<std::string> records = sink->records();
  ASSERT_EQ(records.size(), 5u);
  int with_shadow = 0;
  for (const std::string& line : records) {
    const JsonValue record = parse_object(line);
    const JsonValue* shadow = record.find("shadow");
    if (shadow == nullptr) continue;
    ++with_shadow;
    if (record.find("method")->as_string() == "DELETE") {
      EXPECT_EQ(record.find("result")->as_string(), "permit");
      EXPECT_EQ(shadow->find("result")->as_string(), "deny");
      EXPECT_EQ(shadow->find("status")->as_integer(), 403);
      EXPECT_EQ(shadow->find("rule")->to_json(), R"(["root","no deletes"])");
    } else {
      EXPECT_EQ(record.find("status")->as_integer(), 401);
      EXPECT_EQ(shadow->find("status")->as_integer(), 200);
    }
  }
  EXPECT_EQ(with_shadow, 3);
}

TEST(ShadowPolicyTest, WithoutAShadowNothingIsCounted) {
  const Engine engine = create_engine(document(kPostNeedsHwkPolicy));
  for (const TestRequest& request : sequence())
    decide(engine, request);
  EXPECT_TRUE(engine.metrics().shadow_disagreements.empty());
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

TEST(ShadowPolicyTest, ReloadReadsAShadowFileAgainAndABrokenOneKeepsTheLastGoodState) {
  testing::TempDir dir;
  const std::string live = dir.file("live.json");
  const std::string shadow = dir.file("shadow.json");
  write_file(live, document(kPostNeedsHwkPolicy));
  write_file(shadow, document(kCandidate));
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyFile{live}, .shadow_policy = PolicyFile{shadow}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const TestRequest post = TestRequest("POST", "/x").authorization(bearer());
  const auto disagreeing = [&] {
    const uint64_t before =
        disagreements(engine->metrics())[{PolicyResult::kDeny, PolicyResult::kPermit}];
    decide(*engine, post);
    return disagreements(engine->metrics())[{PolicyResult::kDeny, PolicyResult::kPermit}] > before;
  };
  EXPECT_TRUE(disagreeing());

  write_file(shadow, "{ broken");
  const absl::Status broken = engine->reload();
  EXPECT_FALSE(broken.ok());
  EXPECT_EQ(std::string(broken.message()).rfind("shadow policy: ", 0), 0u) << broken;
  EXPECT_EQ(engine->generation(), 1u) << "a failed reload publishes nothing";
  EXPECT_TRUE(disagreeing()) << "the last good shadow stays";

  write_file(shadow, document(kPostNeedsHwkPolicy));
  ASSERT_TRUE(engine->reload().ok());
  EXPECT_FALSE(disagreeing()) << "the shadow now equals the live document";
}

TEST(ShadowPolicyTest, ABrokenShadowAtCreateIsAnErrorNamingIt) {
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy = PolicyText{document(kPostNeedsHwkPolicy)},
       .shadow_policy = PolicyText{document(R"({"name": "root", "rules": [{"name": "r"}]})")}});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(std::string(engine.status().message()).rfind("shadow policy: ", 0), 0u)
      << engine.status();
}

}  // namespace
}  // namespace stepup::engine_test
