// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// OpenID AuthZEN Authorization API 1.0: one evaluation, and batches with the
// three evaluation semantics.
#include <memory>
#include <string>
#include <vector>

#include "attributes/request_attributes.h"
#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "json/json_text.h"

namespace stepup::gateway::testing {
namespace {

using json_internal::json_quote;
using ::testing::ElementsAre;

// A subject whose properties carry `authorization` without its "Bearer "
// (no properties when empty).
std::string subject(const std::string& authorization) {
  if (authorization.empty()) return R"({"type": "user", "id": "alice"})";
  return R"({"type": "user", "id": "alice", "properties": {"token": )" +
         json_quote(authorization.substr(7)) + "}}";
}

std::string transfer_evaluation(const std::string& authorization) {
  return R"({"subject": )" + subject(authorization) +
         R"(, "action": {"name": "POST"}, "resource": {"type": "http", "id": )"
         R"("/payments/transfers/7"}, "context": {"client_ip": "192.0.2.7"}})";
}

class AuthzenTest : public ::testing::Test {
 protected:
  httplib::Result post(const std::string& path, const std::string& body,
                       httplib::Headers headers = {}) {
    return client_->Post(path, headers, body, "application/json");
  }

  JsonValue evaluate(const std::string& body) {
    httplib::Result result = post("/access/v1/evaluation", body);
    EXPECT_TRUE(result);
    if (!result) return JsonValue();
    EXPECT_EQ(result->status, 200) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    return parse_json(result->body);
  }

  // The decisions of an evaluations answer, in order.
  std::vector<bool> decisions(const std::string& body) {
    httplib::Result result = post("/access/v1/evaluations", body);
    EXPECT_TRUE(result);
    std::vector<bool> out;
    if (!result) return out;
    EXPECT_EQ(result->status, 200) << result->body;
    const JsonValue answer = parse_json(result->body);
    EXPECT_THAT(member_names(answer), ElementsAre("evaluations"));
    if (answer.find("evaluations") == nullptr) return out;
    for (const JsonValue& item : answer.find("evaluations")->items()) {
      out.push_back(item.find("decision")->as_bool());
      EXPECT_TRUE(item.find("decision")->is_bool());
    }
    return out;
  }

  RunningGateway gateway_{make_engine()};
  std::unique_ptr<httplib::Client> client_ = gateway_.client();
  const ExampleCredentials& credentials_ = example_credentials();
};

TEST_F(AuthzenTest, PermitIsDecisionTrueWithoutContext) {
  const JsonValue answer = evaluate(transfer_evaluation(credentials_.stepped_up));
  EXPECT_THAT(member_names(answer), ElementsAre("decision"));
  ASSERT_TRUE(answer.find("decision")->is_bool());
  EXPECT_TRUE(answer.find("decision")->as_bool());
}

TEST_F(AuthzenTest, StepUpDenyCarriesAcrValues) {
  const JsonValue answer = evaluate(transfer_evaluation(credentials_.weak));
  EXPECT_THAT(member_names(answer), ElementsAre("decision", "context"));
  ASSERT_TRUE(answer.find("decision")->is_bool());
  EXPECT_FALSE(answer.find("decision")->as_bool());
  const JsonValue& context = *answer.find("context");
  EXPECT_THAT(member_names(context),
              ElementsAre("status", "error", "acr_values", "www_authenticate", "reason_user"));
  EXPECT_EQ(context.find("status")->as_integer(), 401);
  EXPECT_EQ(context.find("error")->as_string(), "insufficient_user_authentication");
  // Space-separated, as RFC 9470 and AuthZEN's step-up example write them.
  EXPECT_EQ(context.find("acr_values")->as_string(), "urn:example:mfa urn:example:hwk");
  EXPECT_EQ(context.find("www_authenticate")->as_string(), kAcrChallenge);
  EXPECT_EQ(context.find("reason_user")->find("en")->as_string(),
            "A different authentication level is required");
}

TEST_F(AuthzenTest, StepUpDenyCarriesMaxAge) {
  const JsonValue answer = evaluate(transfer_evaluation(credentials_.stale));
  const JsonValue& context = *answer.find("context");
  EXPECT_THAT(member_names(context),
              ElementsAre("status", "error", "max_age", "www_authenticate", "reason_user"));
  ASSERT_TRUE(context.find("max_age")->is_integer());
  EXPECT_EQ(context.find("max_age")->as_integer(), 300);
  EXPECT_EQ(context.find("www_authenticate")->as_string(), kMaxAgeChallenge);
}

TEST_F(AuthzenTest, NoTokenIsAnUnauthenticatedDeny) {
  const JsonValue answer = evaluate(transfer_evaluation(""));
  EXPECT_FALSE(answer.find("decision")->as_bool());
  const JsonValue& context = *answer.find("context");
  EXPECT_THAT(member_names(context), ElementsAre("status", "www_authenticate", "reason_user"));
  EXPECT_EQ(context.find("status")->as_integer(), 401);
  EXPECT_EQ(context.find("www_authenticate")->as_string(), kBareChallenge);
  EXPECT_EQ(context.find("reason_user")->find("en")->as_string(), "Authentication is required");
}

TEST_F(AuthzenTest, ForgedAndScopeLessTokens) {
  const JsonValue forged = evaluate(transfer_evaluation(credentials_.forged));
  EXPECT_FALSE(forged.find("decision")->as_bool());
  EXPECT_EQ(forged.find("context")->find("error")->as_string(), "invalid_token");
  EXPECT_EQ(forged.find("context")->find("www_authenticate")->as_string(), kForgedChallenge);

  const JsonValue scope_less = evaluate(transfer_evaluation(credentials_.scope_less));
  EXPECT_FALSE(scope_less.find("decision")->as_bool());
  EXPECT_THAT(member_names(*scope_less.find("context")), ElementsAre("status", "reason_user"));
  EXPECT_EQ(scope_less.find("context")->find("status")->as_integer(), 403);
}

// resource.properties.path wins over resource.id; an absolute URL is reduced
// to its path.
TEST_F(AuthzenTest, ResourcePathSources) {
  const std::string token = json_quote(credentials_.weak.substr(7));
  const std::string by_path =
      R"({"subject": {"type": "user", "id": "alice", "properties": {"token": )" + token +
      R"(}}, "action": {"name": "POST"}, "resource": {"type": "http", "id": "/accounts/1",)"
      R"( "properties": {"path": "/payments/transfers/7"}}})";
  EXPECT_EQ(evaluate(by_path).find("context")->find("status")->as_integer(), 401);
  const std::string absolute =
      R"({"subject": {"type": "user", "id": "alice", "properties": {"token": )" + token +
      R"(}}, "action": {"name": "POST"}, "resource": {"type": "http", "id": )"
      R"("https://api.example.com/payments/transfers/7"}})";
  EXPECT_EQ(evaluate(absolute).find("context")->find("status")->as_integer(), 401);
  const std::string read =
      R"({"subject": {"type": "user", "id": "alice", "properties": {"token": )" + token +
      R"(}}, "action": {"name": "GET"}, "resource": {"type": "http", "id": "/accounts/1"}})";
  EXPECT_TRUE(evaluate(read).find("decision")->as_bool());
}

TEST_F(AuthzenTest, RequestIdIsEchoed) {
  httplib::Result result = post("/access/v1/evaluation", transfer_evaluation(credentials_.weak),
                                {{"X-Request-ID", "bfe9eb29-ab87"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("X-Request-ID"), "bfe9eb29-ab87");
  httplib::Result bad = post("/access/v1/evaluations", "{", {{"X-Request-ID", "r-2"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->get_header_value("X-Request-ID"), "r-2");
}

TEST_F(AuthzenTest, MalformedEvaluationsAreRefusedWithWhere) {
  const std::string token = json_quote(credentials_.weak.substr(7));
  struct Case {
    std::string path;
    std::string body;
    std::string where;
  };
  const std::string ok_action = R"("action": {"name": "GET"})";
  const std::string ok_resource = R"("resource": {"type": "http", "id": "/accounts/1"})";
  const std::string ok_subject = R"("subject": {"type": "user", "id": "a"})";
  const std::vector<Case> cases = {
      {"/access/v1/evaluation", "{" + ok_action + ", " + ok_resource + "}", "subject"},
      {"/access/v1/evaluation", "{" + ok_subject + ", " + ok_resource + "}", "action"},
      {"/access/v1/evaluation", "{" + ok_subject + ", " + ok_action + "}", "resource"},
      {"/access/v1/evaluation",
       R"({"subject": {"type": "user"}, )" + ok_action + ", " + ok_resource + "}", "subject.id"},
      {"/access/v1/evaluation", R"({"subject": "alice", )" + ok_action + ", " + ok_resource + "}",
       "subject"},
      {"/access/v1/evaluation",
       "{" + ok_subject + R"(, "action": {"name": 1}, )" + ok_resource + "}", "action.name"},
      {"/access/v1/evaluation",
       "{" + ok_subject + ", " + ok_action + ", " + ok_resource + R"(, "context": []})", "context"},
      {"/access/v1/evaluation", R"({"subject": {}, "subject": {}})", "subject"},
      {"/access/v1/evaluation",
       R"({"subject": {"type": "user", "id": "a", "properties": []}, )" + ok_action + ", " +
           ok_resource + "}",
       "subject.properties"},
      {"/access/v1/evaluation",
       "{" + ok_subject + R"(, "action": {"name": "GET", "properties": "x"}, )" + ok_resource + "}",
       "action.properties"},
      {"/access/v1/evaluation",
       "{" + ok_subject + R"(, "action": {"name": "GET"}, "resource": {"type": "http"}})",
       "resource.id"},
      {"/access/v1/evaluations", "{" + ok_subject + R"(, "evaluations": []})", "action"},
      {"/access/v1/evaluations",
       "{" + ok_subject +
           R"(, "options": {"evaluations_semantic": "first_wins"}, "evaluations": []})",
       "options.evaluations_semantic"},
      {"/access/v1/evaluations", "{" + ok_subject + R"(, "evaluations": {}})", "evaluations"},
      {"/access/v1/evaluations",
       "{" + ok_subject + ", " + ok_action +
           R"(, "evaluations": [{"resource": {"type": "http", "id": "/a"}},)"
           R"( {"resource": {"type": "http", "id": 3}}]})",
       "evaluations[1].resource.id"},
      {"/access/v1/evaluations", "{" + ok_subject + R"(, "evaluations": [{)" + ok_resource + "}]}",
       "evaluations[0].action"},
      {"/access/v1/evaluations",
       R"({"subject": {"type": "user"}, "evaluations": [{)" + ok_action + ", " + ok_resource +
           "}]}",
       "subject.id"},
      {"/access/v1/evaluations", "{" + ok_subject + R"(, "evaluations": [1]})", "evaluations[0]"},
  };
  for (const Case& c : cases) {
    httplib::Result result = post(c.path, c.body);
    ASSERT_TRUE(result) << c.body;
    EXPECT_EQ(result->status, 400) << c.body;
    const JsonValue answer = parse_json(result->body);
    EXPECT_THAT(member_names(answer), ElementsAre("error", "message", "where")) << c.body;
    ASSERT_NE(answer.find("where"), nullptr) << c.body;
    EXPECT_EQ(answer.find("where")->as_string(), c.where) << c.body;
  }
}

// Top-level subject and action are defaults; items name their resource.
std::string batch(const std::string& authorization, const std::string& semantic,
                  const std::vector<std::string>& paths) {
  std::string body = R"({"subject": )" + subject(authorization) + R"(, "action": {"name": "POST"})";
  if (!semantic.empty()) body += R"(, "options": {"evaluations_semantic": ")" + semantic + "\"}";
  body += R"(, "evaluations": [)";
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i > 0) body += ", ";
    body += R"({"resource": {"type": "http", "id": ")" + paths[i] + "\"}}";
  }
  return body + "]}";
}

// With the weak token, POST /accounts/1 is a plain deny, a transfer a
// step-up deny; with a GET default, reads are permitted.
TEST_F(AuthzenTest, ExecuteAllAnswersEveryItemInOrder) {
  EXPECT_THAT(decisions(batch(credentials_.stepped_up, "",
                              {"/payments/transfers/1", "/accounts/1", "/payments/transfers/2"})),
              ElementsAre(true, false, true));
  EXPECT_THAT(decisions(batch(credentials_.stepped_up, "execute_all",
                              {"/payments/transfers/1", "/accounts/1", "/payments/transfers/2"})),
              ElementsAre(true, false, true));
}

TEST_F(AuthzenTest, DenyOnFirstDenyStopsAfterTheFirstFalse) {
  EXPECT_THAT(decisions(batch(credentials_.stepped_up, "deny_on_first_deny",
                              {"/payments/transfers/1", "/accounts/1", "/payments/transfers/2"})),
              ElementsAre(true, false));
  EXPECT_THAT(decisions(batch(credentials_.stepped_up, "deny_on_first_deny",
                              {"/payments/transfers/1", "/payments/transfers/2"})),
              ElementsAre(true, true));
}

TEST_F(AuthzenTest, PermitOnFirstPermitStopsAfterTheFirstTrue) {
  EXPECT_THAT(decisions(batch(credentials_.stepped_up, "permit_on_first_permit",
                              {"/accounts/1", "/payments/transfers/1", "/accounts/2"})),
              ElementsAre(false, true));
  EXPECT_THAT(decisions(batch(credentials_.stepped_up, "permit_on_first_permit",
                              {"/accounts/1", "/accounts/2"})),
              ElementsAre(false, false));
}

// A member an item gives replaces the default as a whole (no deep merge):
// this item's subject has no token.
TEST_F(AuthzenTest, ItemMembersReplaceDefaultsWhole) {
  const std::string body = R"({"subject": )" + subject(credentials_.stepped_up) +
                           R"(, "action": {"name": "POST"}, "resource": {"type": "http", "id":)"
                           R"( "/payments/transfers/7"}, "evaluations": [{}, )"
                           R"({"subject": {"type": "user", "id": "alice"}}, )"
                           R"({"action": {"name": "GET"}, "resource": {"type": "http", "id": )"
                           R"("/accounts/9"}}]})";
  httplib::Result result = post("/access/v1/evaluations", body);
  ASSERT_TRUE(result);
  const JsonValue answer = parse_json(result->body);
  const std::vector<JsonValue>& items = answer.find("evaluations")->items();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(items[0].find("decision")->as_bool());
  EXPECT_FALSE(items[1].find("decision")->as_bool());
  EXPECT_EQ(items[1].find("context")->find("www_authenticate")->as_string(), kBareChallenge);
  EXPECT_TRUE(items[2].find("decision")->as_bool());
}

TEST_F(AuthzenTest, StepUpContextInsideABatch) {
  httplib::Result result =
      post("/access/v1/evaluations", batch(credentials_.weak, "", {"/payments/transfers/1"}));
  ASSERT_TRUE(result);
  const JsonValue answer = parse_json(result->body);
  const JsonValue& context = *answer.find("evaluations")->items().at(0).find("context");
  EXPECT_EQ(context.find("status")->as_integer(), 401);
  EXPECT_EQ(context.find("acr_values")->as_string(), "urn:example:mfa urn:example:hwk");
  EXPECT_EQ(context.find("www_authenticate")->as_string(), kAcrChallenge);
}

// Without "evaluations" the batch endpoint is the single one (AuthZEN 1.0:
// backwards compatible with the Access Evaluation request).
TEST_F(AuthzenTest, EvaluationsWithoutArrayActsAsOneEvaluation) {
  httplib::Result result =
      post("/access/v1/evaluations", transfer_evaluation(credentials_.stepped_up));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, R"({"decision":true})");
  // An empty array too.
  std::string with_empty = transfer_evaluation(credentials_.stepped_up);
  with_empty.insert(1, R"("evaluations": [], )");
  httplib::Result empty = post("/access/v1/evaluations", with_empty);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body, R"({"decision":true})");
}

TEST_F(AuthzenTest, OnlyPostIsAllowed) {
  for (const char* path : {"/access/v1/evaluation", "/access/v1/evaluations"}) {
    httplib::Result result = client_->Get(path);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 405) << path;
    EXPECT_EQ(result->get_header_value("Allow"), "POST");
  }
}

}  // namespace
}  // namespace stepup::gateway::testing
