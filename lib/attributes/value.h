// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_ATTRIBUTES_VALUE_H_
#define STEPUP_LIB_ATTRIBUTES_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "json/json_ref.h"
#include "stepup/json_value.h"

namespace stepup::attributes {

// A read-only view of one attribute's value while a request is decided. It
// never owns memory: strings and lists point into the request, the token's
// claims or the compiled policy, all of which outlive the decision.
class Value {
 public:
  enum class Kind : uint8_t {
    kAbsent,  // The attribute does not exist for this request.
    kBool,
    kInt,
    kString,
    kList,   // A list; its items are visited with for_each_item().
    kOther,  // Present but of no condition type (null, a fraction, an object).
  };

  Value() = default;
  static Value absent() { return Value(); }
  static Value boolean(bool value) {
    Value result(Kind::kBool);
    result.bool_ = value;
    return result;
  }
  static Value integer(int64_t value) {
    Value result(Kind::kInt);
    result.int_ = value;
    return result;
  }
  static Value string(std::string_view value) {
    Value result(Kind::kString);
    result.set_text(value);
    return result;
  }
  // A JSON value from the claims: mapped to the kinds above.
  static Value json(json_internal::JsonRef value);
  // A JSON array (read where it lies: a JsonValue or the parsed token).
  static Value json_list(json_internal::JsonRef array) {
    Value result(Kind::kList, ListForm::kJson);
    result.payload_.json = array;
    return result;
  }
  // A space-separated string read as a list of words (OAuth `scope`).
  static Value words(std::string_view text) {
    Value result(Kind::kList, ListForm::kWords);
    result.set_text(text);
    return result;
  }
  // A list of Values stored elsewhere (a literal list in a condition).
  static Value values(const Value* items, std::size_t size) {
    Value result(Kind::kList, ListForm::kValues);
    result.payload_.values = {items, size};
    return result;
  }

  Kind kind() const { return kind_; }
  bool as_bool() const { return bool_; }
  int64_t as_int() const { return kind_ == Kind::kInt ? int_ : 0; }
  std::string_view as_string() const {
    return kind_ == Kind::kString ? std::string_view(payload_.text.data, payload_.text.size)
                                  : std::string_view();
  }

  // For a list of words: whether `needle` is one of them (false for a
  // needle that is not a string). nullopt for other lists. Searches the text
  // once instead of visiting word by word.
  std::optional<bool> has_word(const Value& needle) const;

  // For kList: the number of items, and a visit of each in order.
  std::size_t list_size() const;
  template <typename F>  // F: bool(const Value&), returning false to stop.
  void for_each_item(F&& visit) const;

 private:
  enum class ListForm : uint8_t { kNone, kJson, kWords, kValues };
  explicit Value(Kind kind, ListForm form = ListForm::kNone) : kind_(kind), list_form_(form) {}
  void set_text(std::string_view text) { payload_.text = {text.data(), text.size()}; }

  struct Text {
    const char* data;
    std::size_t size;
  };
  struct Items {
    const Value* data;
    std::size_t size;
  };

  Kind kind_ = Kind::kAbsent;
  ListForm list_form_ = ListForm::kNone;
  bool bool_ = false;
  int64_t int_ = 0;  // kInt.
  union Payload {
    Payload() : text{nullptr, 0} {}
    Text text;                    // kString and ListForm::kWords.
    json_internal::JsonRef json;  // ListForm::kJson.
    Items values;                 // ListForm::kValues.
  } payload_;
};

// Conditions pass Values by value at every step.
static_assert(sizeof(Value) == 32);

template <typename F>
void Value::for_each_item(F&& visit) const {
  switch (list_form_) {
    case ListForm::kNone:
      return;
    case ListForm::kJson:
      payload_.json.for_each_item(
          [&visit](json_internal::JsonRef item) { return visit(Value::json(item)); });
      return;
    case ListForm::kWords: {
      std::string_view rest(payload_.text.data, payload_.text.size);
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
      for (std::size_t i = 0; i < payload_.values.size; ++i) {
        if (!visit(payload_.values.data[i])) return;
      }
      return;
  }
}

}  // namespace stepup::attributes

#endif  // STEPUP_LIB_ATTRIBUTES_VALUE_H_
