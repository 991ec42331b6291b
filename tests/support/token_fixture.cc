// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "support/token_fixture.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace stepup::testing {

std::string standard_header(Algorithm algorithm) {
  return std::string("{\"alg\":\"") + std::string(algorithm_name(algorithm)) + "\",\"kid\":\"" +
         TestKey::shared(algorithm).kid() + "\",\"typ\":\"at+jwt\"}";
}

std::string standard_claims(const std::string& extra) {
  std::string claims = std::string("{\"iss\":\"") + kTestIssuer + "\",\"aud\":\"" + kTestAudience +
                       "\",\"sub\":\"alice\",\"exp\":" + std::to_string(kTestNow + 600) +
                       ",\"iat\":" + std::to_string(kTestNow - 10) +
                       ",\"auth_time\":" + std::to_string(kTestNow - 60) +
                       ",\"acr\":\"urn:example:mfa\",\"scope\":\"read write\"";
  if (!extra.empty()) claims += "," + extra;
  return claims + "}";
}

std::string valid_token(Algorithm algorithm) {
  return TestKey::shared(algorithm).mint(standard_header(algorithm), standard_claims());
}

KeySet all_shared_keys() {
  std::string keys;
  for (Algorithm algorithm : all_algorithms()) {
    if (!keys.empty()) keys += ",";
    keys += TestKey::shared(algorithm).public_jwk();
  }
  absl::StatusOr<KeySet> set = KeySet::from_jwks("{\"keys\":[" + keys + "]}");
  if (!set.ok()) throw std::runtime_error(std::string(set.status().message()));
  return *std::move(set);
}

ValidatorOptions standard_validator(KeySet keys, std::vector<Algorithm> algorithms) {
  ValidatorOptions validator;
  validator.name = "test-as";
  validator.issuer = kTestIssuer;
  validator.audience = {kTestAudience};
  validator.algorithms = std::move(algorithms);
  validator.keys = std::move(keys);
  return validator;
}

TokenVerifier make_verifier(ValidatorOptions validator) {
  TokenVerifierOptions options;
  options.validators.push_back(std::move(validator));
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(std::move(options));
  if (!verifier.ok()) throw std::runtime_error(std::string(verifier.status().message()));
  return *std::move(verifier);
}

}  // namespace stepup::testing
