// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <gtest/gtest.h>

#include "stepup/token_verifier.h"

namespace stepup {
namespace {

TEST(BearerAuthorization, ExtractsTheToken) {
  const BearerToken result = parse_bearer_authorization("Bearer abc.def-_~+/.ghi==");
  EXPECT_EQ(result.error, TokenError::kOk);
  EXPECT_EQ(result.token, "abc.def-_~+/.ghi==");
}

TEST(BearerAuthorization, MatchesSchemeCaseInsensitively) {
  EXPECT_EQ(parse_bearer_authorization("bearer abc").token, "abc");
  EXPECT_EQ(parse_bearer_authorization("BEARER abc").token, "abc");
}

TEST(BearerAuthorization, AllowsSeveralSpacesAfterScheme) {
  EXPECT_EQ(parse_bearer_authorization("Bearer   abc").token, "abc");
}

TEST(BearerAuthorization, MissingHeaderMeansNoCredentials) {
  EXPECT_EQ(parse_bearer_authorization(std::nullopt).error, TokenError::kAuthorizationMissing);
}

TEST(BearerAuthorization, OtherSchemeIsNotBearer) {
  EXPECT_EQ(parse_bearer_authorization("Basic dXNlcjpwYXNz").error,
            TokenError::kAuthorizationNotBearer);
  EXPECT_EQ(parse_bearer_authorization("DPoP abc").error, TokenError::kAuthorizationNotBearer);
}

TEST(BearerAuthorization, RejectsMalformedValues) {
  for (const char* value :
       {"", "Bearer", "Bearer ", "Bearer  ", "Bearer a b", "Bearer a,b", "Bearer \"abc\"",
        "Bearer abc=def", "Bearer\tabc", " Bearer abc", "Bearer abc ", "Bearer a\r\nX: y",
        "Bearer \xc3\xa9", "Bearer=abc", "Bear\"er abc"}) {
    const BearerToken result = parse_bearer_authorization(value);
    EXPECT_TRUE(result.error == TokenError::kAuthorizationMalformed) << '"' << value << '"';
    EXPECT_TRUE(is_request_error(result.error)) << value;
  }
}

}  // namespace
}  // namespace stepup
