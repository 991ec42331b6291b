// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/token_error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace stepup {
namespace {

// The last enumerator (token_error.h keeps new codes at the end).
constexpr int kLastError = static_cast<int>(TokenError::kDpopReplayCacheFull);

TEST(TokenError, EveryCodeHasAUniqueNameAndDescription) {
  std::set<std::string_view> names, descriptions;
  for (int i = 0; i <= kLastError; ++i) {
    const auto error = static_cast<TokenError>(i);
    const std::string_view name = token_error_name(error);
    const std::string_view description = token_error_description(error);
    EXPECT_NE(name, "Unknown") << i;
    EXPECT_FALSE(description.empty()) << name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    EXPECT_TRUE(descriptions.insert(description).second) << "duplicate description " << name;
  }
}

TEST(TokenError, DescriptionsAreHeaderSafe) {
  // They become RFC 6750 error_description values: printable ASCII without
  // '"' or '\' (RFC 6750 §3).
  for (int i = 0; i <= kLastError; ++i) {
    for (char c : token_error_description(static_cast<TokenError>(i))) {
      EXPECT_TRUE(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') << i;
    }
  }
}

TEST(TokenError, OnlyMalformedHeadersAreRequestErrors) {
  for (int i = 0; i <= kLastError; ++i) {
    const auto error = static_cast<TokenError>(i);
    const bool expected = error == TokenError::kAuthorizationNotBearer ||
                          error == TokenError::kAuthorizationMalformed ||
                          error == TokenError::kDpopProofMultiple;
    EXPECT_EQ(is_request_error(error), expected) << token_error_name(error);
  }
}

TEST(TokenError, ProofRefusalsAreDpopProofErrorsAndTokenLevelOnesAreNot) {
  for (int i = 0; i <= kLastError; ++i) {
    const auto error = static_cast<TokenError>(i);
    const std::string_view name = token_error_name(error);
    // RFC 9449 §7.1: invalid_dpop_proof for a refused proof; the token's own
    // DPoP faults (not accepted, required, bound as Bearer, unbound) and
    // two DPoP headers (a request error) are not.
    const bool proof_refused = (name.starts_with("DpopProof") && name != "DpopProofMultiple") ||
                               name == "DpopReplayCacheFull";
    EXPECT_EQ(is_dpop_proof_error(error), proof_refused) << name;
    EXPECT_FALSE(is_dpop_proof_error(error) && is_request_error(error)) << name;
  }
}

}  // namespace
}  // namespace stepup
