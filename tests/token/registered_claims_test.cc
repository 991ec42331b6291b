// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/registered_claims.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json/strict_json.h"

namespace stepup::token_internal {
namespace {

using json_internal::JsonRef;

JsonValue parse(std::string_view json) {
  JsonValue value;
  EXPECT_EQ(json_internal::parse_json_object(json, 16, value).error, json_internal::JsonError::kOk)
      << json;
  return value;
}

// The same document read where the parser left it, as token claims are.
class TapeClaims {
 public:
  explicit TapeClaims(std::string_view json) : padded_(json) {
    padded_.resize(json.size() + json_internal::json_padding());
    EXPECT_EQ(document_.parse(padded_.data(), json.size(), padded_.size(), 16).error,
              json_internal::JsonError::kOk)
        << json;
  }
  JsonRef root() const { return document_.root(); }

 private:
  std::string padded_;
  json_internal::JsonDocument document_;
};

// Each slot of `located` against what find() returns for its name.
void expect_same_as_find(JsonRef claims) {
  const RegisteredClaims located = RegisteredClaims::locate(claims);
  EXPECT_EQ(located.iss, claims.find("iss"));
  EXPECT_EQ(located.aud, claims.find("aud"));
  EXPECT_EQ(located.exp, claims.find("exp"));
  EXPECT_EQ(located.nbf, claims.find("nbf"));
  EXPECT_EQ(located.iat, claims.find("iat"));
  EXPECT_EQ(located.auth_time, claims.find("auth_time"));
  EXPECT_EQ(located.acr, claims.find("acr"));
  EXPECT_EQ(located.amr, claims.find("amr"));
  EXPECT_EQ(located.sub, claims.find("sub"));
  EXPECT_EQ(located.jti, claims.find("jti"));
  EXPECT_EQ(located.scope, claims.find("scope"));
  // slot() names the same slots, and nothing for other names.
  for (const char* name :
       {"iss", "aud", "exp", "nbf", "iat", "auth_time", "acr", "amr", "sub", "jti", "scope"}) {
    const JsonRef* slot = located.slot(name);
    ASSERT_NE(slot, nullptr) << name;
    EXPECT_EQ(*slot, claims.find(name)) << name;
  }
  for (const char* name : {"", "jti2", "client_id", "Sub", "scopes", "scop", "auth_tim"}) {
    EXPECT_EQ(located.slot(name), nullptr) << name;
  }
}

// Runs `check` on the claims as a JsonValue and as a tape.
template <typename Check>
void in_both_forms(std::string_view json, Check check) {
  const JsonValue value = parse(json);
  check(JsonRef(value));
  const TapeClaims tape(json);
  check(tape.root());
}

TEST(RegisteredClaims, LocatesEveryRegisteredClaimAsFindDoes) {
  in_both_forms(R"({"sub":"alice","iss":"https://as","aud":["a","b"],"exp":3,"nbf":1,"iat":2,)"
                R"("auth_time":2,"acr":"urn:mfa","amr":["pwd"],"scope":"read","jti":"x"})",
                [](JsonRef claims) {
                  const RegisteredClaims located = RegisteredClaims::locate(claims);
                  EXPECT_EQ(located.iss.as_string(), "https://as");
                  std::size_t audiences = 0;
                  located.aud.for_each_item([&](JsonRef) {
                    ++audiences;
                    return true;
                  });
                  EXPECT_EQ(audiences, 2u);
                  EXPECT_EQ(located.exp.as_integer(), 3);
                  EXPECT_EQ(located.nbf.as_integer(), 1);
                  EXPECT_EQ(located.iat.as_integer(), 2);
                  EXPECT_EQ(located.auth_time.as_integer(), 2);
                  EXPECT_EQ(located.acr.as_string(), "urn:mfa");
                  EXPECT_EQ(located.sub.as_string(), "alice");
                  EXPECT_EQ(located.jti.as_string(), "x");
                  EXPECT_EQ(located.scope.as_string(), "read");
                  ASSERT_TRUE(located.amr.is_array());
                  EXPECT_FALSE(located.amr.empty_array());
                  expect_same_as_find(claims);
                });
}

TEST(RegisteredClaims, AbsentClaimsAndOtherKindsAreAbsent) {
  in_both_forms(R"({"sub":"alice"})", expect_same_as_find);
  in_both_forms("{}", expect_same_as_find);
  const JsonValue array = JsonValue::array({});
  const RegisteredClaims of_array = RegisteredClaims::locate(array);
  EXPECT_FALSE(of_array.iss.present());
  EXPECT_FALSE(of_array.auth_time.present());
  const RegisteredClaims of_nothing = RegisteredClaims::locate(JsonRef());
  EXPECT_FALSE(of_nothing.exp.present());
}

TEST(RegisteredClaims, NamesThatOnlyResembleRegisteredOnesAreNotTaken) {
  // Same length and first byte, other case, a prefix, a longer name, a
  // nested member: none is a registered claim at the top level.
  in_both_forms(R"({"isx":1,"ISS":"a","is":"b","isss":"c","auth_timE":1,"auth_time_":2,)"
                R"("aut":3,"amx":4,"nested":{"iss":"d","exp":5},"":6,"scopE":7,"sup":8})",
                [](JsonRef claims) {
                  const RegisteredClaims located = RegisteredClaims::locate(claims);
                  EXPECT_FALSE(located.iss.present());
                  EXPECT_FALSE(located.exp.present());
                  EXPECT_FALSE(located.auth_time.present());
                  EXPECT_FALSE(located.aud.present());
                  EXPECT_FALSE(located.amr.present());
                  EXPECT_FALSE(located.sub.present());
                  EXPECT_FALSE(located.scope.present());
                  expect_same_as_find(claims);
                });
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
  EXPECT_EQ(located.acr.as_string(), "urn:first");
  EXPECT_EQ(located.exp.as_integer(), 1);
  expect_same_as_find(claims);
}

}  // namespace
}  // namespace stepup::token_internal
