// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/claims.h"

#include <utility>

namespace stepup {

Claims::Claims(JsonValue payload, Algorithm algorithm, std::string key_id)
    : payload_(std::move(payload)), algorithm_(algorithm), key_id_(std::move(key_id)) {}

std::string_view Claims::issuer() const {
  const JsonValue* value = find("iss");
  return value != nullptr ? value->as_string() : std::string_view();
}

std::string_view Claims::subject() const {
  const JsonValue* value = find("sub");
  return value != nullptr ? value->as_string() : std::string_view();
}

std::optional<int64_t> Claims::integer_claim(std::string_view name) const {
  const JsonValue* value = find(name);
  if (value == nullptr || !value->is_integer()) return std::nullopt;
  return value->as_integer();
}

}  // namespace stepup
