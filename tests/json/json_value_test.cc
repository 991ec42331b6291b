// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The public JsonValue: parse_object() with stepup's strict rules and the
// path of each refusal, to_json(), and equality.
#include "stepup/json_value.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace stepup {
namespace {

using Reason = JsonParseError::Reason;

TEST(JsonValueParse, ReadsAnObject) {
  const std::optional<JsonValue> value =
      JsonValue::parse_object(R"({"a": [1, 2.5, "x\u00e9", true, null], "b": {"c": {}}})", 8);
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->find("a")->items().size(), 5u);
  EXPECT_EQ(value->find("a")->items()[2].as_string(), "x\xc3\xa9");
  EXPECT_EQ(value->to_json(), R"({"a":[1,2.5,"x)"
                              "\xc3\xa9"
                              R"(",true,null],"b":{"c":{}}})");
}

TEST(JsonValueParse, RefusesWithReasonAndPath) {
  struct Case {
    std::string text;
    Reason reason;
    std::string where;
  };
  const Case cases[] = {
      {"{", Reason::kSyntax, ""},
      {"{\"a\": \"\xff\"}", Reason::kSyntax, ""},
      {"[1]", Reason::kNotObject, ""},
      {R"({"a": 1, "a": 2})", Reason::kDuplicateMember, "a"},
      {R"({"k": [{"x": 1}, {"x": 1, "x": 2}]})", Reason::kDuplicateMember, "k[1].x"},
      {R"({"a": [[[[1]]]]})", Reason::kTooDeep, "a[0][0][0]"},
  };
  for (const Case& c : cases) {
    JsonParseError error;
    EXPECT_FALSE(JsonValue::parse_object(c.text, 4, &error).has_value()) << c.text;
    EXPECT_EQ(error.reason, c.reason) << c.text;
    EXPECT_EQ(error.where, c.where) << c.text;
    EXPECT_FALSE(error.message(4).empty());
  }
  const JsonParseError too_deep{Reason::kTooDeep, ""};
  EXPECT_EQ(too_deep.message(4), "arrays and objects nest more than 4 deep");
  // Without an error to fill, just nullopt.
  EXPECT_FALSE(JsonValue::parse_object("null", 4).has_value());
}

TEST(JsonValueEquality, IsJsonEquality) {
  auto parse = [](const std::string& text) { return *JsonValue::parse_object(text, 8); };
  EXPECT_EQ(parse(R"({"a": 1, "b": [1, "x"]})"), parse(R"({"b": [1, "x"], "a": 1.0})"));
  EXPECT_FALSE(parse(R"({"a": 1})") == parse(R"({"a": 2})"));
  EXPECT_FALSE(parse(R"({"a": 1})") == parse(R"({"a": 1, "b": 1})"));
  EXPECT_FALSE(parse(R"({"a": [1, 2]})") == parse(R"({"a": [2, 1]})"));
  EXPECT_FALSE(parse(R"({"a": "1"})") == parse(R"({"a": 1})"));
  EXPECT_FALSE(parse(R"({"a": null})") == parse(R"({"a": false})"));
  EXPECT_EQ(JsonValue::string("x"), JsonValue::string("x"));
  EXPECT_EQ(JsonValue(), JsonValue::null());
}

TEST(JsonValueText, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonValue::string("a\"b\\c\n\x01").to_json(), R"("a\"b\\c\n\u0001")");
  EXPECT_EQ(JsonValue::integer(-7).to_json(), "-7");
  EXPECT_EQ(JsonValue::object({}).to_json(), "{}");
}

}  // namespace
}  // namespace stepup
