// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// FieldReader: typed members with the path of the first error.
#include "common/json_input.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace stepup::tools {
namespace {

using Kind = JsonValue::Kind;

JsonValue parse(std::string_view text) {
  std::optional<JsonValue> value = JsonValue::parse_object(text, 8);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(JsonValue::object({}));
}

TEST(FieldReaderTest, ReadsTypedMembers) {
  const JsonValue object = parse(R"({"a": "x", "b": 3, "c": null})");
  FieldReader fields;
  const JsonValue* a = fields.required(object, "top", "a", Kind::kString);
  const JsonValue* b = fields.optional(object, "top", "b", Kind::kInteger);
  const JsonValue* c = fields.optional(object, "top", "c", Kind::kString);  // null: missing.
  const JsonValue* d = fields.optional(object, "top", "d", Kind::kString);
  EXPECT_FALSE(fields.error().has_value());
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->as_string(), "x");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->as_integer(), 3);
  EXPECT_EQ(c, nullptr);
  EXPECT_EQ(d, nullptr);
}

TEST(FieldReaderTest, KeepsTheFirstErrorWithItsPath) {
  const JsonValue object = parse(R"({"a": 1})");
  FieldReader fields;
  EXPECT_EQ(fields.required(object, "cases[2]", "a", Kind::kString), nullptr);
  EXPECT_EQ(fields.required(object, "cases[2]", "missing", Kind::kString), nullptr);
  ASSERT_TRUE(fields.error().has_value());
  EXPECT_EQ(fields.error()->where, "cases[2].a");
  EXPECT_EQ(fields.error()->message, "must be a string");
}

TEST(FieldReaderTest, MissingRequiredMemberSaysWhatItMustBe) {
  FieldReader fields;
  fields.required(parse("{}"), "", "url", Kind::kString);
  ASSERT_TRUE(fields.error().has_value());
  EXPECT_EQ(fields.error()->where, "url");
  EXPECT_EQ(fields.error()->message, "missing (must be a string)");
}

TEST(FieldReaderTest, OnlyNamesTheFirstUnknownMember) {
  FieldReader fields;
  fields.only(parse(R"({"method": "GET", "cookie": "x", "other": 1})"), "request.json",
              {"method", "path"});
  ASSERT_TRUE(fields.error().has_value());
  EXPECT_EQ(fields.error()->where, "request.json");
  EXPECT_EQ(fields.error()->message, "unknown key \"cookie\" (expected method, path)");

  FieldReader known;
  known.only(parse(R"({"path": "/"})"), "", {"method", "path"});
  EXPECT_FALSE(known.error().has_value());
}

}  // namespace
}  // namespace stepup::tools
