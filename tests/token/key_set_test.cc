// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/key_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>

#include "support/token_minter.h"
#include "token/key_set_access.h"
#include "token/verification_key.h"

namespace stepup {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestKey;

std::string error_of(const absl::StatusOr<KeySet>& result) {
  return result.ok() ? "" : std::string(result.status().message());
}

TEST(KeySet, LoadsEveryKeyTypeFromJwks) {
  std::string keys;
  for (Algorithm alg : {Algorithm::kRS256, Algorithm::kES256, Algorithm::kES384, Algorithm::kES512,
                        Algorithm::kEdDSA, Algorithm::kHS512}) {
    if (!keys.empty()) keys += ",";
    keys += TestKey::shared(alg).public_jwk();
  }
  const absl::StatusOr<KeySet> set = KeySet::from_jwks("{\"keys\":[" + keys + "]}");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->size(), 6u);
  const std::vector<KeyInfo> info = set->describe();
  EXPECT_EQ(info[0].type, KeyType::kRsa);
  EXPECT_EQ(info[0].kid, "RS256-key");
  EXPECT_THAT(info[0].allowed, ElementsAre(Algorithm::kRS256));
  EXPECT_EQ(info[1].type, KeyType::kEcP256);
  EXPECT_EQ(info[2].type, KeyType::kEcP384);
  EXPECT_EQ(info[3].type, KeyType::kEcP521);
  EXPECT_EQ(info[4].type, KeyType::kEd25519);
  EXPECT_EQ(info[5].type, KeyType::kOctet);
}

TEST(KeySet, KeyWithoutAlgAllowsItsWholeFamily) {
  const auto rsa = KeySet::from_jwk(TestKey::shared(Algorithm::kRS256).public_jwk(true, false));
  ASSERT_TRUE(rsa.ok()) << rsa.status();
  EXPECT_THAT(rsa->describe()[0].allowed,
              ElementsAre(Algorithm::kRS256, Algorithm::kRS384, Algorithm::kRS512,
                          Algorithm::kPS256, Algorithm::kPS384, Algorithm::kPS512));
  const auto ec = KeySet::from_jwk(TestKey::shared(Algorithm::kES384).public_jwk(true, false));
  ASSERT_TRUE(ec.ok());
  EXPECT_THAT(ec->describe()[0].allowed, ElementsAre(Algorithm::kES384));
}

TEST(KeySet, HmacSecretAllowsOnlyHashesItIsLongEnoughFor) {
  // 48 bytes: HS256 and HS384, not HS512 (RFC 7518 §3.2).
  const std::string jwk =
      "{\"kty\":\"oct\",\"k\":\"" + testing::base64url(std::string(48, 'k')) + "\"}";
  const auto set = KeySet::from_jwk(jwk);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_THAT(set->describe()[0].allowed, ElementsAre(Algorithm::kHS256, Algorithm::kHS384));
  const std::string short_jwk =
      "{\"kty\":\"oct\",\"k\":\"" + testing::base64url(std::string(31, 'k')) + "\"}";
  EXPECT_THAT(error_of(KeySet::from_jwk(short_jwk)), HasSubstr("shorter than 32 bytes"));
  const std::string alg_too_strong = "{\"kty\":\"oct\",\"alg\":\"HS512\",\"k\":\"" +
                                     testing::base64url(std::string(48, 'k')) + "\"}";
  EXPECT_THAT(error_of(KeySet::from_jwk(alg_too_strong)), HasSubstr("cannot be used"));
}

TEST(KeySet, RefusesAlgTheKeyTypeCannotPerform) {
  std::string jwk = TestKey::shared(Algorithm::kRS256).public_jwk(true, false);
  jwk.back() = ',';
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk + "\"alg\":\"HS256\"}")), HasSubstr("cannot be used"));
  std::string ec = TestKey::shared(Algorithm::kES256).public_jwk(true, false);
  ec.back() = ',';
  EXPECT_THAT(error_of(KeySet::from_jwk(ec + "\"alg\":\"ES384\"}")), HasSubstr("cannot be used"));
  EXPECT_THAT(error_of(KeySet::from_jwk(ec + "\"alg\":\"none\"}")),
              HasSubstr("\"alg\" none is not a JWS signature algorithm"));
}

TEST(KeySet, RefusesRsaKeysUnder2048Bits) {
  // A 1024-bit modulus (any odd 128-byte value with the top bit set).
  const std::string modulus = "\xc1" + std::string(126, '\x5a') + "\x01";
  const std::string jwk =
      "{\"kty\":\"RSA\",\"n\":\"" + testing::base64url(modulus) + "\",\"e\":\"AQAB\"}";
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk)), HasSubstr("at least 2048"));
}

TEST(KeySet, RefusesEvenOrTinyRsaExponent) {
  const std::string n = testing::base64url("\xc1" + std::string(254, '\x5a') + "\x01");
  EXPECT_THAT(error_of(KeySet::from_jwk("{\"kty\":\"RSA\",\"n\":\"" + n + "\",\"e\":\"AQ\"}")),
              HasSubstr("exponent"));
  EXPECT_THAT(error_of(KeySet::from_jwk("{\"kty\":\"RSA\",\"n\":\"" + n + "\",\"e\":\"AAE\"}")),
              HasSubstr("exponent"));
  EXPECT_THAT(error_of(KeySet::from_jwk("{\"kty\":\"RSA\",\"n\":\"" + n + "\",\"e\":\"AQA\"}")),
              HasSubstr("exponent"));
}

TEST(KeySet, RefusesEcPointNotOnTheCurve) {
  // x = 1, y = 1 is not on P-256 (invalid-curve attack input).
  const std::string one = testing::base64url(std::string(31, '\0') + "\x01");
  const std::string jwk =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + one + "\",\"y\":\"" + one + "\"}";
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk)), HasSubstr("refused the EC key"));
}

TEST(KeySet, RefusesSmallOrderAndNonCanonicalEd25519Keys) {
  auto okp = [](const std::string& x) {
    return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + testing::base64url(x) + "\"}";
  };
  const std::string identity = "\x01" + std::string(31, '\0');
  EXPECT_THAT(error_of(KeySet::from_jwk(okp(identity))), HasSubstr("small order"));
  EXPECT_THAT(error_of(KeySet::from_jwk(okp(std::string(32, '\0')))), HasSubstr("small order"));
  std::string minus_one = "\xec" + std::string(30, '\xff') + "\x7f";
  EXPECT_THAT(error_of(KeySet::from_jwk(okp(minus_one))), HasSubstr("small order"));
  minus_one.back() = '\xff';  // Same y, other sign bit.
  EXPECT_THAT(error_of(KeySet::from_jwk(okp(minus_one))), HasSubstr("small order"));
  // y = p + 1: a second spelling of the identity.
  const std::string p_plus_one = "\xee" + std::string(30, '\xff') + "\x7f";
  EXPECT_THAT(error_of(KeySet::from_jwk(okp(p_plus_one))), HasSubstr("canonically"));
  // A real key still loads.
  EXPECT_TRUE(KeySet::from_jwk(TestKey::shared(Algorithm::kEdDSA).public_jwk()).ok());
}

// y = 2, 7 and 8 give x^2 = (y^2 - 1) / (d y^2 + 1) that is no square mod p:
// no point of the curve has them, whatever the sign bit. y = 3, 4 and 9 do.
TEST(KeySet, RefusesEd25519KeysOffTheCurve) {
  auto okp = [](unsigned char y, bool sign) {
    std::string x(32, '\0');
    x[0] = static_cast<char>(y);
    if (sign) x[31] = '\x80';
    return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + testing::base64url(x) + "\"}";
  };
  for (const unsigned char y : {2, 7, 8}) {
    for (const bool sign : {false, true}) {
      EXPECT_THAT(error_of(KeySet::from_jwk(okp(y, sign))), HasSubstr("not a point of the curve"))
          << int{y};
    }
  }
  for (const unsigned char y : {3, 4, 9}) {
    EXPECT_TRUE(KeySet::from_jwk(okp(y, false)).ok()) << int{y};
    EXPECT_TRUE(KeySet::from_jwk(okp(y, true)).ok()) << int{y};
  }
}

TEST(KeySet, RefusesWrongCoordinateLength) {
  const std::string short_x = testing::base64url(std::string(31, '\x01'));
  const std::string y = testing::base64url(std::string(32, '\x01'));
  EXPECT_THAT(error_of(KeySet::from_jwk("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + short_x +
                                        "\",\"y\":\"" + y + "\"}")),
              HasSubstr("exactly 32 bytes"));
}

TEST(KeySet, RefusesPrivateKeyMembers) {
  std::string jwk = TestKey::shared(Algorithm::kES256).public_jwk();
  jwk.back() = ',';
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk + "\"d\":\"AAAA\"}")), HasSubstr("private key member"));
}

TEST(KeySet, RefusesKeysNotForVerification) {
  std::string jwk = TestKey::shared(Algorithm::kEdDSA).public_jwk();
  jwk.back() = ',';
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk + "\"use\":\"enc\"}")), HasSubstr("\"use\""));
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk + "\"key_ops\":[\"sign\"]}")), HasSubstr("verify"));
  EXPECT_TRUE(KeySet::from_jwk(jwk + "\"use\":\"sig\",\"key_ops\":[\"verify\"]}").ok());
}

TEST(KeySet, RefusesUnknownTypesAndCurves) {
  EXPECT_THAT(error_of(KeySet::from_jwk(R"({"kty":"DSA"})")), HasSubstr("unsupported \"kty\""));
  EXPECT_THAT(error_of(KeySet::from_jwk(R"({"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"})")),
              HasSubstr("unsupported EC curve"));
  EXPECT_THAT(error_of(KeySet::from_jwk(R"({"kty":"OKP","crv":"X25519","x":"AA"})")),
              HasSubstr("Ed25519"));
  EXPECT_THAT(error_of(KeySet::from_jwk(R"({"n":"AA"})")), HasSubstr("kty"));
}

TEST(KeySet, RefusesNonCanonicalKeyMaterial) {
  std::string jwk = TestKey::shared(Algorithm::kEdDSA).public_jwk(true, false);
  const auto x = jwk.find("\"x\":\"") + 5;
  jwk.insert(jwk.find('"', x), "=");
  EXPECT_THAT(error_of(KeySet::from_jwk(jwk)), HasSubstr("base64url"));
}

TEST(KeySet, JwksErrorsNameTheKeyIndex) {
  EXPECT_THAT(error_of(KeySet::from_jwks(R"({"keys":[]})")), HasSubstr("empty"));
  EXPECT_THAT(error_of(KeySet::from_jwks(R"({"key":[]})")), HasSubstr("\"keys\""));
  EXPECT_THAT(error_of(KeySet::from_jwks(R"({"keys":[{"kty":"oct","kty":"oct"}]})")),
              HasSubstr("repeats the member keys[0].kty"));
  EXPECT_THAT(error_of(KeySet::from_jwks("not json")), HasSubstr("not valid"));
}

// A provider's set as Keycloak publishes it: signing keys beside an
// encryption key, and entries stepup has no use for. The usable keys load;
// each other one is skipped with its reason, and never used.
TEST(KeySet, SkipsKeysItCannotVerifyWith) {
  const std::string rsa = TestKey::shared(Algorithm::kRS256).public_jwk();
  const std::string ec = TestKey::shared(Algorithm::kES256).public_jwk();
  // The encryption key reuses the RSA modulus: only its metadata differs.
  std::string enc = TestKey::shared(Algorithm::kRS256).public_jwk(false, false);
  enc.insert(1, R"("kid":"enc-1","use":"enc","alg":"RSA-OAEP",)");
  std::string oaep_without_use = TestKey::shared(Algorithm::kRS256).public_jwk(false, false);
  oaep_without_use.insert(1, R"("kid":"oaep","alg":"RSA-OAEP-256",)");
  const std::string weak_rsa = R"({"kty":"RSA","kid":"weak","n":")" +
                               testing::base64url(std::string(128, '\xff')) + R"(","e":"AQAB"})";
  const std::string entries[] = {
      rsa,
      enc,
      R"({"kty":"OKP","crv":"X25519","kid":"x","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"})",
      R"({"kty":"RSA","kid":"cert-only","x5c":["MIIB"]})",
      ec,
      R"({"kty":"EC","crv":"secp256k1","kid":"k1","x":"AA","y":"AA"})",
      R"({"kty":"ML-DSA","kid":"pq"})",
      weak_rsa,
      R"({"kty":"EC","crv":"P-256","kid":"ops","key_ops":["encrypt"],"x":"AA","y":"AA"})",
      oaep_without_use,
  };
  std::string keys;
  for (const std::string& entry : entries)
    keys += (keys.empty() ? "" : ",") + entry;
  const absl::StatusOr<KeySet> set = KeySet::from_jwks("{\"keys\":[" + keys + "]}");
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->size(), 2u);
  EXPECT_EQ(set->describe()[0].kid, "RS256-key");
  EXPECT_EQ(set->describe()[1].kid, "ES256-key");
  const std::vector<SkippedKey>& skipped = set->skipped();
  ASSERT_EQ(skipped.size(), 8u);
  auto reason = [&skipped](std::size_t index) {
    for (const SkippedKey& key : skipped) {
      if (key.index == index) return key.reason;
    }
    return std::string("(not skipped)");
  };
  EXPECT_EQ(skipped[0].kid, "enc-1");
  EXPECT_THAT(reason(1), HasSubstr("\"use\" is \"enc\", not \"sig\""));
  EXPECT_THAT(reason(2), HasSubstr("unsupported OKP curve X25519"));
  EXPECT_THAT(reason(3), HasSubstr("\"n\""));
  EXPECT_THAT(reason(5), HasSubstr("unsupported EC curve secp256k1"));
  EXPECT_THAT(reason(6), HasSubstr("unsupported \"kty\" ML-DSA"));
  EXPECT_THAT(reason(7), HasSubstr("2048"));
  EXPECT_THAT(reason(8), HasSubstr("key_ops"));
  EXPECT_THAT(reason(9), HasSubstr("RSA-OAEP-256 is not a JWS signature algorithm"));
  // No message quotes key material.
  for (const SkippedKey& key : skipped)
    EXPECT_THAT(key.reason, Not(HasSubstr("hSDwCYkw"))) << key.reason;
}

TEST(KeySet, ASetWithoutAUsableKeyIsRefusedWithEveryReason) {
  const std::string error = error_of(KeySet::from_jwks(
      R"({"keys":[{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"},{"kty":"EC","kid":"e"}]})"));
  EXPECT_THAT(error, HasSubstr("no usable key"));
  EXPECT_THAT(error, HasSubstr("keys[0]: \"use\" is \"enc\""));
  EXPECT_THAT(error, HasSubstr("keys[1]: "));
}

// A private member means the provider leaks its signing secrets: the whole
// set is refused, not only that key.
TEST(KeySet, APrivateMemberRefusesTheWholeSet) {
  const std::string good = TestKey::shared(Algorithm::kES256).public_jwk();
  std::string leaked = TestKey::shared(Algorithm::kRS256).public_jwk(false, false);
  leaked.insert(1, R"("d":"AAAA",)");
  const std::string error = error_of(KeySet::from_jwks("{\"keys\":[" + good + "," + leaked + "]}"));
  EXPECT_THAT(error, HasSubstr("keys[1]"));
  EXPECT_THAT(error, HasSubstr("private key member \"d\""));
  // The same for an unusable key's private member.
  EXPECT_THAT(error_of(KeySet::from_jwks("{\"keys\":[" + good +
                                         R"(,{"kty":"OKP","crv":"X25519","x":"AA","d":"AA"}]})")),
              HasSubstr("private key member"));
}

TEST(KeySet, SkippedKeysFollowMergedSets) {
  const std::string good = TestKey::shared(Algorithm::kES256).public_jwk();
  const absl::StatusOr<KeySet> a =
      KeySet::from_jwks("{\"keys\":[" + good + R"(,{"kty":"EC","kid":"bad"}]})");
  const absl::StatusOr<KeySet> b = KeySet::from_jwks("{\"keys\":[" + good + "]}");
  ASSERT_TRUE(a.ok() && b.ok());
  const KeySet merged = b->merged_with(*a);
  EXPECT_EQ(merged.size(), 2u);
  ASSERT_EQ(merged.skipped().size(), 1u);
  EXPECT_EQ(merged.skipped()[0].kid, "bad");
}

TEST(KeySet, LoadsPemPublicKeysWithKidAndAlg) {
  const TestKey& key = TestKey::shared(Algorithm::kPS256);
  const auto set =
      KeySet::from_pem(key.public_pem(), {.kid = "pem-1", .algorithm = Algorithm::kPS256});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->describe()[0].kid, "pem-1");
  EXPECT_THAT(set->describe()[0].allowed, ElementsAre(Algorithm::kPS256));
  for (Algorithm alg :
       {Algorithm::kES256, Algorithm::kES384, Algorithm::kES512, Algorithm::kEdDSA}) {
    const auto other = KeySet::from_pem(TestKey::shared(alg).public_pem(), {});
    ASSERT_TRUE(other.ok()) << algorithm_name(alg) << ": " << other.status();
    EXPECT_THAT(other->describe()[0].allowed, ElementsAre(alg));
  }
  EXPECT_THAT(error_of(KeySet::from_pem(key.public_pem(), {.algorithm = Algorithm::kHS256})),
              HasSubstr("cannot be used"));
  EXPECT_THAT(error_of(KeySet::from_pem(
                  "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", {})),
              HasSubstr("PEM"));
}

TEST(KeySet, MergeKeepsBothSetsAndSharesKeys) {
  const auto a = KeySet::from_jwk(TestKey::shared(Algorithm::kES256).public_jwk());
  const auto b = KeySet::from_jwk(TestKey::shared(Algorithm::kEdDSA).public_jwk());
  ASSERT_TRUE(a.ok() && b.ok());
  const KeySet merged = a->merged_with(*b);
  EXPECT_EQ(merged.size(), 2u);
  EXPECT_EQ(a->size(), 1u);  // The originals are immutable values.
  EXPECT_EQ(&token_internal::KeySetAccess::data(merged).keys[0]->public_key,
            &token_internal::KeySetAccess::data(*a).keys[0]->public_key);
}

TEST(KeySet, FailedLoadLeavesNoOpenSslErrors) {
  EXPECT_FALSE(KeySet::from_pem("garbage", {}).ok());
  EXPECT_FALSE(KeySet::from_jwk(R"({"kty":"EC","crv":"P-256","x":"AQ","y":"AQ"})").ok());
  EXPECT_EQ(ERR_peek_error(), 0u);
}

}  // namespace
}  // namespace stepup
