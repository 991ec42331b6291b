// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/registered_claims.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json/strict_json.h"

namespace stepup::token_internal {
namespace {

JsonValue parse(std::string_view json) {
  JsonValue value;
  EXPECT_EQ(json_internal::parse_json_object(json, 16, value).error, json_internal::JsonError::kOk)
      << json;
  return value;
}

// Each slot of `located` against what find() returns for its name.
void expect_same_as_find(const JsonValue& claims) {
  const RegisteredClaims located = RegisteredClaims::locate(claims);
  EXPECT_EQ(located.iss, claims.find("iss"));
  EXPECT_EQ(located.aud, claims.find("aud"));
  EXPECT_EQ(located.exp, claims.find("exp"));
  EXPECT_EQ(located.nbf, claims.find("nbf"));
  EXPECT_EQ(located.iat, claims.find("iat"));
  EXPECT_EQ(located.auth_time, claims.find("auth_time"));
  EXPECT_EQ(located.acr, claims.find("acr"));
  EXPECT_EQ(located.amr, claims.find("amr"));
}

TEST(RegisteredClaims, LocatesEveryRegisteredClaimAsFindDoes) {
  const JsonValue claims =
      parse(R"({"sub":"alice","iss":"https://as","aud":["a","b"],"exp":3,"nbf":1,"iat":2,)"
            R"("auth_time":2,"acr":"urn:mfa","amr":["pwd"],"scope":"read","jti":"x"})");
  const RegisteredClaims located = RegisteredClaims::locate(claims);
  ASSERT_NE(located.iss, nullptr);
  EXPECT_EQ(located.iss->as_string(), "https://as");
  ASSERT_NE(located.aud, nullptr);
  EXPECT_EQ(located.aud->items().size(), 2u);
  ASSERT_NE(located.exp, nullptr);
  EXPECT_EQ(located.exp->as_integer(), 3);
  ASSERT_NE(located.nbf, nullptr);
  EXPECT_EQ(located.nbf->as_integer(), 1);
  ASSERT_NE(located.iat, nullptr);
  EXPECT_EQ(located.iat->as_integer(), 2);
  ASSERT_NE(located.auth_time, nullptr);
  EXPECT_EQ(located.auth_time->as_integer(), 2);
  ASSERT_NE(located.acr, nullptr);
  EXPECT_EQ(located.acr->as_string(), "urn:mfa");
  ASSERT_NE(located.amr, nullptr);
  EXPECT_EQ(located.amr->items().size(), 1u);
  expect_same_as_find(claims);
}

TEST(RegisteredClaims, AbsentClaimsAndOtherKindsAreNull) {
  expect_same_as_find(parse(R"({"sub":"alice"})"));
  expect_same_as_find(parse("{}"));
  const RegisteredClaims of_array = RegisteredClaims::locate(JsonValue::array({}));
  EXPECT_EQ(of_array.iss, nullptr);
  EXPECT_EQ(of_array.auth_time, nullptr);
}

TEST(RegisteredClaims, NamesThatOnlyResembleRegisteredOnesAreNotTaken) {
  // Same length and first byte, other case, a prefix, a longer name, a
  // nested member: none is a registered claim at the top level.
  const JsonValue claims =
      parse(R"({"isx":1,"ISS":"a","is":"b","isss":"c","auth_timE":1,"auth_time_":2,)"
            R"("aut":3,"amx":4,"nested":{"iss":"d","exp":5},"":6})");
  const RegisteredClaims located = RegisteredClaims::locate(claims);
  EXPECT_EQ(located.iss, nullptr);
  EXPECT_EQ(located.exp, nullptr);
  EXPECT_EQ(located.auth_time, nullptr);
  EXPECT_EQ(located.aud, nullptr);
  EXPECT_EQ(located.amr, nullptr);
  expect_same_as_find(claims);
}

TEST(RegisteredClaims, TheFirstOfARepeatedNameWinsAsWithFind) {
  // Only claims a host validated itself can repeat a name.
  std::vector<JsonMember> members;
  members.push_back({"acr", JsonValue::string("urn:first")});
  members.push_back({"acr", JsonValue::string("urn:second")});
  members.push_back({"exp", JsonValue::integer(1)});
  members.push_back({"exp", JsonValue::integer(2)});
  const JsonValue claims = JsonValue::object(std::move(members));
  const RegisteredClaims located = RegisteredClaims::locate(claims);
  ASSERT_NE(located.acr, nullptr);
  EXPECT_EQ(located.acr->as_string(), "urn:first");
  ASSERT_NE(located.exp, nullptr);
  EXPECT_EQ(located.exp->as_integer(), 1);
  expect_same_as_find(claims);
}

}  // namespace
}  // namespace stepup::token_internal
