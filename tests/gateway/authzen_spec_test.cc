// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Every example request of the OpenID AuthZEN Authorization API 1.0 text
// (api/authorization-api-1_0.md), sent as written, with the answer the text
// implies for a PDP that decides HTTP requests: the examples name opaque
// resources ("123", "boxcarring.md") and actions ("can_read"), so each
// evaluation is a well-formed request stepup cannot map to a method and
// path: a deny with {"error": {"status": 400, "message"}} in its context,
// never a 400 for the call (the text keeps 400 for a missing required
// member). The one example without an action anywhere is such a call. And
// the metadata document.
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kExample1[] = R"({
  "subject": { "type": "user", "id": "alice@example.com" },
  "resource": { "type": "account", "id": "123" },
  "action": { "name": "can_read", "properties": { "method": "GET" } },
  "context": { "time": "1985-10-26T01:22-07:00" }
})";

constexpr char kExample2[] = R"({
  "evaluations": [
    { "subject": { "type": "user", "id": "alice@example.com" }, "action": { "name": "can_read" },
      "resource": { "type": "document", "id": "boxcarring.md" },
      "context": { "time": "2024-05-31T15:22-07:00" } },
    { "subject": { "type": "user", "id": "alice@example.com" }, "action": { "name": "can_read" },
      "resource": { "type": "document", "id": "subject-search.md" },
      "context": { "time": "2024-05-31T15:22-07:00" } },
    { "subject": { "type": "user", "id": "alice@example.com" }, "action": { "name": "can_read" },
      "resource": { "type": "document", "id": "resource-search.md" },
      "context": { "time": "2024-05-31T15:22-07:00" } }
  ]
})";

constexpr char kExample3[] = R"({
  "subject": { "type": "user", "id": "alice@example.com" },
  "context": { "time": "2024-05-31T15:22-07:00" },
  "evaluations": [
    { "action": { "name": "can_read" }, "resource": { "type": "document", "id": "boxcarring.md" } },
    { "action": { "name": "can_read" }, "resource": { "type": "document", "id": "subject-search.md" } },
    { "action": { "name": "can_read" }, "resource": { "type": "document", "id": "resource-search.md" } }
  ]
})";

// Also the body of the text's HTTPS example of the Access Evaluations API.
constexpr char kExample4[] = R"({
  "subject": { "type": "user", "id": "alice@example.com" },
  "context": { "time": "2024-05-31T15:22-07:00" },
  "action": { "name": "can_read" },
  "evaluations": [
    { "resource": { "type": "document", "id": "boxcarring.md" } },
    { "resource": { "type": "document", "id": "subject-search.md" } },
    { "action": { "name": "can_edit" }, "resource": { "type": "document", "id": "resource-search.md" } }
  ]
})";

constexpr char kExample5[] = R"({
  "evaluations": [{
    "resource": { "type": "doc", "id": "1" },
    "subject": { "type": "doc", "id": "2" }
  }],
  "options": { "evaluations_semantic": "execute_all", "another_option": "value" }
})";

std::string semantic_example(const std::string& semantic) {
  return R"({
  "subject": { "type": "user", "id": "alice@example.com" },
  "action": { "name": "read" },
  "options": { "evaluations_semantic": ")" +
         semantic + R"(" },
  "evaluations": [
    { "resource": { "type": "document", "id": "1" } },
    { "resource": { "type": "document", "id": "2" } },
    { "resource": { "type": "document", "id": "3" } }
  ]
})";
}

constexpr char kExample9[] = R"({
  "subject": { "type": "user", "id": "alice@example.com" },
  "resource": { "type": "todo", "id": "1" },
  "action": { "name": "can_read" },
  "context": { "time": "1985-10-26T01:22-07:00" }
})";

class AuthzenSpecTest : public ::testing::Test {
 protected:
  RawResponse post(const std::string& path, const std::string& body) {
    connection_.send("POST " + path +
                     " HTTP/1.1\r\nHost: pdp.example.com\r\nContent-Type: application/json\r\n"
                     "Authorization: Bearer <myoauthtoken>\r\n"
                     "X-Request-ID: bfe9eb29-ab87-4ca3-be83-a1d5d8305716\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body);
    return connection_.read_response();
  }

  // Checks `result` is a deny for an evaluation that names no HTTP request,
  // and returns its message.
  static std::string unmappable(const JsonValue& result) {
    EXPECT_THAT(member_names(result), ElementsAre("decision", "context"));
    EXPECT_FALSE(result.find("decision")->as_bool());
    const JsonValue* error = result.find("context")->find("error");
    EXPECT_NE(error, nullptr);
    if (error == nullptr) return "";
    EXPECT_THAT(member_names(*error), ElementsAre("status", "message"));
    EXPECT_EQ(error->find("status")->as_integer(), 400);
    return std::string(error->find("message")->as_string());
  }

  // The items of an evaluations answer, each checked as unmappable.
  std::vector<std::string> batch(const std::string& body) {
    const RawResponse response = post("/access/v1/evaluations", body);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("X-Request-ID"), "bfe9eb29-ab87-4ca3-be83-a1d5d8305716");
    const JsonValue answer = parse_json(response.body);
    EXPECT_THAT(member_names(answer), ElementsAre("evaluations"));
    std::vector<std::string> messages;
    if (answer.find("evaluations") == nullptr) return messages;
    for (const JsonValue& item : answer.find("evaluations")->items()) {
      messages.push_back(unmappable(item));
    }
    return messages;
  }

  RunningGateway gateway_{make_engine()};
  RawConnection connection_{gateway_.port()};
};

TEST_F(AuthzenSpecTest, Example1SingleEvaluation) {
  const RawResponse response = post("/access/v1/evaluation", kExample1);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  // The method comes from action.properties.method; "123" is no path.
  EXPECT_THAT(unmappable(parse_json(response.body)),
              HasSubstr("resource.id is not a path or an absolute URL"));
}

TEST_F(AuthzenSpecTest, Example2ThreeEvaluationsWithoutDefaults) {
  const std::vector<std::string> messages = batch(kExample2);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_THAT(messages[0], HasSubstr("evaluations[0].action.name is not an HTTP method"));
  EXPECT_THAT(messages[2], HasSubstr("evaluations[2].action.name"));
}

TEST_F(AuthzenSpecTest, Example3DefaultSubjectAndContext) {
  EXPECT_EQ(batch(kExample3).size(), 3u);
}

TEST_F(AuthzenSpecTest, Example4DefaultActionOverriddenInTheThird) {
  const std::vector<std::string> messages = batch(kExample4);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_THAT(messages[0], HasSubstr("action.name is not an HTTP method"));
  EXPECT_THAT(messages[2], HasSubstr("evaluations[2].action.name"));
}

// No action in the item nor at the top: a missing required member, which
// the text answers with 400 Bad Request.
TEST_F(AuthzenSpecTest, Example5OptionsWithoutAnActionIsABadRequest) {
  const RawResponse response = post("/access/v1/evaluations", kExample5);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(parse_json(response.body).find("where")->as_string(), "evaluations[0].action");
  EXPECT_EQ(response.header("X-Request-ID"), "bfe9eb29-ab87-4ca3-be83-a1d5d8305716");
}

// Examples 6 to 8: "read" is no HTTP method either, so every item is a
// deny, and the semantics decide how many are answered.
TEST_F(AuthzenSpecTest, Examples6To8EvaluationSemantics) {
  EXPECT_EQ(batch(semantic_example("execute_all")).size(), 3u);
  EXPECT_EQ(batch(semantic_example("deny_on_first_deny")).size(), 1u);
  EXPECT_EQ(batch(semantic_example("permit_on_first_permit")).size(), 3u);
}

// The HTTPS binding examples: the request identifier comes back.
TEST_F(AuthzenSpecTest, Examples9And10HttpsBinding) {
  const RawResponse single = post("/access/v1/evaluation", kExample9);
  ASSERT_EQ(single.status, 200);
  EXPECT_EQ(single.header("X-Request-ID"), "bfe9eb29-ab87-4ca3-be83-a1d5d8305716");
  unmappable(parse_json(single.body));
  EXPECT_EQ(batch(kExample4).size(), 3u);
}

// The same shapes, mapped onto HTTP requests through properties, decide.
TEST_F(AuthzenSpecTest, PropertiesMapTheExamplesOntoRequests) {
  const std::string token = example_credentials().stepped_up.substr(7);
  const std::string body =
      R"({"subject": {"type": "user", "id": "alice", "properties": {"token": ")" + token +
      R"("}}, "action": {"name": "can_read", "properties": {"method": "GET"}},)"
      R"( "resource": {"type": "account", "id": "123", "properties": {"path": "/accounts/123"}},)"
      R"( "context": {"time": "1985-10-26T01:22-07:00"}})";
  const RawResponse response = post("/access/v1/evaluation", body);
  EXPECT_EQ(response.body, R"({"decision":true})");
}

// A valid token speaks for its `sub`: an evaluation about someone else is
// denied, even where the token would be permitted.
TEST_F(AuthzenSpecTest, SubjectIdMustBeTheTokensSubject) {
  const std::string token = example_credentials().stepped_up.substr(7);
  const std::string body =
      R"({"subject": {"type": "user", "id": "mallory", "properties": {"token": ")" + token +
      R"("}}, "action": {"name": "GET"}, "resource": {"type": "http", "id": "/accounts/1"}})";
  const RawResponse response = post("/access/v1/evaluation", body);
  const JsonValue answer = parse_json(response.body);
  EXPECT_FALSE(answer.find("decision")->as_bool());
  EXPECT_EQ(answer.find("context")->find("error")->find("status")->as_integer(), 403);
}

// Free-form properties hold any JSON value: what stepup does not read is
// never type-checked.
TEST_F(AuthzenSpecTest, PropertiesHoldAnyJson) {
  const std::string token = example_credentials().stepped_up.substr(7);
  const std::string body =
      R"({"subject": {"type": "user", "id": "alice", "properties": {"token": ")" + token +
      R"(", "ip_address": ["192.0.2.1"], "groups": {"a": [1, null, true]}}},)"
      R"( "action": {"name": "GET", "properties": {"x": 1.5}},)"
      R"( "resource": {"type": "http", "id": "/accounts/1", "properties": {"tags": [[]]}},)"
      R"( "context": {"client_ip": 7, "nested": {"deep": [{}]}}})";
  EXPECT_EQ(post("/access/v1/evaluation", body).body, R"({"decision":true})");
}

TEST(AuthzenItemLimitTest, TooManyEvaluationsIsABadRequest) {
  GatewayOptions options = test_options();
  options.authzen.max_evaluations = 3;
  RunningGateway gateway(make_engine(), options);
  std::string body = R"({"subject": {"type": "u", "id": "a"}, "action": {"name": "GET"},)"
                     R"( "evaluations": [)";
  for (int i = 0; i < 4; ++i) {
    body += std::string(i > 0 ? "," : "") + R"({"resource": {"type": "t", "id": "/a"}})";
  }
  body += "]}";
  httplib::Result result =
      gateway.client()->Post("/access/v1/evaluations", body, "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  const JsonValue answer = parse_json(result->body);
  EXPECT_EQ(answer.find("where")->as_string(), "evaluations");
  EXPECT_THAT(std::string(answer.find("message")->as_string()), HasSubstr("at most 3"));
  // 16,000 empty items in 64 KiB: refused before any is read.
  std::string many = R"({"evaluations": [)";
  for (int i = 0; i < 16000; ++i)
    many += i > 0 ? ",{}" : "{}";
  many += "]}";
  httplib::Result flood =
      gateway.client()->Post("/access/v1/evaluations", many, "application/json");
  ASSERT_TRUE(flood);
  EXPECT_EQ(flood->status, 400);
  EXPECT_LT(flood->body.size(), 200u);
}

TEST(AuthzenMetadataTest, ServedAtTheWellKnownPathOfThePdp) {
  for (const auto& [pdp, path] : std::vector<std::pair<std::string, std::string>>{
           {"https://pdp.example.com", "/.well-known/authzen-configuration"},
           {"https://pdp.example.com/tenant1", "/.well-known/authzen-configuration/tenant1"}}) {
    GatewayOptions options = test_options();
    options.authzen.pdp_url = pdp;
    RunningGateway gateway(make_engine(), options);
    httplib::Result result = gateway.client()->Get(path);
    ASSERT_TRUE(result) << pdp;
    EXPECT_EQ(result->status, 200) << pdp;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    const JsonValue document = parse_json(result->body);
    EXPECT_THAT(member_names(document),
                ElementsAre("policy_decision_point", "access_evaluation_endpoint",
                            "access_evaluations_endpoint"));
    EXPECT_EQ(document.find("policy_decision_point")->as_string(), pdp);
    EXPECT_EQ(document.find("access_evaluation_endpoint")->as_string(),
              pdp + "/access/v1/evaluation");
    EXPECT_EQ(document.find("access_evaluations_endpoint")->as_string(),
              pdp + "/access/v1/evaluations");
    httplib::Result post = gateway.client()->Post(path, "{}", "application/json");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 405);
  }
  RunningGateway without(make_engine());
  httplib::Result none = without.client()->Get("/.well-known/authzen-configuration");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
}

TEST(ProtectedResourceMetadataTest, ServedAtItsPathFromThePolicyDocument) {
  std::ifstream file(example_policy_dir() + "/policy.json");
  std::string policy((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(policy.empty());
  policy.insert(1, R"("protected_resource": {"resource": "https://api.example.com/payments"}, )");
  RunningGateway gateway(make_engine_from_json(policy));
  const std::string path = "/.well-known/oauth-protected-resource/payments";
  httplib::Result result = gateway.client()->Get(path);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const JsonValue document = parse_json(result->body);
  EXPECT_EQ(document.find("resource")->as_string(), "https://api.example.com/payments");
  EXPECT_EQ(document.find("bearer_methods_supported")->to_json(),
            JsonValue::array({JsonValue::string("header")}).to_json());
  httplib::Result post = gateway.client()->Post(path, "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  RunningGateway without(make_engine());
  httplib::Result none = without.client()->Get(path);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
}

}  // namespace
}  // namespace stepup::gateway::testing
