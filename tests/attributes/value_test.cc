// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// attributes::Value::has_word(), which searches a word list's text at once,
// against visiting its items with for_each_item().
#include "attributes/value.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/json_value.h"

namespace stepup::attributes {
namespace {

// The documented meaning: some item, compared as a string, equals the needle
// (a needle that is not a string is never one of the words).
bool reference_has_word(const Value& list, const Value& needle) {
  if (needle.kind() != Value::Kind::kString) return false;
  bool found = false;
  list.for_each_item([&](const Value& item) {
    found = item.kind() == Value::Kind::kString && item.as_string() == needle.as_string();
    return !found;
  });
  return found;
}

std::string show(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string show(const Value& needle) {
  switch (needle.kind()) {
    case Value::Kind::kString:
      return show(needle.as_string());
    case Value::Kind::kInt:
      return "integer " + std::to_string(needle.as_int());
    case Value::Kind::kBool:
      return needle.as_bool() ? "boolean true" : "boolean false";
    default:
      return "another kind";
  }
}

TEST(ValueWords, VisitsNonEmptyWordsInOrder) {
  // Guards the reference: runs of spaces and edge spaces give no empty words.
  std::vector<std::string> words;
  Value::words("  a  ab b ").for_each_item([&](const Value& item) {
    words.emplace_back(item.as_string());
    return true;
  });
  EXPECT_EQ(words, (std::vector<std::string>{"a", "ab", "b"}));
  EXPECT_EQ(Value::words("  a  ab b ").list_size(), 3u);
  EXPECT_EQ(Value::words("   ").list_size(), 0u);
}

TEST(ValueHasWord, HandPickedCases) {
  const Value scope = Value::words("read  write:all read:x ");
  EXPECT_EQ(scope.has_word(Value::string("read")), true);
  EXPECT_EQ(scope.has_word(Value::string("write:all")), true);
  EXPECT_EQ(scope.has_word(Value::string("write")), false);  // A prefix of a word.
  EXPECT_EQ(scope.has_word(Value::string("all")), false);    // A suffix of a word.
  EXPECT_EQ(scope.has_word(Value::string("ead")), false);
  EXPECT_EQ(scope.has_word(Value::string("")), false);
  EXPECT_EQ(scope.has_word(Value::string(" ")), false);
  EXPECT_EQ(scope.has_word(Value::string("read write:all")), false);
  EXPECT_EQ(scope.has_word(Value::integer(1)), false);
  EXPECT_EQ(scope.has_word(Value::boolean(true)), false);
  EXPECT_EQ(scope.has_word(Value::absent()), false);
  EXPECT_EQ(Value::words("").has_word(Value::string("")), false);
}

TEST(ValueHasWord, IsNulloptForEverythingButWordLists) {
  const Value items[] = {Value::string("a"), Value::string("b")};
  EXPECT_EQ(Value::values(items, 2).has_word(Value::string("a")), std::nullopt);
  const JsonValue array = JsonValue::array({JsonValue::string("a")});
  EXPECT_EQ(Value::json_list(array).has_word(Value::string("a")), std::nullopt);
  EXPECT_EQ(Value::string("a").has_word(Value::string("a")), std::nullopt);
  EXPECT_EQ(Value::integer(1).has_word(Value::integer(1)), std::nullopt);
  EXPECT_EQ(Value::absent().has_word(Value::string("a")), std::nullopt);
}

// Every text of up to `max_length` characters over {a, b, ' '}.
std::vector<std::string> all_texts(int max_length) {
  std::vector<std::string> out = {""};
  std::size_t begin = 0;
  for (int length = 1; length <= max_length; ++length) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (char c : {'a', 'b', ' '})
        out.push_back(out[i] + c);
    }
    begin = end;
  }
  return out;
}

TEST(ValueHasWordProperty, ExhaustiveShortTextsAndNeedlesAgreeWithVisiting) {
  // Every text of up to 7 characters against every needle of up to 4: words
  // that are prefixes, suffixes or middles of others, needles with spaces,
  // the empty needle, runs of spaces and spaces at either end.
  const std::vector<std::string> texts = all_texts(7);
  const std::vector<std::string> needles = all_texts(4);
  int failures = 0, found = 0;
  for (const std::string& text : texts) {
    const Value list = Value::words(text);
    for (const std::string& needle_text : needles) {
      const Value needle = Value::string(needle_text);
      const bool expected = reference_has_word(list, needle);
      found += expected ? 1 : 0;
      const std::optional<bool> actual = list.has_word(needle);
      if (actual != expected && ++failures <= 20) {
        ADD_FAILURE() << "words " << show(text) << " has_word " << show(needle) << ": "
                      << (actual ? (*actual ? "true" : "false") : "nullopt") << ", expected "
                      << expected;
      }
    }
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(found, 4000);  // Not a vacuous agreement on "false".
}

TEST(ValueHasWordProperty, RandomTextsAndNeedlesAgreeWithVisiting) {
  std::mt19937_64 rng(0x5c0be);
  auto random_text = [&rng](int max_length) {
    std::string text(std::uniform_int_distribution<int>(0, max_length)(rng), ' ');
    for (char& c : text)
      c = "ab  "[std::uniform_int_distribution<int>(0, 3)(rng)];
    return text;
  };
  int failures = 0;
  for (int i = 0; i < 100000 && failures < 20; ++i) {
    const std::string text = random_text(24);
    const Value list = Value::words(text);
    std::string needle_text = random_text(6);
    // Often a word of the text itself, or a piece of it, so matches are common.
    if (i % 3 == 0 && !text.empty()) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
      const std::size_t length = std::uniform_int_distribution<std::size_t>(1, 5)(rng);
      needle_text = text.substr(at, length);
    }
    Value needle = Value::string(needle_text);
    switch (i % 10) {
      case 0:
        needle = Value::integer(std::uniform_int_distribution<int64_t>(-2, 2)(rng));
        break;
      case 1:
        needle = Value::boolean(i % 20 == 1);
        break;
      default:
        break;
    }
    const bool expected = reference_has_word(list, needle);
    const std::optional<bool> actual = list.has_word(needle);
    if (actual != expected) {
      ++failures;
      ADD_FAILURE() << "words " << show(text) << " has_word " << show(needle) << ": "
                    << (actual ? (*actual ? "true" : "false") : "nullopt") << ", expected "
                    << expected;
    }
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace stepup::attributes
