// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// SPEC §3's attributes end to end: a token and a request go in, a condition
// reads the attribute, and the decision shows whether it held (Permit),
// did not (Deny) or could not be evaluated (Indeterminate).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attributes/request_attributes.h"
#include "engine_test_util.h"
#include "json/json_text.h"

namespace stepup::engine_test {
namespace {

using ::testing::Optional;

constexpr const char* kEndpoints =
    R"([{"service": "payments", "base_path": "/payments"},)"
    R"( {"service": "payments-admin", "base_path": "/payments/admin"},)"
    R"( {"service": "accounts", "base_path": "/accounts"}])";

// One rule, permit-else-deny on `condition`: Permit when it holds, Deny when
// it does not, Indeterminate when it is an error.
std::string condition_document(std::string_view condition) {
  return document(R"({"name": "root", "rules": [{"name": "c", "effect": "permit-else-deny",
                      "condition": )" +
                      json_internal::json_quote(condition) + "}]}",
                  {.endpoints = kEndpoints});
}

PolicyResult evaluate(std::string_view condition, const TestRequest& request, int64_t now = kNow) {
  return decide(create_engine(condition_document(condition)), request, now).result;
}

TestRequest with_claims(const ClaimOverrides& overrides, std::string path = "/payments/x") {
  TestRequest request("GET", std::move(path));
  request.authorization(bearer(overrides));
  return request;
}

constexpr PolicyResult kPermit = PolicyResult::kPermit;
constexpr PolicyResult kDeny = PolicyResult::kDeny;
constexpr PolicyResult kIndeterminate = PolicyResult::kIndeterminate;

TEST(Attributes, AuthenticationPolicyIsTheAcr) {
  const TestRequest hwk = with_claims({{"acr", "\"urn:example:hwk\""}});
  EXPECT_EQ(evaluate("authentication_policy == 'urn:example:hwk'", hwk), kPermit);
  EXPECT_EQ(evaluate("authentication_policy == 'urn:example:mfa'", hwk), kDeny);
  EXPECT_EQ(evaluate("acr_at_least('urn:example:mfa')", hwk), kPermit);
  const TestRequest pwd = with_claims({{"acr", "\"urn:example:pwd\""}});
  EXPECT_EQ(evaluate("acr_at_least('urn:example:mfa')", pwd), kDeny);
  const TestRequest none = with_claims({{"acr", ""}});
  EXPECT_EQ(evaluate("has(authentication_policy)", none), kDeny);
  EXPECT_EQ(evaluate("authentication_policy == 'urn:example:mfa'", none), kIndeterminate);
  EXPECT_EQ(evaluate("acr_at_least('urn:example:pwd')", none), kIndeterminate);
}

TEST(Attributes, AuthenticationTime) {
  const TestRequest request = with_claims({});
  EXPECT_EQ(evaluate("authentication_time == " + std::to_string(kNow - 60), request), kPermit);
  EXPECT_EQ(evaluate("authentication_time == " + std::to_string(kNow), request), kDeny);
  EXPECT_EQ(evaluate("has(authentication_time)", with_claims({{"auth_time", ""}})), kDeny);
}

TEST(Attributes, AuthenticationAgeFollowsDecideOptionsNow) {
  const TestRequest request = with_claims({});
  EXPECT_EQ(evaluate("authentication_age == 60", request, kNow), kPermit);
  EXPECT_EQ(evaluate("authentication_age == 160", request, kNow + 100), kPermit);
  EXPECT_EQ(evaluate("authentication_age == 60", request, kNow + 100), kDeny);
  EXPECT_EQ(evaluate("authentication_age > 0", with_claims({{"auth_time", ""}})), kIndeterminate);
}

TEST(Attributes, AuthenticationAgeFollowsTheEnginesClock) {
  ManualClock clock(kNow);
  const Engine engine = create_engine(condition_document("authentication_age == 60"), &clock);
  const TestRequest request = with_claims({});
  EXPECT_EQ(engine.decide(request.view()).result, kPermit);
  clock.advance(200);
  DecideOptions explain;
  explain.explain = true;
  const Decision later = engine.decide(request.view(), explain);
  EXPECT_EQ(later.result, kDeny);
  EXPECT_THAT(explained_attribute(later, "authentication_age"), Optional(std::string("260")));
  // DecideOptions::now beats the clock.
  DecideOptions at_now;
  at_now.now = kNow;
  EXPECT_EQ(engine.decide(request.view(), at_now).result, kPermit);
  // The clock also drives token expiry: exp is now + 600, the skew 60.
  clock.set(kNow + 660);
  const Decision expired = engine.decide(request.view());
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.token_error, TokenError::kExpired);
}

TEST(Attributes, AuthenticationAgeNeverBelowZero) {
  // auth_time 30 s ahead: within the 60 s skew, so the token is valid.
  const TestRequest ahead = with_claims({{"auth_time", std::to_string(kNow + 30)}});
  EXPECT_EQ(evaluate("authentication_age == 0", ahead), kPermit);
  EXPECT_EQ(evaluate("authentication_time == " + std::to_string(kNow + 30), ahead), kPermit);
  const Decision explained =
      decide(create_engine(condition_document("true")), ahead, kNow, /*explain=*/true);
  EXPECT_THAT(explained_attribute(explained, "authentication_age"), Optional(std::string("0")));
  // At exactly now + skew still valid; one second more is invalid.
  EXPECT_EQ(
      evaluate("authentication_age == 0", with_claims({{"auth_time", std::to_string(kNow + 60)}})),
      kPermit);
  const Decision beyond = decide(create_engine(condition_document("true")),
                                 with_claims({{"auth_time", std::to_string(kNow + 61)}}));
  EXPECT_EQ(beyond.status, 401);
  EXPECT_EQ(beyond.token_error, TokenError::kAuthTimeInFuture);
}

TEST(Attributes, AuthenticationMethodsFromAmr) {
  const TestRequest request = with_claims({{"amr", R"(["pwd", "otp"])"}});
  EXPECT_EQ(evaluate("'otp' in authentication_methods", request), kPermit);
  EXPECT_EQ(evaluate("authentication_methods contains 'pwd'", request), kPermit);
  EXPECT_EQ(evaluate("authentication_methods contains 'hwk'", request), kDeny);
  EXPECT_EQ(evaluate("size(authentication_methods) == 2", request), kPermit);
  EXPECT_EQ(evaluate("'otp' in authentication_methods", with_claims({})), kIndeterminate);
  EXPECT_EQ(evaluate("has(authentication_methods)", with_claims({})), kDeny);
}

TEST(Attributes, AuthenticationMethodsIsAListNeverAString) {
  // SPEC §3: a list of strings. An amr that is a string must not turn `in`
  // into a substring test ('pw' is not a method of "pwd otp").
  const TestRequest request = with_claims({{"amr", "\"pwd otp\""}});
  EXPECT_NE(evaluate("'pw' in authentication_methods", request), kPermit);
  EXPECT_NE(evaluate("'d o' in authentication_methods", request), kPermit);
}

TEST(Attributes, ActionIsInboundAndTheMethod) {
  TestRequest del("DELETE", "/payments/x");
  del.authorization(bearer());
  EXPECT_EQ(evaluate("action == 'inbound-DELETE'", del), kPermit);
  EXPECT_EQ(evaluate("action == 'inbound-GET'", del), kDeny);
  // Methods are case-sensitive (RFC 9110 §9.1).
  TestRequest lower("post", "/payments/x");
  EXPECT_EQ(evaluate("action == 'inbound-post'", lower), kPermit);
  EXPECT_EQ(evaluate("action == 'inbound-POST'", lower), kDeny);
}

struct EndpointCase {
  std::string path;
  std::optional<std::string> service;
  std::string resource_path;
};

TEST(Attributes, ServiceAndResourcePathFromTheLongestEndpoint) {
  const std::vector<EndpointCase> cases = {
      {"/payments/transfers/7", "payments", "transfers/7"},
      {"/payments/admin/users/1?x=1", "payments-admin", "users/1"},
      {"/payments/admin", "payments-admin", ""},
      {"/payments/administrator", "payments", "administrator"},
      {"/payments", "payments", ""},
      {"/payments/", "payments", ""},
      {"/payments?next=/admin/x", "payments", ""},
      {"/accounts/42#top", "accounts", "42"},
      {"/paymentsx/1", std::nullopt, "paymentsx/1"},
      {"/other/thing?q=1", std::nullopt, "other/thing"},
      {"/", std::nullopt, ""},
  };
  for (const EndpointCase& c : cases) {
    SCOPED_TRACE(c.path);
    const TestRequest request = with_claims({}, c.path);
    const std::string resource = "HttpRequest.ResourcePath == '" + c.resource_path + "'";
    if (c.service) {
      EXPECT_EQ(evaluate("service == '" + *c.service + "' && " + resource, request), kPermit);
    } else {
      EXPECT_EQ(evaluate("!has(service) && " + resource, request), kPermit);
      EXPECT_EQ(evaluate("service == 'payments'", request), kIndeterminate);
    }
    const Decision explained =
        decide(create_engine(condition_document("true")), request, kNow, /*explain=*/true);
    EXPECT_EQ(explained_attribute(explained, "service"),
              c.service ? std::optional<std::string>("\"" + *c.service + "\"") : std::nullopt);
    EXPECT_THAT(explained_attribute(explained, "HttpRequest.ResourcePath"),
                Optional("\"" + c.resource_path + "\""));
  }
}

TEST(Attributes, ServiceTargetDoesNotMatchWithoutAnEndpoint) {
  const Engine engine =
      create_engine(document(R"({"name": "root", "combining": "first-applicable", "children": [
                    {"name": "pay", "target": {"service": ["payments"]},
                     "rules": [{"name": "r", "effect": "deny"}]},
                    {"name": "rest", "rules": [{"name": "r", "effect": "permit"}]}]})",
                             {.endpoints = kEndpoints}));
  EXPECT_EQ(decide(engine, with_claims({}, "/payments/1")).result, kDeny);
  EXPECT_EQ(decide(engine, with_claims({}, "/elsewhere/1")).result, kPermit);
}

TEST(Attributes, RootEndpointMatchesEverythingElse) {
  const std::string endpoints = R"([{"service": "root", "base_path": "/"},)"
                                R"( {"service": "payments", "base_path": "/payments"}])";
  const Engine engine = create_engine(
      document(R"({"name": "root", "rules": [{"name": "c", "effect": "permit-else-deny",
                   "condition": "service == HttpRequest.QueryParameters.s && )"
               R"(HttpRequest.ResourcePath == HttpRequest.QueryParameters.r"}]})",
               {.endpoints = endpoints}));
  EXPECT_EQ(decide(engine, with_claims({}, "/payments/1?s=payments&r=1")).result, kPermit);
  EXPECT_EQ(decide(engine, with_claims({}, "/other/1?s=root&r=other/1")).result, kPermit);
  EXPECT_EQ(decide(engine, with_claims({}, "/?s=root&r=")).result, kPermit);
}

TEST(Attributes, RequestUriKeepsTheQuery) {
  const TestRequest request = with_claims({}, "/payments/transfers/7?dry_run=1&x=a%20b");
  EXPECT_EQ(
      evaluate("HttpRequest.RequestURI == '/payments/transfers/7?dry_run=1&x=a%20b'", request),
      kPermit);
  EXPECT_EQ(evaluate("HttpRequest.RequestURI == '/payments/transfers/7'", request), kDeny);
}

TEST(Attributes, IpAddress) {
  TestRequest request = with_claims({});
  request.client_ip("203.0.113.5");
  EXPECT_EQ(evaluate("HttpRequest.IPAddress == '203.0.113.5'", request), kPermit);
  EXPECT_EQ(evaluate("starts_with(HttpRequest.IPAddress, '10.')", request), kDeny);
  EXPECT_EQ(evaluate("has(HttpRequest.IPAddress)", with_claims({})), kDeny);
}

TEST(Attributes, RequestHeadersByCaseInsensitiveName) {
  TestRequest request = with_claims({});
  request.header("X-Request-Id", "abc").header("X-Tenant", "first").header("x-tenant", "second");
  EXPECT_EQ(evaluate("HttpRequest.RequestHeaders.x-request-id == 'abc'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.RequestHeaders.X-REQUEST-ID == 'abc'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.RequestHeaders['X-Request-Id'] == 'abc'", request), kPermit);
  // The first header of a given name wins.
  EXPECT_EQ(evaluate("HttpRequest.RequestHeaders.x-tenant == 'first'", request), kPermit);
  EXPECT_EQ(evaluate("has(HttpRequest.RequestHeaders.x-missing)", request), kDeny);
  EXPECT_EQ(evaluate("HttpRequest.RequestHeaders.x-missing == 'a'", request), kIndeterminate);
}

TEST(Attributes, QueryParametersAreFormDecoded) {
  const TestRequest request = with_claims(
      {}, "/payments/x?q=hello+world%21&slash=%2Fpath&plain=abc&empty=&my%20key=v&up=%C3%A9#f=1");
  EXPECT_EQ(evaluate("HttpRequest.QueryParameters.q == 'hello world!'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.QueryParameters.slash == '/path'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.QueryParameters.plain == 'abc'", request), kPermit);
  EXPECT_EQ(evaluate("has(HttpRequest.QueryParameters.empty)", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.QueryParameters.empty == ''", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.QueryParameters['my key'] == 'v'", request), kPermit);
  EXPECT_EQ(evaluate("size(HttpRequest.QueryParameters.up) == 2", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.QueryParameters.Q == 'hello world!'", request), kIndeterminate);
  // The fragment is not part of the query.
  EXPECT_EQ(evaluate("has(HttpRequest.QueryParameters.f)", request), kDeny);
  EXPECT_EQ(evaluate("has(HttpRequest.QueryParameters.q)", with_claims({}, "/payments/x")), kDeny);
}

TEST(Attributes, AccessTokenClaimsNestedAndBracketed) {
  const TestRequest request = with_claims({
      {"address", R"({"country": "FR", "locality": {"city": "Paris"}})"},
      {"https://example.com/tenant", "\"acme\""},
      {"groups", R"(["admin", "ops"])"},
      {"level", "3"},
      {"verified", "true"},
  });
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.sub == 'alice'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.address.country == 'FR'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.address.locality.city == 'Paris'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken['address'][\"country\"] == 'FR'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken[\"https://example.com/tenant\"] == 'acme'", request),
            kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken['https://example.com/tenant'] == 'other'", request),
            kDeny);
  EXPECT_EQ(evaluate("'ops' in HttpRequest.AccessToken.groups", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.level >= 3", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.verified", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.iss == 'https://as.example.com'", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.exp == " + std::to_string(kNow + 600), request),
            kPermit);
  EXPECT_EQ(evaluate("has(HttpRequest.AccessToken.address.street)", request), kDeny);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.address.street == 'x'", request), kIndeterminate);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.sub.first == 'x'", request), kIndeterminate);
}

TEST(Attributes, ScopeIsAListOfWords) {
  const TestRequest request = with_claims({{"scope", "\"read  write admin\""}});
  EXPECT_EQ(evaluate("'write' in HttpRequest.AccessToken.scope", request), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.scope contains 'admin'", request), kPermit);
  // A list, not a string: no substring matches.
  EXPECT_EQ(evaluate("'rea' in HttpRequest.AccessToken.scope", request), kDeny);
  EXPECT_EQ(evaluate("'read write' in HttpRequest.AccessToken.scope", request), kDeny);
  EXPECT_EQ(evaluate("size(HttpRequest.AccessToken.scope) == 3", request), kPermit);
  EXPECT_EQ(evaluate("'read' in HttpRequest.AccessToken.scope",
                     with_claims({{"scope", R"(["read", "write"])"}})),
            kPermit);
  EXPECT_EQ(evaluate("'read' in HttpRequest.AccessToken.scope", with_claims({{"scope", ""}})),
            kIndeterminate);
}

TEST(Attributes, ScpIsAListToo) {
  const TestRequest list = with_claims({{"scope", ""}, {"scp", R"(["a:read", "a:write"])"}});
  EXPECT_EQ(evaluate("'a:write' in HttpRequest.AccessToken.scp", list), kPermit);
  EXPECT_EQ(evaluate("'a:' in HttpRequest.AccessToken.scp", list), kDeny);
  EXPECT_EQ(evaluate("size(HttpRequest.AccessToken.scp) == 2", list), kPermit);
  const TestRequest words = with_claims({{"scope", ""}, {"scp", "\"x:read x:write\""}});
  EXPECT_EQ(evaluate("'x:write' in HttpRequest.AccessToken.scp", words), kPermit);
  EXPECT_EQ(evaluate("'x:wr' in HttpRequest.AccessToken.scp", words), kDeny);
}

TEST(Attributes, ActiveIsTrueForAValidToken) {
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.active", with_claims({})), kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.active == true", with_claims({})), kPermit);
  EXPECT_EQ(evaluate("has(HttpRequest.AccessToken.active)", TestRequest("GET", "/payments/x")),
            kDeny);
  const Decision explained =
      decide(create_engine(condition_document("true")), with_claims({}), kNow, /*explain=*/true);
  EXPECT_THAT(explained_attribute(explained, "HttpRequest.AccessToken.active"),
              Optional(std::string("true")));
}

TEST(Attributes, ActiveIsTrueForAValidTokenWhateverItsOwnClaimSays) {
  // SPEC §3: `active` is true for a valid token. A JWT's own "active" member
  // does not make a valid token inactive (or a non-boolean).
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.active", with_claims({{"active", "false"}})),
            kPermit);
  EXPECT_EQ(evaluate("HttpRequest.AccessToken.active", with_claims({{"active", "\"no\""}})),
            kPermit);
}

// --- Claims validated elsewhere (RFC 7662 introspection) -----------------------

TEST(ValidatedClaims, InactiveIsAnInvalidToken) {
  const Engine engine = create_engine(condition_document("true"));
  for (const std::string active : {"false", "\"true\"", "1", "null"}) {
    SCOPED_TRACE(active);
    TestRequest request("GET", "/payments/x");
    request.validated_claims(R"({"active": )" + active +
                             R"(, "sub": "alice", "acr": "urn:example:hwk"})");
    const Decision d = decide(engine, request);
    EXPECT_EQ(d.status, 401);
    EXPECT_EQ(d.error, "invalid_token");
    EXPECT_EQ(d.token_error, TokenError::kTokenInactive);
    EXPECT_EQ(d.www_authenticate,
              "Bearer realm=\"api.example.com\", error=\"invalid_token\", "
              "error_description=\"the token is not active\"");
    EXPECT_FALSE(d.authorized);
    EXPECT_EQ(d.result, kIndeterminate);
    EXPECT_TRUE(d.statements.empty());
  }
}

TEST(ValidatedClaims, ActiveClaimsAreDecidedWithoutAnAuthorizationHeader) {
  const std::string claims_json = R"({"active": true, "sub": "alice", "acr": "urn:example:mfa",
      "auth_time": )" + std::to_string(kNow - 60) +
                                  R"(, "scope": "read write"})";
  const std::string condition =
      "acr_at_least('urn:example:mfa') && 'write' in HttpRequest.AccessToken.scope && "
      "authentication_age == 60 && HttpRequest.AccessToken.active && "
      "HttpRequest.AccessToken.sub == 'alice'";
  TestRequest request("GET", "/payments/x");
  request.validated_claims(claims_json);
  const Engine engine = create_engine(condition_document(condition));
  Decision d = decide(engine, request);
  EXPECT_EQ(d.status, 200);
  EXPECT_TRUE(d.authorized);
  // No Authorization header is parsed when claims are given.
  request.authorization("Basic dXNlcjpwYXNz");
  d = decide(engine, request);
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.token_error, TokenError::kOk);
}

TEST(ValidatedClaims, WeakIntrospectedTokenGetsAStepUpChallenge) {
  const Engine engine = create_engine(document(
      R"json({"name": "root", "rules": [{"name": "strong", "effect": "deny",
          "condition": "!acr_at_least('urn:example:mfa')",
          "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:mfa"}}]},
          {"name": "rest", "effect": "permit"}]})json"));
  TestRequest request("POST", "/payments/x");
  request.validated_claims(R"({"active": true, "sub": "alice", "acr": "urn:example:pwd"})");
  const Decision d = decide(engine, request);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:mfa urn:example:hwk\"");
}

TEST(ValidatedClaims, AbsurdAuthTimeIsNeverFresh) {
  // now - auth_time must not overflow (and wrap to a "fresh" age of 0).
  TestRequest request("POST", "/payments/x");
  request.validated_claims(
      R"({"active": true, "sub": "alice", "auth_time": -9223372036854775808})");
  EXPECT_NE(evaluate("authentication_age > 300", request), kDeny);
  EXPECT_NE(evaluate("authentication_age <= 300", request), kPermit);
}

// --- The explanation's attributes ----------------------------------------------

TEST(Attributes, ExplanationListsTheRequestsAttributes) {
  TestRequest request("POST", "/payments/transfers/7?dry_run=1");
  request.authorization(bearer({{"amr", R"(["pwd"])"}}))
      .header("X-Request-Id", "abc")
      .header("Authorization", "Bearer secret-in-a-header")
      .client_ip("198.51.100.7");
  const Decision d = decide(create_engine(condition_document("true")), request, kNow, true);
  ASSERT_NE(d.explanation, nullptr);
  EXPECT_THAT(explained_attribute(d, "authentication_policy"),
              Optional(std::string("\"urn:example:mfa\"")));
  EXPECT_THAT(explained_attribute(d, "authentication_time"), Optional(std::to_string(kNow - 60)));
  EXPECT_THAT(explained_attribute(d, "authentication_age"), Optional(std::string("60")));
  EXPECT_THAT(explained_attribute(d, "authentication_methods"), Optional(std::string("[\"pwd\"]")));
  EXPECT_THAT(explained_attribute(d, "action"), Optional(std::string("\"inbound-POST\"")));
  EXPECT_THAT(explained_attribute(d, "service"), Optional(std::string("\"payments\"")));
  EXPECT_THAT(explained_attribute(d, "HttpRequest.ResourcePath"),
              Optional(std::string("\"transfers/7\"")));
  EXPECT_THAT(explained_attribute(d, "HttpRequest.RequestURI"),
              Optional(std::string("\"/payments/transfers/7?dry_run=1\"")));
  EXPECT_THAT(explained_attribute(d, "HttpRequest.IPAddress"),
              Optional(std::string("\"198.51.100.7\"")));
  EXPECT_THAT(explained_attribute(d, "HttpRequest.RequestHeaders.x-request-id"),
              Optional(std::string("\"abc\"")));
  EXPECT_THAT(explained_attribute(d, "HttpRequest.AccessToken.sub"),
              Optional(std::string("\"alice\"")));
  // A credential is never shown.
  EXPECT_EQ(explained_attribute(d, "HttpRequest.RequestHeaders.authorization"), std::nullopt);
  EXPECT_EQ(d.to_json().find("secret-in-a-header"), std::string::npos);
}

}  // namespace
}  // namespace stepup::engine_test
