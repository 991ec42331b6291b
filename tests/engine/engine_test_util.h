// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Helpers for the engine tests: policy documents around the shared ES256 test
// key, tokens with chosen claims, and requests that own their data.
#ifndef STEPUP_TESTS_ENGINE_ENGINE_TEST_UTIL_H_
#define STEPUP_TESTS_ENGINE_ENGINE_TEST_UTIL_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepup/decision.h"
#include "stepup/decision_log.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/request.h"
#include "support/token_fixture.h"

namespace stepup {

// Lets gtest print results by name.
inline void PrintTo(PolicyResult result, std::ostream* out) {
  *out << policy_result_name(result);
}

}  // namespace stepup

namespace stepup::engine_test {

inline constexpr int64_t kNow = testing::kTestNow;
inline constexpr const char* kRealm = "api.example.com";

// The challenge every 401 without an error carries for kRealm.
inline constexpr const char* kBareChallenge = "Bearer realm=\"api.example.com\"";

struct DocumentOptions {
  // nullopt: no "realm" member at all.
  std::optional<std::string> realm = kRealm;
  std::string endpoints = R"([{"service": "payments", "base_path": "/payments"},)"
                          R"( {"service": "accounts", "base_path": "/accounts"}])";
  std::string acr_levels = R"(["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"])";
  // False: no "validators" member (no token can be validated).
  bool validators = true;
  // Appended to the validator's members, such as `, "dpop": {}`.
  std::string validator_extra = {};
  // The "protected_resource" member's JSON; empty: none.
  std::string protected_resource = {};
};

// A policy document with one validator for the shared ES256 key (inline
// JWKS), around `policy` (the JSON of the root node).
std::string document(std::string_view policy, const DocumentOptions& options = {});

// The claims of a valid access token at kNow: iss, aud, sub "alice",
// exp now+600, iat now-10, auth_time now-60, acr urn:example:mfa and scope
// "read write". Each override replaces a claim's JSON value (or appends a new
// claim); an override with an empty value removes the claim.
using ClaimOverrides = std::vector<std::pair<std::string, std::string>>;
std::string claims(const ClaimOverrides& overrides = {});

// A compact JWS of `claims_json` signed with the shared ES256 key.
std::string token(std::string_view claims_json);
// "Bearer " + token(claims(overrides)).
std::string bearer(const ClaimOverrides& overrides = {});

// A policy root where POST needs urn:example:hwk (a step-up challenge
// otherwise) and anything else a token with `sub`: rules "needs hwk" and
// "signed in".
inline constexpr const char* kPostNeedsHwkPolicy = R"j({"name": "root",
    "combining": "first-applicable", "rules": [
      {"name": "needs hwk", "effect": "deny", "target": {"action": ["inbound-POST"]},
       "condition": "!acr_at_least('urn:example:hwk')",
       "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]},
      {"name": "signed in", "effect": "permit",
       "condition": "has(HttpRequest.AccessToken.sub)"}]})j";

// A decision log sink that keeps every record, for tests to read once the
// engine (and so the log) is gone.
class CollectingSink : public DecisionLogSink {
 public:
  void write(std::string_view record) override {
    std::lock_guard<std::mutex> lock(mutex_);
    records_.emplace_back(record);
  }
  std::vector<std::string> records() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return records_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> records_;
};

// Engine::create from text; throws (failing the test) on error.
Engine create_engine(std::string policy_json, const Clock* clock = nullptr);

// A request that owns its strings; view() is the stepup::Request.
class TestRequest {
 public:
  TestRequest(std::string method, std::string path)
      : method_(std::move(method)), path_(std::move(path)) {}

  TestRequest& authorization(std::string value) {
    authorization_ = std::move(value);
    return *this;
  }
  TestRequest& header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  TestRequest& client_ip(std::string ip) {
    client_ip_ = std::move(ip);
    return *this;
  }
  // Parses `json` (an object) as validated claims.
  TestRequest& validated_claims(std::string_view json);

  Request view() const;

 private:
  std::string method_;
  std::string path_;
  std::optional<std::string> authorization_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string client_ip_;
  std::optional<JsonValue> claims_;
  mutable std::vector<Header> header_views_;
};

Decision decide(const Engine& engine, const TestRequest& request, int64_t now = kNow,
                bool explain = false);

// A JSON object parsed with the library's strict reader; fails the test on
// error.
JsonValue parse_object(std::string_view json);

// The value of an explained attribute (its JSON text), or nullopt.
std::optional<std::string> explained_attribute(const Decision& decision, std::string_view name);

}  // namespace stepup::engine_test

#endif  // STEPUP_TESTS_ENGINE_ENGINE_TEST_UTIL_H_
