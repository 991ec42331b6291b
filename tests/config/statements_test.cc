// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Statement payloads are compiled at load time into what they mean to the
// HTTP answer, so that a decision looks nothing up by name.
#include "config/statements.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <variant>

#include "policy/policy_test_support.h"

namespace stepup::policy_test {
namespace {

using ::testing::ElementsAre;

const std::vector<policy::PolicyStatement>& statements_of(
    const std::shared_ptr<const policy::PolicyDocument>& document) {
  return document->root.rules.at(0).statements;
}

TEST(StatementCompileTest, MinAcrBecomesTheLevelsFromItUpward) {
  const auto document = must_load(document_with_rule(
      R"({"name": "r", "effect": "deny", "statements": [
           {"code": "auth-challenge", "payload": {"min_acr": "urn:b", "max_age": 60,
                                                  "error_description": "Use MFA"}}]})",
      R"("acr_levels": ["urn:a", "urn:b", "urn:c"])"));
  ASSERT_NE(document, nullptr);
  const auto* demand = std::get_if<challenge::StepUpDemand>(&statements_of(document)[0].meaning);
  ASSERT_NE(demand, nullptr);
  EXPECT_THAT(demand->acr_values, ElementsAre("urn:b", "urn:c"));
  EXPECT_EQ(demand->max_age, 60);
  EXPECT_EQ(demand->error_description, "Use MFA");
  // What the decision reports stays as written.
  EXPECT_EQ(statements_of(document)[0].reported.code, "auth-challenge");
  EXPECT_EQ(statements_of(document)[0].reported.payload.find("min_acr")->as_string(), "urn:b");
}

TEST(StatementCompileTest, AcrValuesKeepTheirOrderAndAbsentMembersStayAbsent) {
  const auto document = must_load(document_with_rule(
      R"({"name": "r", "effect": "deny", "statements": [
           {"code": "auth-challenge", "payload": {"acr_values": ["urn:y", "urn:x"]}}]})"));
  ASSERT_NE(document, nullptr);
  const auto* demand = std::get_if<challenge::StepUpDemand>(&statements_of(document)[0].meaning);
  ASSERT_NE(demand, nullptr);
  EXPECT_THAT(demand->acr_values, ElementsAre("urn:y", "urn:x"));
  EXPECT_FALSE(demand->max_age.has_value());
  EXPECT_FALSE(demand->error_description.has_value());
}

TEST(StatementCompileTest, DeniedReasonIsTyped) {
  const auto document = must_load(document_with_rule(
      R"({"name": "r", "effect": "deny", "statements": [
           {"code": "denied-reason", "payload": {"status": 401, "error": "insufficient_scope",
            "message": "needs payments:write", "scope": "payments:write",
            "detail": "scope check"}},
           {"code": "denied-reason"},
           {"code": "audit", "applies_to": "deny"}]})"));
  ASSERT_NE(document, nullptr);
  const auto& statements = statements_of(document);
  ASSERT_EQ(statements.size(), 3u);
  const auto* full = std::get_if<policy::DeniedReason>(&statements[0].meaning);
  ASSERT_NE(full, nullptr);
  EXPECT_EQ(full->status, 401);
  EXPECT_EQ(full->error, "insufficient_scope");
  EXPECT_EQ(full->message, "needs payments:write");
  EXPECT_EQ(full->scope, "payments:write");
  EXPECT_EQ(full->detail, "scope check");
  const auto* bare = std::get_if<policy::DeniedReason>(&statements[1].meaning);
  ASSERT_NE(bare, nullptr);
  EXPECT_EQ(bare->status, 403);
  EXPECT_FALSE(bare->error || bare->message || bare->scope || bare->detail);
  // Another code means nothing to the answer.
  EXPECT_TRUE(std::holds_alternative<std::monostate>(statements[2].meaning));
}

}  // namespace
}  // namespace stepup::policy_test
