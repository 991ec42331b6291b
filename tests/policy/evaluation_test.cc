// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Rule effects, targets, disabled nodes and the evaluator's scratch space.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "attributes/request_attributes.h"
#include "config/document.h"
#include "policy/evaluator.h"
#include "policy_test_support.h"
#include "stepup/request.h"

namespace stepup::policy_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr PolicyResult kP = PolicyResult::kPermit;
constexpr PolicyResult kD = PolicyResult::kDeny;
constexpr PolicyResult kN = PolicyResult::kNotApplicable;
constexpr PolicyResult kI = PolicyResult::kIndeterminate;

struct EffectCase {
  const char* effect;
  // Results with no condition, and with a condition true, false, error.
  PolicyResult none, when_true, when_false, when_error;
};

void PrintTo(const EffectCase& c, std::ostream* os) {
  *os << c.effect;
}

class RuleEffectTest : public ::testing::TestWithParam<EffectCase> {};

TEST_P(RuleEffectTest, GivesTheResultOfItsEffectForEachConditionOutcome) {
  const EffectCase& c = GetParam();
  const std::string rule = R"({"name": "r", "effect": ")" + std::string(c.effect) + "\"";
  const std::vector<std::pair<std::optional<std::string>, PolicyResult>> cases = {
      {std::nullopt, c.none},
      {"true", c.when_true},
      {"false", c.when_false},
      {std::string(kErrorCondition), c.when_error}};
  for (const auto& [condition, expected] : cases) {
    SCOPED_TRACE(condition.value_or("(no condition)"));
    const std::string json = document_with_rule(
        rule + (condition ? R"(, "condition": ")" + *condition + "\"" : std::string()) + "}");
    const Outcome outcome = evaluate_json(json);
    EXPECT_EQ(outcome.result, expected);
    if (expected == kP || expected == kD) {
      EXPECT_THAT(outcome.determining, ElementsAre("root", "r"));
    }
    if (expected == kN) {
      EXPECT_FALSE(outcome.has_determining);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Effects, RuleEffectTest,
                         ::testing::Values(EffectCase{"permit", kP, kP, kN, kI},
                                           EffectCase{"deny", kD, kD, kN, kI},
                                           EffectCase{"permit-else-deny", kP, kP, kD, kI},
                                           EffectCase{"deny-else-permit", kD, kD, kP, kI}),
                         [](const ::testing::TestParamInfo<EffectCase>& param_info) {
                           std::string name;
                           for (const char* c = param_info.param.effect; *c != '\0'; ++c) {
                             if (*c != '-') name += *c;
                           }
                           return name;
                         });

TEST(RuleEffect, AConditionReadingARealAttributeDecides) {
  const std::string json = document_with_rule(
      R"({"name": "r", "effect": "permit", "condition": "action == 'inbound-GET'"})");
  EXPECT_EQ(evaluate_json(json, "GET").result, kP);
  EXPECT_EQ(evaluate_json(json, "POST").result, kN);
}

TEST(RuleEffect, AGuardedAbsentAttributeIsNotAnError) {
  const std::string json = document_with_rule(
      R"({"name": "r", "effect": "deny", "condition":
          "has(HttpRequest.AccessToken.acr) && HttpRequest.AccessToken.acr == 'x'"})");
  EXPECT_EQ(evaluate_json(json).result, kN);
  const JsonValue claims = parse_object(R"({"acr": "x"})");
  EXPECT_EQ(evaluate_json(json, "GET", "/x", &claims).result, kD);
}

// --- Targets -------------------------------------------------------------

constexpr std::string_view kEndpoints =
    R"("endpoints": [{"service": "payments", "base_path": "/payments"},
                     {"service": "accounts", "base_path": "/accounts"},
                     {"service": "payments-v2", "base_path": "/payments/v2"}])";

// A document whose root policy has `target` and one permitting rule.
std::string targeted(const std::string& target) {
  return document(R"({"name": "root", "target": )" + target +
                      R"(, "rules": [{"name": "r", "effect": "permit"}]})",
                  kEndpoints);
}

PolicyResult result_of(const std::string& json, std::string_view method, std::string_view path) {
  return evaluate_json(json, method, path).result;
}

TEST(Target, NoTargetAppliesToEveryRequest) {
  const std::string json =
      document(R"({"name": "root", "rules": [{"name": "r", "effect": "permit"}]})", kEndpoints);
  EXPECT_EQ(result_of(json, "GET", "/payments/x"), kP);
  EXPECT_EQ(result_of(json, "DELETE", "/elsewhere"), kP);
  EXPECT_EQ(result_of(json, "GET", "/"), kP);
}

TEST(Target, ServiceMatchesExactly) {
  const std::string json = targeted(R"({"service": ["payments"]})");
  EXPECT_EQ(result_of(json, "GET", "/payments"), kP);
  EXPECT_EQ(result_of(json, "GET", "/payments/transfers/7"), kP);
  EXPECT_EQ(result_of(json, "GET", "/payments?x=1"), kP);
  EXPECT_EQ(result_of(json, "GET", "/accounts/1"), kN);
  EXPECT_EQ(result_of(json, "GET", "/paymentsx"), kN);
  // The longest base path wins: /payments/v2 is the service payments-v2.
  EXPECT_EQ(result_of(json, "GET", "/payments/v2/x"), kN);
  EXPECT_EQ(result_of(json, "GET", "/payments/v2x"), kP);
  EXPECT_EQ(result_of(targeted(R"({"service": ["Payments"]})"), "GET", "/payments/x"), kN);
  EXPECT_EQ(result_of(targeted(R"({"service": ["payment"]})"), "GET", "/payments/x"), kN);
}

TEST(Target, ARequestMatchingNoEndpointHasNoService) {
  // Not even the empty service name matches it.
  EXPECT_EQ(result_of(targeted(R"({"service": ["payments"]})"), "GET", "/other/x"), kN);
  EXPECT_EQ(result_of(targeted(R"({"service": [""]})"), "GET", "/other/x"), kN);
  const std::string no_endpoints = document(
      R"({"name": "root", "target": {"service": ["payments"]},
          "rules": [{"name": "r", "effect": "permit"}]})");
  EXPECT_EQ(result_of(no_endpoints, "GET", "/payments/x"), kN);
  const std::string has_service = targeted(R"j({"condition": "has(service)"})j");
  EXPECT_EQ(result_of(has_service, "GET", "/other/x"), kN);
  EXPECT_EQ(result_of(has_service, "GET", "/accounts/x"), kP);
  // Reading the absent service is an error, so the target is Indeterminate.
  EXPECT_EQ(result_of(targeted(R"({"condition": "service == 'x'"})"), "GET", "/other"), kI);
}

TEST(Target, ActionMatchesExactly) {
  const std::string json = targeted(R"({"action": ["inbound-POST"]})");
  EXPECT_EQ(result_of(json, "POST", "/payments/x"), kP);
  EXPECT_EQ(result_of(json, "GET", "/payments/x"), kN);
  EXPECT_EQ(result_of(json, "post", "/payments/x"), kN);
  EXPECT_EQ(result_of(targeted(R"({"action": ["POST"]})"), "POST", "/payments/x"), kN);
  EXPECT_EQ(result_of(targeted(R"({"action": ["inbound-post"]})"), "POST", "/payments/x"), kN);
}

TEST(Target, AnyValueOfAKeyMatches) {
  const std::string json = targeted(R"({"action": ["inbound-GET", "inbound-HEAD"]})");
  EXPECT_EQ(result_of(json, "GET", "/x"), kP);
  EXPECT_EQ(result_of(json, "HEAD", "/x"), kP);
  EXPECT_EQ(result_of(json, "PUT", "/x"), kN);
  const std::string services = targeted(R"({"service": ["accounts", "payments"]})");
  EXPECT_EQ(result_of(services, "GET", "/payments/x"), kP);
  EXPECT_EQ(result_of(services, "GET", "/accounts/x"), kP);
  EXPECT_EQ(result_of(services, "GET", "/other/x"), kN);
  const std::string paths = targeted(R"({"path": ["a/*", "b/**"]})");
  EXPECT_EQ(result_of(paths, "GET", "/a/1"), kP);
  EXPECT_EQ(result_of(paths, "GET", "/b/1/2"), kP);
  EXPECT_EQ(result_of(paths, "GET", "/c/1"), kN);
}

TEST(Target, EveryKeyGivenMustMatch) {
  const std::string json = targeted(
      R"({"service": ["payments"], "action": ["inbound-POST"], "path": ["transfers/**"],
          "condition": "HttpRequest.RequestHeaders.x-test == 'yes'"})");
  const Header yes[] = {{"X-Test", "yes"}};
  const Header no[] = {{"X-Test", "no"}};
  auto run = [&](std::string_view method, std::string_view path, std::span<const Header> headers) {
    const auto loaded = must_load(json);
    if (loaded == nullptr) return kI;
    Request request;
    request.method = method;
    request.path = path;
    request.headers = headers;
    const attributes::RequestAttributes attributes(request, nullptr, loaded->endpoint_index, kNow);
    policy::EvaluationScratch scratch;
    return policy::evaluate_policy(loaded->root, attributes, scratch, nullptr).result;
  };
  EXPECT_EQ(run("POST", "/payments/transfers/7", yes), kP);
  EXPECT_EQ(run("POST", "/accounts/transfers/7", yes), kN);  // service
  EXPECT_EQ(run("GET", "/payments/transfers/7", yes), kN);   // action
  EXPECT_EQ(run("POST", "/payments/refunds/7", yes), kN);    // path
  EXPECT_EQ(run("POST", "/payments/transfers/7", no), kN);   // condition
  EXPECT_EQ(run("POST", "/payments/transfers/7", {}), kI);   // condition error
}

TEST(Target, PathGlobsMatchTheResourcePathAfterTheBasePath) {
  const std::string one = targeted(R"({"path": ["transfers/*"]})");
  EXPECT_EQ(result_of(one, "GET", "/payments/transfers/7"), kP);
  EXPECT_EQ(result_of(one, "GET", "/payments/transfers/7?x=1"), kP);
  EXPECT_EQ(result_of(one, "GET", "/payments/transfers"), kN);
  EXPECT_EQ(result_of(one, "GET", "/payments/transfers/7/items"), kN);
  // Without an endpoint, the whole path (leading '/' removed) is matched.
  EXPECT_EQ(result_of(one, "GET", "/transfers/7"), kP);
  EXPECT_EQ(result_of(one, "GET", "/other/transfers/7"), kN);

  const std::string any = targeted(R"({"path": ["transfers/**"]})");
  EXPECT_EQ(result_of(any, "GET", "/payments/transfers"), kP);
  EXPECT_EQ(result_of(any, "GET", "/payments/transfers/7"), kP);
  EXPECT_EQ(result_of(any, "GET", "/payments/transfers/7/items/1"), kP);
  EXPECT_EQ(result_of(any, "GET", "/payments/transfersx"), kN);
  EXPECT_EQ(result_of(any, "GET", "/payments"), kN);

  const std::string json_files = targeted(R"({"path": ["**/*.json"]})");
  EXPECT_EQ(result_of(json_files, "GET", "/payments/a.json"), kP);
  EXPECT_EQ(result_of(json_files, "GET", "/payments/x/y/a.json"), kP);
  EXPECT_EQ(result_of(json_files, "GET", "/payments/a.jsonx"), kN);
  EXPECT_EQ(result_of(json_files, "GET", "/payments/a.json/x"), kN);

  // The base path itself has the empty resource path: only `**` matches it.
  EXPECT_EQ(result_of(targeted(R"({"path": ["**"]})"), "GET", "/payments"), kP);
  EXPECT_EQ(result_of(targeted(R"({"path": ["*"]})"), "GET", "/payments"), kN);
}

TEST(Target, ConditionTrueFalseOrError) {
  EXPECT_EQ(result_of(targeted(R"({"condition": "true"})"), "GET", "/x"), kP);
  EXPECT_EQ(result_of(targeted(R"({"condition": "false"})"), "GET", "/x"), kN);
  const Outcome error = evaluate_json(
      targeted(R"({"condition": ")" + std::string(kErrorCondition) + "\"}"), "GET", "/x");
  EXPECT_EQ(error.result, kI);
  EXPECT_FALSE(error.has_determining);
}

TEST(Target, OnARuleGatesTheRule) {
  const std::string json = document_with_rule(
      R"({"name": "get", "effect": "permit", "target": {"action": ["inbound-GET"]}},
         {"name": "error", "effect": "deny",
          "target": {"action": ["inbound-PUT"], "condition": ")" +
      std::string(kErrorCondition) + R"("}},
         {"name": "other", "effect": "deny"})");
  EXPECT_EQ(evaluate_json(json, "GET").result, kP);
  EXPECT_THAT(evaluate_json(json, "POST").determining, ElementsAre("root", "other"));
  EXPECT_EQ(evaluate_json(json, "PUT").result, kI);
}

TEST(Target, ANodesTargetGatesAllItsChildren) {
  const std::string json = document(
      R"({"name": "root", "combining": "deny-overrides", "children": [
          {"name": "gated", "target": {"action": ["inbound-POST"]},
           "rules": [{"name": "r", "effect": "deny"}]},
          {"name": "open", "rules": [{"name": "r", "effect": "permit"}]}]})");
  EXPECT_EQ(evaluate_json(json, "POST").result, kD);
  EXPECT_EQ(evaluate_json(json, "GET").result, kP);
}

TEST(Disabled, ADisabledNodeIsNotApplicable) {
  const std::string json = document(
      R"({"name": "root", "combining": "deny-overrides", "children": [
          {"name": "off", "disabled": true, "rules": [{"name": "r", "effect": "deny"}]},
          {"name": "on", "disabled": false, "rules": [{"name": "r", "effect": "permit"}]}]})");
  const Outcome outcome = evaluate_json(json);
  EXPECT_EQ(outcome.result, kP);
  EXPECT_THAT(outcome.determining, ElementsAre("root", "on", "r"));
  // Even one whose target condition would be an error.
  const Outcome root_off = evaluate_json(document(
      R"({"name": "root", "disabled": true, "target": {"condition": ")" +
      std::string(kErrorCondition) + R"("}, "rules": [{"name": "r", "effect": "deny"}]})"));
  EXPECT_EQ(root_off.result, kN);
}

TEST(Disabled, ADisabledRuleIsNotApplicable) {
  const std::string json = document_with_rule(
      R"({"name": "off", "disabled": true, "effect": "deny"},
         {"name": "error off", "disabled": true, "effect": "deny", "condition": ")" +
      std::string(kErrorCondition) + R"("},
         {"name": "on", "effect": "permit"})");
  const Outcome outcome = evaluate_json(json);
  EXPECT_EQ(outcome.result, kP);
  EXPECT_THAT(outcome.determining, ElementsAre("root", "on"));
  EXPECT_EQ(
      evaluate_json(document_with_rule(R"({"name": "r", "disabled": true, "effect": "deny"})"))
          .result,
      kN);
}

TEST(Evaluation, AnEmptySetOrPolicyIsNotApplicable) {
  EXPECT_EQ(evaluate_json(document(R"({"name": "root", "children": []})")).result, kN);
  EXPECT_EQ(evaluate_json(document(R"({"name": "root", "rules": []})")).result, kN);
  EXPECT_EQ(evaluate_json(document(R"({"name": "root", "combining": "deny-unless-permit",
                                       "rules": []})"))
                .result,
            kD);
}

TEST(Evaluation, ReusingTheScratchStartsEachDecisionAfresh) {
  const auto loaded = must_load(document(
      R"({"name": "root", "combining": "deny-overrides", "rules": [
          {"name": "get", "effect": "deny", "target": {"action": ["inbound-GET"]},
           "statements": [{"code": "note", "name": "get", "applies_to": "deny"}]},
          {"name": "post", "effect": "deny", "target": {"action": ["inbound-POST"]},
           "statements": [{"code": "note", "name": "post", "applies_to": "deny"}]}]})"));
  ASSERT_NE(loaded, nullptr);
  policy::EvaluationScratch scratch;
  auto names = [&](std::string_view method) {
    Request request;
    request.method = method;
    request.path = "/x";
    const attributes::RequestAttributes attributes(request, nullptr, loaded->endpoint_index, kNow);
    policy::evaluate_policy(loaded->root, attributes, scratch, nullptr);
    std::vector<std::string> out;
    for (const policy::PolicyStatement* statement : scratch.statements)
      out.push_back(statement->reported.name);
    return out;
  };
  EXPECT_THAT(names("GET"), ElementsAre("get"));
  EXPECT_THAT(names("POST"), ElementsAre("post"));
  EXPECT_THAT(names("PUT"), IsEmpty());
  EXPECT_THAT(names("GET"), ElementsAre("get"));
}

TEST(Evaluation, FirstIndeterminateNamesTheRuleThatCouldNotBeEvaluated) {
  const auto loaded = must_load(document(
      R"({"name": "root", "combining": "deny-unless-permit", "children": [
          {"name": "p", "rules": [{"name": "ok", "effect": "permit", "condition": "false"},
                                  {"name": "broken", "effect": "permit", "condition": ")" +
      std::string(kErrorCondition) + R"("}]}]})"));
  ASSERT_NE(loaded, nullptr);
  Request request;
  request.method = "GET";
  request.path = "/x";
  const attributes::RequestAttributes attributes(request, nullptr, loaded->endpoint_index, kNow);
  policy::EvaluationScratch scratch;
  const policy::Evaluation evaluation =
      policy::evaluate_policy(loaded->root, attributes, scratch, nullptr);
  EXPECT_EQ(evaluation.result, kD);
  EXPECT_EQ(evaluation.determining, nullptr);
  ASSERT_NE(evaluation.first_indeterminate, nullptr);
  EXPECT_THAT(evaluation.first_indeterminate->path, ElementsAre("root", "p", "broken"));
}

// --- The example document --------------------------------------------------

class ExamplePolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> loaded =
        config::load_policy_file(std::string(STEPUP_EXAMPLES_DIR) + "/policy/policy.json");
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    document_ = *std::move(loaded);
  }
  Outcome run(std::string_view method, std::string_view path, std::string_view claims) {
    const JsonValue parsed = parse_object(claims);
    return evaluate(*document_, method, path, &parsed);
  }
  std::shared_ptr<const policy::PolicyDocument> document_;
};

TEST_F(ExamplePolicyTest, AWeakTokenIsDeniedByTheStrongRuleWithItsChallenge) {
  const Outcome outcome = run("POST", "/payments/transfers/7",
                              R"({"sub": "alice", "acr": "urn:example:pwd", "auth_time": 1799999990,
              "scope": "payments:write"})");
  EXPECT_EQ(outcome.result, kD);
  EXPECT_THAT(outcome.determining,
              ElementsAre("api", "transfers need fresh strong authentication", "strong"));
  ASSERT_EQ(outcome.statements.size(), 1u);
}

TEST_F(ExamplePolicyTest, AStaleStrongTokenIsDeniedByTheFreshRule) {
  const Outcome outcome = run("POST", "/payments/transfers/7",
                              R"({"sub": "alice", "acr": "urn:example:hwk", "auth_time": 1799999000,
              "scope": "payments:write"})");
  EXPECT_EQ(outcome.result, kD);
  EXPECT_THAT(outcome.determining,
              ElementsAre("api", "transfers need fresh strong authentication", "fresh"));
}

TEST_F(ExamplePolicyTest, AFreshStrongScopedTokenIsPermitted) {
  const Outcome outcome = run("POST", "/payments/transfers/7",
                              R"({"sub": "alice", "acr": "urn:example:mfa", "auth_time": 1799999990,
              "scope": "payments:read payments:write"})");
  EXPECT_EQ(outcome.result, kP);
  EXPECT_THAT(outcome.determining,
              ElementsAre("api", "transfers need fresh strong authentication", "scoped"));
  EXPECT_THAT(outcome.statements, IsEmpty());
}

TEST_F(ExamplePolicyTest, ATokenWithoutAcrIsDeniedByDefaultWithoutAChallenge) {
  // acr_at_least() cannot be evaluated: Indeterminate, then the root's default.
  const Outcome outcome =
      run("POST", "/payments/transfers/7", R"({"sub": "alice", "scope": "payments:write"})");
  EXPECT_EQ(outcome.result, kD);
  EXPECT_FALSE(outcome.has_determining);
  EXPECT_THAT(outcome.statements, IsEmpty());
}

TEST_F(ExamplePolicyTest, ReadsNeedOnlyASubject) {
  EXPECT_EQ(run("GET", "/accounts/1", R"({"sub": "alice"})").result, kP);
  EXPECT_EQ(run("GET", "/accounts/1", R"({"client_id": "c"})").result, kD);
  EXPECT_EQ(run("DELETE", "/accounts/1", R"({"sub": "alice"})").result, kD);
}

}  // namespace
}  // namespace stepup::policy_test
