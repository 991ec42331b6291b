// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "bench_fixture.h"

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>

namespace stepup::bench {
namespace {

std::string claims_json() {
  // About 450 bytes of signing input with the header, as access tokens go.
  return R"({"iss":"https://as.example.com","sub":"alice@example.com",)"
         R"("aud":"https://api.example.com","exp":)" +
         std::to_string(bench_now() + 3600) + R"(,"iat":)" + std::to_string(bench_now() - 60) +
         R"(,"auth_time":)" + std::to_string(bench_now() - 60) +
         R"(,"acr":"urn:example:mfa","amr":["pwd","otp"],)"
         R"("scope":"openid payments:read payments:write","client_id":"mobile-banking-app",)"
         R"("jti":"7c9e6679-7425-40de-944b-e07fc1f90ae7"})";
}

AlgorithmFixture make_fixture(Algorithm algorithm) {
  AlgorithmFixture f{
      .algorithm = algorithm,
      .key = testing::TestKey::generate(algorithm, std::string(algorithm_name(algorithm)) + "-key"),
  };
  const std::string header = R"({"alg":")" + std::string(algorithm_name(algorithm)) +
                             R"(","kid":")" + f.key.kid() + R"(","typ":"JWT"})";
  f.token = f.key.mint(header, claims_json());
  f.authorization = "Bearer " + f.token;
  if (algorithm == Algorithm::kHS256) {
    f.secret = f.key.secret();
  } else {
    f.public_pem = f.key.public_pem();
  }
  return f;
}

const ManualClock& bench_clock() {
  static const ManualClock clock(bench_now());
  return clock;
}

}  // namespace

int64_t bench_now() {
  static const int64_t now = std::time(nullptr);
  return now;
}

const AlgorithmFixture& fixture(Algorithm algorithm) {
  static std::mutex mutex;
  static std::map<Algorithm, AlgorithmFixture> fixtures;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = fixtures.find(algorithm);
  if (found == fixtures.end()) found = fixtures.emplace(algorithm, make_fixture(algorithm)).first;
  return found->second;
}

std::string example_policy(bool dpop) {
  std::string keys;
  for (Algorithm algorithm : kBenchAlgorithms) {
    if (!keys.empty()) keys += ",";
    keys += fixture(algorithm).key.public_jwk();
  }
  return R"json({
  "stepup": 1,
  "realm": "api.example.com",
  "validators": [
    { "name": "corporate-as", "type": "jwt",
      "issuer": "https://as.example.com",
      "audience": ["https://api.example.com"],
      "algorithms": ["RS256", "PS256", "ES256", "EdDSA", "HS256"],
      "jwks": {"keys": [)json" +
         keys + R"json(]},
      "typ": "JWT",
      "clock_skew_seconds": 60)json" +
         std::string(dpop ? R"json(, "dpop": {})json" : "") + R"json( }
  ],)json" +
         std::string(dpop ? R"json(
  "protected_resource": {"resource": "https://api.example.com"},)json"
                          : "") +
         R"json(
  "endpoints": [
    { "service": "payments", "base_path": "/payments" },
    { "service": "accounts", "base_path": "/accounts" }
  ],
  "acr_levels": ["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"],
  "policy": {
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
  }
})json";
}

Engine make_engine(bool token_cache, bool metrics, std::optional<DecisionLogOptions> log,
                   bool dpop) {
  EngineOptions options;
  options.metrics = metrics;
  options.decision_log = std::move(log);
  options.policy = PolicyText{example_policy(dpop)};
  options.clock = &bench_clock();
  options.token_cache.enabled = token_cache;
  absl::StatusOr<Engine> engine = Engine::create(std::move(options));
  if (!engine.ok()) {
    std::cerr << "bench policy refused: " << engine.status() << "\n";
    std::abort();
  }
  return *std::move(engine);
}

Request transfer_request(const AlgorithmFixture& fixture) {
  return Request{.method = "POST",
                 .path = "/payments/transfers/7",
                 .authorization = fixture.authorization,
                 .headers = {},
                 .client_ip = "203.0.113.7",
                 .validated_claims = nullptr};
}

}  // namespace stepup::bench
