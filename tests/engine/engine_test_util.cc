// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "engine_test_util.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "json/strict_json.h"

namespace stepup::engine_test {

std::string document(std::string_view policy, const DocumentOptions& options) {
  std::string out = "{\"stepup\": 1";
  if (options.realm) out += ", \"realm\": \"" + *options.realm + "\"";
  if (options.validators) {
    out += ", \"validators\": [{\"name\": \"test-as\", \"type\": \"jwt\", \"issuer\": \"";
    out += testing::kTestIssuer;
    out += "\", \"audience\": [\"";
    out += testing::kTestAudience;
    out += "\"], \"algorithms\": [\"ES256\"], \"jwks\": ";
    out += testing::TestKey::shared(Algorithm::kES256).jwks();
    out += options.validator_extra;
    out += "}]";
  }
  if (!options.protected_resource.empty()) {
    out += ", \"protected_resource\": " + options.protected_resource;
  }
  if (!options.endpoints.empty()) out += ", \"endpoints\": " + options.endpoints;
  if (!options.acr_levels.empty()) out += ", \"acr_levels\": " + options.acr_levels;
  out += ", \"policy\": ";
  out += policy;
  return out + "}";
}

std::string claims(const ClaimOverrides& overrides) {
  ClaimOverrides all = {
      {"iss", std::string("\"") + testing::kTestIssuer + "\""},
      {"aud", std::string("\"") + testing::kTestAudience + "\""},
      {"sub", "\"alice\""},
      {"exp", std::to_string(kNow + 600)},
      {"iat", std::to_string(kNow - 10)},
      {"auth_time", std::to_string(kNow - 60)},
      {"acr", "\"urn:example:mfa\""},
      {"scope", "\"read write\""},
  };
  for (const auto& [name, value] : overrides) {
    bool replaced = false;
    for (auto& claim : all) {
      if (claim.first == name) {
        claim.second = value;
        replaced = true;
      }
    }
    if (!replaced) all.emplace_back(name, value);
  }
  std::string out = "{";
  for (const auto& [name, value] : all) {
    if (value.empty()) continue;
    if (out.size() > 1) out += ",";
    out += "\"" + name + "\":" + value;
  }
  return out + "}";
}

std::string token(std::string_view claims_json) {
  return testing::TestKey::shared(Algorithm::kES256)
      .mint(testing::standard_header(Algorithm::kES256), claims_json);
}

std::string bearer(const ClaimOverrides& overrides) {
  return "Bearer " + token(claims(overrides));
}

Engine create_engine(std::string policy_json, const Clock* clock) {
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{std::move(policy_json)}, .clock = clock});
  if (!engine.ok()) throw std::runtime_error("Engine::create: " + engine.status().ToString());
  return *std::move(engine);
}

TestRequest& TestRequest::validated_claims(std::string_view json) {
  claims_ = parse_object(json);
  return *this;
}

Request TestRequest::view() const {
  header_views_.clear();
  for (const auto& [name, value] : headers_)
    header_views_.push_back({name, value});
  Request request;
  request.method = method_;
  request.path = path_;
  if (authorization_) request.authorization = *authorization_;
  request.headers = header_views_;
  request.client_ip = client_ip_;
  request.validated_claims = claims_ ? &*claims_ : nullptr;
  return request;
}

Decision decide(const Engine& engine, const TestRequest& request, int64_t now, bool explain) {
  DecideOptions options;
  options.now = now;
  options.explain = explain;
  return engine.decide(request.view(), options);
}

JsonValue parse_object(std::string_view json) {
  JsonValue value;
  const json_internal::JsonParseResult parsed = json_internal::parse_json_object(json, 64, value);
  EXPECT_EQ(parsed.error, json_internal::JsonError::kOk) << "not a JSON object: " << json;
  return value;
}

std::optional<std::string> explained_attribute(const Decision& decision, std::string_view name) {
  if (!decision.explanation) return std::nullopt;
  for (const auto& [attribute, value] : decision.explanation->attributes) {
    if (attribute == name) return value;
  }
  return std::nullopt;
}

}  // namespace stepup::engine_test
