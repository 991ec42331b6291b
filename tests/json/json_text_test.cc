// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// json_quote() turns any bytes (request paths and headers are not UTF-8 by
// contract) into a JSON string literal that is valid UTF-8.
#include "json/json_text.h"

#include <gtest/gtest.h>

#include <string>

#include "json/strict_json.h"

namespace stepup::json_internal {
namespace {

// Parses `{"v": <literal>}` with the library's strict (UTF-8 validating)
// parser and returns the decoded string.
std::string round_trip(const std::string& literal) {
  JsonValue value;
  const json_internal::JsonParseResult parsed =
      json_internal::parse_json_object("{\"v\":" + literal + "}", 4, value);
  EXPECT_EQ(parsed.error, json_internal::JsonError::kOk) << literal;
  return std::string(value.find("v") != nullptr ? value.find("v")->as_string() : "");
}

TEST(JsonQuote, KeepsWellFormedUtf8AndEscapesControls) {
  EXPECT_EQ(json_quote("a\"b\\c\n\t\x01"), R"("a\"b\\c\n\t\u0001")");
  EXPECT_EQ(round_trip(json_quote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80")),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(JsonQuote, ReplacesBytesThatAreNotUtf8) {
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  const std::pair<std::string, std::string> cases[] = {
      {"\xFF", replacement},
      {"a\x80z", "a" + replacement + "z"},
      {"\xC0\xAF", replacement + replacement},                    // Overlong '/'.
      {"\xED\xA0\x80", replacement + replacement + replacement},  // A surrogate.
      {"\xF4\x90\x80\x80", replacement + replacement + replacement + replacement},
      {"\xE2\x82", replacement + replacement},  // Truncated.
  };
  for (const auto& [raw, decoded] : cases) {
    EXPECT_EQ(round_trip(json_quote(raw)), decoded) << json_quote(raw);
  }
}

TEST(JsonQuote, EveryByteStringGivesValidJson) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 17) {
      const std::string raw = {static_cast<char>(a), static_cast<char>(b), 'x'};
      round_trip(json_quote(raw));
    }
  }
}

}  // namespace
}  // namespace stepup::json_internal
