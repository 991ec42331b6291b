// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The server-side challenge builder (SPEC §4 step 5, §5): formatting, merging
// of several auth-challenge statements, directly and through the engine.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "challenge/challenge_builder.h"
#include "config/document.h"
#include "engine_test_util.h"

namespace stepup::engine_test {
namespace {

using challenge::BearerChallenge;
using challenge::format_bearer_challenge;
using challenge::merge_step_up;
using challenge::MergedRequirement;
using challenge::StepUpDemand;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// --- format_bearer_challenge -------------------------------------------------

TEST(FormatBearerChallenge, Rfc9470AcrValuesExample) {
  // RFC 9470 §3, Figure 2 (the RFC folds the line for display).
  EXPECT_EQ(
      format_bearer_challenge({.error = "insufficient_user_authentication",
                               .error_description = "A different authentication level is required",
                               .acr_values = {"myACR"}}),
      "Bearer error=\"insufficient_user_authentication\", "
      "error_description=\"A different authentication level is required\", "
      "acr_values=\"myACR\"");
}

TEST(FormatBearerChallenge, Rfc9470MaxAgeExample) {
  // RFC 9470 §3, Figure 3.
  EXPECT_EQ(format_bearer_challenge({.error = "insufficient_user_authentication",
                                     .error_description = "More recent authentication is required",
                                     .max_age = 5}),
            "Bearer error=\"insufficient_user_authentication\", "
            "error_description=\"More recent authentication is required\", max_age=\"5\"");
}

TEST(FormatBearerChallenge, Rfc6750Examples) {
  // RFC 6750 §3.
  EXPECT_EQ(format_bearer_challenge({.realm = "example"}), "Bearer realm=\"example\"");
  EXPECT_EQ(format_bearer_challenge({.realm = "example",
                                     .error = "invalid_token",
                                     .error_description = "The access token expired"}),
            "Bearer realm=\"example\", error=\"invalid_token\", "
            "error_description=\"The access token expired\"");
}

TEST(FormatBearerChallenge, EveryParameterOnceInSpecOrder) {
  EXPECT_EQ(format_bearer_challenge({.realm = "r",
                                     .error = "e",
                                     .error_description = "d e s c",
                                     .acr_values = {"a1", "a2", "a3"},
                                     .max_age = 300,
                                     .scope = "s1 s2"}),
            "Bearer realm=\"r\", error=\"e\", error_description=\"d e s c\", "
            "acr_values=\"a1 a2 a3\", max_age=\"300\", scope=\"s1 s2\"");
}

TEST(FormatBearerChallenge, OnlyWhatIsPresent) {
  EXPECT_EQ(format_bearer_challenge({}), "Bearer");
  EXPECT_EQ(format_bearer_challenge({.scope = "read"}), "Bearer scope=\"read\"");
  EXPECT_EQ(format_bearer_challenge({.max_age = 0}), "Bearer max_age=\"0\"");
  EXPECT_EQ(format_bearer_challenge({.acr_values = {"x"}, .max_age = 7}),
            "Bearer acr_values=\"x\", max_age=\"7\"");
  EXPECT_EQ(format_bearer_challenge({.realm = "r", .scope = "s"}),
            "Bearer realm=\"r\", scope=\"s\"");
  EXPECT_EQ(format_bearer_challenge({.error_description = "d"}), "Bearer error_description=\"d\"");
}

TEST(FormatBearerChallenge, DefaultDescriptionsAreRfc9470s) {
  EXPECT_EQ(challenge::kAcrDescription, "A different authentication level is required");
  EXPECT_EQ(challenge::kMaxAgeDescription, "More recent authentication is required");
}

// --- merge_step_up -------------------------------------------------------------

const std::vector<std::string> kLevels = {"urn:example:pwd", "urn:example:mfa", "urn:example:hwk"};

// One statement of a policy document, as JSON text.
std::string make_statement(std::string_view code, std::string_view payload) {
  return R"({"code": ")" + std::string(code) + R"(", "applies_to": "deny", "payload": )" +
         std::string(payload) + "}";
}

// MergedRequirement with its own copies of the strings, which in the
// library's result point into the compiled statements.
struct Merged {
  std::vector<std::string> acr_values;
  std::optional<int64_t> max_age;
  std::string error_description;
};

// Loads a document whose one rule has `statements` (with the acr levels
// `levels`), then merges the step-up demands they compile to, in order.
Merged merge(const std::vector<std::string>& statements,
             const std::vector<std::string>& levels = kLevels) {
  std::string levels_json;
  for (const std::string& level : levels)
    levels_json += (levels_json.empty() ? "\"" : ", \"") + level + "\"";
  std::string statements_json;
  for (const std::string& statement : statements)
    statements_json += (statements_json.empty() ? "" : ", ") + statement;
  const std::string document = R"({"stepup": 1, "acr_levels": [)" + levels_json +
                               R"(], "policy": {"name": "root", "rules": [)"
                               R"({"name": "r", "effect": "deny", "statements": [)" +
                               statements_json + "]}]}}";
  const absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> loaded =
      config::load_policy(document, "");
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  if (!loaded.ok()) return {};
  std::vector<const StepUpDemand*> demands;
  for (const policy::PolicyStatement& statement : (*loaded)->root.rules[0].statements) {
    if (const auto* demand = std::get_if<StepUpDemand>(&statement.meaning))
      demands.push_back(demand);
  }
  const MergedRequirement merged = merge_step_up(demands);
  return {{merged.acr_values.begin(), merged.acr_values.end()},
          merged.max_age,
          std::string(merged.error_description)};
}

TEST(MergeStepUp, NothingToMerge) {
  const Merged merged = merge({});
  EXPECT_THAT(merged.acr_values, IsEmpty());
  EXPECT_FALSE(merged.max_age.has_value());
  EXPECT_EQ(merged.error_description, "");
}

TEST(MergeStepUp, MinAcrExpandsUpwardWeakestFirst) {
  EXPECT_THAT(
      merge({make_statement("auth-challenge", R"({"min_acr": "urn:example:pwd"})")}).acr_values,
      ElementsAre("urn:example:pwd", "urn:example:mfa", "urn:example:hwk"));
  EXPECT_THAT(
      merge({make_statement("auth-challenge", R"({"min_acr": "urn:example:mfa"})")}).acr_values,
      ElementsAre("urn:example:mfa", "urn:example:hwk"));
  EXPECT_THAT(
      merge({make_statement("auth-challenge", R"({"min_acr": "urn:example:hwk"})")}).acr_values,
      ElementsAre("urn:example:hwk"));
}

TEST(MergeStepUp, MaxAgeIsTheSmallest) {
  const Merged merged = merge({make_statement("auth-challenge", R"({"max_age": 300})"),
                               make_statement("auth-challenge", R"({"max_age": 60})"),
                               make_statement("auth-challenge", R"({"max_age": 900})")});
  ASSERT_TRUE(merged.max_age.has_value());
  EXPECT_EQ(*merged.max_age, 60);
  EXPECT_THAT(merged.acr_values, IsEmpty());
  EXPECT_EQ(merged.error_description, "");

  const Merged zero = merge({make_statement("auth-challenge", R"({"max_age": 5})"),
                             make_statement("auth-challenge", R"({"max_age": 0})")});
  ASSERT_TRUE(zero.max_age.has_value());
  EXPECT_EQ(*zero.max_age, 0);
}

TEST(MergeStepUp, FirstListNarrowedInItsOwnOrder) {
  const Merged merged =
      merge({make_statement("auth-challenge", R"({"acr_values": ["c", "a", "b", "d"]})"),
             make_statement("auth-challenge", R"({"acr_values": ["a", "b", "c"]})"),
             make_statement("auth-challenge", R"({"acr_values": ["b", "x", "c"]})")});
  EXPECT_THAT(merged.acr_values, ElementsAre("c", "b"));
}

TEST(MergeStepUp, FirstListWhenNothingIsCommon) {
  const Merged merged = merge({make_statement("auth-challenge", R"({"acr_values": ["a", "b"]})"),
                               make_statement("auth-challenge", R"({"acr_values": ["b"]})"),
                               make_statement("auth-challenge", R"({"acr_values": ["x"]})")});
  EXPECT_THAT(merged.acr_values, ElementsAre("a", "b"));
}

TEST(MergeStepUp, MinAcrAndAcrValuesNarrowEachOther) {
  const Merged merged = merge(
      {make_statement("auth-challenge", R"({"acr_values": ["urn:example:hwk", "urn:other"]})"),
       make_statement("auth-challenge", R"({"min_acr": "urn:example:mfa"})")});
  EXPECT_THAT(merged.acr_values, ElementsAre("urn:example:hwk"));
}

TEST(MergeStepUp, ChallengesWithoutAListDoNotNarrow) {
  const Merged merged =
      merge({make_statement("auth-challenge", R"({"max_age": 120})"),
             make_statement("auth-challenge", R"({"min_acr": "urn:example:mfa"})"),
             make_statement("auth-challenge", R"({"max_age": 30})")});
  EXPECT_THAT(merged.acr_values, ElementsAre("urn:example:mfa", "urn:example:hwk"));
  EXPECT_EQ(merged.max_age, 30);
}

TEST(MergeStepUp, FirstDescriptionWins) {
  const Merged merged = merge(
      {make_statement("auth-challenge", R"({"max_age": 120})"),
       make_statement("auth-challenge", R"({"max_age": 60, "error_description": "first"})"),
       make_statement("auth-challenge", R"({"max_age": 30, "error_description": "second"})")});
  EXPECT_EQ(merged.error_description, "first");
}

TEST(MergeStepUp, OtherCodesAreSkipped) {
  const Merged merged = merge(
      {make_statement("denied-reason", R"({"status": 403})"),
       make_statement("audit", R"({"max_age": 1, "acr_values": ["zz"], "error_description": "x"})"),
       make_statement("auth-challenge", R"({"max_age": 100})")});
  EXPECT_EQ(merged.max_age, 100);
  EXPECT_THAT(merged.acr_values, IsEmpty());
  EXPECT_EQ(merged.error_description, "");
}

// --- Merging through the engine: a deny-overrides set -------------------------

// Every child denies when its tag appears in ?fire=..., with its own
// auth-challenge; a permitting child makes a request with no tag a Permit.
constexpr const char* kMergePolicy = R"json({
  "name": "root",
  "combining": "deny-overrides",
  "children": [
    { "name": "list", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[list]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge", "payload":
          { "acr_values": ["urn:example:hwk", "urn:example:mfa", "urn:other"] } } ] } ] },
    { "name": "mfa", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[mfa]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge",
                          "payload": { "min_acr": "urn:example:mfa" } } ] } ] },
    { "name": "hwk", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[hwk]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge",
                          "payload": { "min_acr": "urn:example:hwk" } } ] } ] },
    { "name": "x", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[x]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge",
                          "payload": { "acr_values": ["urn:x"] } } ] } ] },
    { "name": "age300", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[age300]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge", "payload": { "max_age": 300 } } ] } ] },
    { "name": "age60", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[age60]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge", "payload": { "max_age": 60 } } ] } ] },
    { "name": "age0", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[age0]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge", "payload": { "max_age": 0 } } ] } ] },
    { "name": "desc", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[desc]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge",
                          "payload": { "max_age": 600,
                                       "error_description": "Step up please" } } ] } ] },
    { "name": "desc2", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[desc2]' in HttpRequest.QueryParameters.fire",
        "statements": [ { "code": "auth-challenge",
                          "payload": { "max_age": 900,
                                       "error_description": "Other text" } } ] } ] },
    { "name": "node", "statements": [ { "code": "auth-challenge", "payload": { "max_age": 45 } } ],
      "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[node]' in HttpRequest.QueryParameters.fire" } ] },
    { "name": "plain", "rules": [ { "name": "r", "effect": "deny",
        "condition": "'[plain]' in HttpRequest.QueryParameters.fire" } ] },
    { "name": "open", "rules": [ { "name": "r", "effect": "permit",
        "statements": [ { "code": "auth-challenge", "applies_to": "permit",
                          "payload": { "max_age": 1 } } ] } ] }
  ]
})json";

constexpr const char* kAcrPrefix =
    "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
    "error_description=\"A different authentication level is required\", ";
constexpr const char* kAgePrefix =
    "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
    "error_description=\"More recent authentication is required\", ";

class MergeThroughEngineTest : public ::testing::Test {
 protected:
  MergeThroughEngineTest() : engine_(create_engine(document(kMergePolicy))) {}

  Decision fire(const std::string& tags) const {
    return decide(engine_, TestRequest("GET", "/anything?fire=" + tags).authorization(bearer()));
  }

  Engine engine_;
};

TEST_F(MergeThroughEngineTest, NoTagIsAPermit) {
  const Decision d = fire("");
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.result, PolicyResult::kPermit);
  // The permitting child's permit statement joins a Permit.
  ASSERT_EQ(d.statements.size(), 1u);
  EXPECT_EQ(d.statements[0].applies_to, AppliesTo::kPermit);
}

TEST_F(MergeThroughEngineTest, OneChallenge) {
  EXPECT_EQ(fire("[mfa]").www_authenticate,
            std::string(kAcrPrefix) + "acr_values=\"urn:example:mfa urn:example:hwk\"");
  EXPECT_EQ(fire("[age300]").www_authenticate, std::string(kAgePrefix) + "max_age=\"300\"");
  EXPECT_EQ(fire("[age0]").www_authenticate, std::string(kAgePrefix) + "max_age=\"0\"");
}

TEST_F(MergeThroughEngineTest, EveryDenyingChildContributes) {
  const Decision d = fire("[mfa][age300]");
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.error, "insufficient_user_authentication");
  EXPECT_EQ(d.www_authenticate, std::string(kAcrPrefix) +
                                    "acr_values=\"urn:example:mfa urn:example:hwk\", "
                                    "max_age=\"300\"");
  // Both denying children's statements, in evaluation order; never the
  // permitting child's.
  ASSERT_EQ(d.statements.size(), 2u);
  EXPECT_NE(d.statements[0].payload.find("min_acr"), nullptr);
  EXPECT_NE(d.statements[1].payload.find("max_age"), nullptr);
  EXPECT_EQ(d.statements[1].payload.find("max_age")->as_integer(), 300);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "mfa", "r"));
}

TEST_F(MergeThroughEngineTest, MaxAgeIsTheSmallest) {
  EXPECT_EQ(fire("[age300][age60]").www_authenticate, std::string(kAgePrefix) + "max_age=\"60\"");
  EXPECT_EQ(fire("[age60][age300][age0]").www_authenticate,
            std::string(kAgePrefix) + "max_age=\"0\"");
}

TEST_F(MergeThroughEngineTest, AcrValuesNarrowedInTheFirstListsOrder) {
  // list = [hwk, mfa, other], mfa = [mfa, hwk]: the first list's order.
  EXPECT_EQ(fire("[list][mfa]").www_authenticate,
            std::string(kAcrPrefix) + "acr_values=\"urn:example:hwk urn:example:mfa\"");
  EXPECT_EQ(fire("[mfa][hwk]").www_authenticate,
            std::string(kAcrPrefix) + "acr_values=\"urn:example:hwk\"");
  EXPECT_EQ(fire("[list][mfa][hwk]").www_authenticate,
            std::string(kAcrPrefix) + "acr_values=\"urn:example:hwk\"");
}

TEST_F(MergeThroughEngineTest, FirstListWhenNothingIsCommon) {
  EXPECT_EQ(fire("[mfa][x]").www_authenticate,
            std::string(kAcrPrefix) + "acr_values=\"urn:example:mfa urn:example:hwk\"");
  EXPECT_EQ(fire("[list][x][mfa]").www_authenticate,
            std::string(kAcrPrefix) + "acr_values=\"urn:example:hwk urn:example:mfa urn:other\"");
}

TEST_F(MergeThroughEngineTest, PayloadDescriptionWins) {
  EXPECT_EQ(fire("[desc][mfa]").www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"Step up please\", "
            "acr_values=\"urn:example:mfa urn:example:hwk\", max_age=\"600\"");
  EXPECT_EQ(fire("[desc][desc2]").www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"Step up please\", max_age=\"600\"");
  // A child without a challenge only adds a plain Deny.
  EXPECT_EQ(fire("[plain][age60]").www_authenticate, std::string(kAgePrefix) + "max_age=\"60\"");
}

TEST_F(MergeThroughEngineTest, PolicyLevelStatementsJoinToo) {
  const Decision d = fire("[node][mfa]");
  EXPECT_EQ(d.www_authenticate, std::string(kAcrPrefix) +
                                    "acr_values=\"urn:example:mfa urn:example:hwk\", "
                                    "max_age=\"45\"");
  ASSERT_EQ(d.statements.size(), 2u);
  EXPECT_NE(d.statements[0].payload.find("min_acr"), nullptr);
  EXPECT_EQ(d.statements[1].payload.find("max_age")->as_integer(), 45);
}

TEST_F(MergeThroughEngineTest, PlainDenyAloneIs403) {
  const Decision d = fire("[plain]");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_THAT(d.statements, IsEmpty());
}

TEST_F(MergeThroughEngineTest, WithoutCredentialsNothingIsDisclosed) {
  const Decision d = decide(engine_, TestRequest("GET", "/anything?fire=[mfa][age60]"));
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.www_authenticate, kBareChallenge);
  EXPECT_EQ(d.error, "");
}

}  // namespace
}  // namespace stepup::engine_test
