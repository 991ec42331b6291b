// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Statements join the decision along the path that contributed (SPEC §2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "policy_test_support.h"

namespace stepup::policy_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A statement named `name` with `applies_to`.
std::string note(const std::string& name, const std::string& applies_to = "permit-or-deny") {
  return R"({"code": "note", "name": ")" + name + R"(", "applies_to": ")" + applies_to + "\"}";
}

TEST(Statements, DenyOverridesKeepsEveryDenyingChildsStatementsInOrder) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "deny-overrides", "children": [
          {"name": "a", "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("deny a") + R"(]}]},
          {"name": "b", "rules": [{"name": "r", "effect": "permit", "statements": [)" +
      note("permit b") + R"(]}]},
          {"name": "c", "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("deny c") + R"(]}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_THAT(outcome.statements, ElementsAre("deny a", "deny c"));
  EXPECT_THAT(outcome.determining, ElementsAre("root", "a", "r"));
}

TEST(Statements, PermitOverridesKeepsEveryPermittingChildsStatements) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "permit-overrides", "rules": [
          {"name": "d", "effect": "deny", "statements": [)" +
      note("d") + R"(]},
          {"name": "p1", "effect": "permit", "statements": [)" +
      note("p1") + R"(]},
          {"name": "p2", "effect": "permit", "statements": [)" +
      note("p2") + R"(]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kPermit);
  EXPECT_THAT(outcome.statements, ElementsAre("p1", "p2"));
}

TEST(Statements, FirstApplicableKeepsOnlyTheFirstApplicableChilds) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "first-applicable", "children": [
          {"name": "na", "rules": [{"name": "r", "effect": "deny", "condition": "false",
                                    "statements": [)" +
      note("na") + R"(]}]},
          {"name": "first", "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("first") + R"(]}]},
          {"name": "second", "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("second") + R"(]}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_THAT(outcome.statements, ElementsAre("first"));
  EXPECT_THAT(outcome.determining, ElementsAre("root", "first", "r"));
}

TEST(Statements, ANodesStatementsJoinWhenItsResultEqualsAppliesTo) {
  const std::string node_statements = "[" + note("node deny", "deny") + ", " +
                                      note("node permit", "permit") + ", " +
                                      note("node either", "permit-or-deny") + "]";
  auto with_effect = [&](const std::string& effect) {
    return evaluate_json(document(R"({"name": "root", "statements": )" + node_statements +
                                  R"(, "rules": [{"name": "r", "effect": ")" + effect +
                                  R"(", "statements": [)" + note("rule") + "]}]}"));
  };
  const Outcome deny = with_effect("deny");
  EXPECT_EQ(deny.result, PolicyResult::kDeny);
  // The node's statements follow its children's: the node ends after them.
  EXPECT_THAT(deny.statements, ElementsAre("rule", "node deny", "node either"));
  const Outcome permit = with_effect("permit");
  EXPECT_EQ(permit.result, PolicyResult::kPermit);
  EXPECT_THAT(permit.statements, ElementsAre("rule", "node permit", "node either"));
}

TEST(Statements, ARulesStatementsJoinWhenItsResultEqualsAppliesTo) {
  const std::string statements = "[" + note("deny", "deny") + ", " + note("permit", "permit") +
                                 ", " + note("either", "permit-or-deny") + "]";
  auto with_effect = [&](const std::string& effect) {
    return evaluate_json(document_with_rule(R"({"name": "r", "effect": ")" + effect +
                                            R"(", "statements": )" + statements + "}"));
  };
  EXPECT_THAT(with_effect("deny").statements, ElementsAre("deny", "either"));
  EXPECT_THAT(with_effect("permit").statements, ElementsAre("permit", "either"));
}

TEST(Statements, AuthChallengeAndDeniedReasonApplyToDenyByDefault) {
  const std::string statements = R"([{"code": "auth-challenge", "name": "challenge",
                                      "payload": {"max_age": 60}},
                                     {"code": "denied-reason", "name": "reason"}])";
  const Outcome deny = evaluate_json(
      document_with_rule(R"({"name": "r", "effect": "deny", "statements": )" + statements + "}"));
  EXPECT_THAT(deny.statements, ElementsAre("challenge", "reason"));
  const Outcome permit = evaluate_json(
      document_with_rule(R"({"name": "r", "effect": "permit", "statements": )" + statements + "}"));
  EXPECT_THAT(permit.statements, IsEmpty());
}

TEST(Statements, NodeStatementsJoinWhenTheResultIsTheAlgorithmsDefault) {
  // deny-unless-permit with nothing applicable: Deny from the default.
  const Outcome outcome = evaluate_json(
      document(R"({"name": "root", "combining": "deny-unless-permit", "statements": [)" +
               note("root deny", "deny") +
               R"(], "rules": [{"name": "r", "effect": "permit", "condition": "false"}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_FALSE(outcome.has_determining);
  EXPECT_THAT(outcome.statements, ElementsAre("root deny"));
}

TEST(Statements, ANotApplicableOrIndeterminateChildsStatementsNeverJoin) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "deny-unless-permit", "children": [
          {"name": "na", "statements": [)" +
      note("na node") + R"(],
           "rules": [{"name": "r", "effect": "deny", "condition": "false", "statements": [)" +
      note("na rule") + R"(]}]},
          {"name": "off", "disabled": true, "statements": [)" +
      note("off node") + R"(],
           "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("off rule") + R"(]}]},
          {"name": "miss", "target": {"action": ["inbound-NONE"]}, "statements": [)" +
      note("miss node") + R"(],
           "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("miss rule") + R"(]}]},
          {"name": "error", "statements": [)" +
      note("error node") + R"(],
           "rules": [{"name": "r", "effect": "deny", "condition": ")" +
      std::string(kErrorCondition) + R"(", "statements": [)" + note("error rule") + R"(]}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_FALSE(outcome.has_determining);
  EXPECT_THAT(outcome.statements, IsEmpty());
}

TEST(Statements, ALosingChildsStatementsNeverJoin) {
  // The Deny child loses to the Permit under permit-overrides.
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "permit-overrides", "children": [
          {"name": "loser", "statements": [)" +
      note("loser node") + R"(],
           "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("loser rule") + R"(]}]},
          {"name": "winner", "rules": [{"name": "r", "effect": "permit"}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kPermit);
  EXPECT_THAT(outcome.statements, IsEmpty());
}

TEST(Statements, ARuleThatWasNotReachedNeverJoins) {
  const Outcome outcome = evaluate_json(document_with_rule(
      R"({"name": "first", "effect": "deny"},
         {"name": "unreached", "effect": "deny", "statements": [)" +
      note("unreached") + "]}"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_THAT(outcome.statements, IsEmpty());
}

// root (deny-overrides) > mid (first-applicable) > leaf policy (deny-overrides) > rules.
TEST(Statements, FollowTheContributingPathThroughThreeLevelsOfSets) {
  const std::string json = document(
      R"({"name": "root", "combining": "deny-overrides", "statements": [)" + note("root") +
      R"(], "children": [
          {"name": "mid", "combining": "first-applicable", "statements": [)" +
      note("mid") + R"(], "children": [
              {"name": "skipped", "target": {"action": ["inbound-NONE"]}, "statements": [)" +
      note("skipped") + R"(], "rules": [{"name": "r", "effect": "deny"}]},
              {"name": "leaf", "combining": "deny-overrides", "statements": [)" +
      note("leaf") + R"(], "rules": [
                  {"name": "r1", "effect": "deny", "statements": [)" +
      note("r1") + R"(]},
                  {"name": "r2", "effect": "permit", "statements": [)" +
      note("r2") + R"(]},
                  {"name": "r3", "effect": "deny", "statements": [)" +
      note("r3") + R"(]}]},
              {"name": "after", "statements": [)" +
      note("after") + R"(], "rules": [{"name": "r", "effect": "deny"}]}]},
          {"name": "permitting", "statements": [)" +
      note("permitting") + R"(], "rules": [{"name": "r", "effect": "permit", "statements": [)" +
      note("permitting rule") + R"(]}]},
          {"name": "also denying", "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("also denying rule") + R"(]}]}]})");
  const Outcome outcome = evaluate_json(json);
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_THAT(outcome.determining, ElementsAre("root", "mid", "leaf", "r1"));
  EXPECT_THAT(outcome.statements,
              ElementsAre("r1", "r3", "leaf", "mid", "also denying rule", "root"));
}

TEST(Statements, AnInnerSetsStatementsAreDroppedWhenItLosesHigherUp) {
  // The inner set permits (with statements at two levels) but the root denies.
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "deny-overrides", "children": [
          {"name": "inner", "combining": "permit-overrides", "statements": [)" +
      note("inner") + R"(], "children": [
              {"name": "leaf", "statements": [)" +
      note("leaf") + R"(], "rules": [{"name": "r", "effect": "permit", "statements": [)" +
      note("leaf rule") + R"(]}]}]},
          {"name": "denier", "rules": [{"name": "r", "effect": "deny", "statements": [)" +
      note("denier") + R"(]}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_THAT(outcome.statements, ElementsAre("denier"));
}

}  // namespace
}  // namespace stepup::policy_test
