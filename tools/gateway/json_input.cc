// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/json_input.h"

#include <string>
#include <utility>

namespace stepup::gateway {

std::optional<InputError> parse_body(std::string_view body, JsonValue& out) {
  JsonParseError error;
  std::optional<JsonValue> parsed = JsonValue::parse_object(body, kMaxBodyDepth, &error);
  if (parsed) {
    out = *std::move(parsed);
    return std::nullopt;
  }
  switch (error.reason) {
    case JsonParseError::Reason::kSyntax:
      return InputError{"the body is not valid JSON (RFC 8259, UTF-8)", ""};
    case JsonParseError::Reason::kNotObject:
      return InputError{"the body must be a JSON object", ""};
    case JsonParseError::Reason::kDuplicateMember:
      return InputError{"duplicate key", error.where};
    case JsonParseError::Reason::kTooDeep:
      return InputError{
          "the body nests arrays and objects more than " + std::to_string(kMaxBodyDepth) + " deep",
          error.where};
  }
  return InputError{"the body is not valid JSON", ""};
}

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

}  // namespace stepup::gateway
