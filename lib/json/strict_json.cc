// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/strict_json.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "simdjson.h"

namespace stepup::json_internal {
namespace {

// The DOM parser validates the whole document (UTF-8, structure, trailing
// content) with the CPU's fastest kernel and keeps every member on its tape,
// duplicates included, so the walk below can refuse them.
namespace dom = simdjson::dom;

// Objects up to this many members are checked for duplicates with a small
// chained hash; larger ones by sorting, so a hostile object cannot make the
// check quadratic.
constexpr std::size_t kSmallObjectLimit = 32;

std::size_t name_hash(std::string_view name) {
  if (name.empty()) return 0;
  const auto first = static_cast<unsigned char>(name.front());
  const auto middle = static_cast<unsigned char>(name[name.size() / 2]);
  const auto last = static_cast<unsigned char>(name.back());
  return name.size() * 7 + first * 31 + middle * 17 + last;
}

// Most names differ in size or first bytes: test those inline before the
// full comparison (claims are full of three-letter names).
bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  if (a[0] != b[0] || a[a.size() - 1] != b[b.size() - 1]) return false;
  return a == b;
}

// What simdjson does not check: duplicate member names and the depth limit.
// One pass over the tape; on failure, `result` says what and where.
class TapeChecker {
 public:
  TapeChecker(const JsonTape& tape, int max_depth, JsonParseResult& result)
      : tape_(tape), max_depth_(max_depth), result_(result) {}

  // The object whose '{' is at `open`.
  bool check_object(uint32_t open, int depth) {
    if (depth > max_depth_) return fail(JsonError::kTooDeep);
    const uint32_t close = static_cast<uint32_t>(tape_.words[open]) - 1;
    // The first names are chained by a cheap hash into a few buckets, so
    // each is compared in full only with names that share its bucket. They
    // are kept as tape indices: a few bytes of stack per level.
    constexpr uint8_t kNone = 0xFF;
    std::array<uint8_t, 64> heads;
    heads.fill(kNone);
    std::array<uint32_t, kSmallObjectLimit> keys;
    std::array<uint8_t, kSmallObjectLimit> next;
    std::size_t count = 0;
    // A duplicate is reported after the members, as a reader that copies
    // the object meets the errors.
    uint32_t duplicate = 0;
    for (uint32_t key = open + 1; key < close; ++count) {
      if (duplicate == 0 && count < kSmallObjectLimit) {
        const std::string_view name = tape_.string_at(key);
        const std::size_t bucket = name_hash(name) % heads.size();
        for (uint8_t j = heads[bucket]; j != kNone; j = next[j]) {
          if (same_name(tape_.string_at(keys[j]), name)) {
            duplicate = key;
            break;
          }
        }
        keys[count] = key;
        next[count] = heads[bucket];
        heads[bucket] = static_cast<uint8_t>(count);
      }
      const uint32_t value = key + 1;
      const char type = tape_.type_at(value);
      if (!check_value(value, type, depth)) {
        prefix_member(tape_.string_at(key));
        return false;
      }
      key = tape_.after(value, type);
    }
    if (duplicate == 0 && count > kSmallObjectLimit) duplicate = find_duplicate_by_sorting(open);
    if (duplicate != 0) {
      fail(JsonError::kDuplicateMember);
      prefix_member(tape_.string_at(duplicate));
      return false;
    }
    return true;
  }

  // The array whose '[' is at `open`.
  bool check_array(uint32_t open, int depth) {
    if (depth > max_depth_) return fail(JsonError::kTooDeep);
    const uint32_t close = static_cast<uint32_t>(tape_.words[open]) - 1;
    std::size_t index = 0;
    for (uint32_t item = open + 1; item < close; ++index) {
      const char type = tape_.type_at(item);
      if (!check_value(item, type, depth)) {
        prefix_index(index);
        return false;
      }
      item = tape_.after(item, type);
    }
    return true;
  }

  // The value at `index`, of `type`, inside a container at `depth`: only
  // containers need checking.
  bool check_value(uint32_t index, char type, int depth) {
    if (type == '{') return check_object(index, depth + 1);
    if (type == '[') return check_array(index, depth + 1);
    return true;
  }

 private:
  // For a large object: the tape index of the later of two equal names,
  // or 0.
  uint32_t find_duplicate_by_sorting(uint32_t open) const {
    std::vector<uint32_t> keys;
    const uint32_t close = static_cast<uint32_t>(tape_.words[open]) - 1;
    for (uint32_t key = open + 1; key < close; key = tape_.after(key + 1))
      keys.push_back(key);
    // Stable, so that of equal names the later one follows.
    std::stable_sort(keys.begin(), keys.end(), [this](uint32_t a, uint32_t b) {
      return tape_.string_at(a) < tape_.string_at(b);
    });
    for (std::size_t i = 1; i < keys.size(); ++i) {
      if (tape_.string_at(keys[i - 1]) == tape_.string_at(keys[i])) return keys[i];
    }
    return 0;
  }

  bool fail(JsonError error) {
    result_.error = error;
    return false;
  }

  void prefix_member(std::string_view name) {
    std::string prefixed(name);
    if (!result_.where.empty() && result_.where.front() != '[') prefixed += '.';
    result_.where.insert(0, prefixed);
  }

  void prefix_index(std::size_t index) {
    std::string prefix = "[" + std::to_string(index) + "]";
    if (!result_.where.empty() && result_.where.front() != '[') prefix += '.';
    result_.where.insert(0, prefix);
  }

  const JsonTape& tape_;
  int max_depth_;
  JsonParseResult& result_;
};

JsonDocument& thread_document() {
  thread_local JsonDocument document;
  return document;
}

}  // namespace

JsonDocument::JsonDocument() : parser_(std::make_unique<dom::parser>()) {}
JsonDocument::~JsonDocument() = default;

JsonParseResult JsonDocument::parse(const char* data, std::size_t size, std::size_t capacity,
                                    int max_depth) {
  parsed_ = false;
  JsonParseResult result;
  auto refuse = [&result](JsonError error) {
    result.error = error;
    return result;
  };
  if (capacity < size + simdjson::SIMDJSON_PADDING) return refuse(JsonError::kSyntax);
  dom::element root;
  const simdjson::error_code error =
      parser_->parse(data, size, /*realloc_if_needed=*/false).get(root);
  if (error == simdjson::DEPTH_ERROR) return refuse(JsonError::kTooDeep);
  if (error) return refuse(JsonError::kSyntax);
  if (root.type() != dom::element_type::OBJECT) return refuse(JsonError::kNotObject);
  tape_ = JsonTape{parser_->doc.tape.get(), parser_->doc.string_buf.get()};
  TapeChecker checker(tape_, max_depth, result);
  if (!checker.check_object(kRootIndex, 1)) return result;
  parsed_ = true;
  return result;
}

std::size_t json_padding() {
  return simdjson::SIMDJSON_PADDING;
}

JsonParseResult parse_json_object(const char* data, std::size_t size, std::size_t capacity,
                                  int max_depth, JsonValue& out) {
  JsonDocument& document = thread_document();
  JsonParseResult result = document.parse(data, size, capacity, max_depth);
  if (result.error == JsonError::kOk) {
    document.root().copy_to(out);
  } else {
    out = JsonValue();
  }
  return result;
}

JsonParseResult parse_json_object(std::string_view text, int max_depth, JsonValue& out) {
  const simdjson::padded_string padded(text);
  return parse_json_object(padded.data(), padded.size(), padded.size() + json_padding(), max_depth,
                           out);
}

}  // namespace stepup::json_internal
