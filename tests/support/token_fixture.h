// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_SUPPORT_TOKEN_FIXTURE_H_
#define STEPUP_TESTS_SUPPORT_TOKEN_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "stepup/token_verifier.h"
#include "support/token_minter.h"

namespace stepup::testing {

// The instant every token test runs at: 2027-01-15T08:00:00Z.
inline constexpr int64_t kTestNow = 1'800'000'000;
inline constexpr const char* kTestIssuer = "https://as.example.com";
inline constexpr const char* kTestAudience = "https://api.example.com";

inline const std::vector<Algorithm>& all_algorithms() {
  static const std::vector<Algorithm> all = {
      Algorithm::kRS256, Algorithm::kRS384, Algorithm::kRS512, Algorithm::kPS256, Algorithm::kPS384,
      Algorithm::kPS512, Algorithm::kES256, Algorithm::kES384, Algorithm::kES512, Algorithm::kEdDSA,
      Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512};
  return all;
}

// {"alg":..., "kid":..., "typ":"at+jwt"} for the shared key of `algorithm`.
std::string standard_header(Algorithm algorithm);

// Claims of a valid access token at kTestNow; `extra` members (already
// JSON, without braces) are appended.
std::string standard_claims(const std::string& extra = "");

// A valid token signed with the shared key of `algorithm`.
std::string valid_token(Algorithm algorithm);

// A JWKS with the public shared key of every algorithm.
KeySet all_shared_keys();

// One validator for kTestIssuer/kTestAudience allowing `algorithms`.
ValidatorOptions standard_validator(KeySet keys,
                                    std::vector<Algorithm> algorithms = all_algorithms());

// A verifier built from `validator`; fails the test if creation fails.
TokenVerifier make_verifier(ValidatorOptions validator);

}  // namespace stepup::testing

#endif  // STEPUP_TESTS_SUPPORT_TOKEN_FIXTURE_H_
