// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The PingAuthorize-style sideband endpoints: the request to forward, the
// response to send instead, the shared secret, and refused bodies.
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

// A sideband request for POST /payments/transfers/7 with `authorization`
// (none when empty), two Accept fields and a body.
std::string transfer_request(const std::string& authorization, bool with_body = true) {
  std::string headers = R"([{"Host": "api.example.com"}, {"Accept": "application/json"}, )";
  if (!authorization.empty())
    headers += R"({"Authorization": )" + json_quote(authorization) + "}, ";
  headers += R"({"Accept": "text/plain"}, {"X-Trace": "a,b"}])";
  std::string body =
      R"({"method": "POST", "url": "https://api.example.com/payments/transfers/7?x=1",)"
      R"( "headers": )" +
      headers + R"(, "source_ip": "192.0.2.7", "source_port": "51234", "http_version": "1.1")";
  if (with_body) body += R"(, "body": "{\"amount\": 10}")";
  return body + "}";
}

class SidebandTest : public ::testing::Test {
 protected:
  httplib::Result post(const std::string& path, const std::string& body,
                       const std::string& secret = kTestSecret) {
    httplib::Headers headers;
    if (!secret.empty()) headers.emplace("CLIENT-TOKEN", secret);
    return client_->Post(path, headers, body, "application/json");
  }

  // The "response" member of a sideband answer that refuses the request.
  JsonValue refusal(const std::string& authorization) {
    httplib::Result result = post("/sideband/request", transfer_request(authorization));
    EXPECT_TRUE(result);
    if (!result) return JsonValue();
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    JsonValue answer = parse_json(result->body);
    EXPECT_THAT(member_names(answer), ElementsAre("response"));
    const JsonValue* response = answer.find("response");
    if (response == nullptr) return JsonValue();
    EXPECT_THAT(member_names(*response),
                ElementsAre("response_code", "response_status", "headers", "body"));
    return *response;
  }

  RunningGateway gateway_{make_engine()};
  std::unique_ptr<httplib::Client> client_ = gateway_.client();
  const ExampleCredentials& credentials_ = example_credentials();
};

TEST_F(SidebandTest, PermittedRequestIsForwardedUnchanged) {
  httplib::Result result = post("/sideband/request", transfer_request(credentials_.stepped_up));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  const JsonValue answer = parse_json(result->body);
  // Every member as received, then the state for the response call.
  EXPECT_THAT(member_names(answer), ElementsAre("method", "url", "headers", "source_ip",
                                                "source_port", "http_version", "body", "state"));
  EXPECT_EQ(answer.find("source_ip")->as_string(), "192.0.2.7");
  EXPECT_EQ(answer.find("source_port")->as_string(), "51234");
  EXPECT_EQ(answer.find("method")->as_string(), "POST");
  EXPECT_EQ(answer.find("url")->as_string(), "https://api.example.com/payments/transfers/7?x=1");
  EXPECT_EQ(answer.find("body")->as_string(), "{\"amount\": 10}");
  // Every field as sent, in order: repeated names stay separate entries.
  const std::vector<JsonValue>& headers = answer.find("headers")->items();
  ASSERT_EQ(headers.size(), 5u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Host", "api.example.com"},
      {"Accept", "application/json"},
      {"Authorization", credentials_.stepped_up},
      {"Accept", "text/plain"},
      {"X-Trace", "a,b"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(headers[i].members().size(), 1u) << i;
    EXPECT_EQ(headers[i].members()[0].name, expected[i].first) << i;
    EXPECT_EQ(headers[i].members()[0].value.as_string(), expected[i].second) << i;
  }
}

TEST_F(SidebandTest, ForwardedRequestHasNoBodyWhenNoneWasSent) {
  httplib::Result result =
      post("/sideband/request", transfer_request(credentials_.stepped_up, /*with_body=*/false));
  ASSERT_TRUE(result);
  EXPECT_THAT(
      member_names(parse_json(result->body)),
      ElementsAre("method", "url", "headers", "source_ip", "source_port", "http_version", "state"));
}

TEST_F(SidebandTest, WeakTokenGetsTheStepUpResponse) {
  const JsonValue response = refusal(credentials_.weak);
  EXPECT_EQ(response.find("response_code")->as_string(), "401");
  EXPECT_EQ(response.find("response_status")->as_string(), "Unauthorized");
  const std::vector<JsonValue>& headers = response.find("headers")->items();
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_THAT(member_names(headers[0]), ElementsAre("WWW-Authenticate"));
  EXPECT_EQ(headers[0].find("WWW-Authenticate")->as_string(), kAcrChallenge);
  EXPECT_THAT(member_names(headers[1]), ElementsAre("Content-Type"));
  EXPECT_EQ(headers[1].find("Content-Type")->as_string(), "application/json");
  EXPECT_THAT(member_names(headers[2]), ElementsAre("Cache-Control"));
  EXPECT_EQ(headers[2].find("Cache-Control")->as_string(), "no-store");
  const JsonValue body = parse_json(response.find("body")->as_string());
  EXPECT_THAT(member_names(body), ElementsAre("error", "error_description"));
  EXPECT_EQ(body.find("error")->as_string(), "insufficient_user_authentication");
  EXPECT_EQ(body.find("error_description")->as_string(),
            "A different authentication level is required");
}

TEST_F(SidebandTest, StaleTokenGetsTheMaxAgeResponse) {
  const JsonValue response = refusal(credentials_.stale);
  EXPECT_EQ(response.find("response_code")->as_string(), "401");
  EXPECT_EQ(response.find("headers")->items()[0].find("WWW-Authenticate")->as_string(),
            kMaxAgeChallenge);
  EXPECT_EQ(parse_json(response.find("body")->as_string()).find("error_description")->as_string(),
            "More recent authentication is required");
}

TEST_F(SidebandTest, NoTokenGetsTheBareChallenge) {
  const JsonValue response = refusal("");
  EXPECT_EQ(response.find("response_code")->as_string(), "401");
  EXPECT_EQ(response.find("headers")->items()[0].find("WWW-Authenticate")->as_string(),
            kBareChallenge);
  const JsonValue body = parse_json(response.find("body")->as_string());
  EXPECT_EQ(body.find("error")->as_string(), "unauthorized");
  EXPECT_EQ(body.find("error_description")->as_string(), "Authentication is required");
}

TEST_F(SidebandTest, ForgedTokenIsInvalidToken) {
  const JsonValue response = refusal(credentials_.forged);
  EXPECT_EQ(response.find("response_code")->as_string(), "401");
  EXPECT_EQ(response.find("headers")->items()[0].find("WWW-Authenticate")->as_string(),
            kForgedChallenge);
  const JsonValue body = parse_json(response.find("body")->as_string());
  EXPECT_EQ(body.find("error")->as_string(), "invalid_token");
  EXPECT_EQ(body.find("error_description")->as_string(), "the token signature is invalid");
}

TEST_F(SidebandTest, ScopeLessTokenIsForbidden) {
  const JsonValue response = refusal(credentials_.scope_less);
  EXPECT_EQ(response.find("response_code")->as_string(), "403");
  EXPECT_EQ(response.find("response_status")->as_string(), "Forbidden");
  const std::vector<JsonValue>& headers = response.find("headers")->items();
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_THAT(member_names(headers[0]), ElementsAre("Content-Type"));
  EXPECT_EQ(parse_json(response.find("body")->as_string()).find("error")->as_string(),
            "access_denied");
}

TEST_F(SidebandTest, BasicCredentialsAreABadRequest) {
  const JsonValue response = refusal(credentials_.basic);
  EXPECT_EQ(response.find("response_code")->as_string(), "400");
  EXPECT_EQ(response.find("response_status")->as_string(), "Bad Request");
  EXPECT_EQ(parse_json(response.find("body")->as_string()).find("error")->as_string(),
            "invalid_request");
}

TEST_F(SidebandTest, RepeatedAuthorizationFieldsAreABadRequest) {
  const std::string body =
      R"({"method": "POST", "url": "/payments/transfers/7", "headers": [{"Authorization": )" +
      json_quote(credentials_.stepped_up) + R"(}, {"authorization": )" +
      json_quote(credentials_.stepped_up) + "}]}";
  httplib::Result result = post("/sideband/request", body);
  ASSERT_TRUE(result);
  EXPECT_EQ(parse_json(result->body).find("response")->find("response_code")->as_string(), "400");
}

TEST_F(SidebandTest, HeaderNamesAreCaseInsensitiveAndOriginFormWorks) {
  const std::string body =
      R"({"method": "POST", "url": "/payments/transfers/7", "headers": [{"AUTHORIZATION": )" +
      json_quote(credentials_.stepped_up) + "}]}";
  httplib::Result result = post("/sideband/request", body);
  ASSERT_TRUE(result);
  const JsonValue answer = parse_json(result->body);
  EXPECT_EQ(answer.find("response"), nullptr) << result->body;
  EXPECT_EQ(answer.find("url")->as_string(), "/payments/transfers/7");
}

TEST_F(SidebandTest, SecretMissingOrWrongIs401) {
  httplib::Result missing =
      post("/sideband/request", transfer_request(credentials_.stepped_up), "");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_NE(parse_json(missing->body).find("error"), nullptr);

  httplib::Result wrong = post("/sideband/request", transfer_request(credentials_.stepped_up),
                               "test-secret-012345678X");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);

  httplib::Result prefix = post("/sideband/response", R"({"request": {}, "response": {}})",
                                std::string(kTestSecret).substr(0, 5));
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->status, 401);

  httplib::Headers twice = {{"CLIENT-TOKEN", kTestSecret}, {"CLIENT-TOKEN", "other"}};
  httplib::Result repeated = client_->Post(
      "/sideband/response", twice, R"({"request": {}, "response": {}})", "application/json");
  ASSERT_TRUE(repeated);
  EXPECT_EQ(repeated->status, 401);
}

TEST(SidebandSecretTest, NoConfiguredSecretFailsClosed) {
  GatewayOptions options = test_options();
  options.secret.value = "";
  RunningGateway gateway(make_engine(), options);
  for (const char* path : {"/sideband/request", "/sideband/response"}) {
    httplib::Result result = gateway.client()->Post(
        path, {{"CLIENT-TOKEN", ""}}, R"({"request": {}, "response": {}})", "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 503) << path;
    EXPECT_NE(parse_json(result->body).find("error"), nullptr);
  }
}

TEST(SidebandSecretTest, HeaderNameIsConfigurable) {
  GatewayOptions options = test_options();
  options.secret.header = "X-Gateway-Key";
  RunningGateway gateway(make_engine(), options);
  const std::string body = R"({"request": {}, "response": {"response_code": "200"}})";
  httplib::Result default_name = gateway.client()->Post(
      "/sideband/response", {{"CLIENT-TOKEN", kTestSecret}}, body, "application/json");
  ASSERT_TRUE(default_name);
  EXPECT_EQ(default_name->status, 401);
  httplib::Result configured = gateway.client()->Post(
      "/sideband/response", {{"x-gateway-key", kTestSecret}}, body, "application/json");
  ASSERT_TRUE(configured);
  EXPECT_EQ(configured->status, 200);
}

// The older nested form: the upstream response comes back as it was, in
// the members clients read.
TEST_F(SidebandTest, NestedResponsePassesThroughUnchanged) {
  const std::string upstream =
      R"({"response_code":"201","response_status":"Created","headers":[{"Set-Cookie":"a=1"},)"
      R"({"Set-Cookie":"b=2"},{"Content-Type":"application/json"}],"body":"{\"id\":7}"})";
  std::string with_extra = upstream;
  with_extra.insert(with_extra.size() - 1, R"(,"extra":{"n":[1,true,null]})");
  httplib::Result result =
      post("/sideband/response",
           R"({"request": {"method": "GET", "url": "/a"}, "response": )" + with_extra + "}");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, upstream);
}

// Each malformed body: 400 with the JSON path of the problem.
TEST_F(SidebandTest, MalformedRequestsAreRefusedWithWhere) {
  struct Case {
    std::string path;
    std::string body;
    std::string where;
  };
  const std::vector<Case> cases = {
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": [})", ""},
      {"/sideband/request", R"([1, 2])", ""},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "url": "/b", "headers": []})", "url"},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": [{"A": "1", "A": "2"}]})",
       "headers[0].A"},
      {"/sideband/request", R"({"url": "/a", "headers": []})", "method"},
      {"/sideband/request", R"({"method": "GET", "headers": []})", "url"},
      {"/sideband/request", R"({"method": "GET", "url": "/a"})", "headers"},
      {"/sideband/request", R"({"method": "GET", "url": 7, "headers": []})", "url"},
      {"/sideband/request", R"({"method": "G ET", "url": "/a", "headers": []})", "method"},
      {"/sideband/request", R"({"method": "GET", "url": "a/b", "headers": []})", "url"},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": {"A": "1"}})", "headers"},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": [{"A": "1"}, {"B": 2}]})",
       "headers[1]"},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": [{"A": "1", "B": "2"}]})",
       "headers[0]"},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": [], "body": {}})", "body"},
      {"/sideband/request", R"({"method": "GET", "url": "/a", "headers": [], "source_port": []})",
       "source_port"},
      {"/sideband/response", R"({"response": {}})", "request"},
      {"/sideband/response", R"({"request": {}})", "response_code"},
      {"/sideband/response", R"({"response_code": "200"})", "state"},
      {"/sideband/response", R"({"response_code": "200", "request": []})", "request"},
      {"/sideband/response", R"({"response_code": "200", "state": 5})", "state"},
      {"/sideband/response", R"({"response_code": "2000", "request": {}})", "response_code"},
      {"/sideband/response", R"({"response_code": 99, "request": {}})", "response_code"},
      {"/sideband/response", R"({"response_code": "200", "request": {}, "headers": "x"})",
       "headers"},
      {"/sideband/response", R"({"response_code": "200", "request": {}, "body": 1})", "body"},
      {"/sideband/response", R"({"request": {}, "response": {"headers": [{"A": 1}]}})",
       "response.response_code"},
      {"/sideband/response",
       R"({"request": {}, "response": {"response_code": "200", "headers": [{"A": 1}]}})",
       "response.headers[0]"},
      {"/sideband/response", R"({"request": {}, "response": {"response_code": "abc"}})",
       "response.response_code"},
  };
  for (const Case& c : cases) {
    httplib::Result result = post(c.path, c.body);
    ASSERT_TRUE(result) << c.body;
    EXPECT_EQ(result->status, 400) << c.body;
    const JsonValue answer = parse_json(result->body);
    EXPECT_THAT(member_names(answer), ElementsAre("error", "message", "where")) << c.body;
    ASSERT_NE(answer.find("where"), nullptr);
    EXPECT_EQ(answer.find("where")->as_string(), c.where) << c.body;
  }
}

TEST_F(SidebandTest, OnlyPostIsAllowed) {
  httplib::Result result = client_->Get("/sideband/request", {{"CLIENT-TOKEN", kTestSecret}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(result->get_header_value("Allow"), "POST");
}

}  // namespace
}  // namespace stepup::gateway::testing
