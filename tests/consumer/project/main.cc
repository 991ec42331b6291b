// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// A service outside stepup's tree, on its public headers only, however it
// found the library (find_package, add_subdirectory or pkg-config; static or
// shared): it creates an engine from a policy text, then decides on a weak
// and a strong token, and checks the step-up challenge.
#include <iostream>
#include <string>

#include "stepup/stepup.h"

namespace {

constexpr int64_t kNow = 1800000000;

int fail(const std::string& what) {
  std::cerr << "consumer: " << what << "\n";
  return 1;
}

std::string policy(const std::string& jwk) {
  return R"json({"stepup": 1, "realm": "api.example.com",
  "validators": [{"name": "as", "type": "jwt", "issuer": "https://as.example.com",
    "audience": ["https://api.example.com"], "algorithms": ["ES256"],
    "jwks": {"keys": [)json" +
         jwk + R"json(]}}],
  "endpoints": [{"service": "payments", "base_path": "/payments"}],
  "acr_levels": ["urn:example:pwd", "urn:example:mfa"],
  "policy": {"name": "api", "combining": "deny-unless-permit", "children": [
    {"name": "transfers", "combining": "first-applicable", "rules": [
      {"name": "strong", "effect": "deny", "condition": "!acr_at_least('urn:example:mfa')",
       "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:mfa"}}]},
      {"name": "ok", "effect": "permit", "condition": "has(HttpRequest.AccessToken.sub)"}]}]}})json";
}

std::string claims(const std::string& acr) {
  return R"({"iss":"https://as.example.com","aud":"https://api.example.com","sub":"alice",)"
         R"("iat":1799999990,"exp":1800000600,"acr":")" +
         acr + R"("})";
}

}  // namespace

int main() {
  const absl::StatusOr<stepup::SigningKey> key =
      stepup::SigningKey::generate(stepup::Algorithm::kES256, "k1");
  if (!key.ok()) return fail(std::string(key.status().message()));
  absl::StatusOr<stepup::Engine> engine =
      stepup::Engine::create({.policy = stepup::PolicyText{policy(key->verification_jwk())}});
  if (!engine.ok()) return fail(std::string(engine.status().message()));

  stepup::DecideOptions options;
  options.now = kNow;
  const auto decide = [&](const std::string& acr) {
    const absl::StatusOr<std::string> token = key->mint_jwt(claims(acr));
    const std::string authorization = "Bearer " + token.value_or("");
    stepup::Request request;
    request.method = "POST";
    request.path = "/payments/transfers/7";
    request.authorization = authorization;
    return engine->decide(request, options);
  };

  const stepup::Decision weak = decide("urn:example:pwd");
  if (weak.authorized || weak.status != 401 || !weak.step_up ||
      weak.step_up->acr_values != std::vector<std::string>{"urn:example:mfa"}) {
    return fail("a weak token must get a step-up challenge, got " + weak.to_json());
  }
  const stepup::Decision strong = decide("urn:example:mfa");
  if (!strong.authorized || strong.status != 200) {
    return fail("a strong token must pass, got " + strong.to_json());
  }
  if (stepup::token_error_name(stepup::TokenError::kMalformedCompact).empty()) {
    return fail("token_error_name");
  }
  std::cout << "consumer: stepup " << stepup::kVersion << " decided: " << weak.status << " then "
            << strong.status << "\n";
  return 0;
}
