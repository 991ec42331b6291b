// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/json_value.h"

#include <string>

#include "json/json_ref.h"
#include "json/json_text.h"
#include "json/strict_json.h"

namespace stepup {

JsonValue JsonValue::boolean(bool value) {
  JsonValue result;
  result.kind_ = Kind::kBool;
  result.bool_ = value;
  return result;
}

JsonValue JsonValue::integer(int64_t value) {
  JsonValue result;
  result.kind_ = Kind::kInteger;
  result.integer_ = value;
  return result;
}

JsonValue JsonValue::number(double value) {
  JsonValue result;
  result.kind_ = Kind::kDouble;
  result.double_ = value;
  return result;
}

JsonValue JsonValue::string(std::string value) {
  JsonValue result;
  result.kind_ = Kind::kString;
  result.string_ = std::move(value);
  return result;
}

JsonValue JsonValue::array(std::vector<JsonValue> items) {
  JsonValue result;
  result.kind_ = Kind::kArray;
  result.items_ = std::move(items);
  return result;
}

JsonValue JsonValue::object(std::vector<JsonMember> members) {
  JsonValue result;
  result.kind_ = Kind::kObject;
  result.members_ = std::move(members);
  return result;
}

double JsonValue::as_double() const {
  if (kind_ == Kind::kDouble) return double_;
  if (kind_ == Kind::kInteger) return static_cast<double>(integer_);
  return 0;
}

std::string_view JsonValue::as_string() const {
  return kind_ == Kind::kString ? std::string_view(string_) : std::string_view();
}

const JsonValue* JsonValue::find(std::string_view name) const {
  // Claim names are short: comparing the size and first byte inline skips
  // most memcmp calls.
  if (name.empty()) {
    for (const JsonMember& member : members_) {
      if (member.name.empty()) return &member.value;
    }
    return nullptr;
  }
  for (const JsonMember& member : members_) {
    if (member.name.size() == name.size() && member.name[0] == name[0] &&
        std::string_view(member.name) == name) {
      return &member.value;
    }
  }
  return nullptr;
}

}  // namespace stepup

namespace stepup {

std::string JsonParseError::message(int max_depth) const {
  switch (reason) {
    case Reason::kSyntax:
      return "not valid JSON (RFC 8259, UTF-8)";
    case Reason::kNotObject:
      return "not a JSON object";
    case Reason::kDuplicateMember:
      return "duplicate key";
    case Reason::kTooDeep:
      return "arrays and objects nest more than " + std::to_string(max_depth) + " deep";
  }
  return "not valid JSON";
}

std::optional<JsonValue> JsonValue::parse_object(std::string_view text, int max_depth,
                                                 JsonParseError* error) {
  JsonValue value;
  const json_internal::JsonParseResult result =
      json_internal::parse_json_object(text, max_depth, value);
  if (result.error == json_internal::JsonError::kOk) return value;
  if (error != nullptr) {
    switch (result.error) {
      case json_internal::JsonError::kNotObject:
        error->reason = JsonParseError::Reason::kNotObject;
        break;
      case json_internal::JsonError::kDuplicateMember:
        error->reason = JsonParseError::Reason::kDuplicateMember;
        break;
      case json_internal::JsonError::kTooDeep:
        error->reason = JsonParseError::Reason::kTooDeep;
        break;
      default:
        error->reason = JsonParseError::Reason::kSyntax;
        break;
    }
    error->where = result.where;
  }
  return std::nullopt;
}

std::string JsonValue::to_json() const {
  return json_internal::to_json_text(json_internal::JsonRef(*this));
}

bool operator==(const JsonValue& a, const JsonValue& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_integer() && b.is_integer()) return a.as_integer() == b.as_integer();
    return a.as_double() == b.as_double();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case JsonValue::Kind::kNull:
      return true;
    case JsonValue::Kind::kBool:
      return a.as_bool() == b.as_bool();
    case JsonValue::Kind::kString:
      return a.as_string() == b.as_string();
    case JsonValue::Kind::kArray:
      return a.items() == b.items();
    case JsonValue::Kind::kObject: {
      // Member names are unique: equal sizes and every member found equal.
      if (a.members().size() != b.members().size()) return false;
      for (const JsonMember& member : a.members()) {
        const JsonValue* other = b.find(member.name);
        if (other == nullptr || !(member.value == *other)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace stepup
