// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// RFC 9449's example proofs verify with their own keys at their own times,
// and their key's thumbprint is the one the RFC binds tokens to; RFC 7638's
// example thumbprint (tests/vectors/rfc9449/).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "dpop/jwk_thumbprint.h"
#include "dpop/proof.h"
#include "stepup/json_value.h"
#include "support/files.h"

namespace stepup::dpop {
namespace {

JsonValue examples() {
  std::optional<JsonValue> parsed =
      JsonValue::parse_object(testing::read_vector_file("rfc9449/examples.json"), 16);
  EXPECT_TRUE(parsed.has_value());
  return parsed.value_or(JsonValue::object({}));
}

std::string text(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  return value != nullptr ? std::string(value->as_string()) : std::string();
}

ProofCheck check_for(const JsonValue& example) {
  ProofCheck check;
  check.algorithms = token_internal::algorithm_bit(Algorithm::kES256);
  check.now = example.find("now")->as_integer();
  return check;
}

TEST(Rfc9449Test, TheExampleProofsVerifyWithTheirKeysAtTheirTimes) {
  const JsonValue all = examples();
  const std::string thumbprint = text(all, "proof_key_thumbprint");
  ASSERT_EQ(all.find("proofs")->items().size(), 2u);
  for (const JsonValue& example : all.find("proofs")->items()) {
    SCOPED_TRACE(text(example, "name"));
    const std::string method = text(example, "method");
    const std::string uri = text(example, "uri");
    const std::string token = text(example, "access_token");
    ProofCheck check = check_for(example);
    check.method = method;
    check.uri = uri;
    check.access_token = token;
    check.bound_thumbprint = thumbprint;
    VerifiedProof proof;
    EXPECT_EQ(verify_proof(text(example, "proof"), check, proof), TokenError::kOk);
    EXPECT_EQ(proof.thumbprint, thumbprint);
    EXPECT_EQ(proof.jti, text(example, "jti"));
    EXPECT_EQ(proof.iat, check.now);
    if (!token.empty()) {
      EXPECT_EQ(access_token_hash(token), text(example, "ath"));
    }
  }
}

TEST(Rfc9449Test, TheExampleProofsAreRefusedElsewhereAndLater) {
  const JsonValue all = examples();
  const JsonValue& example = all.find("proofs")->items()[1];
  const std::string proof_text = text(example, "proof");
  const std::string token = text(example, "access_token");
  ProofCheck check = check_for(example);
  check.method = "GET";
  check.uri = "https://resource.example.org/protectedresource";
  check.access_token = token;
  VerifiedProof proof;
  check.now += 301;
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kDpopProofIatOutOfWindow);
  check.now -= 301;
  check.method = "POST";
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kDpopProofMethodMismatch);
  check.method = "GET";
  check.uri = "https://resource.example.org/otherresource";
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kDpopProofUriMismatch);
  check.uri = "HTTPS://Resource.Example.ORG:443/protectedresource?page=2#top";
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kOk)
      << "scheme and host case, the default port, the query and the fragment do not count";
  check.access_token = "another-token";
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kDpopProofAthMismatch);
  check.access_token = token;
  check.bound_thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kDpopProofKeyMismatch);
  check.bound_thumbprint = {};
  check.algorithms = token_internal::algorithm_bit(Algorithm::kRS256);
  EXPECT_EQ(verify_proof(proof_text, check, proof), TokenError::kDpopProofAlgNotAllowed);
}

TEST(Rfc9449Test, Rfc7638ExampleThumbprint) {
  const JsonValue all = examples();
  const JsonValue& rfc7638 = *all.find("rfc7638");
  EXPECT_EQ(jwk_thumbprint(*rfc7638.find("jwk")), text(rfc7638, "thumbprint"));
}

}  // namespace
}  // namespace stepup::dpop
