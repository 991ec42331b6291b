// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// SigningKey: what it mints, the library's own verifier accepts; what it
// is refused, it says why.
#include "stepup/signing_key.h"

#include <string>

#include "gtest/gtest.h"
#include "stepup/json_value.h"
#include "stepup/token_verifier.h"

namespace stepup {
namespace {

constexpr int64_t kNow = 1800000000;
constexpr const char* kClaims =
    R"({"iss":"https://as.example","aud":"api","sub":"alice","exp":1800000600})";

// Verifies `token` with a verifier that trusts `jwks` for `algorithm`.
TokenResult verify(const std::string& jwks, Algorithm algorithm, const std::string& token) {
  absl::StatusOr<KeySet> keys = KeySet::from_jwks(jwks);
  EXPECT_TRUE(keys.ok()) << keys.status();
  if (!keys.ok()) return {};
  TokenVerifierOptions options;
  options.validators.push_back(ValidatorOptions{.issuer = "https://as.example",
                                                .audience = {"api"},
                                                .algorithms = {algorithm},
                                                .keys = *keys});
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(std::move(options));
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return verifier.ok() ? verifier->verify_at(token, kNow) : TokenResult{};
}

class SigningKeyEachAlgorithm : public ::testing::TestWithParam<Algorithm> {};

TEST_P(SigningKeyEachAlgorithm, MintsWhatTheVerifierAccepts) {
  absl::StatusOr<SigningKey> key = SigningKey::generate(GetParam(), "k1");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->algorithm(), GetParam());
  EXPECT_EQ(key->kid(), "k1");
  absl::StatusOr<std::string> token = key->mint_jwt(kClaims);
  ASSERT_TRUE(token.ok()) << token.status();
  const TokenResult result = verify(key->verification_jwks(), GetParam(), *token);
  EXPECT_EQ(result.error, TokenError::kOk) << token_error_name(result.error);
  // Another key of the same algorithm does not verify it.
  absl::StatusOr<SigningKey> other = SigningKey::generate(GetParam(), "k1");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(verify(other->verification_jwks(), GetParam(), *token).error,
            TokenError::kSignatureInvalid);
}

TEST_P(SigningKeyEachAlgorithm, PrivatePemRoundTrips) {
  absl::StatusOr<SigningKey> key = SigningKey::generate(GetParam(), "k1");
  ASSERT_TRUE(key.ok());
  if (GetParam() == Algorithm::kHS256 || GetParam() == Algorithm::kHS384 ||
      GetParam() == Algorithm::kHS512) {
    EXPECT_EQ(key->private_pem(), "");
    EXPECT_EQ(key->public_pem(), "");
    return;
  }
  EXPECT_NE(key->public_pem().find("BEGIN PUBLIC KEY"), std::string::npos);
  absl::StatusOr<SigningKey> loaded = SigningKey::from_pem(GetParam(), key->private_pem(), "k1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  absl::StatusOr<std::string> token = loaded->mint_jwt(kClaims);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(verify(key->verification_jwks(), GetParam(), *token).error, TokenError::kOk);
}

INSTANTIATE_TEST_SUITE_P(All, SigningKeyEachAlgorithm,
                         ::testing::Values(Algorithm::kRS256, Algorithm::kPS384, Algorithm::kES256,
                                           Algorithm::kES384, Algorithm::kES512, Algorithm::kEdDSA,
                                           Algorithm::kHS256, Algorithm::kHS512),
                         [](const ::testing::TestParamInfo<Algorithm>& param) {
                           return std::string(algorithm_name(param.param));
                         });

TEST(SigningKeyTest, WithAlgorithmStaysWithinWhatTheKeyCanDo) {
  absl::StatusOr<SigningKey> rsa = SigningKey::generate(Algorithm::kRS256, "r");
  ASSERT_TRUE(rsa.ok());
  absl::StatusOr<SigningKey> pss = rsa->with_algorithm(Algorithm::kPS256, "p");
  ASSERT_TRUE(pss.ok()) << pss.status();
  EXPECT_EQ(pss->kid(), "p");
  EXPECT_EQ(rsa->kid(), "r");  // The original is unchanged.
  EXPECT_FALSE(rsa->with_algorithm(Algorithm::kHS256, "h").ok());
  EXPECT_FALSE(rsa->with_algorithm(Algorithm::kES256, "e").ok());

  absl::StatusOr<SigningKey> ec = SigningKey::generate(Algorithm::kES256, "e");
  ASSERT_TRUE(ec.ok());
  const absl::StatusOr<SigningKey> other_curve = ec->with_algorithm(Algorithm::kES384, "e");
  ASSERT_FALSE(other_curve.ok());
  EXPECT_NE(other_curve.status().message().find("cannot sign ES384"), std::string::npos);
}

TEST(SigningKeyTest, RefusesKeysThatCannotPerformTheAlgorithm) {
  EXPECT_FALSE(SigningKey::from_secret(Algorithm::kRS256, "secret").ok());
  absl::StatusOr<SigningKey> p256 = SigningKey::generate(Algorithm::kES256);
  ASSERT_TRUE(p256.ok());
  EXPECT_FALSE(SigningKey::from_pem(Algorithm::kES384, p256->private_pem()).ok());
  EXPECT_FALSE(SigningKey::from_pem(Algorithm::kRS256, p256->private_pem()).ok());
  const absl::StatusOr<SigningKey> garbage = SigningKey::from_pem(Algorithm::kES256, "not pem");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("PEM private key"), std::string::npos);
  // A public key is not a signing key.
  EXPECT_FALSE(SigningKey::from_pem(Algorithm::kES256, p256->public_pem()).ok());
}

TEST(SigningKeyTest, HeaderAndJwkAreJsonWhateverTheKid) {
  const std::string kid = "a\"b\\c";
  absl::StatusOr<SigningKey> key = SigningKey::from_secret(Algorithm::kHS256, "s3cret", kid);
  ASSERT_TRUE(key.ok());
  const std::optional<JsonValue> jwk = JsonValue::parse_object(key->verification_jwk(), 4);
  ASSERT_TRUE(jwk.has_value()) << key->verification_jwk();
  ASSERT_NE(jwk->find("kid"), nullptr);
  EXPECT_EQ(jwk->find("kid")->as_string(), kid);
  EXPECT_EQ(jwk->find("k")->as_string(), "czNjcmV0");  // base64url("s3cret")
  const std::optional<JsonValue> bare =
      JsonValue::parse_object(key->verification_jwk(false, false), 4);
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->find("kid"), nullptr);
  EXPECT_EQ(bare->find("alg"), nullptr);
}

TEST(SigningKeyTest, MintJwtRefusesATypThatWouldBreakTheHeader) {
  absl::StatusOr<SigningKey> key = SigningKey::generate(Algorithm::kHS256);
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->mint_jwt("{}", "dpop+jwt").ok());
  EXPECT_FALSE(key->mint_jwt("{}", "a\",\"alg\":\"none").ok());
  EXPECT_FALSE(key->mint_jwt("{}", "").ok());
}

TEST(SigningKeyTest, EcdsaSignaturesHaveTheJwsLength) {
  for (const auto& [algorithm, size] :
       {std::pair{Algorithm::kES256, 64u}, {Algorithm::kES384, 96u}, {Algorithm::kES512, 132u}}) {
    absl::StatusOr<SigningKey> key = SigningKey::generate(algorithm);
    ASSERT_TRUE(key.ok());
    for (int i = 0; i < 20; ++i) {
      absl::StatusOr<std::string> signature = key->sign("input" + std::to_string(i));
      ASSERT_TRUE(signature.ok());
      EXPECT_EQ(signature->size(), size) << algorithm_name(algorithm);
    }
  }
}

}  // namespace
}  // namespace stepup
