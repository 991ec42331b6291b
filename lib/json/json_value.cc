// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/json_value.h"

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
