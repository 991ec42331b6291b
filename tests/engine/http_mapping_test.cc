// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// SPEC §4's HTTP mapping, branch by branch in its stated order: status, error,
// WWW-Authenticate byte for byte, authorized, result, determining rule and
// statements.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_test_util.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The resource path picks the branch: one policy per path under a
// first-applicable root, so every branch runs against the same document.
constexpr const char* kMappingPolicy = R"json({
  "name": "root",
  "combining": "first-applicable",
  "children": [
    { "name": "open", "target": { "path": ["permit"] },
      "rules": [ { "name": "allow", "effect": "permit" } ] },
    { "name": "step-up", "target": { "path": ["challenge"] },
      "rules": [ { "name": "need mfa", "effect": "deny",
                   "statements": [ { "code": "auth-challenge",
                                     "payload": { "min_acr": "urn:example:mfa" } } ] } ] },
    { "name": "both", "target": { "path": ["challenge-and-reason"] },
      "rules": [ { "name": "need both", "effect": "deny",
                   "statements": [
                     { "code": "denied-reason", "payload": { "message": "no" } },
                     { "code": "auth-challenge", "payload": { "max_age": 60 } } ] } ] },
    { "name": "closed", "target": { "path": ["denied-default"] },
      "rules": [ { "name": "maintenance", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "message": "transfers are closed",
                                                  "detail": "maintenance window" } } ] } ] },
    { "name": "legal", "target": { "path": ["denied-status"] },
      "rules": [ { "name": "blocked", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "status": 451,
                                                  "message": "unavailable here" } } ] } ] },
    { "name": "scoped", "target": { "path": ["denied-scope"] },
      "rules": [ { "name": "needs write", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "error": "insufficient_scope",
                                                  "message": "needs payments:write",
                                                  "scope": "payments:write" } } ] } ] },
    { "name": "scoped quietly", "target": { "path": ["denied-scope-quiet"] },
      "rules": [ { "name": "needs admin", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "error": "insufficient_scope",
                                                  "scope": "payments:write admin" } } ] } ] },
    { "name": "unauthorized", "target": { "path": ["denied-401"] },
      "rules": [ { "name": "who are you", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "status": 401, "message": "log in" } } ] } ] },
    { "name": "plain", "target": { "path": ["deny-plain"] },
      "rules": [ { "name": "no", "effect": "deny" } ] },
    { "name": "audited", "target": { "path": ["deny-other"] },
      "rules": [ { "name": "no", "effect": "deny",
                   "statements": [ { "code": "audit-log", "applies_to": "deny",
                                     "payload": { "level": "high" } } ] } ] },
    { "name": "broken", "target": { "path": ["indeterminate"] },
      "rules": [ { "name": "reads a missing claim", "effect": "permit",
                   "condition": "HttpRequest.AccessToken.missing == 'x'" } ] }
  ]
})json";

class HttpMappingTest : public ::testing::Test {
 protected:
  HttpMappingTest() : engine_(create_engine(document(kMappingPolicy, {.endpoints = ""}))) {}

  Decision with_token(const std::string& path, const ClaimOverrides& overrides = {}) const {
    return decide(engine_, TestRequest("GET", path).authorization(bearer(overrides)));
  }
  Decision without_credentials(const std::string& path) const {
    return decide(engine_, TestRequest("GET", path));
  }
  Decision with_authorization(const std::string& path, const std::string& authorization) const {
    return decide(engine_, TestRequest("GET", path).authorization(authorization));
  }

  Engine engine_;
};

// --- Step 1: Authorization present but not one `Bearer <token68>` ----------

TEST_F(HttpMappingTest, NonBearerSchemeIsABadRequest) {
  // /permit would permit anyone: a 400 proves the policy never ran.
  for (const std::string authorization :
       {"Basic dXNlcjpwYXNz", "Digest username=\"a\"", "Basic", "Bear er", "Token abc"}) {
    SCOPED_TRACE(authorization);
    const Decision d = with_authorization("/permit", authorization);
    EXPECT_EQ(d.status, 400);
    EXPECT_EQ(d.error, "invalid_request");
    EXPECT_EQ(d.www_authenticate,
              "Bearer realm=\"api.example.com\", error=\"invalid_request\", "
              "error_description=\"the Authorization scheme is not Bearer\"");
    EXPECT_FALSE(d.authorized);
    EXPECT_EQ(d.result, PolicyResult::kIndeterminate);
    EXPECT_EQ(d.token_error, TokenError::kAuthorizationNotBearer);
    EXPECT_THAT(d.determining_rule, IsEmpty());
    EXPECT_THAT(d.statements, IsEmpty());
  }
}

TEST_F(HttpMappingTest, MalformedBearerIsABadRequest) {
  for (const std::string authorization :
       {"", " ", "Bearer", "Bearer ", "Bearer   ", "Bearer a b", "Bearer abc=def", "Bearer a,b",
        "Bearer \"abc\"", "@@@ abc", "Bearer abc\t"}) {
    SCOPED_TRACE("[" + authorization + "]");
    const Decision d = with_authorization("/permit", authorization);
    EXPECT_EQ(d.status, 400);
    EXPECT_EQ(d.error, "invalid_request");
    EXPECT_EQ(d.www_authenticate,
              "Bearer realm=\"api.example.com\", error=\"invalid_request\", "
              "error_description=\"the Authorization header is not a single Bearer token\"");
    EXPECT_FALSE(d.authorized);
    EXPECT_EQ(d.result, PolicyResult::kIndeterminate);
    EXPECT_EQ(d.token_error, TokenError::kAuthorizationMalformed);
    EXPECT_THAT(d.determining_rule, IsEmpty());
    EXPECT_THAT(d.statements, IsEmpty());
  }
}

TEST_F(HttpMappingTest, SchemeIsCaseInsensitiveAndPaddingIsToken68) {
  // RFC 9110 §11.1: the scheme is case-insensitive.
  const std::string jws = token(claims());
  for (const std::string scheme : {"Bearer ", "bearer ", "BEARER "}) {
    const Decision d = with_authorization("/permit", scheme + jws);
    EXPECT_EQ(d.status, 200) << scheme;
  }
  // token68 may end in '=': well-formed, so it reaches the token checks.
  const Decision padded = with_authorization("/permit", "Bearer abc==");
  EXPECT_EQ(padded.status, 401);
  EXPECT_EQ(padded.error, "invalid_token");
}

// --- Step 2: a token that fails validation ----------------------------------

struct InvalidTokenCase {
  std::string name;
  std::string authorization;
  TokenError error;
  std::string description;
};

TEST_F(HttpMappingTest, InvalidTokenIs401NamingTheCheck) {
  const testing::TestKey impostor = testing::TestKey::generate(Algorithm::kES256, "ES256-key");
  const std::vector<InvalidTokenCase> cases = {
      {"expired", bearer({{"exp", std::to_string(kNow - 120)}}), TokenError::kExpired,
       "the token has expired"},
      {"forged", "Bearer " + impostor.mint(testing::standard_header(Algorithm::kES256), claims()),
       TokenError::kSignatureInvalid, "the token signature is invalid"},
      {"other audience", bearer({{"aud", "\"https://other.example.com\""}}),
       TokenError::kAudienceMismatch, "the token is not intended for this audience"},
      {"unknown issuer", bearer({{"iss", "\"https://evil.example.com\""}}),
       TokenError::kIssuerUnknown, "the token issuer is not trusted"},
      {"not a JWS", "Bearer abc", TokenError::kMalformedCompact,
       "the token is not a three-part JWS compact serialization"},
      {"auth_time beyond the skew", bearer({{"auth_time", std::to_string(kNow + 61)}}),
       TokenError::kAuthTimeInFuture, "the token authentication time is in the future"},
      {"auth_time a string", bearer({{"auth_time", "\"yesterday\""}}), TokenError::kAuthTimeInvalid,
       "the token authentication time is malformed"},
      {"auth_time a fraction", bearer({{"auth_time", std::to_string(kNow - 60) + ".5"}}),
       TokenError::kAuthTimeInvalid, "the token authentication time is malformed"},
      {"alg none", "Bearer " + testing::compact(R"({"alg":"none","typ":"at+jwt"})", claims(), ""),
       TokenError::kAlgNone, "unsecured tokens (alg none) are not accepted"},
  };
  for (const InvalidTokenCase& c : cases) {
    SCOPED_TRACE(c.name);
    // /permit would permit anyone: the policy must not be consulted.
    const Decision d = with_authorization("/permit", c.authorization);
    EXPECT_EQ(d.status, 401);
    EXPECT_EQ(d.error, "invalid_token");
    EXPECT_EQ(d.token_error, c.error) << token_error_name(d.token_error);
    EXPECT_EQ(d.www_authenticate,
              "Bearer realm=\"api.example.com\", error=\"invalid_token\", "
              "error_description=\"" +
                  c.description + "\"");
    EXPECT_FALSE(d.authorized);
    EXPECT_EQ(d.result, PolicyResult::kIndeterminate);
    EXPECT_THAT(d.determining_rule, IsEmpty());
    EXPECT_THAT(d.statements, IsEmpty());
    EXPECT_THAT(d.www_authenticate, Not(HasSubstr("evil")));
  }
}

TEST_F(HttpMappingTest, InvalidTokenNeverGetsAStepUpChallenge) {
  // RFC 9470 §9: even where the policy would ask for a step-up.
  const Decision d = with_authorization("/challenge", "Bearer " + token(claims({{"exp", "1"}})));
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.error, "invalid_token");
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"invalid_token\", "
            "error_description=\"the token has expired\"");
  EXPECT_THAT(d.statements, IsEmpty());
}

TEST(HttpMapping, BearerTokenWithoutValidatorsIsInvalid) {
  const Engine engine = create_engine(
      document(R"({"name": "root", "rules": [{"name": "allow", "effect": "permit"}]})",
               {.validators = false}));
  const Decision d = decide(engine, TestRequest("GET", "/x").authorization(bearer()));
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.error, "invalid_token");
  EXPECT_EQ(d.token_error, TokenError::kIssuerUnknown);
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"invalid_token\", "
            "error_description=\"the token issuer is not trusted\"");
  EXPECT_FALSE(d.authorized);
  // Without credentials the same engine permits.
  EXPECT_EQ(decide(engine, TestRequest("GET", "/x")).status, 200);
}

// --- Step 3: Permit ----------------------------------------------------------

TEST_F(HttpMappingTest, PermitIs200) {
  const Decision d = with_token("/permit");
  EXPECT_EQ(d.status, 200);
  EXPECT_TRUE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kPermit);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_EQ(d.token_error, TokenError::kOk);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "open", "allow"));
  EXPECT_THAT(d.statements, IsEmpty());
  EXPECT_EQ(d.reason, "rule root/open/allow permitted");
}

TEST_F(HttpMappingTest, PermitWithoutCredentialsIs200) {
  const Decision d = without_credentials("/permit");
  EXPECT_EQ(d.status, 200);
  EXPECT_TRUE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kPermit);
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_EQ(d.error, "");
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "open", "allow"));
}

// --- Step 4: no credentials --------------------------------------------------

TEST_F(HttpMappingTest, NoCredentialsIsABareChallengeWithoutRequirements) {
  const Decision d = without_credentials("/challenge");
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.www_authenticate, kBareChallenge);
  EXPECT_EQ(d.error, "");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
  EXPECT_EQ(d.token_error, TokenError::kOk);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "step-up", "need mfa"));
  // The host still sees what the policy said; the client sees none of it.
  ASSERT_EQ(d.statements.size(), 1u);
  EXPECT_EQ(d.statements[0].code, "auth-challenge");
  EXPECT_THAT(d.www_authenticate, Not(HasSubstr("acr_values")));
  EXPECT_THAT(d.www_authenticate, Not(HasSubstr("max_age")));
}

TEST_F(HttpMappingTest, NoCredentialsWinsOverEveryOtherOutcome) {
  for (const std::string path :
       {"/challenge-and-reason", "/denied-default", "/denied-status", "/denied-scope",
        "/deny-plain", "/deny-other", "/indeterminate", "/nothing"}) {
    SCOPED_TRACE(path);
    const Decision d = without_credentials(path);
    EXPECT_EQ(d.status, 401);
    EXPECT_EQ(d.www_authenticate, kBareChallenge);
    EXPECT_EQ(d.error, "");
    EXPECT_FALSE(d.authorized);
  }
}

// --- Step 5: Deny with auth-challenge ----------------------------------------

TEST_F(HttpMappingTest, DenyWithAuthChallengeIsInsufficientUserAuthentication) {
  const Decision d = with_token("/challenge");
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.error, "insufficient_user_authentication");
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:mfa urn:example:hwk\"");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "step-up", "need mfa"));
  ASSERT_EQ(d.statements.size(), 1u);
  EXPECT_EQ(d.statements[0].code, "auth-challenge");
  EXPECT_EQ(d.statements[0].applies_to, AppliesTo::kDeny);
  ASSERT_NE(d.statements[0].payload.find("min_acr"), nullptr);
  EXPECT_EQ(d.statements[0].payload.find("min_acr")->as_string(), "urn:example:mfa");
}

TEST_F(HttpMappingTest, AuthChallengeComesBeforeDeniedReason) {
  const Decision d = with_token("/challenge-and-reason");
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.error, "insufficient_user_authentication");
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"More recent authentication is required\", max_age=\"60\"");
  ASSERT_EQ(d.statements.size(), 2u);
  EXPECT_EQ(d.statements[0].code, "denied-reason");
  EXPECT_EQ(d.statements[1].code, "auth-challenge");
}

// --- Step 6: Deny with denied-reason -----------------------------------------

TEST_F(HttpMappingTest, DeniedReasonDefaultsTo403WithoutAHeader) {
  const Decision d = with_token("/denied-default");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "closed", "maintenance"));
  ASSERT_EQ(d.statements.size(), 1u);
  EXPECT_EQ(d.statements[0].code, "denied-reason");
  // The detail is for the operator.
  EXPECT_THAT(d.reason, HasSubstr("maintenance window"));
}

TEST_F(HttpMappingTest, DeniedReasonWithItsOwnStatus) {
  const Decision d = with_token("/denied-status");
  EXPECT_EQ(d.status, 451);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "legal", "blocked"));
  EXPECT_THAT(d.reason, HasSubstr("unavailable here"));
}

TEST_F(HttpMappingTest, DeniedReasonInsufficientScope) {
  const Decision d = with_token("/denied-scope");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.error, "insufficient_scope");
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_scope\", "
            "error_description=\"needs payments:write\", scope=\"payments:write\"");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "scoped", "needs write"));
  ASSERT_EQ(d.statements.size(), 1u);
  EXPECT_EQ(d.statements[0].code, "denied-reason");
}

TEST_F(HttpMappingTest, DeniedReasonInsufficientScopeWithoutMessage) {
  const Decision d = with_token("/denied-scope-quiet");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.error, "insufficient_scope");
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_scope\", "
            "scope=\"payments:write admin\"");
}

TEST_F(HttpMappingTest, DeniedReasonWith401StillChallenges) {
  // RFC 9110 §15.5.2: a 401 response MUST carry a WWW-Authenticate challenge.
  // Without an error code the challenge is the bare one, as for no credentials.
  const Decision d = with_token("/denied-401");
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, kBareChallenge);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
}

// --- Step 7: anything else ---------------------------------------------------

TEST_F(HttpMappingTest, PlainDenyIs403WithoutAHeader) {
  const Decision d = with_token("/deny-plain");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kDeny);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "plain", "no"));
  EXPECT_THAT(d.statements, IsEmpty());
}

TEST_F(HttpMappingTest, UnknownStatementCodesAreHandedToTheHost) {
  const Decision d = with_token("/deny-other");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_EQ(d.error, "");
  ASSERT_EQ(d.statements.size(), 1u);
  EXPECT_EQ(d.statements[0].code, "audit-log");
  ASSERT_NE(d.statements[0].payload.find("level"), nullptr);
  EXPECT_EQ(d.statements[0].payload.find("level")->as_string(), "high");
}

TEST_F(HttpMappingTest, IndeterminateIs403) {
  const Decision d = with_token("/indeterminate");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kIndeterminate);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "broken", "reads a missing claim"));
  EXPECT_THAT(d.statements, IsEmpty());
}

TEST_F(HttpMappingTest, NotApplicableIs403) {
  const Decision d = with_token("/nothing");
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.error, "");
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_FALSE(d.authorized);
  EXPECT_EQ(d.result, PolicyResult::kNotApplicable);
  EXPECT_THAT(d.determining_rule, IsEmpty());
  EXPECT_THAT(d.statements, IsEmpty());
}

// --- A document without realm ------------------------------------------------

TEST(HttpMapping, WithoutRealmNoRealmParameter) {
  const Engine engine =
      create_engine(document(kMappingPolicy, {.realm = std::nullopt, .endpoints = ""}));
  EXPECT_EQ(decide(engine, TestRequest("GET", "/challenge")).www_authenticate, "Bearer");
  EXPECT_EQ(
      decide(engine, TestRequest("GET", "/challenge").authorization(bearer())).www_authenticate,
      "Bearer error=\"insufficient_user_authentication\", "
      "error_description=\"A different authentication level is required\", "
      "acr_values=\"urn:example:mfa urn:example:hwk\"");
  EXPECT_EQ(decide(engine, TestRequest("GET", "/permit").authorization(bearer({{"exp", "1"}})))
                .www_authenticate,
            "Bearer error=\"invalid_token\", error_description=\"the token has expired\"");
  EXPECT_EQ(decide(engine, TestRequest("GET", "/permit").authorization("Basic x")).www_authenticate,
            "Bearer error=\"invalid_request\", "
            "error_description=\"the Authorization scheme is not Bearer\"");
  EXPECT_EQ(
      decide(engine, TestRequest("GET", "/denied-scope").authorization(bearer())).www_authenticate,
      "Bearer error=\"insufficient_scope\", error_description=\"needs payments:write\", "
      "scope=\"payments:write\"");
}

// --- The SPEC §2 example document, end to end ---------------------------------

constexpr const char* kSpecPolicy = R"json({
    "name": "api",
    "combining": "deny-unless-permit",
    "children": [
      { "name": "transfers need fresh strong authentication",
        "target": { "service": ["payments"], "action": ["inbound-POST"],
                    "path": ["transfers/**"] },
        "combining": "first-applicable",
        "rules": [
          { "name": "strong", "effect": "deny",
            "condition": "!acr_at_least('urn:example:mfa')",
            "statements": [ { "code": "auth-challenge",
                              "payload": { "min_acr": "urn:example:mfa" } } ] },
          { "name": "fresh", "effect": "deny",
            "condition": "authentication_age > 300",
            "statements": [ { "code": "auth-challenge",
                              "payload": { "max_age": 300 } } ] },
          { "name": "scoped", "effect": "permit",
            "condition": "'payments:write' in HttpRequest.AccessToken.scope" }
        ] },
      { "name": "reads", "target": { "action": ["inbound-GET"] },
        "rules": [ { "name": "any valid token", "effect": "permit",
                     "condition": "has(HttpRequest.AccessToken.sub)" } ] }
    ]
  })json";

TEST(SpecExample, TheSeedsStepUpStory) {
  const Engine engine = create_engine(document(kSpecPolicy));
  auto transfer = [&engine](const ClaimOverrides& overrides) {
    return decide(engine,
                  TestRequest("POST", "/payments/transfers/7").authorization(bearer(overrides)));
  };
  const ClaimOverrides scoped = {{"scope", "\"payments:write accounts:read\""}};

  ClaimOverrides weak = scoped;
  weak.emplace_back("acr", "\"urn:example:pwd\"");
  Decision d = transfer(weak);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:mfa urn:example:hwk\"");
  EXPECT_EQ(d.reason, "rule api/transfers need fresh strong authentication/strong denied");

  ClaimOverrides stale = scoped;
  stale.emplace_back("auth_time", std::to_string(kNow - 301));
  d = transfer(stale);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.www_authenticate,
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"More recent authentication is required\", max_age=\"300\"");
  EXPECT_THAT(d.determining_rule,
              ElementsAre("api", "transfers need fresh strong authentication", "fresh"));

  ClaimOverrides just_in_time = scoped;
  just_in_time.emplace_back("auth_time", std::to_string(kNow - 300));
  d = transfer(just_in_time);
  EXPECT_EQ(d.status, 200);
  EXPECT_THAT(d.determining_rule,
              ElementsAre("api", "transfers need fresh strong authentication", "scoped"));

  // Strong and fresh, but without the scope: deny-unless-permit's plain Deny.
  d = transfer({});
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_EQ(d.result, PolicyResult::kDeny);

  // No acr, no auth_time: strength unknown, no step-up challenge (the seed).
  ClaimOverrides unknown = scoped;
  unknown.emplace_back("acr", "");
  unknown.emplace_back("auth_time", "");
  d = transfer(unknown);
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.www_authenticate, "");
  EXPECT_EQ(d.error, "");
  EXPECT_THAT(d.reason, HasSubstr("indeterminate"));

  // Reads need only a valid token, weak or not.
  ClaimOverrides weak_read = {{"acr", "\"urn:example:pwd\""}};
  d = decide(engine, TestRequest("GET", "/accounts/42").authorization(bearer(weak_read)));
  EXPECT_EQ(d.status, 200);
  EXPECT_THAT(d.determining_rule, ElementsAre("api", "reads", "any valid token"));
}

}  // namespace
}  // namespace stepup::engine_test
