// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// EngineOptions::decision_claims: the claims a host asked for, copied into
// each decision in the order asked (a string's value, anything else as
// compact JSON), none for a refused token, and storage reused call after
// call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/engine_test_util.h"

namespace stepup::engine_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr const char* kPermitSignedIn = R"j({"name": "root", "rules": [{"name": "signed in",
    "effect": "permit", "condition": "has(HttpRequest.AccessToken.sub)"}]})j";

const ManualClock& test_clock() {
  static const ManualClock clock(kNow);
  return clock;
}

Engine engine_with_claims(std::vector<std::string> names) {
  absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{document(kPermitSignedIn)},
                                                  .clock = &test_clock(),
                                                  .decision_claims = std::move(names)});
  EXPECT_TRUE(engine.ok()) << engine.status();
  return *std::move(engine);
}

TEST(DecisionClaimsTest, CopiesTheNamedClaimsInTheOrderAsked) {
  const Engine engine = engine_with_claims({"scope", "sub", "nbf", "aud", "acr"});
  const std::string audience = R"(["other",")" + std::string(testing::kTestAudience) + R"("])";
  const Decision decision =
      decide(engine, TestRequest("GET", "/x").authorization(bearer({{"aud", audience}})));
  ASSERT_TRUE(decision.authorized) << decision.reason;
  // No nbf in the token: left out; the audience list as compact JSON.
  EXPECT_THAT(decision.claims, ElementsAre(Pair("scope", "read write"), Pair("sub", "alice"),
                                           Pair("aud", audience), Pair("acr", "urn:example:mfa")));
}

TEST(DecisionClaimsTest, ARefusedTokenHasNone) {
  const Engine engine = engine_with_claims({"sub"});
  Decision decision;
  engine.decide(TestRequest("GET", "/x").authorization(bearer()).view(), decision);
  ASSERT_THAT(decision.claims, ElementsAre(Pair("sub", "alice")));
  engine.decide(TestRequest("GET", "/x").authorization(bearer({{"exp", "1"}})).view(), decision);
  EXPECT_EQ(decision.status, 401);
  EXPECT_THAT(decision.claims, IsEmpty());
  engine.decide(TestRequest("GET", "/x").view(), decision);  // No token at all.
  EXPECT_THAT(decision.claims, IsEmpty());
}

TEST(DecisionClaimsTest, ValidatedClaimsAreCopiedToo) {
  const Engine engine = engine_with_claims({"sub", "client_id"});
  const Decision decision = decide(
      engine, TestRequest("GET", "/x").validated_claims(R"({"sub": "bob", "client_id": 7})"));
  EXPECT_THAT(decision.claims, ElementsAre(Pair("sub", "bob"), Pair("client_id", "7")));
}

TEST(DecisionClaimsTest, WithoutNamesNothingIsCopied) {
  const Engine engine = create_engine(document(kPermitSignedIn));
  const Decision decision = decide(engine, TestRequest("GET", "/x").authorization(bearer()));
  EXPECT_TRUE(decision.authorized);
  EXPECT_THAT(decision.claims, IsEmpty());
}

}  // namespace
}  // namespace stepup::engine_test
