// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The six combining algorithms, against a reference written here from SPEC §2
// (PingAuthorize / XACML semantics), over every sequence of 0 to 3 children.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "policy_test_support.h"

namespace stepup::policy_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

enum class Algorithm {
  kDenyOverrides,
  kPermitOverrides,
  kFirstApplicable,
  kOnlyOneApplicable,
  kDenyUnlessPermit,
  kPermitUnlessDeny,
};

const char* algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kDenyOverrides:
      return "deny-overrides";
    case Algorithm::kPermitOverrides:
      return "permit-overrides";
    case Algorithm::kFirstApplicable:
      return "first-applicable";
    case Algorithm::kOnlyOneApplicable:
      return "only-one-applicable";
    case Algorithm::kDenyUnlessPermit:
      return "deny-unless-permit";
    case Algorithm::kPermitUnlessDeny:
      return "permit-unless-deny";
  }
  return "?";
}

void PrintTo(Algorithm algorithm, std::ostream* os) {
  *os << algorithm_name(algorithm);
}

// The results a child can have; the letters name sequences in messages.
enum class R { kPermit, kDeny, kNotApplicable, kIndeterminate };
constexpr R kAllResults[] = {R::kPermit, R::kDeny, R::kNotApplicable, R::kIndeterminate};

char letter(R r) {
  switch (r) {
    case R::kPermit:
      return 'P';
    case R::kDeny:
      return 'D';
    case R::kNotApplicable:
      return 'N';
    case R::kIndeterminate:
      return 'I';
  }
  return '?';
}

PolicyResult to_policy_result(R r) {
  switch (r) {
    case R::kPermit:
      return PolicyResult::kPermit;
    case R::kDeny:
      return PolicyResult::kDeny;
    case R::kNotApplicable:
      return PolicyResult::kNotApplicable;
    case R::kIndeterminate:
      return PolicyResult::kIndeterminate;
  }
  return PolicyResult::kIndeterminate;
}

bool any(const std::vector<R>& children, R wanted) {
  for (R r : children) {
    if (r == wanted) return true;
  }
  return false;
}

struct Expected {
  R result = R::kNotApplicable;
  // The children that contributed (their statements join, in order); the
  // first of them is the determining one. Empty for the algorithm's default.
  std::vector<std::size_t> contributing;
};

// Everything that is not NotApplicable with this result contributes.
Expected all_with(const std::vector<R>& children, R result) {
  Expected expected{result, {}};
  if (result != R::kPermit && result != R::kDeny) return expected;
  for (std::size_t i = 0; i < children.size(); ++i) {
    if (children[i] == result) expected.contributing.push_back(i);
  }
  return expected;
}

// The reference: written from the SPEC, independently of the library.
Expected reference(Algorithm algorithm, const std::vector<R>& children) {
  switch (algorithm) {
    case Algorithm::kDenyOverrides:
      if (any(children, R::kDeny)) return all_with(children, R::kDeny);
      if (any(children, R::kIndeterminate)) return {R::kIndeterminate, {}};
      if (any(children, R::kPermit)) return all_with(children, R::kPermit);
      return {R::kNotApplicable, {}};
    case Algorithm::kPermitOverrides:
      if (any(children, R::kPermit)) return all_with(children, R::kPermit);
      if (any(children, R::kIndeterminate)) return {R::kIndeterminate, {}};
      if (any(children, R::kDeny)) return all_with(children, R::kDeny);
      return {R::kNotApplicable, {}};
    case Algorithm::kFirstApplicable:
      for (std::size_t i = 0; i < children.size(); ++i) {
        if (children[i] == R::kNotApplicable) continue;
        if (children[i] == R::kIndeterminate) return {R::kIndeterminate, {}};
        return {children[i], {i}};
      }
      return {R::kNotApplicable, {}};
    case Algorithm::kOnlyOneApplicable: {
      // NotApplicable children are so by their target: the others apply.
      std::vector<std::size_t> applicable;
      for (std::size_t i = 0; i < children.size(); ++i) {
        if (children[i] != R::kNotApplicable) applicable.push_back(i);
      }
      if (applicable.size() > 1) return {R::kIndeterminate, {}};
      if (applicable.empty()) return {R::kNotApplicable, {}};
      const R only = children[applicable[0]];
      if (only == R::kIndeterminate) return {R::kIndeterminate, {}};
      return {only, {applicable[0]}};
    }
    case Algorithm::kDenyUnlessPermit:
      if (any(children, R::kPermit)) return all_with(children, R::kPermit);
      return all_with(children, R::kDeny);
    case Algorithm::kPermitUnlessDeny:
      if (any(children, R::kDeny)) return all_with(children, R::kDeny);
      return all_with(children, R::kPermit);
  }
  return {};
}

// One child policy "c<i>" with one rule "r" that yields `result`; the rule
// carries a statement "s<i>" that joins a Permit or a Deny.
std::string child_json(Algorithm algorithm, std::size_t i, R result) {
  const std::string index = std::to_string(i);
  std::string target;
  std::string effect = "permit";
  std::string condition;
  switch (result) {
    case R::kPermit:
      break;
    case R::kDeny:
      effect = "deny";
      break;
    case R::kNotApplicable:
      if (algorithm == Algorithm::kOnlyOneApplicable) {
        target = R"("target": {"action": ["inbound-NONE"]}, )";
      } else {
        condition = R"(, "condition": "false")";
      }
      break;
    case R::kIndeterminate:
      condition = R"(, "condition": ")" + std::string(kErrorCondition) + "\"";
      break;
  }
  return R"({"name": "c)" + index + "\", " + target + R"("rules": [{"name": "r", "effect": ")" +
         effect + "\"" + condition + R"(, "statements": [{"code": "note", "name": "s)" + index +
         R"(", "applies_to": "permit-or-deny"}]}]})";
}

std::string set_json(Algorithm algorithm, const std::vector<R>& children) {
  std::string json = R"({"name": "root", "combining": ")" + std::string(algorithm_name(algorithm)) +
                     R"(", "children": [)";
  for (std::size_t i = 0; i < children.size(); ++i) {
    if (i > 0) json += ", ";
    json += child_json(algorithm, i, children[i]);
  }
  return json + "]}";
}

// Every sequence of 0 to 3 results: 1 + 4 + 16 + 64.
std::vector<std::vector<R>> all_sequences() {
  std::vector<std::vector<R>> sequences = {{}};
  std::vector<std::vector<R>> previous = {{}};
  for (int length = 1; length <= 3; ++length) {
    std::vector<std::vector<R>> next;
    for (const std::vector<R>& prefix : previous) {
      for (R r : kAllResults) {
        std::vector<R> sequence = prefix;
        sequence.push_back(r);
        next.push_back(sequence);
      }
    }
    sequences.insert(sequences.end(), next.begin(), next.end());
    previous = std::move(next);
  }
  return sequences;
}

std::string sequence_name(const std::vector<R>& children) {
  std::string name = "[";
  for (R r : children)
    name += letter(r);
  return name + "]";
}

class CombiningTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(CombiningTest, MatchesTheReferenceForEverySequenceOfUpToThreeChildren) {
  const Algorithm algorithm = GetParam();
  const std::vector<std::vector<R>> sequences = all_sequences();
  ASSERT_EQ(sequences.size(), 85u);
  for (const std::vector<R>& children : sequences) {
    SCOPED_TRACE(std::string(algorithm_name(algorithm)) + " " + sequence_name(children));
    const Expected expected = reference(algorithm, children);
    const Outcome outcome = evaluate_json(document(set_json(algorithm, children)));
    EXPECT_EQ(outcome.result, to_policy_result(expected.result));
    if (expected.result == R::kPermit || expected.result == R::kDeny ||
        expected.result == R::kNotApplicable) {
      if (expected.contributing.empty()) {
        EXPECT_FALSE(outcome.has_determining)
            << "determining rule: " << ::testing::PrintToString(outcome.determining);
      } else {
        const std::string child = "c" + std::to_string(expected.contributing.front());
        EXPECT_THAT(outcome.determining, ElementsAre("root", child, "r"));
      }
    }
    std::vector<std::string> statements;
    for (std::size_t i : expected.contributing)
      statements.push_back("s" + std::to_string(i));
    EXPECT_EQ(outcome.statements, statements);
  }
}

INSTANTIATE_TEST_SUITE_P(AllSix, CombiningTest,
                         ::testing::Values(Algorithm::kDenyOverrides, Algorithm::kPermitOverrides,
                                           Algorithm::kFirstApplicable,
                                           Algorithm::kOnlyOneApplicable,
                                           Algorithm::kDenyUnlessPermit,
                                           Algorithm::kPermitUnlessDeny),
                         [](const ::testing::TestParamInfo<Algorithm>& param_info) {
                           std::string name;
                           for (const char* c = algorithm_name(param_info.param); *c != '\0'; ++c) {
                             if (*c != '-') name += *c;
                           }
                           return name;
                         });

// The same algorithms combine rules inside a policy, not only policies.
TEST(Combining, AppliesToRulesOfAPolicyToo) {
  const std::string rules =
      R"([{"name": "a", "effect": "permit"}, {"name": "b", "effect": "deny"}])";
  auto with = [&](const char* combining) {
    return evaluate_json(document(R"({"name": "root", "combining": ")" + std::string(combining) +
                                  R"(", "rules": )" + rules + "}"));
  };
  EXPECT_EQ(with("deny-overrides").result, PolicyResult::kDeny);
  EXPECT_THAT(with("deny-overrides").determining, ElementsAre("root", "b"));
  EXPECT_EQ(with("permit-overrides").result, PolicyResult::kPermit);
  EXPECT_THAT(with("permit-overrides").determining, ElementsAre("root", "a"));
  EXPECT_EQ(with("first-applicable").result, PolicyResult::kPermit);
  EXPECT_EQ(with("only-one-applicable").result, PolicyResult::kIndeterminate);
  EXPECT_EQ(with("deny-unless-permit").result, PolicyResult::kPermit);
  EXPECT_EQ(with("permit-unless-deny").result, PolicyResult::kDeny);
}

TEST(Combining, DefaultsToFirstApplicable) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "rules": [{"name": "na", "effect": "deny", "condition": "false"},
          {"name": "p", "effect": "permit"}, {"name": "d", "effect": "deny"}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kPermit);
  EXPECT_THAT(outcome.determining, ElementsAre("root", "p"));
}

TEST(Combining, FirstApplicableDoesNotEvaluateChildrenAfterTheFirstApplicable) {
  // The second rule would be Indeterminate; first-applicable never reaches it.
  const Outcome outcome = evaluate_json(document_with_rule(
      R"({"name": "d", "effect": "deny"}, {"name": "i", "effect": "permit", "condition": ")" +
      std::string(kErrorCondition) + "\"}"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
}

// only-one-applicable counts children by their targets, not their results.
TEST(OnlyOneApplicable, AChildWhoseTargetConditionIsAnErrorMakesTheWholeIndeterminate) {
  const std::string error_target =
      R"("target": {"condition": ")" + std::string(kErrorCondition) + "\"}";
  const Outcome alone = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "children": [
          {"name": "c0", )" +
      error_target + R"(, "rules": [{"name": "r", "effect": "permit"}]}]})"));
  EXPECT_EQ(alone.result, PolicyResult::kIndeterminate);
  EXPECT_FALSE(alone.has_determining);

  const Outcome with_applicable = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "children": [
          {"name": "c0", "rules": [{"name": "r", "effect": "permit"}]},
          {"name": "c1", )" +
      error_target + R"(, "rules": [{"name": "r", "effect": "permit"}]},
          {"name": "c2", "target": {"action": ["inbound-NONE"]},
           "rules": [{"name": "r", "effect": "permit"}]}]})"));
  EXPECT_EQ(with_applicable.result, PolicyResult::kIndeterminate);
  EXPECT_THAT(with_applicable.statements, IsEmpty());
}

TEST(OnlyOneApplicable, AChildWhoseTargetConditionIsFalseIsNotApplicable) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "children": [
          {"name": "c0", "target": {"condition": "false"},
           "rules": [{"name": "r", "effect": "permit"}]},
          {"name": "c1", "target": {"condition": "true"},
           "rules": [{"name": "r", "effect": "deny"}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kDeny);
  EXPECT_THAT(outcome.determining, ElementsAre("root", "c1", "r"));
}

TEST(OnlyOneApplicable, ADisabledChildIsNotCounted) {
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "children": [
          {"name": "c0", "disabled": true, "rules": [{"name": "r", "effect": "deny"}]},
          {"name": "c1", "rules": [{"name": "r", "effect": "permit"}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kPermit);
  EXPECT_THAT(outcome.determining, ElementsAre("root", "c1", "r"));
}

TEST(OnlyOneApplicable, TheOneApplicableChildsOwnResultStandsEvenWhenNotApplicable) {
  // Applicable by target, but its rule's condition is false.
  const Outcome outcome = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "children": [
          {"name": "c0", "target": {"action": ["inbound-NONE"]},
           "rules": [{"name": "r", "effect": "deny"}]},
          {"name": "c1", "rules": [{"name": "r", "effect": "deny", "condition": "false"}]}]})"));
  EXPECT_EQ(outcome.result, PolicyResult::kNotApplicable);
  EXPECT_FALSE(outcome.has_determining);
}

TEST(OnlyOneApplicable, CountsRulesByTheirTargets) {
  const Outcome one = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "rules": [
          {"name": "get", "effect": "permit", "target": {"action": ["inbound-GET"]}},
          {"name": "post", "effect": "deny", "target": {"action": ["inbound-POST"]}}]})"));
  EXPECT_EQ(one.result, PolicyResult::kPermit);
  EXPECT_THAT(one.determining, ElementsAre("root", "get"));

  // Two rules without targets both apply, whatever their conditions say.
  const Outcome two = evaluate_json(document(
      R"({"name": "root", "combining": "only-one-applicable", "rules": [
          {"name": "a", "effect": "permit"},
          {"name": "b", "effect": "deny", "condition": "false"}]})"));
  EXPECT_EQ(two.result, PolicyResult::kIndeterminate);
}

}  // namespace
}  // namespace stepup::policy_test
