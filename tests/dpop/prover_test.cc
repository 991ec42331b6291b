// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The client's proofs (stepup/dpop_prover.h): each algorithm's proof passes
// the resource server's checks for its request and token, names the key the
// thumbprint names, and is refused for another request.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <set>
#include <string>

#include "dpop/proof.h"
#include "json/strict_json.h"
#include "stepup/dpop_prover.h"
#include "support/token_minter.h"

namespace stepup::dpop {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

ProofCheck check_for(Algorithm algorithm, const std::string& thumbprint) {
  ProofCheck check;
  check.algorithms = token_internal::algorithm_bit(algorithm);
  check.method = "POST";
  check.uri = "https://api.example.com/payments/7";
  check.access_token = kToken;
  check.bound_thumbprint = thumbprint;
  check.now = kNow;
  return check;
}

class ProverPerAlgorithm : public ::testing::TestWithParam<Algorithm> {};

TEST_P(ProverPerAlgorithm, ItsProofsPassForTheirRequestOnly) {
  absl::StatusOr<SigningKey> key = SigningKey::generate(GetParam());
  ASSERT_TRUE(key.ok()) << key.status();
  absl::StatusOr<DpopProver> prover = DpopProver::create(*key);
  ASSERT_TRUE(prover.ok()) << prover.status();
  const ProofCheck check = check_for(GetParam(), prover->thumbprint());
  absl::StatusOr<std::string> proof =
      prover->proof("POST", "https://api.example.com/payments/7?dry=1#x", kToken, kNow);
  ASSERT_TRUE(proof.ok()) << proof.status();
  VerifiedProof verified;
  EXPECT_EQ(verify_proof(*proof, check, verified), TokenError::kOk);
  EXPECT_EQ(verified.thumbprint, prover->thumbprint());
  EXPECT_EQ(verified.jti.size(), 22u) << "128 random bits, base64url";

  ProofCheck other_method = check;
  other_method.method = "GET";
  EXPECT_EQ(verify_proof(*proof, other_method, verified), TokenError::kDpopProofMethodMismatch);
  ProofCheck other_token = check;
  other_token.access_token = "another.token.value";
  EXPECT_EQ(verify_proof(*proof, other_token, verified), TokenError::kDpopProofAthMismatch);
  // Without an access token there is no ath (the token request, RFC 9449 §5).
  absl::StatusOr<std::string> for_token_request =
      prover->proof("POST", "https://as.example.com/token", "", kNow);
  ASSERT_TRUE(for_token_request.ok());
  ProofCheck token_request = check;
  token_request.uri = "https://as.example.com/token";
  token_request.access_token = "";
  EXPECT_EQ(verify_proof(*for_token_request, token_request, verified), TokenError::kOk);
}

INSTANTIATE_TEST_SUITE_P(Asymmetric, ProverPerAlgorithm,
                         ::testing::Values(Algorithm::kES256, Algorithm::kES384, Algorithm::kRS256,
                                           Algorithm::kPS256, Algorithm::kEdDSA),
                         [](const auto& test) { return std::string(algorithm_name(test.param)); });

TEST(ProverTest, TheThumbprintIsRfc7638OfTheEcKey) {
  const testing::TestKey& key = testing::TestKey::shared(Algorithm::kES256);
  absl::StatusOr<DpopProver> prover = DpopProver::create(key.signing_key());
  ASSERT_TRUE(prover.ok());
  JsonValue jwk;
  ASSERT_EQ(json_internal::parse_json_object(key.public_jwk(false, false), 4, jwk).error,
            json_internal::JsonError::kOk);
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" +
                                std::string(jwk.find("x")->as_string()) + R"(","y":")" +
                                std::string(jwk.find("y")->as_string()) + R"("})";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  EXPECT_EQ(prover->thumbprint(),
            testing::base64url(std::string_view(reinterpret_cast<const char*>(digest), 32)));
}

TEST(ProverTest, RefusesHmacKeysAndRelativeUris) {
  absl::StatusOr<SigningKey> hmac = SigningKey::generate(Algorithm::kHS256);
  ASSERT_TRUE(hmac.ok());
  EXPECT_FALSE(DpopProver::create(*hmac).ok());
  absl::StatusOr<DpopProver> prover =
      DpopProver::create(testing::TestKey::shared(Algorithm::kES256).signing_key());
  ASSERT_TRUE(prover.ok());
  EXPECT_FALSE(prover->proof("GET", "/payments", "", kNow).ok());
  std::set<std::string> jtis;
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<std::string> proof = prover->proof("GET", "https://a.example/", "", kNow);
    ASSERT_TRUE(proof.ok());
    jtis.insert(*proof);
  }
  EXPECT_EQ(jtis.size(), 50u) << "each proof its own jti";
}

}  // namespace
}  // namespace stepup::dpop
