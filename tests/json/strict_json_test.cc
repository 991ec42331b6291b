// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/strict_json.h"

#include <gtest/gtest.h>

#include <string>

namespace stepup::json_internal {
namespace {

JsonParseResult parse(std::string_view text, JsonValue& out, int max_depth = 16) {
  return parse_json_object(text, max_depth, out);
}

JsonError error_of(std::string_view text, int max_depth = 16) {
  JsonValue value;
  return parse(text, value, max_depth).error;
}

TEST(StrictJson, ReadsEveryKindWithItsType) {
  JsonValue value;
  ASSERT_EQ(
      parse(R"({"s":"x\u00e9","i":-42,"d":1.5,"b":true,"n":null,"a":[1,"2"],"o":{"k":1}})", value)
          .error,
      JsonError::kOk);
  EXPECT_EQ(value.find("s")->as_string(), "x\xc3\xa9");
  EXPECT_TRUE(value.find("i")->is_integer());
  EXPECT_EQ(value.find("i")->as_integer(), -42);
  EXPECT_EQ(value.find("d")->kind(), JsonValue::Kind::kDouble);
  EXPECT_DOUBLE_EQ(value.find("d")->as_double(), 1.5);
  EXPECT_TRUE(value.find("b")->as_bool());
  EXPECT_TRUE(value.find("n")->is_null());
  ASSERT_EQ(value.find("a")->items().size(), 2u);
  EXPECT_EQ(value.find("a")->items()[1].as_string(), "2");
  EXPECT_EQ(value.find("o")->find("k")->as_integer(), 1);
  EXPECT_EQ(value.find("missing"), nullptr);
}

TEST(StrictJson, KeepsMemberOrder) {
  JsonValue value;
  ASSERT_EQ(parse(R"({"z":1,"a":2,"m":3})", value).error, JsonError::kOk);
  ASSERT_EQ(value.members().size(), 3u);
  EXPECT_EQ(value.members()[0].name, "z");
  EXPECT_EQ(value.members()[2].name, "m");
}

TEST(StrictJson, IntegersBeyondInt64BecomeDoubles) {
  JsonValue value;
  ASSERT_EQ(parse(R"({"u":18446744073709551615,"e":1e3})", value).error, JsonError::kOk);
  EXPECT_EQ(value.find("u")->kind(), JsonValue::Kind::kDouble);
  EXPECT_EQ(value.find("e")->kind(), JsonValue::Kind::kDouble);
}

TEST(StrictJson, RejectsDuplicateMemberAtTopLevel) {
  JsonValue value;
  const JsonParseResult result = parse(R"({"a":1,"b":2,"a":3})", value);
  EXPECT_EQ(result.error, JsonError::kDuplicateMember);
  EXPECT_EQ(result.where, "a");
}

TEST(StrictJson, RejectsDuplicateMemberWhenNamesDifferOnlyByEscaping) {
  EXPECT_EQ(error_of(R"({"alg":1,"\u0061lg":2})"), JsonError::kDuplicateMember);
}

TEST(StrictJson, RejectsNestedDuplicateAndNamesItsPath) {
  JsonValue value;
  const JsonParseResult result = parse(R"({"keys":[{"kty":"EC"},{"kid":"1","kid":"2"}]})", value);
  EXPECT_EQ(result.error, JsonError::kDuplicateMember);
  EXPECT_EQ(result.where, "keys[1].kid");
}

TEST(StrictJson, RejectsDuplicatesInLargeObjects) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i)
    text += "\"m" + std::to_string(i) + "\":0,";
  text += "\"m57\":1}";
  EXPECT_EQ(error_of(text), JsonError::kDuplicateMember);
}

TEST(StrictJson, AcceptsLargeObjectsWithoutDuplicates) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i)
    text += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":0";
  text += "}";
  EXPECT_EQ(error_of(text), JsonError::kOk);
}

TEST(StrictJson, RejectsNonObjectTopLevel) {
  EXPECT_EQ(error_of("[1,2]"), JsonError::kNotObject);
  EXPECT_EQ(error_of("\"text\""), JsonError::kNotObject);
  EXPECT_EQ(error_of("42"), JsonError::kNotObject);
}

TEST(StrictJson, RejectsSyntaxErrorsAndTrailingContent) {
  EXPECT_EQ(error_of(""), JsonError::kSyntax);
  EXPECT_EQ(error_of("{"), JsonError::kSyntax);
  EXPECT_EQ(error_of(R"({"a":1,})"), JsonError::kSyntax);
  EXPECT_EQ(error_of(R"({"a":1} {"b":2})"), JsonError::kSyntax);
  EXPECT_EQ(error_of(R"({"a":1}x)"), JsonError::kSyntax);
  EXPECT_EQ(error_of(R"({'a':1})"), JsonError::kSyntax);
  EXPECT_EQ(error_of(R"({"a":01})"), JsonError::kSyntax);
}

TEST(StrictJson, RejectsInvalidUtf8AndLoneSurrogates) {
  EXPECT_EQ(error_of("{\"a\":\"\xff\"}"), JsonError::kSyntax);
  EXPECT_EQ(error_of("{\"a\":\"\xc0\xaf\"}"), JsonError::kSyntax);  // Overlong '/'.
  EXPECT_EQ(error_of(R"({"a":"\ud800"})"), JsonError::kSyntax);
}

TEST(StrictJson, KeepsEmbeddedNulFromEscape) {
  JsonValue value;
  ASSERT_EQ(parse(R"({"a":"x\u0000y"})", value).error, JsonError::kOk);
  EXPECT_EQ(value.find("a")->as_string(), std::string_view("x\0y", 3));
}

TEST(StrictJson, LimitsDepth) {
  // Depth counts the top-level object as 1.
  EXPECT_EQ(error_of(R"({"a":{"b":{}}})", 3), JsonError::kOk);
  EXPECT_EQ(error_of(R"({"a":{"b":{"c":{}}}})", 3), JsonError::kTooDeep);
  EXPECT_EQ(error_of(R"({"a":[[[]]]})", 3), JsonError::kTooDeep);
}

TEST(StrictJson, SurvivesExtremeNesting) {
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  const JsonError error = error_of(deep);
  EXPECT_TRUE(error == JsonError::kTooDeep || error == JsonError::kSyntax);
  EXPECT_NE(error, JsonError::kOk);
}

}  // namespace
}  // namespace stepup::json_internal
