// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ATTRIBUTES_VALUE_H_
#define STEPUP_LIB_ATTRIBUTES_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stepup/json_value.h"

namespace stepup::attributes {

// A read-only view of one attribute's value while a request is decided. It
// never owns memory: strings and lists point into the request, the token's
// claims or the compiled policy, all of which outlive the decision.
class Value {
 public:
  enum class Kind {
    kAbsent,  // The attribute does not exist for this request.
    kBool,
    kInt,
    kString,
    kList,   // A list; its items are visited with for_each_item().
    kOther,  // Present but of no condition type (null, a fraction, an object).
  };

  Value() = default;
  static Value absent() { return Value(); }
  static Value boolean(bool value);
  static Value integer(int64_t value);
  static Value string(std::string_view value);
  // A JSON value from the claims: mapped to the kinds above.
  static Value json(const JsonValue& value);
  // A JSON array (items are JsonValues).
  static Value json_list(const JsonValue& array);
  // A space-separated string read as a list of words (OAuth `scope`).
  static Value words(std::string_view text);
  // A list of Values stored elsewhere (a literal list in a condition).
  static Value values(const Value* items, std::size_t size);

  Kind kind() const { return kind_; }
  bool as_bool() const { return bool_; }
  int64_t as_int() const { return int_; }
  std::string_view as_string() const { return string_; }

  // For kList: the number of items, and a visit of each in order.
  std::size_t list_size() const;
  template <typename F>  // F: bool(const Value&), returning false to stop.
  void for_each_item(F&& visit) const;

 private:
  enum class ListForm { kNone, kJson, kWords, kValues };
  Kind kind_ = Kind::kAbsent;
  ListForm list_form_ = ListForm::kNone;
  bool bool_ = false;
  int64_t int_ = 0;
  std::string_view string_;  // kString, or the text of a word list.
  const JsonValue* json_ = nullptr;
  const Value* values_ = nullptr;
  std::size_t values_size_ = 0;
};

template <typename F>
void Value::for_each_item(F&& visit) const {
  switch (list_form_) {
    case ListForm::kNone:
      return;
    case ListForm::kJson:
      for (const JsonValue& item : json_->items()) {
        if (!visit(Value::json(item))) return;
      }
      return;
    case ListForm::kWords: {
      std::string_view rest = string_;
      while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        const std::string_view word = rest.substr(0, space);
        if (!word.empty() && !visit(Value::string(word))) return;
        if (space == std::string_view::npos) return;
        rest.remove_prefix(space + 1);
      }
      return;
    }
    case ListForm::kValues:
      for (std::size_t i = 0; i < values_size_; ++i) {
        if (!visit(values_[i])) return;
      }
      return;
  }
}

}  // namespace stepup::attributes

#endif  // STEPUP_LIB_ATTRIBUTES_VALUE_H_
