// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/value.h"

namespace stepup::attributes {

Value Value::json(const JsonValue& value) {
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
  const std::string_view text(text_, size_);
  // Words are separated by single spaces (empty words are skipped), so a
  // match must start the text or follow a space, and end it or precede one.
  if (word.empty() || word.find(' ') != std::string_view::npos) return false;
  for (std::size_t at = text.find(word); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    if ((at == 0 || text[at - 1] == ' ') && (end == text.size() || text[end] == ' ')) return true;
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
