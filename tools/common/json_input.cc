// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "common/json_input.h"

#include <string>
#include <utility>

namespace stepup::tools {

std::string member_path(std::string_view base, std::string_view name) {
  std::string path(base);
  if (!path.empty()) path += '.';
  path += name;
  return path;
}

std::string item_path(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

std::string_view kind_name(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "a boolean";
    case JsonValue::Kind::kInteger:
      return "an integer";
    case JsonValue::Kind::kDouble:
      return "a number";
    case JsonValue::Kind::kString:
      return "a string";
    case JsonValue::Kind::kArray:
      return "an array";
    case JsonValue::Kind::kObject:
      return "an object";
  }
  return "a value";
}

const JsonValue* FieldReader::required(const JsonValue& object, std::string_view path,
                                       std::string_view name, JsonValue::Kind kind) {
  return get(object, path, name, kind, /*required=*/true);
}

const JsonValue* FieldReader::optional(const JsonValue& object, std::string_view path,
                                       std::string_view name, JsonValue::Kind kind) {
  return get(object, path, name, kind, /*required=*/false);
}

void FieldReader::fail(std::string message, std::string where) {
  if (!error_) error_ = InputError{std::move(message), std::move(where)};
}

const JsonValue* FieldReader::get(const JsonValue& object, std::string_view path,
                                  std::string_view name, JsonValue::Kind kind, bool required) {
  if (error_) return nullptr;
  const JsonValue* value = object.find(name);
  if (value == nullptr || value->is_null()) {
    if (required)
      fail("missing (must be " + std::string(kind_name(kind)) + ")", member_path(path, name));
    return nullptr;
  }
  if (value->kind() != kind) {
    fail("must be " + std::string(kind_name(kind)), member_path(path, name));
    return nullptr;
  }
  return value;
}

void FieldReader::only(const JsonValue& object, std::string_view path,
                       std::initializer_list<std::string_view> allowed) {
  if (error_ || !object.is_object()) return;
  for (const JsonMember& member : object.members()) {
    bool known = false;
    for (const std::string_view name : allowed)
      known = known || member.name == name;
    if (known) continue;
    std::string expected;
    for (const std::string_view name : allowed)
      expected += (expected.empty() ? "" : ", ") + std::string(name);
    fail("unknown key \"" + member.name + "\" (expected " + expected + ")", std::string(path));
    return;
  }
}

}  // namespace stepup::tools
