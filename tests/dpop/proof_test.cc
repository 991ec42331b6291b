// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// DPoP proofs minted at test time: valid ones for each asymmetric family,
// and each hostile proof with its exact refusal (RFC 9449 §4.3).
#include "dpop/proof.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpop/jwk_thumbprint.h"
#include "dpop/replay_cache.h"
#include "stepup/json_value.h"
#include "support/token_minter.h"

namespace stepup::dpop {
namespace {

using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kUri = "https://api.example.com/payments/7";
constexpr const char* kToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

std::string header_for(const TestKey& key, const std::string& typ = "dpop+jwt") {
  return R"({"typ":")" + typ + R"(","alg":")" + std::string(algorithm_name(key.algorithm())) +
         R"(","jwk":)" + key.public_jwk(/*with_kid=*/false, /*with_alg=*/false) + "}";
}

std::string payload(const std::string& jti = "proof-1", int64_t iat = kNow,
                    const std::string& htm = "POST", const std::string& htu = kUri,
                    const std::string& ath = access_token_hash(kToken)) {
  std::string out = R"({"jti":")" + jti + R"(","htm":")" + htm + R"(","htu":")" + htu +
                    R"(","iat":)" + std::to_string(iat);
  if (!ath.empty()) out += R"(,"ath":")" + ath + R"(")";
  return out + "}";
}

ProofCheck check_for(token_internal::AlgorithmMask algorithms) {
  ProofCheck check;
  check.algorithms = algorithms;
  check.method = "POST";
  check.uri = kUri;
  check.access_token = kToken;
  check.now = kNow;
  return check;
}

token_internal::AlgorithmMask asymmetric() {
  token_internal::AlgorithmMask mask = 0;
  for (Algorithm a : {Algorithm::kRS256, Algorithm::kPS256, Algorithm::kES256, Algorithm::kES384,
                      Algorithm::kEdDSA})
    mask |= token_internal::algorithm_bit(a);
  return mask;
}

TokenError verify(const std::string& proof, const ProofCheck& check = check_for(asymmetric())) {
  VerifiedProof out;
  return verify_proof(proof, check, out);
}

class ProofPerAlgorithm : public ::testing::TestWithParam<Algorithm> {};

TEST_P(ProofPerAlgorithm, AValidProofGivesItsKeysThumbprint) {
  const TestKey& key = TestKey::shared(GetParam());
  VerifiedProof out;
  ASSERT_EQ(verify_proof(key.mint(header_for(key), payload()), check_for(asymmetric()), out),
            TokenError::kOk);
  const std::optional<JsonValue> jwk = JsonValue::parse_object(key.public_jwk(false, false), 8);
  ASSERT_TRUE(jwk.has_value());
  EXPECT_EQ(out.thumbprint, jwk_thumbprint(*jwk));
  EXPECT_EQ(out.jti, "proof-1");
  EXPECT_EQ(out.remember_until, kNow + 300);
}

INSTANTIATE_TEST_SUITE_P(Asymmetric, ProofPerAlgorithm,
                         ::testing::Values(Algorithm::kES256, Algorithm::kRS256, Algorithm::kPS256,
                                           Algorithm::kEdDSA),
                         [](const auto& test) { return std::string(algorithm_name(test.param)); });

TEST(ProofTest, HostileProofsEachGetTheirRefusal) {
  const TestKey& key = TestKey::shared(Algorithm::kES256);
  const TestKey& other = TestKey::shared(Algorithm::kES384);
  const TestKey& rsa = TestKey::shared(Algorithm::kRS256);
  const std::string header = header_for(key);
  EXPECT_EQ(verify(key.mint(header, payload())), TokenError::kOk);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow, "GET"))),
            TokenError::kDpopProofMethodMismatch);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow, "post"))),
            TokenError::kDpopProofMethodMismatch);
  EXPECT_EQ(
      verify(key.mint(header, payload("p", kNow, "POST", "https://api.example.com/payments/8"))),
      TokenError::kDpopProofUriMismatch);
  EXPECT_EQ(
      verify(key.mint(header, payload("p", kNow, "POST", "http://api.example.com/payments/7"))),
      TokenError::kDpopProofUriMismatch);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow, "POST", "https://evil.example/payments/7"))),
            TokenError::kDpopProofUriMismatch);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow, "POST", kUri + std::string("?a=1#f")))),
            TokenError::kOk)
      << "RFC 9449 §4.3: htu is compared without query and fragment";
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow, "POST", kUri, ""))),
            TokenError::kDpopProofAthMissing);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow, "POST", kUri, access_token_hash("x")))),
            TokenError::kDpopProofAthMismatch);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow - 300))), TokenError::kOk);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow - 301))),
            TokenError::kDpopProofIatOutOfWindow);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow + 60))), TokenError::kOk);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow + 61))),
            TokenError::kDpopProofIatOutOfWindow);
  EXPECT_EQ(verify(key.mint(header, payload("p", kNow - 86400 * 365))),
            TokenError::kDpopProofIatOutOfWindow);
  EXPECT_EQ(verify(key.mint(header_for(key, "JWT"), payload())), TokenError::kDpopProofTypInvalid);
  EXPECT_EQ(
      verify(key.mint(R"({"alg":"ES256","jwk":)" + key.public_jwk(false, false) + "}", payload())),
      TokenError::kDpopProofTypInvalid);
  EXPECT_EQ(verify(key.mint(R"({"typ":"dpop+jwt","alg":"ES256"})", payload())),
            TokenError::kDpopProofKeyMissing);
  // The proof's key is not the one that signed it.
  EXPECT_EQ(verify(other.mint(
                R"({"typ":"dpop+jwt","alg":"ES384","jwk":)" + key.public_jwk(false, false) + "}",
                payload())),
            TokenError::kDpopProofKeyInvalid)
      << "a P-256 key cannot verify ES384";
  // Another proof's signature under the same key.
  const std::string genuine = key.mint(header, payload());
  const std::string elsewhere = key.mint(header, payload("another"));
  const std::string forged =
      genuine.substr(0, genuine.rfind('.') + 1) + elsewhere.substr(elsewhere.rfind('.') + 1);
  EXPECT_EQ(verify(forged), TokenError::kDpopProofSignatureInvalid);
  EXPECT_EQ(verify(rsa.mint(
                R"({"typ":"dpop+jwt","alg":"ES256","jwk":)" + rsa.public_jwk(false, false) + "}",
                payload())),
            TokenError::kDpopProofKeyInvalid);
  // A private key in the header, whatever the signature.
  std::string private_jwk = key.public_jwk(false, false);
  private_jwk.insert(private_jwk.size() - 1, R"(,"d":"AAAA")");
  EXPECT_EQ(
      verify(key.mint(R"({"typ":"dpop+jwt","alg":"ES256","jwk":)" + private_jwk + "}", payload())),
      TokenError::kDpopProofPrivateKey);
  // none and HMAC.
  const std::string unsigned_proof = testing::base64url(R"({"typ":"dpop+jwt","alg":"none","jwk":)" +
                                                        key.public_jwk(false, false) + "}") +
                                     "." + testing::base64url(payload()) + ".";
  EXPECT_EQ(verify(unsigned_proof), TokenError::kDpopProofAlgNotAllowed);
  const TestKey& hmac = TestKey::shared(Algorithm::kHS256);
  EXPECT_EQ(verify(hmac.mint(R"({"typ":"dpop+jwt","alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}})",
                             payload())),
            TokenError::kDpopProofAlgNotAllowed);
  ProofCheck with_hmac = check_for(asymmetric() | token_internal::algorithm_bit(Algorithm::kHS256));
  EXPECT_EQ(verify(hmac.mint(R"({"typ":"dpop+jwt","alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}})",
                             payload()),
                   with_hmac),
            TokenError::kDpopProofAlgNotAllowed)
      << "an HMAC proof is refused even when the list names HS256";
  // Not on the allow-list.
  EXPECT_EQ(verify(key.mint(header, payload()),
                   check_for(token_internal::algorithm_bit(Algorithm::kRS256))),
            TokenError::kDpopProofAlgNotAllowed);
  // Missing claims.
  EXPECT_EQ(verify(key.mint(
                header, R"({"htm":"POST","htu":")" + std::string(kUri) + R"(","iat":1800000000})")),
            TokenError::kDpopProofClaimMissing);
  EXPECT_EQ(verify(key.mint(header, R"({"jti":"x","htm":"POST","htu":")" + std::string(kUri) +
                                        R"(","iat":"1800000000"})")),
            TokenError::kDpopProofClaimMissing);
  // Too large, and not a JWS.
  EXPECT_EQ(verify(key.mint(header, payload(std::string(9000, 'j')))),
            TokenError::kDpopProofTooLarge);
  EXPECT_EQ(verify("not.a.jws"), TokenError::kDpopProofMalformed);
  EXPECT_EQ(verify(""), TokenError::kDpopProofMalformed);
}

TEST(ProofTest, ABoundTokenNeedsTheProofOfItsKey) {
  const TestKey& key = TestKey::shared(Algorithm::kES256);
  const TestKey& other = TestKey::shared(Algorithm::kEdDSA);
  ProofCheck check = check_for(asymmetric());
  const std::optional<JsonValue> jwk = JsonValue::parse_object(key.public_jwk(false, false), 8);
  const std::string bound = jwk_thumbprint(*jwk).value();
  check.bound_thumbprint = bound;
  EXPECT_EQ(verify(key.mint(header_for(key), payload()), check), TokenError::kOk);
  EXPECT_EQ(verify(other.mint(header_for(other), payload()), check),
            TokenError::kDpopProofKeyMismatch);
}

TEST(ProofTest, TheKeysAlgAndUseCountWhateverWasSeenBefore) {
  const TestKey& key = TestKey::shared(Algorithm::kES256);
  const std::string jwk = key.public_jwk(false, false);
  const auto with_member = [&](const std::string& member) {
    std::string out = jwk;
    out.insert(out.size() - 1, "," + member);
    return key.mint(R"({"typ":"dpop+jwt","alg":"ES256","jwk":)" + out + "}", payload());
  };
  // The bare key first, so that this thread has imported its material.
  EXPECT_EQ(verify(key.mint(header_for(key), payload())), TokenError::kOk);
  EXPECT_EQ(verify(with_member(R"("use":"enc")")), TokenError::kDpopProofKeyInvalid);
  EXPECT_EQ(verify(with_member(R"("alg":"ES384")")), TokenError::kDpopProofKeyInvalid);
  EXPECT_EQ(verify(with_member(R"("alg":"ES256")")), TokenError::kOk);
  EXPECT_EQ(verify(key.mint(header_for(key), payload())), TokenError::kOk);
}

TEST(ProofTest, OneDpopHeaderExactly) {
  std::string_view proof;
  const std::vector<Header> none = {{"Authorization", "DPoP x"}};
  EXPECT_EQ(find_proof(none, proof), TokenError::kDpopProofMissing);
  const std::vector<Header> one = {{"Authorization", "DPoP x"}, {"dpop", "p1"}};
  EXPECT_EQ(find_proof(one, proof), TokenError::kOk);
  EXPECT_EQ(proof, "p1");
  const std::vector<Header> two = {{"DPoP", "p1"}, {"X-A", "b"}, {"DPOP", "p2"}};
  EXPECT_EQ(find_proof(two, proof), TokenError::kDpopProofMultiple);
}

TEST(ProofTest, AReplayedProofIsCaughtByTheCache) {
  const TestKey& key = TestKey::shared(Algorithm::kES256);
  ReplayCache cache(1024);
  const std::string proof = key.mint(header_for(key), payload("once"));
  VerifiedProof out;
  ASSERT_EQ(verify_proof(proof, check_for(asymmetric()), out), TokenError::kOk);
  EXPECT_EQ(cache.first_use(out.thumbprint, out.jti, kNow, out.remember_until),
            ReplayVerdict::kFirstUse);
  ASSERT_EQ(verify_proof(proof, check_for(asymmetric()), out), TokenError::kOk);
  EXPECT_EQ(cache.first_use(out.thumbprint, out.jti, kNow + 10, out.remember_until),
            ReplayVerdict::kReplayed);
}

}  // namespace
}  // namespace stepup::dpop
