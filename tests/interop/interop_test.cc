// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Tokens minted by an independent implementation (PyJWT with cryptography, run
// by mint_tokens.py as the ctest fixture interop.mint) must verify with
// stepup's public API exactly as the minter expects, for every algorithm.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "json/strict_json.h"
#include "stepup/algorithm.h"
#include "stepup/key_set.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "support/files.h"

namespace stepup {
namespace {

constexpr Algorithm kAllAlgorithms[] = {
    Algorithm::kRS256, Algorithm::kRS384, Algorithm::kRS512, Algorithm::kPS256, Algorithm::kPS384,
    Algorithm::kPS512, Algorithm::kES256, Algorithm::kES384, Algorithm::kES512, Algorithm::kEdDSA,
    Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512,
};
static_assert(std::size(kAllAlgorithms) == kAlgorithmCount);

std::string interop_dir() {
  const char* dir = std::getenv("STEPUP_INTEROP_DIR");
  return dir == nullptr ? "" : dir;
}

std::string string_member(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  EXPECT_TRUE(value != nullptr && value->is_string()) << "no string member " << name;
  return value != nullptr ? std::string(value->as_string()) : "";
}

TEST(Interop, PyJwtTokensVerifyAsTheMinterExpects) {
  const std::string dir = interop_dir();
  // Run through ctest (label interop), whose fixture mints the tokens first.
  ASSERT_FALSE(dir.empty()) << "STEPUP_INTEROP_DIR is not set: run `ctest -L interop`";

  absl::StatusOr<KeySet> keys = KeySet::from_jwks(testing::read_file(dir + "/jwks.json"));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->size(), static_cast<std::size_t>(kAlgorithmCount));

  ValidatorOptions validator;
  validator.issuer = "https://as.example.com";
  validator.audience = {"https://api.example.com"};
  validator.algorithms.assign(std::begin(kAllAlgorithms), std::end(kAllAlgorithms));
  validator.keys = *keys;
  TokenVerifierOptions options;
  options.validators.push_back(std::move(validator));
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(std::move(options));
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  // tokens.json is a JSON array; the strict reader takes objects only.
  JsonValue document;
  const std::string wrapped = "{\"cases\":" + testing::read_file(dir + "/tokens.json") + "}";
  ASSERT_EQ(json_internal::parse_json_object(wrapped, 8, document).error,
            json_internal::JsonError::kOk);
  const JsonValue* cases = document.find("cases");
  ASSERT_TRUE(cases != nullptr && cases->is_array());

  std::set<Algorithm> verified_ok;
  std::map<std::string, std::pair<int, int>> passed_per_alg;  // alg -> (passed, total)
  for (const JsonValue& test_case : cases->items()) {
    const std::string name = string_member(test_case, "name");
    const std::string alg = string_member(test_case, "alg");
    const std::string kid = string_member(test_case, "kid");
    const std::string token = string_member(test_case, "token");
    const std::string expect = string_member(test_case, "expect");
    SCOPED_TRACE(name);

    const TokenResult result = verifier->verify(token);
    const std::string_view actual = token_error_name(result.error);
    EXPECT_EQ(actual, expect) << "token: " << token;
    bool passed = actual == expect;

    if (expect == "Ok" && result.ok()) {
      const std::optional<Algorithm> algorithm = algorithm_from_name(alg);
      ASSERT_TRUE(algorithm.has_value()) << alg;
      const JsonValue* claims = test_case.find("claims");
      ASSERT_TRUE(claims != nullptr && claims->is_object());
      const JsonValue* auth_time = claims->find("auth_time");
      ASSERT_TRUE(auth_time != nullptr && auth_time->is_integer());
      const JsonValue* acr = result.claims.find("acr");
      const bool claims_match =
          result.claims.algorithm() == *algorithm && result.claims.key_id() == kid &&
          result.claims.subject() == string_member(*claims, "sub") && acr != nullptr &&
          acr->is_string() && acr->as_string() == string_member(*claims, "acr") &&
          result.claims.auth_time() == auth_time->as_integer();
      EXPECT_TRUE(claims_match) << "claims read back differ from what PyJWT signed: "
                                << result.claims.subject() << ", kid " << result.claims.key_id();
      passed = passed && claims_match;
      if (passed) verified_ok.insert(*algorithm);
    }
    auto& [passed_count, total] = passed_per_alg[alg];
    passed_count += passed ? 1 : 0;
    ++total;
  }

  // An empty or partial tokens.json must not pass.
  for (Algorithm algorithm : kAllAlgorithms) {
    EXPECT_TRUE(verified_ok.contains(algorithm))
        << "no PyJWT " << algorithm_name(algorithm) << " token verified";
  }
  for (const auto& [alg, counts] : passed_per_alg) {
    std::cout << "[ interop  ] " << alg << ": " << counts.first << "/" << counts.second
              << " cases as expected\n";
  }
}

}  // namespace
}  // namespace stepup
