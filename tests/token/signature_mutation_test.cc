// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Every bit of every signature flipped, every truncation: each refused with
// the precise reason.
#include <gtest/gtest.h>

#include "support/token_fixture.h"
#include "token/base64url.h"

namespace stepup {
namespace {

using testing::kTestNow;

class SignatureMutationTest : public ::testing::TestWithParam<Algorithm> {
 protected:
  SignatureMutationTest()
      : verifier_(testing::make_verifier(testing::standard_validator(testing::all_shared_keys()))) {
  }
  TokenError verify(std::string_view token) const {
    return verifier_.verify_at(token, kTestNow).error;
  }
  TokenVerifier verifier_;
};

TEST_P(SignatureMutationTest, EveryFlippedSignatureBitIsRefused) {
  const std::string token = testing::valid_token(GetParam());
  ASSERT_EQ(verify(token), TokenError::kOk);
  const std::size_t dot = token.rfind('.');
  std::string signature;
  ASSERT_TRUE(token_internal::decode_base64url(token.substr(dot + 1), signature));
  const std::string prefix = token.substr(0, dot + 1);
  for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
    std::string mutated = signature;
    mutated[bit / 8] = static_cast<char>(mutated[bit / 8] ^ (1 << (bit % 8)));
    ASSERT_EQ(verify(prefix + testing::base64url(mutated)), TokenError::kSignatureInvalid)
        << "bit " << bit;
  }
}

TEST_P(SignatureMutationTest, EveryTruncatedOrExtendedSignatureHasTheWrongLength) {
  const std::string token = testing::valid_token(GetParam());
  const std::size_t dot = token.rfind('.');
  std::string signature;
  ASSERT_TRUE(token_internal::decode_base64url(token.substr(dot + 1), signature));
  const std::string prefix = token.substr(0, dot + 1);
  for (std::size_t length = 1; length < signature.size(); ++length) {
    ASSERT_EQ(verify(prefix + testing::base64url(signature.substr(0, length))),
              TokenError::kSignatureLengthInvalid)
        << "length " << length;
  }
  EXPECT_EQ(verify(prefix + testing::base64url(signature + '\0')),
            TokenError::kSignatureLengthInvalid);
  EXPECT_EQ(verify(prefix + testing::base64url(std::string(1, '\0') + signature)),
            TokenError::kSignatureLengthInvalid);
}

TEST_P(SignatureMutationTest, EveryTruncatedTokenIsRefused) {
  const std::string token = testing::valid_token(GetParam());
  for (std::size_t length = 0; length < token.size(); ++length) {
    ASSERT_NE(verify(token.substr(0, length)), TokenError::kOk) << "length " << length;
  }
}

TEST_P(SignatureMutationTest, EveryFlippedPayloadBitIsRefused) {
  // A change to the signed bytes that still decodes must fail the signature;
  // one that breaks the JSON fails earlier. Either way: never accepted.
  const std::string token = testing::valid_token(GetParam());
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.rfind('.');
  const std::string claims = testing::standard_claims();
  for (std::size_t bit = 0; bit < claims.size() * 8; bit += 3) {
    std::string mutated = claims;
    mutated[bit / 8] = static_cast<char>(mutated[bit / 8] ^ (1 << (bit % 8)));
    const std::string forged =
        token.substr(0, dot1 + 1) + testing::base64url(mutated) + token.substr(dot2);
    ASSERT_NE(verify(forged), TokenError::kOk) << "bit " << bit;
  }
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, SignatureMutationTest,
                         ::testing::ValuesIn(testing::all_algorithms()),
                         [](const ::testing::TestParamInfo<Algorithm>& param_info) {
                           return std::string(algorithm_name(param_info.param));
                         });

}  // namespace
}  // namespace stepup
