// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/value.h"

namespace stepup::attributes {

Value Value::boolean(bool value) {
  Value result;
  result.kind_ = Kind::kBool;
  result.bool_ = value;
  return result;
}

Value Value::integer(int64_t value) {
  Value result;
  result.kind_ = Kind::kInt;
  result.int_ = value;
  return result;
}

Value Value::string(std::string_view value) {
  Value result;
  result.kind_ = Kind::kString;
  result.string_ = value;
  return result;
}

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
  Value result;
  result.kind_ = Kind::kOther;
  return result;
}

Value Value::json_list(const JsonValue& array) {
  Value result;
  result.kind_ = Kind::kList;
  result.list_form_ = ListForm::kJson;
  result.json_ = &array;
  return result;
}

Value Value::words(std::string_view text) {
  Value result;
  result.kind_ = Kind::kList;
  result.list_form_ = ListForm::kWords;
  result.string_ = text;
  return result;
}

Value Value::values(const Value* items, std::size_t size) {
  Value result;
  result.kind_ = Kind::kList;
  result.list_form_ = ListForm::kValues;
  result.values_ = items;
  result.values_size_ = size;
  return result;
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
