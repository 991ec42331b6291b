// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// JsonRef reads a document in two forms: a JsonValue, and the parser's tape
// (how token claims are read, without a copy). Both must read the same.
#include "json/json_ref.h"

#include <gtest/gtest.h>

#include <bit>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/strict_json.h"
#include "random_json.h"

namespace stepup::json_internal {
namespace {

// A document kept on its tape, with the padding simdjson needs.
class TapeDocument {
 public:
  explicit TapeDocument(std::string_view json) : padded_(json) {
    padded_.resize(json.size() + json_padding());
    error_ = document_.parse(padded_.data(), json.size(), padded_.size(), 16).error;
  }
  JsonError error() const { return error_; }
  JsonRef root() const { return document_.root(); }

 private:
  std::string padded_;
  JsonDocument document_;
  JsonError error_;
};

std::vector<JsonRef> items_of(JsonRef array) {
  std::vector<JsonRef> items;
  array.for_each_item([&items](JsonRef item) {
    items.push_back(item);
    return true;
  });
  return items;
}

std::vector<std::pair<std::string_view, JsonRef>> members_of(JsonRef object) {
  std::vector<std::pair<std::string_view, JsonRef>> members;
  object.for_each_member([&members](std::string_view name, JsonRef value) {
    members.emplace_back(name, value);
    return true;
  });
  return members;
}

// Every read of `a` and `b` compared; empty when they agree, else where.
std::string difference(JsonRef a, JsonRef b, const std::string& at = "$") {
  if (a.present() != b.present()) return at + ": presence differs";
  if (a.kind() != b.kind()) return at + ": kind differs";
  if (a.as_bool() != b.as_bool()) return at + ": as_bool differs";
  if (a.as_integer() != b.as_integer()) return at + ": as_integer differs";
  if (std::bit_cast<uint64_t>(a.as_double()) != std::bit_cast<uint64_t>(b.as_double()))
    return at + ": as_double differs";
  if (a.as_string() != b.as_string()) return at + ": as_string differs";
  if (a.empty_array() != b.empty_array()) return at + ": empty_array differs";
  const std::vector<JsonRef> items_a = items_of(a), items_b = items_of(b);
  if (items_a.size() != items_b.size()) return at + ": item count differs";
  for (std::size_t i = 0; i < items_a.size(); ++i) {
    std::string diff = difference(items_a[i], items_b[i], at + "[" + std::to_string(i) + "]");
    if (!diff.empty()) return diff;
  }
  const auto members_a = members_of(a), members_b = members_of(b);
  if (members_a.size() != members_b.size()) return at + ": member count differs";
  for (std::size_t i = 0; i < members_a.size(); ++i) {
    const std::string name(members_a[i].first);
    if (members_a[i].first != members_b[i].first) return at + ": member name differs";
    std::string diff = difference(members_a[i].second, members_b[i].second, at + "." + name);
    if (!diff.empty()) return diff;
    diff = difference(a.find(name), b.find(name), at + ".find(" + name + ")");
    if (!diff.empty()) return diff;
  }
  for (const char* absent : {"zz", "", "A"}) {
    if (a.find(absent).present() != b.find(absent).present()) return at + ": find differs";
  }
  return "";
}

JsonRef first_member(JsonRef object) {
  // Not a JsonRef assigned in the visit: GCC 12 takes its unset union for
  // a read (-Wmaybe-uninitialized), though an absent reference is never read.
  std::optional<JsonRef> first;
  object.for_each_member([&first](std::string_view, JsonRef value) {
    first.emplace(value);
    return false;
  });
  return first.value_or(JsonRef());
}

TEST(JsonRef, DifferenceSeesAChangedValue) {
  // Guards the helper, so that "no difference" below means something.
  const TapeDocument one(R"({"a":[1,{"b":"c"}],"d":2})");
  for (const char* other : {R"({"a":[1,{"b":"x"}],"d":2})", R"({"a":[1,{"b":"c"}],"d":2.0})",
                            R"({"a":[1,{"B":"c"}],"d":2})", R"({"a":[1],"d":2})",
                            R"({"a":[1,{"b":"c"}]})", R"({"a":[true,{"b":"c"}],"d":2})"}) {
    const TapeDocument two(other);
    ASSERT_EQ(two.error(), JsonError::kOk) << other;
    EXPECT_NE(difference(one.root(), two.root()), "") << other;
  }
}

TEST(JsonRef, ATapeReadsAsItsCopyOnHandPickedDocuments) {
  for (const char* json :
       {"{}", R"({"":0})", R"({"a":null,"b":true,"c":false,"d":-7,"e":1.5,"f":"s"})",
        R"({"big":18446744073709551615,"min":-9223372036854775808,"e":1e3,"z":-0.0})",
        R"({"empty":[],"nested":[[],[[]],{}],"o":{"p":{"q":[1,"2",{"r":null}]}}})",
        R"({"esc":"a\"b\\c\u00e9\u0000d","key\nwith\tescapes":1})",
        R"({"aud":["https://api.example.com","b"],"scope":"openid payments:write"})"}) {
    const TapeDocument tape(json);
    ASSERT_EQ(tape.error(), JsonError::kOk) << json;
    JsonValue copy;
    tape.root().copy_to(copy);
    EXPECT_EQ(difference(tape.root(), JsonRef(copy)), "") << json;
  }
}

TEST(JsonRef, ATapeReadsAsItsCopyOnRandomDocuments) {
  RandomJson random(0x7a9e);
  int failures = 0;
  for (int i = 0; i < 5000 && failures < 5; ++i) {
    const std::string json = random.object(1);
    const TapeDocument tape(json);
    ASSERT_EQ(tape.error(), JsonError::kOk) << json;
    JsonValue copy;
    tape.root().copy_to(copy);
    const std::string diff = difference(tape.root(), JsonRef(copy));
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << diff << "\n" << json;
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(JsonRef, VisitsStopWhenAskedTo) {
  const TapeDocument tape(R"({"a":[1,2,3],"b":2,"c":3})");
  int visited = 0;
  tape.root().for_each_member([&visited](std::string_view, JsonRef) { return ++visited < 2; });
  EXPECT_EQ(visited, 2);
  visited = 0;
  tape.root().find("a").for_each_item([&visited](JsonRef) { return ++visited < 1; });
  EXPECT_EQ(visited, 1);
}

TEST(JsonRef, WrongKindsReadAsNeutralValues) {
  const TapeDocument tape(R"({"s":"1","i":1,"a":[1],"o":{"x":1}})");
  const JsonRef root = tape.root();
  EXPECT_EQ(root.find("s").as_integer(), 0);
  EXPECT_EQ(root.find("i").as_string(), "");
  EXPECT_FALSE(root.find("i").as_bool());
  EXPECT_FALSE(root.find("a").find("x").present());
  EXPECT_TRUE(root.find("o").empty_array());  // Not an array: no items.
  EXPECT_FALSE(root.find("a").empty_array());
  EXPECT_EQ(root.find("o").find("x").as_integer(), 1);
  EXPECT_EQ(first_member(root), root.find("s"));
  const JsonRef absent;
  EXPECT_FALSE(absent.present());
  EXPECT_EQ(absent.kind(), JsonValue::Kind::kNull);
  EXPECT_FALSE(absent.find("s").present());
  EXPECT_EQ(JsonRef(static_cast<const JsonValue*>(nullptr)), absent);
}

TEST(JsonRef, EqualityIsIdentity) {
  const TapeDocument tape(R"({"a":1,"b":1})");
  EXPECT_EQ(tape.root().find("a"), tape.root().find("a"));
  EXPECT_FALSE(tape.root().find("a") == tape.root().find("b"));  // Equal values, not the same.
  JsonValue copy;
  tape.root().copy_to(copy);
  EXPECT_FALSE(JsonRef(copy).find("a") == tape.root().find("a"));
  EXPECT_EQ(JsonRef(copy).find("a"), JsonRef(copy.find("a")));
}

TEST(JsonDocument, AFailedParseLeavesNoRoot) {
  TapeDocument good(R"({"a":1})");
  ASSERT_TRUE(good.root().present());
  for (const char* bad : {R"({"a":1,"a":2})", "[1]", "{", R"({"a":{"b":1,"b":1}})"}) {
    const TapeDocument tape(bad);
    EXPECT_NE(tape.error(), JsonError::kOk) << bad;
    EXPECT_FALSE(tape.root().present()) << bad;
  }
}

}  // namespace
}  // namespace stepup::json_internal
