// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/claims_check.h"

#include <gtest/gtest.h>

#include "json/strict_json.h"

namespace stepup::token_internal {
namespace {

constexpr int64_t kNow = 1'800'000'000;

JsonValue claims(std::string_view json) {
  JsonValue value;
  EXPECT_EQ(json_internal::parse_json_object(json, 16, value).error, json_internal::JsonError::kOk)
      << json;
  return value;
}

ValidatorOptions validator() {
  ValidatorOptions options;
  options.issuer = "https://as.example.com";
  options.audience = {"https://api.example.com", "urn:other"};
  options.clock_skew_seconds = 60;
  return options;
}

TokenError check(std::string_view json, const ValidatorOptions& options = validator()) {
  return check_claims(claims(json), options, kNow);
}

TEST(MediaType, ComparesCaseInsensitivelyWithOptionalApplicationPrefix) {
  EXPECT_TRUE(media_type_matches("at+jwt", "at+jwt"));
  EXPECT_TRUE(media_type_matches("AT+JWT", "at+jwt"));
  EXPECT_TRUE(media_type_matches("application/at+jwt", "at+jwt"));
  EXPECT_TRUE(media_type_matches("Application/AT+jwt", "at+jwt"));
  EXPECT_TRUE(media_type_matches("at+jwt", "application/at+jwt"));
  EXPECT_FALSE(media_type_matches("JWT", "at+jwt"));
  EXPECT_FALSE(media_type_matches("at+jwt; charset=x", "at+jwt"));
  EXPECT_FALSE(media_type_matches("application/", "at+jwt"));
  EXPECT_FALSE(media_type_matches("", "at+jwt"));
  EXPECT_FALSE(media_type_matches("text/at+jwt", "at+jwt"));
}

TEST(ClaimsCheck, AcceptsValidClaims) {
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"nbf":1799999000,"iat":1799999000,
                     "auth_time":1799999000})"),
            TokenError::kOk);
}

TEST(ClaimsCheck, AudienceStringOrListNeedsOneAcceptedValue) {
  EXPECT_EQ(check(R"({"aud":["x","https://api.example.com"],"exp":1800000100})"), TokenError::kOk);
  EXPECT_EQ(check(R"({"aud":"x","exp":1800000100})"), TokenError::kAudienceMismatch);
  EXPECT_EQ(check(R"({"aud":["x","y"],"exp":1800000100})"), TokenError::kAudienceMismatch);
  EXPECT_EQ(check(R"({"exp":1800000100})"), TokenError::kAudienceMissing);
  EXPECT_EQ(check(R"({"aud":[],"exp":1800000100})"), TokenError::kAudienceInvalid);
  EXPECT_EQ(check(R"({"aud":["urn:other",7],"exp":1800000100})"), TokenError::kAudienceInvalid);
  EXPECT_EQ(check(R"({"aud":{"a":1},"exp":1800000100})"), TokenError::kAudienceInvalid);
  // Audience comparison is exact (RFC 7519 §4.1.3: case-sensitive strings).
  EXPECT_EQ(check(R"({"aud":"HTTPS://API.EXAMPLE.COM","exp":1800000100})"),
            TokenError::kAudienceMismatch);
}

TEST(ClaimsCheck, ExpiryHonoursSkewAtTheBoundary) {
  // Valid while now < exp + skew.
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1799999941})"), TokenError::kOk);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1799999940})"), TokenError::kExpired);
}

TEST(ClaimsCheck, NotBeforeHonoursSkewAtTheBoundary) {
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"nbf":1800000060})"), TokenError::kOk);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"nbf":1800000061})"),
            TokenError::kNotYetValid);
}

TEST(ClaimsCheck, IssuedAtAndAuthTimeMayNotBeInTheFuture) {
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"iat":1800000060})"), TokenError::kOk);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"iat":1800000061})"),
            TokenError::kIatInFuture);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"auth_time":1800000060})"),
            TokenError::kOk);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"auth_time":1800000061})"),
            TokenError::kAuthTimeInFuture);
}

TEST(ClaimsCheck, NumericDatesMustBeIntegersInRange) {
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":"1800000100"})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100.5})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1.8e9})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":-1})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":253402300800})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":9223372036854775807})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":18446744073709551615})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":null})"), TokenError::kExpInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"nbf":true})"), TokenError::kNbfInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"iat":[1]})"), TokenError::kIatInvalid);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"auth_time":1799999000.0})"),
            TokenError::kAuthTimeInvalid);
  // The largest accepted NumericDate still works without overflow.
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":253402300799})"), TokenError::kOk);
}

TEST(ClaimsCheck, ExpIsRequiredByDefaultAndOptionalWhenNotRequired) {
  EXPECT_EQ(check(R"({"aud":"urn:other"})"), TokenError::kExpMissing);
  ValidatorOptions options = validator();
  options.required_claims = {};
  EXPECT_EQ(check(R"({"aud":"urn:other"})", options), TokenError::kOk);
}

TEST(ClaimsCheck, RequiredClaimsMustBePresent) {
  ValidatorOptions options = validator();
  options.required_claims = {"exp", "sub", "acr"};
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"sub":"a"})", options),
            TokenError::kRequiredClaimMissing);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000100,"sub":"a","acr":"x"})", options),
            TokenError::kOk);
}

TEST(ClaimsCheck, ZeroSkewIsExact) {
  ValidatorOptions options = validator();
  options.clock_skew_seconds = 0;
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000001})", options), TokenError::kOk);
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1800000000})", options), TokenError::kExpired);
}

TEST(ClaimsCheck, ShapeErrorsComeBeforeTimeErrors) {
  // Expired and with a malformed nbf: the malformed claim is named, whatever
  // the time, so a refusal for the token's shape never depends on the clock.
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1700000000,"nbf":"x"})"), TokenError::kNbfInvalid);
  ValidatorOptions needs_jti = validator();
  needs_jti.required_claims = {"exp", "jti"};
  EXPECT_EQ(check(R"({"aud":"urn:other","exp":1700000000})", needs_jti),
            TokenError::kRequiredClaimMissing);
}

TEST(ValidityWindow, SpansTheTimeClaimsWithSkew) {
  ValidityWindow window;
  ASSERT_EQ(check_claims_shape(claims(R"({"aud":"urn:other","exp":1800000100,"nbf":1799999000,
                                          "iat":1799999500,"auth_time":1799999200})"),
                               validator(), window),
            TokenError::kOk);
  EXPECT_EQ(window.valid_from(), 1799999500 - 60);
  EXPECT_EQ(window.valid_until(), 1800000100 + 60);
  EXPECT_EQ(window.check(1799999500 - 61), TokenError::kIatInFuture);
  EXPECT_EQ(window.check(1799999500 - 60), TokenError::kOk);
  EXPECT_EQ(window.check(1800000100 + 59), TokenError::kOk);
  EXPECT_EQ(window.check(1800000100 + 60), TokenError::kExpired);
  // The window agrees with the full check at every instant around its edges.
  for (int64_t now = 1799998000; now < 1800000300; now += 7) {
    EXPECT_EQ(window.check(now),
              check_claims(claims(R"({"aud":"urn:other","exp":1800000100,"nbf":1799999000,
                                     "iat":1799999500,"auth_time":1799999200})"),
                           validator(), now))
        << now;
  }
}

TEST(ValidityWindow, OpenWithoutTimeClaims) {
  ValidatorOptions no_exp = validator();
  no_exp.required_claims = {};
  ValidityWindow window;
  ASSERT_EQ(check_claims_shape(claims(R"({"aud":"urn:other"})"), no_exp, window), TokenError::kOk);
  EXPECT_EQ(window.valid_from(), ValidityWindow::kOpenStart);
  EXPECT_EQ(window.valid_until(), ValidityWindow::kOpenEnd);
  EXPECT_EQ(window.check(0), TokenError::kOk);
}

}  // namespace
}  // namespace stepup::token_internal
