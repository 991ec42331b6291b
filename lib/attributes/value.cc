// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/value.h"

#include <cstring>

namespace stepup::attributes {

Value Value::json(json_internal::JsonRef value) {
  switch (value.kind()) {
    case JsonValue::Kind::kBool:
      return boolean(value.as_bool());
    case JsonValue::Kind::kInteger:
      return integer(value.as_integer());
    case JsonValue::Kind::kString:
      return string(value.as_string());
    case JsonValue::Kind::kArray:
      return json_list(value);
    case JsonValue::Kind::kNull:
    case JsonValue::Kind::kDouble:
    case JsonValue::Kind::kObject:
      break;
  }
  return Value(Kind::kOther);
}

std::optional<bool> Value::has_word(const Value& needle) const {
  if (list_form_ != ListForm::kWords) return std::nullopt;
  if (needle.kind() != Kind::kString) return false;
  const std::string_view word = needle.as_string();
  if (word.empty()) return false;
  // Words are the runs between single spaces (empty words are skipped). Only
  // a word of the needle's length is compared; one containing a space
  // equals no word.
  const char* next = payload_.text.data;
  const char* const end = next + payload_.text.size;
  while (next < end) {
    const void* space = std::memchr(next, ' ', static_cast<std::size_t>(end - next));
    const char* const stop = space != nullptr ? static_cast<const char*>(space) : end;
    if (static_cast<std::size_t>(stop - next) == word.size() &&
        std::memcmp(next, word.data(), word.size()) == 0) {
      return true;
    }
    if (stop == end) break;
    next = stop + 1;
  }
  return false;
}

std::size_t Value::list_size() const {
  std::size_t count = 0;
  for_each_item([&count](const Value&) {
    ++count;
    return true;
  });
  return count;
}

}  // namespace stepup::attributes
