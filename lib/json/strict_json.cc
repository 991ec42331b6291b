// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/strict_json.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "simdjson.h"

namespace stepup::json_internal {
namespace {

// The DOM parser validates the whole document (UTF-8, structure, trailing
// content) with the CPU's fastest kernel and keeps every member on its tape,
// duplicates included, so this reader can refuse them.
namespace dom = simdjson::dom;

}  // namespace

// Writes a JsonValue in place, keeping what storage it can: a member or item
// whose kind repeats reuses its string or vector.
struct JsonBuilder {
  static void clear_containers(JsonValue& out) {
    out.items_.clear();
    out.members_.clear();
  }
  static void set_null(JsonValue& out) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kNull;
  }
  static void set_bool(JsonValue& out, bool value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kBool;
    out.bool_ = value;
  }
  static void set_integer(JsonValue& out, int64_t value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kInteger;
    out.integer_ = value;
  }
  static void set_double(JsonValue& out, double value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kDouble;
    out.double_ = value;
  }
  static void set_string(JsonValue& out, std::string_view value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kString;
    out.string_.assign(value);
  }
  static std::vector<JsonMember>& begin_object(JsonValue& out, std::size_t size) {
    out.items_.clear();
    out.string_.clear();
    out.kind_ = JsonValue::Kind::kObject;
    out.members_.resize(size);
    return out.members_;
  }
  static std::vector<JsonValue>& begin_array(JsonValue& out, std::size_t size) {
    out.members_.clear();
    out.string_.clear();
    out.kind_ = JsonValue::Kind::kArray;
    out.items_.resize(size);
    return out.items_;
  }
};

namespace {

// Objects up to this many members are checked for duplicates with a small
// chained hash on the stack; larger ones by sorting, so a hostile object
// cannot make the check quadratic.
constexpr std::size_t kSmallObjectLimit = 32;

class Reader {
 public:
  explicit Reader(int max_depth) : max_depth_(max_depth) {}

  JsonParseResult& result() { return result_; }

  // Every read_* writes `out` in place: strings and vectors it already holds
  // are reused, so parsing documents of a similar shape into the same value
  // (a per-thread scratch) does not allocate once warm.
  bool read_value(dom::element element, int depth, JsonValue& out) {
    switch (element.type()) {
      case dom::element_type::OBJECT:
        return read_object(dom::object(element), depth + 1, out);
      case dom::element_type::ARRAY:
        return read_array(dom::array(element), depth + 1, out);
      case dom::element_type::INT64:
        JsonBuilder::set_integer(out, int64_t(element));
        return true;
      case dom::element_type::UINT64:
        JsonBuilder::set_double(out, static_cast<double>(uint64_t(element)));
        return true;
      case dom::element_type::DOUBLE:
        JsonBuilder::set_double(out, double(element));
        return true;
      case dom::element_type::STRING:
        JsonBuilder::set_string(out, std::string_view(element));
        return true;
      case dom::element_type::BOOL:
        JsonBuilder::set_bool(out, bool(element));
        return true;
      case dom::element_type::NULL_VALUE:
        JsonBuilder::set_null(out);
        return true;
    }
    return fail(JsonError::kSyntax);
  }

  bool read_object(dom::object object, int depth, JsonValue& out) {
    if (depth > max_depth_) return fail(JsonError::kTooDeep);
    std::vector<JsonMember>& members = JsonBuilder::begin_object(out, object.size());
    std::size_t i = 0;
    for (dom::key_value_pair field : object) {
      // size() saturates for huge objects: grow as needed, trim after.
      if (i == members.size()) members.emplace_back();
      JsonMember& member = members[i++];
      member.name.assign(field.key);
      if (!read_value(field.value, depth, member.value)) {
        prefix_member(member.name);
        return false;
      }
    }
    members.resize(i);
    if (const JsonMember* duplicate = find_duplicate(members)) {
      fail(JsonError::kDuplicateMember);
      prefix_member(duplicate->name);
      return false;
    }
    return true;
  }

  bool read_array(dom::array array, int depth, JsonValue& out) {
    if (depth > max_depth_) return fail(JsonError::kTooDeep);
    std::vector<JsonValue>& items = JsonBuilder::begin_array(out, array.size());
    std::size_t i = 0;
    for (dom::element element : array) {
      if (i == items.size()) items.emplace_back();
      if (!read_value(element, depth, items[i])) {
        prefix_index(i);
        return false;
      }
      ++i;
    }
    items.resize(i);
    return true;
  }

 private:
  static std::size_t name_hash(const std::string& name) {
    if (name.empty()) return 0;
    const auto first = static_cast<unsigned char>(name.front());
    const auto middle = static_cast<unsigned char>(name[name.size() / 2]);
    const auto last = static_cast<unsigned char>(name.back());
    return name.size() * 7 + first * 31 + middle * 17 + last;
  }

  // Most names differ in size or first bytes: test those inline before the
  // full comparison (claims are full of three-letter names).
  static bool same_name(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    if (a[0] != b[0] || a[a.size() - 1] != b[b.size() - 1]) return false;
    return a == b;
  }

  static const JsonMember* find_duplicate(const std::vector<JsonMember>& members) {
    if (members.size() <= kSmallObjectLimit) {
      // Names are chained by a cheap hash into a few buckets, so each name
      // is compared in full only with names that share its bucket.
      constexpr uint8_t kNone = 0xFF;
      std::array<uint8_t, 64> heads;
      heads.fill(kNone);
      std::array<uint8_t, kSmallObjectLimit> next{};
      for (std::size_t i = 0; i < members.size(); ++i) {
        const std::string& name = members[i].name;
        const std::size_t bucket = name_hash(name) % heads.size();
        for (uint8_t j = heads[bucket]; j != kNone; j = next[j]) {
          if (same_name(members[j].name, name)) return &members[i];
        }
        next[i] = heads[bucket];
        heads[bucket] = static_cast<uint8_t>(i);
      }
      return nullptr;
    }
    std::vector<const JsonMember*> sorted;
    sorted.reserve(members.size());
    for (const JsonMember& member : members)
      sorted.push_back(&member);
    std::sort(sorted.begin(), sorted.end(),
              [](const JsonMember* a, const JsonMember* b) { return a->name < b->name; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i - 1]->name == sorted[i]->name) return sorted[i];
    }
    return nullptr;
  }

  bool fail(JsonError error) {
    result_.error = error;
    return false;
  }

  void prefix_member(const std::string& name) {
    result_.where = result_.where.empty() || result_.where.front() == '['
                        ? name + result_.where
                        : name + "." + result_.where;
  }

  void prefix_index(std::size_t index) {
    std::string prefix = "[" + std::to_string(index) + "]";
    result_.where = result_.where.empty() || result_.where.front() == '['
                        ? prefix + result_.where
                        : prefix + "." + result_.where;
  }

  int max_depth_;
  JsonParseResult result_;
};

dom::parser& thread_parser() {
  thread_local dom::parser parser;
  return parser;
}

}  // namespace

std::size_t json_padding() {
  return simdjson::SIMDJSON_PADDING;
}

JsonParseResult parse_json_object(const char* data, std::size_t size, std::size_t capacity,
                                  int max_depth, JsonValue& out) {
  Reader reader(max_depth);
  auto refuse = [&](JsonError error) {
    reader.result().error = error;
    out = JsonValue();
    return reader.result();
  };
  if (capacity < size + simdjson::SIMDJSON_PADDING) return refuse(JsonError::kSyntax);
  dom::element root;
  const simdjson::error_code error =
      thread_parser().parse(data, size, /*realloc_if_needed=*/false).get(root);
  if (error == simdjson::DEPTH_ERROR) return refuse(JsonError::kTooDeep);
  if (error) return refuse(JsonError::kSyntax);
  if (root.type() != dom::element_type::OBJECT) return refuse(JsonError::kNotObject);
  if (!reader.read_object(dom::object(root), 1, out)) out = JsonValue();
  return reader.result();
}

JsonParseResult parse_json_object(std::string_view text, int max_depth, JsonValue& out) {
  const simdjson::padded_string padded(text);
  return parse_json_object(padded.data(), padded.size(), padded.size() + json_padding(), max_depth,
                           out);
}

}  // namespace stepup::json_internal
