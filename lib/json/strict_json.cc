// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/strict_json.h"

#include <algorithm>
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

// Objects up to this many members are checked for duplicates pairwise; larger
// ones by sorting, so a hostile object cannot make the check quadratic.
constexpr std::size_t kPairwiseDuplicateLimit = 16;

class Reader {
 public:
  explicit Reader(int max_depth) : max_depth_(max_depth) {}

  JsonParseResult& result() { return result_; }

  bool read_value(dom::element element, int depth, JsonValue& out) {
    switch (element.type()) {
      case dom::element_type::OBJECT:
        return read_object(dom::object(element), depth + 1, out);
      case dom::element_type::ARRAY:
        return read_array(dom::array(element), depth + 1, out);
      case dom::element_type::INT64:
        out = JsonValue::integer(int64_t(element));
        return true;
      case dom::element_type::UINT64:
        out = JsonValue::number(static_cast<double>(uint64_t(element)));
        return true;
      case dom::element_type::DOUBLE:
        out = JsonValue::number(double(element));
        return true;
      case dom::element_type::STRING:
        out = JsonValue::string(std::string(std::string_view(element)));
        return true;
      case dom::element_type::BOOL:
        out = JsonValue::boolean(bool(element));
        return true;
      case dom::element_type::NULL_VALUE:
        out = JsonValue::null();
        return true;
    }
    return fail(JsonError::kSyntax);
  }

  bool read_object(dom::object object, int depth, JsonValue& out) {
    if (depth > max_depth_) return fail(JsonError::kTooDeep);
    std::vector<JsonMember> members;
    members.reserve(object.size());
    for (dom::key_value_pair field : object) {
      JsonMember member;
      member.name.assign(field.key);
      if (!read_value(field.value, depth, member.value)) {
        prefix_member(member.name);
        return false;
      }
      members.push_back(std::move(member));
    }
    if (const JsonMember* duplicate = find_duplicate(members)) {
      fail(JsonError::kDuplicateMember);
      prefix_member(duplicate->name);
      return false;
    }
    out = JsonValue::object(std::move(members));
    return true;
  }

  bool read_array(dom::array array, int depth, JsonValue& out) {
    if (depth > max_depth_) return fail(JsonError::kTooDeep);
    std::vector<JsonValue> items;
    items.reserve(array.size());
    for (dom::element element : array) {
      JsonValue item;
      if (!read_value(element, depth, item)) {
        prefix_index(items.size());
        return false;
      }
      items.push_back(std::move(item));
    }
    out = JsonValue::array(std::move(items));
    return true;
  }

 private:
  static const JsonMember* find_duplicate(const std::vector<JsonMember>& members) {
    if (members.size() <= kPairwiseDuplicateLimit) {
      for (std::size_t i = 0; i < members.size(); ++i) {
        for (std::size_t j = i + 1; j < members.size(); ++j) {
          if (members[i].name == members[j].name) return &members[j];
        }
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
  if (capacity < size + simdjson::SIMDJSON_PADDING) {
    reader.result().error = JsonError::kSyntax;
    return reader.result();
  }
  dom::element root;
  const simdjson::error_code error =
      thread_parser().parse(data, size, /*realloc_if_needed=*/false).get(root);
  if (error == simdjson::DEPTH_ERROR) {
    reader.result().error = JsonError::kTooDeep;
    return reader.result();
  }
  if (error) {
    reader.result().error = JsonError::kSyntax;
    return reader.result();
  }
  if (root.type() != dom::element_type::OBJECT) {
    reader.result().error = JsonError::kNotObject;
    return reader.result();
  }
  JsonValue value;
  if (!reader.read_object(dom::object(root), 1, value)) return reader.result();
  out = std::move(value);
  return reader.result();
}

JsonParseResult parse_json_object(std::string_view text, int max_depth, JsonValue& out) {
  const simdjson::padded_string padded(text);
  return parse_json_object(padded.data(), padded.size(), padded.size() + json_padding(), max_depth,
                           out);
}

}  // namespace stepup::json_internal
