// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Conditions evaluated against a real request's attributes: the entry
// point the policy uses (RequestAttributes, read with direct calls) and the
// generic one (AttributeSource, read through virtual calls) give the same
// results, and the right ones.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "attributes/request_attributes.h"
#include "compile_for_test.h"
#include "condition/condition.h"
#include "stepup/json_value.h"
#include "stepup/request.h"

namespace stepup::condition {
namespace {

constexpr int64_t kNow = 1800000000;

struct Case {
  std::string_view condition;
  Tri with_token;
  Tri without_token;
};

// Each attribute of SPEC §3 at least once, true, false and error.
constexpr Case kCases[] = {
    {"acr_at_least('urn:example:mfa')", Tri::kTrue, Tri::kError},
    {"acr_at_least('urn:example:hwk')", Tri::kFalse, Tri::kError},
    {"!acr_at_least('urn:example:mfa')", Tri::kFalse, Tri::kError},
    {"authentication_policy == 'urn:example:mfa'", Tri::kTrue, Tri::kError},
    {"authentication_age > 300", Tri::kTrue, Tri::kError},
    {"authentication_age == 1000", Tri::kTrue, Tri::kError},
    {"authentication_time == 1799999000", Tri::kTrue, Tri::kError},
    {"'otp' in authentication_methods", Tri::kTrue, Tri::kError},
    {"'hwk' in authentication_methods", Tri::kFalse, Tri::kError},
    {"action == 'inbound-POST'", Tri::kTrue, Tri::kTrue},
    {"service == 'payments'", Tri::kTrue, Tri::kTrue},
    {"starts_with(HttpRequest.ResourcePath, 'transfers/')", Tri::kTrue, Tri::kTrue},
    {"starts_with(HttpRequest.ResourcePath, 'accounts/')", Tri::kFalse, Tri::kFalse},
    {"HttpRequest.RequestURI == '/payments/transfers/7?dry=1'", Tri::kTrue, Tri::kTrue},
    {"HttpRequest.IPAddress == '203.0.113.7'", Tri::kTrue, Tri::kTrue},
    {"HttpRequest.RequestHeaders.x-request-id == 'abc'", Tri::kTrue, Tri::kTrue},
    {"HttpRequest.QueryParameters.dry == '1'", Tri::kTrue, Tri::kTrue},
    {"'payments:write' in HttpRequest.AccessToken.scope", Tri::kTrue, Tri::kError},
    {"'payments' in HttpRequest.AccessToken.scope", Tri::kFalse, Tri::kError},
    {"HttpRequest.AccessToken.sub == 'alice'", Tri::kTrue, Tri::kError},
    {"has(HttpRequest.AccessToken.sub)", Tri::kTrue, Tri::kFalse},
    {"HttpRequest.AccessToken.cnf.jkt == 'k1'", Tri::kTrue, Tri::kError},
    {"HttpRequest.AccessToken.active", Tri::kTrue, Tri::kError},
};

TEST(ConditionOnRequestAttributes, BothEntryPointsGiveTheExpectedResults) {
  const JsonValue claims = JsonValue::object({
      {"sub", JsonValue::string("alice")},
      {"acr", JsonValue::string("urn:example:mfa")},
      {"auth_time", JsonValue::integer(kNow - 1000)},
      {"amr", JsonValue::array({JsonValue::string("pwd"), JsonValue::string("otp")})},
      {"scope", JsonValue::string("openid payments:read payments:write")},
      {"cnf", JsonValue::object({{"jkt", JsonValue::string("k1")}})},
  });
  const attributes::EndpointIndex endpoints(
      std::vector<attributes::Endpoint>{{"payments", "/payments"}});
  const Header headers[] = {{"X-Request-Id", "abc"}};
  Request request;
  request.method = "POST";
  request.path = "/payments/transfers/7?dry=1";
  request.headers = headers;
  request.client_ip = "203.0.113.7";
  for (const bool with_token : {true, false}) {
    const attributes::RequestAttributes attributes(
        request, with_token ? &claims : static_cast<const JsonValue*>(nullptr), endpoints, kNow);
    const attributes::AttributeSource& generic = attributes;
    for (const Case& c : kCases) {
      const CompiledCondition condition = compile(c.condition);
      const Tri expected = with_token ? c.with_token : c.without_token;
      EXPECT_EQ(condition.evaluate(attributes), expected)
          << c.condition << (with_token ? " (with a token)" : " (without a token)");
      EXPECT_EQ(condition.evaluate(generic), expected)
          << c.condition << (with_token ? " (with a token)" : " (without a token)");
    }
  }
}

}  // namespace
}  // namespace stepup::condition
