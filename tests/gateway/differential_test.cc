// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The gateway decides on the bytes that were sent: thousands of random
// request targets (every byte %-escaped in both cases, dot segments, `#`,
// `?`, `;`, backslashes, double encodings) and Authorization variants, each
// decided through /auth, the sideband request call and AuthZEN, and through
// Engine::decide on the same raw input. Status and challenge must be the
// same every time: a layer that decoded or cut the target would decide on
// another path than the one nginx forwards (a way around step-up).
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "attributes/request_attributes.h"
#include "gateway/gateway_test_util.h"
#include "gateway/http_text.h"
#include "gtest/gtest.h"
#include "json/json_text.h"

namespace stepup::gateway::testing {
namespace {

using json_internal::json_quote;

// A step-up deny on POST to transfers/** and a permit for any valid token,
// combined deny-overrides: a target that escaped the transfer rule would be
// permitted.
constexpr char kPolicy[] = R"json({
  "stepup": 1, "realm": "api.example.com",
  "validators": [{ "name": "as", "type": "jwt", "issuer": "https://as.example.com",
                   "audience": ["https://api.example.com"], "algorithms": ["RS256", "ES256", "EdDSA"],
                   "jwks_file": "keys.jwks.json", "typ": "at+jwt" }],
  "endpoints": [{ "service": "payments", "base_path": "/payments" }],
  "acr_levels": ["urn:example:pwd", "urn:example:mfa"],
  "policy": { "name": "api", "combining": "deny-overrides", "rules": [
    { "name": "transfers need MFA", "effect": "deny",
      "target": { "service": ["payments"], "action": ["inbound-POST"], "path": ["transfers/**"] },
      "condition": "!acr_at_least('urn:example:mfa')",
      "statements": [{ "code": "auth-challenge", "payload": { "min_acr": "urn:example:mfa" } }] },
    { "name": "any valid token", "effect": "permit", "condition": "has(HttpRequest.AccessToken.sub)" }
  ] }
})json";

std::string random_target(std::mt19937& random) {
  static const std::vector<std::string> kPieces = {
      "payments", "transfers", "7",   "accounts", "/",   "/",     "//",  ".",   "..",    "./",
      "../",      "%2e",       "%2E", "%2e%2e",   "%2f", "%2F",   "%23", "#",   "?",     "%3f",
      "%3F",      ";",         ";x",  "\\",       "%5c", "%252e", "%25", "%",   "%2",    "%00",
      "a=b",      "&",         "~",   "%7e",      "T",   "P",     " ",   "%20", "%u002e"};
  std::string target = random() % 8 == 0 ? "https://api.example.com" : "";
  target += random() % 6 == 0 ? "" : "/";
  const int pieces = 1 + static_cast<int>(random() % 9);
  for (int i = 0; i < pieces; ++i) {
    if (random() % 5 == 0) {
      // Any byte, escaped, in either case.
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, random() % 2 ? "%%%02X" : "%%%02x",
                    static_cast<unsigned>(random() % 256));
      target += escaped;
    } else {
      target += kPieces[random() % kPieces.size()];
    }
  }
  // Often a transfer behind a noisy segment and a dot segment, so that the
  // rule's path is what decides.
  if (random() % 2 == 0) {
    target = "/payments/" + kPieces[random() % kPieces.size()] + "/../transfers/" + target;
  }
  // A header value has no surrounding whitespace (RFC 9110 §5.5): keep the
  // space inside, where it reaches every endpoint alike.
  if (target.empty() || target.front() == ' ') target.insert(0, "x");
  if (target.back() == ' ') target += 'x';
  return target;
}

struct Expected {
  int status = 0;
  std::string challenge;
  bool refused = false;  // The gateway refuses the target itself (400).
};

class DifferentialTest : public ::testing::Test {
 protected:
  // How the engine decides `method` `target` with `authorization`.
  Expected expect(const std::string& method, const std::string& target,
                  const std::optional<std::string>& authorization) {
    Expected expected;
    const std::optional<std::string> path = request_target(target);
    if (!path) {
      expected.refused = true;
      return expected;
    }
    Request request;
    request.method = method;
    request.path = *path;
    if (authorization) request.authorization = *authorization;
    const Decision decision = engine_.decide(request);
    expected.status = decision.status;
    expected.challenge = decision.www_authenticate;
    return expected;
  }

  void check_auth(const std::string& method, const std::string& target,
                  const std::optional<std::string>& authorization, const Expected& expected) {
    std::string request = "GET /auth HTTP/1.1\r\nHost: gw\r\nX-Original-Method: " + method +
                          "\r\nX-Original-URI: " + target + "\r\n";
    if (authorization) request += "Authorization: " + *authorization + "\r\n";
    auth_.send(request + "\r\n");
    const RawResponse response = auth_.read_response();
    const std::string what = method + " " + target + " " + authorization.value_or("(none)");
    if (expected.refused) {
      EXPECT_EQ(response.status, 400) << what;
      EXPECT_FALSE(response.has_header("X-Stepup-Status")) << what;
      return;
    }
    EXPECT_EQ(response.header("X-Stepup-Status"), std::to_string(expected.status)) << what;
    EXPECT_EQ(response.header("X-Stepup-WWW-Authenticate"), expected.challenge) << what;
    ++compared_;
  }

  void check_sideband(const std::string& method, const std::string& target,
                      const std::optional<std::string>& authorization, const Expected& expected) {
    std::string headers = R"([{"host": "api.example.com"})";
    if (authorization) headers += R"(, {"authorization": )" + json_quote(*authorization) + "}";
    headers += "]";
    const std::string body = R"({"method": )" + json_quote(method) + R"(, "url": )" +
                             json_quote(target) + R"(, "headers": )" + headers +
                             R"(, "source_ip": "192.0.2.7", "source_port": "50000"})";
    post(sideband_, "/sideband/request", body, "CLIENT-TOKEN: " + std::string(kTestSecret));
    const RawResponse response = sideband_.read_response();
    const std::string what = method + " " + target + " " + authorization.value_or("(none)");
    if (expected.refused) {
      EXPECT_EQ(response.status, 400) << what;
      return;
    }
    ASSERT_EQ(response.status, 200) << what << " " << response.body;
    const JsonValue answer = parse_json(response.body);
    const JsonValue* replacement = answer.find("response");
    if (expected.status == 200) {
      EXPECT_EQ(replacement, nullptr) << what;
      return;
    }
    ASSERT_NE(replacement, nullptr) << what;
    EXPECT_EQ(replacement->find("response_code")->as_string(), std::to_string(expected.status))
        << what;
    std::string challenge;
    for (const JsonValue& header : replacement->find("headers")->items()) {
      if (const JsonValue* value = header.find("WWW-Authenticate")) challenge = value->as_string();
    }
    EXPECT_EQ(challenge, expected.challenge) << what;
  }

  void check_authzen(const std::string& method, const std::string& target,
                     const std::optional<std::string>& authorization, const Expected& expected) {
    std::string subject = R"({"type": "user", "id": "alice")";
    if (authorization) {
      subject += R"(, "properties": {"token": )" + json_quote(authorization->substr(7)) + "}";
    }
    subject += "}";
    const std::string body = R"({"subject": )" + subject +
                             R"(, "action": {"name": "call", "properties": {"method": )" +
                             json_quote(method) +
                             R"(}}, "resource": {"type": "http", "id": "x",)"
                             R"( "properties": {"path": )" +
                             json_quote(target) + "}}}";
    post(authzen_, "/access/v1/evaluation", body, "");
    const RawResponse response = authzen_.read_response();
    const std::string what = method + " " + target + " " + authorization.value_or("(none)");
    ASSERT_EQ(response.status, 200) << what << " " << response.body;
    const JsonValue answer = parse_json(response.body);
    const JsonValue* context = answer.find("context");
    if (expected.refused) {
      ASSERT_NE(context, nullptr) << what;
      EXPECT_EQ(context->find("error")->find("status")->as_integer(), 400) << what;
      return;
    }
    EXPECT_EQ(answer.find("decision")->as_bool(), expected.status == 200) << what;
    if (expected.status == 200) return;
    ASSERT_NE(context, nullptr) << what;
    EXPECT_EQ(context->find("status")->as_integer(), expected.status) << what;
    const JsonValue* challenge = context->find("www_authenticate");
    EXPECT_EQ(challenge != nullptr ? std::string(challenge->as_string()) : "", expected.challenge)
        << what;
  }

  static void post(RawConnection& connection, const std::string& path, const std::string& body,
                   const std::string& extra) {
    connection.send("POST " + path + " HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n" +
                    (extra.empty() ? "" : extra + "\r\n") +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }

  Engine engine_ = make_engine_from_json(kPolicy);
  RunningGateway gateway_{make_engine_from_json(kPolicy)};
  RawConnection auth_{gateway_.port()};
  RawConnection sideband_{gateway_.port()};
  RawConnection authzen_{gateway_.port()};
  int compared_ = 0;
};

TEST_F(DifferentialTest, EveryEndpointDecidesTheRawRequest) {
  const ExampleCredentials& credentials = example_credentials();
  const std::string weak_token = credentials.weak.substr(7);
  const std::vector<std::optional<std::string>> authorizations = {std::nullopt,
                                                                  credentials.weak,
                                                                  credentials.weak,
                                                                  credentials.weak,
                                                                  credentials.stepped_up,
                                                                  "Bearer%20" + weak_token,
                                                                  "bearer " + weak_token,
                                                                  "Bearer  " + weak_token,
                                                                  "Bearer " + weak_token + "%3D",
                                                                  "",
                                                                  credentials.basic,
                                                                  credentials.forged};
  const std::vector<std::string> methods = {"POST", "POST", "GET", "post", "PUT"};
  std::mt19937 random(20261204);
  int refused = 0;
  int denied_transfers = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string target = random_target(random);
    const std::string& method = methods[random() % methods.size()];
    const std::optional<std::string>& authorization =
        authorizations[random() % authorizations.size()];
    const Expected expected = expect(method, target, authorization);
    refused += expected.refused ? 1 : 0;
    denied_transfers += expected.status == 401 && !expected.challenge.empty() &&
                                expected.challenge.find("acr_values") != std::string::npos
                            ? 1
                            : 0;
    check_auth(method, target, authorization, expected);
    check_sideband(method, target, authorization, expected);
    // AuthZEN carries a token, not a header: only "Bearer <token>" maps.
    if (!authorization || authorization->rfind("Bearer ", 0) == 0) {
      check_authzen(method, target, authorization, expected);
    }
    if (HasFatalFailure()) return;
  }
  // The generator reached every kind of outcome.
  EXPECT_GT(compared_, 2000);
  EXPECT_GT(refused, 20);
  EXPECT_GT(denied_transfers, 20);
}

// The attack of the report, by name: a fragment or query escape inside the
// path does not hide the transfer.
TEST_F(DifferentialTest, EscapedFragmentOrQueryDoesNotHideTheTransfer) {
  const std::string weak = example_credentials().weak;
  for (const std::string target :
       {"/payments/transfers/7", "/payments/%23/../transfers/7", "/payments/%3F/../transfers/7",
        "/payments/%3f/../transfers/7", "/payments/%2e%2e/payments/transfers/7",
        "https://api.example.com/payments/%23/../transfers/7"}) {
    const Expected expected = expect("POST", target, weak);
    EXPECT_EQ(expected.status, 401) << target;
    check_auth("POST", target, weak, expected);
    check_sideband("POST", target, weak, expected);
    check_authzen("POST", target, weak, expected);
  }
  // A raw '#' is no request target: refused, never cut.
  Expected refused;
  refused.refused = true;
  check_auth("POST", "/payments/#/../transfers/7", weak, refused);
}

}  // namespace
}  // namespace stepup::gateway::testing
