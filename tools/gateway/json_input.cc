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

}  // namespace stepup::gateway
