// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Sender-constrained tokens through the engine (RFC 9449 §7): a DPoP token
// with its proof, each hostile proof with its exact refusal and challenge,
// bound tokens under Bearer, validators that require DPoP, the token_type
// attribute, step-up under DPoP, and the policy document's `dpop` member.
// Proofs are minted here with the test key helper, not the library's.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <string>
#include <thread>
#include <vector>

#include "engine/engine_test_util.h"
#include "stepup/metrics.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

using testing::TestKey;

constexpr const char* kOrigin = "https://api.example.com";
constexpr const char* kResource = R"({"resource": "https://api.example.com"})";

// POST /payments needs urn:example:hwk (step-up), and a DPoP token;
// anything else a token with `sub`.
constexpr const char* kPolicy = R"j({"name": "root",
    "combining": "first-applicable", "rules": [
      {"name": "needs hwk", "effect": "deny", "target": {"action": ["inbound-POST"]},
       "condition": "!acr_at_least('urn:example:hwk')",
       "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]},
      {"name": "payments need DPoP", "effect": "deny", "target": {"action": ["inbound-POST"]},
       "condition": "HttpRequest.AccessToken.token_type != 'DPoP'"},
      {"name": "signed in", "effect": "permit",
       "condition": "has(HttpRequest.AccessToken.sub)"}]})j";

std::string sha256_base64url(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return testing::base64url(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

// RFC 7638 §3.2 for an EC key: the required members in lexicographic order.
std::string ec_thumbprint(const TestKey& key) {
  const JsonValue jwk = parse_object(key.public_jwk(false, false));
  const std::string canonical = R"({"crv":")" + std::string(jwk.find("crv")->as_string()) +
                                R"(","kty":"EC","x":")" + std::string(jwk.find("x")->as_string()) +
                                R"(","y":")" + std::string(jwk.find("y")->as_string()) + R"("})";
  return sha256_base64url(canonical);
}

struct ProofClaims {
  std::string jti = "proof-1";
  std::string htm = "POST";
  std::string htu = std::string(kOrigin) + "/payments/transfers";
  int64_t iat = kNow;
  std::optional<std::string> ath = std::nullopt;  // nullopt: the access token's hash.
  std::string typ = "dpop+jwt";
};

std::string proof(const TestKey& key, const std::string& access_token, const ProofClaims& c = {}) {
  const std::string header = R"({"typ":")" + c.typ + R"(","alg":")" +
                             std::string(algorithm_name(key.algorithm())) + R"(","jwk":)" +
                             key.public_jwk(false, false) + "}";
  std::string payload = R"({"jti":")" + c.jti + R"(","htm":")" + c.htm + R"(","htu":")" + c.htu +
                        R"(","iat":)" + std::to_string(c.iat);
  const std::string ath = c.ath ? *c.ath : sha256_base64url(access_token);
  if (!ath.empty()) payload += R"(,"ath":")" + ath + R"(")";
  return key.mint(header, payload + "}");
}

class DpopEngineTest : public ::testing::Test {
 protected:
  const TestKey& proof_key = TestKey::shared(Algorithm::kES256);
  const TestKey& other_key = TestKey::shared(Algorithm::kES384);

  Engine engine_with(const std::string& dpop_member, const std::string& policy = kPolicy) {
    return create_engine(
        document(policy, {.validator_extra = dpop_member, .protected_resource = kResource}));
  }
  // A token bound to `key` (cnf.jkt), with `overrides`.
  std::string bound_token(const TestKey& key, ClaimOverrides overrides = {}) {
    overrides.emplace_back("cnf", R"({"jkt":")" + ec_thumbprint(key) + R"("})");
    return token(claims(overrides));
  }
  TestRequest dpop_request(const std::string& access_token, const std::string& proof_jwt,
                           std::string method = "POST", std::string path = "/payments/transfers") {
    TestRequest request(std::move(method), std::move(path));
    request.authorization("DPoP " + access_token).header("DPoP", proof_jwt);
    return request;
  }
};

TEST_F(DpopEngineTest, AProvenTokenIsDecidedByThePolicyAsDpop) {
  const Engine engine = engine_with(R"(, "dpop": {"algorithms": ["ES256", "EdDSA"]})");
  const std::string access_token = bound_token(proof_key, {{"acr", "\"urn:example:hwk\""}});
  const Decision permit =
      decide(engine, dpop_request(access_token, proof(proof_key, access_token)), kNow, true);
  EXPECT_EQ(permit.status, 200) << permit.reason;
  EXPECT_EQ(permit.token_error, TokenError::kOk);
  EXPECT_EQ(explained_attribute(permit, "HttpRequest.AccessToken.token_type"), "\"DPoP\"");
  EXPECT_FALSE(explained_attribute(permit, "HttpRequest.RequestHeaders.dpop"))
      << "the proof is a credential, not shown";

  // The same token under Bearer is refused: it is bound (RFC 9449 §7.2).
  TestRequest as_bearer("GET", "/accounts/1");
  as_bearer.authorization("Bearer " + access_token);
  const Decision refused = decide(engine, as_bearer);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.token_error, TokenError::kDpopBoundTokenAsBearer);
  EXPECT_EQ(refused.www_authenticate,
            "DPoP realm=\"api.example.com\", error=\"invalid_token\", error_description=\"a "
            "DPoP-bound token was presented as a Bearer token\", algs=\"ES256 EdDSA\", "
            "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
}

TEST_F(DpopEngineTest, TheTokenTypeAttributeLetsAPolicyDemandDpop) {
  const Engine engine = engine_with(R"(, "dpop": {})");
  const std::string plain = token(claims({{"acr", "\"urn:example:hwk\""}}));
  TestRequest bearer_post("POST", "/payments/transfers");
  bearer_post.authorization("Bearer " + plain);
  const Decision denied = decide(engine, bearer_post);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.determining_rule.back(), "payments need DPoP");
  TestRequest bearer_get("GET", "/accounts/1");
  bearer_get.authorization("Bearer " + plain);
  EXPECT_EQ(decide(engine, bearer_get).status, 200) << "a plain bearer token elsewhere";
}

TEST_F(DpopEngineTest, StepUpUnderDpopIsADpopChallengeWithAlgs) {
  const Engine engine = engine_with(R"(, "dpop": {"algorithms": ["ES256"]})");
  const std::string access_token = bound_token(proof_key);  // acr urn:example:mfa
  const Decision step_up =
      decide(engine, dpop_request(access_token, proof(proof_key, access_token)));
  EXPECT_EQ(step_up.status, 401);
  EXPECT_EQ(step_up.error, "insufficient_user_authentication");
  ASSERT_TRUE(step_up.step_up);
  EXPECT_EQ(step_up.www_authenticate,
            "DPoP realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:hwk\", algs=\"ES256\", "
            "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
}

TEST_F(DpopEngineTest, WithoutCredentialsBothSchemesAreOffered) {
  const Engine both = engine_with(R"(, "dpop": {"algorithms": ["ES256", "PS256"]})");
  const Decision anonymous = decide(both, TestRequest("GET", "/accounts/1"));
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.www_authenticate,
            "Bearer realm=\"api.example.com\", "
            "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\", "
            "DPoP realm=\"api.example.com\", algs=\"ES256 PS256\", "
            "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
  const Engine only = engine_with(R"(, "dpop": {"required": true, "algorithms": ["ES256"]})");
  EXPECT_EQ(decide(only, TestRequest("GET", "/accounts/1")).www_authenticate,
            "DPoP realm=\"api.example.com\", algs=\"ES256\", "
            "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
  const Engine none = engine_with("");
  EXPECT_EQ(decide(none, TestRequest("GET", "/accounts/1")).www_authenticate,
            "Bearer realm=\"api.example.com\", "
            "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
}

TEST_F(DpopEngineTest, AValidatorThatRequiresDpopRefusesBearerTokens) {
  const Engine engine = engine_with(R"(, "dpop": {"required": true, "algorithms": ["ES256"]})");
  TestRequest request("GET", "/accounts/1");
  request.authorization("Bearer " + token(claims()));
  const Decision refused = decide(engine, request);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.token_error, TokenError::kDpopRequired);
  EXPECT_EQ(refused.error, "invalid_token");
  EXPECT_EQ(refused.www_authenticate.rfind("DPoP realm=", 0), 0u) << refused.www_authenticate;
}

TEST_F(DpopEngineTest, AValidatorWithoutDpopRefusesTheScheme) {
  const Engine engine = engine_with("");
  const std::string access_token = bound_token(proof_key);
  const Decision refused = decide(
      engine, dpop_request(access_token, proof(proof_key, access_token), "GET", "/accounts/1"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.token_error, TokenError::kDpopNotAccepted);
  EXPECT_EQ(refused.www_authenticate.rfind("Bearer realm=", 0), 0u) << refused.www_authenticate;
}

// Each hostile request with its exact refusal (RFC 9449 §4.3, §7.1).
TEST_F(DpopEngineTest, HostileProofsEachGetTheirRefusal) {
  const Engine engine = engine_with(R"(, "dpop": {"algorithms": ["ES256", "ES384"]})");
  const std::string access_token = bound_token(proof_key, {{"acr", "\"urn:example:hwk\""}});
  const std::string unbound = token(claims({{"acr", "\"urn:example:hwk\""}}));
  const TestKey hmac = TestKey::generate(Algorithm::kHS256);
  const TestKey eddsa = TestKey::generate(Algorithm::kEdDSA);
  struct Case {
    std::string name;
    TestRequest request;
    TokenError expected;
    int status = 401;
    std::string error = "invalid_dpop_proof";
  };
  auto with_claims = [&](const std::string& jti, auto change) {
    ProofClaims c;
    c.jti = jti;
    change(c);
    return proof(proof_key, access_token, c);
  };
  std::vector<Case> cases;
  cases.push_back(
      {"no proof", TestRequest("POST", "/payments/transfers"), TokenError::kDpopProofMissing});
  cases.back().request.authorization("DPoP " + access_token);
  {
    TestRequest two = dpop_request(access_token, proof(proof_key, access_token, {.jti = "two-a"}));
    two.header("dpop", proof(proof_key, access_token, {.jti = "two-b"}));
    cases.push_back(
        {"two DPoP headers", two, TokenError::kDpopProofMultiple, 400, "invalid_request"});
  }
  cases.push_back(
      {"wrong htm",
       dpop_request(access_token, with_claims("htm", [](ProofClaims& c) { c.htm = "PUT"; })),
       TokenError::kDpopProofMethodMismatch});
  cases.push_back({"wrong htu path",
                   dpop_request(access_token, with_claims("htu",
                                                          [](ProofClaims& c) {
                                                            c.htu = std::string(kOrigin) +
                                                                    "/payments/other";
                                                          })),
                   TokenError::kDpopProofUriMismatch});
  cases.push_back({"wrong htu host",
                   dpop_request(access_token,
                                with_claims("host",
                                            [](ProofClaims& c) {
                                              c.htu = "https://evil.example.com/payments/transfers";
                                            })),
                   TokenError::kDpopProofUriMismatch});
  cases.push_back(
      {"no ath",
       dpop_request(access_token, with_claims("ath0", [](ProofClaims& c) { c.ath = ""; })),
       TokenError::kDpopProofAthMissing});
  cases.push_back({"ath of another token",
                   dpop_request(access_token, with_claims("ath1",
                                                          [&](ProofClaims& c) {
                                                            c.ath = sha256_base64url(unbound);
                                                          })),
                   TokenError::kDpopProofAthMismatch});
  cases.push_back(
      {"iat far past",
       dpop_request(access_token, with_claims("old", [](ProofClaims& c) { c.iat = kNow - 301; })),
       TokenError::kDpopProofIatOutOfWindow});
  cases.push_back(
      {"iat far future",
       dpop_request(access_token, with_claims("new", [](ProofClaims& c) { c.iat = kNow + 61; })),
       TokenError::kDpopProofIatOutOfWindow});
  cases.push_back(
      {"typ JWT",
       dpop_request(access_token, with_claims("typ", [](ProofClaims& c) { c.typ = "JWT"; })),
       TokenError::kDpopProofTypInvalid});
  cases.push_back({"HMAC proof", dpop_request(access_token, proof(hmac, access_token)),
                   TokenError::kDpopProofAlgNotAllowed});
  cases.push_back({"EdDSA, not on this validator's list",
                   dpop_request(access_token, proof(eddsa, access_token)),
                   TokenError::kDpopProofAlgNotAllowed});
  {
    const std::string header =
        R"({"typ":"dpop+jwt","alg":"none","jwk":)" + proof_key.public_jwk(false, false) + "}";
    const std::string unsigned_proof =
        testing::base64url(header) + "." + testing::base64url(R"({"jti":"n","htm":"POST"})") + ".";
    cases.push_back({"alg none", dpop_request(access_token, unsigned_proof),
                     TokenError::kDpopProofAlgNotAllowed});
  }
  {
    std::string jwk = proof_key.public_jwk(false, false);
    jwk.insert(jwk.size() - 1, R"(,"d":"AAAA")");
    const std::string header = R"({"typ":"dpop+jwt","alg":"ES256","jwk":)" + jwk + "}";
    const std::string payload = R"({"jti":"priv","htm":"POST","htu":")" + std::string(kOrigin) +
                                R"(/payments/transfers","iat":)" + std::to_string(kNow) +
                                R"(,"ath":")" + sha256_base64url(access_token) + R"("})";
    cases.push_back({"private key in jwk",
                     dpop_request(access_token, proof_key.mint(header, payload)),
                     TokenError::kDpopProofPrivateKey});
  }
  cases.push_back({"oversized proof",
                   dpop_request(access_token, with_claims("big",
                                                          [](ProofClaims& c) {
                                                            c.htu = std::string(kOrigin) +
                                                                    "/payments/transfers?" +
                                                                    std::string(9000, 'a');
                                                          })),
                   TokenError::kDpopProofTooLarge});
  cases.push_back(
      {"cnf.jkt of another key",
       dpop_request(bound_token(other_key, {{"acr", "\"urn:example:hwk\""}}),
                    proof(proof_key, bound_token(other_key, {{"acr", "\"urn:example:hwk\""}}))),
       TokenError::kDpopProofKeyMismatch});
  cases.push_back({"unbound token under DPoP", dpop_request(unbound, proof(proof_key, unbound)),
                   TokenError::kDpopTokenNotBound, 401, "invalid_token"});
  {
    std::string tampered = proof(proof_key, access_token, {.jti = "sig"});
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    cases.push_back({"bad signature", dpop_request(access_token, tampered),
                     TokenError::kDpopProofSignatureInvalid});
  }
  for (const Case& c : cases) {
    const Decision decision = decide(engine, c.request);
    EXPECT_EQ(decision.token_error, c.expected)
        << c.name << ": " << token_error_name(decision.token_error);
    EXPECT_EQ(decision.status, c.status) << c.name;
    EXPECT_EQ(decision.error, c.error) << c.name;
    EXPECT_FALSE(decision.authorized) << c.name;
    EXPECT_EQ(decision.www_authenticate.rfind("DPoP ", 0), 0u) << c.name;
    EXPECT_NE(decision.www_authenticate.find("algs=\"ES256 ES384\""), std::string::npos)
        << c.name << ": " << decision.www_authenticate;
    EXPECT_EQ(decision.www_authenticate.find(access_token), std::string::npos) << c.name;
  }
}

TEST_F(DpopEngineTest, AProofIsGoodOnceAndItsQueryDoesNotCount) {
  const Engine engine = engine_with(R"(, "dpop": {})");
  const std::string access_token = bound_token(proof_key, {{"acr", "\"urn:example:hwk\""}});
  const std::string once = proof(proof_key, access_token, {.jti = "once"});
  EXPECT_EQ(
      decide(engine, dpop_request(access_token, once, "POST", "/payments/transfers?a=1")).status,
      200);
  const Decision replayed =
      decide(engine, dpop_request(access_token, once, "POST", "/payments/transfers?b=2"));
  EXPECT_EQ(replayed.token_error, TokenError::kDpopProofReplayed);
  EXPECT_EQ(replayed.status, 401);
  // A refused proof is not remembered: fixed, the same jti passes.
  const std::string late = proof(proof_key, access_token, {.jti = "late", .iat = kNow - 400});
  EXPECT_EQ(decide(engine, dpop_request(access_token, late)).token_error,
            TokenError::kDpopProofIatOutOfWindow);
  EXPECT_EQ(
      decide(engine, dpop_request(access_token, proof(proof_key, access_token, {.jti = "late"})))
          .status,
      200);
  // Many threads presenting one proof: exactly one passes.
  const std::string contested = proof(proof_key, access_token, {.jti = "contested"});
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (decide(engine, dpop_request(access_token, contested)).authorized) passed.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(passed.load(), 1);
}

TEST_F(DpopEngineTest, TheReplayCacheOutlivesAReload) {
  const std::string policy =
      document(kPolicy, {.validator_extra = R"(, "dpop": {})", .protected_resource = kResource});
  Engine engine = create_engine(policy);
  const std::string access_token = bound_token(proof_key, {{"acr", "\"urn:example:hwk\""}});
  const std::string once = proof(proof_key, access_token, {.jti = "reload"});
  EXPECT_EQ(decide(engine, dpop_request(access_token, once)).status, 200);
  ASSERT_TRUE(engine.reload_json(policy).ok());
  EXPECT_EQ(decide(engine, dpop_request(access_token, once)).token_error,
            TokenError::kDpopProofReplayed);
}

TEST_F(DpopEngineTest, RefusalsAreCountedByTokenErrorAndErrorCode) {
  const Engine engine = engine_with(R"(, "dpop": {})");
  const std::string access_token = bound_token(proof_key);
  decide(engine, dpop_request(access_token, proof(proof_key, access_token, {.htm = "GET"})));
  const MetricsSnapshot metrics = engine.metrics();
  bool counted = false;
  for (const MetricsSnapshot::TokenErrorCount& refusal : metrics.token_errors) {
    if (refusal.error == TokenError::kDpopProofMethodMismatch) counted = refusal.count == 1;
  }
  EXPECT_TRUE(counted);
}

TEST(DpopDocumentTest, TheDpopMemberIsCheckedWhenTheDocumentLoads) {
  struct Bad {
    std::string dpop;
    std::string resource;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {R"(, "dpop": {})", "", "validators[0].dpop: needs protected_resource.resource"},
      {R"(, "dpop": true)", kResource, "validators[0].dpop: must be an object"},
      {R"(, "dpop": {"algorithms": ["HS256"]})", kResource,
       "validators[0].dpop.algorithms[0]: must be an asymmetric algorithm"},
      {R"(, "dpop": {"algorithms": ["ES256", "ES256"]})", kResource,
       "validators[0].dpop.algorithms[1]: lists ES256 twice"},
      {R"(, "dpop": {"algorithms": []})", kResource,
       "validators[0].dpop.algorithms: must not be empty"},
      {R"(, "dpop": {"algorithms": ["ES999"]})", kResource,
       "validators[0].dpop.algorithms[0]: unknown algorithm"},
      {R"(, "dpop": {"max_age_seconds": 0})", kResource,
       "validators[0].dpop.max_age_seconds: must be an integer from 1 to 86400"},
      {R"(, "dpop": {"max_proof_bytes": 100})", kResource,
       "validators[0].dpop.max_proof_bytes: must be an integer from 256 to 65536"},
      {R"(, "dpop": {"nonce": true})", kResource, "validators[0].dpop"},
  };
  for (const Bad& b : bad) {
    const absl::StatusOr<Engine> engine = Engine::create(
        {.policy = PolicyText{
             document(kPolicy, {.validator_extra = b.dpop, .protected_resource = b.resource})}});
    ASSERT_FALSE(engine.ok()) << b.dpop;
    EXPECT_NE(engine.status().message().find(b.message), std::string::npos)
        << b.dpop << " -> " << engine.status().message();
  }
  EXPECT_FALSE(
      Engine::create({.policy = PolicyText{document(kPolicy)}, .dpop_replay_entries = 8}).ok());
}

TEST(DpopDocumentTest, TheMetadataListsTheDpopAlgorithms) {
  const Engine engine = create_engine(document(
      kPolicy,
      {.validator_extra = R"(, "dpop": {"required": true, "algorithms": ["EdDSA", "ES256"]})",
       .protected_resource = kResource}));
  const std::optional<ProtectedResourceMetadata> metadata = engine.protected_resource_metadata();
  ASSERT_TRUE(metadata);
  const JsonValue json = parse_object(metadata->json);
  const JsonValue* algs = json.find("dpop_signing_alg_values_supported");
  ASSERT_NE(algs, nullptr) << metadata->json;
  ASSERT_EQ(algs->items().size(), 2u);
  EXPECT_EQ(algs->items()[0].as_string(), "EdDSA");
  EXPECT_EQ(algs->items()[1].as_string(), "ES256");
  ASSERT_NE(json.find("dpop_bound_access_tokens_required"), nullptr);
  EXPECT_TRUE(json.find("dpop_bound_access_tokens_required")->as_bool());
  const Engine plain = create_engine(document(kPolicy, {.protected_resource = kResource}));
  EXPECT_EQ(plain.protected_resource_metadata()->json.find("dpop"), std::string::npos);
}

}  // namespace
}  // namespace stepup::engine_test
