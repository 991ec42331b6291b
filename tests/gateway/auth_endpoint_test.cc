// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The nginx auth_request endpoint (/auth) with the example policy: the
// statuses nginx understands, the challenge headers, and where the original
// request's parts are read from.
#include <memory>
#include <string>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::HasSubstr;

class AuthEndpointTest : public ::testing::Test {
 protected:
  // GET /auth for the original request METHOD URI with `authorization`
  // (none when empty) and `extra` headers.
  httplib::Result auth(const std::string& method, const std::string& uri,
                       const std::string& authorization, httplib::Headers extra = {}) {
    httplib::Headers headers = std::move(extra);
    headers.emplace("X-Original-Method", method);
    headers.emplace("X-Original-URI", uri);
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    return client_->Get("/auth", headers);
  }

  RunningGateway gateway_{make_engine()};
  std::unique_ptr<httplib::Client> client_ = gateway_.client();
  const ExampleCredentials& credentials_ = example_credentials();
};

TEST_F(AuthEndpointTest, NoTokenGetsBareBearerChallenge) {
  httplib::Result result = auth("POST", "/payments/transfers/7", "");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), kBareChallenge);
  EXPECT_EQ(result->get_header_value_count("WWW-Authenticate"), 1u);
  EXPECT_EQ(result->get_header_value("X-Stepup-WWW-Authenticate"), kBareChallenge);
  EXPECT_EQ(result->get_header_value("X-Stepup-Status"), "401");
  EXPECT_EQ(result->get_header_value("X-Stepup-Decision"), "deny");
  EXPECT_EQ(result->body, "");
}

TEST_F(AuthEndpointTest, WeakTokenGetsTheStepUpChallenge) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.weak);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), kAcrChallenge);
  EXPECT_EQ(result->get_header_value("X-Stepup-WWW-Authenticate"), kAcrChallenge);
  EXPECT_EQ(result->get_header_value("X-Stepup-Status"), "401");
  EXPECT_EQ(result->get_header_value("X-Stepup-Decision"), "deny");
  EXPECT_EQ(result->body, "");
}

TEST_F(AuthEndpointTest, StaleTokenGetsTheMaxAgeChallenge) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.stale);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), kMaxAgeChallenge);
  EXPECT_EQ(result->get_header_value("X-Stepup-WWW-Authenticate"), kMaxAgeChallenge);
}

TEST_F(AuthEndpointTest, SteppedUpTokenIsPermitted) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.stepped_up);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("X-Stepup-Status"), "200");
  EXPECT_EQ(result->get_header_value("X-Stepup-Decision"), "permit");
  EXPECT_FALSE(result->has_header("WWW-Authenticate"));
  EXPECT_FALSE(result->has_header("X-Stepup-WWW-Authenticate"));
  EXPECT_EQ(result->body, "");
}

TEST_F(AuthEndpointTest, ForgedTokenIsInvalidToken) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.forged);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), kForgedChallenge);
  EXPECT_EQ(result->get_header_value("X-Stepup-WWW-Authenticate"), kForgedChallenge);
  EXPECT_EQ(result->get_header_value("X-Stepup-Decision"), "indeterminate");
}

TEST_F(AuthEndpointTest, ScopeLessTokenIsForbiddenWithoutChallenge) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.scope_less);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(result->get_header_value("X-Stepup-Status"), "403");
  EXPECT_EQ(result->get_header_value("X-Stepup-Decision"), "deny");
  EXPECT_FALSE(result->has_header("WWW-Authenticate"));
  EXPECT_FALSE(result->has_header("X-Stepup-WWW-Authenticate"));
  EXPECT_EQ(result->body, "");
}

// nginx turns a 400 from auth_request into a 500: the service answers 403
// and tells the real status in X-Stepup-Status.
TEST_F(AuthEndpointTest, BasicCredentialsAre403WithStatus400) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.basic);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(result->get_header_value("X-Stepup-Status"), "400");
  EXPECT_EQ(result->get_header_value("X-Stepup-Decision"), "indeterminate");
  const std::string challenge =
      "Bearer realm=\"api.example.com\", error=\"invalid_request\", "
      "error_description=\"the Authorization scheme is not Bearer\"";
  EXPECT_EQ(result->get_header_value("X-Stepup-WWW-Authenticate"), challenge);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), challenge);
  EXPECT_EQ(result->body, "");
}

TEST_F(AuthEndpointTest, TwoAuthorizationFieldsAreABadRequest) {
  httplib::Result result = auth("POST", "/payments/transfers/7", credentials_.stepped_up,
                                {{"Authorization", credentials_.stepped_up}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(result->get_header_value("X-Stepup-Status"), "400");
}

// The decision follows X-Original-Method, not the subrequest's own method.
TEST_F(AuthEndpointTest, MethodComesFromXOriginalMethod) {
  httplib::Result read = auth("GET", "/accounts/42", credentials_.weak);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  httplib::Result write = auth("POST", "/accounts/42", credentials_.weak);
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 403);

  httplib::Headers headers = {{"X-Original-Method", "GET"},
                              {"X-Original-URI", "/accounts/42"},
                              {"Authorization", credentials_.weak}};
  httplib::Result posted = client_->Post("/auth", headers, "", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 200);
}

// An absolute URI (a client that sent absolute-form) is reduced to its path
// and query; a whole URL taken as the path would match no endpoint (403).
TEST_F(AuthEndpointTest, AbsoluteOriginalUriIsReducedToPathAndQuery) {
  httplib::Result result =
      auth("POST", "https://api.example.com/payments/transfers/7?dry_run=1", credentials_.weak);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate"), kAcrChallenge);
}

TEST_F(AuthEndpointTest, MissingOriginalHeadersAreABadRequest) {
  httplib::Result no_uri = client_->Get("/auth", {{"X-Original-Method", "GET"}});
  ASSERT_TRUE(no_uri);
  EXPECT_EQ(no_uri->status, 400);
  EXPECT_FALSE(no_uri->has_header("X-Stepup-Status"));
  const JsonValue body = parse_json(no_uri->body);
  ASSERT_NE(body.find("error"), nullptr);
  EXPECT_NE(body.find("error")->as_string().find("X-Original-URI"), std::string::npos);

  httplib::Result no_method = client_->Get("/auth", {{"X-Original-URI", "/accounts/1"}});
  ASSERT_TRUE(no_method);
  EXPECT_EQ(no_method->status, 400);

  httplib::Result bad_method =
      client_->Get("/auth", {{"X-Original-Method", "G ET"}, {"X-Original-URI", "/accounts/1"}});
  ASSERT_TRUE(bad_method);
  EXPECT_EQ(bad_method->status, 400);

  httplib::Result relative_uri =
      client_->Get("/auth", {{"X-Original-Method", "GET"}, {"X-Original-URI", "accounts/1"}});
  ASSERT_TRUE(relative_uri);
  EXPECT_EQ(relative_uri->status, 400);
}

// A policy over the client address, a request header and the request URI:
// each must reach the engine from where the contract says.
constexpr const char* kAttributePolicy =
    R"js({
  "stepup": 1, "realm": "attributes",
  "validators": [ { "name": "as", "type": "jwt", "issuer": "https://as.example.com",
                    "audience": ["https://api.example.com"],
                    "algorithms": ["RS256", "ES256", "EdDSA"],
                    "jwks_file": "keys.jwks.json" } ],
  "endpoints": [ { "service": "things", "base_path": "/things" } ],
  "policy": { "name": "attributes", "combining": "deny-unless-permit", "rules": [
    { "name": "from the office", "effect": "permit",
      "condition": "HttpRequest.IPAddress == '10.0.0.7' && )js"
    R"js(HttpRequest.RequestHeaders.tenant == 'blue' && )js"
    R"js(HttpRequest.RequestURI == '/things/1?x=1' && )js"
    R"js(!has(HttpRequest.RequestHeaders.remote_addr) && )js"
    R"js(!has(HttpRequest.RequestHeaders[\"x-original-uri\"])" }
  ] }
})js";

class AuthAttributesTest : public ::testing::Test {
 protected:
  int status(httplib::Headers headers) {
    headers.emplace("X-Original-Method", "GET");
    headers.emplace("X-Original-URI", "/things/1?x=1");
    httplib::Result result = client_->Get("/auth", headers);
    EXPECT_TRUE(result);
    return result ? result->status : 0;
  }

  RunningGateway gateway_{make_engine_from_json(kAttributePolicy)};
  std::unique_ptr<httplib::Client> client_ = gateway_.client();
};

TEST_F(AuthAttributesTest, ClientAddressFromXRealIp) {
  EXPECT_EQ(status({{"X-Real-IP", "10.0.0.7"}, {"Tenant", "blue"}}), 200);
  EXPECT_EQ(status({{"X-Real-IP", "10.0.0.8"}, {"Tenant", "blue"}}), 401);
  // X-Real-IP wins over X-Forwarded-For.
  EXPECT_EQ(
      status({{"X-Real-IP", "10.0.0.8"}, {"X-Forwarded-For", "10.0.0.7"}, {"Tenant", "blue"}}),
      401);
}

TEST_F(AuthAttributesTest, ClientAddressFromFirstForwardedForEntry) {
  EXPECT_EQ(status({{"X-Forwarded-For", " 10.0.0.7 , 192.0.2.1"}, {"Tenant", "blue"}}), 200);
  EXPECT_EQ(status({{"X-Forwarded-For", "192.0.2.1, 10.0.0.7"}, {"Tenant", "blue"}}), 401);
}

TEST_F(AuthAttributesTest, OtherHeadersReachThePolicy) {
  EXPECT_EQ(status({{"X-Real-IP", "10.0.0.7"}, {"Tenant", "green"}}), 401);
  EXPECT_EQ(status({{"X-Real-IP", "10.0.0.7"}}), 401);
}

// The cases of the report that found the gateway decoding header values,
// each as raw bytes on the wire.
class RawBytesTest : public ::testing::Test {
 protected:
  RawResponse auth(const std::string& fields) {
    RawConnection connection(gateway_.port());
    connection.send("GET /auth HTTP/1.1\r\nHost: gw\r\n" + fields + "\r\n");
    return connection.read_response();
  }

  RunningGateway gateway_{make_engine()};
  const ExampleCredentials& credentials_ = example_credentials();
};

TEST_F(RawBytesTest, AnEscapedSpaceIsNoBearerSeparator) {
  const RawResponse response = auth(
      "X-Original-Method: POST\r\nX-Original-URI: /payments/transfers/7\r\n"
      "Authorization: Bearer%20" +
      credentials_.stepped_up.substr(7) + "\r\n");
  EXPECT_EQ(response.header("X-Stepup-Status"), "400");
  EXPECT_THAT(response.header("X-Stepup-WWW-Authenticate"), HasSubstr("invalid_request"));
}

TEST_F(RawBytesTest, AnEmptyAuthorizationIsAMalformedCredential) {
  const RawResponse response = auth(
      "X-Original-Method: POST\r\nX-Original-URI: /payments/transfers/7\r\n"
      "Authorization: \r\n");
  EXPECT_EQ(response.status, 403);                       // nginx's way to carry a 400 ...
  EXPECT_EQ(response.header("X-Stepup-Status"), "400");  // ... which it restores.
  EXPECT_THAT(response.header("X-Stepup-WWW-Authenticate"), HasSubstr("invalid_request"));
}

TEST_F(RawBytesTest, EscapesInTheTargetStayEscapes) {
  for (const char* target : {"/payments/%23/../transfers/7", "/payments/%3F/../transfers/7"}) {
    const RawResponse response = auth(std::string("X-Original-Method: POST\r\nX-Original-URI: ") +
                                      target + "\r\nAuthorization: " + credentials_.weak + "\r\n");
    EXPECT_EQ(response.status, 401) << target;
    EXPECT_EQ(response.header("WWW-Authenticate"), kAcrChallenge) << target;
  }
}

TEST_F(RawBytesTest, RepeatedOriginalHeadersAreABadRequest) {
  const RawResponse response = auth(
      "X-Original-Method: GET\r\nX-Original-URI: /accounts/1\r\n"
      "X-Original-URI: /payments/transfers/7\r\n");
  EXPECT_EQ(response.status, 400);
  EXPECT_FALSE(response.has_header("X-Stepup-Status"));
}

// The secret is compared as sent: "%41" matches "%41", never "A" or "%2541".
TEST(RawSecretTest, TheSecretIsComparedAsSent) {
  GatewayOptions options = test_options();
  options.secret.value = "key-%41-end";
  RunningGateway gateway(make_engine(), options);
  const std::string body = R"({"response_code": "200", "request": {}})";
  auto status = [&](const std::string& presented) {
    RawConnection connection(gateway.port());
    connection.send("POST /sideband/response HTTP/1.1\r\nHost: gw\r\nCLIENT-TOKEN: " + presented +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    return connection.read_response().status;
  };
  EXPECT_EQ(status("key-%41-end"), 200);
  EXPECT_EQ(status("key-A-end"), 401);
  EXPECT_EQ(status("key-%2541-end"), 401);
}

}  // namespace
}  // namespace stepup::gateway::testing
