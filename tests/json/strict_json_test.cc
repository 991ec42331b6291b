// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/strict_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "random_json.h"

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

// ---------------------------------------------------------------------------
// Parsing in place: a JsonValue that held one document, parsed again, must be
// exactly what a fresh JsonValue gets.

const char* kind_name(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "bool";
    case JsonValue::Kind::kInteger:
      return "integer";
    case JsonValue::Kind::kDouble:
      return "double";
    case JsonValue::Kind::kString:
      return "string";
    case JsonValue::Kind::kArray:
      return "array";
    case JsonValue::Kind::kObject:
      return "object";
  }
  return "?";
}

// Walks both values through the public accessors; empty when they are equal,
// else where and how they differ. Containers a kind does not use must be
// empty, so that storage left over from an earlier document shows.
std::string difference(const JsonValue& a, const JsonValue& b, const std::string& at = "$") {
  if (a.kind() != b.kind()) {
    return at + ": " + kind_name(a.kind()) + " vs " + kind_name(b.kind());
  }
  const bool array = a.kind() == JsonValue::Kind::kArray;
  const bool object = a.kind() == JsonValue::Kind::kObject;
  if (!array && (!a.items().empty() || !b.items().empty())) return at + ": stray items";
  if (!object && (!a.members().empty() || !b.members().empty())) return at + ": stray members";
  switch (a.kind()) {
    case JsonValue::Kind::kNull:
      return "";
    case JsonValue::Kind::kBool:
      return a.as_bool() == b.as_bool() ? "" : at + ": bool differs";
    case JsonValue::Kind::kInteger:
      return a.as_integer() == b.as_integer() ? "" : at + ": integer differs";
    case JsonValue::Kind::kDouble:
      return std::bit_cast<uint64_t>(a.as_double()) == std::bit_cast<uint64_t>(b.as_double())
                 ? ""
                 : at + ": double differs";
    case JsonValue::Kind::kString:
      return a.as_string() == b.as_string() ? ""
                                            : at + ": \"" + std::string(a.as_string()) +
                                                  "\" vs \"" + std::string(b.as_string()) + "\"";
    case JsonValue::Kind::kArray:
      if (a.items().size() != b.items().size()) {
        return at + ": " + std::to_string(a.items().size()) + " vs " +
               std::to_string(b.items().size()) + " items";
      }
      for (std::size_t i = 0; i < a.items().size(); ++i) {
        std::string diff =
            difference(a.items()[i], b.items()[i], at + "[" + std::to_string(i) + "]");
        if (!diff.empty()) return diff;
      }
      return "";
    case JsonValue::Kind::kObject:
      if (a.members().size() != b.members().size()) {
        return at + ": " + std::to_string(a.members().size()) + " vs " +
               std::to_string(b.members().size()) + " members";
      }
      for (std::size_t i = 0; i < a.members().size(); ++i) {
        const JsonMember& ma = a.members()[i];
        const JsonMember& mb = b.members()[i];
        if (ma.name != mb.name) return at + ": member " + ma.name + " vs " + mb.name;
        std::string diff = difference(ma.value, mb.value, at + "." + ma.name);
        if (!diff.empty()) return diff;
      }
      return "";
  }
  return at + ": unknown kind";
}

TEST(StrictJsonDifference, SeesEveryKindOfChange) {
  // Guards the helper, so that "no difference" below means something.
  JsonValue a, b;
  ASSERT_EQ(parse(R"({"x":[1,{"y":"z"}]})", a).error, JsonError::kOk);
  ASSERT_EQ(parse(R"({"x":[1,{"y":"z"}]})", b).error, JsonError::kOk);
  EXPECT_EQ(difference(a, b), "");
  for (const char* other : {R"({"x":[1,{"y":"w"}]})", R"({"x":[1,{"y":1}]})",
                            R"({"x":[1,{"Y":"z"}]})", R"({"x":[1]})", R"({"x":[1.0,{"y":"z"}]})",
                            R"({"x":[1,{"y":"z"}],"w":null})", R"({"x":[1,{"y":["z"]}]})"}) {
    ASSERT_EQ(parse(other, b).error, JsonError::kOk);
    JsonValue fresh;
    ASSERT_EQ(parse(other, fresh).error, JsonError::kOk);
    EXPECT_NE(difference(a, fresh), "") << other;
  }
}

// Parses `second` into a value that holds `first`, and into a fresh value.
void expect_reparse_matches_fresh(std::string_view first, std::string_view second) {
  JsonValue reused;
  ASSERT_EQ(parse(first, reused).error, JsonError::kOk) << first;
  ASSERT_EQ(parse(second, reused).error, JsonError::kOk) << second;
  JsonValue fresh;
  ASSERT_EQ(parse(second, fresh).error, JsonError::kOk) << second;
  EXPECT_EQ(difference(reused, fresh), "") << "first " << first << "\nthen " << second;
}

TEST(StrictJsonInPlace, ReparsingHandPickedShapesMatchesAFreshParse) {
  const char* const documents[] = {
      R"({})",
      R"({"a":1,"b":2,"c":3,"d":4})",
      R"({"a":"text","b":{"x":1},"c":[1,2,3]})",
      R"({"a":{"x":"s","y":[1]},"b":[{"k":1},{"k":2}],"c":"s"})",
      R"({"a":[1,[2,[3,[4]]]],"b":"long string that needs the heap, not SSO"})",
      R"({"a":[],"b":{},"c":""})",
      R"({"a":1.5,"b":true,"c":null,"d":-7,"e":18446744073709551615})",
      R"({"c":[1,2,3],"b":{"x":1},"a":"text"})",
      R"({"a":[[1,2,3],[4,5],[6]],"b":[[[]]]})",
      R"({"a":[[1],[]],"b":[[]]})",
      R"({"a":{"a":{"a":{"a":1}}}})",
      R"({"a":"x"})",
  };
  // Every ordered pair: more and fewer members, kinds changing between
  // string, object, array and number, nested arrays growing and shrinking.
  for (const char* first : documents) {
    for (const char* second : documents)
      expect_reparse_matches_fresh(first, second);
  }
}

TEST(StrictJsonInPlace, ReparsingRandomDocumentsMatchesAFreshParse) {
  RandomJson random(0x15a1e);
  JsonValue reused;
  std::string previous = "{}";
  ASSERT_EQ(parse(previous, reused).error, JsonError::kOk);
  int failures = 0;
  for (int i = 0; i < 20000 && failures < 10; ++i) {
    const std::string next = random.object(1);
    JsonValue fresh;
    const JsonParseResult fresh_result = parse(next, fresh);
    ASSERT_EQ(fresh_result.error, JsonError::kOk) << next;
    const JsonParseResult result = parse(next, reused);
    ASSERT_EQ(result.error, JsonError::kOk) << next;
    const std::string diff = difference(reused, fresh);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << diff << "\nfirst " << previous << "\nthen  " << next;
    }
    previous = next;
  }
  EXPECT_EQ(failures, 0);
}

TEST(StrictJsonInPlace, ParsingAfterAFailedParseMatchesAFreshParse) {
  // A failed parse may leave the value half written: the next one must not
  // see any of it.
  const char* const bad[] = {
      R"({"a":[1,2,{"x":1,"x":2}],"b":"s"})",       // Duplicate deep inside.
      R"({"a":{"b":{"c":{"d":{"e":{}}}}},"z":1})",  // Too deep for 4.
      R"({"a":[1,2,3],"b":)",                       // Syntax.
  };
  RandomJson random(0xfa11ed);
  for (int i = 0; i < 3000; ++i) {
    JsonValue reused;
    const std::string before = random.object(1);
    ASSERT_EQ(parse(before, reused).error, JsonError::kOk) << before;
    const char* failing = bad[i % 3];
    ASSERT_NE(parse(failing, reused, 4).error, JsonError::kOk) << failing;
    const std::string after = random.object(1);
    ASSERT_EQ(parse(after, reused).error, JsonError::kOk) << after;
    JsonValue fresh;
    ASSERT_EQ(parse(after, fresh).error, JsonError::kOk) << after;
    const std::string diff = difference(reused, fresh);
    ASSERT_EQ(diff, "") << "before " << before << "\nfailing " << failing << "\nafter " << after;
  }
}

bool is_empty_null(const JsonValue& value) {
  return value.is_null() && value.items().empty() && value.members().empty();
}

TEST(StrictJsonInPlace, AFailedReadOfTheObjectLeavesANullValue) {
  // A duplicate or a depth refused while the object is read: the value that
  // held a document is left null, not half overwritten.
  for (const auto& [text, error] : {
           std::pair{R"({"a":[1,{"x":1,"x":2}],"b":"s"})", JsonError::kDuplicateMember},
           std::pair{R"({"a":1,"a":2})", JsonError::kDuplicateMember},
           std::pair{R"({"a":{"b":{"c":{"d":{"e":{}}}}}})", JsonError::kTooDeep},
       }) {
    JsonValue value;
    ASSERT_EQ(parse(R"({"a":"before","b":[1,2],"c":{"d":1}})", value).error, JsonError::kOk);
    EXPECT_EQ(parse(text, value, 4).error, error) << text;
    EXPECT_TRUE(is_empty_null(value)) << text << " left a " << kind_name(value.kind());
  }
}

// strict_json.h: on any error `out` is left null, also when the document is
// refused before its object is read (syntax, top level not an object).
TEST(StrictJsonInPlace, EveryFailedParseLeavesANullValue) {
  for (const char* text : {R"({"a":)", "[1,2]", "42", ""}) {
    JsonValue value;
    ASSERT_EQ(parse(R"({"a":"before"})", value).error, JsonError::kOk);
    EXPECT_NE(parse(text, value).error, JsonError::kOk) << text;
    EXPECT_TRUE(is_empty_null(value)) << text << " left a " << kind_name(value.kind());
  }
}

// ---------------------------------------------------------------------------
// Duplicate member names, small objects (a chained hash) and large ones
// (sorting) alike.

// Names that mostly share their length, first, middle and last characters,
// so that they fall into the same hash buckets and pass the cheap checks.
std::string random_name(std::mt19937_64& rng) {
  const int length = std::uniform_int_distribution<int>(0, 5)(rng);
  if (length == 0) return "";
  std::string name(length, 'a');
  const char* const kEnds = "ab";
  const char* const kMiddles = "abc";
  name.front() = kEnds[std::uniform_int_distribution<int>(0, 1)(rng)];
  name.back() = kEnds[std::uniform_int_distribution<int>(0, 1)(rng)];
  for (int i = 1; i + 1 < length; ++i)
    name[i] = kMiddles[std::uniform_int_distribution<int>(0, 2)(rng)];
  return name;
}

// The name as JSON, each character spelled plainly or as a \u escape, so that
// equal names may differ in the text.
std::string quoted(const std::string& name, std::mt19937_64& rng) {
  static const char* const kHex = "0123456789abcdef";
  std::string text = "\"";
  for (char c : name) {
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
      text += "\\u00";
      text += kHex[(c >> 4) & 0xf];
      text += kHex[c & 0xf];
    } else {
      text += c;
    }
  }
  return text + "\"";
}

std::vector<std::string> distinct_names(std::mt19937_64& rng, std::size_t count) {
  std::vector<std::string> names;
  while (names.size() < count) {
    std::string name = random_name(rng);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::string object_text(const std::vector<std::string>& names, std::mt19937_64& rng) {
  static const char* const kValues[] = {"0", "\"v\"", "[1]", "{\"k\":1}", "null", "true"};
  std::string text = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += ",";
    text += quoted(names[i], rng) + ":" + kValues[std::uniform_int_distribution<int>(0, 5)(rng)];
  }
  return text + "}";
}

TEST(StrictJsonDuplicates, OneRepeatedNameAnywhereIsRefusedAndNamed) {
  std::mt19937_64 rng(0xd0b1e);
  int failures = 0;
  for (int i = 0; i < 10000 && failures < 10; ++i) {
    const std::size_t count = std::uniform_int_distribution<std::size_t>(2, 40)(rng);
    std::vector<std::string> names = distinct_names(rng, count - 1);
    // Repeat one name at a random later position.
    const std::size_t original = std::uniform_int_distribution<std::size_t>(0, count - 2)(rng);
    const std::size_t copy =
        std::uniform_int_distribution<std::size_t>(original + 1, count - 1)(rng);
    names.insert(names.begin() + static_cast<std::ptrdiff_t>(copy), names[original]);
    const bool nested = i % 4 == 0;
    const std::string object = object_text(names, rng);
    const std::string text = nested ? R"({"outer":[{},)" + object + "]}" : object;
    // (An empty name adds nothing to the path: `where` is then the object's.)
    const std::string& name = names[original];
    const std::string expected_where = !nested        ? name
                                       : name.empty() ? "outer[1]"
                                                      : "outer[1]." + name;
    JsonValue value;
    const JsonParseResult result = parse(text, value);
    if (result.error != JsonError::kDuplicateMember || result.where != expected_where) {
      ++failures;
      ADD_FAILURE() << "error " << static_cast<int>(result.error) << " where \"" << result.where
                    << "\", expected a duplicate at \"" << expected_where << "\" in " << text;
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(StrictJsonDuplicates, DistinctNamesAreAcceptedInOrder) {
  std::mt19937_64 rng(0xd15c);
  int failures = 0;
  for (int i = 0; i < 10000 && failures < 10; ++i) {
    const std::size_t count = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
    const std::vector<std::string> names = distinct_names(rng, count);
    const std::string text = object_text(names, rng);
    JsonValue value;
    const JsonParseResult result = parse(text, value);
    bool same_names = result.error == JsonError::kOk && value.members().size() == names.size();
    for (std::size_t m = 0; same_names && m < names.size(); ++m)
      same_names = value.members()[m].name == names[m];
    if (!same_names) {
      ++failures;
      ADD_FAILURE() << "error " << static_cast<int>(result.error) << " where \"" << result.where
                    << "\" for " << text;
    }
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace stepup::json_internal
