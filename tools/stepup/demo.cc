// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// `stepup demo`: the seed's step-up story on an embedded policy (SPEC §2's
// example) and a key generated for this run.
#include <iomanip>
#include <string>
#include <vector>

#include "commands.h"
#include "stepup/engine.h"
#include "stepup/signing_key.h"

namespace stepup::cli {
namespace {

constexpr int64_t kDemoNow = 1800000000;  // 2027-01-15T08:00:00Z.

std::string demo_policy(const std::string& jwk) {
  return R"json({
  "stepup": 1,
  "realm": "api.example.com",
  "validators": [
    { "name": "corporate-as", "type": "jwt", "issuer": "https://as.example.com",
      "audience": ["https://api.example.com"], "algorithms": ["ES256"],
      "jwks": {"keys": [)json" +
         jwk + R"json(]} }
  ],
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
        "target": { "service": ["payments"], "action": ["inbound-POST"], "path": ["transfers/**"] },
        "combining": "first-applicable",
        "rules": [
          { "name": "strong", "effect": "deny",
            "condition": "!acr_at_least('urn:example:mfa')",
            "statements": [ { "code": "auth-challenge", "payload": { "min_acr": "urn:example:mfa" } } ] },
          { "name": "fresh", "effect": "deny",
            "condition": "authentication_age > 300",
            "statements": [ { "code": "auth-challenge", "payload": { "max_age": 300 } } ] },
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

std::string claims(const std::string& extra) {
  std::string json = R"({"iss":"https://as.example.com","aud":"https://api.example.com",)"
                     R"("sub":"alice","scope":"payments:write accounts:read",)"
                     R"("iat":1799999990,"exp":1800000600)";
  if (!extra.empty()) json += "," + extra;
  return json + "}";
}

struct Scene {
  const char* title;
  const char* note;
  std::string token;
};

}  // namespace

int run_demo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1) {
    err << "stepup demo takes no arguments\n";
    return kExitBadInput;
  }
  // Keys generated for this run, standing in for the authorization server
  // and for a forger who knows its kid. Nothing is persisted.
  absl::StatusOr<SigningKey> authority = SigningKey::generate(Algorithm::kES256, "demo-as-1");
  absl::StatusOr<SigningKey> impostor = SigningKey::generate(Algorithm::kES256, "demo-as-1");
  if (!authority.ok() || !impostor.ok()) {
    err << "stepup demo: cannot generate keys\n";
    return kExitBadInput;
  }
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{demo_policy(authority->verification_jwk())}});
  if (!engine.ok()) {
    err << "stepup demo: " << engine.status().message() << "\n";
    return kExitBadInput;
  }
  const std::string weak = R"("acr":"urn:example:pwd","auth_time":1799999900)";
  const std::string stale = R"("acr":"urn:example:mfa","auth_time":1799996400)";
  const std::string strong = R"("acr":"urn:example:mfa","auth_time":1799999880)";
  struct Draft {
    const char* title;
    const char* note;
    const SigningKey& key;
    std::string claims;
  };
  const Draft drafts[] = {
      {"weak token (acr urn:example:pwd)", "the client must step up to MFA", *authority,
       claims(weak)},
      {"stale token (MFA an hour ago)", "the client must authenticate again", *authority,
       claims(stale)},
      {"stepped-up token (MFA 2 minutes ago)", "the transfer proceeds", *authority, claims(strong)},
      {"token without acr or auth_time", "strength unknown: no step-up challenge", *authority,
       claims("")},
      {"forged token (signed by another key)", "refused before the policy runs", *impostor,
       claims(strong)},
  };
  std::vector<Scene> scenes;
  for (const Draft& draft : drafts) {
    absl::StatusOr<std::string> token = draft.key.mint_jwt(draft.claims);
    if (!token.ok()) {
      err << "stepup demo: " << token.status().message() << "\n";
      return kExitBadInput;
    }
    scenes.push_back({draft.title, draft.note, *std::move(token)});
  }
  out << "stepup demo: POST /payments/transfers/7, policy \"api\" (SPEC §2 example),\n"
      << "which needs acr urn:example:mfa or stronger, authentication at most 300 s old,\n"
      << "and scope payments:write.\n\n";
  int number = 1;
  for (const Scene& scene : scenes) {
    const std::string authorization = "Bearer " + scene.token;
    Request request;
    request.method = "POST";
    request.path = "/payments/transfers/7";
    request.authorization = authorization;
    DecideOptions options;
    options.now = kDemoNow;
    const Decision decision = engine->decide(request, options);
    out << number++ << ". " << scene.title << ": " << scene.note << "\n"
        << "   " << decision.status << " " << policy_result_name(decision.result);
    if (!decision.www_authenticate.empty()) {
      out << "\n   WWW-Authenticate: " << decision.www_authenticate;
    }
    out << "\n   reason: " << decision.reason << "\n\n";
  }
  return kExitOk;
}

}  // namespace stepup::cli
